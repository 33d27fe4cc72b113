"""The profile checked against the repository before any scenario (acceptance/profile/check.py, fixtures/profile_check.py):
each wrong name is one line with its fix, what the deployment lacks is left to its scenarios, and a run on a profile that
does not match is not judged, for one cause, with no failed requirement."""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from acceptance.core.outcome import NOT_JUDGED_EXIT
from acceptance.kube import helm
from acceptance.profile import check
from acceptance.profile import model as profile_lib
from acceptance.profile.model import Document, Profile

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "examples" / "second-deployment" / "profile.yaml"


def rendering(profile: Profile, root: Path) -> str:
    """helm template's output for the profile's chart with its default values, as the plugin gets it."""
    return helm.try_template(root / profile.path("chart"), 60, release=profile.release).check("render the chart").stdout


def problems_of(change: Callable[[Document], None], root: Path = ROOT) -> list[str]:
    """The problems of a copy of the reference profile changed by change, on root."""
    data = copy.deepcopy(profile_lib.reference().data)
    change(data)
    profile = Profile(profile_lib.REFERENCE, data)
    chart = root / profile.path("chart")
    return check.problems(profile, root, rendering(profile, root) if (chart / "Chart.yaml").is_file() else None)


@pytest.mark.parametrize("path", [profile_lib.REFERENCE, SECOND], ids=["reference", "second-deployment"])
def test_the_reference_and_the_second_deployment_match_their_repository(path):
    profile = profile_lib.load(path)

    assert check.problems(profile, profile.default_root(), rendering(profile, profile.default_root())) == []


WRONG = {
    "chart path": (lambda data: data["paths"].update(chart="helm/todo"),
                   "paths.chart: helm/todo is not a directory under "),
    "chart path short of the chart": (lambda data: data["paths"].update(chart="helm"),
                                      "paths.chart: helm holds no Chart.yaml, so it is not a chart; fix: "),
    "script path": (lambda data: data["paths"]["scripts"].update(deploy="deploy.sh"),
                    "paths.scripts.deploy: deploy.sh is not a file under "),
    "value path": (lambda data: data["values"]["persistence"].update(storage_class="persistence.storageClass"),
                   "values.persistence.storage_class: persistence.storageClass is not in helm/todo-chatbot/values.yaml; fix: "),
    "one value path of a list": (lambda data: data["values"]["image"].update(pull_policy=["imagePullPolicy", "pullPolicy"]),
                                 "values.image.pull_policy: pullPolicy is not in helm/todo-chatbot/values.yaml; fix: "),
    "unknown key the chart has": (lambda data: data["values"].update(unknown="logLevel"),
                                  ("values.unknown: logLevel is a key of helm/todo-chatbot/values.yaml, but it stands for a key "
                                   "the chart does not have; fix: ")),
    "database credential": (lambda data: data["database"].update(credential="DB_URL"),
                            ("database.credential: DB_URL is not a credential of values.credentials (DATABASE_URL, "
                             "OPENAI_API_KEY, NEON_API_KEY); fix: ")),
    "claim owner": (lambda data: data.update(claim_owner="database"),
                    "claim_owner: database is not a component of the profile (frontend, backend); fix: "),
    "template": (lambda data: data["chart"]["templates"].update({"backend-pvc": "pvc.yaml"}),
                 ("chart.templates.backend-pvc: pvc.yaml is not a file of helm/todo-chatbot/templates/, but the chart renders "
                  "its PersistentVolumeClaim todo-chatbot-backend-data from backend-pvc.yaml; fix: name the file that holds it")),
    "helpers template": (lambda data: data["chart"]["templates"].update(helpers="helpers.tpl"),
                         ("chart.templates.helpers: helpers.tpl is not a file of helm/todo-chatbot/templates/, but the chart's "
                          "templates/ holds _helpers.tpl; fix: ")),
    "resource name": (lambda data: data["resources"].update(config={"kind": "ConfigMap", "name": "{release}-settings"}),
                      ("resources.config: ConfigMap todo-chatbot-settings matches none of the ConfigMap resources the chart "
                       "renders with its default values (todo-chatbot-config); fix: ")),
    "ambiguous resource": (lambda data: data["labels"].update(component="app.kubernetes.io/instance") or
                           data["components"]["frontend"].update(label="todo-chatbot"),
                           ("resources.frontend-deployment: Deployment labelled app.kubernetes.io/instance=todo-chatbot matches 2, "
                            "not one, of the Deployment resources the chart renders")),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_a_wrong_name_in_the_profile_is_one_line_with_its_fix(case):
    change, expected = WRONG[case]

    found = problems_of(change)

    assert [problem for problem in found if problem.startswith(expected)], f"{case}: no problem starts {expected!r}: {found}"
    assert all("\n" not in problem and "; fix: " in problem for problem in found), found


def test_the_key_the_chart_must_not_have_is_not_a_value_path_to_find():
    """values.unknown names a key no chart of the deployment has (FR-007 expects its schema to refuse it): its absence
    from values.yaml is the point, never a problem."""
    assert profile_lib.reference().value_paths("unknown") == ["replicaCount"]  # not in values.yaml, and no problem (above)
    assert problems_of(lambda data: data["values"].update(unknown="noSuchKeyAnywhere")) == []


def deployment_copy(workspace: Path) -> Path:
    """A copy of the reference deployment (what the profile's paths name), to take parts away from."""
    for name in ("helm", "images", "deployment", ".env.example", "lint-waivers.yaml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, workspace / name, ignore=shutil.ignore_patterns("node_modules", "dist", "__pycache__"))
        else:
            shutil.copy2(source, workspace / name)
    return workspace


def test_what_the_deployment_lacks_is_left_to_its_scenarios(tmp_path):
    """A chart without its claim template, Secret or NetworkPolicies fails the chart's own scenarios (the mutants prove
    it): the profile naming them is not wrong, the deployment is."""
    root = deployment_copy(tmp_path)
    (root / "helm" / "todo-chatbot" / "templates" / "backend-pvc.yaml").unlink()
    values = root / "helm" / "todo-chatbot" / "values.yaml"
    values.write_text(values.read_text().replace("networkPolicyEnabled: true", "networkPolicyEnabled: false"))

    assert problems_of(lambda data: None, root) == []


def test_a_root_that_holds_nothing_names_every_path_once(tmp_path):
    found = problems_of(lambda data: None, tmp_path)

    assert sorted(problem.split(":", 1)[0] for problem in found) == sorted(
        ["paths.chart", "paths.contexts.frontend", "paths.contexts.backend", "paths.dockerfiles.frontend", "paths.dockerfiles.backend",
         "paths.scripts.setup", "paths.scripts.build", "paths.scripts.deploy", "paths.scripts.cleanup", "paths.guide",
         "paths.env_example", "paths.lint_waivers", "bases.script", "build.frontend.changed_source", "build.backend.changed_source"])


def broken_profile(workspace: Path) -> Path:
    """A copy of the reference profile with a wrong value path, a wrong template file and a wrong guide path."""
    data = yaml.safe_load(profile_lib.REFERENCE.read_text())
    data["root"] = os.path.relpath(ROOT, workspace)
    data["values"]["persistence"]["storage_class"] = "persistence.storageClass"
    data["chart"]["templates"]["backend-pvc"] = "pvc.yaml"
    data["paths"]["guide"] = "docs/GUIDE.md"
    path = workspace / "profile.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_run_on_a_profile_that_does_not_match_is_not_judged_for_one_cause_with_no_failed_requirement(suite):
    result = suite.run("-m", "static", "-q", f"--profile={broken_profile(suite.workspace)}")

    assert result.ret == NOT_JUDGED_EXIT, result.stdout.str()[-3000:]
    outcomes = json.loads((suite.report_dir / "scenarios.json").read_text())
    assert outcomes and set(outcomes.values()) == {"not judged"}, outcomes
    cause = "the profile does not match the repository (3 problems)"
    verdict = next(line for line in result.stdout.lines if line.startswith("Verdict: "))
    assert verdict.startswith(f"Verdict: NOT JUDGED: {cause} ({len(outcomes)} scenarios); "), verdict
    assert " failed" not in verdict.replace("no requirement failed", ""), f"the verdict names a failed requirement: {verdict}"
    causes = json.loads((suite.report_dir / "causes.json").read_text())
    assert list(causes) == [cause] and sorted(causes[cause]["scenarios"]) == sorted(outcomes), causes
    junit = ElementTree.parse(suite.report_dir / "junit.xml").getroot()
    assert not junit.findall(".//failure") and not junit.findall(".//error"), "a scenario failed or errored"
    shown = result.stdout.str()
    for problem in ("values.persistence.storage_class: persistence.storageClass is not in helm/todo-chatbot/values.yaml; fix: ",
                    "chart.templates.backend-pvc: pvc.yaml is not a file of helm/todo-chatbot/templates/",
                    "paths.guide: docs/GUIDE.md is not a file under "):
        assert shown.count(problem) == 1, f"{problem!r} is shown {shown.count(problem)} times, not once:\n{shown[-3000:]}"
        assert problem.split(";")[0] in (suite.report_dir / "acceptance.html").read_text(), f"{problem!r} is not in the HTML report"


def test_a_part_the_profile_says_is_not_offered_is_no_mismatch():
    def not_offered(data: Document) -> None:
        data["paths"]["scripts"]["setup"] = None
        data["paths"]["guide"] = None
        data["values"]["persistence"]["size"] = None

    assert problems_of(not_offered) == []
