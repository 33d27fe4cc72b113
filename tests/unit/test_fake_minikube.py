"""The fake minikube answers as minikube does, no more leniently: a setup script that would misread the real one's
answers (its whole status without --format, another profile, a typo in a template field) misreads the fake's too."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from acceptance.delivery.fake_tools import FAKES

FAKE = FAKES / "minikube"


def minikube(tmp_path: Path, state: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "FAKE_CALLS": str(tmp_path / "calls.log"), "FAKE_MINIKUBE_STATE": state}
    return subprocess.run(["bash", str(FAKE), *arguments], env=environment, capture_output=True, text=True, check=False, timeout=30)


def test_status_fills_in_the_format_asked_and_prints_the_whole_status_without_one(tmp_path):
    assert minikube(tmp_path, "running", "status", "-p", "minikube", "--format", "{{.Host}}/{{.APIServer}}").stdout == "Running/Running"
    whole = minikube(tmp_path, "running", "status")
    assert whole.returncode == 0 and "host: Running" in whole.stdout and whole.stdout.strip() != "Running"


def test_a_stopped_profile_exits_7_and_a_missing_one_85(tmp_path):
    stopped = minikube(tmp_path, "stopped", "status", "--format={{.Host}}")
    assert (stopped.returncode, stopped.stdout) == (7, "Stopped")
    assert minikube(tmp_path, "absent", "status").returncode == 85


def test_another_profile_is_absent_and_a_template_typo_is_minikubes_error(tmp_path):
    other = minikube(tmp_path, "running", "status", "--profile=other")
    assert other.returncode == 85 and '"other" not found' in other.stdout
    typo = minikube(tmp_path, "running", "status", "--format", "{{.Hots}}")
    assert typo.returncode == 1 and "can't evaluate field Hots" in typo.stderr


def test_start_leaves_the_profile_running_for_the_calls_after_and_addons_need_it_running(tmp_path):
    assert minikube(tmp_path, "absent", "addons", "enable", "metrics-server").returncode == 80
    assert minikube(tmp_path, "absent", "start", "--driver", "docker", "--cpus", "2").returncode == 0
    assert minikube(tmp_path, "absent", "-p", "minikube", "addons", "enable", "metrics-server").returncode == 0
    assert minikube(tmp_path, "absent", "status", "--format", "{{.Host}}").stdout == "Running"


@pytest.mark.parametrize("arguments", [("addons", "list"), ("delete",), ("statuses",), ()], ids=["addons-list", "delete", "prefix", "nothing"])
def test_a_command_with_no_recording_fails(tmp_path, arguments):
    outcome = minikube(tmp_path, "running", *arguments)
    assert outcome.returncode == 64 and "no recording" in outcome.stderr
