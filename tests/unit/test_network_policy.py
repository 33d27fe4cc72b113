"""Reading NetworkPolicies in words: which pods a policy isolates, and what traffic its rules let in or out."""

from __future__ import annotations

import pytest

from acceptance.chart.manifests import Manifests, policy_types, port_text, selects
from acceptance.profile.model import reference

FRONTEND = {"app.kubernetes.io/name": "todo-chatbot", "app.kubernetes.io/instance": "todo", "app.kubernetes.io/component": "frontend"}
BACKEND = {**FRONTEND, "app.kubernetes.io/component": "backend"}

REFERENCE = reference()


def deployment(labels: dict, port: int) -> dict:
    container = {"name": "app", "ports": [{"name": "http", "containerPort": port}]}
    return {"kind": "Deployment", "metadata": {"name": labels["app.kubernetes.io/component"], "labels": labels},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": {**labels, "app.kubernetes.io/version": "1"}}, "spec": {"containers": [container]}}}}


def policy(spec: dict, name: str = "policy") -> dict:
    return {"kind": "NetworkPolicy", "metadata": {"name": name}, "spec": {"podSelector": {"matchLabels": BACKEND}, **spec}}


def rendering(*policies: dict) -> Manifests:
    return Manifests([deployment(FRONTEND, 8080), deployment(BACKEND, 8000), *policies], REFERENCE)


def test_pods_no_policy_isolates_allow_everything():
    assert rendering().allowed_traffic("backend", "Ingress") == {("any", "any", "any address")}


def test_a_policy_with_only_ingress_rules_leaves_egress_open():
    manifests = rendering(policy({"ingress": []}))
    assert manifests.allowed_traffic("backend", "Ingress") == set()
    assert manifests.allowed_traffic("backend", "Egress") == {("any", "any", "any address")}


@pytest.mark.parametrize(("peer", "words"), [
    ({"podSelector": {"matchLabels": FRONTEND}}, "the release's frontend pods"),
    ({"podSelector": {"matchLabels": {"app.kubernetes.io/component": "frontend"}}}, "pods labelled app.kubernetes.io/component=frontend"),
    ({"podSelector": {}}, "every pod in the namespace"),
    ({"namespaceSelector": {}, "podSelector": {"matchLabels": FRONTEND}}, "the release's frontend pods in every namespace"),
    ({"namespaceSelector": {"matchLabels": {"team": "a"}}}, "every pod in namespaces labelled team=a"),
    ({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}, "10.0.0.0/8 except 10.1.0.0/16"),
])
def test_peers_in_words(peer: dict, words: str):
    assert rendering().peer(peer) == words


def test_rules_expand_to_protocol_port_and_peer_with_named_ports_resolved():
    rule = {"from": [{"podSelector": {"matchLabels": FRONTEND}}], "ports": [{"port": "http"}, {"port": 9000, "endPort": 9010, "protocol": "UDP"}]}
    manifests = rendering(policy({"policyTypes": ["Ingress"], "ingress": [rule, {}]}))
    assert manifests.allowed_traffic("backend", "Ingress") == {
        ("TCP", "8000", "the release's frontend pods"), ("UDP", "9000-9010", "the release's frontend pods"), ("any", "any", "any address")}


def test_policies_are_unioned_and_only_those_that_select_the_pods_count():
    admit_frontend = policy({"ingress": [{"from": [{"podSelector": {"matchLabels": FRONTEND}}], "ports": [{"port": 8000}]}]}, "a")
    admit_all_elsewhere = {**policy({"ingress": [{}]}, "b"), "spec": {"podSelector": {"matchLabels": {"app": "other"}}, "ingress": [{}]}}
    admit_clients = policy({"ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}], "ports": [{"port": 8000}]}]}, "c")
    assert rendering(admit_frontend, admit_all_elsewhere, admit_clients).allowed_traffic("backend", "Ingress") == {
        ("TCP", "8000", "the release's frontend pods"), ("TCP", "8000", "pods labelled role=client")}


@pytest.mark.parametrize(("selector", "selected"), [
    ({}, True),
    ({"matchLabels": {"app.kubernetes.io/component": "backend"}}, True),
    ({"matchLabels": {"app.kubernetes.io/component": "frontend"}}, False),
    ({"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "In", "values": ["backend", "worker"]}]}, True),
    ({"matchExpressions": [{"key": "app.kubernetes.io/component", "operator": "NotIn", "values": ["backend"]}]}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, False),
])
def test_selectors_select_as_kubernetes_does(selector: dict, selected: bool):
    assert selects(selector, BACKEND) is selected


def test_policy_types_default_as_the_api_defaults_them():
    assert policy_types(policy({})) == {"Ingress"}
    assert policy_types(policy({"egress": []})) == {"Ingress", "Egress"}
    assert policy_types(policy({"policyTypes": ["Egress"]})) == {"Egress"}


def test_a_port_entry_without_a_port_means_every_port():
    assert (port_text({"protocol": "UDP"}, {}), port_text({"port": "dns"}, {}), port_text({"port": 53}, {})) == ("any", "dns", "53")
