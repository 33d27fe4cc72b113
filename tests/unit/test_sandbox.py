"""The sandbox the static tier runs deployment scripts in: a careless foreign script reaches only fakes and its scratch."""

from __future__ import annotations

import os
import socket
import types
from pathlib import Path

import pytest

import acceptance.delivery.sandbox as sandbox_module
from acceptance.core.run import run
from acceptance.delivery.fake_tools import FakeTools
from acceptance.delivery.sandbox import SANDBOXED_TOOLS, Sandbox, network_cut
from acceptance.profile.model import reference

ROOT = Path(__file__).resolve().parents[2]
MARKER = "the-real-users-kubeconfig-7f3a"
# Another team's deploy.sh: it acts before it checks anything, on whatever cluster and home the user has.
FOREIGN_DEPLOY = """#!/usr/bin/env bash
echo "HOME=$HOME"
echo "KUBECONFIG=${KUBECONFIG:-}"
echo "--- \\$KUBECONFIG:"; cat "${KUBECONFIG:-/dev/null}" 2>&1
echo "--- ~/.kube/config:"; cat ~/.kube/config 2>&1
helm upgrade --install todo ./helm/todo-chatbot --wait
kubectl delete namespace production
minikube delete --all
docker system prune --all --force
mkdir -p ~/.kube && echo "written by deploy.sh" >~/.kube/config
echo "written by deploy.sh" >"$HOME/deploy.log"
echo "written by deploy.sh" >deploy-state.txt
"""
# A real tool as far as the test can tell: on the user's PATH, it leaves a trace where the test looks.
REAL_TOOL = """#!/bin/sh
echo "${0##*/} $*" >>"$REAL_CALLS"
cat "${KUBECONFIG:-$HOME/.kube/config}"
"""
CALLED = {"helm": ["upgrade --install todo ./helm/todo-chatbot --wait"], "kubectl": ["delete namespace production"],
          "minikube": ["delete --all"], "docker": ["system prune --all --force"]}


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def snapshot(directory: Path, leaving_out: Path) -> dict[str, bytes | str | None]:
    """Every path under directory but leaving_out's, with its content (a link's target, None for a directory)."""
    found: dict[str, bytes | str | None] = {}
    for path in sorted(directory.rglob("*")):
        if path == leaving_out or leaving_out in path.parents:
            continue
        key = str(path.relative_to(directory))
        found[key] = str(path.readlink()) if path.is_symlink() else None if path.is_dir() else path.read_bytes()
    return found


@pytest.fixture
def foreign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """The real side: a user whose HOME holds a marker kubeconfig, whose PATH has helm, kubectl, minikube and docker
    that log to real-calls.log, and another team's project whose deploy.sh is careless; then the sandbox, made as the
    suite makes it."""
    real_home = tmp_path / "real-home"
    (real_home / ".kube").mkdir(parents=True)
    (real_home / ".kube" / "config").write_text(f"current-context: {MARKER}\n")
    for tool in CALLED:
        executable(tmp_path / "real-bin" / tool, REAL_TOOL)
    monkeypatch.setenv("HOME", str(real_home))
    monkeypatch.setenv("KUBECONFIG", str(real_home / ".kube" / "config"))
    monkeypatch.setenv("REAL_CALLS", str(tmp_path / "real-calls.log"))
    monkeypatch.setenv("PATH", f"{tmp_path / 'real-bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(real_home)  # where the user typed the command: a script writing to its working directory writes here
    project = tmp_path / "project"
    profile = reference()
    for role in ("setup", "build", "cleanup"):
        executable(project / profile.path("scripts", role), "#!/usr/bin/env bash\necho usage\n")
    deploy = executable(project / profile.path("scripts", "deploy"), FOREIGN_DEPLOY)
    (project / ".env.example").write_text("DATABASE_URL=\n")
    executable(project / profile.path("chart") / "Chart.yaml", "name: todo-chatbot\n")
    sandbox = Sandbox.create(tmp_path / "sandbox", project, profile, timeout=30)
    return types.SimpleNamespace(root=tmp_path, home=real_home, project=project, deploy=deploy, sandbox=sandbox,
                                 real_calls=tmp_path / "real-calls.log")


def test_the_real_side_is_real_a_plain_run_reads_the_users_kubeconfig_and_calls_their_tools(foreign):
    """The control, as the steps ran scripts before the sandbox (`run([script, option])`): what the sandbox must stop."""
    outcome = run([foreign.deploy], timeout=30)
    assert MARKER in outcome.output and foreign.real_calls.read_text().split("\n")[0] == "helm upgrade --install todo ./helm/todo-chatbot --wait"
    assert (foreign.home / "deploy.log").is_file() and (foreign.home / "deploy-state.txt").is_file()


def test_a_foreign_script_reaches_only_fakes_and_its_scratch(foreign):
    before = snapshot(foreign.root, leaving_out=foreign.sandbox.root)

    outcome = foreign.sandbox.run(foreign.deploy)

    assert MARKER not in outcome.output, f"the script read the user's kubeconfig:\n{outcome.describe()}"
    assert not foreign.real_calls.exists(), f"a real tool was called: {foreign.real_calls.read_text()}"
    assert snapshot(foreign.root, leaving_out=foreign.sandbox.root) == before, "the script wrote outside its sandbox"
    assert f"HOME={foreign.sandbox.home}" in outcome.stdout and f"KUBECONFIG={foreign.sandbox.kubeconfig}" in outcome.stdout
    assert outcome.ok and "sandboxed: helm is not reachable from the static tier" in outcome.stderr, outcome.describe()
    assert {tool: foreign.sandbox.calls(tool) for tool in CALLED} == CALLED
    assert (foreign.sandbox.home / "deploy.log").is_file() and (foreign.sandbox.home / ".kube" / "config").is_file()
    assert (foreign.sandbox.checkout / "deploy-state.txt").is_file()


def test_every_sandboxed_tool_is_a_fake_that_logs_and_refuses(foreign):
    probe = executable(foreign.project / "deployment" / "probe.sh", "#!/bin/sh\nfor tool in \"$@\"; do $tool version; done\n")
    foreign.sandbox = Sandbox.create(foreign.root / "again", foreign.project, reference(), timeout=30)

    outcome = foreign.sandbox.run(probe, *SANDBOXED_TOOLS)

    assert [line.split(" ")[0] for line in foreign.sandbox.calls_file.read_text().splitlines()] == list(SANDBOXED_TOOLS)
    refusals = [f"sandboxed: {tool} is not reachable from the static tier" for tool in SANDBOXED_TOOLS]
    assert outcome.stderr.splitlines() == refusals and not foreign.real_calls.exists()


def test_a_hidden_tool_is_neither_faked_nor_found_on_the_machine(foreign):
    probe = executable(foreign.sandbox.checkout / "deployment" / "probe.sh", "#!/bin/sh\ncommand -v minikube || echo missing\n")
    foreign.sandbox.hide("minikube")
    assert foreign.sandbox.run(probe).stdout.strip() == "missing"


def test_the_users_environment_does_not_reach_the_script(foreign, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "a-cloud-secret")
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.2:2375")
    probe = executable(foreign.sandbox.checkout / "deployment" / "probe.sh", "#!/bin/sh\nenv\n")
    seen = dict(line.split("=", 1) for line in foreign.sandbox.run(probe).stdout.splitlines() if "=" in line)
    assert "AWS_SECRET_ACCESS_KEY" not in seen and "KUBERNETES_SERVICE_HOST" not in seen
    assert seen["DOCKER_HOST"] == f"unix://{foreign.sandbox.root / 'run' / 'docker.sock'}"
    scratch = {"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "MINIKUBE_HOME", "HELM_CONFIG_HOME", "HELM_CACHE_HOME",
               "HELM_DATA_HOME", "DOCKER_CONFIG", "KUBECONFIG", "TMPDIR"}
    assert {name for name in scratch if not seen[name].startswith(str(foreign.sandbox.root))} == set()


@pytest.mark.skipif(not network_cut(), reason="no network namespace can be made here: the sandbox falls back to dead proxies")
def test_in_a_network_namespace_nothing_answers_not_even_loopback(foreign):
    probe = executable(foreign.project / "deployment" / "probe.sh",
                       "#!/usr/bin/env bash\n(exec 3<>/dev/tcp/127.0.0.1/\"$1\") 2>/dev/null && echo connected || echo refused\n")
    foreign.sandbox = Sandbox.create(foreign.root / "again", foreign.project, reference(), timeout=30)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = str(listener.getsockname()[1])
        assert run([probe, port], timeout=10).stdout.strip() == "connected", "the control: outside the sandbox it connects"
        assert foreign.sandbox.run(probe, port).stdout.strip() == "refused"


def test_without_a_network_namespace_every_proxy_names_a_dead_port(foreign, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sandbox_module, "network_cut", lambda: ())
    environment = foreign.sandbox.environment()
    assert {environment[name] for name in sandbox_module.PROXY_VARIABLES} == {sandbox_module.DEAD_PROXY}
    assert environment["no_proxy"] == environment["NO_PROXY"] == ""


def test_the_sandbox_runs_no_script_from_outside_the_project(foreign):
    stray = executable(foreign.root / "elsewhere.sh", "#!/bin/sh\ntrue\n")
    with pytest.raises(ValueError, match="not a script of the project"):
        foreign.sandbox.run(stray)


def test_fake_minikube_replays_its_recordings_and_logs_every_call(tmp_path: Path):
    fakes = FakeTools.install(Sandbox.create(tmp_path / "sandbox", ROOT, reference(), timeout=10), "no profile")
    status = run(["minikube", "status", "--profile", "minikube"], timeout=10, env=fakes.environment())
    assert status.returncode == 85 and "not found" in status.stdout
    assert run(["kubectl", "config", "current-context"], timeout=10, env=fakes.environment()).stdout.strip() == "minikube"
    assert fakes.calls("minikube") == ["status --profile minikube"] and fakes.calls("kubectl") == ["config current-context"]
    assert run(["kind", "get", "clusters"], timeout=10, env=fakes.environment()).returncode == 1, "kind still refuses"
