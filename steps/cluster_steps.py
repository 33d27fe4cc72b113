"""Steps on a live cluster: install, readiness, services, claims, the app through its Services, healing, upgrades."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from pytest_bdd import given, parsers, then, when

from fixtures import helm, http
from fixtures.cluster_tier import Release, feature_of, use_release
from fixtures.credentials import Canaries
from fixtures.kube import Kube, pod_ready
from fixtures.options import Settings
from fixtures.reporting import record_environment
from fixtures.waits import wait_for

QUANTITY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "m": 0.001}


def quantity(text: str) -> float:
    for unit, factor in QUANTITY_UNITS.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


# ---------------------------------------------------------------------------- releases
@given("the release installed in a namespace of its own", target_fixture="release")
def release_installed(request, releases, kube, cluster, evidence) -> Release:
    return use_release(request, releases.get(feature_of(request)), kube, cluster, evidence)


@given("the release installed with canary credentials in a namespace of its own", target_fixture="release")
def release_with_canaries(request, releases, kube, cluster, evidence) -> Release:
    release = releases.get(feature_of(request), "canaries", canaries=Canaries(f"cluster{int(time.time())}"))
    return use_release(request, release, kube, cluster, evidence)


@given(parsers.parse("the release installed with {replicas:d} replicas of each component in a namespace of its own"), target_fixture="release")
def release_with_replicas(request, releases, kube, cluster, evidence, replicas: int) -> Release:
    values = {"frontendReplicaCount": str(replicas), "backendReplicaCount": str(replicas)}
    return use_release(request, releases.get(feature_of(request), f"replicas-{replicas}", values=values), kube, cluster, evidence)


@given(parsers.parse('the release installed in a namespace of its own that enforces the "{level}" Pod Security Standard'), target_fixture="release")
def release_pod_security(request, releases, kube, cluster, evidence, level: str) -> Release:
    labels = {"pod-security.kubernetes.io/enforce": level, "pod-security.kubernetes.io/enforce-version": "latest"}
    return use_release(request, releases.get(feature_of(request), f"pss-{level}", namespace_labels=labels), kube, cluster, evidence)


@then("every pod of the release should be Running and Ready")
def release_ready(release: Release, kube: Kube, settings: Settings) -> None:
    kube.wait_release_ready(release.namespace, release.name, settings.timeouts.ready)


@then(parsers.parse('the "{component}" Deployment should have {count:d} ready replica'))
def deployment_ready_replicas(release: Release, kube: Kube, component: str, count: int) -> None:
    deployment = kube.apps.read_namespaced_deployment(f"{release.name}-{component}", release.namespace)
    assert (deployment.status.ready_replicas or 0) == count, f"the {component} Deployment has {deployment.status.ready_replicas} ready replicas, expected {count}"


def one_pod(release: Release, kube: Kube, component: str):
    __tracebackhide__ = True
    pods = [pod for pod in kube.component_pods(release.namespace, release.name, component) if pod_ready(pod)]
    assert pods, f"no Ready {component} pod in {release.namespace}"
    return pods[0]


@then(parsers.parse('"{command}" in the "{component}" pod should print "{expected}"'))
def pod_exec_prints(release: Release, kube: Kube, command: str, component: str, expected: str) -> None:
    pod = one_pod(release, kube, component)
    result = kube.exec(release.namespace, pod.metadata.name, command.split())
    assert result.ok and result.stdout.strip() == expected, f"`{command}` in {pod.metadata.name} printed {result.stdout.strip()!r}, expected {expected!r}\n{result.describe()}"


@then(parsers.parse('the running "{component}" container should be limited to "{cpu}" CPU and "{memory}" memory'))
def running_limits(release: Release, kube: Kube, component: str, cpu: str, memory: str) -> None:
    pod = one_pod(release, kube, component)
    limits = pod.spec.containers[0].resources.limits or {}
    assert (limits.get("cpu"), limits.get("memory")) == (cpu, memory), f"{pod.metadata.name} runs with limits {limits}, expected cpu={cpu} memory={memory}"
    # The kernel enforces what the API says: read the container's own cgroup (v1 or v2).
    script = ("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
              "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)")
    result = kube.exec(release.namespace, pod.metadata.name, ["sh", "-c", script])
    lines = result.stdout.split("\n")
    assert result.ok and len(lines) >= 2, f"cannot read the cgroup limits of {pod.metadata.name}:\n{result.describe()}"
    memory_bytes = int(lines[0])
    quota, period = (int(value) for value in lines[1].split()[:2])
    assert memory_bytes == int(quantity(memory)), f"{pod.metadata.name}'s cgroup allows {memory_bytes} bytes of memory, expected {memory}"
    assert abs(quota / period - quantity(cpu)) < 0.01, f"{pod.metadata.name}'s cgroup allows {quota}/{period} CPU, expected {cpu}"


@then(parsers.parse('the running "{component}" container should have liveness and readiness probes'))
def running_probes(release: Release, kube: Kube, component: str) -> None:
    container = one_pod(release, kube, component).spec.containers[0]
    assert container.liveness_probe and container.readiness_probe, f"the running {component} container lacks a probe: liveness={container.liveness_probe}, readiness={container.readiness_probe}"


@then(parsers.parse('no canary credential should appear in the ConfigMap, the pod logs or the description of the "{component}" pod'))
def no_canary_in_cluster(release: Release, kube: Kube, component: str) -> None:
    pod = one_pod(release, kube, component)
    texts = {
        "ConfigMaps": kube.kubectl("get", "configmaps", "-n", release.namespace, "-o", "yaml").stdout,
        "pod logs": kube.all_logs(release.namespace),
        f"{pod.metadata.name} description": kube.kubectl("describe", "pod", "-n", release.namespace, pod.metadata.name).stdout
        + kube.kubectl("get", "pod", "-n", release.namespace, pod.metadata.name, "-o", "yaml").stdout,
    }
    leaks = {where: release.canaries.found_in(text) for where, text in texts.items() if release.canaries.found_in(text)}
    assert not leaks, f"credentials leaked: {leaks}"
    secret = kube.kubectl("get", "secrets", "-n", release.namespace, "-o", "yaml").stdout
    assert release.canaries.found_in(secret), "the canary credentials are not in any Secret either: they never reached the release"


# ---------------------------------------------------------------------------- services and claims
@then(parsers.parse('the Service "{service}" should be of type "{service_type}" on port {port:d}'))
def service_type_and_port(release: Release, kube: Kube, service: str, service_type: str, port: int) -> None:
    spec = kube.core.read_namespaced_service(service, release.namespace).spec
    ports = [entry.port for entry in spec.ports]
    assert spec.type == service_type and port in ports, f"Service {service} is {spec.type} on ports {ports}, expected {service_type} on {port}"


@then(parsers.parse('the Service "{service}" should have a ready endpoint'))
def service_has_endpoint(release: Release, kube: Kube, settings: Settings, service: str) -> None:
    wait_for(lambda: kube.ready_endpoint_addresses(release.namespace, service), timeout=settings.timeouts.ready, interval=1,
             what=f"a ready endpoint behind Service {service}")


@then(parsers.parse('the Service "{service}" should have no ready endpoint'))
def service_has_no_endpoint(release: Release, kube: Kube, settings: Settings, service: str) -> None:
    wait_for(lambda: not kube.ready_endpoint_addresses(release.namespace, service), timeout=settings.timeouts.ready, interval=1,
             what=f"Service {service} to drop its unready endpoint")


@then(parsers.parse('the PersistentVolumeClaim "{claim}" should be Bound'))
def claim_bound(release: Release, kube: Kube, settings: Settings, claim: str) -> None:
    wait_for(lambda: kube.core.read_namespaced_persistent_volume_claim(claim, release.namespace).status.phase == "Bound",
             timeout=settings.timeouts.ready, interval=1, what=f"PVC {claim} to be Bound")


@then(parsers.parse('the PersistentVolumeClaim "{claim}" should have a capacity of "{size}"'))
def claim_capacity(release: Release, kube: Kube, claim: str, size: str) -> None:
    status = kube.core.read_namespaced_persistent_volume_claim(claim, release.namespace).status
    capacity = (status.capacity or {}).get("storage")
    assert capacity and quantity(capacity) >= quantity(size), f"PVC {claim} has capacity {capacity}, expected {size}"


@then(parsers.parse('the "{component}" pod should have the claim mounted at "{path}"'))
def claim_mounted_in_pod(release: Release, kube: Kube, component: str, path: str) -> None:
    pod = one_pod(release, kube, component)
    claims = {volume.name: volume.persistent_volume_claim.claim_name for volume in pod.spec.volumes if volume.persistent_volume_claim}
    mounts = {mount.mount_path: mount.name for mount in pod.spec.containers[0].volume_mounts or []}
    assert mounts.get(path) in claims, f"{pod.metadata.name} mounts {mounts.get(path)!r} at {path}; its claims: {claims}"
    probe = f"{path}/.acceptance-{int(time.time())}"
    # Shell builtins only: the runtime images carry no grep.
    script = f"found=; while read -r _ mount _; do [ \"$mount\" = {path} ] && found=1; done </proc/mounts; [ -n \"$found\" ] && touch {probe} && rm {probe}"
    result = kube.exec(release.namespace, pod.metadata.name, ["sh", "-c", script])
    assert result.ok, f"{path} in {pod.metadata.name} is not a writable mount:\n{result.describe()}"


# ---------------------------------------------------------------------------- HTTP through Services
def service_port(kube: Kube, release: Release, service: str) -> int:
    return kube.core.read_namespaced_service(service, release.namespace).spec.ports[0].port


def through_service(cluster, kube, release, settings, evidence, responses, service: str, method: str, path: str, **kwargs) -> requests.Response:
    """One request through a fresh forward to the Service (a forward is tied to one pod, which may have been replaced)."""
    with cluster.service_url(release.namespace, service, service_port(kube, release, service)) as url:
        # Right after pods turn Ready, kube-proxy may not yet route a ClusterIP (the frontend answers 502):
        # retry a gateway error for a bounded while; one that persists is the answer.
        deadline = time.monotonic() + 2 * settings.timeouts.request
        while True:
            response = http.request(method, f"{url}{path}", timeout=settings.timeouts.request, wait=settings.timeouts.request, **kwargs)
            if response.status_code not in (502, 503, 504) or time.monotonic() > deadline:
                break
            time.sleep(1)
    evidence.add(f"response {method} {path} via {service}", http.describe(response))
    responses.append(response)
    return response


@when(parsers.parse('"{path}" is requested through the "{service}" Service'), target_fixture="response")
def request_through_service(cluster, kube, release, settings, evidence, responses, path: str, service: str) -> requests.Response:
    return through_service(cluster, kube, release, settings, evidence, responses, service, "GET", path)


def frontend(cluster, kube, release, settings, evidence, responses, method: str, path: str, **kwargs) -> requests.Response:
    __tracebackhide__ = True
    response = through_service(cluster, kube, release, settings, evidence, responses, f"{release.name}-frontend", method, path, **kwargs)
    assert response.status_code < 400, f"the frontend answered {method} {path} with:\n{http.describe(response)}"
    return response


def todo_titles(cluster, kube, release, settings, evidence, responses) -> dict[str, dict]:
    return {todo["title"]: todo for todo in frontend(cluster, kube, release, settings, evidence, responses, "GET", "/api/todos").json()}


@given(parsers.parse('a todo "{title}" created through the frontend'))
@when(parsers.parse('a todo "{title}" is created through the frontend'))
def create_todo(cluster, kube, release, settings, evidence, responses, title: str) -> None:
    frontend(cluster, kube, release, settings, evidence, responses, "POST", "/api/todos", json={"title": title})


@then(parsers.parse('the todo list through the frontend should hold "{title}"'))
def list_holds(cluster, kube, release, settings, evidence, responses, title: str) -> None:
    titles = todo_titles(cluster, kube, release, settings, evidence, responses)
    assert title in titles, f"the todo list does not hold {title!r}: {sorted(titles)}"


@then(parsers.parse('the todo list through the frontend should not hold "{title}"'))
def list_lacks(cluster, kube, release, settings, evidence, responses, title: str) -> None:
    titles = todo_titles(cluster, kube, release, settings, evidence, responses)
    assert title not in titles, f"the todo list still holds {title!r}"


@when(parsers.parse('the todo "{title}" is completed through the frontend'))
def complete_todo(cluster, kube, release, settings, evidence, responses, title: str) -> None:
    todo = todo_titles(cluster, kube, release, settings, evidence, responses)[title]
    frontend(cluster, kube, release, settings, evidence, responses, "PATCH", f"/api/todos/{todo['id']}", json={"done": True})


@then(parsers.parse('the todo "{title}" should be done'))
def todo_done(cluster, kube, release, settings, evidence, responses, title: str) -> None:
    todo = todo_titles(cluster, kube, release, settings, evidence, responses)[title]
    assert todo["done"] is True, f"the todo {title!r} is not done: {todo}"


@when(parsers.parse('the todo "{title}" is deleted through the frontend'))
def delete_todo(cluster, kube, release, settings, evidence, responses, title: str) -> None:
    todo = todo_titles(cluster, kube, release, settings, evidence, responses)[title]
    frontend(cluster, kube, release, settings, evidence, responses, "DELETE", f"/api/todos/{todo['id']}")


@when(parsers.parse('the chat is told "{message}" through the frontend'), target_fixture="response")
def tell_chat(cluster, kube, release, settings, evidence, responses, message: str) -> requests.Response:
    return frontend(cluster, kube, release, settings, evidence, responses, "POST", "/api/chat", json={"message": message, "session_id": "acceptance"})


@then("the chat should answer in words")
def chat_answers(response: requests.Response) -> None:
    reply = response.json().get("reply")
    assert isinstance(reply, str) and len(reply.split()) >= 2, f"the chat answered {reply!r}:\n{http.describe(response)}"


# ---------------------------------------------------------------------------- healing, probes, upgrades
@when(parsers.parse('the "{component}" pod is deleted'), target_fixture="deletion")
def delete_pod(release: Release, kube: Kube, component: str) -> dict:
    pod = one_pod(release, kube, component)
    started = time.monotonic()
    kube.core.delete_namespaced_pod(pod.metadata.name, release.namespace)
    return {"component": component, "old": pod.metadata.name, "started": started}


@then(parsers.parse('a new "{component}" pod should be Running and Ready'), target_fixture="recovery_seconds")
def replacement_ready(release: Release, kube: Kube, settings: Settings, deletion: dict, component: str) -> float:
    def replaced() -> bool:
        pods = kube.component_pods(release.namespace, release.name, component)
        return any(pod.metadata.name != deletion["old"] and pod_ready(pod) for pod in pods) and kube.release_ready(release.namespace, release.name)

    wait_for(replaced, timeout=settings.timeouts.ready, interval=0.5, what=f"a new Ready {component} pod replacing {deletion['old']}")
    return time.monotonic() - deletion["started"]


@then("the recovery time should be reported")
def report_recovery(record_property, deletion: dict, recovery_seconds: float) -> None:
    record_property(f"recovery_seconds_{deletion['component']}", round(recovery_seconds, 1))
    record_environment(f"recovery {deletion['component']}", f"{recovery_seconds:.1f} s from pod deletion to a new Ready pod")
    assert recovery_seconds > 0


@when(parsers.parse('the "{component}" container stops answering its health checks'), target_fixture="hang")
def hang_container(release: Release, kube: Kube, component: str) -> dict:
    pod = one_pod(release, kube, component)
    restarts = pod.status.container_statuses[0].restart_count
    # Freeze the serving processes (not PID 1, which a signal from inside its namespace cannot stop).
    script = ("for dir in /proc/[0-9]*; do pid=${dir#/proc/}; [ \"$pid\" = 1 ] || [ \"$pid\" = $$ ] && continue; "
              "grep -q 'worker process' \"$dir/cmdline\" 2>/dev/null && kill -STOP \"$pid\"; done; true")
    result = kube.exec(release.namespace, pod.metadata.name, ["sh", "-c", script])
    assert result.ok, f"could not freeze {pod.metadata.name}:\n{result.describe()}"
    return {"pod": pod.metadata.name, "restarts": restarts}


@then(parsers.parse('the "{component}" container should be restarted by the kubelet'))
def restarted_by_kubelet(release: Release, kube: Kube, settings: Settings, hang: dict, component: str) -> None:
    def restarted() -> bool:
        pod = kube.core.read_namespaced_pod(hang["pod"], release.namespace)
        return pod.status.container_statuses[0].restart_count > hang["restarts"]

    wait_for(restarted, timeout=settings.timeouts.ready, interval=1, what=f"the kubelet to restart the hung {component} container in {hang['pod']}")


@when(parsers.parse('the release is upgraded with "{key}" set to "{value}"'))
def upgrade_release(release: Release, cluster, kube: Kube, settings: Settings, key: str, value: str) -> None:
    outcome = helm.upgrade(settings.chart_dir, release.name, release.namespace, cluster.kubeconfig(), values={key: value},
                           timeout=f"{settings.timeouts.install}s", wait=False, context=cluster.context())
    assert outcome.ok, f"helm upgrade failed:\n{outcome.describe()}"
    kube.wait_release_ready(release.namespace, release.name, settings.timeouts.ready)


@when(parsers.parse('the release is upgraded with "{key}" set to "{value}" while requests run through the frontend Service'), target_fixture="request_log")
def upgrade_under_load(release: Release, cluster, kube: Kube, settings: Settings, evidence, key: str, value: str) -> list:
    log: list[tuple[float, int, str]] = []
    done = threading.Event()
    service = f"{release.name}-frontend"

    def load() -> None:
        # Bounded: at most 3000 requests, and it stops soon after the rollout ends.
        for _ in range(3000):
            if done.is_set():
                return
            status, body = kube.service_proxy_get(release.namespace, service, 80, "/api/todos", timeout=settings.timeouts.request)
            log.append((time.monotonic(), status, body[:200] if status != 200 else ""))
            time.sleep(0.05)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    time.sleep(2)
    try:
        upgrade_release(release, cluster, kube, settings, key, value)
        time.sleep(3)
    finally:
        done.set()
        worker.join(timeout=settings.timeouts.request + 5)
    evidence.add("requests during the upgrade", "\n".join(f"{at:.2f} {status} {body}" for at, status, body in log))
    return log


@then("every request during the upgrade should have succeeded")
def no_failed_request(request_log: list, record_property) -> None:
    failed = [(status, body) for _, status, body in request_log if status != 200]
    record_property("requests_during_upgrade", len(request_log))
    assert len(request_log) >= 20, f"only {len(request_log)} requests ran during the upgrade: too few to judge availability"
    assert not failed, f"{len(failed)} of {len(request_log)} requests failed during the upgrade, e.g. {failed[:3]}"


@then(parsers.parse('the install output should show NOTES with "{first}" and "{second}"'))
def install_notes(release: Release, first: str, second: str) -> None:
    output = release.install_output
    assert "NOTES:" in output, f"the install printed no NOTES:\n{output[-2000:]}"
    notes = output.split("NOTES:", 1)[1]
    missing = [phrase for phrase in (first, second) if phrase not in notes]
    assert not missing, f"the NOTES do not mention {missing}:\n{notes[:2000]}"


@when("the release is uninstalled")
def uninstall_release(release: Release, cluster, settings: Settings) -> None:
    outcome = helm.uninstall(release.name, release.namespace, cluster.kubeconfig(), context=cluster.context())
    release.uninstalled = True
    assert outcome.ok, f"helm uninstall failed:\n{outcome.describe()}"


@then("nothing labelled with the release should remain in its namespace but what the chart keeps on purpose")
def nothing_remains(release: Release, kube: Kube, settings: Settings) -> None:
    selector = f"app.kubernetes.io/instance={release.name}"
    template = '{range .items[*]}{.kind}/{.metadata.name} {.metadata.annotations.helm\\.sh/resource-policy}{"\\n"}{end}'
    left = [""]

    def gone() -> bool:
        listing = kube.kubectl("get", "all,configmaps,secrets,pvc,endpoints", "-n", release.namespace, "-l", selector, "-o", f"jsonpath={template}").stdout
        left[0] = "\n".join(line for line in listing.splitlines() if line.strip() and not line.endswith(" keep"))
        return not left[0]

    try:
        wait_for(gone, timeout=settings.timeouts.ready, interval=2, what=f"the resources of {release.name} to disappear")
    except AssertionError:
        pytest.fail(f"left behind after helm uninstall, and not marked helm.sh/resource-policy: keep:\n{left[0]}", pytrace=False)
