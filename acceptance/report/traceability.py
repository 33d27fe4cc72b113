"""Traceability's model: the seed's claims (docs/seed-claims.yaml) against the scenarios of features/, and what makes it stale.

acceptance.report.traceability_page renders it as Markdown or HTML."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import yaml
from gherkin.parser import Parser  # the Gherkin parser pytest-bdd itself uses, so both read the same scenarios

from acceptance.core.names import TIERS

SUITE_ROOT = Path(__file__).resolve().parents[2]
FEATURES_DIR = SUITE_ROOT / "features"
CLAIMS_FILE = SUITE_ROOT / "docs" / "seed-claims.yaml"
DOC_FILE = SUITE_ROOT / "docs" / "traceability.md"
BEYOND_SEED = "beyond_seed"
SEED_DESIGN = "seed_design"  # checks a value of the seed's design, not its requirement (docs/seed-design.md)
# The seed's functional requirements and verification steps: each must have a claim.
REQUIRED_IDS = tuple(f"FR-{number:03d}" for number in range(1, 15)) + tuple(f"V-{number}" for number in range(1, 8))
GROUPS = (("FR", "Functional requirements (FR-001..FR-014)"), ("V", "Verification steps (V-1..V-7)"), ("other", "Other claims of the seed"))


# A node of the Gherkin parser's AST (a feature, rule, scenario or Examples block), as the untyped parser returns it.
Node = dict[str, Any]


class TraceabilityError(Exception):
    """A feature or the claims file cannot be read; the message names the file."""


@dataclasses.dataclass(frozen=True)
class Step:
    """One step as written (placeholders kept): a Then, or an And or But after one, is a promise."""

    keyword: str  # 'Given', 'When', 'Then', 'And', 'But'
    text: str
    line: int
    promise: bool


def steps_of(node: Node) -> tuple[Step, ...]:
    """A scenario's own steps; the outcome ones (Then, and the And and But after it) are its promises."""
    found, primary = [], ""
    for step in node.get("steps", []):
        keyword = step["keyword"].strip()
        primary = primary if keyword in ("And", "But", "*") else keyword
        found.append(Step(keyword, step["text"], step["location"]["line"], primary == "Then"))
    return tuple(found)


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One Scenario or Scenario Outline as pytest-bdd binds it: tags are the feature's, rule's, scenario's and examples' together
    (@beyond_seed from examples only when every Examples block has it)."""

    feature_file: str  # relative to features/, as in reports/scenarios.json
    feature_name: str
    title: str  # the template title, <placeholders> kept
    tags: frozenset[str]  # without the leading @
    examples: tuple[dict[str, str], ...]
    line: int
    steps: tuple[Step, ...] = ()

    @property
    def key(self) -> str:
        """'images/fr002_non_root.feature::the <component> image runs as <user>', the key of fixtures/scenarios without its example."""
        return f"{self.feature_file}::{self.title}"

    @property
    def tiers(self) -> tuple[str, ...]:
        return tuple(tier for tier in TIERS if tier in self.tags)

    @property
    def beyond_seed(self) -> bool:
        return BEYOND_SEED in self.tags

    @property
    def seed_design(self) -> bool:
        return SEED_DESIGN in self.tags


@dataclasses.dataclass(frozen=True)
class Claim:
    """A claim of the seed: its words, and either the references that check it or why nothing does."""

    id: str
    section: str
    words: str
    checked_by: tuple[str, ...]  # "@TAG" or "feature/file.feature::scenario title"
    not_checked: str | None
    note: str | None

    @property
    def group(self) -> str:
        return next((prefix for prefix, _ in GROUPS if self.id.startswith(prefix + "-")), "other")


@dataclasses.dataclass(frozen=True)
class Model:
    """The scenarios and the claims, and which scenarios each claim names."""

    scenarios: tuple[Scenario, ...]
    claims: tuple[Claim, ...]

    def matched(self, claim: Claim) -> list[Scenario]:
        """Every scenario one of the claim's references names, beyond-seed ones included."""
        return [scenario for scenario in self.scenarios if any(names(reference, scenario) for reference in claim.checked_by)]

    def seed_checks(self, claim: Claim) -> list[Scenario]:
        """The scenarios that check the claim as the seed states it (a @beyond_seed scenario only adds to them)."""
        return [scenario for scenario in self.matched(claim) if not scenario.beyond_seed]

    def claims_naming(self, scenario: Scenario) -> list[Claim]:
        return [claim for claim in self.claims if any(names(reference, scenario) for reference in claim.checked_by)]

    def unresolved(self, claim: Claim) -> list[str]:
        """The claim's references that name no scenario (a renamed scenario or a removed tag)."""
        return [reference for reference in claim.checked_by if not any(names(reference, scenario) for scenario in self.scenarios)]


def names(reference: str, scenario: Scenario) -> bool:
    """Whether a claim's reference ("@FR_003" or "feature::title") names the scenario."""
    if reference.startswith("@"):
        return reference[1:] in scenario.tags
    return reference == scenario.key


# ---------------------------------------------------------------------------- reading
def tag_names(node: Node) -> set[str]:
    return {tag["name"].lstrip("@") for tag in node.get("tags", [])}


def example_rows(scenario: Node) -> tuple[dict[str, str], ...]:
    """Each Examples row of an outline as {column: value}; none for a plain scenario."""
    rows = []
    for examples in scenario.get("examples", []):
        header = [cell["value"] for cell in (examples.get("tableHeader") or {}).get("cells", [])]
        # strict: the parser rejects a table whose rows differ in cell count ("inconsistent cell count within the table")
        rows += [dict(zip(header, (cell["value"] for cell in row["cells"]), strict=True)) for row in examples.get("tableBody", [])]
    return tuple(rows)


def scenario_nodes(children: list[Node], inherited: set[str]) -> list[tuple[Node, set[str]]]:
    """(scenario, tags of its feature and rule) for the children of a feature, rules opened."""
    found = []
    for child in children:
        if "scenario" in child:
            found.append((child["scenario"], inherited))
        elif "rule" in child:
            found += scenario_nodes(child["rule"].get("children", []), inherited | tag_names(child["rule"]))
    return found


def parse_feature(text: str, feature_file: str) -> list[Scenario]:
    """The scenarios of one .feature text; feature_file is its path relative to features/.

    Raises:
        TraceabilityError: the text is not valid Gherkin.
    """
    try:
        feature = Parser().parse(text).get("feature")
    except Exception as error:  # noqa: BLE001 - gherkin raises its own CompositeParserException with every error; any failure means not Gherkin
        raise TraceabilityError(f"features/{feature_file} is not valid Gherkin: {error}") from None
    if not feature:
        return []
    scenarios = []
    for node, inherited in scenario_nodes(feature.get("children", []), tag_names(feature)):
        per_examples = [tag_names(examples) for examples in node.get("examples", [])]
        example_tags = set().union(*per_examples) - {BEYOND_SEED}
        # An outline goes beyond the seed only when all its examples do; a @beyond_seed Examples block marks only its rows.
        if per_examples and all(BEYOND_SEED in tags for tags in per_examples):
            example_tags.add(BEYOND_SEED)
        scenarios.append(Scenario(feature_file, feature["name"], node["name"], frozenset(inherited | tag_names(node) | example_tags),
                                  example_rows(node), node["location"]["line"], steps_of(node)))
    return scenarios


def load_scenarios(features_dir: Path) -> tuple[Scenario, ...]:
    """Every scenario under features_dir, by feature file then line."""
    scenarios = [scenario for path in sorted(features_dir.rglob("*.feature"))
                 for scenario in parse_feature(path.read_text(), path.relative_to(features_dir).as_posix())]
    return tuple(sorted(scenarios, key=lambda scenario: (scenario.feature_file, scenario.line)))


def load_claims(path: Path) -> tuple[Claim, ...]:
    """The claims of docs/seed-claims.yaml, in the file's order.

    Raises:
        TraceabilityError: the file is missing, not YAML, or an entry lacks id, section or words.
    """
    try:
        entries = (yaml.safe_load(path.read_text()) or {}).get("claims") or []
    except (OSError, yaml.YAMLError) as error:
        raise TraceabilityError(f"cannot read the seed claims {path}: {error}") from None
    claims = []
    for entry in entries:
        missing = [field for field in ("id", "section", "words") if not entry.get(field)]
        if missing:
            raise TraceabilityError(f"{path}: the claim {entry.get('id', entry)} lacks {missing}")
        claims.append(Claim(str(entry["id"]), entry["section"], " ".join(str(entry["words"]).split()), tuple(entry.get("checked_by") or ()),
                            entry.get("not_checked"), entry.get("note")))
    return tuple(claims)


def load(features_dir: Path = FEATURES_DIR, claims_file: Path = CLAIMS_FILE) -> Model:
    return Model(load_scenarios(features_dir), load_claims(claims_file))


def load_outcomes(path: Path) -> dict[str, str]:
    """reports/scenarios.json of a run: scenario key (with its example) -> passed, failed, not judged or not run."""
    try:
        outcomes: dict[str, str] = json.loads(path.read_text())
        return outcomes
    except (OSError, json.JSONDecodeError) as error:
        raise TraceabilityError(f"cannot read the results {path}: {error}") from None


# ---------------------------------------------------------------------------- rules
def problems(model: Model) -> list[str]:
    """What makes the model dishonest or stale, each with its fix; empty when the traceability holds."""
    found = []
    ids = [claim.id for claim in model.claims]
    found += [f"{claim_id}: no claim in docs/seed-claims.yaml (every FR and V step of the seed needs one)" for claim_id in REQUIRED_IDS if claim_id not in ids]
    found += [f"{claim_id}: more than one claim has this id" for claim_id in sorted({claim_id for claim_id in ids if ids.count(claim_id) > 1})]
    for claim in model.claims:
        found += claim_problems(model, claim)
    found += [f"{scenario.key}: no seed claim names it and it is not tagged @{BEYOND_SEED}: "
              f"name it under the claim it checks in docs/seed-claims.yaml, or tag it @{BEYOND_SEED}"
              for scenario in model.scenarios if not scenario.beyond_seed and not model.claims_naming(scenario)]
    return found


def claim_problems(model: Model, claim: Claim) -> list[str]:
    """Why one claim is neither checked by a scenario of the seed nor excused with a reason."""
    if bool(claim.checked_by) == bool(claim.not_checked):
        return [f"{claim.id}: give either checked_by or not_checked, not {'both' if claim.checked_by else 'neither'}"]
    found = [f"{claim.id}: {reference!r} names no scenario (renamed or removed?): update docs/seed-claims.yaml" for reference in model.unresolved(claim)]
    if claim.checked_by and not model.seed_checks(claim) and not found:
        found.append(f"{claim.id}: only @{BEYOND_SEED} scenarios check it, so one of them checks the seed's claim: remove its @{BEYOND_SEED} tag")
    return found
