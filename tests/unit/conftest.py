"""What the unit tests share: the suite's budgets, fake cluster CLIs, and the acceptance suite run in a child pytest.

The repository's conftest.py declares the suite's plugins; this one only adds the unit tests' fixtures
(and pytester, which `pytest tests/unit` loads from here).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from data.cluster.fakes import FakeTools  # tests/unit is on sys.path (pytest's default prepend import mode)

import acceptance.kube.clusters.local as local_provider
import acceptance.kube.clusters.minikube as minikube_provider
from acceptance.core.run import run
from acceptance.core.timeouts import Timeouts

ROOT = Path(__file__).resolve().parents[2]
# An address where nothing listens: the docker SDK fails at once, so the image tier is "missing".
NO_DOCKER = "tcp://127.0.0.1:1"
# Seconds a child pytest of the suite may take (about two when the machine is idle).
CHILD_TIMEOUT = 120
# What a child pytest needs to collect the suite: its conftest, ini, library, plugins, steps and features.
SUITE_FILES = ("conftest.py", "pytest.ini")
SUITE_DIRS = ("acceptance", "fixtures", "steps", "features", "profiles")


@pytest.fixture(scope="session")
def timeouts() -> Timeouts:
    """The suite's budgets as pytest.ini sets them (what the providers get in a real run)."""
    return Timeouts.from_ini(ROOT / "pytest.ini")


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeTools]:
    """Factory: fake_tools("kind", "kubectl") puts those fake CLIs alone on PATH and returns them (answers, calls).

    The fakes replay recorded output from tests/unit/data/cluster; HOME is a fresh directory and
    KUBECONFIG is unset, so no real cluster is ever reached.
    """
    made: list[FakeTools] = []

    def make(*installed: str) -> FakeTools:
        assert not made, "one set of fake tools per test: install more with tools.install(...)"
        made.append(FakeTools(tmp_path, monkeypatch))
        made[0].install(*installed)
        return made[0]

    return make


@pytest.fixture
def local_available(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local provider may run here (as root on Linux), whoever runs the unit tests."""
    monkeypatch.setattr(local_provider, "unavailable_reason", lambda: None)


@pytest.fixture
def local_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local provider, and the offline minikube, may not run here (not root), whoever runs the unit tests."""
    monkeypatch.setattr(local_provider, "unavailable_reason", lambda: "the local provider needs root")
    monkeypatch.setattr(minikube_provider, "offline_unavailable_reason", lambda: "the offline minikube needs root")


@pytest.fixture
def offline_minikube_available(monkeypatch: pytest.MonkeyPatch) -> None:
    """This repository's offline minikube may be built and started here (root on Linux, no systemd)."""
    monkeypatch.setattr(minikube_provider, "offline_unavailable_reason", lambda: None)


class Suite:
    """The acceptance suite run by a child pytest (pytester.runpytest_subprocess), in the repository or a copy of it."""

    def __init__(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pytester = pytester
        self.monkeypatch = monkeypatch
        # CI would switch gate mode on; the tests give --gate/--no-gate themselves.
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.setenv("DOCKER_HOST", NO_DOCKER)

    @property
    def workspace(self) -> Path:
        """A fresh directory of this test (pytester's): for copies, kubeconfigs and reports."""
        return self.pytester.path

    @property
    def report_dir(self) -> Path:
        """Where run() puts the child's reports (scenarios.json, causes.json, junit.xml ...)."""
        return self.workspace / "reports"

    def copy(self, name: str) -> Path:
        """A throwaway copy of the suite to change without touching the tree."""
        destination = self.workspace / name
        destination.mkdir()
        for file_name in SUITE_FILES:
            shutil.copy2(ROOT / file_name, destination / file_name)
        for directory in SUITE_DIRS:
            shutil.copytree(ROOT / directory, destination / directory, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        return destination

    def run(self, *args: str, root: Path = ROOT) -> pytest.RunResult:
        """`pytest *args` started in root, its reports in the workspace.

        Give path-valued options as `--option=PATH`: pytest reads a separate existing PATH as a test
        path before the suite's conftest registers the option.
        """
        self.monkeypatch.chdir(root)  # the child's working directory, and its PYTHONPATH
        return self.pytester.runpytest_subprocess(*args, f"--report-dir={self.report_dir}", timeout=CHILD_TIMEOUT)


# The reference deployment's parts under the project root (not the suite's): what a test copies to change.
DEPLOYMENT_PARTS = ("images", "helm", "deployment", ".env.example", "lint-waivers.yaml")


@pytest.fixture
def reference_deployment(tmp_path: Path) -> Path:
    """A throwaway copy of the reference deployment, to change and gate with --project-root=DIR."""
    root = tmp_path / "deployment-under-test"
    for name in DEPLOYMENT_PARTS:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, root / name)
    return root


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Suite:
    """Runs the acceptance suite in a child pytest, with no Docker engine and neither CI nor PYTEST_ADDOPTS set."""
    return Suite(pytester, monkeypatch)


@pytest.fixture(scope="session")
def suite_side_by_side() -> Callable[[dict[str, Sequence[str]], Path], dict[str, pytest.RunResult]]:
    """Runs many child pytests of the suite at once: suite_side_by_side({name: args}, workspace) -> {name: RunResult}.

    For a module with many children, which pytester would run one after another (its runs share the
    files of one test's directory): each child spends a second or two importing the suite, so ten of
    them side by side take the time of three or four. Each starts in the repository, as the `suite`
    fixture's do: no Docker engine, neither CI nor PYTEST_ADDOPTS, HOME and reports in the workspace.
    """
    def run_all(runs: dict[str, Sequence[str]], workspace: Path) -> dict[str, pytest.RunResult]:
        environment = {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_ADDOPTS")}
        environment.update(DOCKER_HOST=NO_DOCKER, HOME=str(workspace))

        def child(name: str, args: Sequence[str]) -> pytest.RunResult:
            started = time.monotonic()
            outcome = run([sys.executable, "-m", "pytest", *args, f"--report-dir={workspace / name}"], CHILD_TIMEOUT, cwd=ROOT, env=environment)
            return pytest.RunResult(outcome.returncode, outcome.stdout.splitlines(), outcome.stderr.splitlines(), time.monotonic() - started)

        with ThreadPoolExecutor(max_workers=len(runs)) as pool:
            futures = {name: pool.submit(child, name, args) for name, args in runs.items()}
            return {name: future.result() for name, future in futures.items()}

    return run_all
