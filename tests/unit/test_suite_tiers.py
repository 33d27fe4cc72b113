"""Unit tests of fixtures/tiers.py: a tier without its prerequisite is skipped loudly, or fails in gate mode."""

from __future__ import annotations


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
        "SKIPPED [[]2] *: tier 'image' cannot run: no Docker engine answers*",  # the skip reason, in the short summary
    ])


def test_without_no_gate_a_skipped_tier_fails_the_exit_status(suite):
    result = suite.run("-m", "FR_003", "-q")

    assert result.ret == 1, "a default run with a skipped tier exited 0"
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*ACCEPTANCE GATE INCOMPLETE*", "*the run exits 1*--no-gate*"])


def test_in_gate_mode_a_missing_docker_engine_fails_the_run(suite):
    result = run_fr_003(suite, "--gate")

    assert result.ret != 0, "gate mode passed without a Docker engine"
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines([
        "*gate mode: tier 'image' is required but cannot run: no Docker engine answers*",
        "*ACCEPTANCE GATE INCOMPLETE*",
    ])



def test_scenarios_run_fastest_tier_first_whatever_the_collection_order(suite):
    """features/images (with FR-002's image scenarios) is collected before features/chart (static): static still comes first."""
    result = suite.run("--collect-only", "-q", "-m", "FR_002 or FR_005", "--no-gate")
    order = [line.split("::", 1)[1] for line in result.stdout.lines if line.startswith("steps/")]

    static, image, cluster = ("test_the_chart_is_named_and_versioned", "test_the_component_image_runs_as_user[frontend-(profile)-nginx]",
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


def test_in_gate_mode_a_missing_chromium_fails_the_browser_scenarios(suite, monkeypatch):
    monkeypatch.setenv("TODO_CHATBOT_CHROMIUM", "/nonexistent/chromium")
    result = suite.run("-m", "browser and image", "-q", "--gate")

    assert result.ret != 0, "gate mode passed without a browser"
    result.assert_outcomes(errors=7)
    result.stdout.fnmatch_lines(["*gate mode: tier '*' is required but cannot run*", "*tier 'browser' did not run*"])
