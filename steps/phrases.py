"""Parsing helpers shared by step modules: quoted lists and typed literals in step text."""

from __future__ import annotations

import re

import yaml


def quoted(text: str) -> list[str]:
    """Every "quoted" string in text, in order: '"a", "b" and "c"' -> ['a', 'b', 'c']."""
    return re.findall(r'"([^"]*)"', text)


def literal(text: str):
    """A step literal as YAML reads it: "three" is a string, -1 an integer, true a boolean."""
    return yaml.safe_load(text)
