"""Promises: what each scenario's outcome steps promise, and which mutant broke each (docs/promises.md).

A scenario's promises are its Then steps (and the And or But after one). The mutant self-test records, for each
mutant, the step each scenario it kills failed at (reports/failed_steps.json of the mutant's run). The record
(docs/promises.json) keeps those failures as promises, by their words, merged over runs of the catalog; the promises
no mutant breaks each say why in docs/promises-unbroken.yaml. This page joins them with the features, so a reviewer
sees what "green" means; tests/unit/test_promises_page.py fails on a promise with neither a mutant nor a reason.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import yaml

from acceptance.report.traceability import FEATURES_DIR, Scenario, Step, TraceabilityError, load_scenarios

REGENERATE = ("python -m acceptance.report.promises_page --broken reports/mutants/promises.json --update docs/promises.json "
              "--write docs/promises.md")
RECORD = Path(__file__).resolve().parents[2] / "docs" / "promises.json"
EXCUSES = Path(__file__).resolve().parents[2] / "docs" / "promises-unbroken.yaml"
# Where a record keeps the mutants that failed a scenario before its promises (at a Given or When).
BEFORE = ""

# A run's: mutant name -> {scenario key, with its [EXAMPLE]: {"line": the failed step's line, "text": its words}}.
Broken = dict[str, dict[str, dict[str, object]]]
# The record (docs/promises.json): scenario key -> {promise as written -> the mutants, with their [EXAMPLE], that broke it}.
Record = dict[str, dict[str, list[str]]]
# The promises no mutant breaks, each with why (docs/promises-unbroken.yaml): (scenario key, promise as written) -> why.
Excuses = dict[tuple[str, str], str]


def template_key(key: str) -> str:
    """'FEATURE::TITLE[EXAMPLE]' -> 'FEATURE::TITLE': the scenario as written, every example together."""
    return key.split("[", 1)[0] if key.endswith("]") else key


def promise_text(step: Step) -> str:
    """A promise's words as written, its placeholders kept, without its keyword (which moves with the step's place)."""
    return step.text


def record_of(scenarios: Iterable[Scenario], broken: Broken) -> Record:
    """A run's failures as promises: the step each mutant failed at, by its words as written (not its line, which any
    edit of the feature moves)."""
    by_key = {scenario.key: scenario for scenario in scenarios}
    record: Record = {}
    for mutant, failures in sorted(broken.items()):
        for key, step in failures.items():
            scenario = by_key.get(template_key(key))
            if scenario is not None:
                record.setdefault(scenario.key, {}).setdefault(promise_failed(scenario, step), []).append(f"{mutant}{key[len(scenario.key):]}")
    return record


def promise_failed(scenario: Scenario, step: dict[str, object]) -> str:
    """The promise (its words as written) a run's failed step is, read from the step's words as the run printed them
    (keyword first, placeholders filled); BEFORE when it is no promise (a Given or a When). Two promises of the same
    words are told apart by the failed step's line."""
    printed = str(step.get("text", "")).split(" ", 1)[-1]
    found = [promise for promise in scenario.steps if promise.promise and re.fullmatch(filled(promise.text), printed)]
    same_line = [promise for promise in found if promise.line == step.get("line")]
    return (same_line or found)[0].text if found else BEFORE


def filled(text: str) -> str:
    """A pattern of a step's words with each <placeholder> standing for whatever an example puts there."""
    return re.sub(r"<[^<>]+>", "(.+?)", re.escape(text))


def mutant_of(name: str) -> str:
    """'cluster-slow-recovery[backend]' -> 'cluster-slow-recovery': a credit's mutant, without its example."""
    return name.split("[", 1)[0]


def credited(record: Record) -> set[str]:
    """The mutants the record credits with a failure, at a promise or before."""
    return {mutant_of(name) for promises in record.values() for names in promises.values() for name in names}


def merged(old: Record, new: Record, rerun: set[str]) -> Record:
    """The old record with the mutants run again (rerun) replaced by what their new run broke."""
    def kept(name: str) -> bool:
        return mutant_of(name) not in rerun

    record: Record = {}
    for source, keep in ((old, kept), (new, lambda name: True)):
        for key, promises in source.items():
            for text, names in promises.items():
                record.setdefault(key, {}).setdefault(text, []).extend(name for name in names if keep(name))
    return {key: {text: sorted(set(names)) for text, names in promises.items() if names} for key, promises in sorted(record.items())}


def load_excuses(path: Path = EXCUSES) -> Excuses:
    entries = yaml.safe_load(path.read_text()) or []
    return {(entry["scenario"], entry["promise"]): entry["why"] for entry in entries}


def counts(scenarios: Iterable[Scenario], record: Record) -> tuple[int, int]:
    """(promises, promises some mutant broke)."""
    total = kept = 0
    for scenario in scenarios:
        for step in scenario.steps:
            if step.promise:
                total += 1
                kept += bool(record.get(scenario.key, {}).get(promise_text(step)))
    return total, kept


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render(scenarios: tuple[Scenario, ...], record: Record, defects: dict[str, str] | None = None, excuses: Excuses | None = None) -> str:
    """The page: per scenario, each promise with the mutants that failed at it (or why none does), and the mutants that
    failed it before its promises (at a Given or When)."""
    defects, excuses = defects or {}, excuses or {}
    total, kept = counts(scenarios, record)
    out = ["# Promises and the mutants that break them", "",
           f"Generated by `{REGENERATE}` from runs of the mutant catalog; do not edit by hand.", "",
           (f"**{kept} of {total} promises** (the Then steps of {len(scenarios)} scenarios) were broken by at least one mutant. "
            f"Each of the other {total - kept} says why none does (docs/promises-unbroken.yaml); one that says nothing is a "
            "check nobody has seen fail: it is marked **none yet**, and the unit tests fail on it."), ""]
    feature = ""
    for scenario in scenarios:
        if scenario.feature_file != feature:
            feature = scenario.feature_file
            out += [f"## {feature}", ""]
        found = record.get(scenario.key, {})
        out += [f"### {cell(scenario.title)}", "", "| promise | broken by |", "|---|---|"]
        for step in scenario.steps:
            if step.promise:
                names = found.get(promise_text(step), [])
                why = excuses.get((scenario.key, promise_text(step)))
                shown = ", ".join(f"`{name}`" for name in names) or (f"no mutant: {cell(why)}" if why else "**none yet**")
                out.append(f"| {step.keyword} {cell(step.text)} | {shown} |")
        if found.get(BEFORE):
            out += ["", "Failed before its promises (at a Given or When): " + ", ".join(f"`{name}`" for name in found[BEFORE])]
        out.append("")
    if defects:
        named = credited(record)
        out += ["## The mutants", "", "| mutant | its defect |", "|---|---|"]
        out += [f"| `{name}` | {cell(defect)} |" for name, defect in sorted(defects.items()) if name in named]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m acceptance.report.promises_page", description=__doc__)
    parser.add_argument("--broken", type=Path, action="append", default=[], required=True,
                        help="promises.json a mutant self-test wrote in its report directory (repeat for several runs)")
    parser.add_argument("--update", type=Path, help="the record to merge the runs into, rewritten (e.g. docs/promises.json): "
                        "the mutants the runs hold replace their earlier credits")
    parser.add_argument("--write", type=Path, help="write the Markdown here (e.g. docs/promises.md) instead of printing it")
    parser.add_argument("--features", type=Path, default=FEATURES_DIR, help="the features directory (default: the suite's)")
    args = parser.parse_args(argv)
    try:
        runs = [json.loads(path.read_text()) for path in args.broken]
        scenarios = load_scenarios(args.features)
        old = json.loads(args.update.read_text()) if args.update and args.update.exists() else {"promises": {}, "defects": {}}
        excuses = load_excuses()
    except (OSError, ValueError, KeyError, yaml.YAMLError, TraceabilityError) as error:
        print(f"promises: {error}", file=sys.stderr)
        return 2
    record, defects = old["promises"], dict(old["defects"])
    for run in runs:
        record = merged(record, record_of(scenarios, run["broken"]), set(run["broken"]))
        defects.update(run.get("defects", {}))
    named = credited(record)
    defects = {name: defect for name, defect in sorted(defects.items()) if name in named}
    if args.update:
        args.update.write_text(json.dumps({"promises": record, "defects": defects}, indent=1) + "\n")
    page = render(scenarios, record, defects, excuses)
    if args.write:
        args.write.write_text(page)
        total, kept = counts(scenarios, record)
        print(f"promises: wrote {args.write} ({kept} of {total} promises broken by a mutant)")
    else:
        print(page, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
