"""Named conditions for wait_for, like e2e-framework's klient/wait/conditions: each names itself and its fatal states."""

from __future__ import annotations

import datetime
import socket
from collections.abc import Callable

from acceptance.core.wait import Condition, FatalState, Pending
from acceptance.kube.client import Kube, earliest_ready, pod_ready


def _no_fatal_state(kube: Kube, namespace: str) -> None:
    fatal = kube.fatal_state(namespace)
    if fatal:
        raise FatalState(fatal)


def release_ready(kube: Kube, namespace: str, release: str) -> Condition:
    """Every Deployment of the release (a label selector, e.g. app.kubernetes.io/instance=NAME) fully rolled out and
    every one of its pods Ready."""
    return Condition(f"release {release} in {namespace} to be Ready", _release_observer(kube, namespace, release))


def _release_observer(kube: Kube, namespace: str, release: str) -> Callable[[], bool | Pending]:
    """release_ready's observation, typed as it is (a Condition's observe returns object)."""

    def observe() -> bool | Pending:
        _no_fatal_state(kube, namespace)
        deployments = kube.apps.list_namespaced_deployment(namespace, label_selector=release).items
        if not deployments:
            return Pending(f"no Deployment of release {release} exists yet")
        for deployment in deployments:
            wanted = deployment.spec.replicas or 0
            if wanted < 1:  # zero of zero pods Ready is not a release that serves
                raise FatalState(f"Deployment {deployment.metadata.name} asks for {wanted} replicas: the release can never serve")
            status = deployment.status
            if deployment.metadata.generation != status.observed_generation:
                return Pending(f"Deployment {deployment.metadata.name}: the controller has not seen its latest spec")
            counts = (status.updated_replicas or 0, status.ready_replicas or 0, status.replicas or 0)
            if counts != (wanted, wanted, wanted):
                return Pending(f"Deployment {deployment.metadata.name}: {counts[1]}/{wanted} ready, {counts[0]} updated, {counts[2]} in all")
        for pod in kube.core.list_namespaced_pod(namespace, label_selector=release).items:
            if pod.metadata.deletion_timestamp:
                return Pending(f"pod {pod.metadata.name} is still terminating")
            if not pod_ready(pod):
                return Pending(f"pod {pod.metadata.name} is {pod.status.phase}, not Ready")
        return True

    return observe


def pod_replaced(kube: Kube, namespace: str, release: str, component: str, selector: str, old_pods: set[str], ready_by: datetime.datetime) -> Condition:
    """A Ready component pod (selector) that is none of old_pods, and the whole release (a selector) Ready again.

    A new pod whose readiness probe starts only after ready_by (the budget's end) stops the wait at once: it cannot make it."""
    ready = _release_observer(kube, namespace, release)

    def observe() -> bool | Pending:
        _no_fatal_state(kube, namespace)
        new = [pod for pod in kube.pods(namespace, selector) if pod.metadata.name not in old_pods]
        now = datetime.datetime.now(datetime.UTC)
        for pod in (pod for pod in new if not pod_ready(pod)):
            soonest = earliest_ready(pod, now)
            if soonest > ready_by:
                raise FatalState(f"pod {pod.metadata.name} cannot be Ready by {ready_by:%H:%M:%S} (the budget's end): at the earliest "
                                 f"at {soonest:%H:%M:%S} (its container's start plus its readiness probe's initial delay)")
        return ready() if any(pod_ready(pod) for pod in new) else Pending(f"no Ready {component} pod other than {sorted(old_pods)}")

    return Condition(f"a new Ready {component} pod replacing {sorted(old_pods)}", observe)


def pod_ready_named(kube: Kube, namespace: str, name: str) -> Condition:
    """The pod called name Running and Ready (a pod that ended or cannot start is fatal)."""

    def observe() -> bool | Pending:
        _no_fatal_state(kube, namespace)
        pod = kube.core.read_namespaced_pod(name, namespace)
        if pod.status.phase in ("Succeeded", "Failed"):
            raise FatalState(f"pod {name} ended ({pod.status.phase}): {pod.status.message or pod.status.reason or ''}")
        return True if pod_ready(pod) else Pending(f"pod {name} is {pod.status.phase}, not Ready")

    return Condition(f"pod {name} in {namespace} to be Ready", observe)


def endpoints_ready(kube: Kube, namespace: str, service: str) -> Condition:
    """A ready address behind the Service. A Service that selects none of the namespace's pods while they are all
    Ready (none on its way) will never have one: that stops the wait at once."""

    def observe() -> list[str]:
        _no_fatal_state(kube, namespace)
        addresses = kube.ready_endpoint_addresses(namespace, service)
        if not addresses and (selector := kube.selects_no_settled_pod(namespace, service)):
            raise FatalState(f"Service {service} selects {selector}, which none of the pods of {namespace} carries (they are all "
                             "Ready, none on its way): it can never have an endpoint")
        return addresses

    return Condition(f"a ready endpoint behind Service {service}", observe)


def left_endpoints_while_hung(kube: Kube, namespace: str, service: str, hang: tuple[str, str, int]) -> Condition:
    """The Service has no ready endpoint while the hung container (pod, container, restart count before) still runs,
    hung: its readiness probe took it out. Once the kubelet has stopped it, an empty endpoint list proves nothing (every
    stopped container leaves it), so the wait stops at once."""
    pod, container, restarts_before = hang

    def still_hung() -> bool:
        statuses = kube.core.read_namespaced_pod(pod, namespace).status.container_statuses or []
        return any(status.name == container and status.restart_count == restarts_before and status.state and status.state.running
                   for status in statuses)

    def observe() -> bool:
        hung = still_hung()  # before the endpoints: an empty list read after a live container counts
        if not kube.ready_endpoint_addresses(namespace, service):
            if hung:
                return True
            raise FatalState(f"Service {service} dropped the hung pod {pod} only once the kubelet stopped its container {container}: "
                             "its readiness probe kept passing while it hung")
        if not hung:
            raise FatalState(f"the kubelet stopped the hung container {container} in {pod} while Service {service} still sent it "
                             "traffic: its readiness probe kept passing while it hung")
        return False

    return Condition(f"Service {service} to drop the hung pod {hang[0]} before the kubelet restarts it", observe)


def claim_bound(kube: Kube, namespace: str, claim: str) -> Condition:
    def observe() -> bool | Pending:
        _no_fatal_state(kube, namespace)
        phase = kube.core.read_namespaced_persistent_volume_claim(claim, namespace).status.phase
        return phase == "Bound" or Pending(f"PVC {claim} is {phase}")

    return Condition(f"PVC {claim} to be Bound", observe)


def container_restarted(kube: Kube, namespace: str, pod: str, container: str, restarts_before: int) -> Condition:
    """The pod's container named container restarted since it had restarted restarts_before times."""

    def observe() -> bool:
        statuses = kube.core.read_namespaced_pod(pod, namespace).status.container_statuses or []
        return any(status.name == container and status.restart_count > restarts_before for status in statuses)

    return Condition(f"the kubelet to restart the container {container} in {pod}", observe)


def resources_gone(kube: Kube, namespace: str, selector: str, kinds: str = "all,configmaps,secrets,pvc,endpoints",
                   keep_allowed: bool = True) -> Condition:
    """Nothing matching selector remains in namespace but, when keep_allowed, a data claim that carries
    helm.sh/resource-policy: keep. Anything else kept (a Secret's credentials, a ConfigMap) outlives the release by
    surprise: helm keeps it whatever it holds.

    Something left behind that nothing is deleting (no deletion requested, no owner whose removal collects it) stops
    the wait at once, named: it would stay for good. Endpoints are the exception: their controller removes them a
    moment after their Service, without an owner reference."""
    template = ('{range .items[*]}{.kind}/{.metadata.name}|{.metadata.annotations.helm\\.sh/resource-policy}|'
                '{.metadata.deletionTimestamp}|{.metadata.ownerReferences[*].kind}{"\\n"}{end}')

    def observe() -> bool | Pending:
        outcome = kube.try_kubectl("get", kinds, "-l", selector, "-o", f"jsonpath={template}", namespace=namespace)
        if not outcome.ok:  # an error is no evidence that nothing is left
            return Pending(f"kubectl could not list what is left: {outcome.output[-500:]}")
        rows = [line.split("|") for line in outcome.stdout.splitlines() if line.strip()]
        left = [(name, policy) for name, policy, deleting, owners in rows
                if not (keep_allowed and policy == "keep" and name.startswith("PersistentVolumeClaim/"))]
        kept_for_good = [name for name, policy, deleting, owners in rows
                         if (name, policy) in left and not name.startswith("Endpoints/") and not deleting and not owners]
        if kept_for_good:
            raise FatalState(f"left behind, and nothing is deleting it (no deletion requested, no owner): {', '.join(kept_for_good)}"
                             + ("; only a data claim may be kept on purpose (helm.sh/resource-policy: keep)" if keep_allowed else ""))
        return not left or Pending("left behind" + (", and not a data claim marked helm.sh/resource-policy: keep" if keep_allowed else "") + ":\n"
                                   + "\n".join(f"{name} {policy}".strip() for name, policy in left))

    return Condition(f"the resources matching {selector} in {namespace} to disappear", observe)


def namespaces_gone(kube: Kube, namespaces: list[str]) -> Condition:
    """None of the namespaces exists any more (the suite deletes them without waiting and verifies this once)."""

    def observe() -> bool | Pending:
        left = {namespace.metadata.name: namespace.status.phase for namespace in kube.core.list_namespace().items
                if namespace.metadata.name in namespaces}
        return not left or Pending("still there: " + ", ".join(f"{name} ({phase})" for name, phase in sorted(left.items())))

    return Condition(f"namespaces {', '.join(sorted(namespaces))} to be removed", observe)


def port_answers(host: str, port: int, probe_timeout: float = 0.5) -> Condition:
    def observe() -> bool:
        try:
            with socket.create_connection((host, port), timeout=probe_timeout):
                return True
        except OSError:
            return False

    return Condition(f"{host}:{port} to accept connections", observe)
