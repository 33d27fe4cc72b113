"""Every mutant of the catalog still applies to the reference deployment: an edit whose text the reference no longer
holds (a guide or chart line reworded since) would leave its mutant running the reference itself, found only at the
end of a long self-test. Checked here in seconds, on one copy of the reference per mutant."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.report.traceability import FEATURES_DIR, load_scenarios
from tests.mutants import test_mutants
from tests.mutants.catalog import MUTANTS
from tests.mutants.catalog.mutant import Mutant
from tests.mutants.conftest import missed_promise
from tests.mutants.test_mutants import copy_reference


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda mutant: mutant.name)
def test_the_mutant_still_applies_to_the_reference(mutant: Mutant, tmp_path: Path):
    root = copy_reference(tmp_path)
    for edit in mutant.edits:
        edit(root)  # StaleMutant names the file and the text it no longer holds


SCENARIOS = {scenario.key: scenario for scenario in load_scenarios(FEATURES_DIR)}


@pytest.mark.parametrize("mutant", [mutant for mutant in MUTANTS if mutant.breaks], ids=lambda mutant: mutant.name)
def test_a_mutant_of_one_promise_names_a_promise_of_every_scenario_it_kills(mutant: Mutant):
    """Its words must stand in a Then step (or an And or But after one) of each scenario it kills, placeholders filled
    in by any of the outline's rows; else the self-test would look for a failure at a step that is not there."""
    for key in mutant.kills:
        scenario = SCENARIOS[key.split("[", 1)[0]]
        rows = scenario.examples or ({},)
        texts = {fill(step.text, row) for step in scenario.steps if step.promise for row in rows}
        assert any(mutant.breaks in text for text in texts), f"{mutant.name}: no promise of {key} says {mutant.breaks!r}: {sorted(texts)}"


def fill(text: str, row: dict[str, str]) -> str:
    for name, value in row.items():
        text = text.replace(f"<{name}>", value)
    return text


def test_a_run_that_failed_its_scenarios_at_another_step_is_named():
    mutant = Mutant("one-promise", "a defect", ["f::a", "f::b"], [], breaks="the second promise")
    broken: dict[str, dict[str, object]] = {"f::a": {"text": "And the second promise holds"}, "f::b": {"text": "Then the first promise holds"}}
    assert missed_promise(mutant, broken) == {"f::b": "Then the first promise holds"}
    assert missed_promise(Mutant("any-step", "a defect", ["f::b"], []), broken) == {}


def test_a_mutant_that_failed_elsewhere_is_run_once_more_and_judged_by_that_run(tmp_path: Path, monkeypatch):
    """A Given that timed out on a loaded machine is not the mutant's promise: its second run decides, and is named."""
    mutant = Mutant("one-promise", "a defect", ["f::a"], [], breaks="the second promise")
    answers = iter(['{"f::a": {"text": "Then the second promise holds"}}', '{"f::a": {"text": "Given a page that timed out"}}'])

    def run(mutant: Mutant, directory: Path, config: object) -> dict[str, str]:
        (directory / "reports").mkdir(parents=True)
        (directory / "reports" / "failed_steps.json").write_text(next(answers))
        return {"f::a": "failed"}

    monkeypatch.setattr(test_mutants, "mutate_and_run", run)
    first = tmp_path / "first"
    first.mkdir()
    decided = test_mutants.run_again(mutant, first, {"f::a": "Given ..."}, first / "output.txt", None)
    assert decided == ({}, {}, tmp_path / "first-again" / "reports" / "output.txt")
    second = tmp_path / "second"
    second.mkdir()
    _, missed, _ = test_mutants.run_again(mutant, second, {"f::a": "Given ..."}, second / "output.txt", None)
    assert missed == {"f::a": "Given a page that timed out"}
