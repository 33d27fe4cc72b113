"""A setup script's minikube calls read by meaning: every way a team writes the same start and the same addons is the
same cluster, and what differs is seen."""

from __future__ import annotations

import pytest

from acceptance.delivery import minikube_calls


@pytest.mark.parametrize("calls", [
    ["start --profile minikube --driver docker --cpus 2 --memory 4096 --cni calico"],
    ["start -p minikube --cpus=2 --memory=4g --cni=calico"],
    ["status -p minikube", "start --memory 4GB --cni cilium"],  # no --cpus: minikube's default, 2
    ["start --cpus 4 --memory 1024", "start --cpus 2 --memory 4096mb --cni calico"],  # the last start is what runs
    ["-p minikube start --cpus 2 --memory 4096 --cni calico"],  # the profile before the command
], ids=["reference", "equals-and-short-flag", "default-cpus", "last-start", "flag-first"])
def test_the_same_start_however_written(calls):
    assert minikube_calls.resources(calls) == (2, 4096)
    assert minikube_calls.network_problem(calls) is None


@pytest.mark.parametrize(("calls", "addons"), [
    (["start", "addons enable metrics-server --profile minikube", "addons enable storage-provisioner -p minikube"],
     {"metrics-server", "storage-provisioner"}),
    (["start --addons=metrics-server,storage-provisioner"], {"metrics-server", "storage-provisioner"}),
    (["start --addons metrics-server --addons storage-provisioner"], {"metrics-server", "storage-provisioner"}),
    (["start", "addons list"], set()),
    (["start", "-p minikube addons enable ingress", "addons --alsologtostderr enable dashboard"], {"ingress", "dashboard"}),
    (["status --format {{.Host}} start"], set()),  # no start: a word of status's
], ids=["enable-one-by-one", "start-addons-comma", "start-addons-repeated", "none", "flags-first", "not-a-start"])
def test_addons_enabled_one_by_one_or_at_start(calls, addons):
    assert minikube_calls.enabled_addons(calls) == addons


def test_what_differs_is_seen():
    assert minikube_calls.resources(["start --cpus 4 --memory 8g"]) == (4, 8192)
    assert minikube_calls.resources(["start --memory max"]) == (2, None), "a memory that is no size is no amount"
    assert minikube_calls.resources(["status"]) is None, "never started"
    assert "enforces no NetworkPolicy" in (minikube_calls.network_problem(["start --cpus 2"]) or "")
    assert "enforces no NetworkPolicy" in (minikube_calls.network_problem(["start --cni flannel"]) or "")
    assert "never started minikube" in (minikube_calls.network_problem(["status"]) or "")
