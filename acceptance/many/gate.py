"""The suite run on one repository of the list, in a directory of its own: cloned (a URL), a profile drafted (none given),
then a child pytest with its own report dir and scratch; and the list run N repositories at a time."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from acceptance.core.progress import say
from acceptance.core.run import Result, run, stop_running
from acceptance.many.listing import Entry
from acceptance.many.table import RepositoryResult, could_not_judge

SUITE_ROOT = Path(__file__).resolve().parents[2]
TEST_MODULE = "steps/test_acceptance.py"
CLONE_TIMEOUT = 600.0
DRAFT_TIMEOUT = 120.0
# The drafter's contract: `python -m acceptance.profile draft DIR` prints a profile for the repository at DIR.
DRAFTER_MODULE = "acceptance.profile.__main__"
NO_DRAFTER = "no profile given and no drafter available: give a profile on the line"
# Tiers that share one thing on this machine (the Docker engine's image tags, the one cluster and its run lock): a
# repository's run that has one of them waits for the others' to end.
SHARED_TIERS = ("image", "cluster")


class CouldNotRun(Exception):
    """The repository could not be gated at all (its clone, its profile); the message is the one-line cause."""


@dataclasses.dataclass(frozen=True)
class Plan:
    """What every repository's run gets: where the runs go, which tiers, how long one may take, which Python runs pytest."""

    out: Path
    tiers: tuple[str, ...]
    timeout: float
    python: str

    @property
    def marker(self) -> str:
        return " or ".join(self.tiers)

    @property
    def exclusive(self) -> bool:
        return any(tier in SHARED_TIERS for tier in self.tiers)


def run_directory(plan: Plan, entry: Entry) -> Path:
    return plan.out / "runs" / entry.slug


def clone(entry: Entry, directory: Path) -> Path:
    """A shallow clone of the entry's URL in directory/checkout, git never prompting for a password.

    Raises:
        CouldNotRun: git failed; its message, the URL's credentials left out.
    """
    checkout = directory / "checkout"
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    result = run(["git", "clone", "--quiet", "--depth", "1", entry.repository, str(checkout)], timeout=CLONE_TIMEOUT, env=environment)
    if not result.ok:
        detail = (result.stderr.strip() or result.stdout.strip()).replace(entry.repository, entry.label).splitlines()
        raise CouldNotRun(f"clone failed: git clone {entry.label} exited {result.returncode}: {' '.join(detail)[:300]}")
    return checkout


def drafter_available() -> bool:
    return importlib.util.find_spec(DRAFTER_MODULE) is not None


def draft(root: Path, directory: Path, python: str) -> Path:
    """A profile drafted for the repository at root (directory/profile.yaml), by the drafter's CLI.

    Raises:
        CouldNotRun: there is no drafter, or it failed.
    """
    if not drafter_available():
        raise CouldNotRun(NO_DRAFTER)
    result = run([python, "-m", "acceptance.profile", "draft", str(root)], timeout=DRAFT_TIMEOUT, cwd=SUITE_ROOT)
    if not result.ok or not result.stdout.strip():
        raise CouldNotRun(f"the profile drafter failed (exit {result.returncode}): {first_error(result) or 'it printed no profile'}")
    profile = directory / "profile.yaml"
    profile.write_text(result.stdout)
    return profile


def pytest_command(plan: Plan, profile: Path, root: Path, directory: Path) -> list[str]:
    """The child pytest: its own report dir and --basetemp (the sandboxes and every scratch file of the run under it)."""
    return [plan.python, "-m", "pytest", TEST_MODULE, "-m", plan.marker, f"--profile={profile.resolve()}", f"--project-root={root.resolve()}",
            f"--report-dir={directory / 'reports'}", f"--basetemp={directory / 'tmp'}", "-q", "-p", "no:cacheprovider"]


def first_error(result: Result) -> str:
    """What a run that wrote no verdict said: pytest's 'ERROR: ...' line and the line after it, else its last line."""
    lines = [line.strip() for line in (result.stderr + "\n" + result.stdout).splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if line.startswith("ERROR:"):
            return " ".join(lines[index:index + 2]).removeprefix("ERROR: ")[:400]
    return lines[-1][:400] if lines else ""


def result_of(entry: Entry, profile_name: str, directory: Path, result: Result, seconds: float, out: Path) -> RepositoryResult:
    """The run's result from what it wrote (verdict.json, scenarios.json), or its cause when it wrote no verdict."""
    reports = directory / "reports"
    page = reports / "acceptance.html"
    report = str(page.relative_to(out)) if page.exists() else ""
    try:
        verdict = json.loads((reports / "verdict.json").read_text())
        word, line = verdict["verdict"], verdict["line"]
        outcomes = json.loads((reports / "scenarios.json").read_text())
    except (OSError, json.JSONDecodeError, KeyError, TypeError):
        how = "timed out" if result.timed_out else f"exited {result.returncode}"
        cause = f"the suite {how} without a verdict: {first_error(result) or 'no output'} (see {directory.relative_to(out)}/output.txt)"
        return could_not_judge(entry.line, entry.label, profile_name, cause, seconds, report)
    return RepositoryResult(entry.line, entry.label, profile_name, word, line, "", report, seconds, outcomes)


def gate(entry: Entry, plan: Plan, shared_tiers: threading.Lock) -> RepositoryResult:
    """Run the suite on one repository; never raises for the repository's own trouble (it becomes the row's cause)."""
    started = time.monotonic()
    directory = run_directory(plan, entry)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    profile_name = entry.profile or "none given"
    try:
        root = clone(entry, directory) if entry.is_url else entry.path
        profile = entry.profile_path or draft(root, directory, plan.python)
        profile_name = entry.profile or f"drafted: {profile.relative_to(plan.out)}"
    except CouldNotRun as cause:
        return could_not_judge(entry.line, entry.label, profile_name, str(cause), time.monotonic() - started)
    command = pytest_command(plan, profile, root, directory)
    if plan.exclusive:
        with shared_tiers:
            result = run(command, timeout=plan.timeout, cwd=SUITE_ROOT)
    else:
        result = run(command, timeout=plan.timeout, cwd=SUITE_ROOT)
    (directory / "output.txt").write_text(redact_output(entry, result.stdout + result.stderr))
    return result_of(entry, profile_name, directory, result, time.monotonic() - started, plan.out)


def redact_output(entry: Entry, text: str) -> str:
    """text without the user and token of the entry's URL (the saved output is published with the table)."""
    return text.replace(entry.repository, entry.label) if entry.is_url else text


def gate_all(entries: list[Entry], plan: Plan, jobs: int) -> list[RepositoryResult]:
    """Every entry's result, jobs repositories at a time (those with a shared tier one at a time), in list order; a
    progress line as each starts and ends."""
    shared_tiers = threading.Lock()
    total = len(entries)

    def one(position: int, entry: Entry) -> RepositoryResult:
        say(f"gate-many [{position}/{total}] started {entry.label} with {entry.profile or 'a drafted profile'} (line {entry.line}, {plan.marker})")
        result = gate(entry, plan, shared_tiers)
        say(f"gate-many [{position}/{total}] finished {entry.label} in {result.seconds:.1f} s: {result.verdict_line}")
        return result

    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="gate-many")
    futures = [pool.submit(one, position, entry) for position, entry in enumerate(entries, start=1)]
    try:
        return [future.result() for future in futures]
    except BaseException:  # Ctrl-C: the children run in sessions of their own, so stop them before the workers are awaited
        pool.shutdown(wait=False, cancel_futures=True)
        stop_running()
        raise
    finally:
        pool.shutdown(wait=True)
