"""The linters' wrappers on real hadolint and kube-score, and the waivers file: loading, matching, staleness."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.core.run import ToolError
from acceptance.lint import linters, waivers
from acceptance.lint.linters import Finding
from acceptance.lint.waivers import Waiver, WaiverError

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: demo}
spec:
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec:
      containers:
        - name: demo
          image: demo:latest
"""


def test_hadolint_reports_an_unpinned_package_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n")
    findings = linters.hadolint(tmp_path / "Dockerfile", timeout=60)
    pinned = [finding for finding in findings if finding.check == "DL3008"]
    assert pinned and pinned[0].subject == f"{tmp_path.name}/Dockerfile:3" and pinned[0].level == "warning", findings
    assert linters.at_or_above(findings, "warning") == [finding for finding in findings if finding.level in ("warning", "error")]


def test_kube_score_reports_a_latest_tag_as_critical() -> None:
    findings = linters.kube_score(DEPLOYMENT, timeout=60)
    latest = [finding for finding in findings if finding.check == "container-image-tag"]
    assert latest and latest[0].subject == "Deployment/demo" and latest[0].level == "CRITICAL", findings


def test_kube_score_ignores_the_manifests_own_ignore_annotations() -> None:
    annotated = DEPLOYMENT.replace("metadata: {name: demo}", "metadata: {name: demo, annotations: {kube-score/ignore: container-image-tag}}")
    assert any(finding.check == "container-image-tag" for finding in linters.kube_score(annotated, timeout=60))


def test_a_missing_linter_is_a_tool_error_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linters, "binary", lambda tool: None)
    with pytest.raises(ToolError, match="make setup"):
        linters.hadolint(tmp_path / "Dockerfile", timeout=10)


@pytest.mark.parametrize(("text", "message"), [
    ("tool: kube-score\n", "expected a list"),
    ("- tool: kube-score\n  check: x\n  subject: y\n", "exactly the text fields"),
    ("- {tool: kube-score, check: x, subject: y, reason: because}\n", "reason in a sentence"),
    ("- {tool: kube-score, check: x, subject: y, reason: a good reason here, extra: 1}\n", "exactly the text fields"),
])
def test_a_malformed_waivers_file_is_refused_with_the_fix(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "waivers.yaml").write_text(text)
    with pytest.raises(WaiverError, match=message):
        waivers.load(tmp_path / "waivers.yaml")


def test_waivers_match_by_tool_check_and_subject_glob() -> None:
    waiver = Waiver("kube-score", "pod-networkpolicy", "Deployment/todo-*", "no CNI here enforces policies")
    covered = Finding("kube-score", "pod-networkpolicy", "Deployment/todo-backend", "CRITICAL", "")
    other_check = Finding("kube-score", "container-image-tag", "Deployment/todo-backend", "CRITICAL", "")
    other_subject = Finding("kube-score", "pod-networkpolicy", "Deployment/api", "CRITICAL", "")
    assert waivers.unwaived([covered, other_check, other_subject], [waiver]) == [other_check, other_subject]
    assert waivers.stale([waiver], [other_check]) == [waiver]
    assert waivers.stale([waiver], [covered]) == []


def test_the_reference_waivers_file_loads() -> None:
    loaded = waivers.load(ROOT / "lint-waivers.yaml")
    assert loaded and all(len(waiver.reason.split()) >= 4 for waiver in loaded)
