"""The promises page: each scenario's Then steps, and the mutants whose runs failed at each."""

from __future__ import annotations

import json

from acceptance.report import promises_page
from acceptance.report.traceability import FEATURES_DIR, load_scenarios, parse_feature
from tests.mutants.catalog import MUTANTS

FEATURE = """@cluster
Feature: V-6 Self-healing
  Scenario Outline: a deleted <component> pod is replaced
    When the "<component>" pod is deleted
    Then a new "<component>" pod should be Ready
    And the "<component>" Service should answer again
    But nothing else should restart

    Examples:
      | component |
      | backend   |
"""


def test_the_outcome_steps_are_the_promises():
    steps = parse_feature(FEATURE, "cluster/v6.feature")[0].steps

    assert [(step.keyword, step.promise) for step in steps] == [("When", False), ("Then", True), ("And", True), ("But", True)]


def test_each_promise_names_the_mutants_that_failed_at_it_or_why_none_does():
    scenarios = tuple(parse_feature(FEATURE, "cluster/v6.feature"))
    key = "cluster/v6.feature::a deleted <component> pod is replaced"
    broken = {"slow": {f"{key}[backend]": {"line": 99, "text": 'And the "backend" Service should answer again'}},  # a line since moved
              "no-install": {f"{key}[backend]": {"line": 4, "text": 'When the "backend" pod is deleted'}}}

    record = promises_page.record_of(scenarios, broken)
    page = promises_page.render(scenarios, record, {"slow": "the Service answers late"},
                                {(key, "nothing else should restart"): "no deployment restarts what it does not own"})

    assert record == {key: {'the "<component>" Service should answer again': ["slow[backend]"], "": ["no-install[backend]"]}}
    assert '| And the "&lt;component&gt;" Service should answer again | `slow[backend]` |' in page
    assert '| Then a new "&lt;component&gt;" pod should be Ready | **none yet** |' in page
    assert "| But nothing else should restart | no mutant: no deployment restarts what it does not own |" in page
    assert "Failed before its promises (at a Given or When): `no-install[backend]`" in page
    assert promises_page.counts(scenarios, record) == (3, 1)


def test_a_mutant_run_again_replaces_its_earlier_credits_and_keeps_the_others():
    old = {"s": {"a promise": ["moved[backend]", "kept"], "another": ["moved[frontend]"]}}
    new = {"s": {"": ["moved[backend]"]}}

    assert promises_page.merged(old, new, {"moved"}) == {"s": {"a promise": ["kept"], "": ["moved[backend]"]}}


# The committed record: every promise of the features is broken by a mutant of the catalog, or says why none does.
SCENARIOS = load_scenarios(FEATURES_DIR)
RECORD = json.loads(promises_page.RECORD.read_text())
EXCUSES = promises_page.load_excuses()
PROMISES = {(scenario.key, step.text): f"{scenario.key}: {step.keyword} {step.text}" for scenario in SCENARIOS for step in scenario.steps if step.promise}
CREDITED = {(key, text) for key, promises in RECORD["promises"].items() for text, names in promises.items() if text and names}


def test_every_promise_is_broken_by_a_mutant_or_says_why_none_does():
    missing = [shown for promise, shown in PROMISES.items() if promise not in CREDITED and promise not in EXCUSES]
    assert not missing, ("no mutant breaks these promises and docs/promises-unbroken.yaml says nothing of them: add a mutant "
                         "(tests/mutants/catalog) and merge its run into docs/promises.json, or say why none can:\n" + "\n".join(missing))


def test_every_reason_names_a_promise_that_no_mutant_breaks():
    unknown = [f"{key}: {text}" for key, text in EXCUSES if (key, text) not in PROMISES]
    stale = [f"{key}: {text}" for key, text in EXCUSES if (key, text) in CREDITED]
    assert not unknown, "docs/promises-unbroken.yaml names promises no scenario makes:\n" + "\n".join(unknown)
    assert not stale, "docs/promises-unbroken.yaml excuses promises a mutant breaks (docs/promises.json): remove them:\n" + "\n".join(stale)


def test_the_record_credits_the_features_promises_to_the_catalogs_mutants():
    catalog = {mutant.name for mutant in MUTANTS}
    strangers = sorted(promises_page.credited(RECORD["promises"]) - catalog)
    gone = sorted(f"{key}: {text}" for key, text in CREDITED if (key, text) not in PROMISES)
    assert not strangers, f"docs/promises.json credits mutants the catalog no longer has: {strangers}"
    assert not gone, "docs/promises.json credits promises no scenario makes (reworded? rename them there):\n" + "\n".join(gone)


def test_docs_promises_md_is_the_record_rendered():
    page = promises_page.render(SCENARIOS, RECORD["promises"], RECORD["defects"], EXCUSES)
    assert (promises_page.RECORD.parent / "promises.md").read_text() == page, f"docs/promises.md is stale: run {promises_page.REGENERATE}"
