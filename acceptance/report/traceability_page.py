"""Traceability: the seed's claims (docs/seed-claims.yaml) against the scenarios of features/, as Markdown or HTML."""

from __future__ import annotations

import argparse
import dataclasses
import html
import re
import sys
from pathlib import Path

from acceptance.core.names import TIERS
from acceptance.report.traceability import (
    BEYOND_SEED,
    CLAIMS_FILE,
    FEATURES_DIR,
    GROUPS,
    Claim,
    Model,
    Scenario,
    TraceabilityError,
    load,
    load_outcomes,
    problems,
)

REGENERATE = "python -m acceptance.report.traceability_page --write docs/traceability.md"


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
    """failed when any check failed, passed when all passed, passed (differs from the seed's design) when the others
    passed, not run when none passed, else passed in part."""
    results = [outcome(scenario, outcomes) for scenario in checks]
    if any("failed" in result for result in results):
        return "failed"
    if results and all(result == "passed" for result in results):
        return "passed"
    if results and all(result in ("passed", "differs") for result in results):
        return "passed (differs from the seed's design)"
    return "passed in part" if any("passed" in result for result in results) else "not run"


def scenario_line(scenario: Scenario, outcomes: dict[str, str] | None) -> str:
    run = f" ({outcome(scenario, outcomes)})" if outcomes is not None else ""
    return f"`{scenario.feature_file}`: {scenario.title}{run}"


def checked_by_cell(model: Model, claim: Claim, outcomes: dict[str, str] | None) -> tuple[str, ...]:
    """The claim's scenarios (beyond-seed and seed-design ones marked), its unresolved references, its note, or why it is
    not checked."""
    if claim.not_checked:
        lines = [f"not checked: {claim.not_checked}"]
    else:
        lines = [("beyond the seed: " if scenario.beyond_seed else "the seed's design: " if scenario.seed_design else "") + scenario_line(scenario, outcomes)
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
        row = ((f"`{scenario.feature_file}`",), (scenario.title,), (", ".join(scenario.tiers) or "-",), (" ".join(requirements) or "-",),
               (", ".join(also) or "-",))
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
    return [*claim_tables(model, outcomes), beyond_seed_table(model, outcomes), *problem_table]


def preamble(model: Model, outcomes: dict[str, str] | None) -> list[str]:
    lines = [(f"Generated from features/ and docs/seed-claims.yaml by `{REGENERATE}` (or `make traceability`): do not edit; "
              "regenerate after changing a scenario, a tag or a claim (tests/unit/test_traceability.py fails until then)."),
             ("The seed is the Phase 4 implementation summary, the original record of the deployment this suite verifies. "
              "Its Remaining Work, Known Limitations and Recommendations are not claims about the delivered deployment and are not listed; "
              "a fact the seed repeats (the Container Architecture and Storage lines, the Conclusion, Lesson 4) is listed once, where it first appears."),
             summary(model)]
    return lines + (["Outcomes are those of the run that wrote reports/scenarios.json (a scenario that run deselected shows as not run)."]
                    if outcomes is not None else [])


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

    def colour(match: re.Match[str]) -> str:
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
    return "\n".join([*out, "</body></html>", ""])


def render(model: Model, path: Path, outcomes: dict[str, str] | None = None) -> str:
    """The document for path: HTML for .html, Markdown otherwise."""
    return to_html(model, outcomes) if path.suffix == ".html" else to_markdown(model, outcomes)


def write(model: Model, path: Path, outcomes: dict[str, str] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(model, path, outcomes))


def main(argv: list[str] | None = None) -> int:
    """Writes (or prints) the traceability document; exits 1 when the mapping has problems, after writing it."""
    parser = argparse.ArgumentParser(prog="python -m acceptance.report.traceability_page", description=__doc__)
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
