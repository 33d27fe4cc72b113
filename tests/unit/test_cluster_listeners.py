"""Nothing of the suite's clusters listens beyond loopback and the node's own address: proven from the flags up.sh
passes, and from the listening sockets by the check up.sh runs at every start (cluster/local/lib.sh)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCAL_UP = ROOT / "cluster" / "local" / "up.sh"
MINIKUBE_UP = ROOT / "cluster" / "minikube" / "up.sh"
LOCAL_ONLY = {"127.0.0.1", "$NODE_IP", '"$NODE_IP"'}


def test_every_address_the_local_cluster_binds_is_loopback_or_the_node():
    script = LOCAL_UP.read_text()
    binds = re.findall(r"--bind-address[ =](\S+)", script)
    listens = re.findall(r"--listen-[a-z-]+ \"https?://([^:\"]+):", script)
    config_addresses = re.findall(r"^(?:address|healthzBindAddress|metricsBindAddress): *([^\s:]+)", script, flags=re.MULTILINE)

    assert len(binds) == 3 and set(binds) <= LOCAL_ONLY, f"the API server, controller manager and scheduler bind {binds}"
    assert listens and set(listens) == {"127.0.0.1"}, f"etcd listens on {listens}"
    assert len(config_addresses) == 4 and set(config_addresses) <= LOCAL_ONLY, f"the kubelet and kube-proxy listen on {config_addresses}"
    assert '--anonymous-auth=false' in script, "the API server answers anonymous requests"
    assert re.search(r'\[debug\]\n  address = ""\n\[metrics\]\n  address = ""', script), "containerd's debug or metrics address is open"


@pytest.mark.parametrize("script", [LOCAL_UP, MINIKUBE_UP], ids=["local", "minikube"])
def test_kube_router_opens_no_health_or_metrics_port(script):
    """Its health server listens on every interface whatever the address flags say; nothing here reads it."""
    flags = re.findall(r"--(health|metrics)-port (\S+)", script.read_text())
    assert flags == [("health", "0"), ("metrics", "0")], flags


SS_OUTPUT = """\
tcp LISTEN 0 4096 10.245.255.1:6443 0.0.0.0:* users:(("kube-apiserver",pid=101,fd=3))
tcp LISTEN 0 4096 127.0.0.1:2379 0.0.0.0:* users:(("etcd",pid=102,fd=7))
tcp LISTEN 0 4096 [::1]:10257 [::]:* users:(("kube-controller",pid=103,fd=3))
tcp LISTEN 0 4096 *:20244 *:* users:(("kube-router",pid=104,fd=9))
tcp LISTEN 0 4096 0.0.0.0:10256 0.0.0.0:* users:(("kube-proxy",pid=105,fd=11))
tcp LISTEN 0 4096 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=900,fd=3))
udp UNCONN 0 0 [::]:8472 [::]:* users:(("other",pid=901,fd=3),("kube-router",pid=104,fd=12))
"""


def beyond_node(tmp_path: Path, running: dict[str, int]) -> list[str]:
    """What listeners_beyond_node prints, with a fake ss and these components running (their pid files; the pids are
    made up, so pid_alive is taken from the files)."""
    fakes = tmp_path / "bin"
    fakes.mkdir()
    (fakes / "ss").write_text(f"#!/bin/sh\ncat <<'EOF'\n{SS_OUTPUT}EOF\n")
    (fakes / "ss").chmod(0o755)
    pids = tmp_path / "state" / "pids"
    pids.mkdir(parents=True)
    for name, pid in running.items():
        (pids / f"{name}.pid").write_text(f"{pid}\n")
    script = (f'. "{ROOT}/cluster/local/lib.sh"\n'
              'pid_alive() { [[ -f "$PID_DIR/$1.pid" ]]; }\n'
              'listeners_beyond_node\n')
    outcome = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, check=True,
                             env={"PATH": f"{fakes}:/usr/bin:/bin", "TODO_CLUSTER_STATE": str(tmp_path / "state")})
    return outcome.stdout.splitlines()


def test_the_start_check_names_each_component_socket_beyond_loopback_and_the_node(tmp_path):
    found = beyond_node(tmp_path, {"kube-apiserver": 101, "etcd": 102, "kube-controller-manager": 103, "kube-router": 104, "kube-proxy": 105})

    assert [line.split()[4] for line in found] == ["*:20244", "0.0.0.0:10256", "[::]:8472"], found
    assert not any("sshd" in line for line in found), "a process that is not the cluster's was named"


def test_the_start_check_is_quiet_when_the_cluster_listens_on_loopback_and_the_node_only(tmp_path):
    assert beyond_node(tmp_path, {"kube-apiserver": 101, "etcd": 102, "kube-controller-manager": 103}) == []
