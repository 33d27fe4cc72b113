"""Queries over rendered manifests: find a resource, its pod spec, its containers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import yaml

from acceptance.core.names import COMPONENTS
from acceptance.core.quantity import quantity
from acceptance.profile.model import Document, Profile

T = TypeVar("T")


class Manifests:
    """The resources one `helm template` produced, found as the deployment's profile says."""

    def __init__(self, documents: list[Document], profile: Profile):
        self.documents = documents
        self.profile = profile

    def kinds(self) -> list[str]:
        return sorted({document["kind"] for document in self.documents})

    def of_kind(self, kind: str) -> list[Document]:
        return [document for document in self.documents if document.get("kind") == kind]

    def find(self, kind: str, component: str | None = None) -> Document | None:
        """The one resource of kind (for component, when given: by the profile's component label), or None."""
        wanted = self.profile.label_of(component) if component else None
        for document in self.of_kind(kind):
            labels = (document.get("metadata") or {}).get("labels") or {}
            if component is None or (wanted is not None and labels.get(self.profile.component_label) == wanted):
                return document
        return None

    def by_role(self, role: str) -> Document:
        """The resource the profile's resources.<role> locates (e.g. "config", "credentials", "data-claim")."""
        __tracebackhide__ = True
        locator = self.profile.locator(role)
        found = [document for document in self.documents if locator.matches(document)]
        assert found, f"the chart renders no {locator.describe()} (the profile's resources.{role}); it renders: {self.summary()}"
        return found[0]

    def get(self, kind: str, component: str | None = None) -> Document:
        __tracebackhide__ = True
        found = self.find(kind, component)
        if found is None:
            wanted = f"{kind} for component {component!r}" if component else kind
            raise AssertionError(f"the chart renders no {wanted}; it renders: {self.summary()}")
        return found

    def workload(self, component: str) -> Document:
        """The component's Deployment; for a component beyond the seed's two (a database pod), its StatefulSet when
        it has no Deployment."""
        __tracebackhide__ = True
        found = self.find("Deployment", component) or (self.find("StatefulSet", component) if component not in COMPONENTS else None)
        return found or self.get("Deployment", component)

    def pod_spec(self, component: str) -> Document:
        spec: Document = self.workload(component)["spec"]["template"]["spec"]
        return spec

    def containers(self, component: str) -> list[Document]:
        """The component's containers; a check over none would pass on nothing, so none is a failure."""
        __tracebackhide__ = True
        return nonempty(self.pod_spec(component).get("containers", []), f"containers in the {component} Deployment")

    def main_container(self, component: str) -> Document:
        """The app's container: the one the profile names, else the first."""
        __tracebackhide__ = True
        containers = self.pod_spec(component).get("containers", [])
        assert containers, f"the {component} Deployment has no containers:\n{excerpt(self.get('Deployment', component))}"
        name = self.profile.container(component)
        named = [container for container in containers if container.get("name") == name]
        assert named or name is None, f"the {component} Deployment has no container {name!r} (the profile's components.{component}.container)"
        container: Document = named[0] if named else containers[0]
        return container

    def missing_roles(self, roles: list[str]) -> list[str]:
        """The resources of these roles that are not rendered, as the profile locates them."""
        return [self.profile.locator(role).describe() for role in roles if not any(self.profile.locator(role).matches(document) for document in self.documents)]

    def names(self) -> set[tuple[str, str]]:
        """(kind, name) of every resource."""
        return {(document["kind"], document["metadata"]["name"]) for document in self.documents}

    def missing_labels(self, labels: tuple[str, ...]) -> list[str]:
        return [f"{document['kind']}/{document['metadata']['name']} lacks {label}"
                for document in nonempty(self.documents, "rendered resources") for label in labels if label not in (document["metadata"].get("labels") or {})]

    def service_route_problems(self, component: str) -> list[str]:
        """Why the component's Service does not reach its pods: a port whose targetPort (by name or number; none: the
        port itself) is no port the main container declares, or a selector that does not select the pod template."""
        service = self.get("Service", component)
        spec, container = service["spec"], self.main_container(component)
        declared = {entry.get("name"): entry.get("containerPort") for entry in container.get("ports", [])}
        problems = [f"the {component} Service sends port {entry.get('port')} to {entry.get('targetPort', entry.get('port'))!r}, "
                    f"which the container does not declare (its ports: {declared})"
                    for entry in spec.get("ports", []) if entry.get("targetPort", entry.get("port")) not in set(declared) | set(declared.values())]
        if not spec.get("ports"):
            problems.append(f"the {component} Service has no port:\n{excerpt(service)}")
        selector = spec.get("selector") or {}
        pod_labels = self.get("Deployment", component)["spec"]["template"]["metadata"]["labels"]
        if not selector or any(pod_labels.get(key) != value for key, value in selector.items()):
            problems.append(f"the {component} Service selector {selector} does not select the pods {pod_labels}")
        return problems

    def service_type_and_ports(self, component: str) -> tuple[str, list[int]]:
        """The component's Service type and the ports it listens on."""
        spec = self.get("Service", component)["spec"]
        return spec.get("type", "ClusterIP"), [entry.get("port") for entry in spec.get("ports", [])]

    def source_ranges(self, component: str) -> list[str] | None:
        """The client networks the component's Service admits (spec.loadBalancerSourceRanges); None: the field is absent."""
        ranges: list[str] | None = self.get("Service", component)["spec"].get("loadBalancerSourceRanges")
        return ranges

    def resources_other_than(self, component: str, kind: str, expected: tuple[str, str]) -> dict[str, tuple[str, str]]:
        """(cpu, memory) of kind per container of component, for the containers that do not declare expected (as an
        amount: 0.25 is 250m)."""
        return {name: declared for name, declared in self.resources(component, kind).items()
                if not all(same_amount(found, wanted) for found, wanted in zip(declared, expected, strict=True))}

    def unbounded_resources(self, component: str) -> list[str]:
        """What keeps a container of component from declaring what it needs: a CPU or memory request or limit that is
        missing or not a quantity, or a request above its limit (Kubernetes refuses the pod)."""
        problems = []
        requests, limits = self.resources(component, "requests"), self.resources(component, "limits")
        for name in requests:
            for resource, request, limit in zip(("cpu", "memory"), requests[name], limits[name], strict=True):
                texts = {"request": request, "limit": limit}
                amounts = {kind: amount(text) for kind, text in texts.items()}
                missing = [f"no {resource} {kind}" if text == "None" else f"a {resource} {kind} {text!r} that is not a quantity"
                           for kind, text in texts.items() if amounts[kind] is None]
                problems += [f"{name}: {problem}" for problem in missing]
                if not missing and (amounts["request"] or 0) > (amounts["limit"] or 0):
                    problems.append(f"{name}: a {resource} request {request} above its limit {limit}")
        return problems

    def resources(self, component: str, kind: str) -> dict[str, tuple[str, str]]:
        """(cpu, memory) of kind (requests or limits) per container of component."""
        return {container["name"]: (str(((container.get("resources") or {}).get(kind) or {}).get("cpu")),
                                    str(((container.get("resources") or {}).get(kind) or {}).get("memory")))
                for container in self.containers(component)}

    def probe_path(self, component: str, probe: str) -> str | None:
        """The HTTP path of the main container's probe (liveness, readiness, startup), or None."""
        declared = self.main_container(component).get(f"{probe}Probe") or {}
        return (declared.get("httpGet") or {}).get("path")

    def health_path(self, component: str) -> str | None:
        """The health endpoint the chart's probes ask of the main container (readiness first, then liveness and
        startup): the path the team chose, whatever its name; None when no probe is an HTTP GET."""
        return next((path for path in (self.probe_path(component, probe) for probe in ("readiness", "liveness", "startup")) if path), None)

    def probe_problem(self, component: str, probe: str) -> str | None:
        """Why the main container has no working probe of the kind (liveness, readiness, startup): none declared, no
        handler (HTTP GET, TCP, gRPC or a command: any kind configures it), or a port the container does not declare
        (by name or number); None when it has one."""
        container = self.main_container(component)
        declared = container.get(f"{probe}Probe") or {}
        handlers = {kind: declared[kind] for kind in ("httpGet", "tcpSocket", "grpc", "exec") if declared.get(kind)}
        if not handlers:
            return f"the {component} container has no {probe} probe" + (f" handler ({declared})" if declared else "")
        ports = {entry.get(field) for entry in container.get("ports", []) for field in ("name", "containerPort")} - {None}
        asked = [handler.get("port") for handler in handlers.values() if "port" in handler]
        wrong = [port for port in asked if port not in ports]
        return (f"the {component} {probe} probe asks port {wrong[0]!r}, which the container does not declare ({sorted(map(str, ports))})"
                if wrong else None)

    def security_contexts(self, component: str) -> dict[str, Document]:
        """Each container's security context merged over its pod's."""
        pod = self.pod_spec(component)
        return {container["name"]: {**(pod.get("securityContext") or {}), **(container.get("securityContext") or {})} for container in pod["containers"]}

    def root_user_problems(self, component: str) -> list[str]:
        """Containers the chart lets run as root: runAsUser 0, or neither runAsNonRoot: true nor a runAsUser other than
        0 (then the image decides). Any UID other than 0 is non-root."""
        problems = []
        for name, context in self.security_contexts(component).items():
            user, non_root = context.get("runAsUser"), context.get("runAsNonRoot")
            if user == 0 or (user is None and non_root is not True):
                problems.append(f"{component} container {name} may run as root: runAsUser {user}, runAsNonRoot {non_root}; "
                                "expected runAsNonRoot: true or a runAsUser other than 0")
        return problems

    def hardening_problems(self, component: str) -> list[str]:
        problems = []
        for name, context in self.security_contexts(component).items():
            if context.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{component} container {name} allows privilege escalation")
            if "ALL" not in ((context.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{component} container {name} does not drop ALL capabilities")
        return problems

    def env_sources(self, component: str, kind: str) -> list[str]:
        """Names of the ConfigMaps or Secrets (kind) the main container reads, by envFrom or by key."""
        container = self.main_container(component)
        reference, key_reference = {"ConfigMap": ("configMapRef", "configMapKeyRef"), "Secret": ("secretRef", "secretKeyRef")}[kind]
        names = [(entry.get(reference) or {}).get("name") for entry in container.get("envFrom", [])]
        names += [(((entry.get("valueFrom") or {}).get(key_reference)) or {}).get("name") for entry in container.get("env", [])]
        return [name for name in names if name]

    def environment_from(self, component: str, role: str) -> tuple[dict[str, str], list[str]]:
        """({environment name: value} the component's main container takes from the resource of role, whether through
        envFrom (every key, with its prefix) or env[].valueFrom.*KeyRef (any key), [the resource's keys it takes nothing from]).
        Secret values stay as rendered (base64 under data)."""
        resource = self.by_role(role)
        name, kind = resource["metadata"]["name"], resource["kind"]
        data = {**(resource.get("data") or {}), **(resource.get("stringData") or {})}
        reference, key_reference = {"ConfigMap": ("configMapRef", "configMapKeyRef"), "Secret": ("secretRef", "secretKeyRef")}[kind]
        container, taken, used = self.main_container(component), {}, set()
        for entry in container.get("envFrom") or []:
            if (entry.get(reference) or {}).get("name") == name:
                taken.update({entry.get("prefix", "") + key: str(value) for key, value in data.items()})
                used |= set(data)
        for entry in container.get("env") or []:
            ref = (entry.get("valueFrom") or {}).get(key_reference) or {}
            if ref.get("name") == name and ref.get("key") in data:
                taken[entry["name"]] = str(data[ref["key"]])
                used.add(ref["key"])
        return taken, sorted(set(data) - used)

    def pod_template(self, component: str) -> Document:
        template: Document = self.workload(component)["spec"]["template"]
        return template

    def found_outside(self, kind: str, find: Callable[[str], list[str]]) -> list[str]:
        """What find(text) reports in each resource not of kind."""
        return [f"{document['kind']}/{document['metadata']['name']}: {found}"
                for document in nonempty(self.documents, "rendered resources") if document["kind"] != kind
                for found in [find(yaml.safe_dump(document))] if found]

    def strategy(self, component: str) -> Document:
        strategy: Document = self.get("Deployment", component)["spec"].get("strategy") or {}
        return strategy

    def rolling_parameters(self, component: str) -> tuple[Any, Any, Any]:
        """(strategy type, maxSurge, maxUnavailable) as the Deployment declares them (None where it does not)."""
        strategy = self.strategy(component)
        rolling = strategy.get("rollingUpdate") or {}
        return strategy.get("type"), rolling.get("maxSurge"), rolling.get("maxUnavailable")

    def rolling_update_problem(self, component: str) -> str | None:
        """Why the component's Deployment is not configured for rolling updates: its strategy type is not set to
        RollingUpdate (Recreate, or left to the default), or it surges none and makes none unavailable, which
        Kubernetes refuses. None when it is."""
        strategy = self.strategy(component)
        if strategy.get("type") != "RollingUpdate":
            return f"the strategy type is {strategy.get('type')!r}, not RollingUpdate" if strategy.get("type") else (
                "no strategy type is set: the chart leaves it to Kubernetes' default instead of configuring it")
        rolling = strategy.get("rollingUpdate") or {}
        if all(str(rolling.get(field, "25%")).rstrip("%") == "0" for field in ("maxSurge", "maxUnavailable")):
            return "maxSurge and maxUnavailable are both 0: no pod can be replaced, and Kubernetes refuses the Deployment"
        return None

    def claim_mount_problem(self, component: str, claim: str, path: str | None = None) -> str | None:
        """Why the main container of component does not mount claim at path (anywhere, when path is None); None when it does."""
        volumes, mounts = self.claim_mount(component, claim)
        if not volumes:
            return f"no volume of the {component} pod uses the claim {claim!r}: {self.pod_spec(component).get('volumes')}"
        if path is None and not set(mounts.values()) & set(volumes):
            return f"the {component} container mounts {mounts}, none of them the claim {claim!r}"
        if path is not None and mounts.get(path) not in volumes:
            return f"the {component} container mounts {mounts.get(path)!r} at {path}, expected the claim {claim!r}"
        return None

    def claim_mount(self, component: str, claim: str) -> tuple[list[str], dict[str, str]]:
        """(the pod's volumes that use claim, mount path -> volume name of the main container)."""
        volumes = [volume["name"] for volume in self.pod_spec(component).get("volumes", [])
                   if (volume.get("persistentVolumeClaim") or {}).get("claimName") == claim]
        mounts = {mount["mountPath"]: mount["name"] for mount in self.main_container(component).get("volumeMounts", [])}
        return volumes, mounts

    def isolating_policies(self, component: str, direction: str) -> list[Document]:
        """The NetworkPolicies that select the component's pods and isolate them for direction (Ingress or Egress)."""
        pod_labels = self.pod_template(component)["metadata"].get("labels") or {}
        return [policy for policy in self.of_kind("NetworkPolicy")
                if selects(policy["spec"].get("podSelector") or {}, pod_labels) and direction in policy_types(policy)]

    def allowed_traffic(self, component: str, direction: str) -> set[tuple[str, str, str]]:
        """(protocol, port, peer) the component's pods may receive (Ingress) or open (Egress), from every policy that
        isolates them; "any" protocol and port, and "any address" as the peer, for what a rule leaves open.
        Pods no policy isolates in that direction allow everything: {("any", "any", "any address")}."""
        policies = self.isolating_policies(component, direction)
        if not policies:
            return {("any", "any", "any address")}
        named_ports = {entry.get("name"): entry.get("containerPort") for entry in self.main_container(component).get("ports", [])}
        allowed = set()
        for rule in (rule for policy in policies for rule in policy["spec"].get(direction.lower()) or []):
            peers = [self.peer(peer) for peer in rule.get("from" if direction == "Ingress" else "to") or []] or ["any address"]
            ports = [(entry.get("protocol", "TCP"), port_text(entry, named_ports if direction == "Ingress" else {}))
                     for entry in rule.get("ports") or []] or [("any", "any")]
            allowed |= {(protocol, port, peer) for protocol, port in ports for peer in peers}
        return allowed

    def peer(self, peer: Document) -> str:
        """A NetworkPolicy peer in words: "the release's frontend pods", "pods labelled k=v", a CIDR, ..."""
        if "ipBlock" in peer:
            excepted = peer["ipBlock"].get("except") or []
            cidr: str = peer["ipBlock"]["cidr"]
            return cidr + (f" except {', '.join(excepted)}" if excepted else "")
        pods = "every pod" if "podSelector" not in peer else self.pods_in_words(peer["podSelector"] or {})
        if "namespaceSelector" not in peer:
            return pods if pods != "every pod" else "every pod in the namespace"
        namespaces = peer["namespaceSelector"] or {}
        return f"{pods} in " + ("every namespace" if not namespaces else f"namespaces {labels_in_words(namespaces)}")

    def pods_in_words(self, selector: Document) -> str:
        """'the release's <component> pods' when selector picks exactly that Deployment's pods, else its labels."""
        labels = selector.get("matchLabels") or {}
        for component in filter(None, (self.profile.component_of(document["metadata"].get("labels", {}).get(self.profile.component_label))
                                       for document in self.of_kind("Deployment"))):
            owned = self.get("Deployment", component)["spec"]["selector"].get("matchLabels") or {}
            template = self.pod_template(component)["metadata"].get("labels") or {}
            if not selector.get("matchExpressions") and owned.items() <= labels.items() <= template.items():
                return f"the release's {component} pods"
        return f"pods {labels_in_words(selector)}" if labels or selector.get("matchExpressions") else "every pod"

    def summary(self) -> str:
        return ", ".join(f"{document['kind']}/{document['metadata']['name']}" for document in self.documents) or "nothing"

    def text(self) -> str:
        return yaml.safe_dump_all(self.documents, sort_keys=False)


def nonempty(items: list[T], what: str) -> list[T]:
    """items, when there are any.

    Raises:
        AssertionError: there are none, so a check over them would pass on nothing.
    """
    __tracebackhide__ = True
    assert items, f"found no {what}: a check over nothing proves nothing"
    return items


def excerpt(resource: Document, limit: int = 60) -> str:
    """The first lines of a resource as YAML, for failure messages and evidence."""
    lines = yaml.safe_dump(resource, sort_keys=False).splitlines()
    more = f"\n... ({len(lines) - limit} more lines)" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def selects(selector: Document, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels and matchExpressions) selects an object with these labels."""
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    checks = {"In": lambda key, values: labels.get(key) in values, "NotIn": lambda key, values: labels.get(key) not in values,
              "Exists": lambda key, values: key in labels, "DoesNotExist": lambda key, values: key not in labels}
    return all(checks[expression["operator"]](expression["key"], expression.get("values") or [])
               for expression in selector.get("matchExpressions") or [])


def policy_types(policy: Document) -> set[str]:
    """The directions a NetworkPolicy isolates: its policyTypes, or as the API defaults them when it has none."""
    spec = policy["spec"]
    return set(spec.get("policyTypes") or ["Ingress", *(["Egress"] if "egress" in spec else [])])


def port_text(entry: Document, named_ports: dict[str, Any]) -> str:
    """A NetworkPolicy port as text: "8000", "8000-8010" (endPort), "any" (no port); a name resolved where it can be."""
    port = named_ports.get(entry["port"], entry["port"]) if "port" in entry else "any"
    return f"{port}-{entry['endPort']}" if "endPort" in entry else str(port)


def labels_in_words(selector: Document) -> str:
    """'labelled k=v, k2=v2' for a selector's matchLabels, plus its expressions as written."""
    words = [f"{key}={value}" for key, value in sorted((selector.get("matchLabels") or {}).items())]
    words += [f"{expression['key']} {expression['operator']} {expression.get('values') or ''}".strip() for expression in selector.get("matchExpressions") or []]
    return "labelled " + ", ".join(words)


def amount(text: str) -> float | None:
    """The quantity text is, or None when it is missing ('None') or not a quantity."""
    try:
        return quantity(text)
    except ValueError:
        return None


def same_amount(found: str, wanted: str) -> bool:
    """The same quantity however written (0.25 and 250m); text that is not a quantity compares as text."""
    return found == wanted or (amount(found) is not None and amount(found) == amount(wanted))
