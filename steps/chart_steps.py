"""Steps about the Helm chart: lint, render, and queries over the rendered resources and values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml
from pytest_bdd import given, parsers, then, when

from fixtures import helm
from fixtures.chart import default_values, values_file
from fixtures.commands import Result
from fixtures.credentials import Canaries, credential_like
from fixtures.manifests import Manifests, excerpt
from steps.phrases import literal, quoted

STANDARD_LABELS = ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
                   "app.kubernetes.io/managed-by", "helm.sh/chart")


@given("the chart under test", target_fixture="chart")
def the_chart(chart_dir: Path) -> Path:
    return chart_dir


@given("the chart rendered with default values", target_fixture="manifests")
def the_default_rendering(default_manifests: Manifests) -> Manifests:
    return default_manifests


@when("the chart is linted in strict mode", target_fixture="outcome")
def lint_chart(chart: Path) -> Result:
    return helm.try_lint(chart)


@when(parsers.parse('the chart is linted with "{key}" set to {value}'), target_fixture="outcome")
def lint_chart_with(chart: Path, key: str, value: str, tmp_path: Path) -> Result:
    return helm.try_lint(chart, value_files=[values_file(tmp_path, {key: literal(value)})])


@when("the chart is rendered with default values", target_fixture="outcome")
def render_defaults(chart: Path) -> Result:
    return helm.try_template(chart)


@when(parsers.parse('the chart is rendered with "{key}" set to {value}'), target_fixture="outcome")
def render_with(chart: Path, key: str, value: str, tmp_path: Path) -> Result:
    return helm.try_template(chart, value_files=[values_file(tmp_path, {key: literal(value)})])


@when("the chart is rendered with canary credentials", target_fixture="outcome")
def render_with_canaries(chart: Path, canaries: Canaries, tmp_path: Path) -> Result:
    return helm.try_template(chart, value_files=[values_file(tmp_path, canaries.chart_values)])


@then(parsers.parse('the chart should be named "{name}" at version "{version}"'))
def chart_name_and_version(chart: Path, name: str, version: str) -> None:
    metadata = yaml.safe_load((chart / "Chart.yaml").read_text())
    assert (metadata.get("name"), str(metadata.get("version"))) == (name, version), f"Chart.yaml says {metadata.get('name')} {metadata.get('version')}"
    assert chart.name == name, f"the chart directory is {chart.name!r}; Helm expects it to equal the chart name {name!r}"


@then("the chart should hold the templates:")
def chart_templates(chart: Path, datatable: list[list[str]]) -> None:
    present = {path.name for path in (chart / "templates").iterdir()}
    missing = [row[0] for row in datatable[1:] if row[0] not in present]
    assert not missing, f"templates missing from {chart / 'templates'}: {missing}; present: {sorted(present)}"


@then("the rendering should hold:")
def rendering_holds(manifests: Manifests, datatable: list[list[str]]) -> None:
    rendered = {(document["kind"], document["metadata"]["name"]) for document in manifests.documents}
    missing = [tuple(row) for row in datatable[1:] if tuple(row) not in rendered]
    assert not missing, f"not rendered: {missing}; the chart renders: {manifests.summary()}"


@then(parsers.parse('the rendering should hold no "{kind}"'))
def rendering_holds_no(manifests: Manifests, kind: str) -> None:
    found = manifests.of_kind(kind)
    assert not found, f"a {kind} is rendered although it should not be:\n{excerpt(found[0])}"


@then("every resource should carry the standard Kubernetes and Helm labels")
def standard_labels(manifests: Manifests) -> None:
    problems = [f"{document['kind']}/{document['metadata']['name']} lacks {label}"
                for document in manifests.documents for label in STANDARD_LABELS
                if label not in (document["metadata"].get("labels") or {})]
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" Service should be of type "{service_type}" on port {port:d} to the container port {target:d}'))
def service_ports(manifests: Manifests, component: str, service_type: str, port: int, target: int) -> None:
    service = manifests.get("Service", component)
    spec = service["spec"]
    assert spec.get("type", "ClusterIP") == service_type, f"the {component} Service is of type {spec.get('type', 'ClusterIP')}:\n{excerpt(service)}"
    matching = [entry for entry in spec.get("ports", []) if entry.get("port") == port]
    assert matching, f"the {component} Service has no port {port}:\n{excerpt(service)}"
    target_port = matching[0].get("targetPort", port)
    if isinstance(target_port, str):
        ports = {entry.get("name"): entry.get("containerPort") for entry in manifests.main_container(component).get("ports", [])}
        target_port = ports.get(target_port)
    assert target_port == target, f"the {component} Service sends port {port} to container port {target_port}, expected {target}"
    selector = spec.get("selector") or {}
    pod_labels = manifests.get("Deployment", component)["spec"]["template"]["metadata"]["labels"]
    assert selector and all(pod_labels.get(key) == value for key, value in selector.items()), f"the {component} Service selector {selector} does not select the pods {pod_labels}"


@then(parsers.parse('NOTES.txt should explain access with "{first}" and with "{second}"'))
def notes_explain(chart: Path, first: str, second: str) -> None:
    notes = (chart / "templates" / "NOTES.txt").read_text()
    missing = [phrase for phrase in (first, second) if phrase not in notes]
    assert not missing, f"NOTES.txt does not mention {missing}"


@then(parsers.parse("no key in values.yaml should be nested deeper than {levels:d} level"))
def values_flat(chart: Path, levels: int) -> None:
    def depth(value) -> int:
        return 1 + max((depth(child) for child in value.values()), default=0) if isinstance(value, dict) and value else 0

    deep = {key: depth(value) for key, value in default_values(chart).items() if depth(value) > levels - 1}
    assert not deep, f"values nested deeper than {levels} level: {deep}"


@then("every key in values.yaml should have a comment that names it")
def values_documented(chart: Path) -> None:
    lines = (chart / "values.yaml").read_text().splitlines()
    undocumented = []
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)([A-Za-z][\w-]*):", line)
        if not match:
            continue
        comments = []
        previous = index - 1
        while previous >= 0 and lines[previous].strip().startswith("#"):
            comments.append(lines[previous])
            previous -= 1
        if not any(re.search(rf"\b{re.escape(match.group(2))}\b", comment) for comment in comments):
            undocumented.append(match.group(2))
    assert not undocumented, f"keys without a comment naming them: {undocumented}"


@then("the default values should be valid against values.schema.json")
def defaults_valid(chart: Path) -> None:
    schema = json.loads((chart / "values.schema.json").read_text())
    errors = [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in jsonschema.Draft7Validator(schema).iter_errors(default_values(chart))]
    assert not errors, "the default values break the schema:\n" + "\n".join(errors)


@then("values.schema.json should forbid unknown keys at every level")
def schema_closed(chart: Path) -> None:
    schema = json.loads((chart / "values.schema.json").read_text())
    open_objects = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            if (node.get("type") == "object" or "properties" in node) and node.get("additionalProperties") is not False:
                open_objects.append(where or "(root)")
            for key, child in node.items():
                walk(child, f"{where}/{key}")
        elif isinstance(node, list):
            for position, child in enumerate(node):
                walk(child, f"{where}/{position}")

    walk(schema, "")
    assert not open_objects, f"objects that accept unknown keys (no additionalProperties: false): {open_objects}"


@then(parsers.parse('the "{component}" container should request "{cpu}" CPU and "{memory}" memory'))
def container_requests(manifests: Manifests, component: str, cpu: str, memory: str) -> None:
    _assert_resources(manifests, component, "requests", cpu, memory)


@then(parsers.parse('the "{component}" container should be limited to "{cpu}" CPU and "{memory}" memory'))
def container_limits(manifests: Manifests, component: str, cpu: str, memory: str) -> None:
    _assert_resources(manifests, component, "limits", cpu, memory)


def _assert_resources(manifests: Manifests, component: str, kind: str, cpu: str, memory: str) -> None:
    __tracebackhide__ = True
    for container in manifests.containers(component):
        declared = (container.get("resources") or {}).get(kind) or {}
        actual = (str(declared.get("cpu")), str(declared.get("memory")))
        assert actual == (cpu, memory), f"{component} container {container['name']} {kind}: cpu={actual[0]} memory={actual[1]}, expected cpu={cpu} memory={memory}"


@then(parsers.parse('the "{component}" container should have a "{probe}" probe on "{path}"'))
def container_probe(manifests: Manifests, component: str, probe: str, path: str) -> None:
    container = manifests.main_container(component)
    declared = container.get(f"{probe}Probe")
    assert declared, f"the {component} container has no {probe} probe:\n{excerpt(container)}"
    actual = (declared.get("httpGet") or {}).get("path")
    assert actual == path, f"the {component} {probe} probe checks {actual or declared}, expected HTTP GET {path}"


@then(parsers.parse('the "{component}" pod should run as non-root user {uid:d}'))
def pod_non_root(manifests: Manifests, component: str, uid: int) -> None:
    pod = manifests.pod_spec(component)
    for container in pod["containers"]:
        merged = {**(pod.get("securityContext") or {}), **(container.get("securityContext") or {})}
        assert merged.get("runAsNonRoot") is True, f"{component} container {container['name']} does not set runAsNonRoot: true"
        assert merged.get("runAsUser") == uid, f"{component} container {container['name']} runs as user {merged.get('runAsUser')}, expected {uid}"


@then(parsers.parse('the "{component}" container should drop all capabilities and forbid privilege escalation'))
def container_hardened(manifests: Manifests, component: str) -> None:
    for container in manifests.containers(component):
        context = container.get("securityContext") or {}
        assert context.get("allowPrivilegeEscalation") is False, f"{component} container {container['name']} allows privilege escalation"
        assert "ALL" in ((context.get("capabilities") or {}).get("drop") or []), f"{component} container {container['name']} does not drop ALL capabilities"


@then(parsers.parse('the "{component}" container should have a read-only root filesystem'))
def container_read_only(manifests: Manifests, component: str) -> None:
    for container in manifests.containers(component):
        assert (container.get("securityContext") or {}).get("readOnlyRootFilesystem") is True, f"{component} container {container['name']} has a writable root filesystem"


@then(parsers.parse('the "{component}" container should take its environment from the ConfigMap "{name}"'))
def env_from_configmap(manifests: Manifests, component: str, name: str) -> None:
    sources = [entry.get("configMapRef", {}).get("name") for entry in manifests.main_container(component).get("envFrom", [])]
    assert name in sources, f"the {component} container's envFrom names ConfigMaps {sources}, expected {name!r}"


@then(parsers.parse('the "{component}" container should take its environment from the Secret "{name}"'))
def env_from_secret(manifests: Manifests, component: str, name: str) -> None:
    container = manifests.main_container(component)
    sources = [entry.get("secretRef", {}).get("name") for entry in container.get("envFrom", [])]
    sources += [((entry.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name") for entry in container.get("env", [])]
    assert name in sources, f"the {component} container reads Secrets {[s for s in sources if s]}, expected {name!r}"


@then(parsers.re(r"the ConfigMap should set (?P<keys>.+?)(?: to \"(?P<value>[^\"]*)\")?$"))
def configmap_sets(manifests: Manifests, keys: str, value: str | None) -> None:
    data = manifests.get("ConfigMap").get("data") or {}
    for key in quoted(keys):
        assert key in data, f"the ConfigMap does not set {key}; it sets {sorted(data)}"
        if value is not None:
            assert str(data[key]) == value, f"the ConfigMap sets {key}={data[key]!r}, expected {value!r}"


@then(parsers.parse('the "{component}" pod template should differ from the default rendering'))
def pod_template_changed(manifests: Manifests, default_manifests: Manifests, component: str) -> None:
    changed = manifests.get("Deployment", component)["spec"]["template"]
    default = default_manifests.get("Deployment", component)["spec"]["template"]
    assert changed != default, (f"the {component} pod template is unchanged, so Kubernetes will not roll the pods on this configuration change "
                                f"(add a checksum of the ConfigMap to the pod annotations):\n{excerpt(changed['metadata'])}")


@then(parsers.re(r"the Secret should hold (?P<keys>.+)"))
def secret_holds(manifests: Manifests, keys: str) -> None:
    secret = manifests.get("Secret")
    held = set(secret.get("data") or {}) | set(secret.get("stringData") or {})
    missing = [key for key in quoted(keys) if key not in held]
    assert not missing, f"the Secret lacks {missing}; it holds {sorted(held)}"


@then("no canary credential should appear outside the Secret")
def canaries_only_in_secret(manifests: Manifests, canaries: Canaries) -> None:
    leaks = [f"{document['kind']}/{document['metadata']['name']}: {found}" for document in manifests.documents if document["kind"] != "Secret"
             for found in [canaries.found_in(yaml.safe_dump(document))] if found]
    assert not leaks, "credentials leaked outside the Secret:\n" + "\n".join(leaks)
    secret_text = yaml.safe_dump(manifests.get("Secret"))
    assert canaries.found_in(secret_text), "the canary credentials are not in the Secret either: the values do not reach it"


@then("the default values should hold no credential-like value")
def defaults_hold_no_credentials(chart: Path) -> None:
    found = credential_like((chart / "values.yaml").read_text())
    secret_keys = {key: value for key, value in default_values(chart).items() if re.search(r"(ApiKey|Password|Token)$", key) and value}
    assert not found and not secret_keys, f"values.yaml defaults look like real credentials: {found or secret_keys}"


@then(parsers.parse('the "{component}" Deployment should use a RollingUpdate strategy with maxSurge {surge:d} and maxUnavailable {unavailable:d}'))
def rolling_update(manifests: Manifests, component: str, surge: int, unavailable: int) -> None:
    deployment = manifests.get("Deployment", component)
    strategy = deployment["spec"].get("strategy") or {}
    assert strategy.get("type") == "RollingUpdate", f"the {component} Deployment uses strategy {strategy.get('type', '(default)')}:\n{excerpt(strategy)}"
    rolling = strategy.get("rollingUpdate") or {}
    assert (rolling.get("maxSurge"), rolling.get("maxUnavailable")) == (surge, unavailable), f"the {component} Deployment rolls with {rolling}"


@then(parsers.parse('the chart should render a PersistentVolumeClaim of "{size}" with access mode "{mode}"'))
def pvc_rendered(manifests: Manifests, size: str, mode: str) -> None:
    claim = manifests.get("PersistentVolumeClaim")
    spec = claim["spec"]
    assert spec["resources"]["requests"]["storage"] == size, f"the claim requests {spec['resources']['requests']['storage']}, expected {size}"
    assert mode in spec.get("accessModes", []), f"the claim's access modes are {spec.get('accessModes')}, expected {mode}"


@then(parsers.parse('the "{component}" container should mount the claim "{claim}" at "{path}"'))
def claim_mounted(manifests: Manifests, component: str, claim: str, path: str) -> None:
    pod = manifests.pod_spec(component)
    volumes = [volume["name"] for volume in pod.get("volumes", []) if (volume.get("persistentVolumeClaim") or {}).get("claimName") == claim]
    assert volumes, f"no volume of the {component} pod uses the claim {claim!r}: {pod.get('volumes')}"
    mounts = {mount["mountPath"]: mount["name"] for mount in manifests.main_container(component).get("volumeMounts", [])}
    assert mounts.get(path) in volumes, f"the {component} container mounts {mounts.get(path)!r} at {path}, expected the claim {claim!r}"


@then(parsers.parse('the PersistentVolumeClaim should use the storage class "{storage_class}"'))
def pvc_storage_class(manifests: Manifests, storage_class: str) -> None:
    claim = manifests.get("PersistentVolumeClaim")
    assert claim["spec"].get("storageClassName") == storage_class, f"the claim's storage class is {claim['spec'].get('storageClassName')!r}"
