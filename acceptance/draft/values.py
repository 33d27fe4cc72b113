"""The chart value path of each concept a scenario sets, found in values.yaml by the words of its keys and the shape
of its default (a replica count is a number, a Service type one of three words, a size a quantity)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import Any

from acceptance.draft.guess import Guess, chosen
from acceptance.draft.words import COMPONENT_WORDS, words

Shape = Callable[[Any], bool]


def number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def text(value: Any) -> bool:
    return isinstance(value, str)


def switch(value: Any) -> bool:
    return isinstance(value, bool)


def listing(value: Any) -> bool:
    return isinstance(value, list | dict)


def anything(value: Any) -> bool:
    return True


def service_type(value: Any) -> bool:
    return value in ("ClusterIP", "NodePort", "LoadBalancer")


def quantity(value: Any) -> bool:
    return isinstance(value, str) and bool(re.fullmatch(r"\d+(\.\d+)?([KMGT]i?)?", value))


@dataclasses.dataclass(frozen=True)
class Concept:
    """A concept's key words (each group: one of its words must be in the path), the words that rule a path out, and
    the shape its default should have (a path of another shape is ranked after those of the right shape)."""

    groups: tuple[frozenset[str], ...]
    shape: Shape = anything
    excluded: frozenset[str] = frozenset()


def concept(*groups: str, shape: Shape = anything, excluded: str = "") -> Concept:
    return Concept(tuple(frozenset(group.split("|")) for group in groups), shape, frozenset(excluded.split("|")) - {""})


STORAGE = "persistence|storage|pvc|volume|data"
# Per profile concept (dotted, as in the profile's `values`), and per component where the concept has one.
PER_COMPONENT = {
    "replicas": concept("replicas|replica", shape=number, excluded="min|max|autoscaling|hpa|history"),
    "image.repository": concept("repository|repo", shape=text),
    "image.tag": concept("tag", shape=text),
    "probes.liveness_period": concept("liveness", "period", shape=number),
    "probes.liveness_timeout": concept("liveness", "timeout", shape=number),
    "probes.readiness_period": concept("readiness", "period", shape=number),
    "probes.readiness_timeout": concept("readiness", "timeout", shape=number),
}
# An image given as one string (frontend.image: "name") with its tag beside it.
IMAGE_AS_STRING = concept("image", shape=text, excluded="pull|policy|tag|registry|secrets")
SINGLE = {
    "service.frontend.type": (concept("service", "type", shape=service_type), "frontend"),
    "service.frontend.source_ranges": (concept("source", "ranges|range", shape=listing), "frontend"),
    "service.backend.port": (concept("service", "port", shape=number, excluded="target|node|container"), "backend"),
    "persistence.enabled": (concept(STORAGE, "enabled", shape=switch, excluded="network|policy"), None),
    "persistence.size": (concept(STORAGE, "size", shape=quantity), None),
    "persistence.storage_class": (concept("class", shape=anything, excluded="ingress"), None),
    "persistence.existing_claim": (concept("existing", "claim"), None),
    "existing_secret": (concept("existing", "secret|secrets|credentials"), None),
    "log_level": (concept("log", "level", shape=text), None),
    "openai_base_url": (concept("base", "url", shape=text), None),
    "termination_grace": (concept("termination", "grace", shape=number), None),
    "network_policy.enabled": (concept("network", "policy|policies", "enabled", shape=switch), None),
    "network_policy.clients": (concept("network", "policy|policies", "clients|client|from|allowed", shape=listing), None),
    "network_policy.egress_ports": (concept("network", "policy|policies", "egress", "ports|port", shape=listing), None),
    "network_policy.egress_cidrs": (concept("network", "policy|policies", "egress", "cidrs|cidr|networks", shape=listing), None),
}
UNKNOWN_KEYS = ("replicaCount", "replicas", "unknownSetting")


def leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, default) of every value that is not a mapping with keys (an empty mapping is a leaf)."""
    if isinstance(node, dict) and node:
        for key, child in node.items():
            yield from leaves(child, f"{prefix}.{key}" if prefix else str(key))
    elif prefix:
        yield prefix, node


@dataclasses.dataclass(frozen=True)
class ValueFinder:
    """The chart's values, searched by concept; `names` adds each component's label value to its words."""

    values: dict[str, Any]
    names: dict[str, set[str]]

    @classmethod
    def of(cls, values: Any, label_values: dict[str, str]) -> ValueFinder:
        names = {component: {*known, *words(label_values.get(component, ""))} for component, known in COMPONENT_WORDS.items()}
        return cls(dict(leaves(values)) if isinstance(values, dict) else {}, names)

    def belongs(self, path: str, component: str | None) -> bool:
        """Whether the path is the component's: its words name it and not the other (or, with no component, neither)."""
        found = set(words(path)) - {"app"}
        mine = {component: bool(found & (known - {"app"})) for component, known in self.names.items()}
        if component is None:
            return True
        return mine[component] and not any(other for name, other in mine.items() if name != component)

    def candidates(self, wanted: Concept, component: str | None) -> list[str]:
        """The paths that hold every group's word and no excluded word, right shape first, then fewest other words."""
        found = []
        for path in self.values:
            path_words = set(words(path))
            if all(group & path_words for group in wanted.groups) and not wanted.excluded & path_words and self.belongs(path, component):
                found.append(path)
        return sorted(found, key=lambda path: (not wanted.shape(self.values[path]) and self.values[path] is not None,
                                               len(words(path)), path))

    def guess(self, name: str, wanted: Concept, component: str | None) -> Guess | None:
        found = self.candidates(wanted, component)
        why = f"its key words say {name}" + (f" of the {component}" if component else "")
        return chosen(found, f"{why} (default {self.values[found[0]]!r})" if found else why)

    def image_repository(self, component: str) -> Guess | None:
        return self.guess("image repository", PER_COMPONENT["image.repository"], component) or self.guess(
            "image (one string)", IMAGE_AS_STRING, component)

    def pull_policies(self) -> Guess | None:
        found = sorted(self.candidates(concept("pull", "policy", shape=text), None), key=lambda path: not self.belongs(path, "frontend"))
        if not found:
            return None
        return Guess(found[0] if len(found) == 1 else found, "its key words say image pull policy" + (
            ": one per image, set together" if len(found) > 1 else ""))

    def unknown(self) -> Guess:
        key = next((key for key in UNKNOWN_KEYS if not any(path == key or path.startswith(key + ".") for path in self.values)),
                   "noSuchKeyInThisChart")
        return Guess(key, "a key values.yaml does not have: the chart's schema should refuse it")


def environment_name(key: str) -> str:
    """DATABASE_URL, database-url or databaseUrl -> DATABASE_URL: the environment variable a credential is read as."""
    return "_".join(words(key)).upper()


def credentials(finder: ValueFinder, entries: list[tuple[str, str]]) -> Guess | None:
    """Per credential environment name, its value path: the Secret template's data keys and the values they read."""
    found = {environment_name(key): path for key, path in entries if path in finder.values}
    if found:
        return Guess(found, "the Secret template's data keys and the values they read (check the names against the app's)")
    grouped = {environment_name(path.rsplit(".", 1)[-1]): path for path in finder.values
               if {"secret", "secrets", "credentials"} & set(words(path.split(".")[0])) and not CREDENTIAL_SKIP & set(words(path))}
    return Guess(grouped, "the values under a secrets group (no Secret template reads them)") if grouped else None


CREDENTIAL_SKIP = {"existing", "enabled", "create", "name", "annotations", "labels", "type", "checksum"}
