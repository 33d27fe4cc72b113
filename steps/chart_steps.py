"""Steps about the Helm chart: lint, render, and queries over the rendered resources and values."""

from __future__ import annotations

from pathlib import Path

import yaml
from pytest_bdd import given, parsers, then, when

from acceptance.chart import files as chart_files
from acceptance.chart import sources
from acceptance.chart.files import values_file
from acceptance.chart.manifests import Manifests, excerpt, nonempty
from acceptance.core.credentials import Canaries
from acceptance.core.run import Result
from acceptance.kube import helm
from acceptance.profile.model import concept, nested, role
from fixtures.options import Settings
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
def lint_chart(chart: Path, settings: Settings) -> Result:
    return helm.try_lint(chart, settings.timeouts.command)


@when(parsers.parse('the chart is linted with the {setting} set to {value}'), target_fixture="outcome")
def lint_chart_with(chart: Path, settings: Settings, setting: str, value: str, tmp_path: Path) -> Result:
    values = settings.profile.values({concept(setting): literal(value)})
    return helm.try_lint(chart, settings.timeouts.command, value_files=[values_file(tmp_path, values)])


@when("the chart is rendered with default values", target_fixture="outcome")
def render_defaults(chart: Path, settings: Settings) -> Result:
    return helm.try_template(chart, settings.timeouts.command, release=settings.profile.release)


@when(parsers.parse('the chart is rendered with the {setting} set to {value}'), target_fixture="outcome")
def render_with(chart: Path, settings: Settings, setting: str, value: str, tmp_path: Path) -> Result:
    values = settings.profile.values({concept(setting): literal(value)})
    return helm.try_template(chart, settings.timeouts.command, release=settings.profile.release, value_files=[values_file(tmp_path, values)])


@when("the chart is rendered with canary credentials", target_fixture="outcome")
def render_with_canaries(chart: Path, settings: Settings, canaries: Canaries, tmp_path: Path) -> Result:
    values = nested(settings.profile.credential_values(canaries.values))
    return helm.try_template(chart, settings.timeouts.command, release=settings.profile.release, value_files=[values_file(tmp_path, values)])


@then(parsers.re(r"the error should name the (?P<setting>[^\"]+)"))
def error_names_setting(outcome: Result, settings: Settings, setting: str) -> None:
    names = settings.profile.error_names(concept(setting))
    assert not outcome.ok and any(name in outcome.output for name in names), f"the error names none of {names}:\n{outcome.describe()}"


@then("the chart should be named as the profile says, with a SemVer version")
def chart_name_and_version(chart: Path, settings: Settings) -> None:
    problems = chart_files.naming_problems(chart, settings.profile.chart_name())
    assert not problems, "; ".join(problems)


@then(parsers.parse('the chart\'s version should be the seed\'s "{version}"'))
def chart_version_of_seed(chart: Path, version: str) -> None:
    actual = str(chart_files.metadata(chart).get("version"))
    assert actual == version, f"the chart is at version {actual}, the seed's design {version}"


@then("the chart should hold the templates, as the profile names their files:")
def chart_templates(chart: Path, settings: Settings, datatable: list[list[str]]) -> None:
    missing = sorted({settings.profile.chart_templates()[row[0]] for row in datatable[1:]} - chart_files.templates(chart))
    assert not missing, f"templates missing from {chart / 'templates'}: {missing}; present: {sorted(chart_files.templates(chart))}"


@then("the rendering should hold, found as the profile says:")
def rendering_holds(manifests: Manifests, datatable: list[list[str]]) -> None:
    missing = manifests.missing_roles([role(row[0]) for row in datatable[1:]])
    assert not missing, f"not rendered: {missing}; the chart renders: {manifests.summary()}"


@then(parsers.parse('the rendering should hold no "{kind}"'))
def rendering_holds_no(manifests: Manifests, kind: str) -> None:
    found = manifests.of_kind(kind)
    assert not found, f"a {kind} is rendered although it should not be:\n{excerpt(found[0])}"


@then("every resource should carry the standard Kubernetes and Helm labels")
def standard_labels(manifests: Manifests) -> None:
    problems = manifests.missing_labels(STANDARD_LABELS)
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" Service should select its pods and send each port to a port the container declares'))
def service_routes(manifests: Manifests, component: str) -> None:
    problems = manifests.service_route_problems(component)
    assert not problems, "\n".join(problems)


@then(parsers.parse('the rendered "{component}" Service should be of type "{service_type}" on port {port:d}'))
def rendered_service_type_and_port(manifests: Manifests, component: str, service_type: str, port: int) -> None:
    found, ports = manifests.service_type_and_ports(component)
    assert (found, port in ports) == (service_type, True), f"the {component} Service is {found} on ports {ports}, expected {service_type} on {port}"


@then(parsers.re(r'the "(?P<component>\w+)" Service should admit only the source ranges (?P<ranges>".+)'))
def service_source_ranges(manifests: Manifests, component: str, ranges: str) -> None:
    actual = manifests.source_ranges(component)
    assert actual == quoted(ranges), (
        f"the {component} Service admits the source ranges {actual}, expected exactly {quoted(ranges)}:\n{excerpt(manifests.get('Service', component))}")


@then(parsers.parse('the "{component}" Service should restrict no source range'))
def service_no_source_range(manifests: Manifests, component: str) -> None:
    assert manifests.source_ranges(component) is None, f"the {component} Service restricts its clients unasked:\n{excerpt(manifests.get('Service', component))}"


@then(parsers.parse('NOTES.txt should explain access with "{first}" and with "{second}"'))
def notes_explain(chart: Path, first: str, second: str) -> None:
    missing = [phrase for phrase in (first, second) if phrase not in chart_files.notes(chart)]
    assert not missing, f"NOTES.txt does not mention {missing}"


@then(parsers.parse("no key in values.yaml should be nested deeper than {levels:d} level"))
def values_flat(chart: Path, levels: int) -> None:
    deep = chart_files.nested_deeper_than(chart, levels)
    assert not deep, f"values nested deeper than {levels} level: {deep}"


@then("every key in values.yaml should have a comment that names it")
def values_documented(chart: Path) -> None:
    undocumented = chart_files.undocumented_keys(chart)
    assert not undocumented, f"keys without a comment naming them: {undocumented}"


@then("the default values should be valid against values.schema.json")
def defaults_valid(chart: Path) -> None:
    errors = chart_files.schema_errors(chart)
    assert not errors, "the default values break the schema:\n" + "\n".join(errors)


@then("values.schema.json should forbid unknown keys at every level")
def schema_closed(chart: Path) -> None:
    open_objects = chart_files.open_schema_objects(chart)
    assert not open_objects, f"objects that accept unknown keys (no additionalProperties: false): {open_objects}"


@then(parsers.parse('the "{component}" container should request "{cpu}" CPU and "{memory}" memory'))
def container_requests(manifests: Manifests, component: str, cpu: str, memory: str) -> None:
    wrong = manifests.resources_other_than(component, "requests", (cpu, memory))
    assert not wrong, f"{component} containers request (cpu, memory) {wrong}, expected cpu={cpu} memory={memory}"


@then(parsers.parse('the "{component}" container should be limited to "{cpu}" CPU and "{memory}" memory'))
def container_limits(manifests: Manifests, component: str, cpu: str, memory: str) -> None:
    wrong = manifests.resources_other_than(component, "limits", (cpu, memory))
    assert not wrong, f"{component} containers are limited to (cpu, memory) {wrong}, expected cpu={cpu} memory={memory}"


@then(parsers.parse('the "{component}" container should request and be limited in CPU and memory, no request above its limit'))
def container_resources_bounded(manifests: Manifests, component: str) -> None:
    problems = manifests.unbounded_resources(component)
    assert not problems, f"the {component} containers do not declare what they need: {'; '.join(problems)}"


@then(parsers.parse('the "{component}" container should have a "{probe}" probe'))
def container_has_probe(manifests: Manifests, component: str, probe: str) -> None:
    problem = manifests.probe_problem(component, probe)
    assert problem is None, f"{problem}:\n{excerpt(manifests.main_container(component))}"


@then(parsers.parse('the "{component}" container should have a "{probe}" probe on "{path}"'))
def container_probe(manifests: Manifests, component: str, probe: str, path: str) -> None:
    actual = manifests.probe_path(component, probe)
    assert actual == path, f"the {component} {probe} probe checks {actual!r}, expected HTTP GET {path}:\n{excerpt(manifests.main_container(component))}"


@then(parsers.parse('the "{component}" pod should run as a non-root user'))
def pod_non_root(manifests: Manifests, component: str) -> None:
    problems = manifests.root_user_problems(component)
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" container should drop all capabilities and forbid privilege escalation'))
def container_hardened(manifests: Manifests, component: str) -> None:
    problems = manifests.hardening_problems(component)
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" container should have a read-only root filesystem'))
def container_read_only(manifests: Manifests, component: str) -> None:
    writable = [name for name, context in manifests.security_contexts(component).items() if context.get("readOnlyRootFilesystem") is not True]
    assert not writable, f"{component} containers {writable} have a writable root filesystem"


@then(parsers.parse('the "{component}" container should take its environment from the chart\'s {resource}'))
def env_from_chart_resource(manifests: Manifests, component: str, resource: str) -> None:
    wanted, kind = manifests.by_role(role(resource))["metadata"]["name"], manifests.profile.locator(role(resource)).kind
    assert wanted in manifests.env_sources(component, kind), (
        f"the {component} container reads {kind}s {manifests.env_sources(component, kind)}, expected {wanted!r}")


@then(parsers.parse('the "{component}" container should take its environment from the ConfigMap "{name}"'))
def env_from_configmap(manifests: Manifests, component: str, name: str) -> None:
    sources = manifests.env_sources(component, "ConfigMap")
    assert name in sources, f"the {component} container reads ConfigMaps {sources}, expected {name!r}"


@then(parsers.parse('the "{component}" container should take its environment from the Secret "{name}"'))
def env_from_secret(manifests: Manifests, component: str, name: str) -> None:
    sources = manifests.env_sources(component, "Secret")
    assert name in sources, f"the {component} container reads Secrets {sources}, expected {name!r}"


@then("the ConfigMap should set at least one setting the backend takes")
def configmap_sets_something(manifests: Manifests) -> None:
    taken = manifests.environment_from("backend", "config")[0]
    assert taken, "the backend takes its environment from the ConfigMap, but the ConfigMap sets nothing"


@then(parsers.parse('a setting the backend takes from the ConfigMap should be "{value}"'))
def configmap_holds_value(manifests: Manifests, value: str) -> None:
    taken = manifests.environment_from("backend", "config")[0]
    assert value in taken.values(), f"no setting the backend takes from the ConfigMap is {value!r}: it takes {taken}"


@then(parsers.parse('every key the ConfigMap sets should be read by the "{component}" application\'s sources'))
def configmap_keys_read(manifests: Manifests, settings: Settings, component: str) -> None:
    taken, unused = manifests.environment_from(component, "config")
    unread = unused + sources.unread_names(nonempty(sorted(taken), "variables from the ConfigMap"), settings.build_contexts[component])
    assert not unread, (
        f"the ConfigMap sets {unread}, which the {component} container takes in no variable, or no source file of it reads: "
        "configuration that does nothing misleads operators")


@then(parsers.parse('the "{component}" pod template should differ from the default rendering'))
def pod_template_changed(manifests: Manifests, default_manifests: Manifests, component: str) -> None:
    changed = manifests.pod_template(component)
    assert changed != default_manifests.pod_template(component), (
        f"the {component} pod template is unchanged, so Kubernetes will not roll the pods on this configuration change "
        f"(add a checksum of the ConfigMap to the pod annotations):\n{excerpt(changed['metadata'])}")


@then("the backend should take every credential the chart takes from the chart's Secret")
def secret_holds_every_credential(manifests: Manifests, settings: Settings) -> None:
    secret_holds(manifests, ", ".join(f'"{name}"' for name in settings.profile.credential_names()))


@then(parsers.re(r"the Secret should hold (?P<keys>\".+)"))
def secret_holds(manifests: Manifests, keys: str) -> None:
    taken = manifests.environment_from("backend", "credentials")[0]
    missing = [key for key in quoted(keys) if key not in taken]
    assert not missing, f"the backend takes no {missing} from the Secret; it takes {sorted(taken)}"


@then("no canary credential should appear outside the Secret")
def canaries_only_in_secret(manifests: Manifests, canaries: Canaries) -> None:
    leaks = manifests.found_outside("Secret", canaries.found_in)
    assert not leaks, "credentials leaked outside the Secret:\n" + "\n".join(leaks)
    assert canaries.found_in(yaml.safe_dump(manifests.by_role("credentials"))), (
        "the canary credentials are not in the Secret either: the values do not reach it")


@then("the default values should hold no credential-like value")
def defaults_hold_no_credentials(chart: Path) -> None:
    found = chart_files.credentials_in_defaults(chart)
    assert not found, f"values.yaml defaults look like real credentials: {found}"


@then(parsers.parse('the "{component}" Deployment should be configured for rolling updates'))
def rolling_update_configured(manifests: Manifests, component: str) -> None:
    problem = manifests.rolling_update_problem(component)
    assert problem is None, f"the {component} Deployment does not roll its updates: {problem}:\n{excerpt(manifests.strategy(component))}"


@then(parsers.parse('the "{component}" Deployment should use a RollingUpdate strategy with maxSurge {surge:d} and maxUnavailable {unavailable:d}'))
def rolling_update(manifests: Manifests, component: str, surge: int, unavailable: int) -> None:
    found = manifests.rolling_parameters(component)
    assert found == ("RollingUpdate", surge, unavailable), (
        f"the {component} Deployment's strategy is {found[0]} with maxSurge {found[1]} and maxUnavailable {found[2]}, "
        f"not RollingUpdate with {surge} and {unavailable}:\n{excerpt(manifests.strategy(component))}")


@then(parsers.parse('the chart should render a PersistentVolumeClaim of "{size}" with access mode "{mode}"'))
def pvc_rendered(manifests: Manifests, size: str, mode: str) -> None:
    spec = manifests.by_role("data-claim")["spec"]
    assert spec["resources"]["requests"]["storage"] == size, f"the claim requests {spec['resources']['requests']['storage']}, expected {size}"
    assert mode in spec.get("accessModes", []), f"the claim's access modes are {spec.get('accessModes')}, expected {mode}"


@then(parsers.parse('the "{component}" container should mount the chart\'s data claim at "{path}"'))
def chart_claim_mounted(manifests: Manifests, component: str, path: str) -> None:
    problem = manifests.claim_mount_problem(component, manifests.by_role("data-claim")["metadata"]["name"], path)
    assert problem is None, problem


@then("the data claim's owner should mount it")
def owner_mounts_chart_claim(manifests: Manifests) -> None:
    owner_mounts_claim(manifests, manifests.by_role("data-claim")["metadata"]["name"])


@then(parsers.parse('the data claim\'s owner should mount the claim "{claim}"'))
def owner_mounts_claim(manifests: Manifests, claim: str) -> None:
    """The owner is the profile's claim_owner (the seed's backend), anywhere in its main container."""
    problem = manifests.claim_mount_problem(manifests.profile.claim_owner(), claim)
    assert problem is None, problem


@then(parsers.parse('the PersistentVolumeClaim should use the storage class "{storage_class}"'))
def pvc_storage_class(manifests: Manifests, storage_class: str) -> None:
    actual = manifests.by_role("data-claim")["spec"].get("storageClassName")
    assert actual == storage_class, f"the claim's storage class is {actual!r}"


@then(parsers.parse('the {policy} NetworkPolicy should isolate the "{component}" pods for ingress and egress'))
def policy_isolates(manifests: Manifests, policy: str, component: str) -> None:
    name = manifests.by_role(role(f"{policy} NetworkPolicy"))["metadata"]["name"]
    isolating = {(direction, policy["metadata"]["name"]) for direction in ("Ingress", "Egress")
                 for policy in manifests.isolating_policies(component, direction)}
    assert {("Ingress", name), ("Egress", name)} <= isolating, (
        f"(direction, NetworkPolicy) isolating the {component} pods: {sorted(isolating)}; the chart renders: {manifests.summary()}")


@then(parsers.re(r'the "(?P<component>\w+)" pods should (?P<direction>admit|be allowed to reach) exactly:'))
def policy_allows(manifests: Manifests, component: str, direction: str, datatable: list[list[str]]) -> None:
    allowed = manifests.allowed_traffic(component, "Ingress" if direction == "admit" else "Egress")
    assert allowed == {tuple(row) for row in datatable[1:]}, (
        f"the {component} pods' policies allow {'in' if direction == 'admit' else 'out'} (protocol, port, peer):\n" + "\n".join(map(str, sorted(allowed))))
