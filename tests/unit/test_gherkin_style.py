"""The spec reads as one behaviour per scenario: Given context, When one action, Then outcomes (no When after a Then)."""

from __future__ import annotations

from pathlib import Path

FEATURES = Path(__file__).resolve().parents[2] / "features"
STARTS = ("Scenario:", "Scenario Outline:", "Background:", "Examples:", "Rule:")


def actions_after_outcomes(text: str) -> list[str]:
    """The titles of scenarios in a feature's text where a When step follows a Then step."""
    found, title, outcome_seen = [], None, False
    for line in (raw.strip() for raw in text.splitlines()):
        if line.startswith(STARTS):
            title, outcome_seen = line, False
        elif line.startswith("Then "):
            outcome_seen = True
        elif line.startswith("When ") and outcome_seen and title not in found:
            found.append(title)
    return found


def test_a_when_after_a_then_is_found():
    text = "Scenario: two behaviours\n  When a\n  Then b\n  When c\n  Then d\nScenario: one\n  When a\n  Then b\n"
    assert actions_after_outcomes(text) == ["Scenario: two behaviours"]


def test_every_scenario_checks_one_behaviour():
    offenders = {str(path.relative_to(FEATURES)): titles for path in sorted(FEATURES.rglob("*.feature"))
                 if (titles := actions_after_outcomes(path.read_text()))}
    assert not offenders, f"scenarios with a When after a Then (split them, one behaviour each): {offenders}"
