"""The CI pipelines in ci/ a user copies: linted by the field's own tools, and running the README's gate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from acceptance.core.run import run
from acceptance.lint import linters

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / "ci" / "github" / "acceptance.yml"
GITLAB = ROOT / "ci" / "gitlab" / "acceptance.gitlab-ci.yml"
FIX = "run `make unit` (it builds actionlint with scripts/install-actionlint.sh and installs check-jsonschema into .venv)"


def lint(tool: str, *arguments: str):
    found = linters.binary(tool)
    assert found, f"{tool} not found: {FIX}"
    return run([found, *arguments], timeout=120, cwd=ROOT)


def test_the_github_workflow_passes_actionlint():
    outcome = lint("actionlint", "-no-color", str(GITHUB))
    assert outcome.ok, outcome.describe()


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "vendor.github-workflows"), (GITLAB, "vendor.gitlab-ci")], ids=["github", "gitlab"])
def test_the_pipeline_matches_its_platforms_schema(path: Path, schema: str):
    outcome = lint("check-jsonschema", "--builtin-schema", schema, str(path))
    assert outcome.ok, outcome.describe()


@pytest.mark.parametrize(("tool", "schema"), [("actionlint", None), ("check-jsonschema", "vendor.github-workflows")])
def test_the_linters_reject_a_broken_workflow(tmp_path: Path, tool: str, schema: str | None):
    """The lint above can fail: a job without runs-on and with a misspelt key is refused."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  gate:\n    stepz:\n      - run: make acceptance\n")
    outcome = lint(tool, *(["--builtin-schema", schema] if schema else ["-no-color"]), str(broken))
    assert not outcome.ok, f"{tool} accepted a broken workflow:\n{outcome.describe()}"


def test_the_gitlab_schema_rejects_a_broken_job(tmp_path: Path):
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text("acceptance:\n  script: make acceptance\n  artifacts:\n    when: sometimes\n")
    assert not lint("check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(broken)).ok


def _commands(text: str) -> str:
    return " ".join(re.findall(r"make acceptance[^\n\"]*\"[^\"]*\"|make acceptance[^\n]*", text))


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_the_pipeline_runs_the_gate_and_publishes_its_reports(path: Path):
    text = path.read_text()
    assert "--gate" in _commands(text), f"{path.name} does not run `make acceptance` in gate mode: {_commands(text)!r}"
    for report in ("reports/junit.xml", "reports/acceptance.html"):
        assert report in text or (report == "reports/acceptance.html" and "path: reports/" in text), f"{path.name} does not publish {report}"


def test_the_gitlab_job_keeps_its_reports_when_the_gate_fails():
    job = yaml.safe_load(GITLAB.read_text())["acceptance"]
    assert job["artifacts"]["when"] == "always" and job["artifacts"]["reports"]["junit"] == "reports/junit.xml", job["artifacts"]


def test_the_github_workflow_publishes_its_reports_when_the_gate_fails():
    steps = yaml.safe_load(GITHUB.read_text())["jobs"]["gate"]["steps"]
    publishing = [step for step in steps if "upload-artifact" in step.get("uses", "") or "junit" in step.get("uses", "")]
    assert len(publishing) == 2 and all(step.get("if") == "always()" for step in publishing), publishing


def test_the_readme_shows_how_to_use_both_pipelines():
    readme = (ROOT / "README.md").read_text()
    for line in ("cp ci/github/acceptance.yml .github/workflows/acceptance.yml", "local: ci/gitlab/acceptance.gitlab-ci.yml"):
        assert line in readme, f"the README does not show: {line}"
