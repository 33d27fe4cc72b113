"""The cluster provider interface and the behaviour every provider shares (reachability, port-forward, logs)."""

from __future__ import annotations

import abc
import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from acceptance import conditions, kubectl
from acceptance.progress import say
from acceptance.run import Result, ToolError, require_tool, run, spawn, stop
from acceptance.target import Target
from acceptance.timeouts import Timeouts
from acceptance.wait import WaitTimeout, wait_for


# Seconds a quick "is it up?" probe may take (choosing a provider, deciding whether the suite started a cluster).
QUICK_PROBE = 5.0


class ClusterError(ToolError):
    """A cluster cannot be created, reached or used; the message says the cause and the fix."""


def progress(message: str) -> None:
    say(f"cluster: {message}")


def streamed(command: list[str], *, what: str, fix: str, timeout: float, env: dict[str, str] | None = None) -> Result:
    """Run a long CLI (a cluster start, an image load) with each output line shown as progress.

    Raises:
        ClusterError: it fails or times out; the message has its last lines and the fix.
    """
    progress(f"{what}: {' '.join(command)}")
    outcome = run(command, timeout=timeout, env=env, stream=lambda line: say(f"  {line}"))
    try:
        return outcome.check(what, fix)
    except ToolError as error:
        raise ClusterError(str(error)) from None


def require(tool: str, fix: str) -> None:
    """Raise ClusterError with fix when tool is not on PATH (before a call whose failure would blame something else)."""
    try:
        require_tool(tool, fix)
    except ToolError as error:
        raise ClusterError(str(error)) from None


def tool(command: list[str], *, what: str, fix: str, timeout: float) -> Result:
    """Run a short CLI call of a provider's tool.

    Raises:
        ClusterError: it is missing, fails or times out; the message has its stderr and the fix.
    """
    try:
        return run(command, timeout=timeout).check(what, fix)
    except ToolError as error:
        raise ClusterError(str(error)) from None


def default_kubeconfig() -> Path:
    """The kubeconfig kubectl would use: the first entry of $KUBECONFIG, else ~/.kube/config."""
    from_environment = [entry for entry in os.environ.get("KUBECONFIG", "").split(os.pathsep) if entry]
    if from_environment:
        return Path(from_environment[0])
    return Path.home() / ".kube" / "config"


def free_local_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ClusterProvider(abc.ABC):
    """A Kubernetes cluster the suite can install into: create or reuse it, reach it, feed it images."""

    name: str = "abstract"

    def __init__(self, timeouts: Timeouts) -> None:
        self.timeouts = timeouts
        # True when ensure() created or started the cluster: delete() then removes (or stops) it.
        self.created = False

    @abc.abstractmethod
    def ensure(self) -> None:
        """Create the cluster or reuse a running one; progress is shown as it goes.

        Raises:
            ClusterError: the cluster cannot be created or reached; the message says how to fix it.
        """

    @abc.abstractmethod
    def kubeconfig(self) -> Path:
        """The kubeconfig file that reaches this cluster."""

    @abc.abstractmethod
    def context(self) -> str | None:
        """The kubeconfig context to use, or None for the file's current context."""

    @abc.abstractmethod
    def load_image(self, image: str) -> None:
        """Make a local Docker image available to the cluster's nodes.

        Raises:
            ClusterError: the image cannot be loaded.
        """

    @abc.abstractmethod
    def delete(self) -> None:
        """Delete (or stop) the cluster, when this provider created it; leave it alone otherwise."""

    # ---------------------------------------------------------------- shared behaviour

    def target(self, namespace: str | None = None) -> Target:
        """The Target every helm and kubectl verb aimed at this cluster takes."""
        return Target(self.kubeconfig(), self.context(), namespace)

    def kubectl(self, *arguments: str, timeout: float | None = None, what: str | None = None) -> str:
        """Run kubectl against this cluster and return its stdout.

        Raises:
            ClusterError: kubectl fails; the message has its stderr.
        """
        try:
            return kubectl.kubectl(self.target(), *arguments, timeout=timeout or self.timeouts.command, what=what)
        except ToolError as error:
            raise ClusterError(str(error)) from None

    def check_reachable(self, timeout: float | None = None) -> None:
        """Check that the API server answers /readyz (within timeout, default the command budget).

        Raises:
            ClusterError: the API server is unreachable or not ready.
        """
        try:
            kubectl.check_reachable(self.target(), timeout or self.timeouts.command, name=f"the {self.name}")
        except ToolError as error:
            raise ClusterError(str(error)) from None

    def reachable(self, timeout: float = QUICK_PROBE) -> bool:
        """A quick probe: does the API server answer now? (No kubeconfig yet: no.)"""
        if not self.kubeconfig().is_file():
            return False
        try:
            self.check_reachable(timeout)
        except ClusterError:
            return False
        return True

    @contextlib.contextmanager
    def service_url(self, namespace: str, service: str, port: int) -> Iterator[str]:
        """Yield an http://127.0.0.1:NNNN URL that reaches port of the Service, for the block's duration.

        The default forwards a free local port with `kubectl port-forward`, waits until it
        answers, and stops the forward on exit.

        Raises:
            ClusterError: the forward cannot be set up.
        """
        with self.port_forward(namespace, service, port) as url:
            yield url

    @contextlib.contextmanager
    def port_forward(self, namespace: str, service: str, port: int) -> Iterator[str]:
        """`kubectl port-forward` from a free port on 127.0.0.1 to the Service; yields its URL.

        Raises:
            ClusterError: kubectl exits or the port does not answer within the port-forward budget.
        """
        require("kubectl", kubectl.INSTALL_FIX)
        last_error = ""
        for _attempt in range(3):  # another process may grab the free port before kubectl binds it
            local_port = free_local_port()
            process = spawn(kubectl.command(self.target(namespace), "port-forward", "--address", "127.0.0.1",
                                            f"service/{service}", f"{local_port}:{port}"))
            try:
                answers = conditions.port_answers("127.0.0.1", local_port)
                try:
                    wait_for(lambda: process.poll() is not None or answers.observe(), timeout=self.timeouts.port_forward,
                             interval=0.2, what=f"kubectl port-forward to {namespace}/{service}:{port}")
                except WaitTimeout:
                    raise ClusterError(
                        f"kubectl port-forward to service {namespace}/{service}:{port} did not answer on 127.0.0.1:{local_port} "
                        f"within {self.timeouts.port_forward:.0f}s\nfix: check the Service's endpoints (kubectl -n {namespace} get endpoints {service})"
                    ) from None
                if process.poll() is not None:
                    last_error = (process.stderr.read() if process.stderr else "").strip()
                    if "address already in use" in last_error:
                        continue
                    raise ClusterError(
                        f"kubectl port-forward to service {namespace}/{service}:{port} exited {process.returncode}: "
                        f"{last_error[-1000:]}\nfix: check that the Service exists and has a Ready pod "
                        f"(kubectl -n {namespace} get service,endpoints {service})"
                    )
                yield f"http://127.0.0.1:{local_port}"
                return
            finally:
                stop(process)
        raise ClusterError(f"kubectl port-forward could not bind a free local port three times: {last_error}\nfix: retry")

    def export_logs(self, dest: Path) -> None:
        """Write the cluster's state for a failure report into dest: nodes, events, pods, a cluster-info dump.

        Never raises for a failing kubectl: what could not be collected is written to errors.txt.
        """
        dest.mkdir(parents=True, exist_ok=True)
        errors: list[str] = []
        collections = {
            "nodes.txt": ["describe", "nodes"],
            "pods.txt": ["get", "pods", "--all-namespaces", "-o", "wide"],
            "events.txt": ["get", "events", "--all-namespaces", "--sort-by=.lastTimestamp"],
            "storage.txt": ["get", "storageclass,pv,pvc", "--all-namespaces", "-o", "wide"],
        }
        for file_name, arguments in collections.items():
            try:
                (dest / file_name).write_text(self.kubectl(*arguments))
            except ClusterError as error:
                errors.append(f"{file_name}: {error}")
        try:
            self.kubectl("cluster-info", "dump", "--all-namespaces", "--output-directory", str(dest / "cluster-info"),
                         timeout=self.timeouts.cleanup)
        except ClusterError as error:
            errors.append(f"cluster-info dump: {error}")
        if errors:
            (dest / "errors.txt").write_text("\n\n".join(errors) + "\n")
