"""Proof that the gate can fail: each mutant must make its scenarios fail while the reference passes them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from fixtures.docker_engine import DockerUnavailable, connect
from tests.mutants import conftest
from tests.mutants.catalog import MUTANTS, Mutant

SUITE_ROOT = Path(__file__).resolve().parents[2]
COPIED = ("images", "helm", "deployment", ".env.example")
IGNORED = shutil.ignore_patterns("node_modules", "dist", "__pycache__", ".venv", ".pytest_cache")
TEST_MODULE = "steps/test_acceptance.py"


def copy_reference(destination: Path) -> Path:
    """A copy of the reference deployment (not the suite) to mutate."""
    for name in COPIED:
        source = SUITE_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=IGNORED, symlinks=True)
        else:
            shutil.copy2(source, destination / name)
    return destination


def run_suite(project_root: Path, test_names: list[str], report_dir: Path, image_tag: str, config: pytest.Config) -> dict[str, str]:
    """Run the acceptance suite on project_root for the named tests; outcome per test name."""
    report_dir.mkdir(parents=True, exist_ok=True)
    cluster = ["--cluster", config.getoption("cluster")]
    cluster += [f"--kubeconfig={config.getoption('kubeconfig')}"] if config.getoption("kubeconfig") else []
    cluster += ["--kube-context", config.getoption("kube_context")] if config.getoption("kube_context") else []
    command = [sys.executable, "-m", "pytest", *[f"{TEST_MODULE}::{name}" for name in test_names],
               f"--project-root={project_root}", f"--report-dir={report_dir}", "--no-gate", *cluster,
               "--frontend-image", f"todo-chatbot-frontend:{image_tag}", "--backend-image", f"todo-chatbot-backend:{image_tag}",
               # a mutant that never turns Ready should fail in a minute and a half, not in the full budget
               "-o", "timeout_ready=90", "-q", "-p", "no:cacheprovider"]
    completed = subprocess.run(command, cwd=SUITE_ROOT, capture_output=True, text=True, timeout=3600)
    (report_dir / "output.txt").write_text(completed.stdout + completed.stderr)
    outcomes = {}
    junit = report_dir / "junit.xml"
    if junit.exists():
        for case in ElementTree.parse(junit).getroot().iter("testcase"):
            tags = {child.tag for child in case}
            outcomes[case.get("name")] = "failed" if tags & {"failure", "error"} else "skipped" if "skipped" in tags else "passed"
    return outcomes


def _tier_unavailable(tier: str, config: pytest.Config) -> str | None:
    """Why the mutant's tier cannot run here (None when it can)."""
    if tier == "static":
        return None
    try:
        connect()
    except DockerUnavailable as error:
        return str(error)
    if tier == "cluster":
        from fixtures.cluster_tier import cluster_unavailable_reason

        return cluster_unavailable_reason(config)
    return None


@pytest.fixture(scope="session")
def reference_outcomes(tmp_path_factory, pytestconfig) -> dict[str, str]:
    """The reference deployment's outcome for every scenario some mutant targets (run once)."""
    tiers = {tier for tier in ("static", "image", "cluster") if not _tier_unavailable(tier, pytestconfig)}
    names = sorted({name for mutant in MUTANTS if mutant.tier in tiers for name in mutant.kills})
    return run_suite(SUITE_ROOT, names, tmp_path_factory.mktemp("reference") / "reports", "1.0.0", pytestconfig)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_mutant_is_killed(mutant: Mutant, reference_outcomes: dict[str, str], tmp_path: Path, pytestconfig) -> None:
    reason = _tier_unavailable(mutant.tier, pytestconfig)
    if reason:
        if pytestconfig.getoption("gate"):
            pytest.fail(f"gate mode: mutant {mutant.name} needs the {mutant.tier} tier: {reason}")
        pytest.skip(f"tier '{mutant.tier}' cannot run: {reason}")
    not_passing = {name: reference_outcomes.get(name, "not run") for name in mutant.kills if reference_outcomes.get(name) != "passed"}
    assert not not_passing, f"the reference deployment does not pass {not_passing}, so failing them proves nothing"
    root = copy_reference(tmp_path / "deployment")
    for edit in mutant.edits:
        edit(root)
    outcomes = run_suite(root, mutant.kills, tmp_path / "reports", f"mutant-{mutant.name}", pytestconfig)
    survived = [name for name in mutant.kills if outcomes.get(name) != "failed"]
    conftest.KILLED[mutant.name] = not survived
    _remove_mutant_images(mutant)
    details = ", ".join(f"{name}: {outcomes.get(name, 'not run')}" for name in survived)
    assert not survived, f"mutant {mutant.name} ({mutant.defect}) survived: {details}; output in {tmp_path / 'reports' / 'output.txt'}"


def _remove_mutant_images(mutant: Mutant) -> None:
    if mutant.tier != "static":
        for component in ("frontend", "backend"):
            subprocess.run(["docker", "rmi", f"todo-chatbot-{component}:mutant-{mutant.name}"], capture_output=True)


def test_every_static_and_image_scenario_has_a_mutant() -> None:
    """A scenario no mutant kills is a check nobody has seen fail."""
    completed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "static or image", TEST_MODULE,
                                f"--report-dir={SUITE_ROOT / 'reports' / 'collect'}"],
                               cwd=SUITE_ROOT, capture_output=True, text=True, timeout=120)
    collected = {line.split("::", 1)[1] for line in completed.stdout.splitlines() if line.startswith(TEST_MODULE + "::")}
    assert collected, f"no scenarios collected:\n{completed.stdout}{completed.stderr}"
    targeted = {name for mutant in MUTANTS if mutant.tier in ("static", "image") for name in mutant.kills}
    assert not collected - targeted, f"scenarios no mutant targets: {sorted(collected - targeted)}"
    assert not targeted - collected, f"mutants target scenarios that do not exist: {sorted(targeted - collected)}"
