"""Words in names: a path or value key split into lowercase words, and the words that name each component."""

from __future__ import annotations

import re

# The names teams give each component, most common first; a label value the chart renders is added per repository.
COMPONENT_WORDS = {"frontend": ("frontend", "web", "ui", "client", "nginx", "spa", "front"),
                   "backend": ("backend", "api", "server", "back", "app")}
# Folders whose contents are examples or tests of something else: their files are less likely the deployment's own.
ASIDE = {"examples", "example", "tests", "test", "fixtures", "testdata", "samples", "docs", "history", "archive", "old"}


def words(name: str) -> list[str]:
    """"web.probes.livenessProbe" -> ["web", "probes", "liveness", "probe"]: dots, dashes, slashes and camelCase split."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word.lower() for word in re.split(r"[^A-Za-z0-9]+", spaced) if word]


def component_in(name: str, extra: dict[str, str] | None = None) -> str | None:
    """The component whose words the name holds (frontend before backend when both: a `web-api` is rare); None if neither."""
    found = set(words(name))
    for component, known in COMPONENT_WORDS.items():
        if found & {*known, *([extra[component]] if extra and component in extra else [])}:
            return component
    return None


def aside(relative: str) -> bool:
    """Whether a relative path lies in an examples or tests folder."""
    return bool(ASIDE & {part.lower() for part in relative.split("/")[:-1]})
