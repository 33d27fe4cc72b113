"""minikube's down.sh on a machine where Docker runs containers: it acts only on a none-driver node its up.sh started,
and then only on containerd's Kubernetes namespace. With Docker CE's layout the system containerd socket
(/run/containerd/containerd.sock) is Docker's own, its shims carry `-namespace moby`: they must be spared.

The shims here are stand-ins (a process whose command line is a shim's, as down.sh reads it); the Docker container is
real. Needs root on Linux, no minikube running (make minikube-down), and a Docker engine: run by `make cluster-selftest`
and `make test`."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIKUBE = ROOT / "cluster" / "minikube"
SOCKET = "/run/containerd/containerd.sock"
TOOLBOX_ARCHIVE_GLOB = "/var/cache/todo-chatbot-cluster/*/images/toolbox.tar"
TOOLBOX_IMAGE = "localhost/todo-chatbot-cluster/toolbox:busybox"


def run(*command: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **options, check=False)


def iptables_rules() -> str:
    """The host's rules without what changes on its own: iptables-save's timestamp comments and packet counters."""
    lines = run("iptables-save").stdout.splitlines()
    return "\n".join(re.sub(r" \[\d+:\d+\]$", "", line) for line in lines if not line.startswith("#"))


def host_snapshot() -> dict[str, str]:
    """What a down.sh that acts where it should not would change: iptables, mounts, interfaces, Kubernetes' files."""
    return {
        "iptables": iptables_rules(),
        "mounts": Path("/proc/self/mountinfo").read_text(),
        "links": run("ip", "-o", "link", "show").stdout,
        "kubernetes files": " ".join(sorted(str(path) for path in (Path("/etc/kubernetes"), Path("/var/lib/kubelet"),
                                                                     Path("/etc/init.d/containerd")) if path.exists())),
    }


@pytest.fixture(scope="module", autouse=True)
def alone():
    if os.geteuid() != 0:
        pytest.fail("these tests run cluster/minikube/down.sh: run them as root (sudo make cluster-selftest)")
    if run("pgrep", "-x", "kubelet").stdout.strip():
        pytest.fail("a kubelet runs on this machine (make minikube-down or make cluster-down stops ours): stop it first")
    if run("docker", "info").returncode != 0:
        pytest.fail("no Docker engine answers (scripts/setup.sh starts one): these tests need a real Docker container")


@pytest.fixture
def docker_container():
    """A running Docker container of this test (busybox from the local cluster's build), removed after."""
    archives = sorted(Path("/").glob(TOOLBOX_ARCHIVE_GLOB.lstrip("/")))
    if not archives:
        pytest.fail("no toolbox image archive: run cluster/local/build.sh first (make cluster-selftest does)")
    loaded = run("docker", "load", "-i", str(archives[-1]))
    assert loaded.returncode == 0, loaded.stderr
    name = f"acceptance-selftest-{uuid.uuid4().hex[:8]}"
    started = run("docker", "run", "-d", "--name", name, "--label", "todo-chatbot-acceptance=selftest", TOOLBOX_IMAGE,
                  "-c", "sleep 600")  # its entrypoint is /bin/sh
    assert started.returncode == 0, started.stderr
    yield name
    run("docker", "rm", "-f", name)


def running(container: str) -> bool:
    return run("docker", "inspect", "-f", "{{.State.Running}}", container).stdout.strip() == "true"


@pytest.fixture
def shim(tmp_path: Path):
    """start(namespace): a stand-in for a containerd shim of that namespace on the system socket; all stopped after."""
    started: list[subprocess.Popen] = []

    def start(namespace: str) -> subprocess.Popen:
        program = tmp_path / "containerd-shim-runc-v2"
        program.write_text("#!/bin/sh\nsleep 600\n")
        program.chmod(0o755)
        process = subprocess.Popen([str(program), "-namespace", namespace, "-id", uuid.uuid4().hex, "-address", SOCKET],
                                   start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def alive(process: subprocess.Popen) -> bool:
    return process.poll() is None


def down(state: Path) -> subprocess.CompletedProcess:
    return run("bash", str(MINIKUBE / "down.sh"), env={**os.environ, "TODO_MINIKUBE_STATE": str(state)})


def test_down_with_no_node_of_ours_changes_nothing_and_spares_docker(tmp_path, docker_container, shim):
    moby, k8s = shim("moby"), shim("k8s.io")
    before = host_snapshot()

    stopped = down(tmp_path / "state")

    assert stopped.returncode == 0, stopped.stderr
    assert "nothing to stop" in stopped.stderr, stopped.stderr
    assert running(docker_container), "down.sh stopped a Docker container"
    assert alive(moby) and alive(k8s), "down.sh killed a shim although no node of its up.sh runs here"
    after = host_snapshot()
    assert after == before, f"down.sh changed the host: {[key for key in before if before[key] != after[key]]}"


def test_down_of_our_node_kills_only_kubernetes_shims(tmp_path, docker_container, shim):
    state = tmp_path / "state"
    state.mkdir()
    (state / "host-before").write_text("")  # up.sh's record: the node on this host is ours
    moby, k8s = shim("moby"), shim("k8s.io")

    stopped = down(state)

    assert stopped.returncode == 0, stopped.stderr
    k8s.wait(timeout=10)
    assert not alive(k8s), "down.sh left a shim of the k8s.io namespace on the system socket"
    assert alive(moby), "down.sh killed a shim of Docker CE's namespace (moby)"
    assert running(docker_container), "down.sh stopped a Docker container"
