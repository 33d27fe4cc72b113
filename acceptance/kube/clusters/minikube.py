"""The minikube provider: starts minikube when needed, loads images with `minikube image load`.

On a machine without a registry, minikube is this repository's offline build (cluster/minikube: the none driver,
Kubernetes on this host): its up.sh starts the profile, its down.sh deletes it and what the none driver leaves.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Protocol

from acceptance.core import http
from acceptance.core.run import Result, run, spawn, stop
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import WaitTimeout, wait_for
from acceptance.kube import conditions
from acceptance.kube.clusters.base import ClusterError, ClusterProvider, default_kubeconfig, progress, require, script_error, streamed, tool

INSTALL_FIX = "install minikube: https://minikube.sigs.k8s.io/docs/start/"
OFFLINE_DIR = Path(__file__).resolve().parents[3] / "cluster" / "minikube"
# Where cluster/minikube keeps its state and logs (TODO_MINIKUBE_STATE, as its scripts read it).
OFFLINE_STATE = Path(os.environ.get("TODO_MINIKUBE_STATE", "/var/lib/todo-chatbot-minikube"))
# The wrapper cluster/minikube/build.sh installs as `minikube` names its maker in its first lines.
OFFLINE_MARK = b"as cluster/minikube/build.sh built it"


def offline_build() -> bool:
    """Whether the `minikube` on PATH is this repository's offline build (started and deleted by its scripts)."""
    path = shutil.which("minikube")
    if path is None:
        return False
    with Path(path).open("rb") as wrapper:
        return OFFLINE_MARK in wrapper.read(1024)


def offline_unavailable_reason() -> str | None:
    """Why this machine cannot build and start the offline minikube (cluster/minikube), or None when it can."""
    if platform.system() != "Linux" or os.geteuid() != 0:
        return "the offline minikube (cluster/minikube, the none driver) runs Kubernetes on this host: it needs root on Linux"
    if Path("/run/systemd/system").is_dir():
        return "systemd runs this machine: install minikube as its documentation says (the offline build is for machines without it)"
    if not (OFFLINE_DIR / "up.sh").is_file():
        return f"{OFFLINE_DIR}/up.sh is missing: the suite's checkout is incomplete"
    return None


class Helper(Protocol):
    """What _answering_url reads of the helper spawn() started (a subprocess.Popen[str]; this module starts no process)."""

    @property
    def stdout(self) -> IO[str] | None: ...

    def poll(self) -> int | None: ...


def all_running(status: dict[str, str]) -> bool:
    """Whether a `minikube status` says host, API server and kubelet all run."""
    return all(status.get(part) == "Running" for part in ("Host", "APIServer", "Kubelet"))


class MinikubeProvider(ClusterProvider):
    """A minikube profile: reused when running, started otherwise, deleted only if this provider created it."""

    name = "minikube"

    def __init__(self, timeouts: Timeouts, profile: str = "minikube", start_arguments: tuple[str, ...] = (), offline: bool = False) -> None:
        super().__init__(timeouts)
        self.profile = profile
        self.start_arguments = start_arguments
        self.offline = offline

    def _script(self, name: str) -> list[str]:
        return ["bash", str(OFFLINE_DIR / name)]

    def _minikube(self, *arguments: str) -> list[str]:
        return ["minikube", "-p", self.profile, *arguments]

    def status(self) -> dict[str, str]:
        """minikube's status of the profile as a dict (Host, Kubelet, APIServer, Kubeconfig); {} when it does not exist."""
        if self.offline and shutil.which("minikube") is None:
            return {}  # not built yet: ensure() builds it
        require("minikube", INSTALL_FIX)
        outcome = run(self._minikube("status", "--output", "json"), timeout=self.timeouts.command)
        if outcome.timed_out:
            raise ClusterError(f"`minikube status -p {self.profile}` hung for {self.timeouts.command:.0f}s\n"
                               f"fix: check the minikube driver (docker ps), or `minikube delete -p {self.profile}`")
        # minikube exits non-zero for a stopped or missing profile; the JSON (if any) still tells which.
        try:
            status = json.loads(outcome.stdout.strip() or "{}")
        except json.JSONDecodeError:
            return {}
        if isinstance(status, list):  # several nodes: the first is the control plane
            status = status[0] if status else {}
        return {str(key): str(value) for key, value in status.items()}

    def is_running(self) -> bool:
        return all_running(self.status())

    def ensure(self) -> None:
        status = self.status()
        if all_running(status):
            progress(f"minikube profile {self.profile} is running: reusing it")
            if status.get("Kubeconfig") not in (None, "Configured"):
                tool(self._minikube("update-context"), what=f"point the kubeconfig at minikube profile {self.profile}",
                     fix=f"run `minikube update-context -p {self.profile}`", timeout=self.timeouts.command)
        elif self.offline:
            progress(f"minikube profile {self.profile} is {status.get('Host', 'absent')}: building (cached after the first time) "
                     "and starting the offline minikube (cluster/minikube, the none driver)")
            streamed(self._script("build.sh"), what="build minikube and its images",
                     fix="read the build log named above; the Go module proxy must be reachable for a cold build",
                     timeout=self.timeouts.cluster_build)
            try:
                streamed(self._script("up.sh"), what=f"start minikube profile {self.profile}",
                         fix="read minikube's output and the logs named above, fix the cause and run the suite again",
                         timeout=self.timeouts.cluster_start)
            except ClusterError as error:  # up.sh stops what it started when it fails, but not when the timeout killed it
                stopped = ""
                try:
                    streamed(self._script("down.sh"), what="stop what the failed start started",
                             fix=f"run {OFFLINE_DIR}/down.sh by hand", timeout=self.timeouts.cleanup)
                except ClusterError as stop_error:
                    stopped = f"\nand stopping what it started failed too: {stop_error}"
                raise ClusterError(f"minikube did not start: {script_error(str(error))}\n{error}{stopped}") from None
        else:
            progress(f"minikube profile {self.profile} is {status.get('Host', 'absent')}: starting it (this takes a few minutes)")
            streamed(self._minikube("start", *self.start_arguments), what=f"start minikube profile {self.profile}",
                     fix=f"read minikube's message above; `minikube delete -p {self.profile}` then retry, or use --cluster existing/kind/local",
                     timeout=self.timeouts.cluster_start)
        if not all_running(status):
            self.created = not status
        self.check_reachable()

    def kubeconfig(self) -> Path:
        return default_kubeconfig()

    def context(self) -> str | None:
        return self.profile

    def guide_environment(self) -> dict[str, str]:
        return {"MINIKUBE_PROFILE": self.profile}

    def load_image(self, image: str) -> None:
        require("minikube", INSTALL_FIX)
        streamed(self._minikube("image", "load", image), what=f"load image {image} into minikube",
                 fix=f"check that the image exists (docker image inspect {image}) and minikube is running (minikube status -p {self.profile})",
                 timeout=self.timeouts.image_load)

    def service_ports(self, namespace: str, service: str) -> list[int]:
        """The Service's ports in spec order (the order of `minikube service --url` lines)."""
        text = self.kubectl("-n", namespace, "get", "service", service, "-o", "jsonpath={.spec.ports[*].port}")
        return [int(port) for port in text.split()]

    @contextlib.contextmanager
    def service_url(self, namespace: str, service: str, port: int) -> Iterator[str]:
        """`minikube service --url` (the guide's door) when its URL answers from here; else the LoadBalancer
        address the cluster publishes (with `minikube tunnel` running)."""
        require("minikube", INSTALL_FIX)
        process = spawn(self._minikube("service", "--namespace", namespace, service, "--url"))
        try:
            url = self._answering_url(process, namespace, service, port)
        finally:
            stop(process)
        if url is None:
            with super().service_url(namespace, service, port) as published:
                yield published
            return
        http.allow(urllib.parse.urlparse(url).hostname or "")
        yield url

    def _answering_url(self, process: Helper, namespace: str, service: str, port: int) -> str | None:
        """The URL `minikube service --url` prints for port, if it answers from here; None otherwise."""
        urls: list[str] = []
        output = process.stdout
        assert output is not None, "spawn() pipes the process's stdout"
        reader = threading.Thread(target=lambda: urls.extend(line.strip() for line in output if line.startswith("http")), daemon=True)
        reader.start()
        try:
            ports = self.service_ports(namespace, service)
        except ClusterError:
            ports = []
        # Linux drivers print the URLs and exit; a tunnel (docker driver on macOS/Windows) prints them and keeps running.
        with contextlib.suppress(WaitTimeout):
            wait_for(lambda: process.poll() is not None or len(urls) >= max(1, len(ports)), timeout=self.timeouts.service_url,
                     interval=0.2, what=f"minikube service {namespace}/{service} --url")
        reader.join(timeout=1)
        if not urls:
            progress(f"minikube service {namespace}/{service} gave no URL: using the address the cluster publishes for it")
            return None
        url = urls[min(ports.index(port) if port in ports else 0, len(urls) - 1)]
        host, _, port_text = url.split("://", 1)[1].split("/", 1)[0].rpartition(":")
        # A NodePort answers once kube-proxy has written its rules, which on a busy node takes some seconds.
        try:
            if port_text.isdigit() and wait_for(conditions.port_answers(host, int(port_text), 3.0), timeout=self.timeouts.service_url,
                                                interval=0.5):
                return url
        except WaitTimeout:
            pass
        progress(f"minikube's URL {url} did not answer from here within {self.timeouts.service_url:.0f}s: "
                 "using the address the cluster publishes for it")
        return None

    def node_shell(self, script: str, *arguments: str) -> Result:
        """The offline minikube's node is this host (the none driver): node-shell.sh runs the script with crictl.
        Other drivers' nodes are not reached (see the base class)."""
        if not self.offline:
            return super().node_shell(script, *arguments)
        return run([*self._script("node-shell.sh"), *arguments], timeout=self.timeouts.exec, input_text=script)

    def suite_cluster(self) -> bool:
        """This repository's offline minikube is the suite's own; a minikube installed otherwise is the user's."""
        return self.offline or self.created

    def export_logs(self, dest: Path, namespaces: list[str]) -> None:
        super().export_logs(dest, namespaces)
        if not self.suite_cluster():
            return
        try:
            tool(self._minikube("logs", "--file", str(dest / "minikube.log")), what="collect minikube logs",
                 fix="none needed; the kubectl state above is still written", timeout=self.timeouts.cleanup)
        except ClusterError as error:
            (dest / "minikube-logs-error.txt").write_text(str(error) + "\n")
        if self.offline:  # the none driver has no journal: the kubelet's, containerd's and minikube's own logs are files
            target = dest / "components"
            target.mkdir(parents=True, exist_ok=True)
            for log_file in [*sorted((OFFLINE_STATE / "logs").glob("*.log")), Path("/var/log/containerd-minikube.log")]:
                if log_file.is_file():
                    shutil.copyfile(log_file, target / log_file.name)

    def removal_command(self) -> str:
        return f"{OFFLINE_DIR}/down.sh" if self.offline else f"minikube delete -p {self.profile}"

    def delete(self) -> None:
        if not self.created:
            progress(f"minikube profile {self.profile} existed before the run: leaving it running")
            return
        if self.offline:
            streamed(self._script("down.sh"), what=f"delete minikube profile {self.profile} and what the none driver left",
                     fix=f"run {OFFLINE_DIR}/down.sh by hand", timeout=self.timeouts.cleanup)
        else:
            streamed(self._minikube("delete"), what=f"delete minikube profile {self.profile}",
                     fix=f"run `minikube delete -p {self.profile}` by hand", timeout=self.timeouts.cleanup)
        self.created = False
