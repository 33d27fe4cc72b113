"""What a release is checked for inside its pods: cgroup limits, mounts, the processes' environment, the database
file, where credentials must not appear, and what the API server admits into its namespace."""

from __future__ import annotations

import base64
import json
import uuid
from typing import TYPE_CHECKING, Any

from kubernetes import client
from kubernetes.client.rest import ApiException

from acceptance.chart.manifests import nonempty
from acceptance.core.progress import say
from acceptance.core.quantity import quantity
from acceptance.profile.database import SqliteDatabase, sqlite_path

if TYPE_CHECKING:
    from acceptance.core.run import Result
    from acceptance.kube.client import Kube
    from acceptance.kube.client_pod import ClientPod
    from acceptance.kube.clusters.base import ClusterProvider
    from acceptance.profile.model import Profile


class PodChecks:
    """The in-pod checks of a Release (its base class): they use its pods, its exec and its kubectl."""

    kube: Kube
    cluster: ClusterProvider
    namespace: str
    profile: Profile

    if TYPE_CHECKING:  # provided by Release
        def one_ready_pod(self, component: str) -> Any: ...
        def ready_pods(self, component: str) -> list[Any]: ...
        def exec(self, component: str, command: list[str]) -> Result: ...
        def container_of(self, pod_spec: Any, component: str) -> Any: ...
        def client_pod(self) -> ClientPod: ...
        def claim(self) -> str: ...

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

    def limits_problem(self, component: str) -> str | None:
        """Why a Ready component container's CPU and memory limits are not in force, whatever their amounts: the API
        must declare both and the kernel (its cgroup) enforce what the API says."""
        limits = self.container_of(self.one_ready_pod(component).spec, component).resources.limits or {}
        if not (limits.get("cpu") and limits.get("memory")):
            return f"the running {component} container has no CPU or memory limit: {limits}"
        memory_bytes, cpus = self.cgroup_limits(component)
        if (memory_bytes, round(cpus, 2)) != (int(quantity(limits["memory"])), round(quantity(limits["cpu"]), 2)):
            return f"the {component} container declares limits {limits} but its cgroup allows {memory_bytes} bytes and {cpus:g} CPU"
        return None

    def data_claim_mount(self, component: str) -> str:
        """Where a Ready component pod mounts the release's data claim, wherever the team chose (the seed's /app/data).

        Raises:
            AssertionError: the pod does not mount the claim.
        """
        __tracebackhide__ = True
        pod, claim = self.one_ready_pod(component), self.claim()
        mounted = claim_mounts(pod, self.container_of(pod.spec, component).name)
        paths = [path for path, name in mounted.items() if name == claim]
        assert paths, f"{pod.metadata.name} does not mount the data claim {claim}; its claims are mounted at {mounted}"
        return paths[0]

    def writable_mount_problem(self, component: str, path: str) -> str | None:
        """Why path in a Ready component pod is not the claim's volume, mounted and writable; None when it is."""
        pod = self.one_ready_pod(component)
        mounted = claim_mounts(pod, self.container_of(pod.spec, component).name)
        if path not in mounted:
            return f"{pod.metadata.name} mounts no claim at {path}; its claims are mounted at {mounted}"
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
        """Every value of every Secret in the namespace, decoded (a credential inside a longer value is not visible in base64)."""
        secrets = json.loads(self.read("get", "secrets", "-o", "json"))["items"]
        return "\n".join(base64.b64decode(value).decode(errors="replace") for secret in secrets for value in (secret.get("data") or {}).values())

    def read(self, *arguments: str) -> str:
        """kubectl's stdout in the release's namespace; a failing kubectl raises, so a check never reads an empty answer as clean.

        Raises:
            ToolError: kubectl failed.
        """
        return self.kube.kubectl(*arguments, namespace=self.namespace, what=f"read {' '.join(arguments)} in {self.namespace}")

    def freeze(self, component: str) -> tuple[str, str, int]:
        """Stop every process of a Ready component pod's app container from its node, so it hangs as a whole;
        (the pod, the container, its restart count before)."""
        pod = self.one_ready_pod(component)
        container = self.container_of(pod.spec, component).name
        say(f"cluster: {self.cluster.freeze_container(self.namespace, pod.metadata.name, container)}")
        return pod.metadata.name, container, next(status.restart_count for status in pod.status.container_statuses if status.name == container)

    def process_environment(self, pod: str) -> dict[str, str]:
        """The environment of a pod's main process, as the app reads it.

        Raises:
            ToolError: its /proc/1/environ cannot be read.
        """
        text = self.kube.exec(self.namespace, pod, ["cat", "/proc/1/environ"]).check(f"read the environment of {pod}").stdout
        return dict(entry.split("=", 1) for entry in text.split("\0") if "=" in entry)

    def process_environments(self, component: str) -> dict[str, dict[str, str]]:
        """The main process's environment in every Ready component pod; pod -> variables."""
        pods = nonempty(self.ready_pods(component), f"Ready {component} pods in {self.namespace}")
        return {pod.metadata.name: self.process_environment(pod.metadata.name) for pod in pods}

    def database_file_problem(self, text: str) -> str | None:
        """Why the SQLite file the backend's database credential names (the profile's database.credential, the
        seed's DATABASE_URL) is not on the data claim or does not hold text; None when it is and does."""
        credential = SqliteDatabase.of(self.profile).credential
        pod = self.one_ready_pod("backend")
        url = self.process_environment(pod.metadata.name).get(credential, "")
        path = sqlite_path(url)
        on_claim = claim_mounts(pod, self.container_of(pod.spec, "backend").name)
        if path is None or not any(path.startswith(mount.rstrip("/") + "/") for mount in on_claim):
            return f"the backend's database {path or url!r} ({credential}) is not on a claim's mount: {on_claim}"
        # The row may still sit in the write-ahead log: read both files, as bytes (no schema assumed).
        script = ("import sys; print(any(sys.argv[2].encode() in open(p, 'rb').read() for p in (sys.argv[1], sys.argv[1] + '-wal') "
                  "if __import__('os').path.exists(p)))")
        result = self.kube.exec(self.namespace, pod.metadata.name, ["python3", "-c", script, path, text])
        return None if result.ok and result.stdout.strip() == "True" else f"{path} in {pod.metadata.name} does not hold {text!r}:\n{result.describe()}"

    def refusal_of_privileged_pod(self) -> str | None:
        """The API server's answer to a privileged root pod in the namespace (a server-side dry run, nothing is
        created); None when it would be admitted."""
        container = client.V1Container(name="privileged", image=self.client_pod().image, command=["true"],
                                       security_context=client.V1SecurityContext(privileged=True, run_as_user=0))
        pod = client.V1Pod(metadata=client.V1ObjectMeta(name="acceptance-privileged"), spec=client.V1PodSpec(containers=[container], host_pid=True))
        try:
            self.kube.core.create_namespaced_pod(self.namespace, pod, dry_run="All")
        except ApiException as error:
            return f"{error.status} {error.reason}: {error.body}"
        return None



def claim_mounts(pod: Any, container: str) -> dict[str, str]:
    """Where the pod's container named container mounts a PersistentVolumeClaim: mount path -> claim name."""
    claims = {volume.name: volume.persistent_volume_claim.claim_name for volume in pod.spec.volumes if volume.persistent_volume_claim}
    mounts = next((each.volume_mounts for each in pod.spec.containers if each.name == container), None) or []
    return {mount.mount_path: claims[mount.name] for mount in mounts if mount.name in claims}
