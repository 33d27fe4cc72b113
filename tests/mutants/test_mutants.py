"""Proof that the gate can fail: each mutant must make its scenarios fail while the reference passes them."""

from __future__ import annotations

import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from acceptance.app import browser
from acceptance.core.names import COMPONENTS, TIERS
from acceptance.core.progress import say
from acceptance.core.run import run
from acceptance.docker_engine.build import DockerUnavailable, connect
from fixtures.options import SETTINGS_KEY
from tests.mutants import conftest
from tests.mutants.catalog import MUTANTS, Mutant

SUITE_ROOT = Path(__file__).resolve().parents[2]
# profiles: the reference's profile goes with it, for a mutant whose other design its profile must say (key names)
COPIED = ("images", "helm", "deployment", "cluster", "profiles", ".env.example", "lint-waivers.yaml")
IGNORED = shutil.ignore_patterns("node_modules", "dist", "__pycache__", ".venv", ".pytest_cache")
TEST_MODULE = "steps/test_acceptance.py"
PROFILE = "profiles/reference.yaml"
RUN_TIMEOUT = 3600
# Mutants run beside the main thread, per tier, this many at a time: a static mutant's run is a child pytest, mostly
# its start-up (the machine's two cores); an image mutant's run needs the engine, not the cluster, so one runs beside the
# cluster mutants, which run one at a time in the main thread (they share the cluster and its timing-bound checks).
BACKGROUND_WORKERS = {"static": 2, "image": 1}


def copy_reference(destination: Path) -> Path:
    """A copy of the reference deployment (not the suite) to mutate, with the local cluster's scripts its guide names."""
    for name in COPIED:
        source = SUITE_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=IGNORED, symlinks=True)
        else:
            shutil.copy2(source, destination / name)
    return destination


def cluster_options(config: pytest.Config) -> list[str]:
    """The cluster the self-test was pointed at, kept running between the runs (conftest stops one it started)."""
    options = ["--cluster", config.getoption("cluster"), "--keep-cluster"]
    options += [f"--kubeconfig={config.getoption('kubeconfig')}"] if config.getoption("kubeconfig") else []
    return options + (["--kube-context", config.getoption("kube_context")] if config.getoption("kube_context") else [])


def run_suite(project_root: Path, scenarios: list[str], report_dir: Path, image_tag: str, config: pytest.Config) -> dict[str, str]:
    """Run the acceptance suite on project_root for the named scenarios; outcome per scenario key."""
    report_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pytest", TEST_MODULE, *[f"--scenario={key}" for key in scenarios],
               f"--project-root={project_root}", f"--profile={project_root / PROFILE}", f"--report-dir={report_dir}", "--no-gate", "--no-removal-wait",
               *cluster_options(config),
               "--frontend-image", f"todo-chatbot-frontend:{image_tag}", "--backend-image", f"todo-chatbot-backend:{image_tag}",
               # a mutant that never turns Ready should fail in a minute and a half, not in the full budget
               "-o", "timeout_ready=90", "-q", "-p", "no:cacheprovider"]
    outcome = run(command, timeout=RUN_TIMEOUT, cwd=SUITE_ROOT)
    (report_dir / "output.txt").write_text(outcome.stdout + outcome.stderr)
    outcomes_file = report_dir / "scenarios.json"
    return json.loads(outcomes_file.read_text()) if outcomes_file.exists() else {}


def _unavailable(mutant: Mutant, config: pytest.Config) -> str | None:
    """Why the mutant's tier, or the browser its scenarios need, cannot run here (None when they can)."""
    browser_missing = browser.unavailable_reason() if mutant.needs_browser else None
    if browser_missing:
        return f"tier 'browser' cannot run: {browser_missing}"
    if mutant.cluster and config.getoption("cluster") != mutant.cluster:
        return f"its defect shows only on {mutant.cluster}: run it with --cluster {mutant.cluster}"
    reason = _tier_unavailable(mutant.tier, config)
    return f"tier '{mutant.tier}' cannot run: {reason}" if reason else None


def _tier_unavailable(tier: str, config: pytest.Config) -> str | None:
    """Why the mutant's tier cannot run here (None when it can)."""
    if tier == "static":
        return None
    try:
        connect(config.stash[SETTINGS_KEY].timeouts.command)
    except DockerUnavailable as error:
        return str(error)
    if tier == "cluster":
        from fixtures.cluster_tier import cluster_unavailable_reason

        return cluster_unavailable_reason(config)
    return None


def selected_mutants(session: pytest.Session) -> list[Mutant]:
    """The mutants this run selected (-m, -k): only their scenarios are run on the reference."""
    return [item.callspec.params["mutant"] for item in session.items if hasattr(item, "callspec") and "mutant" in item.callspec.params]


@pytest.fixture(scope="session")
def reference_outcomes(request: pytest.FixtureRequest, tmp_path_factory, pytestconfig) -> dict[str, str]:
    """The reference deployment's outcome for every scenario a selected mutant targets (run once): `-m static` runs
    the reference's static scenarios only, never builds images or takes a cluster."""
    given = pytestconfig.getoption("reference_outcomes")
    if given:
        if not Path(given).is_file():
            raise pytest.UsageError(f"--reference-outcomes={given}: no such file; run the suite first (it writes reports/scenarios.json) or drop the option")
        return json.loads(Path(given).read_text())
    tiers = {tier for tier in TIERS if not _tier_unavailable(tier, pytestconfig)}
    keys = sorted({key for mutant in selected_mutants(request.session) if mutant.tier in tiers for key in mutant.scenarios})
    return run_suite(SUITE_ROOT, keys, tmp_path_factory.mktemp("reference") / "reports", "1.0.0", pytestconfig)


def mutate_and_run(mutant: Mutant, directory: Path, config: pytest.Config) -> dict[str, str]:
    """Apply the mutant to a copy of the reference in directory and run its target scenarios; outcome per scenario."""
    root = copy_reference(directory / "deployment")
    for edit in mutant.edits:
        edit(root)
    try:
        return run_suite(root, mutant.scenarios, directory / "reports", f"mutant-{mutant.name}", config)
    finally:
        _remove_mutant_images(mutant)


@pytest.fixture(scope="session")
def background_runs(request: pytest.FixtureRequest, tmp_path_factory, pytestconfig):
    """The selected static and image mutants' runs, started at once, BACKGROUND_WORKERS of a tier at a time, while the
    cluster mutants run in the main thread (they come first: see conftest). Only mutants that can run here are started.
    Mutant name -> (Future of its outcomes, its directory)."""
    pools = {tier: ThreadPoolExecutor(max_workers=workers) for tier, workers in BACKGROUND_WORKERS.items()}
    runs = {}
    for mutant in selected_mutants(request.session):
        if mutant.tier in pools and not _unavailable(mutant, pytestconfig):
            directory = tmp_path_factory.mktemp(f"{mutant.tier}-{mutant.name}")
            runs[mutant.name] = (pools[mutant.tier].submit(mutate_and_run, mutant, directory, pytestconfig), directory)
    yield runs
    for pool in pools.values():
        pool.shutdown(wait=True, cancel_futures=True)


def marks(mutant: Mutant) -> list[pytest.MarkDecorator]:
    """Its tier's marker, and minikube's for a defect only minikube itself shows."""
    return [getattr(pytest.mark, mutant.tier)] + ([pytest.mark.minikube] if mutant.cluster == "minikube" else [])


# Each mutant carries its tier's marker: `make mutants ARGS="-m cluster"` runs the cluster ones only.
@pytest.mark.parametrize("mutant", [pytest.param(mutant, marks=marks(mutant), id=mutant.name) for mutant in MUTANTS])
def test_mutant_is_killed(mutant: Mutant, reference_outcomes: dict[str, str], background_runs, tmp_path: Path, pytestconfig) -> None:
    reason = _unavailable(mutant, pytestconfig)
    if reason:
        if pytestconfig.getoption("gate"):
            pytest.fail(f"gate mode: mutant {mutant.name} cannot run: {reason}")
        pytest.skip(reason)
    not_passing = {key: reference_outcomes.get(key, "not run") for key in mutant.scenarios
                   if reference_outcomes.get(key) != "passed"}
    assert not not_passing, f"the reference deployment does not pass {not_passing}, so failing them proves nothing"
    if mutant.name in background_runs:
        run, directory = background_runs[mutant.name]
        outcomes = run.result()
    else:
        directory = tmp_path
        outcomes = mutate_and_run(mutant, directory, pytestconfig)
    survived = [key for key in mutant.kills if outcomes.get(key) != "failed"] + [key for key in mutant.differs if outcomes.get(key) != "differs"]
    details = ", ".join(f"{key}: {outcomes.get(key, 'not run')}" for key in survived)
    output = directory / "reports" / "output.txt"
    conftest.KILLED[mutant.name] = not survived
    assert not survived, f"mutant {mutant.name} ({mutant.defect}) survived: {details}; output in {output}"
    unspared, elsewhere = imprecision(mutant, outcomes, directory)
    if unspared or elsewhere:
        unspared, elsewhere, output = run_again(mutant, directory, unspared or elsewhere, output, pytestconfig)
    conftest.KILLED[mutant.name] = not unspared
    assert not unspared, f"mutant {mutant.name} ({mutant.defect}) should pass these, which its defect leaves intact: {unspared}; output in {output}"
    assert not elsewhere, f"mutant {mutant.name} should break the promise {mutant.breaks!r}, yet failed elsewhere: {elsewhere}; output in {output}"


def imprecision(mutant: Mutant, outcomes: dict[str, str], directory: Path) -> tuple[dict[str, str], dict[str, str]]:
    """What a killing run got wrong beyond its kills: the scenarios it should have spared (-> outcome), and those it
    failed elsewhere than at its promise (-> step). Records the steps it broke."""
    unspared = {key: outcomes.get(key, "not run") for key in mutant.spares if outcomes.get(key) != "passed"}
    return unspared, conftest.missed_promise(mutant, conftest.record_broken(mutant, directory / "reports" / "failed_steps.json"))


def run_again(mutant: Mutant, directory: Path, first: dict[str, str], output: Path, config: pytest.Config) -> tuple[dict[str, str], dict[str, str], Path]:
    """A mutant that failed a scenario it should spare, or failed one elsewhere than at its promise, is run once more:
    on a loaded machine a mutant's own app can time out (a 504 from its nginx while the engine serves the other runs).
    The first run is named either way; the second decides: (unspared, elsewhere, its output)."""
    say(f"mutants: {mutant.name}: {first} (output in {output}); running it once more")
    again = directory.parent / f"{directory.name}-again"
    again.mkdir()
    unspared, elsewhere = imprecision(mutant, mutate_and_run(mutant, again, config), again)
    say(f"mutants: {mutant.name} run again: " + (f"{unspared or elsewhere} again" if unspared or elsewhere else "spared and broke as it should"))
    return unspared, elsewhere, again / "reports" / "output.txt"


def _remove_mutant_images(mutant: Mutant) -> None:
    if mutant.tier != "static":
        for component in COMPONENTS:
            run(["docker", "rmi", f"todo-chatbot-{component}:mutant-{mutant.name}"], timeout=120)


def test_every_scenario_of_every_tier_has_a_mutant(tmp_path: Path) -> None:
    """A scenario no mutant kills is a check nobody has seen fail."""
    outcome = run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", " or ".join(TIERS), TEST_MODULE,
                   f"--report-dir={tmp_path}"], timeout=120, cwd=SUITE_ROOT)
    collected = set(json.loads((tmp_path / "scenarios.json").read_text())) if (tmp_path / "scenarios.json").exists() else set()
    assert collected, f"no scenarios collected:\n{outcome.output}"
    targeted = {key for mutant in MUTANTS for key in mutant.kills + mutant.differs}
    assert not collected - targeted, f"scenarios no mutant targets: {sorted(collected - targeted)}"
    assert not targeted - collected, f"mutants target scenarios that do not exist: {sorted(targeted - collected)}"
