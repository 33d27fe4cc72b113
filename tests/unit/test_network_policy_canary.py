"""Unit tests of acceptance/kube/network_policy.py: enforcement is shown by a canary, never assumed."""

from __future__ import annotations

import pytest
import requests

from acceptance.core.outcome import NotJudged
from acceptance.kube import network_policy
from acceptance.kube.client_pod import NoAnswer


class FakeNetworking:
    """The NetworkPolicy API: records what was created and deleted; enforce says whether policies take effect."""

    def __init__(self, enforce: bool):
        self.enforce, self.policies, self.deleted = enforce, {}, []

    def create_namespaced_network_policy(self, namespace, policy):
        self.policies[policy.metadata.name] = policy

    def delete_namespaced_network_policy(self, name, namespace):
        self.deleted.append(name)
        self.policies.pop(name)


class FakeKube:
    def __init__(self, enforce: bool):
        self.networking = FakeNetworking(enforce)


class Pod:
    """A stand-in for a ClientPod: the target serves; the source's requests reach it unless an enforced policy denies it."""

    def __init__(self, name: str, kube: FakeKube, target: Pod | None = None):
        self.name, self.kube, self.target, self.namespace = name, kube, target, "ns"
        self.labels = {"app.kubernetes.io/created-by": name}
        self.broken = False

    def url(self) -> str:
        return f"http://{self.name}:8080/"

    def send(self, method, url, timeout=None):
        networking = self.kube.networking
        if networking.enforce and network_policy.CANARY in networking.policies:
            raise NoAnswer("dropped")
        if self.broken:
            raise requests.ConnectionError("the exec failed")
        return requests.Response()


def pods(enforce: bool):
    kube = FakeKube(enforce)
    target = Pod("outsider", kube)
    return Pod("client", kube, target), target


def test_a_cluster_that_enforces_is_shown_to_and_the_canary_removed():
    source, target = pods(enforce=True)
    assert network_policy.enforcement_missing(source, target) is None
    assert target.kube.networking.deleted == [network_policy.CANARY] and not target.kube.networking.policies


def test_a_cluster_that_ignores_policies_is_named_with_the_fix(monkeypatch):
    monkeypatch.setattr(network_policy, "ENFORCEMENT_BUDGET", 1)
    source, target = pods(enforce=False)
    reason = network_policy.enforcement_missing(source, target)
    assert reason and "enforces no NetworkPolicy" in reason and "kube-router" in reason
    assert not target.kube.networking.policies, "the canary policy was left behind"


def test_the_canary_denies_its_pod_all_ingress():
    policy = network_policy.deny_all_ingress("canary", {"app": "x"})
    assert policy.spec.pod_selector.match_labels == {"app": "x"}
    assert policy.spec.policy_types == ["Ingress"] and policy.spec.ingress == []


def test_a_pod_that_cannot_send_is_not_judged_never_read_as_no_answer():
    """A failed exec or a script error shows nothing of the network: reading it as 'blocked' would pass any policy."""
    source, target = pods(enforce=True)
    source.broken = True
    with pytest.raises(NotJudged, match="could not send"):
        network_policy.answers(source, target.url())
