"""A release of the chart in a namespace of its own: install, wait, upgrade, uninstall, remove, and its pods and app."""

from __future__ import annotations

import dataclasses
import time
import uuid
from pathlib import Path

from acceptance import conditions, helm
from acceptance.app import AppClient, service_sender
from acceptance.clusters.base import ClusterProvider
from acceptance.credentials import Canaries
from acceptance.kube import Kube
from acceptance.names import CREATED_BY_LABEL, INSTANCE_LABEL
from acceptance.load import LoadRunner
from acceptance.run import Result
from acceptance.target import Target
from acceptance.wait import wait_for

CREATED_BY = "todo-chatbot-acceptance"


@dataclasses.dataclass(frozen=True)
class Deletion:
    """Pods of a component deleted at a moment (time.monotonic())."""

    component: str
    old_pods: set[str]
    started: float


@dataclasses.dataclass
class Release:
    """One installed release of the chart."""

    cluster: ClusterProvider
    kube: Kube
    chart: Path
    namespace: str
    name: str
    install_output: str = ""
    canaries: Canaries | None = None
    uninstalled: bool = False

    @property
    def timeouts(self):
        return self.kube.timeouts

    @property
    def target(self) -> Target:
        return self.cluster.target(self.namespace)

    @property
    def selector(self) -> str:
        return f"{INSTANCE_LABEL}={self.name}"

    def service(self, component: str) -> str:
        return f"{self.name}-{component}"

    def install(self, values: dict[str, str]) -> Result:
        """`helm upgrade --install` without --wait (the readiness wait below names what is pending)."""
        outcome = helm.try_install(self.chart, self.name, self.target, self.timeouts.install, values=values)
        self.install_output = outcome.output
        return outcome

    def upgrade(self, values: dict[str, str]) -> Result:
        """`helm upgrade --reuse-values` with values changed, then wait until the release is Ready again."""
        outcome = helm.try_upgrade(self.chart, self.name, self.target, self.timeouts.install, values=values)
        if outcome.ok:
            self.wait_ready()
        return outcome

    def uninstall(self) -> Result:
        self.uninstalled = True
        return helm.try_uninstall(self.name, self.target, self.timeouts.cleanup)

    def wait_ready(self) -> None:
        __tracebackhide__ = True
        wait_for(conditions.release_ready(self.kube, self.namespace, self.name), timeout=self.timeouts.ready, interval=2)

    def ready_pods(self, component: str) -> list:
        return self.kube.ready_pods(self.namespace, self.name, component)

    def one_ready_pod(self, component: str):
        """A Ready pod of component.

        Raises:
            AssertionError: there is none.
        """
        __tracebackhide__ = True
        pods = self.ready_pods(component)
        assert pods, f"no Ready {component} pod in {self.namespace}"
        return pods[0]

    def exec(self, component: str, command: list[str]) -> Result:
        """command in a Ready pod of component."""
        return self.kube.exec(self.namespace, self.one_ready_pod(component).metadata.name, command)

    def app(self, observe, service: str | None = None) -> AppClient:
        """The app as a user reaches it: through the frontend Service (or the Service named)."""
        service = service or self.service("frontend")
        port = self.kube.service_port(self.namespace, service)
        send = service_sender(lambda: self.cluster.service_url(self.namespace, service, port), self.timeouts)
        return AppClient(send, f"the {service} Service", observe)

    def cgroup_limits(self, component: str) -> tuple[int, float]:
        """(memory bytes, CPUs) the kernel allows a Ready component container, read from its own cgroup (v1 or v2).

        Raises:
            AssertionError: the cgroup files cannot be read.
        """
        __tracebackhide__ = True
        script = ("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
                  "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)")
        result = self.exec(component, ["sh", "-c", script])
        lines = result.stdout.split("\n")
        assert result.ok and len(lines) >= 2, f"cannot read the cgroup limits of the {component} container:\n{result.describe()}"
        quota, period = (int(value) for value in lines[1].split()[:2])
        return int(lines[0]), quota / period

    def writable_mount_problem(self, component: str, path: str) -> str | None:
        """Why path in a Ready component pod is not the claim's volume, mounted and writable; None when it is."""
        pod = self.one_ready_pod(component)
        claims = {volume.name: volume.persistent_volume_claim.claim_name for volume in pod.spec.volumes if volume.persistent_volume_claim}
        mounts = {mount.mount_path: mount.name for mount in pod.spec.containers[0].volume_mounts or []}
        if mounts.get(path) not in claims:
            return f"{pod.metadata.name} mounts {mounts.get(path)!r} at {path}; its claims: {claims}"
        probe = f"{path}/.acceptance-{uuid.uuid4().hex[:8]}"
        # Shell builtins only: the runtime images carry no grep.
        script = f"found=; while read -r _ mount _; do [ \"$mount\" = {path} ] && found=1; done </proc/mounts; [ -n \"$found\" ] && touch {probe} && rm {probe}"
        result = self.kube.exec(self.namespace, pod.metadata.name, ["sh", "-c", script])
        return None if result.ok else f"{path} in {pod.metadata.name} is not a writable mount:\n{result.describe()}"

    def leak_texts(self, component: str) -> dict[str, str]:
        """Where a credential must never appear: the ConfigMaps, every pod log, a component pod's description and spec."""
        pod = self.one_ready_pod(component).metadata.name
        return {
            "ConfigMaps": self.read("get", "configmaps", "-o", "yaml"),
            "pod logs": self.kube.all_logs(self.namespace),
            f"{pod} description": self.read("describe", "pod", pod) + self.read("get", "pod", pod, "-o", "yaml"),
        }

    def secrets_text(self) -> str:
        return self.read("get", "secrets", "-o", "yaml")

    def read(self, *arguments: str) -> str:
        """kubectl's stdout in the release's namespace; a failing kubectl raises, so a check never reads an empty answer as clean.

        Raises:
            ToolError: kubectl failed.
        """
        return self.kube.kubectl(*arguments, namespace=self.namespace).check(f"read {' '.join(arguments)} in {self.namespace}").stdout

    def freeze_workers(self, component: str) -> tuple[str, int]:
        """Freeze the serving processes of a Ready component pod (not PID 1, which a signal from inside its
        namespace cannot stop); (the pod, its container's restart count before).

        Raises:
            AssertionError: the processes could not be frozen.
        """
        __tracebackhide__ = True
        pod = self.one_ready_pod(component)
        script = ("for dir in /proc/[0-9]*; do pid=${dir#/proc/}; [ \"$pid\" = 1 ] || [ \"$pid\" = $$ ] && continue; "
                  "grep -q 'worker process' \"$dir/cmdline\" 2>/dev/null && kill -STOP \"$pid\"; done; true")
        result = self.kube.exec(self.namespace, pod.metadata.name, ["sh", "-c", script])
        assert result.ok, f"could not freeze {pod.metadata.name}:\n{result.describe()}"
        return pod.metadata.name, pod.status.container_statuses[0].restart_count

    def load_through_frontend(self, path: str = "/api/todos") -> LoadRunner:
        """A bounded request loop through the API server's service proxy (load-balanced over ready endpoints)."""
        service = self.service("frontend")
        return LoadRunner(lambda: self.kube.service_proxy_get(self.namespace, service, 80, path))

    def upgrade_under(self, load: LoadRunner, values: dict[str, str], warm_up: int = 10, cool_down: int = 20) -> LoadRunner:
        """Upgrade while load runs: warm_up requests before, cool_down after the rollout, then stop the load.

        Raises:
            ToolError: helm upgrade failed.
        """
        load.start(warm_up, timeout=self.timeouts.ready)
        try:
            self.upgrade(values).check("upgrade the release")
            load.wait_for_more(cool_down, timeout=self.timeouts.ready)
        finally:
            load.stop(timeout=self.timeouts.request + 5)
        return load

    def delete_pod(self, component: str) -> Deletion:
        """Delete a Ready pod of component; what was deleted and when."""
        pod = self.one_ready_pod(component)
        started = time.monotonic()
        self.kube.core.delete_namespaced_pod(pod.metadata.name, self.namespace)
        return Deletion(component, {pod.metadata.name}, started)

    def wait_replaced(self, deletion: Deletion) -> float:
        """Seconds from the deletion until a new pod is Ready and the release with it."""
        __tracebackhide__ = True
        wait_for(conditions.pod_replaced(self.kube, self.namespace, self.name, deletion.component, deletion.old_pods),
                 timeout=self.timeouts.ready, interval=0.5)
        return time.monotonic() - deletion.started

    def status(self) -> str:
        return helm.status(self.name, self.target, self.timeouts.command)


def create(cluster: ClusterProvider, kube: Kube, chart: Path, namespace: str, name: str, labels: dict[str, str],
           canaries: Canaries | None = None) -> Release:
    """A namespace of the suite's own (labelled as created by it) and the Release that will live in it."""
    kube.create_namespace(namespace, {CREATED_BY_LABEL: CREATED_BY, **labels})
    return Release(cluster, kube, chart, namespace, name, canaries=canaries)


def remove(release: Release) -> list[str]:
    """Uninstall the release (unless done) and delete its namespace; the problems met, if any."""
    problems = []
    if not release.uninstalled:
        outcome = release.uninstall()
        if not outcome.ok:
            problems.append(f"helm uninstall {release.name} -n {release.namespace}: {outcome.output}")
    deleted = release.kube.kubectl("delete", "namespace", release.namespace, "--wait=true", f"--timeout={int(release.timeouts.cleanup)}s",
                                   timeout=release.timeouts.cleanup + 20)
    if not deleted.ok:
        problems.append(f"kubectl delete namespace {release.namespace}: {deleted.output}")
    return problems
