"""The chart rendered once with its default values, and what the rendering shows: which file renders which resource,
the workloads of each component, their labels, containers, and ports."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from acceptance.core.run import ToolError
from acceptance.draft.words import COMPONENT_WORDS, component_in
from acceptance.kube import helm
from acceptance.profile.model import Document, dig

RENDER_TIMEOUT = 120
SOURCE = re.compile(r"^# Source: [^/]+/templates/(.+)$", re.MULTILINE)
WORKLOADS = ("Deployment", "StatefulSet")


@dataclasses.dataclass(frozen=True)
class Rendered:
    """One rendered resource and the template file (relative to templates/) that rendered it."""

    source: str
    document: Document

    @property
    def kind(self) -> str:
        return str(self.document.get("kind", ""))

    @property
    def name(self) -> str:
        return str(dig(self.document, "metadata", "name") or "")

    @property
    def labels(self) -> dict[str, str]:
        return dig(self.document, "metadata", "labels") or {}

    @property
    def pod(self) -> Document:
        return dig(self.document, "spec", "template", "spec") or {}

    @property
    def pod_labels(self) -> dict[str, str]:
        return dig(self.document, "spec", "template", "metadata", "labels") or {}


@dataclasses.dataclass(frozen=True)
class Rendering:
    """The chart's default rendering; `problem` says why there is none (helm missing, the chart failing to render)."""

    resources: list[Rendered]
    problem: str | None = None

    def of_kind(self, kind: str) -> list[Rendered]:
        return [resource for resource in self.resources if resource.kind == kind]

    def workload(self, component: str) -> Rendered | None:
        """The component's Deployment: its name, labels or containers name the component."""
        workloads = [resource for resource in self.resources if resource.kind in WORKLOADS]
        return next((workload for workload in workloads if component_in(workload.name) == component), None) or next(
            (workload for workload in workloads if any(component_in(str(value)) == component for value in workload.pod_labels.values())), None)


def render(chart: Path, release: str) -> Rendering:
    """`helm template` with the chart's defaults: the resources, each with the file that rendered it."""
    try:
        outcome = helm.try_template(chart, RENDER_TIMEOUT, release=release)
    except ToolError as error:
        return Rendering([], str(error))
    if not outcome.ok:
        return Rendering([], f"helm template failed: {outcome.stderr.strip()[-300:]}")
    resources = []
    for text in re.split(r"^---\s*$", outcome.stdout, flags=re.MULTILINE):
        source = SOURCE.search(text)
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if isinstance(document, dict) and document.get("kind"):
            resources.append(Rendered(source.group(1) if source else "", document))
    return Rendering(resources)


def component_label(frontend: Rendered, backend: Rendered) -> tuple[str, str, str] | None:
    """(key, frontend value, backend value): the pod label whose values tell the two components apart,
    app.kubernetes.io/component when it does."""
    differing = [key for key, value in frontend.pod_labels.items() if key in backend.pod_labels and backend.pod_labels[key] != value]
    differing.sort(key=lambda key: (key != "app.kubernetes.io/component", "component" not in key, key))
    return (differing[0], frontend.pod_labels[differing[0]], backend.pod_labels[differing[0]]) if differing else None


def instance_label(workload: Rendered, release: str) -> str | None:
    """The pod label whose value is the release name, app.kubernetes.io/instance when it is."""
    keys = sorted((key for key, value in workload.pod_labels.items() if value == release),
                  key=lambda key: (key != "app.kubernetes.io/instance", key))
    return keys[0] if keys else None


def containers(workload: Rendered) -> list[Document]:
    return list(workload.pod.get("containers") or [])


def app_container(workload: Rendered, component: str) -> Document | None:
    """The app's container: the only one, or the one whose name says the component, or the first."""
    found = containers(workload)
    named = [container for container in found if set(str(container.get("name", "")).split("-")) & set(COMPONENT_WORDS[component])]
    return (named or found)[0] if named or found else None


def referenced_values(template_text: str) -> list[str]:
    """The value paths a template reads (.Values.a.b), in order, each once."""
    return list(dict.fromkeys(re.findall(r"\.Values\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)", template_text)))


DATA_LINE = re.compile(r"^[ \t]+([A-Za-z0-9_.-]+):[ \t]*(.*\{\{.*)$", re.MULTILINE)
DATA_START = re.compile(r"^(?:stringData|data):", re.MULTILINE)
INCLUDE = re.compile(r'(?:include|template)\s+"([^"]+)"')


def defines(helpers_text: str) -> dict[str, str]:
    """Each named template of _helpers.tpl and its body."""
    return dict(re.findall(r"""\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}(.*?)\{\{-?\s*end\s*-?\}\}""", helpers_text, re.DOTALL))


def data_values(template_text: str, helpers_text: str) -> list[tuple[str, str]]:
    """(data key, value path) per line `KEY: {{ ... }}` of a Secret or ConfigMap template: the value it reads, directly or
    through a named template of the helpers."""
    named = defines(helpers_text)
    found = []
    start = DATA_START.search(template_text)
    for key, expression in DATA_LINE.findall(template_text[start.end():] if start else ""):
        paths = referenced_values(expression) or [path for name in INCLUDE.findall(expression) for path in referenced_values(named.get(name, ""))]
        if paths:
            found.append((key, paths[0]))
    return found


def as_release_name(name: str, release: str) -> str:
    """A rendered name with the release written as {release}, as the profile names resources."""
    return name.replace(release, "{release}", 1) if release and release in name else name


def chart_values(chart: Path) -> Any:
    try:
        return yaml.safe_load((chart / "values.yaml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}
