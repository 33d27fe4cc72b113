"""A full cluster is the cluster's state, not the deployment's: a pod crowded out by other namespaces leaves its
scenario not judged, while a release that alone asks more than the nodes offer, or a Service that selects no pod,
still fails (at once)."""

from __future__ import annotations

import types

import pytest

from acceptance.core.outcome import NotJudged
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import FatalState, wait_for
from acceptance.kube import conditions
from acceptance.kube.client import Kube

NS = types.SimpleNamespace
REFUSED = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found."


def pod(namespace: str, cpu: str, *, scheduled: bool = True, labels: dict[str, str] | None = None, ready: bool = True) -> NS:
    conditions_ = [NS(type="PodScheduled", status="True" if scheduled else "False", reason=None if scheduled else "Unschedulable",
                      message=None if scheduled else REFUSED),
                   NS(type="Ready", status="True" if ready and scheduled else "False", reason=None, message=None)]
    return NS(metadata=NS(name=f"{namespace}-pod-{cpu}", namespace=namespace, deletion_timestamp=None, labels=labels or {}),
              spec=NS(containers=[NS(resources=NS(requests={"cpu": cpu, "memory": "64Mi"}))]),
              status=NS(phase="Running" if scheduled else "Pending", conditions=conditions_, container_statuses=[],
                        init_container_statuses=[]))


class FakeCore:
    """The API's answers for one node of 2 CPU and the given pods."""

    def __init__(self, pods: list[NS], selector: dict[str, str] | None = None, claims: list[NS] | None = None,
                 volumes: list[NS] | None = None) -> None:
        self.all, self.selector, self.claims, self.volumes = pods, selector, claims or [], volumes or []

    def list_namespaced_persistent_volume_claim(self, namespace: str) -> NS:
        return NS(items=self.claims)

    def list_persistent_volume(self) -> NS:
        return NS(items=self.volumes)

    def list_pod_for_all_namespaces(self) -> NS:
        return NS(items=self.all)

    def list_namespaced_pod(self, namespace: str, label_selector: str = "") -> NS:
        wanted = dict(part.split("=") for part in label_selector.split(",") if part)
        return NS(items=[p for p in self.all if p.metadata.namespace == namespace and wanted.items() <= p.metadata.labels.items()])

    def list_node(self) -> NS:
        return NS(items=[NS(spec=NS(unschedulable=False), status=NS(allocatable={"cpu": "2", "memory": "8Gi"}))])

    def list_namespace(self) -> NS:
        return NS(items=[])

    def list_namespaced_event(self, namespace: str) -> NS:
        return NS(items=[])

    def read_namespaced_service(self, name: str, namespace: str) -> NS:
        return NS(spec=NS(selector=self.selector))

    def read_namespaced_endpoints(self, name: str, namespace: str) -> NS:
        return NS(subsets=[])


def kube(core: FakeCore) -> Kube:
    made = Kube.__new__(Kube)
    made.storage = NS(list_storage_class=lambda: NS(items=[NS(metadata=NS(name="standard"))]))
    made.core, made.timeouts = core, Timeouts.from_settings(lambda name: "5")
    return made


def test_a_pod_crowded_out_by_other_namespaces_is_not_judged_and_names_who_holds_the_room():
    cluster = kube(FakeCore([pod("kube-system", "750m"), pod("acc-other", "1"), pod("acc-ours", "500m", scheduled=False)]))
    with pytest.raises(NotJudged) as raised:
        wait_for(conditions.release_ready(cluster, "acc-ours", "app=x"), timeout=5, interval=0.01)
    assert raised.value.cause == "this cluster has no room for the release: other namespaces hold the CPU or memory its pods ask"
    assert "acc-ours-pod-500m is Unschedulable: 0/1 nodes are available: 1 Insufficient cpu" in raised.value.detail
    assert "the release in acc-ours asks 0.5 CPU" in raised.value.detail and "acc-other 1 CPU" in raised.value.detail


def test_a_release_that_alone_asks_more_than_the_nodes_offer_fails_at_once():
    cluster = kube(FakeCore([pod("kube-system", "750m"), pod("acc-other", "1"), pod("acc-ours", "1500m", scheduled=False)]))
    with pytest.raises(FatalState, match="Unschedulable: 0/1 nodes are available: 1 Insufficient cpu"):
        wait_for(conditions.release_ready(cluster, "acc-ours", "app=x"), timeout=5, interval=0.01)


def test_a_pod_refused_for_want_of_room_with_no_other_namespace_to_blame_fails():
    cluster = kube(FakeCore([pod("kube-system", "750m"), pod("acc-ours", "1"), pod("acc-ours", "2", scheduled=False)]))
    assert cluster.crowded_out("acc-ours", REFUSED) is None


def test_a_service_that_selects_none_of_the_settled_pods_stops_the_endpoint_wait_at_once():
    pods = [pod("acc-ours", "100m", labels={"app": "backend"}), pod("acc-ours", "100m", labels={"app": "frontend"})]
    with pytest.raises(FatalState, match=r"selects app=backend-none, which none of the pods of acc-ours carries"):
        wait_for(conditions.endpoints_ready(kube(FakeCore(pods, {"app": "backend-none"})), "acc-ours", "backend"), timeout=5, interval=0.01)


@pytest.mark.parametrize(("selector", "ready"), [({"app": "backend"}, True), ({"app": "backend-none"}, False), (None, True)])
def test_a_service_keeps_waiting_while_it_selects_a_pod_a_pod_is_on_its_way_or_it_has_no_selector(selector, ready):
    pods = [pod("acc-ours", "100m", labels={"app": "backend"}, ready=ready)]
    assert kube(FakeCore(pods, selector)).selects_no_settled_pod("acc-ours", "backend") is None


def claim(storage_class: str | None, phase: str = "Pending") -> NS:
    return NS(metadata=NS(name="todo-chatbot-data"), spec=NS(storage_class_name=storage_class), status=NS(phase=phase))


def test_a_claim_that_can_never_bind_stops_the_wait_at_once_and_says_why():
    """A StorageClass the cluster lacks, or no provisioning and no volume to bind: only an administrator can help."""
    lacking = kube(FakeCore([], claims=[claim("gp2")])).fatal_state("acc-ours")
    unprovisioned = kube(FakeCore([], claims=[claim("")])).fatal_state("acc-ours")

    assert lacking is not None and "asks for StorageClass gp2, which this cluster does not have (it has standard)" in lacking
    assert unprovisioned is not None and 'turns dynamic provisioning off (storageClassName "")' in unprovisioned


def test_a_claim_that_a_provisioner_or_a_free_volume_can_bind_is_waited_for():
    free = NS(spec=NS(storage_class_name=""), status=NS(phase="Available"))
    for core in (FakeCore([], claims=[claim(None)]), FakeCore([], claims=[claim("standard")]), FakeCore([], claims=[claim("", "Bound")]),
                 FakeCore([], claims=[claim("")], volumes=[free])):
        assert kube(core).fatal_state("acc-ours") is None
