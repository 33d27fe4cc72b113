"""Unit tests of fixtures/tiers.py: a tier without its prerequisite is skipped loudly, or fails in gate mode."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("suite_run", Path(__file__).parent / "data" / "suite" / "suite_run.py")
suite_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite_run)

IMAGE_TIER_MISSING = "tier 'image' did not run: no Docker engine answers"
FIX = "start one with scripts/install-docker.sh"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """FR-003 (image-tier scenarios only) with DOCKER_HOST where nothing listens, without and with --gate, side by side."""
    reports = tmp_path_factory.mktemp("tiers")
    return suite_run.run_side_by_side({
        gate_option: {"args": ["-m", "FR_003", "-q", gate_option, f"--report-dir={reports / gate_option}"],
                      "env": {"DOCKER_HOST": suite_run.NO_DOCKER}}
        for gate_option in ("--no-gate", "--gate")
    })


def test_without_a_docker_engine_image_scenarios_are_skipped_and_the_gate_reported_incomplete(runs):
    process = runs["--no-gate"]
    output = suite_run.output(process)

    assert process.returncode == 0, output
    assert "2 skipped" in process.stdout and "passed" not in process.stdout, output
    assert "tier 'image' cannot run: no Docker engine answers" in process.stdout, f"the skip reason is not shown:\n{output}"
    assert "ACCEPTANCE GATE INCOMPLETE" in process.stdout, output
    assert IMAGE_TIER_MISSING in process.stdout and FIX in process.stdout, f"the summary does not say why and how to fix it:\n{output}"


def test_in_gate_mode_a_missing_docker_engine_fails_the_run(runs):
    process = runs["--gate"]
    output = suite_run.output(process)

    assert process.returncode != 0, f"gate mode passed without a Docker engine:\n{output}"
    assert "2 errors" in process.stdout and " skipped" not in process.stdout.splitlines()[-1], f"the scenarios were not failed:\n{output}"
    assert "gate mode: tier 'image' is required but cannot run: no Docker engine answers" in process.stdout, output
    assert "ACCEPTANCE GATE INCOMPLETE" in process.stdout, output
