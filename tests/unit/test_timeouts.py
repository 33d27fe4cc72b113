"""Timeouts.from_ini: every budget comes from pytest.ini, and a missing or non-positive one is refused."""

from __future__ import annotations

import configparser
import dataclasses
from pathlib import Path

import pytest

from acceptance.core.timeouts import Timeouts

PYTEST_INI = Path(__file__).resolve().parents[2] / "pytest.ini"


def ini_settings() -> dict[str, str]:
    parser = configparser.ConfigParser()
    parser.read(PYTEST_INI)
    return dict(parser["pytest"])


def test_every_field_is_read_from_pytest_ini():
    settings = ini_settings()
    timeouts = Timeouts.from_ini(PYTEST_INI)

    in_ini = {key.removeprefix("timeout_") for key in settings if key.startswith("timeout_")}
    assert in_ini == set(Timeouts.names()), "pytest.ini and the Timeouts fields must name the same budgets"
    assert dataclasses.asdict(timeouts) == {name: float(settings[f"timeout_{name}"]) for name in Timeouts.names()}


def test_scale_multiplies_every_budget():
    plain, doubled = Timeouts.from_ini(PYTEST_INI), Timeouts.from_ini(PYTEST_INI, scale=2.5)

    assert all(getattr(doubled, name) == getattr(plain, name) * 2.5 for name in Timeouts.names())


def ini_without(tmp_path, name: str, value: str | None):
    """pytest.ini with timeout_<name> removed (value None) or set to value."""
    lines = [line for line in PYTEST_INI.read_text().splitlines() if not line.startswith(f"timeout_{name} ")]
    if value is not None:
        lines.insert(1, f"timeout_{name} = {value}")
    path = tmp_path / "pytest.ini"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("name", Timeouts.names())
def test_a_missing_budget_is_refused_naming_it(tmp_path, name):
    with pytest.raises(ValueError, match=f"^timeout_{name} must be a number of seconds, got None \\(set it in pytest.ini\\)$"):
        Timeouts.from_ini(ini_without(tmp_path, name, None))


@pytest.mark.parametrize(("value", "message"), [
    ("0", "timeout_ready must be positive, got 0"),
    ("-5", "timeout_ready must be positive, got -5"),
    ("three minutes", "timeout_ready must be a number of seconds, got 'three minutes'"),
    ("", "timeout_ready must be a number of seconds, got ''"),
], ids=["zero", "negative", "words", "empty"])
def test_a_budget_that_is_not_a_positive_number_is_refused(tmp_path, value, message):
    with pytest.raises(ValueError, match=f"^{message}"):
        Timeouts.from_ini(ini_without(tmp_path, "ready", value))


def test_a_missing_ini_file_is_refused():
    with pytest.raises(ValueError, match="must be a number of seconds, got None"):
        Timeouts.from_ini(PYTEST_INI.with_name("no-such.ini"))
