"""Traceability: the seed's claims (docs/seed-claims.yaml) against the scenarios of features/, as Markdown or HTML."""

from __future__ import annotations

import argparse
import dataclasses
import html
import json
import re
import sys
from pathlib import Path

import yaml
from gherkin.parser import Parser  # the Gherkin parser pytest-bdd itself uses, so both read the same scenarios

from acceptance.core.names import TIERS

SUITE_ROOT = Path(__file__).resolve().parents[2]
FEATURES_DIR = SUITE_ROOT / "features"
CLAIMS_FILE = SUITE_ROOT / "docs" / "seed-claims.yaml"
DOC_FILE = SUITE_ROOT / "docs" / "traceability.md"
REGENERATE = "python -m acceptance.report.traceability --write docs/traceability.md"
BEYOND_SEED = "beyond_seed"
# The seed's functional requirements and verification steps: each must have a claim.
REQUIRED_IDS = tuple(f"FR-{number:03d}" for number in range(1, 15)) + tuple(f"V-{number}" for number in range(1, 8))
GROUPS = (("FR", "Functional requirements (FR-001..FR-014)"), ("V", "Verification steps (V-1..V-7)"), ("other", "Other claims of the seed"))


class TraceabilityError(Exception):
    """A feature or the claims file cannot be read; the message names the file."""


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
def tag_names(node: dict) -> set[str]:
    return {tag["name"].lstrip("@") for tag in node.get("tags", [])}


def example_rows(scenario: dict) -> tuple[dict[str, str], ...]:
    """Each Examples row of an outline as {column: value}; none for a plain scenario."""
    rows = []
    for examples in scenario.get("examples", []):
        header = [cell["value"] for cell in (examples.get("tableHeader") or {}).get("cells", [])]
        rows += [dict(zip(header, (cell["value"] for cell in row["cells"]))) for row in examples.get("tableBody", [])]
    return tuple(rows)


def scenario_nodes(children: list[dict], inherited: set[str]) -> list[tuple[dict, set[str]]]:
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
    except Exception as error:  # gherkin raises its own CompositeParserException with every error
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
                                  example_rows(node), node["location"]["line"]))
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
        return json.loads(path.read_text())
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


# ---------------------------------------------------------------------------- rendering
@dataclasses.dataclass(frozen=True)
class Table:
    """A titled table; each cell is a tuple of lines, escaped by the renderer."""

    title: str
    level: int
    intro: str
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], ...], ...]


def outcome(scenario: Scenario, outcomes: dict[str, str]) -> str:
    """The scenario's outcome in a run: one word when all its examples agree, else a count per outcome."""
    found = [value for key, value in outcomes.items() if key == scenario.key or key.startswith(scenario.key + "[")]
    if not found:
        return "not run"
    if len(set(found)) == 1:
        return found[0]
    return ", ".join(f"{found.count(value)} {value}" for value in sorted(set(found)))


def claim_outcome(checks: list[Scenario], outcomes: dict[str, str]) -> str:
    """failed when any check failed, passed when all passed, not run when none passed, else passed in part."""
    results = [outcome(scenario, outcomes) for scenario in checks]
    if any("failed" in result for result in results):
        return "failed"
    if results and all(result == "passed" for result in results):
        return "passed"
    return "passed in part" if any("passed" in result for result in results) else "not run"


def scenario_line(scenario: Scenario, outcomes: dict[str, str] | None) -> str:
    run = f" ({outcome(scenario, outcomes)})" if outcomes is not None else ""
    return f"`{scenario.feature_file}`: {scenario.title}{run}"


def checked_by_cell(model: Model, claim: Claim, outcomes: dict[str, str] | None) -> tuple[str, ...]:
    """The claim's scenarios (beyond-seed ones marked), its unresolved references, its note, or why it is not checked."""
    if claim.not_checked:
        lines = [f"not checked: {claim.not_checked}"]
    else:
        lines = [("beyond the seed: " if scenario.beyond_seed else "") + scenario_line(scenario, outcomes)
                 for scenario in sorted(model.matched(claim), key=lambda scenario: scenario.beyond_seed)]
        lines += [f"PROBLEM: {reference} names no scenario" for reference in model.unresolved(claim)]
    return tuple(lines + ([f"note: {claim.note}"] if claim.note else []))


def claim_row(model: Model, claim: Claim, outcomes: dict[str, str] | None) -> tuple[tuple[str, ...], ...]:
    checks = model.seed_checks(claim)
    tiers = ", ".join(tier for tier in TIERS if any(tier in scenario.tiers for scenario in checks))
    row = ((claim.id,), (claim.words,), checked_by_cell(model, claim, outcomes), (tiers or "-",))
    return row + (((claim_outcome(checks, outcomes) if checks else "-",),) if outcomes is not None else ())


def claim_tables(model: Model, outcomes: dict[str, str] | None) -> list[Table]:
    """One table for the FRs, one for the V steps, and one per seed section for the other claims."""
    header = ("claim", "the seed's words", "checked by (feature: scenario)", "tiers") + (("last run",) if outcomes is not None else ())
    tables = []
    for group, title in GROUPS:
        claims = [claim for claim in model.claims if claim.group == group]
        if group != "other":
            tables.append(Table(title, 2, "", header, tuple(claim_row(model, claim, outcomes) for claim in claims)))
            continue
        tables.append(Table(title, 2, "What else the seed summary states that a check could confirm, by its section.", (), ()))
        for section in dict.fromkeys(claim.section for claim in claims):
            rows = tuple(claim_row(model, claim, outcomes) for claim in claims if claim.section == section)
            tables.append(Table(section, 3, "", header, rows))
    return tables


def beyond_seed_table(model: Model, outcomes: dict[str, str] | None) -> Table:
    """The scenarios tagged @beyond_seed: what the suite checks that the seed never claimed."""
    header = ("feature", "scenario", "tiers", "requirement tags", "also named by claim") + (("last run",) if outcomes is not None else ())
    rows = []
    for scenario in (scenario for scenario in model.scenarios if scenario.beyond_seed):
        requirements = sorted(tag for tag in scenario.tags if tag.startswith(("FR_", "V_")))
        also = [claim.id for claim in model.claims if scenario.key in claim.checked_by]  # named by title, not merely by a tag
        row = ((f"`{scenario.feature_file}`",), (scenario.title,), (", ".join(scenario.tiers) or "-",), (" ".join(requirements) or "-",), (", ".join(also) or "-",))
        rows.append(row + (((outcome(scenario, outcomes),),) if outcomes is not None else ()))
    intro = (f"Tagged @{BEYOND_SEED}: checks the seed summary does not claim. A claim's references may name them, "
             "but never as its only check (the column \"also named by claim\" lists the claims that name one by its title).")
    return Table("Beyond the seed", 2, intro, header, tuple(rows))


def summary(model: Model) -> str:
    checked = sum(1 for claim in model.claims if claim.checked_by and model.seed_checks(claim))
    beyond = sum(1 for scenario in model.scenarios if scenario.beyond_seed)
    return (f"{len(model.claims)} claims of the seed: {checked} checked by at least one scenario, "
            f"{len(model.claims) - checked} not checked (each with its reason). "
            f"{len(model.scenarios)} scenarios, {beyond} of them beyond the seed.")


def tables(model: Model, outcomes: dict[str, str] | None = None) -> list[Table]:
    """Everything the document shows, in order; problems last, so a stale mapping is visible in the document too."""
    found = problems(model)
    problem_table = [Table("Problems", 2, "Fix these in docs/seed-claims.yaml or the features' tags, then regenerate.",
                           ("problem",), tuple(((problem,),) for problem in found))] if found else []
    return claim_tables(model, outcomes) + [beyond_seed_table(model, outcomes)] + problem_table


def preamble(model: Model, outcomes: dict[str, str] | None) -> list[str]:
    lines = [f"Generated from features/ and docs/seed-claims.yaml by `{REGENERATE}` (or `make traceability`): do not edit; "
             "regenerate after changing a scenario, a tag or a claim (tests/unit/test_traceability.py fails until then).",
             "The seed is the Phase 4 implementation summary, the original record of the deployment this suite verifies. "
             "Its Remaining Work, Known Limitations and Recommendations are not claims about the delivered deployment and are not listed; "
             "a fact the seed repeats (the Container Architecture and Storage lines, the Conclusion, Lesson 4) is listed once, where it first appears.",
             summary(model)]
    return lines + (["Outcomes are those of the run that wrote reports/scenarios.json (a scenario that run deselected shows as not run)."] if outcomes is not None else [])


TITLE = "Traceability: the seed's claims and the scenarios that check them"


def markdown_text(line: str) -> str:
    """A cell line safe in a Markdown table: pipes escaped, angle brackets as entities (titles hold <placeholders>)."""
    return line.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def to_markdown(model: Model, outcomes: dict[str, str] | None = None) -> str:
    out = [f"# {TITLE}", ""] + [part for line in preamble(model, outcomes) for part in (line, "")]
    for table in tables(model, outcomes):
        out += [f"{'#' * table.level} {table.title}", ""] + ([table.intro, ""] if table.intro else [])
        if table.header:
            out += ["| " + " | ".join(table.header) + " |", "|" + "---|" * len(table.header)]
            out += ["| " + " | ".join("<br>".join(markdown_text(line) for line in cell) for cell in row) + " |" for row in table.rows]
            out.append("")
    return "\n".join(out)


OUTCOME = r"(?:\d+ )?(?:passed|failed|not judged|not run)(?:, \d+ (?:passed|failed|not judged|not run))*|passed in part"
# An outcome is a whole cell (the last-run column) or the parenthesised end of a scenario line; the seed's words are never coloured.
OUTCOME_TEXT = re.compile(rf"^({OUTCOME})$|\(({OUTCOME})\)$")


def outcome_class(text: str) -> str:
    return next((word for word in ("failed", "not judged", "not run", "passed") if word in text), "").replace(" ", "-")


def html_text(line: str) -> str:
    """A line as HTML: escaped, `code` as <code>, an outcome as a coloured span."""
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(line))

    def colour(match: re.Match) -> str:
        text = match[1] or match[2]
        span = f'<span class="{outcome_class(text)}">{text}</span>'
        return span if match[1] else f"({span})"
    return OUTCOME_TEXT.sub(colour, escaped)


STYLE = ("body{font-family:sans-serif;margin:2em;max-width:110em} table{border-collapse:collapse;margin-bottom:1.5em} "
         "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top;text-align:left} th{background:#eee} "
         ".passed{color:#080}.failed{color:#c00;font-weight:bold}.not-judged{color:#a60}.not-run{color:#888}")


def to_html(model: Model, outcomes: dict[str, str] | None = None) -> str:
    out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">', f"<title>{html.escape(TITLE)}</title>", f"<style>{STYLE}</style></head><body>",
           f"<h1>{html.escape(TITLE)}</h1>"] + [f"<p>{html_text(line)}</p>" for line in preamble(model, outcomes)]
    for table in tables(model, outcomes):
        out.append(f"<h{table.level}>{html.escape(table.title)}</h{table.level}>" + (f"<p>{html_text(table.intro)}</p>" if table.intro else ""))
        if table.header:
            out.append("<table><tr>" + "".join(f"<th>{html.escape(name)}</th>" for name in table.header) + "</tr>")
            out += ["<tr>" + "".join("<td>" + "<br>".join(html_text(line) for line in cell) + "</td>" for cell in row) + "</tr>" for row in table.rows]
            out.append("</table>")
    return "\n".join(out + ["</body></html>", ""])


def render(model: Model, path: Path, outcomes: dict[str, str] | None = None) -> str:
    """The document for path: HTML for .html, Markdown otherwise."""
    return to_html(model, outcomes) if path.suffix == ".html" else to_markdown(model, outcomes)


def write(model: Model, path: Path, outcomes: dict[str, str] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(model, path, outcomes))


def main(argv: list[str] | None = None) -> int:
    """Writes (or prints) the traceability document; exits 1 when the mapping has problems, after writing it."""
    parser = argparse.ArgumentParser(prog="python -m acceptance.report.traceability", description=__doc__)
    parser.add_argument("--write", type=Path, help="write here (.md or .html) instead of printing Markdown, e.g. docs/traceability.md")
    parser.add_argument("--results", type=Path, help="a run's reports/scenarios.json: adds each scenario's and claim's outcome")
    parser.add_argument("--features", type=Path, default=FEATURES_DIR, help="the features directory (default: the suite's)")
    parser.add_argument("--claims", type=Path, default=CLAIMS_FILE, help="the seed claims (default: docs/seed-claims.yaml)")
    args = parser.parse_args(argv)
    try:
        model = load(args.features, args.claims)
        outcomes = load_outcomes(args.results) if args.results else None
    except TraceabilityError as error:
        print(f"traceability: {error}", file=sys.stderr)
        return 2
    if args.write:
        write(model, args.write, outcomes)
        print(f"traceability: wrote {args.write} ({summary(model)})")
    else:
        print(render(model, Path("out.md"), outcomes))
    for problem in problems(model):
        print(f"traceability: PROBLEM {problem}", file=sys.stderr)
    return 1 if problems(model) else 0


if __name__ == "__main__":
    sys.exit(main())
