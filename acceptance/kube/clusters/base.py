"""The cluster provider interface and the behaviour every provider shares (reachability, a Service's address from here, logs)."""

from __future__ import annotations

import abc
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from acceptance.core import http
from acceptance.core.outcome import first_line
from acceptance.core.progress import say
from acceptance.core.run import Result, ToolError, require_tool, run
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import FatalState, Pending, WaitTimeout, wait_for
from acceptance.kube import kubectl
from acceptance.kube.target import Target

PUBLISHED_ADDRESS_JSONPATH = "jsonpath={.spec.type} {.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}"
FREEZE_SCRIPT = Path(__file__).with_name("freeze-container.sh")

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


def script_error(output: str) -> str:
    """What one of this repository's cluster scripts said went wrong: its last 'error: ' line (the component and why,
    as die() writes it), else the output's first line."""
    errors = [line.split("error: ", 1)[1] for line in output.splitlines() if "error: " in line]
    return errors[-1].strip() if errors else first_line(output)


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


class ClusterProvider(abc.ABC):
    """A Kubernetes cluster the suite can install into: create or reuse it, reach it, feed it images."""

    name: str = "abstract"

    def __init__(self, timeouts: Timeouts) -> None:
        self.timeouts = timeouts
        # True when ensure() created or started the cluster: delete() then removes (or stops) it.
        self.created = False
        # (namespace, Service) -> the address the cluster published for it (looked up once).
        self.published: dict[tuple[str, str], str] = {}

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

    def removal_command(self) -> str:
        """The command a person runs to delete (or stop) a cluster this provider started; empty for a provider that
        never starts one."""
        return ""

    def guide_environment(self) -> dict[str, str]:
        """Environment that makes the deployment guide's commands for this provider (kind load, minikube image load)
        act on this cluster when it is not the tool's default one."""
        return {}

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
        """Yield http://ADDRESS:PORT where the cluster publishes a LoadBalancer Service to the outside.

        ADDRESS is the Service's status.loadBalancer.ingress, set by the cluster's load-balancer
        controller (a cloud, MetalLB, cloud-provider-kind, the local cluster's loadbalancer-status):
        what a user outside the cluster reaches, through kube-proxy's rules for that address.

        Raises:
            ClusterError: no address is published within the ready budget; the message says how to get one.
        """
        if (namespace, service) not in self.published:
            require("kubectl", kubectl.INSTALL_FIX)
            try:
                address = wait_for(lambda: self.published_address(namespace, service), timeout=self.timeouts.ready, interval=1,
                                   what=f"the {self.name} cluster to publish an address for the LoadBalancer Service {namespace}/{service}")
            except (WaitTimeout, FatalState) as error:
                raise ClusterError(f"{error}\nfix: the {self.name} cluster needs a load-balancer controller that publishes "
                                   "LoadBalancer Services (MetalLB, cloud-provider-kind, `minikube tunnel`)") from None
            assert isinstance(address, str), f"wait_for returns a truthy observation, not {address!r}"
            http.allow(address)
            self.published[(namespace, service)] = address
        yield f"http://{self.published[(namespace, service)]}:{port}"

    def forget_published(self, namespace: str) -> None:
        """The namespace's Services were deleted (and may come back at other addresses): look their addresses up
        afresh, and let no request reach the old ones."""
        for key in [key for key in self.published if key[0] == namespace]:
            http.disallow(self.published.pop(key))

    def published_address(self, namespace: str, service: str) -> str | Pending:
        """The address in a LoadBalancer Service's status.loadBalancer.ingress, or what is pending.

        Raises:
            FatalState: the Service is not a LoadBalancer, so no address will come.
        """
        try:
            text = self.kubectl("-n", namespace, "get", "service", service, "-o", PUBLISHED_ADDRESS_JSONPATH)
        except ClusterError as error:  # the Service was just read: a failing kubectl will not heal by waiting
            raise FatalState(str(error)) from None
        service_type, _, address = text.strip().partition(" ")
        if service_type != "LoadBalancer":
            raise FatalState(f"Service {namespace}/{service} is of type {service_type}: the cluster publishes no outside address for it")
        return address.strip() or Pending(f"Service {namespace}/{service} has no address in status.loadBalancer.ingress yet")

    def node_shell(self, script: str, *arguments: str) -> Result:
        """Run a POSIX sh script on the cluster's node (where the container runtime's crictl works), arguments as $1...

        Raises:
            ClusterError: this provider cannot reach its node's shell; the message names the providers that can.
        """
        raise ClusterError(f"the {self.name} provider cannot run a command on the cluster's node (needed to stop a container's "
                           "main process from outside it)\nfix: run this scenario with --cluster local or --cluster kind")

    def freeze_container(self, namespace: str, pod: str, container: str) -> str:
        """Stop every process of a running container with SIGSTOP, from its node: a process inside the container
        cannot stop its PID namespace's init (uvicorn, nginx's master). What was stopped, in words.

        Raises:
            ClusterError: the container cannot be found or stopped.
        """
        outcome = self.node_shell(FREEZE_SCRIPT.read_text(), namespace, pod, container)
        try:
            return outcome.check(f"stop the processes of {namespace}/{pod}/{container}", "read the script's error above").stdout.strip()
        except ToolError as error:
            raise ClusterError(str(error)) from None

    def suite_cluster(self) -> bool:
        """Whether the cluster is the suite's own (this run started it): only then do failure reports carry its
        cluster-wide state (nodes, kube-system, every namespace's events) and its components' logs. Another cluster's
        other namespaces hold other people's pod specs and logs."""
        return self.created

    def export_logs(self, dest: Path, namespaces: list[str]) -> None:
        """Write the cluster's state for a failure report into dest: the run's namespaces (pods, events, claims, a
        cluster-info dump of them), and on the suite's own cluster its nodes, kube-system and every namespace's events.

        Never raises for a failing kubectl: what could not be collected is written to errors.txt.
        """
        dest.mkdir(parents=True, exist_ok=True)
        errors: list[str] = []
        collections: dict[str, list[str]] = {}
        for namespace in namespaces:
            collections[f"{namespace}.txt"] = ["-n", namespace, "get", "pods,events,pvc", "-o", "wide"]
        dumped = list(namespaces)
        if self.suite_cluster():
            collections |= {
                "nodes.txt": ["describe", "nodes"],
                "pods.txt": ["get", "pods", "--all-namespaces", "-o", "wide"],
                "events.txt": ["get", "events", "--all-namespaces", "--sort-by=.lastTimestamp"],
                "storage.txt": ["get", "storageclass,pv,pvc", "--all-namespaces", "-o", "wide"],
            }
            dumped.append("kube-system")
        for file_name, arguments in collections.items():
            try:
                (dest / file_name).write_text(self.kubectl(*arguments))
            except ClusterError as error:
                errors.append(f"{file_name}: {error}")
        if dumped:
            try:
                self.kubectl("cluster-info", "dump", "--namespaces", ",".join(dumped), "--output-directory", str(dest / "cluster-info"),
                             timeout=self.timeouts.cleanup)
            except ClusterError as error:
                errors.append(f"cluster-info dump: {error}")
        if errors:
            (dest / "errors.txt").write_text("\n\n".join(errors) + "\n")
