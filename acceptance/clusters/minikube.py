"""The minikube provider: starts minikube when needed, loads images with `minikube image load`."""

from __future__ import annotations

import contextlib
import json
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from acceptance import conditions, http
from acceptance.clusters.base import ClusterError, ClusterProvider, default_kubeconfig, progress, require, streamed, tool
from acceptance.run import run, spawn, stop
from acceptance.timeouts import Timeouts
from acceptance.wait import WaitTimeout, wait_for

INSTALL_FIX = "install minikube: https://minikube.sigs.k8s.io/docs/start/"


def all_running(status: dict[str, str]) -> bool:
    """Whether a `minikube status` says host, API server and kubelet all run."""
    return all(status.get(part) == "Running" for part in ("Host", "APIServer", "Kubelet"))


class MinikubeProvider(ClusterProvider):
    """A minikube profile: reused when running, started otherwise, deleted only if this provider created it."""

    name = "minikube"

    def __init__(self, timeouts: Timeouts, profile: str = "minikube", start_arguments: tuple[str, ...] = ()) -> None:
        super().__init__(timeouts)
        self.profile = profile
        self.start_arguments = start_arguments

    def _minikube(self, *arguments: str) -> list[str]:
        return ["minikube", "-p", self.profile, *arguments]

    def status(self) -> dict[str, str]:
        """minikube's status of the profile as a dict (Host, Kubelet, APIServer, Kubeconfig); {} when it does not exist."""
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
        else:
            progress(f"minikube profile {self.profile} is {status.get('Host', 'absent')}: starting it (this takes a few minutes)")
            streamed(self._minikube("start", *self.start_arguments), what=f"start minikube profile {self.profile}",
                     fix=f"read minikube's message above; `minikube delete -p {self.profile}` then retry, or use --cluster existing/kind/local",
                     timeout=self.timeouts.cluster_start)
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

    def _answering_url(self, process, namespace: str, service: str, port: int) -> str | None:
        """The URL `minikube service --url` prints for port, if it answers from here; None otherwise."""
        urls: list[str] = []
        reader = threading.Thread(target=lambda: urls.extend(line.strip() for line in process.stdout if line.startswith("http")), daemon=True)
        reader.start()
        try:
            ports = self.service_ports(namespace, service)
        except ClusterError:
            ports = []
        # Linux drivers print the URLs and exit; a tunnel (docker driver on macOS/Windows) prints them and keeps running.
        try:
            wait_for(lambda: process.poll() is not None or len(urls) >= max(1, len(ports)), timeout=self.timeouts.port_forward,
                     interval=0.2, what=f"minikube service {namespace}/{service} --url")
        except WaitTimeout:
            pass
        reader.join(timeout=1)
        if not urls:
            progress(f"minikube service {namespace}/{service} gave no URL: using the address the cluster publishes for it")
            return None
        url = urls[min(ports.index(port) if port in ports else 0, len(urls) - 1)]
        host, _, port_text = url.split("://", 1)[1].split("/", 1)[0].rpartition(":")
        if port_text.isdigit() and conditions.port_answers(host, int(port_text), 3.0).observe():
            return url
        progress(f"minikube's URL {url} does not answer from here: using the address the cluster publishes for it")
        return None

    def export_logs(self, dest: Path) -> None:
        super().export_logs(dest)
        try:
            tool(self._minikube("logs", "--file", str(dest / "minikube.log")), what="collect minikube logs",
                 fix="none needed; the kubectl state above is still written", timeout=self.timeouts.cleanup)
        except ClusterError as error:
            (dest / "minikube-logs-error.txt").write_text(str(error) + "\n")

    def delete(self) -> None:
        if not self.created:
            progress(f"minikube profile {self.profile} existed before the run: leaving it running")
            return
        streamed(self._minikube("delete"), what=f"delete minikube profile {self.profile}",
                 fix=f"run `minikube delete -p {self.profile}` by hand", timeout=self.timeouts.cleanup)
        self.created = False
