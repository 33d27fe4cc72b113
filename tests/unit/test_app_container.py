"""The app's container is the one the profile names, wherever it stands in the pod: a sidecar listed first (a log
shipper, a proxy) must not be mistaken for it when the suite reads mounts or waits for a restart."""

from __future__ import annotations

import types

from acceptance.kube.conditions import container_restarted
from acceptance.release.pod_checks import claim_mounts

NS = types.SimpleNamespace


def pod_with_a_sidecar_first() -> NS:
    volumes = [NS(name="data", persistent_volume_claim=NS(claim_name="todo-data")), NS(name="logs", persistent_volume_claim=None)]
    containers = [NS(name="shipper", volume_mounts=[NS(name="logs", mount_path="/logs")]),
                  NS(name="backend", volume_mounts=[NS(name="data", mount_path="/app/data")])]
    statuses = [NS(name="shipper", restart_count=0), NS(name="backend", restart_count=1)]
    return NS(spec=NS(volumes=volumes, containers=containers), status=NS(container_statuses=statuses))


def test_the_claim_is_found_where_the_app_container_mounts_it():
    assert claim_mounts(pod_with_a_sidecar_first(), "backend") == {"/app/data": "todo-data"}
    assert claim_mounts(pod_with_a_sidecar_first(), "shipper") == {}


def test_a_restart_is_the_app_containers_not_the_first_ones():
    kube = NS(core=NS(read_namespaced_pod=lambda name, namespace: pod_with_a_sidecar_first()))
    assert container_restarted(kube, "ns", "pod", "backend", 0).observe()
    assert not container_restarted(kube, "ns", "pod", "shipper", 0).observe()
