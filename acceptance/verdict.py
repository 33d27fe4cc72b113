"""The verdict a person reads first: passed, failed or incomplete, per tier and per requirement, and the time taken."""

from __future__ import annotations

import dataclasses

from acceptance.names import TIERS


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One scenario's outcome (passed, failed, skipped, not run), tier and requirement tags (FR-001, V-6, ...)."""

    outcome: str
    tier: str
    requirements: tuple[str, ...]


def verdict(scenarios: dict[str, Scenario]) -> str:
    """PASSED when every scenario passed, FAILED when one failed, INCOMPLETE when one was skipped or not run."""
    outcomes = {scenario.outcome for scenario in scenarios.values()}
    if "failed" in outcomes:
        return "FAILED"
    return "PASSED" if scenarios and outcomes == {"passed"} else "INCOMPLETE"


def per_tier(scenarios: dict[str, Scenario]) -> list[str]:
    """'static 63/63' for each tier that has scenarios: passed of all."""
    parts = []
    for tier in TIERS:
        mine = [scenario for scenario in scenarios.values() if scenario.tier == tier]
        if mine:
            parts.append(f"{tier} {sum(scenario.outcome == 'passed' for scenario in mine)}/{len(mine)}")
    return parts


def requirements_not_passed(scenarios: dict[str, Scenario]) -> dict[str, str]:
    """Requirement -> its worst outcome, for the requirements with a scenario that did not pass."""
    rank = {"passed": 0, "skipped": 1, "not run": 2, "failed": 3}
    worst: dict[str, str] = {}
    for scenario in scenarios.values():
        for requirement in scenario.requirements:
            if rank[scenario.outcome] > rank[worst.get(requirement, "passed")]:
                worst[requirement] = scenario.outcome
    return dict(sorted(worst.items()))


def summary(scenarios: dict[str, Scenario], seconds: float, declined: int = 0, profile: str = "") -> str:
    """One line: 'FAILED in 9 min 12 s: static 63/63, image 21/22, cluster 36/36 passed; FR-003 failed; 21 of 22 requirements passed',
    then how many scenarios the profile declined (they are not in the counts: not run, not passed)."""
    requirements = {requirement for scenario in scenarios.values() for requirement in scenario.requirements}
    not_passed = requirements_not_passed(scenarios)
    line = f"{verdict(scenarios)} in {int(seconds // 60)} min {int(seconds % 60)} s: {', '.join(per_tier(scenarios)) or 'no scenario'} passed"
    if not_passed:
        line += "; " + ", ".join(f"{requirement} {outcome}" for requirement, outcome in not_passed.items())
    line += f"; {len(requirements) - len(not_passed)} of {len(requirements)} requirements passed"
    return line + (f"; {declined} declined by the profile {profile} (not run, not passed)" if declined else "")
