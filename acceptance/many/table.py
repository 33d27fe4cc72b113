"""The table's model: per repository, one cell per requirement (as the traceability model groups the seed's claims),
each the worst outcome of the scenarios behind it, with their counts."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from acceptance.core.outcome import DECLINED, DIFFERS, FAILED, NOT_JUDGED, NOT_RUN, PASSED
from acceptance.report.traceability import GROUPS, Model

# How a person reads each outcome in the table.
LABELS = {PASSED: "passed", FAILED: "failed", DIFFERS: "differs from the seed's design", NOT_JUDGED: "not judged",
          NOT_RUN: "not run", DECLINED: "declined"}
# A cell shows its worst scenario, as the verdict ranks them: a failure before what the suite could not judge, before
# a scenario that did not run, before a difference from the seed's design (the requirement met another way); a
# declined scenario counts only when the profile declines all of the cell's scenarios.
RANK = {DECLINED: 0, PASSED: 1, DIFFERS: 2, NOT_RUN: 3, NOT_JUDGED: 4, FAILED: 5}
# The claim groups that are columns: the functional requirements and the verification steps.
COLUMN_GROUPS = ("FR", "V")
# The verdict word of a run that could not judge anything (a clone that failed, a broken profile, no drafter).
COULD_NOT_JUDGE = "NOT JUDGED"


@dataclasses.dataclass(frozen=True)
class Column:
    """One requirement or verification step, and the scenario keys (without their examples) the traceability model
    says check it, beyond-seed ones included (the verdict counts them too)."""

    id: str
    group: str
    words: str
    scenario_keys: tuple[str, ...]


def columns(model: Model) -> list[Column]:
    """FR-001..FR-014, then V-1..V-7, as the claims file orders them."""
    return [Column(claim.id, claim.group, claim.words, tuple(scenario.key for scenario in model.matched(claim)))
            for group in COLUMN_GROUPS for claim in model.claims if claim.group == group]


def group_titles() -> dict[str, str]:
    return {prefix: title for prefix, title in GROUPS if prefix in COLUMN_GROUPS}


@dataclasses.dataclass(frozen=True)
class Cell:
    """The worst outcome of the scenarios behind a cell, and how many scenarios (examples counted apart) had each."""

    outcome: str
    counts: dict[str, int]

    @property
    def label(self) -> str:
        return LABELS.get(self.outcome, self.outcome)

    @property
    def detail(self) -> str:
        """'2 failed, 5 passed', or that none of its scenarios is in the tiers the run had."""
        if not self.counts:
            return "none in the tiers run" if self.outcome == NOT_RUN else "the run judged nothing: see its cause"
        order = sorted(self.counts, key=lambda outcome: -RANK.get(outcome, RANK[NOT_JUDGED]))
        return ", ".join(f"{self.counts[outcome]} {outcome}" for outcome in order)

    @property
    def text(self) -> str:
        """The cell as the CSV holds it: 'failed (2 failed, 5 passed)'."""
        return f"{self.label} ({self.detail})"


def outcomes_behind(column: Column, outcomes: dict[str, str]) -> list[str]:
    """The outcome of each scenario (each example) of the run that the column's claim names."""
    return [outcome for key, outcome in outcomes.items()
            if any(key == template or key.startswith(template + "[") for template in column.scenario_keys)]


def cell(column: Column, outcomes: dict[str, str]) -> Cell:
    """The column's cell for one run's scenarios.json; an outcome the suite may add later counts as not judged in the
    ranking and keeps its own word."""
    found = outcomes_behind(column, outcomes)
    if not found:
        return Cell(NOT_RUN, {})
    counts = dict(Counter(found))
    return Cell(max(counts, key=lambda outcome: RANK.get(outcome, RANK[NOT_JUDGED])), counts)


@dataclasses.dataclass(frozen=True)
class RepositoryResult:
    """One repository's run, as the table and the merge need it: written to results.json, read back by the merge."""

    line: int  # in the list
    repository: str  # the entry's label (a URL without its credentials)
    profile: str  # the profile as the list names it, "drafted: runs/.../profile.yaml", or "none given" (no drafter)
    verdict: str  # PASSED, FAILED, NOT JUDGED or INCOMPLETE (verdict.json's word)
    verdict_line: str
    cause: str  # why the run could not judge at all; empty when it ran
    report: str  # its acceptance.html, relative to the directory of the results (empty when none was written)
    seconds: float
    outcomes: dict[str, str]  # its scenarios.json

    @property
    def judged(self) -> bool:
        """Whether the suite ran on it at all (its scenarios may still be not judged, each for its cause)."""
        return not self.cause

    def cells(self, table_columns: list[Column]) -> list[Cell]:
        if not self.judged:
            return [Cell(NOT_JUDGED, {}) for _ in table_columns]
        return [cell(column, self.outcomes) for column in table_columns]

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepositoryResult:
        return cls(**{field.name: data[field.name] for field in dataclasses.fields(cls)})


def could_not_judge(line: int, repository: str, profile: str, cause: str, seconds: float, report: str = "") -> RepositoryResult:
    """The result of a run that judged nothing, for the one cause the table shows in its row."""
    return RepositoryResult(line, repository, profile, COULD_NOT_JUDGE, f"{COULD_NOT_JUDGE}: {cause}", cause, report, seconds, {})
