"""Unit tests of fixtures/guard.py on a throwaway copy of the suite: a missing step or an unbound feature fails collection."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


def collect(suite, copy: Path) -> pytest.RunResult:
    return suite.run("--collect-only", "-q", "--no-gate", f"--project-root={ROOT}", root=copy)


def test_a_step_without_a_definition_fails_collection_naming_the_step(suite):
    copy = suite.copy("undefined-step")
    (copy / "features" / "images" / "zz_undefined_step.feature").write_text(UNDEFINED_FEATURE)

    result = collect(suite, copy)

    assert result.ret == USAGE_ERROR
    result.stderr.fnmatch_lines(["*steps without a definition (add them under steps/)*",
                                 "*: Then it should be checked by a step nobody has written yet"])
    result.stderr.no_fnmatch_line('*the "backend" Dockerfile*')


def test_a_feature_file_bound_to_no_test_fails_collection_naming_it(suite):
    copy = suite.copy("unbound")
    binder = copy / "steps" / "test_acceptance.py"
    source = binder.read_text()
    assert BINDING in source, f"steps/test_acceptance.py no longer binds with {BINDING}; adapt this test:\n{source}"
    binder.write_text(source.replace(BINDING, 'scenarios("images")'))

    result = collect(suite, copy)

    assert result.ret == USAGE_ERROR
    result.stderr.fnmatch_lines(["*feature files not bound to any test (bind them in steps/test_acceptance.py)*",
                                 f"*{copy / 'features' / 'chart' / 'fr005_chart.feature'}"])
    result.stderr.no_fnmatch_line("*fr001_multi_stage.feature*")
