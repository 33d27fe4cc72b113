"""The report's verdict line: one failure fails it, a skipped or unrun scenario leaves it incomplete, never passed."""

from __future__ import annotations

from acceptance.verdict import Scenario, summary, verdict

PASSING = {
    "chart/fr007.feature::schema": Scenario("passed", "static", ("FR-007",)),
    "images/fr003.feature::size[backend]": Scenario("passed", "image", ("FR-003",)),
    "cluster/v6.feature::replaced[backend]": Scenario("passed", "cluster", ("V-6",)),
}


def test_every_scenario_passed_is_a_pass_with_counts_per_tier():
    assert summary(PASSING, 552) == "PASSED in 9 min 12 s: static 1/1, image 1/1, cluster 1/1 passed; 3 of 3 requirements passed"


def test_one_failed_scenario_fails_the_verdict_and_names_its_requirement():
    scenarios = {**PASSING, "images/fr003.feature::size[frontend]": Scenario("failed", "image", ("FR-003",))}
    assert summary(scenarios, 60) == "FAILED in 1 min 0 s: static 1/1, image 1/2, cluster 1/1 passed; FR-003 failed; 2 of 3 requirements passed"


def test_a_skipped_tier_is_incomplete_not_passed():
    scenarios = {**PASSING, "cluster/v6.feature::replaced[backend]": Scenario("skipped", "cluster", ("V-6",))}
    assert verdict(scenarios) == "INCOMPLETE"
    assert "V-6 skipped" in summary(scenarios, 1)


def test_no_scenario_is_no_pass():
    assert verdict({}) == "INCOMPLETE"
