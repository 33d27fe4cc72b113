"""The chart's own files: metadata, templates, values and their schema, read without rendering."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from acceptance.core.credentials import credential_like


def values_file(directory: Path, values: dict[str, Any]) -> Path:
    """A values file holding exactly these values (typed as YAML types them)."""
    path = directory / "values-under-test.yaml"
    path.write_text(yaml.safe_dump(values))
    return path


def default_values(chart: Path) -> dict[str, Any]:
    return yaml.safe_load((chart / "values.yaml").read_text()) or {}


# SemVer 2.0.0 (semver.org's own expression): what Helm requires of a chart's version.
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?")


def metadata(chart: Path) -> dict[str, Any]:
    return yaml.safe_load((chart / "Chart.yaml").read_text()) or {}


def naming_problems(chart: Path, name: str) -> list[str]:
    """Why the chart is not named name and versioned as Helm requires: Chart.yaml's name, a version that is not
    SemVer, a directory named otherwise."""
    found = metadata(chart)
    problems = [f"Chart.yaml names the chart {found.get('name')!r}, the profile {name!r}"] if found.get("name") != name else []
    if not SEMVER.fullmatch(str(found.get("version"))):
        problems.append(f"Chart.yaml's version {found.get('version')!r} is not SemVer 2 (MAJOR.MINOR.PATCH), which Helm requires")
    if chart.name != name:
        problems.append(f"the chart directory is {chart.name!r}; Helm expects it to equal the chart name {name!r}")
    return problems


def templates(chart: Path) -> set[str]:
    return {path.name for path in (chart / "templates").iterdir()}


def notes(chart: Path) -> str:
    return (chart / "templates" / "NOTES.txt").read_text()


def nested_deeper_than(chart: Path, levels: int) -> dict[str, int]:
    """Top-level values whose nesting goes beyond levels, with their depth."""

    def depth(value: object) -> int:
        return 1 + max((depth(child) for child in value.values()), default=0) if isinstance(value, dict) and value else 0

    return {key: depth(value) for key, value in default_values(chart).items() if depth(value) > levels - 1}


def undocumented_keys(chart: Path) -> list[str]:
    """Keys of values.yaml with no comment right above them that names them."""
    lines = (chart / "values.yaml").read_text().splitlines()
    undocumented = []
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)([A-Za-z][\w-]*):", line)
        if not match:
            continue
        comments = []
        previous = index - 1
        while previous >= 0 and lines[previous].strip().startswith("#"):
            comments.append(lines[previous])
            previous -= 1
        if not any(re.search(rf"\b{re.escape(match.group(2))}\b", comment) for comment in comments):
            undocumented.append(match.group(2))
    return undocumented


def schema(chart: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((chart / "values.schema.json").read_text())
    return document


def schema_errors(chart: Path) -> list[str]:
    """Where the default values break values.schema.json."""
    validator = jsonschema.Draft7Validator(schema(chart))
    return [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in validator.iter_errors(default_values(chart))]


def open_schema_objects(chart: Path) -> list[str]:
    """JSON pointers of schema objects that accept unknown keys (no additionalProperties: false)."""
    found = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if (node.get("type") == "object" or "properties" in node) and node.get("additionalProperties") is not False:
                found.append(where or "(root)")
            for key, child in node.items():
                walk(child, f"{where}/{key}")
        elif isinstance(node, list):
            for position, child in enumerate(node):
                walk(child, f"{where}/{position}")

    walk(schema(chart), "")
    return found


def credentials_in_defaults(chart: Path) -> list[str]:
    """Default values shaped like real credentials, or secret-named keys with a value."""
    found = credential_like((chart / "values.yaml").read_text())
    secret_keys = [f"{key}={value}" for key, value in default_values(chart).items() if re.search(r"(ApiKey|Password|Token)$", key) and value]
    return found + secret_keys
