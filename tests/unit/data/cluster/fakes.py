"""Test helper: puts fake minikube/kind/kubectl executables (fake_cli.py) on PATH with a scenario of recorded answers."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent


def kubeconfig_for(server: str) -> str:
    """A kubeconfig whose one (current) context reaches server with a token that is no secret."""
    return (f'apiVersion: v1\nkind: Config\nclusters: [{{name: test, cluster: {{server: "{server}"}}}}]\n'
            "users: [{name: someone, user: {token: not-a-secret}}]\n"
            "contexts: [{name: test, context: {cluster: test, user: someone}}]\ncurrent-context: test\n")


class FakeTools:
    """Fake CLIs in tmp_path/bin; the only directory on PATH, so real tools are hidden."""

    def __init__(self, tmp_path: Path, monkeypatch) -> None:
        self.bin_dir = tmp_path / "bin"
        self.bin_dir.mkdir()
        self.scenario_file = tmp_path / "scenario.json"
        self.call_log = tmp_path / "calls.jsonl"
        self.call_log.touch()
        self.rules: list[dict] = []
        self.values: dict[str, object] = {}
        self.home = tmp_path / "home"
        self.home.mkdir()
        monkeypatch.setenv("PATH", str(self.bin_dir))
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.delenv("KUBECONFIG", raising=False)
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.setenv("FAKE_CLI_SCENARIO", str(self.scenario_file))
        monkeypatch.setenv("FAKE_CLI_LOG", str(self.call_log))
        self._monkeypatch = monkeypatch
        self._save()

    def install(self, *tools: str) -> None:
        """Put executables named tools on PATH."""
        for tool in tools:
            wrapper = self.bin_dir / tool
            wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {DATA / 'fake_cli.py'} {tool} \"$@\"\n")
            wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def answer(self, tool: str, contains: list[str], *, stdout: str = "", stderr: str = "", exit_code: int = 0,
               stdout_file: str | None = None, stderr_file: str | None = None, serve_port_forward: bool = False) -> None:
        """Add a recorded answer: the first added rule that matches a call wins."""
        rule: dict[str, object] = {"tool": tool, "contains": contains, "exit": exit_code, "stdout": stdout, "stderr": stderr}
        if stdout_file:
            rule["stdout_file"] = stdout_file
        if stderr_file:
            rule["stderr_file"] = stderr_file
        if serve_port_forward:
            rule["serve_port_forward"] = True
        self.rules.append(rule)
        self._save()

    def set_values(self, **values: object) -> None:
        """Values substituted for {name} in recorded output (ports chosen at run time)."""
        self.values.update(values)
        self._monkeypatch.setenv("FAKE_CLI_VALUES", json.dumps(self.values))

    def calls(self, tool: str | None = None) -> list[list[str]]:
        """Every call made so far, as [tool, args...], optionally only those of tool."""
        entries = [json.loads(line) for line in self.call_log.read_text().splitlines() if line.strip()]
        return [entry for entry in entries if tool is None or entry[0] == tool]

    def called(self, tool: str, *words: str) -> bool:
        return any(all(word in call[1:] for word in words) for call in self.calls(tool))

    def first_call(self, tool: str, word: str) -> list[str]:
        """The first call of tool with word among its arguments, as [tool, args...]."""
        found = [call for call in self.calls(tool) if word in call[1:]]
        assert found, f"{tool} was never called with {word}: {self.calls(tool)}"
        return found[0]

    def api_server_answers(self) -> None:
        """kubectl's /readyz probe answers ok (recorded from the local cluster)."""
        self.answer("kubectl", ["/readyz"], stdout_file="kubectl/readyz.stdout")

    def api_server_refuses(self) -> None:
        """kubectl's /readyz probe fails: connection refused (recorded against a closed port)."""
        self.answer("kubectl", ["/readyz"], stderr_file="kubectl/unreachable.stderr", exit_code=1)

    def cluster(self, context: str, *, reachable: bool, path: Path | None = None) -> Path:
        """A kubeconfig (at ~/.kube/config or path) whose current context is context, its API server answering or refusing."""
        self.answer("kubectl", ["config", "current-context"], stdout=f"{context}\n")
        if reachable:
            self.api_server_answers()
        else:
            self.api_server_refuses()
        return self.write_kubeconfig(context, path)

    def write_kubeconfig(self, current_context: str, path: Path | None = None) -> Path:
        """A kubeconfig file (content irrelevant to the fake kubectl) at ~/.kube/config or path."""
        target = path or self.home / ".kube" / "config"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"apiVersion: v1\nkind: Config\ncurrent-context: {current_context}\n")
        return target

    def _save(self) -> None:
        self.scenario_file.write_text(json.dumps(self.rules))
