"""Steps on NetworkPolicy as the cluster enforces it: a pod that no policy admits gets no answer from a Service."""

from __future__ import annotations

import dataclasses

from pytest_bdd import given, parsers, then, when

from acceptance.kube import network_policy
from acceptance.release.release import Release
from fixtures.tiers import missing_at_run_time


@given("a cluster that enforces NetworkPolicy, shown by a canary policy that cuts a pod off")
def enforcing_cluster(release: Release, request) -> None:
    reason = network_policy.enforcement_missing(release.client_pod(), release.outsider_pod())
    if reason:
        missing_at_run_time(request.node, "network-policy enforcement", reason)


@dataclasses.dataclass(frozen=True)
class OutsiderRequest:
    url: str  # the Service's cluster IP, so a policy that also cuts the pod off DNS still reads as no answer
    answered: bool


@when(parsers.parse('a pod of the release\'s namespace that no NetworkPolicy admits asks the "{service}" Service for the "{component}" readiness path'),
      target_fixture="outsider_request")
def outsider_asks(release: Release, service: str, component: str) -> OutsiderRequest:
    url = release.service_ip_url(service, release.probe_path(component, "readiness"))
    return OutsiderRequest(url, network_policy.answers(release.outsider_pod(), url))


@then("it should get no answer")
def no_answer(outsider_request: OutsiderRequest) -> None:
    assert not outsider_request.answered, f"a pod no NetworkPolicy admits got an answer from {outsider_request.url}"


@then("it should get an answer once it carries the labels the policy admits the named client by")
def answer_once_admitted(release: Release, outsider_request: OutsiderRequest) -> None:
    labels = release.client_pod().labels
    assert network_policy.answers_once_admitted(release.outsider_pod(), labels, outsider_request.url), (
        f"the pod still got no answer from {outsider_request.url} {network_policy.ENFORCEMENT_BUDGET} s after it took the labels "
        f"{labels} the release's policy admits (networkPolicyBackendClients): the policy admits no client it names, or the "
        "Service answers no one")

