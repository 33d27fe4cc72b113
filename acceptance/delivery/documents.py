"""Reading the deployment's scripts, env files and guide: strict mode, defined names, Markdown sections."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from acceptance.delivery import headings as markdown_headings

STRICT_MODE = re.compile(r"^\s*set -(euo pipefail|eu -o pipefail|o errexit -o nounset -o pipefail)\b", re.MULTILINE)


def read_text(path: Path) -> str:
    """A text file of the deployment, its undecodable bytes shown as U+FFFD rather than failing the read."""
    return path.read_text(errors="replace")


@dataclasses.dataclass(frozen=True)
class Guide:
    """The deployment guide as one Markdown text: its files joined in reading order (a guide may be split in parts),
    each line of the text traced back to its file for messages."""

    text: str
    starts: tuple[tuple[int, str], ...] = ()  # (the text's line where a file starts, the file's name)

    @classmethod
    def read(cls, root: Path, files: list[Path]) -> Guide:
        texts, starts, line = [], [], 1
        for path in files:
            text = read_text(path).rstrip("\n") + "\n"
            starts.append((line, path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)))
            texts.append(text)
            line += text.count("\n") + 1  # the blank line that joins it to the next
        return cls("\n".join(texts), tuple(starts))

    def where(self, line: int) -> str:
        """'deployment/README.md line 12' for a line of the joined text."""
        start, name = max((start for start in self.starts if start[0] <= line), default=(1, "guide"))
        return f"{name} line {line - start + 1}"


def script_problems(script: Path) -> list[str]:
    """Why script is not an executable bash script in strict mode."""
    text = read_text(script)
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
    """The texts of the document's headings as a Markdown renderer shows them (none from a code block)."""
    return [heading.title for heading in markdown_headings.headings(markdown)]


def missing_sections(markdown: str, sections: dict[str, list[str]]) -> list[str]:
    """The sections none of whose headings is, starts or ends a heading of markdown (case-insensitive)."""
    found = [heading.lower() for heading in headings(markdown)]

    def present(name: str) -> bool:
        return any(heading == name.lower() or heading.endswith(" " + name.lower()) or heading.startswith(name.lower()) for heading in found)

    return [section for section, names in sections.items() if not any(present(name) for name in names)]


def first_section(markdown: str, titles: list[str]) -> str | None:
    """The body of the first of titles that the markdown has as a section; None if none."""
    return next((body for body in (section(markdown, title) for title in titles) if body is not None), None)


def section(markdown: str, title: str) -> str | None:
    """The body of the first section whose heading contains title (case-insensitive), up to the next heading of its level
    or a higher one; None if absent."""
    heading = next((heading for heading in markdown_headings.headings(markdown) if title.lower() in heading.title.lower()), None)
    return markdown_headings.body(markdown, heading) if heading else None
