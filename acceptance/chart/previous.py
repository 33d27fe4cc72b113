"""The chart as an earlier version of itself: the same templates under a version that sorts before this one, so an
upgrade from it to this chart is an upgrade between two chart versions (every pod's helm.sh/chart label changes, a
selector that holds the version breaks), and a rollback goes back to it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

VERSION_LINE = re.compile(r"^version:\s*(\S+)\s*$", re.MULTILINE)


def earlier_version(version: str) -> str:
    """A SemVer version that sorts before version: its pre-release 'previous' (1.0.0 -> 1.0.0-previous); a
    pre-release already sorts after 0.0.0-previous, which is taken then."""
    return f"{version}-previous" if "-" not in version and "+" not in version else "0.0.0-previous"


def version(chart: Path) -> str:
    """The chart's version (Chart.yaml).

    Raises:
        ValueError: Chart.yaml gives no version.
    """
    data = yaml.safe_load((chart / "Chart.yaml").read_text()) or {}
    if not isinstance(data, dict) or not data.get("version"):
        raise ValueError(f"{chart / 'Chart.yaml'} gives no version (helm needs one: version: 1.0.0)")
    return str(data["version"])


def copy_as_earlier(chart: Path, into: Path) -> Path:
    """A copy of chart in into, its Chart.yaml version replaced by an earlier one; the copy's directory.

    Raises:
        ValueError: Chart.yaml has no top-level version line to replace.
    """
    copy = into / chart.name
    shutil.copytree(chart, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
    text = (copy / "Chart.yaml").read_text()
    if not VERSION_LINE.search(text):
        raise ValueError(f"{chart / 'Chart.yaml'} has no 'version:' line to give an earlier version")
    (copy / "Chart.yaml").write_text(VERSION_LINE.sub(f"version: {earlier_version(version(chart))}", text, count=1))
    return copy
