"""Steps on the release's running pods: Ready, their user, limits and probes, no leaked credential, no privileged pod admitted."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from acceptance.docker_engine.users import non_root_uid
from acceptance.kube.client import Kube
from acceptance.release.release import Release
from fixtures.release_requests import STARTED
from fixtures.tiers import missing_at_run_time


@then(STARTED)
def release_ready(release: Release) -> None:
    release.wait_started()  # a failed start, when the scenario's Given left it to this step
    release.wait_ready()


@given("a cluster that enforces it, shown by a privileged pod it refuses in that namespace")
def enforcing_pod_security(release: Release, request) -> None:
    """The namespace's label is the suite's: a cluster that admits a privileged root pod there cannot judge the chart."""
    refusal = release.refusal_of_privileged_pod()
    if not (refusal and "violates PodSecurity" in refusal):
        missing_at_run_time(request.node, "Pod Security admission", f"a privileged root pod would be admitted in {release.namespace} "
                            f"({refusal or 'no refusal'}): this cluster does not enforce the namespace's Pod Security label")


@then(parsers.parse('the "{component}" Deployment should have {count:d} ready replica'))
def deployment_ready_replicas(release: Release, kube: Kube, component: str, count: int) -> None:
    ready = release.deployment(component).status.ready_replicas or 0
    assert ready == count, f"the {component} Deployment has {ready} ready replicas, expected {count}"


@then(parsers.parse('"{command}" in the "{component}" pod should print a non-root user ID'))
def pod_exec_prints_non_root_uid(release: Release, command: str, component: str) -> None:
    result = release.exec(component, command.split())
    assert result.ok and non_root_uid(result.stdout), (
        f"`{command}` in a {component} pod printed {result.stdout.strip()!r}, expected a user ID other than 0\n{result.describe()}")


@then(parsers.parse('"{command}" in the "{component}" pod should print "{expected}"'))
def pod_exec_prints(release: Release, command: str, component: str, expected: str) -> None:
    result = release.exec(component, command.split())
    assert result.ok and result.stdout.strip() == expected, (
        f"`{command}` in a {component} pod printed {result.stdout.strip()!r}, expected {expected!r}\n{result.describe()}")


@then(parsers.parse('the running "{component}" container\'s CPU and memory limits should be in force'))
def running_limits(release: Release, component: str) -> None:
    problem = release.limits_problem(component)
    assert not problem, problem


@then(parsers.parse('the running "{component}" container should have liveness and readiness probes'))
def running_probes(release: Release, component: str) -> None:
    container = release.container_of(release.one_ready_pod(component).spec, component)
    assert container.liveness_probe and container.readiness_probe, (
        f"the running {component} container lacks a probe: liveness={container.liveness_probe}, readiness={container.readiness_probe}")


@then(parsers.parse('no canary credential should appear in the ConfigMap, the pod logs or the description of the "{component}" pod'))
def no_canary_in_cluster(release: Release, component: str) -> None:
    leaks = {where: found for where, text in release.leak_texts(component).items() if (found := release.canaries.found_in(text))}
    missing = release.canaries.missing_from(release.secrets_text())
    assert not leaks and not missing, f"credentials leaked: {leaks}; canaries in no Secret (so they never reached the release): {missing}"

