"""The report's verdict line: one failure fails it; a scenario not judged makes it NOT JUDGED with its cause, never
FAILED; one that did not run leaves it incomplete; never passed."""

from __future__ import annotations

from acceptance.report.verdict import Scenario, causes, summary, verdict

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


def test_a_scenario_not_judged_names_its_cause_and_no_failed_requirement():
    stopped = "the local cluster did not start: kube-router exited"
    scenarios = {**PASSING, "cluster/v6.feature::replaced[backend]": Scenario("not judged", "cluster", ("V-6",), stopped),
                 "cluster/v1.feature::ready": Scenario("not judged", "cluster", ("V-1", "FR-002"), stopped)}
    assert verdict(scenarios) == "NOT JUDGED"
    assert summary(scenarios, 834) == (
        "NOT JUDGED: the local cluster did not start: kube-router exited (2 scenarios); in 13 min 54 s: static 1/1, image 1/1, "
        "cluster 0/2 passed, 2 not judged; no requirement failed; 2 of 5 requirements passed, 3 not judged")


def test_a_failure_beside_scenarios_not_judged_fails_and_lists_the_cause_apart():
    scenarios = {**PASSING, "images/fr003.feature::size[frontend]": Scenario("failed", "image", ("FR-003",), "too big"),
                 "cluster/v6.feature::replaced[backend]": Scenario("not judged", "cluster", ("V-6",), "no cluster")}
    assert summary(scenarios, 60) == ("FAILED in 1 min 0 s: static 1/1, image 1/2, cluster 0/1 passed, 1 not judged; FR-003 failed; "
                                      "1 of 3 requirements passed, 1 not judged; not judged: no cluster (1 scenario)")


def test_a_scenario_that_did_not_run_is_incomplete_not_passed():
    scenarios = {**PASSING, "cluster/v6.feature::replaced[backend]": Scenario("not run", "cluster", ("V-6",))}
    assert verdict(scenarios) == "INCOMPLETE"
    assert "2 of 3 requirements passed, 1 not run" in summary(scenarios, 1)


def test_causes_group_scenarios_most_first():
    scenarios = {"a": Scenario("not judged", "cluster", (), "x"), "b": Scenario("not judged", "cluster", (), "y"),
                 "c": Scenario("not judged", "cluster", (), "y"), "d": Scenario("failed", "cluster", (), "y")}
    assert causes(scenarios, "not judged") == {"y": ["b", "c"], "x": ["a"]}


def test_no_scenario_is_no_pass():
    assert verdict({}) == "INCOMPLETE"


def test_a_scenario_that_differs_from_the_seed_passes_the_verdict_and_is_listed_apart():
    differing = {**PASSING, "chart/fr011.feature::seed's surge[frontend]": Scenario("differs", "static", ("FR-011",), "maxSurge 2")}
    assert verdict(differing) == "PASSED"
    assert summary(differing, 60) == ("PASSED in 1 min 0 s: static 1/2, image 1/1, cluster 1/1 passed; 4 of 4 requirements passed; "
                                      "1 scenario differs from the seed's design: FR-011 (1)")


def test_a_difference_from_the_seed_never_hides_a_failure():
    scenarios = {**PASSING, "chart/fr011.feature::seed's surge[frontend]": Scenario("differs", "static", ("FR-011",), "maxSurge 2"),
                 "chart/fr011.feature::rolling[backend]": Scenario("failed", "static", ("FR-011",), "Recreate")}
    assert verdict(scenarios) == "FAILED"
    assert "FR-011 failed" in summary(scenarios, 60)
