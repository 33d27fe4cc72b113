"""Unit tests of fixtures/options.py settings_from_config: a bad option stops the run before collection, with the fix."""

from __future__ import annotations

import argparse
import types
from pathlib import Path

import pytest

from acceptance.core.outcome import NOT_JUDGED_EXIT
from fixtures.options import Settings, settings_from_config

ROOT = Path(__file__).resolve().parents[2]
USAGE_ERROR = pytest.ExitCode.USAGE_ERROR

BAD_OPTIONS = {
    "negative-budget": (["--frontend-budget-mb", "-5"], "--frontend-budget-mb must be a positive number of MB, got -5"),
    "missing-kubeconfig": (["--kubeconfig", "/nonexistent"], "--kubeconfig: /nonexistent does not exist"),
    "context-with-kind": (["--cluster", "kind", "--kube-context", "x"],
                          "apply to --cluster existing, not --cluster kind; drop them or use --cluster existing"),
    "image-without-tag": (["--backend-image", "noTag"], "--backend-image must be NAME:TAG, got 'noTag'"),
    "missing-project-root": (["--project-root", "/nonexistent"], "--project-root: /nonexistent does not exist; give the repository that holds"),
    "broken-profile": ([f"--profile={ROOT}/pytest.ini"], "--profile: the profile is broken, no scenario ran:"),
    "missing-chart-dir": (["--chart-dir", "missing/dir"], f"--chart-dir: {ROOT}/missing/dir is not a directory; point it at the deployment under test"),
}


@pytest.fixture(scope="module")
def runs(suite_side_by_side, tmp_path_factory) -> dict[str, pytest.RunResult]:
    """Every child pytest of this module, run side by side (ten one after another would double the unit run); each test reads its own."""
    workspace = tmp_path_factory.mktemp("options")
    other_deployment = workspace / "our-deployment"
    other_deployment.mkdir()
    kubeconfig = workspace / "kube" / "config"  # outside the repository
    kubeconfig.parent.mkdir()
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
    collect = ["--collect-only", "-q"]
    children = {case: [*collect, *arguments] for case, (arguments, _) in BAD_OPTIONS.items()}
    children.update({
        "valid": [*collect, "--no-gate", "--backend-image", "registry.example:5000/todo-api:2.1.0", "--frontend-budget-mb", "75"],
        "project-root-equals": ["-m", "static", "-q", f"--project-root={other_deployment}"],
        "kubeconfig-outside": [*collect, "--no-gate", "--cluster", "existing", "--kubeconfig", str(kubeconfig)],
        "kubeconfig-outside-equals": [*collect, "--no-gate", "--cluster", "existing", f"--kubeconfig={kubeconfig}"],
    })
    return suite_side_by_side(children, workspace)


def shown(result: pytest.RunResult) -> str:
    return "\n".join(["--- stdout ---", *result.outlines, "--- stderr ---", *result.errlines])


@pytest.mark.parametrize("case", list(BAD_OPTIONS))
def test_a_bad_option_stops_before_collection_with_the_fix(runs, case):
    result = runs[case]

    assert result.ret == USAGE_ERROR, shown(result)
    result.stderr.fnmatch_lines([f"*{BAD_OPTIONS[case][1]}*"])
    result.stdout.no_fnmatch_line("*collected*")


def test_valid_options_collect_every_scenario(runs):
    result = runs["valid"]

    assert result.ret == 0, shown(result)
    result.stdout.fnmatch_lines(["steps/test_acceptance.py::*", "* tests collected in *"])


def test_project_root_names_what_the_other_repository_lacks(runs):
    """README: `--project-root=DIR` (with '='): what the profile names and the repository lacks is listed, each with
    its fix, and no scenario is judged (fixtures/profile_check.py)."""
    result = runs["project-root-equals"]

    assert result.ret == NOT_JUDGED_EXIT, shown(result)
    result.stdout.fnmatch_lines(["*the profile */profiles/reference.yaml, on the project root /*/our-deployment:",
                                 "  paths.chart: helm/todo-chatbot is not a directory under /*/our-deployment; fix: *"])


def test_a_path_option_written_with_a_space_gets_the_fix(runs):
    """`--kubeconfig FILE` outside the repository makes pytest take FILE's directory as rootdir and miss pytest.ini:
    the suite stops and says to write --kubeconfig=FILE, instead of failing later on a wrong project root."""
    result = runs["kubeconfig-outside"]

    assert result.ret != 0 and "--option=PATH" in shown(result), shown(result)


def test_a_kubeconfig_outside_the_repository_keeps_the_suites_own_project_root(runs):
    """With `--kubeconfig=FILE` the rootdir and the default project root stay the suite's own repository."""
    result = runs["kubeconfig-outside-equals"]

    assert result.ret == 0, shown(result)
    result.stdout.fnmatch_lines(["steps/test_acceptance.py::*", "* tests collected in *"])


# In-process checks of settings_from_config itself: the config is a small stand-in holding the
# options as argparse leaves them and the real ini values of this run.
DEFAULT_OPTIONS = dict(project_root=None, chart_dir=None, frontend_context=None, backend_context=None, frontend_image=None,
                       backend_image=None, frontend_budget_mb=None, backend_budget_mb=None, base_images="auto", gate=None,
                       keep_on_failure=False, report_dir="reports", cluster="auto", kubeconfig=None, kube_context=None, keep_cluster=False,
                       no_removal_wait=False, scenario=[], timeout_scale=1.0, lint_waivers=None, profile=None, strict_seed=False)


@pytest.fixture
def settings_for(pytestconfig, monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    def make(**options) -> Settings:
        option = argparse.Namespace(**{**DEFAULT_OPTIONS, **options})
        return settings_from_config(types.SimpleNamespace(option=option, rootpath=ROOT, getini=pytestconfig.getini))

    return make


def test_defaults_are_the_suites_own_deployment_and_the_reference_profiles_budgets(settings_for, pytestconfig):
    settings = settings_for()

    assert settings.project_root == ROOT
    assert settings.chart_dir == ROOT / "helm" / "todo-chatbot"
    assert settings.build_contexts == {image: ROOT / "images" / image for image in ("frontend", "backend")}
    assert settings.image_names == {"frontend": "todo-chatbot-frontend:1.0.0", "backend": "todo-chatbot-backend:1.0.0"}
    assert settings.size_budgets_mb == {"frontend": 60, "backend": 200}
    assert settings.timeouts.ready == int(pytestconfig.getini("timeout_ready"))
    assert settings.accept_missing_tiers is False, "a partial gate accepted without --no-gate"
    assert settings.report_dir.is_absolute() and settings.evidence_dir == settings.report_dir / "evidence"
    assert settings.script("deploy") == ROOT / "deployment" / "deploy.sh"
    assert settings.guide_files == [ROOT / "deployment" / "README.md"]
    assert settings.dockerfile("backend") == ROOT / "images" / "backend" / "Dockerfile"


def test_options_override_budgets_and_scale_every_timeout(settings_for, pytestconfig):
    settings = settings_for(backend_budget_mb=300.0, timeout_scale=2.5)

    assert settings.size_budgets_mb["backend"] == 300.0
    assert settings.timeouts.install == int(int(pytestconfig.getini("timeout_install")) * 2.5)
    assert settings.timeouts.request == int(int(pytestconfig.getini("timeout_request")) * 2.5)


def test_only_no_gate_accepts_a_partial_gate(settings_for, monkeypatch):
    monkeypatch.setenv("CI", "true")

    assert settings_for().accept_missing_tiers is False
    assert settings_for(gate=True).accept_missing_tiers is False
    assert settings_for(gate=False).accept_missing_tiers is True, "--no-gate accepts scenarios not judged, CI or not"


def test_an_image_name_needs_a_tag_after_the_last_slash(settings_for):
    assert settings_for(backend_image="registry.example:5000/todo-api:2.1.0").image_names["backend"] == "registry.example:5000/todo-api:2.1.0"
    with pytest.raises(pytest.UsageError, match=r"--backend-image must be NAME:TAG, got 'registry.example:5000/todo-api'"):
        settings_for(backend_image="registry.example:5000/todo-api")


@pytest.mark.parametrize(("options", "fix"), [
    ({"frontend_image": "same:1", "backend_image": "same:1"}, "--frontend-image and --backend-image must differ"),
    ({"timeout_scale": 0.0}, "--timeout-scale must be positive, got 0.0"),
    ({"backend_budget_mb": -1.0}, "--backend-budget-mb must be a positive number of MB, got -1.0"),
    ({"cluster": "local", "kubeconfig": __file__}, "apply to --cluster existing, not --cluster local"),
    ({"backend_context": "images/nothing-here"}, "--backend-context: "),
], ids=["same-image-names", "zero-timeout-scale", "negative-backend-budget", "kubeconfig-with-local", "missing-context"])
def test_settings_from_config_refuses_a_bad_combination_with_the_fix(settings_for, options, fix):
    with pytest.raises(pytest.UsageError) as raised:
        settings_for(**options)

    assert fix in str(raised.value), str(raised.value)


def test_kubeconfig_and_context_are_accepted_for_an_existing_cluster(settings_for):
    settings = settings_for(cluster="existing", kubeconfig=__file__, kube_context="staging")

    assert (settings.cluster_provider, settings.kubeconfig, settings.kube_context) == ("existing", __file__, "staging")


def test_the_recovery_budget_comes_from_the_profile(settings_for):
    assert settings_for().recovery_budget_seconds == 60


def test_a_context_option_moves_the_dockerfile_with_it(settings_for):
    settings = settings_for(backend_context="images/frontend")

    assert settings.dockerfile("backend") == ROOT / "images" / "frontend" / "Dockerfile"
    assert settings.dockerfile("frontend") == ROOT / "images" / "frontend" / "Dockerfile"


def test_only_an_explicit_no_gate_accepts_missing_tiers(settings_for):
    assert settings_for(gate=False).accept_missing_tiers is True
    assert settings_for().accept_missing_tiers is False, "a default run must not accept a skipped tier"
    assert settings_for(gate=True).accept_missing_tiers is False


def test_a_named_waivers_file_must_exist(settings_for):
    with pytest.raises(pytest.UsageError, match=r"--lint-waivers: .*nope.yaml does not exist"):
        settings_for(lint_waivers="nope.yaml")
    assert settings_for().lint_waivers == ROOT / "lint-waivers.yaml"
