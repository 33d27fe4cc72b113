"""`python -m acceptance.profile draft DIR [--project-root=ROOT]`: the drafted profile of DIR on stdout, as YAML."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from acceptance.draft.guess import as_yaml
from acceptance.draft.profile_draft import Drafter

# Where setup.sh puts the helm the suite runs with: first on PATH here too, so the draft renders the chart as a run does.
TOOLS_BIN = Path(__file__).resolve().parents[2] / ".tools" / "bin"

HEADER = ["A drafted deployment profile: every value is a guess, its comment says why, or 'not found: fill in'.",
          "Check each against the repository, then run: .venv/bin/pytest -m static --profile=THIS_FILE --project-root=ROOT",
          "Schema: acceptance/profile/schema.json. Paths are relative to the project root, {root}."]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m acceptance.profile", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    drafting = commands.add_parser("draft", help="print a first profile for the repository at DIR")
    drafting.add_argument("directory", type=Path, help="where the deployment lives (its chart, Dockerfiles, scripts, guide)")
    drafting.add_argument("--project-root", type=Path, default=None,
                          help="the project root the paths are relative to (default: DIR); build contexts may lie anywhere in it")
    arguments = parser.parse_args(argv)
    directory: Path = arguments.directory
    root: Path = arguments.project_root or directory
    if not directory.is_dir() or not root.is_dir():
        parser.error(f"not a directory: {directory if not directory.is_dir() else root}")
    if not directory.resolve().is_relative_to(root.resolve()):
        parser.error(f"{directory} is not inside the project root {root}")
    if TOOLS_BIN.is_dir():
        os.environ["PATH"] = os.pathsep.join([str(TOOLS_BIN), os.environ.get("PATH", "")])
    drafter = Drafter(directory, root)
    if drafter.parts.rendering.problem:  # the draft is still printed, every guess that needed the rendering marked not found
        print(f"draft: the chart was not rendered ({drafter.parts.rendering.problem}); labels, containers, probes and "
              "resources are marked 'not found': fix that and draft again", file=sys.stderr)
    header = [line.format(root=root.resolve()) for line in HEADER]
    sys.stdout.write(as_yaml(drafter.draft(), header))
    return 0
