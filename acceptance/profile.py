"""The deployment profile: where the suite finds each part of the deployment under test and what it is called.

One YAML file per deployment (profiles/reference.yaml for this repository's own), validated by profile.schema.json.
Scenarios speak of requirements ("the backend replica count"); steps ask the profile for the deployment's names.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA = Path(__file__).with_name("profile.schema.json")
REFERENCE = Path(__file__).resolve().parents[1] / "profiles" / "reference.yaml"
COMPONENTS = ("frontend", "backend")


class ProfileError(Exception):
    """The profile cannot be read or breaks its schema; the message lists every problem and the fix."""


@dataclasses.dataclass(frozen=True)
class Locator:
    """How a resource of the deployment is found: its kind and a name, or its kind and a component label."""

    kind: str
    name: str | None = None
    label: tuple[str, str] | None = None

    def matches(self, document: dict) -> bool:
        metadata = document.get("metadata") or {}
        if document.get("kind") != self.kind:
            return False
        if self.name is not None:
            return metadata.get("name") == self.name
        key, value = self.label
        return (metadata.get("labels") or {}).get(key) == value

    def describe(self) -> str:
        return f"{self.kind} {self.name}" if self.name else f"{self.kind} labelled {self.label[0]}={self.label[1]}"


@dataclasses.dataclass(frozen=True)
class Profile:
    """A validated profile; `data` is the YAML as written, the methods answer the suite's questions."""

    source: Path
    data: dict

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def release(self) -> str:
        return self.data["release"]

    @property
    def instance_label(self) -> str:
        return self.data["labels"]["instance"]

    @property
    def component_label(self) -> str:
        return self.data["labels"]["component"]

    def label_of(self, component: str) -> str:
        """The component label's value on this component's resources."""
        return self.data["components"][component]["label"]

    def component_of(self, label_value: str | None) -> str | None:
        """The component (frontend or backend) a component-label value stands for; None if neither."""
        return next((component for component in COMPONENTS if self.label_of(component) == label_value), None)

    def container(self, component: str) -> str | None:
        """The app's container in the component's pods; None: the first."""
        return self.data["components"][component].get("container")

    def default_root(self) -> Path:
        return (self.source.parent / self.data["root"]).resolve() if self.data.get("root") else REFERENCE.parents[1]

    def path(self, *keys: str) -> str:
        """A relative path from `paths` (e.g. path("scripts", "deploy")), as written."""
        node: Any = self.data["paths"]
        for key in keys:
            node = node[key]
        return node

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
        return Locator(entry["kind"], label=(self.component_label, self.label_of(entry["component"])))

    def value_paths(self, concept: str) -> list[str]:
        """The chart value paths of a concept (dotted, e.g. "replicas.backend"); [] when the profile names none."""
        node: Any = self.data["values"]
        for key in concept.split("."):
            if not isinstance(node, dict) or key not in node:
                return []
            node = node[key]
        if isinstance(node, dict):
            raise KeyError(f"values.{concept} in the profile is a group, not a value path")
        return [node] if isinstance(node, str) else list(node)

    def value_path(self, concept: str) -> str:
        """The one value path a check reads for a concept (the first when several are set together)."""
        paths = self.value_paths(concept)
        if not paths:
            raise KeyError(f"the profile {self.source.name} names no chart value for '{concept}' (values.{concept})")
        return paths[0]

    def values(self, settings: dict[str, Any]) -> dict:
        """Nested chart values setting each concept to its value (every path of a concept gets it)."""
        assignments = {}
        for concept, value in settings.items():
            paths = self.value_paths(concept)
            if not paths:
                raise KeyError(f"the profile {self.source.name} names no chart value for '{concept}' (values.{concept})")
            assignments.update({path: value for path in paths})
        return nested(assignments)

    def credential_values(self) -> dict[str, str]:
        """Per credential environment variable, the chart value path that carries it."""
        return {env: self.value_path(f"credentials.{env}") for env in self.data["values"]["credentials"]}

    def guide_headings(self) -> dict[str, list[str]]:
        return self.data["guide"]["sections"]

    def build(self, *keys: str) -> Any:
        node: Any = self.data.get("build") or {}
        for key in keys:
            node = (node or {}).get(key)
        return node

    def bases(self, key: str) -> Any:
        return (self.data.get("bases") or {}).get(key)

    @property
    def declined(self) -> list[dict]:
        return list(self.data.get("declined") or [])


def nested(assignments: dict[str, Any]) -> dict:
    """{"a.b": 1, "a.c": 2} as {"a": {"b": 1, "c": 2}}."""
    tree: dict = {}
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
        raise ProfileError("\n".join(problems + [fix]))
    return Profile(path.resolve(), data)


def reference() -> Profile:
    return load(REFERENCE)
