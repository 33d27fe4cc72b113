"""Steps on NetworkPolicy as the cluster enforces it: a pod that no policy admits gets no answer from a Service."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from acceptance.kube import network_policy
from acceptance.release.release import Release
from fixtures.tiers import missing_at_run_time


@given("a cluster that enforces NetworkPolicy, shown by a canary policy that cuts a pod off")
def enforcing_cluster(release: Release, request) -> None:
    reason = network_policy.enforcement_missing(release.client_pod(), release.outsider_pod())
    if reason:
        missing_at_run_time(request.node, "network-policy enforcement", reason)


@when(parsers.parse('a pod of the release\'s namespace that no NetworkPolicy admits asks the "{service}" Service for the "{component}" readiness path'),
      target_fixture="outsider_answered")
def outsider_asks(release: Release, service: str, component: str) -> bool:
    name, path = release.service(service), release.probe_path(component, "readiness")
    return network_policy.answers(release.outsider_pod(), f"http://{name}:{release.kube.service_port(release.namespace, name)}{path}")


@then("it should get no answer")
def no_answer(outsider_answered: bool) -> None:
    assert not outsider_answered, "a pod no NetworkPolicy admits got an answer from the backend"

