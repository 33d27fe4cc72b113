"""Steps on a live cluster: install, readiness, services, claims, the app through its Services, healing, upgrades."""

from __future__ import annotations

import requests
from pytest_bdd import given, parsers, then, when

from acceptance.kube import conditions
from acceptance.core import http
from acceptance.kube import network_policy
from acceptance.app.client import AppClient
from acceptance.kube.client import Kube, quantity
from acceptance.app.load import LoadRunner
from acceptance.core.names import COMPONENTS
from acceptance.profile.model import concept
from acceptance.release.release import Deletion, Release
from acceptance.core.wait import wait_for
from fixtures.release_requests import (CANARIES, DEFAULT, FAST_PROBES, POD_SECURITY, REPLICAS, default, with_canaries, with_fast_probes,
                                       with_pod_security, with_replicas)
from fixtures.options import Settings
from fixtures.reporting import record_environment
from steps.phrases import or_profile
from fixtures.tiers import missing_at_run_time


# ---------------------------------------------------------------------------- releases
@given(DEFAULT, target_fixture="release")
def release_installed(install) -> Release:
    return install(default())


@given(CANARIES, target_fixture="release")
def release_with_canaries(install) -> Release:
    return install(with_canaries())


@given(parsers.parse(REPLICAS), target_fixture="release")
def release_with_replicas(install, replicas: int) -> Release:
    return install(with_replicas(replicas))


@given(parsers.parse(FAST_PROBES), target_fixture="release")
def release_with_fast_probes(install, seconds: int, grace: int) -> Release:
    return install(with_fast_probes(seconds, grace))


@given(parsers.parse(POD_SECURITY), target_fixture="release")
def release_pod_security(install, level: str) -> Release:
    return install(with_pod_security(level))


@then("every pod of the release should be Running and Ready")
def release_ready(release: Release) -> None:
    release.wait_ready()


@then("a privileged pod should be refused in that namespace")
def privileged_pod_refused(release: Release) -> None:
    refusal = release.refusal_of_privileged_pod()
    assert refusal and "violates PodSecurity" in refusal, f"a privileged root pod would be admitted in {release.namespace}: {refusal or 'no refusal'}; the namespace's Pod Security label is not enforced"


@then(parsers.parse('the "{component}" Deployment should have {count:d} ready replica'))
def deployment_ready_replicas(release: Release, kube: Kube, component: str, count: int) -> None:
    ready = release.deployment(component).status.ready_replicas or 0
    assert ready == count, f"the {component} Deployment has {ready} ready replicas, expected {count}"


@then(parsers.parse('"{command}" in the "{component}" pod should print the user ID "{uid}"'))
def pod_exec_prints_uid(release: Release, settings: Settings, command: str, component: str, uid: str) -> None:
    pod_exec_prints(release, command, component, str(or_profile(uid, settings.profile.choice("users", component, "uid"))))


@then(parsers.parse('"{command}" in the "{component}" pod should print "{expected}"'))
def pod_exec_prints(release: Release, command: str, component: str, expected: str) -> None:
    result = release.exec(component, command.split())
    assert result.ok and result.stdout.strip() == expected, f"`{command}` in a {component} pod printed {result.stdout.strip()!r}, expected {expected!r}\n{result.describe()}"


@then(parsers.parse('the running "{component}" container should be limited to "{cpu}" CPU and "{memory}" memory'))
def running_limits(release: Release, component: str, cpu: str, memory: str) -> None:
    limits = release.one_ready_pod(component).spec.containers[0].resources.limits or {}
    memory_bytes, cpus = release.cgroup_limits(component)  # the kernel enforces what the API says
    assert (limits.get("cpu"), limits.get("memory"), memory_bytes, round(cpus, 2)) == (cpu, memory, int(quantity(memory)), round(quantity(cpu), 2)), (
        f"the {component} container runs with limits {limits} and a cgroup of {memory_bytes} bytes and {cpus:g} CPU, expected cpu={cpu} memory={memory}")


@then(parsers.parse('the running "{component}" container should have liveness and readiness probes'))
def running_probes(release: Release, component: str) -> None:
    container = release.one_ready_pod(component).spec.containers[0]
    assert container.liveness_probe and container.readiness_probe, f"the running {component} container lacks a probe: liveness={container.liveness_probe}, readiness={container.readiness_probe}"


@then(parsers.parse('no canary credential should appear in the ConfigMap, the pod logs or the description of the "{component}" pod'))
def no_canary_in_cluster(release: Release, component: str) -> None:
    leaks = {where: found for where, text in release.leak_texts(component).items() if (found := release.canaries.found_in(text))}
    missing = release.canaries.missing_from(release.secrets_text())
    assert not leaks and not missing, f"credentials leaked: {leaks}; canaries in no Secret (so they never reached the release): {missing}"


# ---------------------------------------------------------------------------- services and claims
@then(parsers.parse('the "{service}" Service should be of type "{service_type}" on port {port:d}'))
def service_type_and_port(release: Release, kube: Kube, service: str, service_type: str, port: int) -> None:
    service = release.service(service)
    spec = kube.core.read_namespaced_service(service, release.namespace).spec
    assert spec.type == service_type and port in [entry.port for entry in spec.ports], f"Service {service} is {spec.type} on ports {[entry.port for entry in spec.ports]}, expected {service_type} on {port}"


@then(parsers.parse('the "{service}" Service should have a ready endpoint'))
def service_has_endpoint(release: Release, kube: Kube, settings: Settings, service: str) -> None:
    wait_for(conditions.endpoints_ready(kube, release.namespace, release.service(service)), timeout=settings.timeouts.ready)


@then(parsers.parse('the "{service}" Service should have no ready endpoint'))
def service_has_no_endpoint(release: Release, kube: Kube, settings: Settings, service: str) -> None:
    wait_for(conditions.endpoints_empty(kube, release.namespace, release.service(service)), timeout=settings.timeouts.ready)


@then("the data claim should be Bound")
def claim_bound(release: Release, kube: Kube, settings: Settings) -> None:
    wait_for(conditions.claim_bound(kube, release.namespace, release.claim()), timeout=settings.timeouts.ready)


@then(parsers.parse('the data claim should request exactly "{size}" and be bound to at least that'))
def claim_capacity(release: Release, kube: Kube, size: str) -> None:
    found = kube.core.read_namespaced_persistent_volume_claim(release.claim(), release.namespace)
    requested, capacity = found.spec.resources.requests.get("storage"), (found.status.capacity or {}).get("storage")
    assert requested and quantity(requested) == quantity(size) and capacity and quantity(capacity) >= quantity(size), (
        f"PVC {found.metadata.name} requests {requested} and is bound to {capacity}, expected a request of exactly {size} and at least that bound")


@then(parsers.parse('the database file the backend is configured with should be on the claim and hold "{title}"'))
def database_on_claim(release: Release, title: str) -> None:
    problem = release.database_file_problem(title)
    assert problem is None, problem


@then(parsers.parse('the "{component}" pod should have the claim mounted at "{path}"'))
def claim_mounted_in_pod(release: Release, component: str, path: str) -> None:
    problem = release.writable_mount_problem(component, path)
    assert problem is None, problem


# ---------------------------------------------------------------------------- HTTP through Services
@when(parsers.parse('"{path}" is requested through the "{service}" Service'), target_fixture="response")
def request_through_service(release: Release, observe, path: str, service: str) -> requests.Response:
    return release.app(observe, release.service(service)).request("GET", path)


@then(parsers.parse('"{path}" through the "{service}" Service should answer {status:d}'))
def service_answers(release: Release, observe, path: str, service: str, status: int) -> None:
    response = release.app(observe, release.service(service)).request("GET", path)
    assert response.status_code == status, f"{path} through the {service} Service answered {response.status_code}, expected {status}\n{http.describe(response)}"


# ---------------------------------------------------------------------------- NetworkPolicy, enforced
@given("a cluster that enforces NetworkPolicy, shown by a canary policy that cuts a pod off")
def enforcing_cluster(release: Release, request) -> None:
    reason = network_policy.enforcement_missing(release.client_pod(), release.outsider_pod())
    if reason:
        missing_at_run_time(request.node, "network-policy enforcement", reason)


@when(parsers.parse('a pod of the release\'s namespace that no NetworkPolicy admits asks the "{service}" Service for "{path}"'),
      target_fixture="outsider_answered")
def outsider_asks(release: Release, service: str, path: str) -> bool:
    name = release.service(service)
    return network_policy.answers(release.outsider_pod(), f"http://{name}:{release.kube.service_port(release.namespace, name)}{path}")


@then("it should get no answer")
def no_answer(outsider_answered: bool) -> None:
    assert not outsider_answered, "a pod no NetworkPolicy admits got an answer from the backend"


@given(parsers.parse('a todo "{title}" created through the frontend'))
@when(parsers.parse('a todo "{title}" is created through the frontend'))
def create_todo(through_frontend: AppClient, title: str) -> None:
    through_frontend.create_todo(title)


@then(parsers.parse('the todo list through the frontend should hold "{title}"'))
def list_holds(through_frontend: AppClient, title: str) -> None:
    through_frontend.todo(title)


@then(parsers.parse('the todo list through the frontend should not hold "{title}"'))
def list_lacks(through_frontend: AppClient, title: str) -> None:
    assert title not in through_frontend.todos(), f"the todo list still holds {title!r}"


@when(parsers.parse('the todo "{title}" is completed through the frontend'))
def complete_todo(through_frontend: AppClient, title: str) -> None:
    through_frontend.complete_todo(title)


@then(parsers.parse('the todo "{title}" should be done'))
def todo_done(through_frontend: AppClient, title: str) -> None:
    todo = through_frontend.todo(title)
    assert todo["done"] is True, f"the todo {title!r} is not done: {todo}"


@when(parsers.parse('the todo "{title}" is deleted through the frontend'))
def delete_todo(through_frontend: AppClient, title: str) -> None:
    through_frontend.delete_todo(title)


@when(parsers.parse('the chat is told "{message}" through the frontend'), target_fixture="response")
def tell_chat(through_frontend: AppClient, message: str) -> requests.Response:
    return through_frontend.chat(message)


@then("the chat should answer in words")
def chat_answers(response: requests.Response) -> None:
    reply = response.json().get("reply")
    assert isinstance(reply, str) and len(reply.split()) >= 2, f"the chat answered {reply!r}"


# ---------------------------------------------------------------------------- healing, probes, upgrades
@when(parsers.parse('the "{component}" pod is deleted'), target_fixture="deletion")
def delete_pod(release: Release, component: str) -> Deletion:
    return release.delete_pod(component)


@then(parsers.parse('a new "{component}" pod should be Running and Ready'), target_fixture="recovery_seconds")
def replacement_ready(release: Release, settings: Settings, deletion: Deletion, component: str) -> float:
    assert deletion.component == component, f"the scenario deleted a {deletion.component} pod, not a {component} pod"
    return release.wait_replaced(deletion, settings.recovery_budget_seconds)


@then("the recovery time should be reported and within its budget")
def report_recovery(record_property, settings: Settings, deletion: Deletion, recovery_seconds: float) -> None:
    record_property(f"recovery_seconds_{deletion.component}", round(recovery_seconds, 1))
    record_environment(f"recovery {deletion.component}", f"{recovery_seconds:.1f} s from pod deletion to a new Ready pod (budget {settings.recovery_budget_seconds:g} s)")
    assert 0 < recovery_seconds <= settings.recovery_budget_seconds, f"the {deletion.component} pod took {recovery_seconds:.1f} s to be replaced, over its {settings.recovery_budget_seconds:g} s budget (recovery_budget_seconds)"


@when(parsers.parse('the "{component}" container stops answering its health checks'), target_fixture="hang")
def hang_container(release: Release, component: str) -> tuple[str, int]:
    return release.freeze(component)


@then(parsers.parse('the "{component}" container should be restarted by the kubelet'))
def restarted_by_kubelet(release: Release, kube: Kube, settings: Settings, hang: tuple[str, int], component: str) -> None:
    budget = min(settings.timeouts.ready, release.liveness_budget(component))
    wait_for(conditions.container_restarted(kube, release.namespace, *hang), timeout=budget)


@when(parsers.parse('the release is upgraded with the {setting} set to "{value}"'))
def upgrade_release(release: Release, settings: Settings, setting: str, value: str) -> None:
    outcome = release.upgrade(settings.profile.assignments({concept(setting): value}))
    assert outcome.ok, f"helm upgrade failed:\n{outcome.describe()}"


@then("every pod of the release should have been replaced by a new revision")
def release_rolled(release: Release) -> None:
    problems = [problem for component in COMPONENTS if (problem := release.not_replaced(component))]
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" pods should have been replaced by a new revision'))
def component_rolled(release: Release, component: str) -> None:
    problem = release.not_replaced(component)
    assert problem is None, problem


@then(parsers.parse('the "{component}" processes should run with "{key}" set to "{value}"'))
def process_environment(release: Release, component: str, key: str, value: str) -> None:
    found = {pod: environment.get(key) for pod, environment in release.process_environments(component).items()}
    assert set(found.values()) == {value}, f"the {component} processes run with {key}={found} (by pod), expected {value!r}"


@when(parsers.parse('the release is upgraded with the {setting} set to "{value}" while requests run through the frontend Service'), target_fixture="load")
def upgrade_under_load(release: Release, settings: Settings, evidence, setting: str, value: str) -> LoadRunner:
    load = release.load_through_frontend()
    evidence.add("requests during the upgrade", load.transcript)
    return release.upgrade_under(load, settings.profile.assignments({concept(setting): value}))


@then("every request during the upgrade should have succeeded")
def no_failed_request(load: LoadRunner, record_property) -> None:
    record_property("requests_during_upgrade", len(load.log))
    assert len(load.log) >= 20, f"only {len(load.log)} requests ran during the upgrade: too few to judge availability"
    assert not load.failures(), f"{len(load.failures())} of {len(load.log)} requests failed during the upgrade, e.g. {load.failures()[:3]}"


@then(parsers.parse('the install output should show NOTES with "{first}" and "{second}"'))
def install_notes(release: Release, first: str, second: str) -> None:
    notes = release.install_output.split("NOTES:", 1)[1] if "NOTES:" in release.install_output else ""
    missing = [phrase for phrase in (first, second) if phrase not in notes]
    assert notes and not missing, f"the install printed {'no NOTES' if not notes else f'NOTES without {missing}'}:\n{release.install_output[-2000:]}"


@when("the release is uninstalled")
def uninstall_release(release: Release) -> None:
    outcome = release.uninstall()
    assert outcome.ok, f"helm uninstall failed:\n{outcome.describe()}"


@then("nothing labelled with the release should remain in its namespace but what the chart keeps on purpose")
def nothing_remains(release: Release, kube: Kube, settings: Settings) -> None:
    wait_for(conditions.resources_gone(kube, release.namespace, release.selector), timeout=settings.timeouts.ready, interval=2)
