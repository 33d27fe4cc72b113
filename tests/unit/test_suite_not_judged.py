"""The three outcomes kept apart: a cluster the suite cannot use leaves its scenarios not judged, never failed, in
every report; one cause is shown once; a failed row starts with the suite's own message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from data.cluster.fakes import kubeconfig_for  # tests/unit is on sys.path

from acceptance.core.outcome import NOT_JUDGED_EXIT, NotJudged
from acceptance.core.timeouts import Timeouts
from acceptance.report.verdict import Scenario, summary
from fixtures.images import docker_client

ROOT = Path(__file__).resolve().parents[2]

def test_an_unreachable_cluster_leaves_its_scenarios_not_judged_and_names_no_failed_requirement(suite):
    kubeconfig = suite.workspace / "kubeconfig"
    kubeconfig.write_text(kubeconfig_for("https://127.0.0.1:1"))

    result = suite.run("-m", "cluster and V_1", "-q", "--cluster", "existing", f"--kubeconfig={kubeconfig}")

    assert result.ret == NOT_JUDGED_EXIT, "a cluster the suite could not reach was reported as the deployment failing (or passing)"
    outcomes = json.loads((suite.report_dir / "scenarios.json").read_text())
    assert outcomes and set(outcomes.values()) == {"not judged"}, outcomes
    verdict = next(line for line in result.stdout.lines if line.startswith("Verdict: "))
    assert verdict.startswith("Verdict: NOT JUDGED: the existing cluster is unreachable (kubeconfig "), verdict
    assert " failed" not in verdict.replace("no requirement failed", ""), f"the verdict names a failed requirement: {verdict}"
    junit = ElementTree.parse(suite.report_dir / "junit.xml").getroot()
    assert len(junit.findall(".//skipped")) == len(outcomes) and not junit.findall(".//failure") and not junit.findall(".//error")
    cucumber = json.loads((suite.report_dir / "cucumber.json").read_text())
    elements = [element for feature in cucumber for element in feature["elements"]]
    statuses = {step["result"]["status"] for element in elements for step in element["steps"]}
    assert len(elements) == len(outcomes) and "skipped" in statuses and "failed" not in statuses, f"Cucumber JSON disagrees: {statuses}"
    assert json.loads((suite.report_dir / "verdict.json").read_text())["verdict"] == "NOT JUDGED"
    causes = json.loads((suite.report_dir / "causes.json").read_text())
    (only_cause,) = causes.values()
    assert only_cause["outcome"] == "not judged" and sorted(only_cause["scenarios"]) == sorted(outcomes), causes


def test_one_cause_is_counted_once_in_the_verdict():
    scenarios = {f"cluster/v{number}.feature::s": Scenario("not judged", "cluster", (f"V-{number}",), "kube-router exited") for number in range(1, 8)}
    assert summary(scenarios, 1).startswith("NOT JUDGED: kube-router exited (7 scenarios); in 0 min 1 s: cluster 0/7 passed, 7 not judged; "
                                            "no requirement failed; 0 of 7 requirements passed, 7 not judged")


def test_a_failed_row_starts_with_the_suites_own_message_and_keeps_the_traceback_apart(suite):
    chart = suite.workspace / "todo-chatbot"
    shutil.copytree(ROOT / "helm" / "todo-chatbot", chart)
    (chart / "Chart.yaml").write_text((chart / "Chart.yaml").read_text().replace("version: 1.0.0", "version: '0.9'"))

    result = suite.run("-m", "static and FR_005", "-q", "-k", "named_and_versioned", f"--chart-dir={chart}")

    assert result.ret == 1, "a chart whose version is not SemVer did not fail the run"
    failure = result.stdout.str().split("= FAILURES =", 1)[1].split("short test summary", 1)[0]
    body = failure.split("\n", 2)[2].lstrip()  # below the row's title line
    assert "version '0.9' is not SemVer" in body.splitlines()[0], f"the row does not start with the suite's message:\n{failure}"
    assert "pytest_bdd" not in failure and "_pytest" not in failure, f"pytest's or pytest-bdd's frames above the message:\n{failure}"
    traceback = next((suite.report_dir / "evidence").rglob("traceback-call.txt")).read_text()
    assert "_pytest" in traceback and "'0.9'" in traceback, "the full traceback was not kept"
    assert "&lt;summary&gt;traceback (call)&lt;/summary&gt;" in (suite.report_dir / "acceptance.html").read_text(), "no collapsed traceback in the HTML report"


def test_a_docker_engine_that_does_not_answer_leaves_a_cluster_scenario_not_judged(monkeypatch):
    """The cluster tier builds the images it loads: without an engine its scenarios are not judged (the image tier is
    gated before it starts; the cluster tier meets the engine in the docker_client fixture)."""
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    settings = SimpleNamespace(timeouts=Timeouts.from_ini(ROOT / "pytest.ini"))
    with pytest.raises(NotJudged, match="no Docker engine answers"):
        docker_client._get_wrapped_function()(settings)


def test_a_defect_in_the_suites_own_code_is_not_judged_but_a_deployment_not_shaped_as_expected_fails():
    """Seen in CI: a step called a method the profile no longer had, and the verdict said the deployment failed FR-002."""
    from acceptance.profile.model import reference
    from fixtures.reporting import suite_defect

    profile = reference()
    with pytest.raises(AttributeError) as missing_method:
        profile.no_such_accessor  # noqa: B018 - the access is the point
    defect = suite_defect(missing_method.value)
    assert defect is not None and defect.cause.startswith("a defect in the suite: AttributeError"), defect
    assert suite_defect(NameError("name 'settings' is not defined")) is not None
    with pytest.raises(AttributeError) as deployment_shape:
        None.get("spec")  # type: ignore[union-attr]  # a manifest field that is not there
    assert suite_defect(deployment_shape.value) is None, "a deployment's missing field was blamed on the suite"
    assert suite_defect(KeyError("users")) is None
