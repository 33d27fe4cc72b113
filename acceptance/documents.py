"""Reading the deployment's scripts, env files and guide: strict mode, defined names, Markdown sections."""

from __future__ import annotations

import os
import re
from pathlib import Path

STRICT_MODE = re.compile(r"^\s*set -(euo pipefail|eu -o pipefail|o errexit -o nounset -o pipefail)\b", re.MULTILINE)


def script_problems(script: Path) -> list[str]:
    """Why script is not an executable bash script in strict mode."""
    text = script.read_text()
    problems = [] if os.access(script, os.X_OK) else [f"{script.name} is not executable (chmod +x)"]
    if not (text.startswith("#!") and "bash" in text.splitlines()[0]):
        problems.append(f"{script.name} does not start with a bash shebang")
    if not STRICT_MODE.search(text):
        problems.append(f"{script.name} does not `set -euo pipefail`")
    return problems


def defined_names(env_file: Path) -> set[str]:
    """The variables an env file or shell script assigns (NAME=..., export NAME=...)."""
    return set(re.findall(r"^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=", env_file.read_text(), re.MULTILINE))


def headings(markdown: str) -> list[str]:
    return [match.strip() for match in re.findall(r"^#{1,6}\s+(.+)$", markdown, re.MULTILINE)]


def missing_sections(markdown: str, names: list[str]) -> list[str]:
    """The names no heading is, starts with, or ends with (case-insensitive)."""
    found = [heading.lower() for heading in headings(markdown)]
    return [name for name in names if not any(heading == name.lower() or heading.endswith(" " + name.lower()) or heading.startswith(name.lower()) for heading in found)]


def section(markdown: str, title: str) -> str | None:
    """The body of the first section whose heading contains title, up to the next heading of its level; None if absent."""
    match = re.search(rf"^(#{{1,6}})\s+[^\n]*{re.escape(title)}[^\n]*\n(.*?)(?=^\1\s|\Z)", markdown, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    return match.group(2) if match else None
