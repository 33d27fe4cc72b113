"""The local cluster for real, from an empty state directory, as a newcomer's machine has it: it starts, nothing of it
listens beyond loopback and the node's address, and a start that fails leaves no process. Two mutants of up.sh (the
start order that raced on an empty state, an API server on every interface) must fail the start and leave nothing.

Needs root on Linux and build.sh's outputs (run first; seconds when cached), and no cluster running: run by
`make cluster-selftest` and `make test`. Each test starts from a state directory of its own, removed after.
The first test also compares the host before up.sh and after down.sh: every sysctl, and the mount table."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "cluster" / "local"
# Ports the cluster's components hold (lib.sh, up.sh): none may be held before a test or after its down.sh.
PORTS = (6443, 2379, 2380, 10248, 10250, 10256, 10257, 10259)
START_TIMEOUT = 300


def listening(ports=PORTS) -> list[str]:
    """The ss lines of sockets listening on one of ports, on any address."""
    lines = subprocess.run(["ss", "-Hlntup"], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line for line in lines if any(line.split()[4].endswith(f":{port}") for port in ports)]


def processes_of(state: Path) -> list[str]:
    """Every process whose command line names the state directory (each component's does: its config, data or
    socket is there), with its pid."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(state) in command and proc.name != str(os.getpid()):
                found.append(f"{proc.name}: {command[:160]}")
    return found


@pytest.fixture(scope="session", autouse=True)
def built_and_alone():
    """The build (cached), and no cluster running: its ports would make every start here fail for another reason."""
    if os.geteuid() != 0:
        pytest.fail("these tests start a real cluster: run them as root (sudo make cluster-selftest)")
    if listening():
        pytest.fail("a cluster already holds the local cluster's ports (make cluster-down or make minikube-down stops it):\n"
                    + "\n".join(listening()))
    outcome = subprocess.run(["bash", str(LOCAL / "build.sh")], capture_output=True, text=True, timeout=3600, check=False)
    assert outcome.returncode == 0, f"build.sh failed:\n{outcome.stderr[-3000:]}"


@pytest.fixture
def state(tmp_path: Path):
    """An empty state directory; after the test, down.sh --purge for it, and nothing of it may be left."""
    directory = tmp_path / "state"
    yield directory
    subprocess.run(["bash", str(LOCAL / "down.sh"), "--purge"], env=env_for(directory), capture_output=True, timeout=300, check=False)
    assert not processes_of(directory), f"processes left after down.sh: {processes_of(directory)}"


def env_for(state: Path) -> dict[str, str]:
    return {**os.environ, "TODO_CLUSTER_STATE": str(state)}


def up(state: Path, scripts: Path = LOCAL, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(scripts / "up.sh"), *arguments], env=env_for(state), capture_output=True, text=True,
                          timeout=START_TIMEOUT, check=False)


def mutant(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of cluster/local with one edit in up.sh (the edit must apply)."""
    copy = tmp_path / "local"
    shutil.copytree(LOCAL, copy, ignore=shutil.ignore_patterns("go"))
    script = (copy / "up.sh").read_text()
    assert old in script, f"the mutant's edit does not apply: {old!r} is not in up.sh"
    (copy / "up.sh").write_text(script.replace(old, new))
    return copy


def beyond_node(state: Path, scripts: Path = LOCAL) -> str:
    """listeners_beyond_node of lib.sh: the running cluster's sockets beyond loopback and the node's address."""
    return subprocess.run(["bash", "-c", f'. "{scripts}/lib.sh"; listeners_beyond_node'], env=env_for(state), capture_output=True,
                          text=True, check=True).stdout


def assert_failed_and_left_nothing(started: subprocess.CompletedProcess, state: Path, expected: str) -> None:
    assert started.returncode != 0, f"the start should have failed:\n{started.stderr[-3000:]}"
    assert expected in started.stderr, f"the start failed for another reason than {expected!r}:\n{started.stderr[-3000:]}"
    assert "the start failed: stopping what it started" in started.stderr, started.stderr[-3000:]
    assert not processes_of(state), f"a failed start left processes: {processes_of(state)}"
    assert not listening(), f"a failed start left listeners: {listening()}"


# Counters and ids the kernel changes on its own: not settings.
VOLATILE_SYSCTLS = ("fs.dentry-state", "fs.quota.", "fs.file-nr", "fs.inode-nr", "fs.inode-state", "kernel.ns_last_pid", "kernel.random.",
                    "net.netfilter.nf_conntrack_count", "kernel.pty.nr", "fs.aio-nr")
# Settings the kubelet and kube-proxy change (lib.sh's HOST_SYSCTLS), set to their kernel defaults for the test when this
# machine carries a node's values from an earlier run (none of them matters to Docker): up.sh then changes them for real.
KERNEL_DEFAULTS = {"kernel.panic": "0", "kernel.panic_on_oops": "0", "vm.overcommit_memory": "0",
                   "net.ipv4.conf.all.route_localnet": "0"}


# Per-interface settings of interfaces other than all, default and lo: they come and go with any container on this
# machine (the cluster's own interfaces are gone after down.sh, checked above).
INTERFACE_SYSCTL = re.compile(r"^net\.ipv[46]\.(conf|neigh)\.(?!(all|default|lo)\.)")


def sysctls() -> dict[str, str]:
    lines = subprocess.run(["sysctl", "-a"], capture_output=True, text=True, check=False).stdout.splitlines()
    pairs = (line.split(" = ", 1) for line in lines if " = " in line)
    return {name: value for name, value in pairs if not name.startswith(VOLATILE_SYSCTLS) and not INTERFACE_SYSCTL.match(name)}


def propagation() -> dict[str, str]:
    """Each mount point's propagation: the optional fields of /proc/self/mountinfo without their peer group numbers."""
    table = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        optional = fields[6:fields.index("-")]
        table[fields[4]] = " ".join(sorted(field.split(":")[0] for field in optional)) or "private"
    return table


@pytest.fixture
def host_as_it_was(tmp_path: Path):
    """The host's sysctls and mount table before the test, with the node's sysctls at their kernel defaults and a private
    mount of the test's own (`mount --make-rshared /` makes it shared); all put back after."""
    set_before = {name: Path("/proc/sys", *name.split(".")).read_text().strip() for name in KERNEL_DEFAULTS}
    subprocess.run(["sysctl", "-qw", *(f"{name}={value}" for name, value in KERNEL_DEFAULTS.items())], check=True)
    private = tmp_path / "private-mount"
    private.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "selftest", str(private)], check=True)
    subprocess.run(["mount", "--make-private", str(private)], check=True)
    yield sysctls(), propagation()
    subprocess.run(["umount", str(private)], check=False)
    subprocess.run(["sysctl", "-qw", *(f"{name}={value}" for name, value in set_before.items())], check=False)


def test_up_from_an_empty_state_then_down_leaves_nothing_and_puts_the_host_back(state, host_as_it_was):
    sysctls_before, mounts_before = host_as_it_was
    started = up(state)

    assert started.returncode == 0, f"up.sh from an empty state failed:\n{started.stderr[-3000:]}"
    assert not beyond_node(state), f"the cluster listens beyond loopback and the node:\n{beyond_node(state)}"
    wildcard = [line for line in listening() if line.split()[4].startswith(("*:", "0.0.0.0:", "[::]:"))]
    assert not wildcard, f"listening on every interface: {wildcard}"
    nodes = subprocess.run(["kubectl", "--kubeconfig", str(state / "kubeconfig"), "get", "nodes", "--no-headers"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert " Ready " in nodes.stdout, nodes.stdout + nodes.stderr
    changed = {name for name, value in sysctls().items() if sysctls_before.get(name) != value}
    assert changed & set(KERNEL_DEFAULTS), "the start changed none of the node's sysctls: the check below would prove nothing"
    guard = subprocess.run(["iptables", "-t", "mangle", "-S", "TODO-CLUSTER-FORWARD"], capture_output=True, text=True, check=False).stdout
    for cidr in ("10.244.0.0/16", "10.96.0.0/16", "10.245.255.0/24"):
        assert f"-d {cidr} -j DROP" in guard, f"forwarded packets for {cidr} from other interfaces are not dropped:\n{guard}"
    stopped = subprocess.run(["bash", str(LOCAL / "down.sh"), "--purge"], env=env_for(state), capture_output=True, text=True, timeout=300, check=False)
    assert stopped.returncode == 0, stopped.stderr[-3000:]
    assert not processes_of(state) and not listening(), f"left after down.sh: {processes_of(state)} {listening()}"
    assert not state.exists()
    after = sysctls()
    differ = {name: (sysctls_before.get(name), after.get(name)) for name in set(sysctls_before) | set(after)
              if sysctls_before.get(name) != after.get(name)}
    assert not differ, f"sysctls not put back by down.sh (before, after): {differ}"
    # Mounts of other programs (a Docker container's) may come and go meanwhile: compare the mounts there before and after.
    mounts_after = propagation()
    differ = {point: (kind, mounts_after[point]) for point, kind in mounts_before.items()
              if point in mounts_after and mounts_after[point] != kind}
    assert not differ, f"mount propagation not put back by down.sh (before, after): {differ}"
    assert not [point for point in mounts_after if point.startswith(str(state))], "mounts left in the state directory"


def test_a_start_that_times_out_leaves_no_process(state):
    assert_failed_and_left_nothing(up(state, LOCAL, "--timeout", "1"), state, "within 1s")


def test_mutant_kube_router_started_before_the_node_is_registered_fails_from_an_empty_state(state, tmp_path):
    scripts = mutant(tmp_path, 'wait_until "node $NODE_NAME registered" "$ready_timeout" kubelet node_registered', "true")
    assert_failed_and_left_nothing(up(state, scripts), state, "kube-router exited")


def test_mutant_api_server_on_every_interface_fails_the_start(state, tmp_path):
    scripts = mutant(tmp_path, '--bind-address "$NODE_IP" --anonymous-auth=false', "--bind-address 0.0.0.0 --anonymous-auth=false")
    started = up(state, scripts)
    assert_failed_and_left_nothing(started, state, "the cluster listens beyond loopback and the node's address")
    assert ":6443" in started.stderr and "kube-apiserver" in started.stderr, started.stderr[-2000:]
