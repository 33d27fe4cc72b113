"""Whether a cluster enforces NetworkPolicy, shown rather than assumed: a policy that denies a pod all ingress must stop
a connection that worked a moment before (a cluster whose network ignores policies accepts them all the same)."""

from __future__ import annotations

import requests
from kubernetes import client

from acceptance.core.outcome import NotJudged
from acceptance.core.wait import WaitTimeout, wait_for
from acceptance.kube.client_pod import ClientPod, NoAnswer

CANARY = "acceptance-canary-deny-ingress"
PROBE_TIMEOUT = 3  # seconds for one request that a policy may drop: no answer by then is no answer
ENFORCEMENT_BUDGET = 30  # seconds for a policy enforcer to act on a new policy (kube-router watches and syncs at once)
FIX = ("run the cluster with a NetworkPolicy enforcer: the local cluster's up.sh runs kube-router's firewall "
       "(see cluster/local/README.md); minikube start --cni=calico; kind with Calico or Cilium")


def deny_all_ingress(name: str, pod_labels: dict[str, str]) -> client.V1NetworkPolicy:
    """A policy that selects the pods labelled pod_labels and admits nothing to them."""
    return client.V1NetworkPolicy(metadata=client.V1ObjectMeta(name=name),
                                  spec=client.V1NetworkPolicySpec(pod_selector=client.V1LabelSelector(match_labels=pod_labels),
                                                                  policy_types=["Ingress"], ingress=[]))


def answers(source: ClientPod, url: str) -> bool:
    """Whether a GET of url from the source pod gets any HTTP answer within PROBE_TIMEOUT.

    Raises:
        NotJudged: the pod could not send the request at all (the exec or its script failed): that says nothing of
            what the network lets through.
    """
    try:
        source.send("GET", url, timeout=PROBE_TIMEOUT)
    except NoAnswer:
        return False
    except requests.ConnectionError as error:
        raise NotJudged(f"the pod {source.name} could not send its request, which shows nothing of the network: {error}",
                        "fix: read the pod's events and logs in the evidence") from error
    return True


def answers_once_admitted(source: ClientPod, labels: dict[str, str], url: str) -> bool:
    """Whether the source pod, given the labels a policy admits, gets an answer from url within ENFORCEMENT_BUDGET:
    the positive control of a 'no answer' (the same pod, request and address; only the policy's verdict changes)."""
    with source.relabelled(labels):
        try:
            wait_for(lambda: answers(source, url), timeout=ENFORCEMENT_BUDGET, interval=1,
                     what=f"{source.name}, labelled {labels}, to get an answer from {url}")
        except WaitTimeout:
            return answers(source, url)  # a last try: NotJudged when the pod could not send at all
    return True


def enforcement_missing(source: ClientPod, target: ClientPod) -> str | None:
    """None when the cluster enforces NetworkPolicy; else why that was not shown, with the fix.

    target (a serving pod) must answer source first; then a canary policy denying target all ingress must
    stop the next requests within ENFORCEMENT_BUDGET. The canary is deleted afterwards.

    Raises:
        NotJudged: target does not answer source even before any policy: the pod network itself is broken.
    """
    url = target.url()
    if not answers(source, url):
        raise NotJudged(f"{source.name} gets no answer from {target.name} at {url} before the canary policy: the cluster's pod network "
                        "is broken, or a policy of the release already cuts the pod off",
                        "fix: see the cluster's network plugin and the release's NetworkPolicies (the evidence holds both pods' events)")
    networking = target.kube.networking
    networking.create_namespaced_network_policy(target.namespace, deny_all_ingress(CANARY, target.labels))
    try:
        wait_for(lambda: not answers(source, url), timeout=ENFORCEMENT_BUDGET, interval=1,
                 what=f"a policy denying {target.name} all ingress to stop {source.name}'s requests")
    except WaitTimeout:
        return (f"the cluster enforces no NetworkPolicy: {target.name} still answered {source.name} {ENFORCEMENT_BUDGET} s "
                f"after a policy denied it all ingress; {FIX}")
    finally:
        networking.delete_namespaced_network_policy(CANARY, target.namespace)
    return None
