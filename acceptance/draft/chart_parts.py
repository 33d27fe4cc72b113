"""What the default rendering says the profile should name: labels, containers, the file of each template, how each
resource is found, the frontend's port and UID, the backend's probe paths."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from acceptance.draft.guess import Guess, chosen, missing
from acceptance.draft.rendering import WORKLOADS, Rendered, Rendering, app_container, as_release_name, component_label, containers, instance_label
from acceptance.draft.words import words
from acceptance.profile.model import dig

COMPONENTS = ("frontend", "backend")
# Per resource role found by name: its kind and the words its name or file likely holds, the likeliest first.
NAMED_ROLES = {
    "data-claim": ("PersistentVolumeClaim", ("data", "storage", "pvc", "backend")),
    "config": ("ConfigMap", ("config", "settings", "configmap")),
    "credentials": ("Secret", ("secret", "credentials", "secrets")),
}
TEMPLATE_ROLES = {"frontend-deployment": ("Deployment", "frontend"), "frontend-service": ("Service", "frontend"),
                  "backend-deployment": ("Deployment", "backend"), "backend-service": ("Service", "backend"),
                  "backend-pvc": ("PersistentVolumeClaim", None), "configmap": ("ConfigMap", None), "secret": ("Secret", None)}


class ChartParts:
    """The rendering read for the profile, the release's workloads found per component."""

    def __init__(self, rendering: Rendering, release: str, chart: Path):
        self.rendering, self.release, self.chart = rendering, release, chart
        self.workloads = {component: rendering.workload(component) for component in COMPONENTS}
        frontend, backend = self.workloads["frontend"], self.workloads["backend"]
        self.label = component_label(frontend, backend) if frontend and backend else None
        self.why_not = rendering.problem or ("" if frontend and backend else "the rendering has no Deployment named for each component")

    def label_values(self) -> dict[str, str]:
        return dict(zip(COMPONENTS, self.label[1:], strict=True)) if self.label else {}

    def labels(self) -> dict[str, Guess]:
        workload = self.workloads["frontend"]
        instance = instance_label(workload, self.release) if workload else None
        return {"instance": Guess(instance, "the pod label whose value is the release") if instance
                else missing("app.kubernetes.io/instance", self.why_not or "no pod label holds the release name"),
                "component": Guess(self.label[0], "the pod label whose value tells the two Deployments apart") if self.label
                else missing("app.kubernetes.io/component", self.why_not or "no pod label tells the components apart")}

    def components(self) -> dict[str, Guess]:
        found = {}
        for component in COMPONENTS:
            workload = self.workloads[component]
            container = app_container(workload, component) if workload else None
            label = self.label_values().get(component)
            value = {"label": label or component, "container": container.get("name") if container else None}
            found[component] = (Guess(value, f"the {workload.name} Deployment's component label and container")
                                if workload and label else missing(value, self.why_not or "no component label"))
        return found

    def claim_owner(self) -> tuple[Guess | None, dict[str, Guess]]:
        """The component whose pods mount a claim the chart renders, and the component to add when that is neither the
        frontend's nor the backend's workload (another team's database StatefulSet); (None, {}) when none mounts one."""
        claims = {resource.name for resource in self.rendering.of_kind("PersistentVolumeClaim")}
        owners = [workload for workload in self.rendering.resources if workload.kind in WORKLOADS and claim_mounted(workload, claims)]
        if not owners:
            return None, {}
        owner = owners[0]
        known = next((component for component, workload in self.workloads.items() if workload and workload.name == owner.name), None)
        if known:
            return Guess(known, f"the {owner.name} {owner.kind} mounts the claim"), {}
        label = owner.pod_labels.get(self.label[0]) if self.label else None
        name = re.sub(r"[^a-z0-9-]+", "-", (label or "database").lower()).strip("-") or "database"
        container = next(iter(containers(owner)), None)
        return (Guess(name, f"the {owner.name} {owner.kind} mounts the claim, a component beyond the frontend and the backend"),
                {name: Guess({"label": label or name, "container": container.get("name") if container else None},
                             f"the {owner.name} {owner.kind}'s component label and container" if label else "not found: fill in (no component label)")})

    def templates(self) -> dict[str, Guess]:
        found: dict[str, Guess] = {}
        templates = self.chart / "templates"
        helpers = sorted(path.name for path in templates.glob("*.tpl"))
        found["helpers"] = chosen(helpers, "the chart's .tpl") or missing("_helpers.tpl")
        for role, (kind, component) in TEMPLATE_ROLES.items():
            resource = self.resource(kind, component)
            found[role] = (Guess(resource.source, f"renders the {resource.kind} {resource.name}") if resource and resource.source
                           else self.template_by_name(role, templates))
        found["notes"] = Guess("NOTES.txt", "the chart's notes") if (templates / "NOTES.txt").is_file() else missing("NOTES.txt")
        return found

    def template_by_name(self, role: str, templates: Path) -> Guess:
        role_words = set(words(role)) | ({"pvc", "storage", "volume", "claim"} if role == "backend-pvc" else set())
        files = sorted((path.name for path in templates.glob("*.y*ml") if role_words & set(words(path.stem))),
                       key=lambda name: -len(role_words & set(words(name))))
        return chosen(files, "its name says it (the default rendering has none)") or missing(f"{role}.yaml", self.why_not or "not rendered")

    def resource(self, kind: str, component: str | None) -> Rendered | None:
        """The rendered resource of a kind: the component's (by its label, selector or name), or the one named likeliest."""
        found = self.rendering.of_kind(kind)
        if component is None:
            return found[0] if found else None
        key, value = (self.label[0], self.label_values()[component]) if self.label else ("", "")
        workload = self.workloads[component]
        return next((resource for resource in found if resource.labels.get(key) == value), None) or next(
            (resource for resource in found if (resource.document.get("spec") or {}).get("selector", {}).get(key) == value), None) or next(
            (resource for resource in found if workload and resource.name == workload.name), None)

    def locate(self, resource: Rendered | None, component: str | None) -> dict[str, str] | None:
        if resource is None:
            return None
        if component and self.label and resource.labels.get(self.label[0]) == self.label_values()[component]:
            return {"kind": resource.kind, "component": component}
        return {"kind": resource.kind, "name": as_release_name(resource.name, self.release)}

    def resources(self) -> dict[str, Guess]:
        found: dict[str, Guess] = {}
        for component in COMPONENTS:
            for kind, role in (("Deployment", "deployment"), ("Service", "service")):
                locator = self.locate(self.resource(kind, component), component)
                found[f"{component}-{role}"] = (Guess(locator, "by its component label" if "component" in locator else "by name: it has no component label")
                                               if locator else missing({"kind": kind, "component": component}, self.why_not or f"no {kind} of the {component}"))
        for role, (kind, likely) in NAMED_ROLES.items():
            candidates = sorted(self.rendering.of_kind(kind), key=lambda resource: next(
                (index for index, word in enumerate(likely) if word in words(resource.name)), len(likely)))
            names = [as_release_name(resource.name, self.release) for resource in candidates]
            guess = chosen([{"kind": kind, "name": name} for name in names], "the rendered one")
            found[role] = guess or missing({"kind": kind, "name": f"{{release}}-{likely[0]}"}, self.why_not or f"the default rendering has no {kind}")
        for component in COMPONENTS:
            policy = self.policy(component)
            if policy is not None:
                found[f"{component}-policy"] = Guess({"kind": "NetworkPolicy", "name": as_release_name(policy.name, self.release)},
                                                     f"its podSelector selects the {component}")
        return found

    def policy(self, component: str) -> Rendered | None:
        if not self.label:
            return None
        value = self.label_values()[component]
        return next((policy for policy in self.rendering.of_kind("NetworkPolicy")
                     if ((policy.document.get("spec") or {}).get("podSelector") or {}).get("matchLabels", {}).get(self.label[0]) == value), None)

    def container(self, component: str) -> dict[str, Any] | None:
        workload = self.workloads[component]
        return app_container(workload, component) if workload else None



def claim_mounted(workload: Rendered, claims: set[str]) -> bool:
    """Whether a container of the workload mounts a volume that uses one of the claims (a volume declared and not
    mounted holds no data)."""
    volumes = {volume.get("name") for volume in dig(workload.document, "spec", "template", "spec", "volumes") or []
               if (volume.get("persistentVolumeClaim") or {}).get("claimName") in claims}
    return any(mount.get("name") in volumes for container in containers(workload) for mount in container.get("volumeMounts") or [])
