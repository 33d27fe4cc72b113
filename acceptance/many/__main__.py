"""make gate-many / gate-many-merge: the suite on every repository of a list, one table (many.html, many.csv) of them.

Exit 0 when the table is written, whatever the teams' verdicts (a run that judged nothing is a row with its cause);
2 when the tool itself cannot run (a wrong list, option or shard, no pytest), with the fix; 130 on Ctrl-C."""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
from pathlib import Path

from acceptance.core.names import TIERS
from acceptance.many import listing, results
from acceptance.many.gate import Plan, gate_all
from acceptance.report import traceability

DEFAULT_OUT = Path("reports/many")
RUN_TIMEOUT = 3600.0


class UsageProblem(Exception):
    """The tool cannot run as asked; the message has the fix."""


def tiers_of(text: str) -> tuple[str, ...]:
    """'static,image' -> ('static', 'image'), in the suite's order.

    Raises:
        UsageProblem: an unknown tier, or none.
    """
    asked = [tier.strip() for tier in text.split(",") if tier.strip()]
    unknown = [tier for tier in asked if tier not in TIERS]
    if unknown or not asked:
        raise UsageProblem(f"TIERS={text!r}: give tiers among {', '.join(TIERS)}, comma-separated (e.g. TIERS=static,image)")
    return tuple(tier for tier in TIERS if tier in asked)


def run_list(args: argparse.Namespace) -> int:
    entries = listing.read(args.list, Path.cwd())
    shard = listing.Shard.parse(args.shard)
    if args.jobs < 1:
        raise UsageProblem(f"JOBS={args.jobs}: give at least 1")
    if importlib.util.find_spec("pytest") is None:
        raise UsageProblem(f"{sys.executable} has no pytest: run make setup, then make gate-many")
    chosen = shard.select(entries)
    if any(entry.is_url for entry in chosen) and shutil.which("git") is None:
        raise UsageProblem("the list names git URLs and git is not installed: install git (apt-get install git)")
    plan = Plan(args.out.resolve(), tiers_of(args.tiers), args.timeout, sys.executable)
    print(f"gate-many: {len(chosen)} of {len(entries)} repositories (shard {shard}), {args.jobs} at a time, tiers {plan.marker}, into {args.out}",
          flush=True)
    found = results.Results(listing.fingerprint(entries), shard, plan.tiers, gate_all(chosen, plan, args.jobs))
    results.write(traceability.load(), found, args.out)
    print(f"gate-many: {results.about(found, 1)} Table: {args.out / results.HTML_FILE}, {args.out / results.CSV_FILE}", flush=True)
    return 0


def merge_shards(args: argparse.Namespace) -> int:
    merged = results.merge(args.directories, args.out)
    results.write(traceability.load(), merged, args.out, shards=len(args.directories))
    print(f"gate-many-merge: {results.about(merged, len(args.directories))} Table: {args.out / results.HTML_FILE}", flush=True)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m acceptance.many", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)
    gate = commands.add_parser("run", help="gate every repository of LIST (or of one shard of it)")
    gate.add_argument("list", type=Path, help=f"the list: {listing.LIST_FORMAT}; relative paths from the current directory")
    gate.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the table and each repository's runs/ go (default reports/many)")
    gate.add_argument("--jobs", type=int, default=1, help="repositories at once (image and cluster tiers still one at a time)")
    gate.add_argument("--shard", default="1/1", help="I/N: only every N-th repository, from the I-th (for CI jobs; merge them after)")
    gate.add_argument("--tiers", default="static", help="comma-separated, among static, image, cluster (default static)")
    gate.add_argument("--timeout", type=float, default=RUN_TIMEOUT, help="seconds one repository's run may take (default 3600)")
    gate.set_defaults(handler=run_list)
    join = commands.add_parser("merge", help="one table from the OUT directories of every shard")
    join.add_argument("directories", type=Path, nargs="+", help="each shard's OUT directory (holding results.json and runs/)")
    join.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the merged table goes (default reports/many)")
    join.set_defaults(handler=merge_shards)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.handler(args)
    except (UsageProblem, listing.ListError, results.MergeError, traceability.TraceabilityError) as problem:
        print(f"gate-many: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gate-many: interrupted; the running suites were stopped, no table written", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
