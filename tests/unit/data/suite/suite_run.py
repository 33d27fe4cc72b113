"""Runs the acceptance suite in a child pytest, for unit tests of its collection-time plugins."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[4]
# An address where nothing listens: the docker SDK fails at once, so the image tier is "missing".
NO_DOCKER = "tcp://127.0.0.1:1"


def run_suite(*args: str, cwd: Path = REPOSITORY, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m pytest *args` in cwd and return the finished process (text output).

    Args:
        args: pytest arguments. Give path-valued options as `--option=PATH`: pytest reads a separate
            existing PATH as a test path before the suite's conftest registers the option.
        cwd: the directory pytest starts in (its rootdir is found from there).
        env: variables added to this process's environment; CI and PYTEST_ADDOPTS are dropped so
            the gate default and the options are the ones the test gives.
        timeout: seconds before the child is killed.
    """
    environment = {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_ADDOPTS")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def run_side_by_side(runs: dict[str, dict]) -> dict[str, subprocess.CompletedProcess]:
    """Run several child pytests at once (each spends about a second importing the suite's plugins).

    Args:
        runs: name -> keyword arguments of run_suite, the pytest arguments under "args".

    Returns:
        name -> the finished process.
    """
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = {name: pool.submit(run_suite, *run["args"], **{key: value for key, value in run.items() if key != "args"})
                   for name, run in runs.items()}
        return {name: future.result() for name, future in futures.items()}


def copy_suite(destination: Path) -> Path:
    """A throwaway copy of the suite (conftest, ini, plugins, steps, features) to change without touching the tree."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    destination.mkdir(parents=True, exist_ok=True)
    for name in ("conftest.py", "pytest.ini"):
        shutil.copy2(REPOSITORY / name, destination / name)
    for name in ("fixtures", "steps", "features"):
        shutil.copytree(REPOSITORY / name, destination / name, ignore=ignore)
    return destination


def output(process: subprocess.CompletedProcess) -> str:
    """Everything the child printed, for assertions and failure messages."""
    return f"exit {process.returncode}\n--- stdout ---\n{process.stdout}\n--- stderr ---\n{process.stderr}"
