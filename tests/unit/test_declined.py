"""A profile declines scenarios beyond the seed by name: they are not run, not passed, and listed apart; the seed's cannot be."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from acceptance.report.verdict import Scenario, summary
from fixtures import reporting

ROOT = Path(__file__).resolve().parents[2]


def profile_declining(workspace: Path, *entries: str) -> Path:
    data = yaml.safe_load((ROOT / "profiles" / "reference.yaml").read_text())
    data["root"] = os.path.relpath(ROOT, workspace)
    data["declined"] = [{"scenario": entry, "reason": "not offered here"} for entry in entries]
    path = workspace / "profile.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_declined_scenarios_are_reported_apart_and_never_as_passed(suite):
    profile = profile_declining(suite.workspace, "chart/network_policy.feature",
                                "chart/fr006_flat_values.feature::every key in values.yaml is documented")

    result = suite.run("-m", "static and (FR_006 or FR_005)", "--no-gate", f"--profile={profile}")

    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["*Verdict: PASSED*; 11 declined by the profile reference (not run, not passed)*",
                                 "*declined by the profile (not run, not passed)*",
                                 "chart/fr006_flat_values.feature::every key in values.yaml is documented: not offered here"])
    outcomes = json.loads((suite.workspace / "reports" / "scenarios.json").read_text())
    assert outcomes["chart/fr006_flat_values.feature::every key in values.yaml is documented"] == "declined"
    assert outcomes["chart/fr006_flat_values.feature::values.yaml is flat"] == "passed"


def test_a_seed_scenario_cannot_be_declined(suite):
    profile = profile_declining(suite.workspace, "chart/fr006_flat_values.feature")

    result = suite.run("--collect-only", "-q", "--no-gate", f"--profile={profile}")

    assert result.ret == 4, result.stdout.str()
    result.stderr.fnmatch_lines(["*declines 'chart/fr006_flat_values.feature::values.yaml is flat': it checks a requirement of the seed*"])


def test_a_declined_name_must_name_a_scenario(suite):
    profile = profile_declining(suite.workspace, "chart/nothing.feature::no such scenario")

    result = suite.run("--collect-only", "-q", "--no-gate", f"--profile={profile}")

    assert result.ret == 4 and "which names no scenario" in result.stderr.str(), result.stderr.str()


def test_the_verdict_ignores_declined_scenarios_and_says_how_many():
    scenarios = {"a": Scenario("passed", "static", ("FR-006",))}
    declined = {"b": ("FR-006",), "c": (), "d": ()}

    assert summary(scenarios, 5, declined=declined, profile="second").startswith("PASSED in 0 min 5 s: static 1/1 passed")
    assert summary(scenarios, 5, declined=declined, profile="second").endswith("; 3 declined by the profile second (not run, not passed)")


def test_a_requirement_only_declined_scenarios_check_is_declined_never_passed():
    """A profile that declines every scenario of a requirement must not shrink the count to what it kept."""
    scenarios = {"a": Scenario("passed", "static", ("FR-006",))}

    line = summary(scenarios, 5, declined={"b": ("FR-005",), "c": ("FR-005", "FR-006")}, profile="second")

    assert "; 1 of 2 requirements passed, 1 declined (FR-005);" in line, line


def test_a_run_counts_only_the_declined_scenarios_of_the_tiers_it_judged():
    """An image-only run declines no cluster scenario: its verdict must not call FR-005's lifecycle declined."""
    found = {"a": Scenario("passed", "image", ("FR-002",))}
    declined = {"lifecycle": (("cluster",), ("FR-005",)), "browser": (("image",), ())}

    assert reporting.declined_in_run(declined, found) == {"browser": ()}
