"""The deployment profile: where the suite finds each part of the deployment under test and what it is called.

One YAML file per deployment (profiles/reference.yaml for this repository's own), validated by profile.schema.json.
Scenarios speak of requirements ("the backend replica count"); steps ask the profile for the deployment's names.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from acceptance.core.names import COMPONENTS

# A YAML or JSON document as parsed: a chart's values, a manifest, the profile itself.
Document = dict[str, Any]

SCHEMA = Path(__file__).with_name("schema.json")
REFERENCE = Path(__file__).resolve().parents[2] / "profiles" / "reference.yaml"

# The words scenarios use for a chart setting, and the profile's `values` entry that names its value path.
SETTINGS = {
    "backend replica count": "replicas.backend",
    "frontend replica count": "replicas.frontend",
    "frontend Service type": "service.frontend.type",
    "frontend's allowed source ranges": "service.frontend.source_ranges",
    "backend Service port": "service.backend.port",
    "image pull policy": "image.pull_policy",
    "persistence switch": "persistence.enabled",
    "storage size": "persistence.size",
    "storage class": "persistence.storage_class",
    "existing claim": "persistence.existing_claim",
    "existing Secret": "existing_secret",
    "log level": "log_level",
    "OpenAI base URL": "openai_base_url",
    "key the chart does not have": "unknown",
    "network policy switch": "network_policy.enabled",
    "backend's allowed clients": "network_policy.clients",
    "backend's egress ports": "network_policy.egress_ports",
    "backend's egress networks": "network_policy.egress_cidrs",
}


# The words scenarios use for a resource of the deployment, and the profile's `resources` entry that locates it.
RESOURCES = {
    "frontend Deployment": "frontend-deployment", "backend Deployment": "backend-deployment",
    "frontend Service": "frontend-service", "backend Service": "backend-service",
    "data claim": "data-claim", "ConfigMap": "config", "Secret": "credentials",
    "frontend NetworkPolicy": "frontend-policy", "backend NetworkPolicy": "backend-policy",
    "Secret the deploy script made": "deploy-secret",
}


def role(words: str) -> str:
    """The profile resource role a scenario's words for a resource stand for."""
    if words not in RESOURCES:
        raise KeyError(f"no resource is called {words!r} in scenarios; known: {sorted(RESOURCES)}")
    return RESOURCES[words]


def concept(words: str) -> str:
    """The profile concept a scenario's words for a setting stand for."""
    if words not in SETTINGS:
        raise KeyError(f"no chart setting is called {words!r} in scenarios; known: {sorted(SETTINGS)}")
    return SETTINGS[words]


class ProfileError(Exception):
    """The profile cannot be read or breaks its schema; the message lists every problem and the fix."""


class NotOffered(AssertionError):
    """The profile says the deployment offers no such part (null for a script, the guide, the env example or a chart
    value): the scenario that needs it fails, naming it; a failed check, not the suite's trouble."""


# What a null in `paths` stands for, as a reader says it.
PART_NAMES = {"guide": "deployment guide", "env_example": "environment example (.env.example)"}


@dataclasses.dataclass(frozen=True)
class Locator:
    """How a resource of the deployment is found: its kind and a name, or its kind and a component label."""

    kind: str
    name: str | None = None
    label: tuple[str, str] | None = None

    def matches(self, document: Document) -> bool:
        metadata = document.get("metadata") or {}
        if document.get("kind") != self.kind:
            return False
        if self.name is not None:
            return metadata.get("name") == self.name
        assert self.label is not None, f"a {self.kind} locator needs a name or a label"
        key, value = self.label
        return (metadata.get("labels") or {}).get(key) == value

    def describe(self) -> str:
        if self.name:
            return f"{self.kind} {self.name}"
        assert self.label is not None, f"a {self.kind} locator needs a name or a label"
        return f"{self.kind} labelled {self.label[0]}={self.label[1]}"


@dataclasses.dataclass(frozen=True)
class Profile:
    """A validated profile; `data` is the YAML as written, the methods answer the suite's questions."""

    source: Path
    data: Document

    @property
    def name(self) -> str:
        value: str = self.data["name"]
        return value

    @property
    def release(self) -> str:
        value: str = self.data["release"]
        return value

    @property
    def instance_label(self) -> str:
        value: str = self.data["labels"]["instance"]
        return value

    @property
    def component_label(self) -> str:
        value: str = self.data["labels"]["component"]
        return value

    def label_of(self, component: str) -> str | None:
        """The component label's value on this component's resources; None for a component the profile does not know."""
        return (self.data["components"].get(component) or {}).get("label")

    def component_of(self, label_value: str | None) -> str | None:
        """The component (frontend or backend) a component-label value stands for; None if neither."""
        return next((component for component in COMPONENTS if self.label_of(component) == label_value), None)

    def container(self, component: str) -> str | None:
        """The app's container in the component's pods; None: the first."""
        value: str | None = self.data["components"][component].get("container")
        return value

    def default_root(self) -> Path:
        return (self.source.parent / self.data["root"]).resolve() if self.data.get("root") else REFERENCE.parents[1]

    def path(self, *keys: str) -> str:
        """A relative path from `paths` (e.g. path("scripts", "deploy")), as written.

        Raises:
            NotOffered: the profile says the deployment offers none (null).
        """
        node: Any = self.data["paths"]
        for key in keys:
            node = node[key]
        if node is None:
            part = PART_NAMES.get(keys[0], f"{keys[-1]} script" if keys[0] == "scripts" else ".".join(keys))
            raise NotOffered(f"the deployment offers no {part} (paths.{'.'.join(keys)} is null in the profile {self.source.name})")
        value: str = node
        return value

    def guide_files(self) -> list[str]:
        """The guide's files in reading order: paths.guide is one file or a list of them (a guide split in parts).

        Raises:
            NotOffered: the profile says the deployment offers no guide (null).
        """
        found: str | list[str] = self.data["paths"]["guide"] if self.offers("guide") else self.path("guide")
        return [found] if isinstance(found, str) else list(found)

    def offers(self, *keys: str) -> bool:
        """Whether the deployment offers the part at this key of `paths` (its path is not null)."""
        return dig(self.data, "paths", *keys) is not None

    def with_paths(self, changes: dict[str, str]) -> Profile:
        """This profile with some `paths` replaced (dotted keys, e.g. "dockerfiles.backend"): the command line's overrides."""
        data = copy.deepcopy(self.data)
        for dotted, value in changes.items():
            *parents, leaf = dotted.split(".")
            node = data["paths"]
            for key in parents:
                node = node[key]
            node[leaf] = value
        return dataclasses.replace(self, data=data)

    def locator(self, role: str) -> Locator:
        """How to find the resource of this role (e.g. "backend-service", "config", "data-claim")."""
        entry = self.data["resources"].get(role)
        if entry is None:
            raise KeyError(f"the profile {self.source.name} names no resource '{role}' (resources.{role})")
        if "name" in entry:
            return Locator(entry["kind"], name=entry["name"].replace("{release}", self.release))
        label = self.label_of(entry["component"])
        if label is None:  # the schema requires a label per component; without one the locator would match unlabelled resources
            raise KeyError(f"the profile {self.source.name} gives component '{entry['component']}' no label (components.{entry['component']}.label)")
        return Locator(entry["kind"], label=(self.component_label, label))

    def value_paths(self, concept: str) -> list[str]:
        """The chart value paths of a concept (dotted, e.g. "replicas.backend"); [] when the profile names none."""
        node: Any = self.data["values"]
        for key in concept.split("."):
            if not isinstance(node, dict) or key not in node:
                return []
            node = node[key]
        if isinstance(node, dict):
            raise KeyError(f"values.{concept} in the profile is a group, not a value path")
        return [] if node is None else [node] if isinstance(node, str) else list(node)

    def value_path(self, concept: str) -> str:
        """The one value path a check reads for a concept (the first when several are set together)."""
        paths = self.value_paths(concept)
        if not paths and dig(self.data, "values", *concept.split(".")) is None and has_key(self.data["values"], concept):
            raise NotOffered(f"the chart offers no value for {concept} (values.{concept} is null in the profile {self.source.name})")
        if not paths:
            raise KeyError(f"the profile {self.source.name} names no chart value for '{concept}' (values.{concept})")
        return paths[0]

    def assignments(self, settings: dict[str, Any]) -> dict[str, Any]:
        """{value path: value} setting each concept (e.g. "replicas.backend") to its value; every path of a concept gets it."""
        assignments = {}
        for name, value in settings.items():
            paths = self.value_paths(name)
            if not paths:
                raise KeyError(f"the profile {self.source.name} names no chart value for '{name}' (values.{name})")
            assignments.update(dict.fromkeys(paths, value))
        return assignments

    def values(self, settings: dict[str, Any]) -> Document:
        """Nested chart values setting each concept to its value: for a values file."""
        return nested(self.assignments(settings))

    def lookup(self, values: Document, name: str) -> Any:
        """A concept's value in nested chart values (e.g. helm get values), None when unset."""
        return dig(values, *self.value_path(name).split("."))

    def error_names(self, name: str) -> list[str]:
        """The ways a tool's error may name a concept's value path: a.b, /a/b (helm's schema errors), or its last key."""
        path = self.value_path(name)
        return [path, "/" + path.replace(".", "/"), path.rsplit(".", 1)[-1]]

    def image_values(self, images: dict[str, str], pull_policy: str) -> dict[str, str]:
        """{value path: value} making the release run these images (component -> NAME:TAG)."""
        settings = {"image.pull_policy": pull_policy} if self.value_paths("image.pull_policy") else {}
        for component, image in images.items():
            repository, tag = image.rsplit(":", 1)
            settings.update({f"image.{component}.repository": repository, f"image.{component}.tag": tag})
        return self.assignments(settings)

    def credential_names(self) -> list[str]:
        """The credentials, by environment name, that the chart takes (values.credentials)."""
        return list(self.data["values"]["credentials"])

    def claim_owner(self) -> str:
        """The component whose pods mount the data claim (claim_owner): the seed's backend, another team's database."""
        value: str = self.data.get("claim_owner") or "backend"
        return value

    def credential_values(self, credentials: dict[str, str]) -> dict[str, str]:
        """{value path: value} for the credentials, given by environment name, that the profile's values.credentials
        maps (a credential it does not map has no chart value: the checks that look for it fail)."""
        return {self.value_path(f"credentials.{env}"): value for env, value in credentials.items() if env in self.credential_names()}

    # What the seed leaves to the deployment: None where the profile says nothing.

    def base_args(self) -> dict[str, list[str]]:
        """The build arguments that name base images, per stage ("builder", "runtime")."""
        return dig(self.data, "build", "base_args") or {}

    def changed_source(self, component: str) -> str | None:
        """A source file of the component whose change a rebuild must pick up."""
        value: str | None = dig(self.data, "build", component, "changed_source")
        return value

    def reused_through(self, component: str) -> str | None:
        """The Dockerfile instruction up to which a source-only rebuild reuses the layer cache."""
        value: str | None = dig(self.data, "build", component, "reused_through")
        return value

    def bases_script(self) -> str | None:
        """The repository's script that builds local base images (bases.script)."""
        value: str | None = dig(self.data, "bases", "script")
        return value

    def bases_args_file(self) -> str | None:
        """Per build context, the file of ARG=IMAGE lines naming local bases (bases.args_file)."""
        value: str | None = dig(self.data, "bases", "args_file")
        return value

    def bases_map(self) -> dict[str, str]:
        """Upstream image -> the local base tagged under its name before a build (bases.map)."""
        return dig(self.data, "bases", "map") or {}

    # The rest of what the profile names.

    def chart_name(self) -> str:
        value: str = self.data["chart"]["name"]
        return value

    def chart_templates(self) -> dict[str, str]:
        """Per template role the seed names (e.g. "frontend-deployment"), the chart's file that holds it."""
        return (self.data.get("chart") or {}).get("templates") or {}

    def image(self, component: str) -> str:
        """The NAME:TAG the component is built as unless the command line says otherwise."""
        value: str = self.data["images"][component]
        return value

    def budget(self, key: str) -> Any:
        """A budget (frontend_mb, backend_mb, recovery_seconds), as written."""
        return self.data["budgets"][key]

    def lint_waivers(self) -> str:
        """The waivers file, relative to the project root."""
        value: str = self.data["paths"].get("lint_waivers", "lint-waivers.yaml")
        return value

    def guide_headings(self) -> dict[str, list[str]]:
        value: dict[str, list[str]] = self.data["guide"]["sections"]
        return value

    @property
    def declined(self) -> list[Document]:
        return list(self.data.get("declined") or [])


def dig(node: Any, *keys: str) -> Any:
    """node[k1][k2]...; None where a key is missing or a level is not a mapping."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def has_key(node: Any, dotted: str) -> bool:
    """Whether the dotted key is written in node, whatever its value (null included)."""
    *parents, leaf = dotted.split(".")
    parent = dig(node, *parents)
    return isinstance(parent, dict) and leaf in parent


def nested(assignments: dict[str, Any]) -> Document:
    """{"a.b": 1, "a.c": 2} as {"a": {"b": 1, "c": 2}}."""
    tree: Document = {}
    for path, value in assignments.items():
        *parents, leaf = path.split(".")
        node = tree
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return tree


def load(path: Path) -> Profile:
    """Read and validate a profile; every problem is reported at once.

    Raises:
        ProfileError: the file is missing, not YAML, or breaks the schema.
    """
    fix = f"fix: compare with {REFERENCE} (schema: {SCHEMA})"
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as error:
        raise ProfileError(f"profile {path}: cannot be read ({error.strerror}); give an existing file with --profile=FILE") from None
    except yaml.YAMLError as error:
        raise ProfileError(f"profile {path}: not valid YAML: {error}\n{fix}") from None
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    problems = sorted(f"profile {path}: {'.'.join(map(str, error.absolute_path)) or '(top level)'}: {error.message}"
                      for error in validator.iter_errors(data))
    if problems:
        raise ProfileError("\n".join([*problems, fix]))
    return Profile(path.resolve(), data)


@functools.cache
def reference() -> Profile:
    return load(REFERENCE)
