"""What the scripts call things: the release name and the Secret the deploy script makes from .env."""

from __future__ import annotations

import re
from pathlib import Path

from acceptance.draft.guess import Guess, missing

RELEASE_ASSIGNMENT = re.compile(r"""^\s*(?:readonly\s+|export\s+|local\s+|declare\s+\S+\s+)?"""
                                r"""(?:default_|DEFAULT_)?(?:RELEASE|release)(?:_NAME|_name)?=["']?([a-z][-a-z0-9]*)["']?""", re.MULTILINE)
# The release in a script's text: a variable that holds it, or the word RELEASE its usage text uses for it.
RELEASE_WORD = r"(?:\$\{?\w*(?:RELEASE|release)\w*\}?|RELEASE)"
SECRET_NAME = re.compile(rf"""{RELEASE_WORD}-([a-z0-9][-a-z0-9]*)""")


def script_texts(deploy_script: Path) -> list[tuple[Path, str]]:
    """The deploy script and the scripts beside it (a lib.sh it sources names the release too), deploy script first."""
    if not deploy_script.is_file():
        return []
    beside = sorted(path for path in deploy_script.parent.glob("*.sh") if path != deploy_script)
    return [(path, path.read_text(errors="replace")) for path in (deploy_script, *beside)]


def release(deploy_script: Path, chart_name: str) -> Guess:
    """The release name the deploy script installs: its RELEASE=... default, else the chart's name."""
    for path, text in script_texts(deploy_script):
        if found := RELEASE_ASSIGNMENT.search(text):
            return Guess(found.group(1), f"{path.name} sets it ({found.group(0).strip()})")
    return missing(chart_name, f"no RELEASE=... in {deploy_script.name}; the chart's name")


def deploy_secret(deploy_script: Path, chart_secret: str | None) -> Guess:
    """The Secret the deploy script makes from .env: RELEASE-<suffix> on a line that speaks of a secret."""
    for path, text in script_texts(deploy_script):
        for line in text.splitlines():
            if "secret" in line.lower() and (found := SECRET_NAME.search(line)):
                return Guess({"kind": "Secret", "name": "{release}-" + found.group(1)},
                             f"{path.name}: {line.strip()[:90]}")
    name = chart_secret or "{release}-secret"
    return missing({"kind": "Secret", "name": name}, f"no RELEASE-NAME Secret in {deploy_script.name}; the chart's own Secret")
