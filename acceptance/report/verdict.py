"""The verdict a person reads first: passed, failed, not judged or incomplete, per tier and per requirement, the causes
that stopped many scenarios at once, what differs from the seed's design, and the time taken."""

from __future__ import annotations

import dataclasses

from acceptance.core.names import TIERS
from acceptance.core.outcome import DIFFERS, FAILED, NOT_JUDGED, NOT_RUN, PASSED


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One scenario's outcome (passed, failed, not judged, not run), tier, requirement tags (FR-001, V-6, ...) and,
    unless it passed, the one-line cause of its outcome."""

    outcome: str
    tier: str
    requirements: tuple[str, ...]
    cause: str = ""


def verdict(scenarios: dict[str, Scenario]) -> str:
    """FAILED when one scenario failed; else NOT JUDGED when the suite could not check one; else INCOMPLETE when one
    did not run; PASSED only when every scenario passed or differs from the seed's design (it meets the requirement
    another way: listed apart, never a failure)."""
    outcomes = {scenario.outcome for scenario in scenarios.values()}
    if FAILED in outcomes:
        return "FAILED"
    if NOT_JUDGED in outcomes:
        return "NOT JUDGED"
    return "PASSED" if scenarios and outcomes <= {PASSED, DIFFERS} else "INCOMPLETE"


def per_tier(scenarios: dict[str, Scenario]) -> list[str]:
    """'static 63/63' for each tier that has scenarios: passed of all."""
    parts = []
    for tier in TIERS:
        mine = [scenario for scenario in scenarios.values() if scenario.tier == tier]
        if mine:
            parts.append(f"{tier} {sum(scenario.outcome == PASSED for scenario in mine)}/{len(mine)}")
    return parts


def requirements_not_passed(scenarios: dict[str, Scenario]) -> dict[str, str]:
    """Requirement -> its worst outcome, for the requirements with a scenario that did not pass."""
    rank = {PASSED: 0, DIFFERS: 0, NOT_RUN: 1, NOT_JUDGED: 2, FAILED: 3}
    worst: dict[str, str] = {}
    for scenario in scenarios.values():
        for requirement in scenario.requirements:
            if rank[scenario.outcome] > rank[worst.get(requirement, PASSED)]:
                worst[requirement] = scenario.outcome
    return dict(sorted(worst.items()))


def causes(scenarios: dict[str, Scenario], outcome: str) -> dict[str, list[str]]:
    """Cause -> the scenarios it gave that outcome, most scenarios first: one cause is shown once, not per scenario."""
    grouped: dict[str, list[str]] = {}
    for key, scenario in scenarios.items():
        if scenario.outcome == outcome:
            grouped.setdefault(scenario.cause or "no cause recorded", []).append(key)
    return dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))


def differing(scenarios: dict[str, Scenario]) -> dict[str, int]:
    """Requirement -> how many of its @seed_design scenarios differ from the seed's design."""
    found: dict[str, int] = {}
    for scenario in scenarios.values():
        if scenario.outcome == DIFFERS:
            for requirement in scenario.requirements:
                found[requirement] = found.get(requirement, 0) + 1
    return dict(sorted(found.items()))


def counted(cause: str, keys: list[str]) -> str:
    return f"{cause} ({len(keys)} scenario{'s' if len(keys) != 1 else ''})"


def summary(scenarios: dict[str, Scenario], seconds: float, declined: dict[str, tuple[str, ...]] | None = None, profile: str = "") -> str:
    """One line: 'FAILED in 9 min 12 s: static 63/63, image 21/22, cluster 36/36 passed; FR-003 failed; 21 of 22
    requirements passed'. NOT JUDGED names its causes first and no requirement as failed
    ('NOT JUDGED: the local cluster did not start: kube-router exited (44 scenarios); in 13 min 54 s: ...'). Then how
    many scenarios the profile declined (scenario -> its requirement tags; they are not in the counts: not run, not
    passed), and a requirement only declined scenarios check is counted declined, never passed."""
    word = verdict(scenarios)
    requirements = {requirement for scenario in scenarios.values() for requirement in scenario.requirements}
    not_passed = requirements_not_passed(scenarios)
    not_judged = causes(scenarios, NOT_JUDGED)
    timing = f"in {int(seconds // 60)} min {int(seconds % 60)} s"
    head = f"{word}: {'; '.join(counted(cause, keys) for cause, keys in not_judged.items())}; {timing}" if word == "NOT JUDGED" else f"{word} {timing}"
    line = f"{head}: {', '.join(per_tier(scenarios)) or 'no scenario'} passed"
    unjudged = sum(len(keys) for keys in not_judged.values())
    if unjudged:
        line += f", {unjudged} not judged"
    failed = [requirement for requirement, outcome in not_passed.items() if outcome == FAILED]
    others = {requirement: outcome for requirement, outcome in not_passed.items() if outcome != FAILED}
    if failed:
        line += "; " + ", ".join(f"{requirement} failed" for requirement in failed)
    elif word == "NOT JUDGED":
        line += "; no requirement failed"
    declined = declined or {}
    only_declined = sorted({requirement for tags in declined.values() for requirement in tags} - requirements)
    line += f"; {len(requirements) - len(not_passed)} of {len(requirements) + len(only_declined)} requirements passed"
    if only_declined:
        line += f", {len(only_declined)} declined ({', '.join(only_declined)})"
    for outcome in (NOT_JUDGED, NOT_RUN):
        count = sum(1 for value in others.values() if value == outcome)
        if count:
            line += f", {count} {outcome}"
    if word == FAILED.upper() and not_judged:
        line += "; not judged: " + "; ".join(counted(cause, keys) for cause, keys in not_judged.items())
    differ = differing(scenarios)
    if differ:
        total = sum(1 for scenario in scenarios.values() if scenario.outcome == DIFFERS)
        line += (f"; {total} scenario{'s' if total != 1 else ''} differ{'s' if total == 1 else ''} from the seed's design: "
                 + ", ".join(f"{requirement} ({count})" for requirement, count in differ.items()))
    return line + (f"; {len(declined)} declined by the profile {profile} (not run, not passed)" if declined else "")
