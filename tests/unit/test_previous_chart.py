"""The chart as an earlier version of itself: same templates, a version that sorts before its own, the original untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.chart import previous

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("version", "earlier"), [("1.0.0", "1.0.0-previous"), ("0.3.1", "0.3.1-previous"), ("2.0.0-rc.1", "0.0.0-previous"),
                                                  ("1.2.3+build", "0.0.0-previous")])
def test_the_earlier_version_sorts_before_the_chart_s_own(version, earlier):
    assert previous.earlier_version(version) == earlier


def test_the_copy_has_the_earlier_version_and_the_same_templates(tmp_path):
    chart = ROOT / "helm" / "todo-chatbot"
    before = (chart / "Chart.yaml").read_text()

    copy = previous.copy_as_earlier(chart, tmp_path)

    assert previous.version(copy) == previous.earlier_version(previous.version(chart))
    assert (copy / "templates" / "backend-deployment.yaml").read_text() == (chart / "templates" / "backend-deployment.yaml").read_text()
    assert (chart / "Chart.yaml").read_text() == before, "the chart under test was changed"


def test_a_chart_without_a_version_line_is_refused_naming_it(tmp_path):
    chart = tmp_path / "odd"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: odd\nmetadata: {version: 1.0.0}\n")
    with pytest.raises(ValueError, match=r"gives no version|no .version:. line"):
        previous.copy_as_earlier(chart, tmp_path / "into")
