"""A release of the chart in a namespace of its own: install, wait, upgrade, uninstall, remove, and its pods and app."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime
import json
import time
import uuid
from pathlib import Path

import requests
from kubernetes import client
from kubernetes.client.rest import ApiException

from acceptance.kube import conditions
from acceptance.kube import helm
from acceptance.core import http
from acceptance.core import leftovers
from acceptance.core import run_owner
from acceptance.app.client import AppClient, in_cluster_sender, service_sender
from acceptance.kube.client_pod import ClientPod
from acceptance.kube.clusters.base import ClusterProvider
from acceptance.core.credentials import Canaries
from acceptance.kube.client import Kube
from acceptance.core.names import COMPONENTS, CREATED_BY_LABEL
from acceptance.profile.model import Profile
from acceptance.app.load import LoadRunner
from acceptance.chart.manifests import nonempty
from acceptance.core.progress import say
from acceptance.core.run import Result
from acceptance.kube.target import Target
from acceptance.core.wait import wait_for

CREATED_BY = "todo-chatbot-acceptance"
OUTSIDER = "todo-chatbot-acceptance-outsider"  # a pod label value that no policy of the release admits


@dataclasses.dataclass(frozen=True)
class Deletion:
    """Pods of a component deleted at a moment (time.monotonic())."""

    component: str
    old_pods: set[str]
    started: float


@dataclasses.dataclass(frozen=True)
class Rollout:
    """What a component ran at a moment: its pods' UIDs and its Deployment's revision."""

    pods: frozenset[str]
    revision: int


@dataclasses.dataclass
class Release:
    """One installed release of the chart."""

    cluster: ClusterProvider
    kube: Kube
    chart: Path
    namespace: str
    name: str
    profile: Profile
    install_output: str = ""
    canaries: Canaries | None = None
    uninstalled: bool = False
    client: ClientPod | None = None
    outsider: ClientPod | None = None
    # component -> what it ran just before the last upgrade
    before_upgrade: dict[str, Rollout] = dataclasses.field(default_factory=dict)

    @property
    def timeouts(self):
        return self.kube.timeouts

    @property
    def target(self) -> Target:
        return self.cluster.target(self.namespace)

    @property
    def selector(self) -> str:
        """The label selector of everything of the release."""
        return f"{self.profile.instance_label}={self.name}"

    def component_selector(self, component: str) -> str:
        return f"{self.selector},{self.profile.component_label}={self.profile.label_of(component)}"

    def found(self, role: str) -> str:
        """The name of the release's resource of a role (e.g. "backend-service", "data-claim"), found as the profile says:
        its name, or the release's resource of that kind with the label.

        Raises:
            AssertionError: the release has none.
        """
        __tracebackhide__ = True
        locator = self.profile.locator(role)
        if locator.name:
            return locator.name
        listing = {"Deployment": self.kube.apps.list_namespaced_deployment, "Service": self.kube.core.list_namespaced_service,
                   "PersistentVolumeClaim": self.kube.core.list_namespaced_persistent_volume_claim}[locator.kind]
        selector = f"{self.selector},{locator.label[0]}={locator.label[1]}"
        found = listing(self.namespace, label_selector=selector).items
        assert found, f"the release has no {locator.kind} labelled {selector} in {self.namespace} (the profile's resources.{role})"
        return found[0].metadata.name

    def named(self, kind: str, component: str) -> str:
        """The name of the component's Deployment or Service (kind)."""
        return self.found(f"{component}-{kind.lower()}")

    def service(self, component: str) -> str:
        return self.named("Service", component)

    def claim(self) -> str:
        """The data claim's name."""
        return self.found("data-claim")

    def deployment(self, component: str):
        return self.kube.apps.read_namespaced_deployment(self.named("Deployment", component), self.namespace)

    def container_of(self, pod_spec, component: str):
        """The app's container in a pod spec: the one the profile names, else the first."""
        name = self.profile.container(component)
        return next((container for container in pod_spec.containers if container.name == name), pod_spec.containers[0])

    def install(self, values: dict[str, str]) -> Result:
        """`helm upgrade --install` without --wait (the readiness wait below names what is pending)."""
        outcome = helm.try_install(self.chart, self.name, self.target, self.timeouts.install, values=values)
        self.install_output = outcome.output
        return outcome

    def remember_rollouts(self) -> None:
        """Note what every component runs now, to tell later whether its pods were replaced."""
        self.before_upgrade = {component: self.rollout(component) for component in COMPONENTS}

    def upgrade(self, values: dict[str, str]) -> Result:
        """`helm upgrade --reuse-values` with values changed, then wait until the release is Ready again."""
        self.remember_rollouts()
        outcome = helm.try_upgrade(self.chart, self.name, self.target, self.timeouts.install, values=values)
        if outcome.ok:
            self.wait_ready()
        return outcome

    def uninstall(self) -> Result:
        self.uninstalled = True
        return helm.try_uninstall(self.name, self.target, self.timeouts.cleanup)

    def wait_ready(self) -> None:
        __tracebackhide__ = True
        wait_for(conditions.release_ready(self.kube, self.namespace, self.selector), timeout=self.timeouts.ready, interval=2)

    def rollout(self, component: str) -> Rollout:
        """The component's pods and Deployment revision now."""
        deployment = self.deployment(component)
        revision = int((deployment.metadata.annotations or {}).get("deployment.kubernetes.io/revision", "0"))
        return Rollout(frozenset(pod.metadata.uid for pod in self.kube.pods(self.namespace, self.component_selector(component))), revision)

    def not_replaced(self, component: str) -> str | None:
        """Why the last upgrade did not replace the component's pods with a new revision; None when it did."""
        before, after = self.before_upgrade.get(component), self.rollout(component)
        if before is None:
            return f"the release was never upgraded, so no {component} pod could be replaced"
        if not after.pods or after.pods & before.pods or after.revision <= before.revision:
            return (f"the upgrade did not roll the {component} Deployment: revision {before.revision} -> {after.revision}, "
                    f"{len(after.pods & before.pods)} of {len(after.pods)} pods are from before the upgrade")
        return None

    def disturbed(self, component: str) -> str | None:
        """How the component's pods were replaced or restarted since remember_rollouts; None when they were not."""
        before, after = self.before_upgrade.get(component), self.rollout(component)
        restarts = {pod.metadata.name: sum(status.restart_count for status in pod.status.container_statuses or [])
                    for pod in self.kube.pods(self.namespace, self.component_selector(component))}
        if before is not None and after == before and not any(restarts.values()):
            return None
        return (f"the {component} pods changed: revision {before.revision if before else '?'} -> {after.revision}, "
                f"{len(after.pods - (before.pods if before else frozenset()))} new pod(s), restarts {restarts}")

    def liveness_budget(self, component: str, margin: float = 10) -> float:
        """Seconds within which the liveness probe promises to restart a hung component container: period times
        failure threshold plus timeout, then the termination grace period a hung process never ends early, and a margin."""
        pod = self.deployment(component).spec.template.spec
        probe = self.container_of(pod, component).liveness_probe
        assert probe is not None, f"the {component} container has no liveness probe"
        grace = 30 if pod.termination_grace_period_seconds is None else pod.termination_grace_period_seconds
        return (probe.period_seconds or 10) * (probe.failure_threshold or 3) + (probe.timeout_seconds or 1) + grace + margin

    def ready_pods(self, component: str) -> list:
        return self.kube.ready_pods(self.namespace, self.component_selector(component))

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
        return self.kube.exec(self.namespace, self.one_ready_pod(component).metadata.name, command, self.profile.container(component))

    def app(self, observe, service: str | None = None) -> AppClient:
        """The app as its clients reach it through a Service (default the frontend's): a LoadBalancer from
        outside at the address the cluster publishes, any other Service from a pod inside the cluster."""
        service = service or self.named("Service", "frontend")
        spec = self.kube.core.read_namespaced_service(service, self.namespace).spec
        port = spec.ports[0].port
        if spec.type == "LoadBalancer":
            send = service_sender(lambda: self.cluster.service_url(self.namespace, service, port), self.timeouts)
            return AppClient(send, f"the {service} LoadBalancer Service from outside the cluster", observe)
        send = in_cluster_sender(self.client_pod(), f"http://{service}:{port}", self.timeouts)
        return AppClient(send, f"the {service} Service from a pod in the cluster", observe)

    def client_pod(self) -> ClientPod:
        """The namespace's client pod (created on first request), running the release's backend image for its python3."""
        if self.client is None:
            self.client = ClientPod(self.kube, self.namespace, self.backend_image(), CREATED_BY)
        return self.client

    def outsider_pod(self) -> ClientPod:
        """A pod of the release's namespace that no NetworkPolicy of the release names (it also serves, as a target)."""
        if self.outsider is None:
            self.outsider = ClientPod(self.kube, self.namespace, self.backend_image(), OUTSIDER, name="acceptance-outsider", serve=True)
        return self.outsider

    def backend_image(self) -> str:
        return self.container_of(self.deployment("backend").spec.template.spec, "backend").image

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
        mounted = claim_mounts(pod)
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

    def freeze(self, component: str) -> tuple[str, int]:
        """Stop every process of a Ready component pod's container from its node, so it hangs as a whole;
        (the pod, its container's restart count before)."""
        pod = self.one_ready_pod(component)
        container = self.container_of(pod.spec, component).name
        say(f"cluster: {self.cluster.freeze_container(self.namespace, pod.metadata.name, container)}")
        return pod.metadata.name, next(status.restart_count for status in pod.status.container_statuses if status.name == container)

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
        """Why the SQLite file the backend's DATABASE_URL names is not on the data claim or does not hold text; None when it is and does."""
        pod = self.one_ready_pod("backend")
        url = self.process_environment(pod.metadata.name).get("DATABASE_URL", "")
        path = sqlite_path(url)
        on_claim = claim_mounts(pod)
        if path is None or not any(path.startswith(mount.rstrip("/") + "/") for mount in on_claim):
            return f"the backend's database {path or url!r} (DATABASE_URL) is not on a claim's mount: {on_claim}"
        # The row may still sit in the write-ahead log: read both files, as bytes (no schema assumed).
        script = "import sys; print(any(sys.argv[2].encode() in open(p, 'rb').read() for p in (sys.argv[1], sys.argv[1] + '-wal') if __import__('os').path.exists(p)))"
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

    def frontend_url(self) -> contextlib.AbstractContextManager[str]:
        """http://ADDRESS:PORT where a user outside the cluster reaches the frontend Service, while the block runs."""
        service = self.named("Service", "frontend")
        return self.cluster.service_url(self.namespace, service, self.kube.service_port(self.namespace, service))

    def load_through_frontend(self, path: str = "/api/todos") -> LoadRunner:
        """A bounded request loop from outside the cluster to the frontend Service's published address,
        which kube-proxy balances over the ready endpoints (a user's path during a rollout)."""
        with self.frontend_url() as url:
            base = url  # stable after the block: a published address, or minikube's node URL

        def fetch() -> tuple[int, str]:
            try:
                response = http.request("GET", f"{base}{path}", timeout=self.timeouts.request)
            except requests.RequestException as error:
                return 0, f"{type(error).__name__}: {error}"
            return response.status_code, response.text

        return LoadRunner(fetch)

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

    def wait_replaced(self, deletion: Deletion, budget: float) -> float:
        """Seconds from the deletion until a new pod is Ready and the release with it; a pod that cannot be Ready
        within budget seconds of the deletion stops the wait at once."""
        __tracebackhide__ = True
        ready_by = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=budget - (time.monotonic() - deletion.started))
        wait_for(conditions.pod_replaced(self.kube, self.namespace, self.selector, deletion.component, self.component_selector(deletion.component),
                                         deletion.old_pods, ready_by),
                 timeout=self.timeouts.ready, interval=0.5)
        return time.monotonic() - deletion.started

    def status(self) -> str:
        return helm.status(self.name, self.target, self.timeouts.command)


def claim_mounts(pod) -> dict[str, str]:
    """Where the pod's first container mounts a PersistentVolumeClaim: mount path -> claim name."""
    claims = {volume.name: volume.persistent_volume_claim.claim_name for volume in pod.spec.volumes if volume.persistent_volume_claim}
    return {mount.mount_path: claims[mount.name] for mount in pod.spec.containers[0].volume_mounts or [] if mount.name in claims}


def sqlite_path(url: str) -> str | None:
    """The file an SQLite DATABASE_URL names ('sqlite:////abs/file.db', 'sqlite:///file:/abs/file.db?...'); None for another database."""
    if not url.startswith("sqlite:///"):
        return None
    return url[len("sqlite:///"):].split("?", 1)[0].removeprefix("file:")


def sweep_dead_runs(kube: Kube) -> list[str]:
    """Delete the namespaces of the suite's runs that ended without removing them (killed, crashed): their owner stamp
    names a process of this host that no longer runs. A live run's, another host's, or an unstamped one stay. The
    namespaces deleted (not waited for: they go while the run works)."""
    swept = []
    for namespace in kube.core.list_namespace(label_selector=f"{CREATED_BY_LABEL}={CREATED_BY}").items:
        stamp = (namespace.metadata.annotations or {}).get(run_owner.OWNER_KEY)
        if stamp and not run_owner.alive(stamp) and namespace.status.phase != "Terminating":
            say(f"cluster: deleting namespace {namespace.metadata.name}, left by a run that ended without removing it ({stamp})")
            kube.core.delete_namespace(namespace.metadata.name)
            swept.append(namespace.metadata.name)
    return swept


def create(cluster: ClusterProvider, kube: Kube, chart: Path, namespace: str, profile: Profile, labels: dict[str, str],
           canaries: Canaries | None = None) -> Release:
    """A namespace of the suite's own (labelled as created by it) and the Release that will live in it."""
    kube.create_namespace(namespace, {CREATED_BY_LABEL: CREATED_BY, **labels}, {run_owner.OWNER_KEY: run_owner.owner()})
    leftovers.made(f"namespace {namespace}", " ".join(["kubectl", *cluster.target().kubectl_args(), "delete", "namespace", namespace]))
    return Release(cluster, kube, chart, namespace, profile.release, profile, canaries=canaries)


def remove(release: Release) -> list[str]:
    """Delete the release's namespace, and with it everything the release holds, without waiting for its removal
    (namespaces_gone verifies that once, for every namespace the run removed); the problems met, if any.

    Its Services go first, and are waited for: a LoadBalancer of the next release may be published at the same
    address and port, and would reach this release's pods while the old Service remained. Its pods are then
    given one second to stop, not the chart's 30 (their controllers go first, orphaning them, so none is recreated),
    and its claims are deleted with them: the namespace controller first looks 5 s after the namespace's deletion,
    and when a claim (held by its protection finalizer until the pods are gone) is still there, it looks again
    only 8 s later (removal 11 s -> 6 s, measured on the local cluster)."""
    kubectl, namespace = release.kube.try_kubectl, release.namespace
    release.cluster.forget_published(namespace)
    outcomes = (kubectl("delete", "services", "--all", "--wait=true", namespace=namespace),
                kubectl("delete", "deployments,replicasets", "--all", "--cascade=orphan", namespace=namespace),
                kubectl("delete", "pods", "--all", "--grace-period=1", "--wait=false", namespace=namespace),
                kubectl("delete", "persistentvolumeclaims", "--all", "--wait=false", namespace=namespace),
                kubectl("delete", "namespace", namespace, "--wait=false"))
    if outcomes[-1].ok:
        leftovers.removed(f"namespace {namespace}")
    return [outcome.describe() for outcome in outcomes if not outcome.ok]
