"""A mutant: one defect seeded in a copy of the reference deployment, the edits that seed it and the scenarios it must fail."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.mutants.catalog.features import BROWSER_FEATURES

Edit = Callable[[Path], None]


class StaleMutant(AssertionError):
    """The reference changed so that a mutant no longer applies: update the mutant."""


def replace(path: str, old: str, new: str, regex: bool = False) -> Edit:
    """Replace every occurrence of old (a literal or a regex) in path; old must occur."""

    def edit(root: Path) -> None:
        target = root / path
        text = target.read_text()
        changed = re.sub(old, new, text, flags=re.MULTILINE) if regex else text.replace(old, new)
        if changed == text:
            raise StaleMutant(f"{path} no longer contains {old!r}")
        target.write_text(changed)

    return edit


def delete(path: str) -> Edit:
    def edit(root: Path) -> None:
        (root / path).unlink()

    return edit


def append(path: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        target = root / path
        target.write_text(target.read_text() + text)

    return edit


def schema(change: Callable[[dict], None]) -> Edit:
    def edit(root: Path) -> None:
        target = root / "helm/todo-chatbot/values.schema.json"
        document = json.loads(target.read_text())
        change(document)
        target.write_text(json.dumps(document, indent=2))

    return edit


def key(feature: str, title: str, example: str | None = None) -> str:
    """A scenario's key as reports/scenarios.json has it: 'FEATURE::TITLE', and '[EXAMPLE]' (its cells joined by '-') for an outline's row."""
    return f"{feature}::{title}" + (f"[{example}]" if example is not None else "")


def feature_of(scenario: str) -> str:
    """The feature file of a scenario key: 'images/fr002_non_root.feature' of 'images/fr002_non_root.feature::...'."""
    return scenario.split("::", 1)[0]


@dataclasses.dataclass
class Mutant:
    name: str
    defect: str
    kills: list[str]  # scenarios that must fail on this mutant: 'FEATURE::TITLE[EXAMPLE]', as in reports/scenarios.json
    edits: list[Edit]
    tier: str = "static"
    # scenarios that must still pass on this mutant: a defect only a person at the page notices leaves the HTTP checks green
    spares: list[str] = dataclasses.field(default_factory=list)
    # the cluster its defect shows on, when only one does (minikube: what only minikube itself answers); None: any
    cluster: str | None = None
    # @seed_design scenarios that must report 'differs' on this mutant: its value is not the seed summary's design
    differs: list[str] = dataclasses.field(default_factory=list)
    # A mutant of one promise: words of the Then step at which every scenario it kills must fail (the steps before it
    # hold on this mutant); empty for a mutant of the scenario, which may fail it at any step.
    breaks: str = ""

    @property
    def scenarios(self) -> list[str]:
        """Every scenario its run must hold: those it must fail, those that must differ from the seed's design, then
        those it must leave passing."""
        return self.kills + self.differs + self.spares

    @property
    def needs_browser(self) -> bool:
        return any(feature_of(scenario) in BROWSER_FEATURES for scenario in self.scenarios)
