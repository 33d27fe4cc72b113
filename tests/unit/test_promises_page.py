"""The promises page: each scenario's Then steps, and the mutants whose runs failed at each."""

from __future__ import annotations

from acceptance.report import promises_page
from acceptance.report.traceability import parse_feature

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


def test_each_promise_names_the_mutants_that_failed_at_it_and_the_others_are_marked():
    scenarios = tuple(parse_feature(FEATURE, "cluster/v6.feature"))
    broken = {"slow": {"cluster/v6.feature::a deleted <component> pod is replaced[backend]": {"line": 6, "text": "And ..."}},
              "no-install": {"cluster/v6.feature::a deleted <component> pod is replaced[backend]": {"line": 4, "text": "When ..."}}}

    page = promises_page.render(scenarios, broken, {"slow": "the Service answers late"})

    assert '| And the "&lt;component&gt;" Service should answer again | `slow[backend]` |' in page
    assert '| Then a new "&lt;component&gt;" pod should be Ready | **none yet** |' in page
    assert "Failed before its promises (at a Given or When): `no-install[backend]`" in page
    assert promises_page.counts(scenarios, broken) == (3, 1)
