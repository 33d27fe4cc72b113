"""The Kubernetes API (official client) and kubectl for exec, describe and logs: queries, states and evidence."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from acceptance.core.outcome import NotJudged
from acceptance.core.quantity import quantity
from acceptance.core.run import Result
from acceptance.core.timeouts import Timeouts
from acceptance.kube import kubectl
from acceptance.kube.target import Target

# Waiting reasons that no amount of waiting fixes here. CreateContainerConfigError is left out: the kubelet
# reports it while its ConfigMap cache syncs, and it clears by itself; a real one ends in the ready timeout.
FATAL_WAITING_REASONS = {"ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "InvalidImageName"}
MISSING_PATH_PROBE = "Readiness probe failed: HTTP probe failed with statuscode: 404"
MISSING_PATH_REPEATS = 3  # a path not found three times in a row is not a pod still starting
# The resources a pod can be refused a node for, each with how an amount of it reads.
RESOURCES: dict[str, Callable[[float], str]] = {"cpu": lambda cores: f"{cores:g} CPU", "memory": lambda size: f"{size / 2**20:.0f} MiB"}


def readiness_path_missing(event: Any) -> str | None:
    """A readiness probe answered 404 again and again: it asks a path the container does not serve, and never will."""
    if event.reason != "Unhealthy" or MISSING_PATH_PROBE not in (event.message or "") or (event.count or 1) < MISSING_PATH_REPEATS:
        return None
    return (f"pod {event.involved_object.name}: its readiness probe asks a path the container does not serve "
            f"({event.message.strip()}, {event.count} times)")


def pod_ready(pod: Any) -> bool:
    return pod.status.phase == "Running" and any(condition.type == "Ready" and condition.status == "True" for condition in pod.status.conditions or [])


def earliest_ready(pod: Any, now: datetime.datetime) -> datetime.datetime:
    """The soonest a pod can turn Ready: the latest, over its containers (a pod is Ready when every one is), of a
    container's start (now, if not started) plus its readiness probe's initial delay."""
    statuses = {status.name: status for status in pod.status.container_statuses or []}

    def soonest(container: Any) -> datetime.datetime:
        probe = container.readiness_probe
        delay = (probe.initial_delay_seconds or 0) if probe else 0
        status = statuses.get(container.name)
        running = status.state.running if status and status.state else None
        started = running.started_at if running and running.started_at else now
        return started + datetime.timedelta(seconds=delay)

    return max(soonest(container) for container in pod.spec.containers)


class Kube:
    """One cluster, reached through a Target's kubeconfig and context."""

    def __init__(self, target: Target, timeouts: Timeouts):
        self.target = Target(target.kubeconfig, target.context)
        self.timeouts = timeouts
        api_client = config.new_client_from_config(config_file=str(target.kubeconfig), context=target.context)
        self.core = client.CoreV1Api(api_client)
        self.apps = client.AppsV1Api(api_client)
        self.networking = client.NetworkingV1Api(api_client)
        self.storage = client.StorageV1Api(api_client)

    # ------------------------------------------------------------------ kubectl
    def try_kubectl(self, *arguments: str, namespace: str | None = None, timeout: float | None = None) -> Result:
        """kubectl against this cluster (in namespace, when given); the Result, never raising for a failure."""
        target = self.target.in_namespace(namespace) if namespace else self.target
        return kubectl.try_kubectl(target, *arguments, timeout=timeout or self.timeouts.command)

    def kubectl(self, *arguments: str, namespace: str | None = None, timeout: float | None = None, what: str | None = None) -> str:
        """kubectl against this cluster (in namespace, when given); its stdout.

        Raises:
            ToolError: kubectl failed or timed out; the message has its stderr and what was being done.
        """
        outcome = self.try_kubectl(*arguments, namespace=namespace, timeout=timeout)
        return outcome.check(what or f"run kubectl {' '.join(arguments)}" + (f" in {namespace}" if namespace else ""),
                             f"check that the cluster answers ({self.target.describe()})").stdout

    def exec(self, namespace: str, pod: str, command: list[str], container: str | None = None) -> Result:
        target = ["-c", container] if container else []
        return self.try_kubectl("exec", pod, *target, "--", *command, namespace=namespace, timeout=self.timeouts.exec)

    # ------------------------------------------------------------------ queries
    def pods(self, namespace: str, selector: str) -> list[Any]:
        return [pod for pod in self.core.list_namespaced_pod(namespace, label_selector=selector).items if not pod.metadata.deletion_timestamp]

    def ready_pods(self, namespace: str, selector: str) -> list[Any]:
        return [pod for pod in self.pods(namespace, selector) if pod_ready(pod)]

    def ready_endpoint_addresses(self, namespace: str, service: str) -> list[str]:
        try:
            endpoints = self.core.read_namespaced_endpoints(service, namespace)
        except ApiException as error:
            if error.status == 404:
                return []
            raise
        return [address.ip for subset in endpoints.subsets or [] for address in subset.addresses or []]

    def selects_no_settled_pod(self, namespace: str, service: str) -> str | None:
        """The Service's selector (as a label selector), when it matches none of the namespace's pods and those are all
        Ready, none starting or stopping; None when it selects one, has no selector, or a pod is on its way."""
        labels = self.core.read_namespaced_service(service, namespace).spec.selector
        pods = self.core.list_namespaced_pod(namespace).items
        if not labels or not pods or any(pod.metadata.deletion_timestamp or not pod_ready(pod) for pod in pods):
            return None
        selector = ",".join(f"{name}={value}" for name, value in sorted(labels.items()))
        return None if self.pods(namespace, selector) else selector

    def service_port(self, namespace: str, service: str) -> int:
        port: int = self.core.read_namespaced_service(service, namespace).spec.ports[0].port
        return port

    def create_namespace(self, name: str, labels: dict[str, str], annotations: dict[str, str] | None = None) -> None:
        self.core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name, labels=labels, annotations=annotations)))

    def requested(self, resource: str = "cpu") -> dict[str, float]:
        """The resource (cpu in cores, memory in bytes) requested per namespace by the pods that hold node capacity (all
        but Succeeded and Failed ones, a pod still waiting for a node included)."""
        requested: dict[str, float] = {}
        for pod in self.core.list_pod_for_all_namespaces().items:
            if pod.status.phase not in ("Succeeded", "Failed"):
                amount = sum(quantity((container.resources.requests or {}).get(resource, "0")) for container in pod.spec.containers)
                requested[pod.metadata.namespace] = requested.get(pod.metadata.namespace, 0.0) + amount
        return requested

    def allocatable(self, resource: str = "cpu") -> float:
        """The resource (cpu in cores, memory in bytes) the schedulable nodes offer to pods."""
        return sum(quantity(node.status.allocatable[resource]) for node in self.core.list_node().items if not node.spec.unschedulable)

    # ------------------------------------------------------------------ states
    def terminating_namespaces(self) -> list[str]:
        return [namespace.metadata.name for namespace in self.core.list_namespace().items if namespace.status.phase == "Terminating"]

    def resources_being_freed(self) -> bool:
        """Whether a namespace or a pod is on its way out, so the node will have room it lacks now (during a rolling
        upgrade the old pods hold their requests while they stop)."""
        return bool(self.terminating_namespaces()) or any(
            pod.metadata.deletion_timestamp for pod in self.core.list_pod_for_all_namespaces().items)

    def fatal_state(self, namespace: str) -> str | None:
        """A state of the namespace that waiting cannot fix, named; None when there is none.

        Raises:
            NotJudged: a pod waits for a node that other namespaces crowd (crowded_out): the cluster's state, not the
                deployment's.
        """
        for pod in self.core.list_namespaced_pod(namespace).items:
            for status in (pod.status.container_statuses or []) + (pod.status.init_container_statuses or []):
                waiting = status.state.waiting if status.state else None
                if waiting and waiting.reason in FATAL_WAITING_REASONS:
                    return f"pod {pod.metadata.name} container {status.name}: {waiting.reason}: {waiting.message or ''}".strip()
            for condition in pod.status.conditions or []:
                # Waiting for a claim to bind is not hopeless (a Pending claim is caught by its ProvisioningFailed event).
                # Nor is waiting for the resources of a namespace being removed (deleted without waiting, verified at the
                # end) or of pods stopping (minikube's control plane leaves a rolling upgrade no room until they have).
                if (condition.type == "PodScheduled" and condition.status == "False" and condition.reason == "Unschedulable"
                        and "unbound immediate PersistentVolumeClaims" not in (condition.message or "")
                        and not self.resources_being_freed()):
                    refused = f"pod {pod.metadata.name} is Unschedulable: {condition.message}"
                    if crowded := self.crowded_out(namespace, condition.message or ""):
                        raise NotJudged("this cluster has no room for the release: other namespaces hold the CPU or memory its pods ask",
                                        f"{refused}\n{crowded}")
                    return refused
        return self.unbindable_claim(namespace) or self.fatal_event(namespace)

    def fatal_event(self, namespace: str) -> str | None:
        """An event of the namespace that says waiting cannot help (provisioning failed, pods cannot be created, a
        readiness path that does not exist), named; None when there is none."""
        for event in self.core.list_namespaced_event(namespace).items:
            if event.reason == "ProvisioningFailed":
                return f"PVC {event.involved_object.name} stays Pending: {event.message}"
            if event.reason == "FailedCreate" and event.involved_object.kind == "ReplicaSet":
                return f"ReplicaSet {event.involved_object.name} cannot create pods: {event.message}"
            if missing := readiness_path_missing(event):
                return missing
        return None

    def unbindable_claim(self, namespace: str) -> str | None:
        """A Pending claim of the namespace that no wait can bind, named: it asks for a StorageClass the cluster does
        not have, or turns dynamic provisioning off (storageClassName "") where no volume without a class is
        Available. None when there is none, or when the cluster does not let the suite list its storage."""
        pending = [claim for claim in self.core.list_namespaced_persistent_volume_claim(namespace).items if claim.status.phase == "Pending"]
        if not pending:
            return None
        try:
            classes = {found.metadata.name for found in self.storage.list_storage_class().items}
            free = [volume for volume in self.core.list_persistent_volume().items if volume.status.phase == "Available"]
        except ApiException:
            return None
        for claim in pending:
            wanted, name = claim.spec.storage_class_name, claim.metadata.name
            if wanted and wanted not in classes:
                return (f"PVC {name} asks for StorageClass {wanted}, which this cluster does not have "
                        f"(it has {', '.join(sorted(classes)) or 'none'}): it can never be Bound")
            if wanted == "" and not any(not volume.spec.storage_class_name for volume in free):
                return (f'PVC {name} turns dynamic provisioning off (storageClassName "") and no PersistentVolume without a class '
                        "is Available: it can never be Bound")
        return None

    def crowded_out(self, namespace: str, refusal: str) -> str | None:
        """Why a pod refused for want of CPU or memory (the scheduler's "Insufficient cpu") is the cluster's crowding,
        not the deployment's size: the namespace's pods and the cluster's own (kube-system) fit what the nodes offer,
        and other namespaces hold the rest. None when the release alone asks more than the cluster offers."""
        for resource, amount_of in RESOURCES.items():
            if f"Insufficient {resource}" not in refusal:
                continue
            requested, offered = self.requested(resource), self.allocatable(resource)
            ours, system = requested.get(namespace, 0.0), requested.get("kube-system", 0.0)
            others = {name: amount for name, amount in requested.items() if name not in (namespace, "kube-system") and amount > 0}
            if others and ours + system <= offered:
                held = ", ".join(f"{name} {amount_of(amount)}" for name, amount in sorted(others.items()))
                return (f"the nodes offer {amount_of(offered)} of {resource}: the release in {namespace} asks {amount_of(ours)} "
                        f"and the cluster's own pods {amount_of(system)}, which fit, but other namespaces hold {held}. Run the "
                        "suite on a cluster with room for it, or free those namespaces")
        return None

    # ------------------------------------------------------------------ evidence
    def evidence(self, namespace: str) -> dict[str, Callable[[], str]]:
        """Callables that gather what explains a failure in namespace (run only when a scenario fails)."""
        return {
            f"{namespace} events": lambda: self.try_kubectl("get", "events", "--sort-by=.lastTimestamp", namespace=namespace).output,
            f"{namespace} describe": lambda: self.try_kubectl("describe", "all,pvc,endpoints", namespace=namespace).output,
            f"{namespace} services, endpoints, claims": lambda: self.try_kubectl("get", "svc,endpoints,pvc,pods", "-o", "wide", namespace=namespace).output,
            f"{namespace} container logs": lambda: self.all_logs(namespace),
        }

    def all_logs(self, namespace: str) -> str:
        """Current and previous logs of every container in namespace."""
        parts = []
        for pod in self.core.list_namespaced_pod(namespace).items:
            for status in pod.status.container_statuses or []:
                for previous in (False, True):
                    if previous and not status.restart_count:
                        continue
                    try:
                        text = self.core.read_namespaced_pod_log(pod.metadata.name, namespace, container=status.name, previous=previous, tail_lines=200)
                    except ApiException as error:
                        text = f"(unavailable: {error.reason})"
                    parts.append(f"=== {pod.metadata.name}/{status.name}{' (previous)' if previous else ''} ===\n{text}")
        return "\n".join(parts) or "(no pods)"
