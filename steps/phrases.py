"""Parsing helpers shared by step modules: quoted lists and typed literals in step text."""

from __future__ import annotations

import re

import yaml


def quoted(text: str) -> list[str]:
    """Every "quoted" string in text, in order: '"a", "b" and "c"' -> ['a', 'b', 'c'].

    Raises:
        AssertionError: text quotes nothing, so a check over its names would check nothing.
    """
    __tracebackhide__ = True
    names = re.findall(r'"([^"]*)"', text)
    assert names, f"the step names nothing in quotes ({text!r}): write each name in double quotes"
    return names


# A table cell standing for a value the seed leaves to the deployment: the profile gives it.
PROFILED = "(profile)"


def or_profile(cell: str, value):
    """The cell, or value where the cell says (profile).

    Raises:
        AssertionError: the cell says (profile) and the profile gives no value (None): nothing to check against.
    """
    __tracebackhide__ = True
    assert cell != PROFILED or value is not None, "the profile gives no value for this scenario's (profile) cell: add it (see profiles/reference.yaml)"
    return value if cell == PROFILED else cell


def literal(text: str):
    """A step literal as YAML reads it: "three" is a string, -1 an integer, true a boolean."""
    return yaml.safe_load(text)
