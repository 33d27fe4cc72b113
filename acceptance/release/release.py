"""A release of the chart in a namespace of its own: install, wait, upgrade, uninstall, remove, and its pods and app."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from acceptance.app.client import AppClient, in_cluster_sender, path_answers, service_sender, todo_listed
from acceptance.app.load import LoadRunner, TodoTraffic
from acceptance.core.credentials import Canaries
from acceptance.core.names import COMPONENTS
from acceptance.core.outcome import NotJudged
from acceptance.core.run import Result
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import Condition, FatalState, WaitTimeout, wait_for
from acceptance.kube import conditions, helm
from acceptance.kube.client import Kube
from acceptance.kube.client_pod import ClientPod
from acceptance.kube.clusters.base import ClusterProvider
from acceptance.kube.target import Target
from acceptance.profile.model import Profile
from acceptance.release.pod_checks import PodChecks

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
class Release(PodChecks):
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
    # The wait for the release to be Ready after its install (wait_started): made once, its failure kept.
    start_awaited: bool = False
    start_failure: Exception | None = None

    @property
    def timeouts(self) -> Timeouts:
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

    def resource_name(self, role: str) -> str:
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
        assert locator.label is not None, f"a {locator.kind} locator needs a name or a label"
        selector = f"{self.selector},{locator.label[0]}={locator.label[1]}"
        found = listing(self.namespace, label_selector=selector).items
        assert found, f"the release has no {locator.kind} labelled {selector} in {self.namespace} (the profile's resources.{role})"
        name: str = found[0].metadata.name
        return name

    def named(self, kind: str, component: str) -> str:
        """The name of the component's Deployment or Service (kind)."""
        return self.resource_name(f"{component}-{kind.lower()}")

    def service(self, component: str) -> str:
        return self.named("Service", component)

    def service_ip_url(self, component: str, path: str) -> str:
        """http://CLUSTER-IP:PORT/path of the component's Service: its address without the cluster's DNS."""
        name = self.service(component)
        address = self.kube.core.read_namespaced_service(name, self.namespace).spec.cluster_ip
        return f"http://{address}:{self.kube.service_port(self.namespace, name)}{path}"

    def claim(self) -> str:
        """The data claim's name."""
        return self.resource_name("data-claim")

    def deployment(self, component: str) -> Any:
        return self.kube.apps.read_namespaced_deployment(self.named("Deployment", component), self.namespace)

    def container_of(self, pod_spec: Any, component: str) -> Any:
        """The app's container in a pod spec: the one the profile names, else the first."""
        name = self.profile.container(component)
        return next((container for container in pod_spec.containers if container.name == name), pod_spec.containers[0])

    def install(self, values: dict[str, str], chart: Path | None = None) -> Result:
        """`helm upgrade --install` of the chart (or of another, such as its earlier version) without --wait (the
        readiness wait below names what is pending)."""
        outcome = helm.try_install(chart or self.chart, self.name, self.target, self.timeouts.install, values=values)
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

    def rollback(self) -> Result:
        """`helm rollback` to the previous revision, then wait until the release is Ready again."""
        self.remember_rollouts()
        outcome = helm.try_rollback(self.name, self.target, self.timeouts.install)
        if outcome.ok:
            self.wait_ready()
        return outcome

    def chart_version_problem(self, version: str) -> str | None:
        """Why the release does not run version of its chart now (helm history's NAME-VERSION); None when it does."""
        chart = helm.deployed_chart(self.name, self.target, self.timeouts.command)
        return None if chart.endswith(f"-{version}") else f"the release runs {chart}, not version {version} of the chart"

    def uninstall(self) -> Result:
        self.uninstalled = True
        return helm.try_uninstall(self.name, self.target, self.timeouts.cleanup)

    # ------------------------------------------------------------------ waits: each within one budget of the suite's timeouts
    def wait(self, condition: Condition, budget: str = "ready", interval: float = 1.0, timeout: float | None = None) -> Any:
        """Wait for a named condition within the named budget (timeout_<budget> in pytest.ini), or a shorter timeout."""
        __tracebackhide__ = True
        return wait_for(condition, timeout=min(getattr(self.timeouts, budget), timeout or float("inf")), interval=interval)

    def wait_ready(self) -> None:
        __tracebackhide__ = True
        self.wait(conditions.release_ready(self.kube, self.namespace, self.selector), interval=2)

    def wait_started(self) -> None:
        """Wait once for the release to be Ready after its install. A later call (the step that promises it, after the
        pool waited in the background) gets that wait's failure at once, not a second wait of the whole budget."""
        __tracebackhide__ = True
        if not self.start_awaited:
            self.start_awaited = True
            try:
                self.wait_ready()
            except (WaitTimeout, FatalState) as error:
                self.start_failure = error
        if self.start_failure is not None:
            raise self.start_failure

    def wait_endpoints_ready(self, service: str) -> None:
        """The Service the profile names service (e.g. "frontend") has a ready endpoint."""
        __tracebackhide__ = True
        self.wait(conditions.endpoints_ready(self.kube, self.namespace, self.service(service)))

    def wait_left_endpoints(self, service: str, hang: tuple[str, str, int]) -> None:
        """The Service drops the hung pod (pod, container, restart count before) while it hangs, before any restart."""
        __tracebackhide__ = True
        self.wait(conditions.left_endpoints_while_hung(self.kube, self.namespace, self.service(service), hang))

    def wait_claim_bound(self) -> None:
        __tracebackhide__ = True
        self.wait(conditions.claim_bound(self.kube, self.namespace, self.claim()))

    def wait_gone(self, keep_allowed: bool = True, budget: str = "ready") -> None:
        """Nothing labelled with the release is left in its namespace (but the data claim the chart keeps on purpose, when allowed)."""
        __tracebackhide__ = True
        self.wait(conditions.resources_gone(self.kube, self.namespace, self.selector, keep_allowed=keep_allowed), budget, interval=2)

    def wait_listed(self, observe: Callable[[str, requests.Response], None], title: str) -> None:
        """The app, through the frontend Service, lists the todo title."""
        __tracebackhide__ = True
        self.wait(todo_listed(self.app(observe), title), interval=2)

    def wait_restarted(self, hang: tuple[str, str, int], component: str) -> None:
        """The kubelet restarted the hung container (pod, container, restart count before), within what its liveness
        probe promises."""
        __tracebackhide__ = True
        self.wait(conditions.container_restarted(self.kube, self.namespace, *hang), timeout=self.liveness_budget(component))

    def rollout(self, component: str) -> Rollout:
        """The component's pods and Deployment revision now."""
        deployment = self.deployment(component)
        revision = int((deployment.metadata.annotations or {}).get("deployment.kubernetes.io/revision", "0"))
        return Rollout(frozenset(pod.metadata.uid for pod in self.kube.pods(self.namespace, self.component_selector(component))), revision)

    def not_replaced_problem(self, component: str) -> str | None:
        """Why the last upgrade did not replace the component's pods with a new revision; None when it did."""
        before, after = self.before_upgrade.get(component), self.rollout(component)
        if before is None:
            return f"the release was never upgraded, so no {component} pod could be replaced"
        if not after.pods or after.pods & before.pods or after.revision <= before.revision:
            return (f"the upgrade did not roll the {component} Deployment: revision {before.revision} -> {after.revision}, "
                    f"{len(after.pods & before.pods)} of {len(after.pods)} pods are from before the upgrade")
        return None

    def disturbed_problem(self, component: str) -> str | None:
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

    def ready_pods(self, component: str) -> list[Any]:
        return self.kube.ready_pods(self.namespace, self.component_selector(component))

    def probe_path(self, component: str, probe: str) -> str:
        """The path the component's deployed container asks for its probe ("readiness", "liveness"): the health
        endpoint the team chose, whatever its name (the seed's are /health and /health.html).

        Raises:
            AssertionError: the container has no such probe (FR-008 asks for it).
            NotJudged: the probe runs a command or opens a port: a design of its own, which names no endpoint to request.
        """
        __tracebackhide__ = True
        found = getattr(self.container_of(self.deployment(component).spec.template.spec, component), f"{probe}_probe")
        assert found, f"the deployed {component} container has no {probe} probe"
        if not (found.http_get and found.http_get.path):
            raise NotJudged(f"the deployed {component} container's {probe} probe is not an HTTP GET: it names no health endpoint "
                            "for the suite to request", str(found))
        return str(found.http_get.path)

    def one_ready_pod(self, component: str) -> Any:
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

    def app(self, observe: Callable[[str, requests.Response], None], service: str | None = None) -> AppClient:
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
        image: str = self.container_of(self.deployment("backend").spec.template.spec, "backend").image
        return image

    def frontend_url(self) -> contextlib.AbstractContextManager[str]:
        """http://ADDRESS:PORT where a user outside the cluster reaches the frontend Service, while the block runs."""
        service = self.named("Service", "frontend")
        return self.cluster.service_url(self.namespace, service, self.kube.service_port(self.namespace, service))

    def load_through_frontend(self) -> tuple[LoadRunner, TodoTraffic]:
        """A bounded loop of users' requests (reads, and writes of todos) from outside the cluster to the frontend
        Service's published address, which kube-proxy balances over the ready endpoints (a user's path during a
        rollout); the traffic keeps the writes the app acknowledged."""
        with self.frontend_url() as url:
            base = url  # stable after the block: a published address, or minikube's node URL
        traffic = TodoTraffic(base, self.timeouts.request, f"written during the rollout {time.monotonic():.0f}")
        return LoadRunner(traffic), traffic

    def under_load(self, load: LoadRunner, change: Callable[[], Result], what: str, warm_up: int = 10, cool_down: int = 20) -> LoadRunner:
        """Make the change (an upgrade, a rollback) while load runs: warm_up requests before, cool_down after the
        rollout, then stop the load.

        Raises:
            ToolError: the change failed (what names it).
        """
        load.start(warm_up, timeout=self.timeouts.ready)
        try:
            change().check(what)
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
        ready_by = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=budget - (time.monotonic() - deletion.started))
        wait_for(conditions.pod_replaced(self.kube, self.namespace, self.selector, deletion.component, self.component_selector(deletion.component),
                                         deletion.old_pods, ready_by),
                 timeout=self.timeouts.ready, interval=0.5)
        return time.monotonic() - deletion.started

    def wait_answering(self, deletion: Deletion, observe: Callable[[str, requests.Response], None]) -> float:
        """Seconds from the deletion until the component's readiness path answers 200 through its Service again: what
        a user waits, which a Ready pod alone does not end (its endpoint must be routed, the app must serve)."""
        __tracebackhide__ = True
        app = self.app(observe, self.service(deletion.component))
        self.wait(path_answers(app, self.probe_path(deletion.component, "readiness")), interval=0.5)
        return time.monotonic() - deletion.started

    def status(self) -> str:
        return helm.status(self.name, self.target, self.timeouts.command)
