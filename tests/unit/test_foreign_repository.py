"""On a repository that is not laid out as the profile says, nothing crashes: where the profile names what is not
there, no scenario is judged and each missing path is named; where every named file is there but empty, every static
scenario fails with a message that says what was missing or unexpected, and the run ends with a verdict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

from acceptance.profile import check
from acceptance.profile.model import reference

ROOT = Path(__file__).resolve().parents[2]


def test_an_empty_skeleton_is_not_judged_and_every_missing_path_named(suite):
    skeleton = suite.workspace / "skeleton"
    for directory in ("helm/todo-chatbot", "images/frontend", "images/backend"):
        (skeleton / directory).mkdir(parents=True)

    result = suite.run("-m", "static", "--no-gate", f"--project-root={skeleton}")

    assert result.ret == 0, result.stdout.str()[-3000:]  # --no-gate: nothing failed, nothing judged
    outcomes = json.loads((suite.report_dir / "scenarios.json").read_text())
    assert outcomes and set(outcomes.values()) == {"not judged"}, outcomes
    result.stdout.fnmatch_lines(["*Verdict: NOT JUDGED: the profile does not match the repository (* problems)*",
                                 "  paths.chart: helm/todo-chatbot holds no Chart.yaml, so it is not a chart; fix: *",
                                 "  paths.dockerfiles.frontend: images/frontend/Dockerfile is not a file under *"])


# What a hollow skeleton passes: what only reads the files it holds (the template files, the reference's values.yaml),
# and hadolint, which finds nothing to warn about in an empty Dockerfile.
HOLLOW_PASSES = {
    "chart/fr005_chart.feature::the chart holds every template the deployment needs",
    "chart/fr006_flat_values.feature::every key in values.yaml is documented",
    "chart/fr006_flat_values.feature::values.yaml is flat",
    "chart/fr010_secrets.feature::the default values hold no real-looking credential",
    *(f"images/fr001_hadolint.feature::hadolint reports no unwaived warning or error in the <component> Dockerfile[{component}]"
      for component in ("frontend", "backend")),
}


def hollow_skeleton(skeleton: Path) -> Path:
    """Every file the reference profile names, empty; the chart's values.yaml a copy of the reference's (the profile's
    value paths are found in it) and its templates empty files."""
    profile = reference()
    for _, relative, kind in check.named_paths(profile):
        path = skeleton / relative
        if kind == "directory":
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
    chart = skeleton / profile.path("chart")
    (chart / "Chart.yaml").touch()
    shutil.copy2(ROOT / profile.path("chart") / "values.yaml", chart / "values.yaml")
    (chart / "templates").mkdir()
    for name in profile.chart_templates().values():
        (chart / "templates" / name).touch()
    return skeleton


def test_a_hollow_skeleton_fails_every_static_scenario_with_a_message_and_no_error(suite):
    skeleton = hollow_skeleton(suite.workspace / "skeleton")

    result = suite.run("-m", "static", "--no-gate", f"--project-root={skeleton}")

    assert result.ret == 1, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines(["*Verdict: FAILED*"])
    passed = {key for key, outcome in json.loads((suite.report_dir / "scenarios.json").read_text()).items() if outcome == "passed"}
    assert passed <= HOLLOW_PASSES, f"passed on empty files: {sorted(passed - HOLLOW_PASSES)}"
    cases = list(ElementTree.parse(suite.report_dir / "junit.xml").getroot().iter("testcase"))
    assert cases and not [case.get("name") for case in cases if case.find("error") is not None], "a setup or teardown errored"
    messages = [case.find("failure").get("message") or "" for case in cases if case.find("failure") is not None]
    assert all(messages) and not [message for message in messages if "Traceback" in message]
    assert any(message.startswith("the deployment under test is not as this step expects (FileNotFoundError") for message in messages)
