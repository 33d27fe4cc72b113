"""Unit tests of fixtures/guard.py on a throwaway copy of the suite: a missing step or an unbound feature fails collection."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("suite_run", Path(__file__).parent / "data" / "suite" / "suite_run.py")
suite_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite_run)

USAGE_ERROR = pytest.ExitCode.USAGE_ERROR

UNDEFINED_FEATURE = """\
@FR_001 @static
Feature: FR-001 a requirement whose step nobody wrote
  The guard must refuse to collect a scenario it cannot run.

  Scenario: a step without a definition
    Given the "backend" Dockerfile
    Then it should be checked by a step nobody has written yet
"""

BINDING = 'scenarios("images", "chart", "delivery", "cluster")'


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """Collection of two changed copies of the suite, run side by side: one with an undefined step, one with unbound features."""
    workspace = tmp_path_factory.mktemp("guard")
    undefined_step = suite_run.copy_suite(workspace / "undefined-step")
    (undefined_step / "features" / "images" / "zz_undefined_step.feature").write_text(UNDEFINED_FEATURE)
    unbound = suite_run.copy_suite(workspace / "unbound")
    binder = unbound / "steps" / "test_acceptance.py"
    source = binder.read_text()
    assert BINDING in source, f"steps/test_acceptance.py no longer binds with {BINDING}; adapt this test:\n{source}"
    binder.write_text(source.replace(BINDING, 'scenarios("images")'))
    collect = ["--collect-only", "-q", "--no-gate", f"--project-root={suite_run.REPOSITORY}", f"--report-dir={workspace / 'reports'}"]
    no_docker = {"DOCKER_HOST": suite_run.NO_DOCKER}
    processes = suite_run.run_side_by_side({copy.name: {"args": collect, "cwd": copy, "env": no_docker} for copy in (undefined_step, unbound)})
    return {"copies": {"undefined-step": undefined_step, "unbound": unbound}, **processes}


def test_a_step_without_a_definition_fails_collection_naming_the_step(runs):
    process = runs["undefined-step"]

    assert process.returncode == USAGE_ERROR, suite_run.output(process)
    assert "steps without a definition (add them under steps/)" in process.stderr, suite_run.output(process)
    assert "Then it should be checked by a step nobody has written yet" in process.stderr, suite_run.output(process)
    assert 'the "backend" Dockerfile' not in process.stderr, f"a defined step was reported as undefined:\n{suite_run.output(process)}"


def test_a_feature_file_bound_to_no_test_fails_collection_naming_it(runs):
    process = runs["unbound"]
    suite_copy = runs["copies"]["unbound"]

    assert process.returncode == USAGE_ERROR, suite_run.output(process)
    assert "feature files not bound to any test (bind them in steps/test_acceptance.py)" in process.stderr, suite_run.output(process)
    assert str(suite_copy / "features" / "chart" / "fr005_chart.feature") in process.stderr, suite_run.output(process)
    assert "fr001_multi_stage.feature" not in process.stderr, f"a bound feature was listed as unbound:\n{suite_run.output(process)}"

