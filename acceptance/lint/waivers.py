"""Reviewed lint waivers: each names the tool, the check, the subject (a glob) and why; a stale one is an error."""

from __future__ import annotations

import dataclasses
import fnmatch
from pathlib import Path

import yaml

from acceptance.lint.linters import Finding

FIELDS = ("tool", "check", "subject", "reason")


class WaiverError(AssertionError):
    """The waivers file is malformed: the message names the entry and the fix."""


@dataclasses.dataclass(frozen=True)
class Waiver:
    tool: str
    check: str
    subject: str
    reason: str

    def matches(self, finding: Finding) -> bool:
        return (self.tool, self.check) == (finding.tool, finding.check) and fnmatch.fnmatchcase(finding.subject, self.subject)

    def __str__(self) -> str:
        return f"{self.tool} {self.check} on {self.subject}: {self.reason}"


def load(path: Path) -> list[Waiver]:
    """The waivers in path (none when the file does not exist).

    Raises:
        WaiverError: the file is not a list of entries with exactly tool, check, subject and a reason in words.
    """
    if not path.is_file():
        return []
    entries = yaml.safe_load(path.read_text()) or []
    if not isinstance(entries, list):
        raise WaiverError(f"{path}: expected a list of waivers (- tool: ..., check: ..., subject: ..., reason: ...), got {type(entries).__name__}")
    waivers = []
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or set(entry) != set(FIELDS) or not all(isinstance(entry[field], str) and entry[field].strip() for field in FIELDS):
            raise WaiverError(f"{path}: waiver {position} must have exactly the text fields {', '.join(FIELDS)}, got {entry!r}")
        if len(entry["reason"].split()) < 4:
            raise WaiverError(f"{path}: waiver {position} ({entry['tool']} {entry['check']}) needs a reason in a sentence, got {entry['reason']!r}")
        waivers.append(Waiver(**{field: entry[field].strip() for field in FIELDS}))
    return waivers


def review(findings: list[Finding], waivers: list[Waiver]) -> tuple[list[Finding], str]:
    """(the findings no waiver covers, the waivers applied as text for the report)."""
    return unwaived(findings, waivers), "\n".join(applied(findings, waivers)) or "(none)"


def unwaived(findings: list[Finding], waivers: list[Waiver]) -> list[Finding]:
    return [finding for finding in findings if not any(waiver.matches(finding) for waiver in waivers)]


def applied(findings: list[Finding], waivers: list[Waiver]) -> list[str]:
    """'finding <- waiver' for every finding a waiver covers, for the report."""
    return [f"{finding}\n    waived: {waiver.reason}" for finding in findings for waiver in waivers if waiver.matches(finding)]


def stale(waivers: list[Waiver], findings: list[Finding]) -> list[Waiver]:
    """The waivers no finding matches any more."""
    return [waiver for waiver in waivers if not any(waiver.matches(finding) for finding in findings)]
