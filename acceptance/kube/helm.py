"""Helm CLI verbs, one function per verb, each aimed at a Target; `x` raises ToolError, `try_x` returns the Result."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Required, TypedDict, Unpack

import yaml

from acceptance.core.run import Result, ToolError, run
from acceptance.kube.target import Target

INSTALL_FIX = "install it (make setup, or https://helm.sh/docs/intro/install/)"


class ValueArgs(TypedDict, total=False):
    """The chart values a verb sets: value_args()'s keywords."""

    values: dict[str, str] | None
    value_files: list[Path] | None
    string_values: dict[str, str] | None


class TemplateArgs(ValueArgs, total=False):
    """try_template()'s keywords: the release's name (required), its namespace and the chart values."""

    release: Required[str]
    namespace: str


def try_helm(args: list[str], timeout: float) -> Result:
    """Run helm with args and return the outcome (never raises for a non-zero exit).

    Raises:
        ToolError: helm is not installed.
    """
    binary = shutil.which("helm")
    if not binary:
        raise ToolError(f"helm not found on PATH: {INSTALL_FIX}")
    return run([binary, *args], timeout=timeout)


def value_args(values: dict[str, str] | None = None, value_files: list[Path] | None = None,
               string_values: dict[str, str] | None = None) -> list[str]:
    args: list[str] = []
    for path in value_files or []:
        args += ["--values", str(path)]
    for key, value in (values or {}).items():
        args += ["--set", f"{key}={value}"]
    for key, value in (string_values or {}).items():
        args += ["--set-string", f"{key}={value}"]
    return args


def try_lint(chart: Path, timeout: float, **values: Unpack[ValueArgs]) -> Result:
    return try_helm(["lint", "--strict", str(chart), *value_args(**values)], timeout)


def try_template(chart: Path, timeout: float, release: str, namespace: str = "default", **values: Unpack[ValueArgs]) -> Result:
    return try_helm(["template", release, str(chart), "--namespace", namespace, *value_args(**values)], timeout)


def template(chart: Path, timeout: float, **kwargs: Unpack[TemplateArgs]) -> list[dict[str, Any]]:
    """Render the chart and return its resources as dicts.

    Raises:
        ToolError: helm template failed; the message has helm's stderr.
    """
    outcome = try_template(chart, timeout, **kwargs).check("render the chart")
    return [document for document in yaml.safe_load_all(outcome.stdout) if document]


def try_install(chart: Path, release: str, target: Target, timeout: float, wait: bool = False, **values: Unpack[ValueArgs]) -> Result:
    """`helm upgrade --install`: installs, or upgrades a release left from an earlier attempt."""
    args = ["upgrade", "--install", release, str(chart), *target.helm_args(), "--timeout", f"{int(timeout)}s", *value_args(**values)]
    return try_helm(args + (["--wait"] if wait else []), timeout + 60)


def try_upgrade(chart: Path, release: str, target: Target, timeout: float, wait: bool = False, **values: Unpack[ValueArgs]) -> Result:
    args = ["upgrade", release, str(chart), *target.helm_args(), "--reuse-values", "--timeout", f"{int(timeout)}s", *value_args(**values)]
    return try_helm(args + (["--wait"] if wait else []), timeout + 60)


def try_rollback(release: str, target: Target, timeout: float) -> Result:
    """`helm rollback` to the release's previous revision (without --wait: the caller waits for readiness)."""
    return try_helm(["rollback", release, *target.helm_args(), "--timeout", f"{int(timeout)}s"], timeout + 60)


def deployed_chart(release: str, target: Target, timeout: float) -> str:
    """The chart, as NAME-VERSION, that the release's latest revision runs (`helm history`).

    Raises:
        ToolError: helm history failed.
    """
    outcome = try_helm(["history", release, *target.helm_args(), "--max", "1", "-o", "json"], timeout).check("read the release's history")
    chart: str = json.loads(outcome.stdout)[-1]["chart"]
    return chart


def try_uninstall(release: str, target: Target, timeout: float) -> Result:
    return try_helm(["uninstall", release, *target.helm_args(), "--wait", "--timeout", f"{int(timeout)}s"], timeout + 60)


def status(release: str, target: Target, timeout: float) -> str:
    """`helm status --show-resources`, for evidence (its error text when it fails)."""
    return try_helm(["status", release, *target.helm_args(), "--show-resources"], timeout).output


def try_get_values(release: str, target: Target, timeout: float) -> Result:
    """`helm get values -o json`: the values the release was installed with (fails when it is not installed)."""
    return try_helm(["get", "values", release, *target.helm_args(), "-o", "json"], timeout)
