"""The requirement apart from the seed's design: a deployment that meets a requirement with another design (here the
frontend surging two pods, not the seed's one) differs from the seed in every report, and the verdict still passes;
--strict-seed, for a reviewer who grades against the summary itself, makes the same difference fail."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

FEATURE = "chart/fr011_rolling_update.feature"
DESIGN = f"{FEATURE}::the <component> Deployment rolls with the seed's maxSurge 1 and maxUnavailable 1[frontend]"
REQUIREMENT = f"{FEATURE}::the <component> Deployment is configured for rolling updates[frontend]"


def surging_two(root: Path) -> Path:
    """The reference deployment's copy at root, its frontend surging two pods at a time: rolling, not the seed's design."""
    template = root / "helm/todo-chatbot/templates/frontend-deployment.yaml"
    template.write_text(template.read_text().replace("maxSurge: {{ .Values.rollingMaxSurge }}", "maxSurge: 2"))
    return root


def test_another_design_differs_from_the_seed_and_passes_unless_strict(suite_side_by_side, reference_deployment: Path, tmp_path: Path):
    root = surging_two(reference_deployment)
    scenarios = ["--scenario", DESIGN, "--scenario", REQUIREMENT]
    runs = suite_side_by_side({"lenient": ["-m", "static", "-q", f"--project-root={root}", *scenarios],
                               "strict": ["-m", "static", "-q", f"--project-root={root}", "--strict-seed", *scenarios]}, tmp_path)

    lenient = runs["lenient"]
    assert lenient.ret == 0, "\n".join(lenient.outlines[-30:])
    assert json.loads((tmp_path / "lenient" / "scenarios.json").read_text()) == {DESIGN: "differs", REQUIREMENT: "passed"}
    verdict = json.loads((tmp_path / "lenient" / "verdict.json").read_text())
    assert verdict["verdict"] == "PASSED" and "1 scenario differs from the seed's design: FR-011 (1)" in verdict["line"], verdict
    skipped = ElementTree.parse(tmp_path / "lenient" / "junit.xml").getroot().findall(".//skipped")
    expected = ("differs from the seed's design: the frontend Deployment's strategy is RollingUpdate with maxSurge 2 and maxUnavailable 1, "
                "not RollingUpdate with 1 and 1:")
    assert [element.get("message", "") for element in skipped] == [expected], "the JUnit skip does not say what differs"

    strict = runs["strict"]
    assert strict.ret == 1, "\n".join(strict.outlines[-30:])
    assert json.loads((tmp_path / "strict" / "scenarios.json").read_text()) == {DESIGN: "failed", REQUIREMENT: "passed"}
