"""Unit tests of fixtures/tiers.py: a tier without its prerequisite leaves its scenarios not judged, loudly, and the
run's exit status says the gate could not run (6), never that the deployment failed (1)."""

from __future__ import annotations

import json

import pytest

from acceptance.core.outcome import NOT_JUDGED_EXIT


def run_fr_003(suite, gate_option: str):
    """FR-003 (image-tier scenarios only) with DOCKER_HOST where nothing listens (the suite fixture sets it)."""
    return suite.run("-m", "FR_003", "-q", gate_option)


def test_without_a_docker_engine_image_scenarios_are_skipped_and_the_gate_reported_incomplete(suite):
    result = run_fr_003(suite, "--no-gate")

    assert result.ret == 0
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines([
        "*ACCEPTANCE GATE INCOMPLETE*",
        "tier 'image' did not run: no Docker engine answers*start one with scripts/install-docker.sh*",
        ("Verdict: NOT JUDGED: tier 'image' cannot run: no Docker engine answers* (2 scenarios); in * image 0/2 passed, 2 not judged; "
         "no requirement failed; 0 of 1 requirements passed, 1 not judged"),
        "not judged: tier 'image' cannot run: no Docker engine answers*: 2 scenarios",
        # the skip reason, in the short summary
        "SKIPPED [[]2] features/images/fr003_image_size.feature:*: not judged: tier 'image' cannot run: no Docker engine answers*",
    ])


@pytest.mark.parametrize("gate_option", ["--gate", "--no-gate", None], ids=["gate", "no-gate", "default"])
def test_a_missing_tier_is_not_judged_never_failed(suite, gate_option):
    """The same outcome in every mode, in every report: a skip with its cause, never a failure or an error."""
    result = suite.run("-m", "FR_003", "-q", *([gate_option] if gate_option else []))

    result.assert_outcomes(skipped=2)
    assert result.ret == (0 if gate_option == "--no-gate" else NOT_JUDGED_EXIT), "a run with scenarios not judged exited as if it failed or passed"
    if gate_option != "--no-gate":
        result.stdout.fnmatch_lines(["*ACCEPTANCE GATE INCOMPLETE*", f"*the run exits {NOT_JUDGED_EXIT} (nothing failed*--no-gate*"])
    reports = suite.report_dir
    assert set(json.loads((reports / "scenarios.json").read_text()).values()) == {"not judged"}
    junit = (reports / "junit.xml").read_text()
    assert junit.count("<skipped") == 2 and "<failure" not in junit and "<error" not in junit, junit
    cucumber = json.loads((reports / "cucumber.json").read_text())
    elements = [element for feature in cucumber for element in feature["elements"]]
    assert len(elements) == 2 and {step["result"]["status"] for element in elements for step in element["steps"]} == {"skipped"}, cucumber
    causes = json.loads((reports / "causes.json").read_text())
    assert [(cause.split(":")[0], value["outcome"], len(value["scenarios"])) for cause, value in causes.items()] == [
        ("tier 'image' cannot run", "not judged", 2)], "one cause, shown once, with the two scenarios it stopped"



def test_scenarios_run_fastest_tier_first_whatever_the_collection_order(suite):
    """features/images (with FR-002's image scenarios) is collected before features/chart (static): static still comes first."""
    result = suite.run("--collect-only", "-q", "-m", "FR_002 or FR_005", "--no-gate")
    order = [line.split("::", 1)[1] for line in result.stdout.lines if line.startswith("steps/")]

    static, image, cluster = ("test_the_chart_is_named_and_versioned", "test_the_component_images_processes_run_as_a_nonroot_user[frontend]",
                              "test_the_release_runs_in_a_namespace_that_enforces_restricted")
    assert all(name in order for name in (static, image, cluster)), "\n".join(order)
    assert order.index(static) < order.index(image) < order.index(cluster), "\n".join(order)


def test_without_chromium_browser_scenarios_are_skipped_and_the_gate_names_the_browser(suite, monkeypatch):
    monkeypatch.setenv("TODO_CHATBOT_CHROMIUM", "/nonexistent/chromium")
    result = suite.run("-m", "browser and image", "-q", "--no-gate")

    assert result.ret == 0
    result.assert_outcomes(skipped=7)
    result.stdout.fnmatch_lines([
        "*ACCEPTANCE GATE INCOMPLETE*",
        "tier 'browser' did not run: $TODO_CHATBOT_CHROMIUM=/nonexistent/chromium is not executable: run `make setup`*",
    ])


def test_in_gate_mode_a_missing_chromium_leaves_the_browser_scenarios_not_judged(suite, monkeypatch):
    monkeypatch.setenv("TODO_CHATBOT_CHROMIUM", "/nonexistent/chromium")
    result = suite.run("-m", "browser and image", "-q", "--gate")

    assert result.ret == NOT_JUDGED_EXIT, "gate mode passed without a browser, or blamed the deployment"
    result.assert_outcomes(skipped=7)
    result.stdout.fnmatch_lines(["*tier 'browser' did not run*", "Verdict: NOT JUDGED: tier '*' cannot run*",
                                 "SKIPPED [[]1] features/images/*.feature:*: not judged: tier '*' cannot run*"])
