"""The deployment guide as an executable document: its marked shell blocks, run in order, and their documented output.

A block a user types is marked by an HTML comment the Markdown renderer hides, on the line before its fence:

    <!-- run: deploy -->                    every provider
    <!-- run: load provider=local -->       only when the cluster under test is that provider
    <!-- run: cleanup answer=y -->          the user answers "y" to the script's question

Its documented output, when the guide shows one, is the ```text block after an `<!-- output: NAME -->` marker.
Each documented line must match a line of what the commands printed, in order; `...` stands for any text and
a run of spaces for any run of whitespace (kubectl's columns widen with the names).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from acceptance.core.run import Result, run

MARKER = re.compile(r"^<!--\s*(run|output):\s*(\S+)((?:\s+\w+=\S+)*)\s*-->\s*$")
FENCE = re.compile(r"^```(\w*)")
STEP_LINE = "@@guide step {name}@@"


@dataclasses.dataclass
class Block:
    """One marked block of the guide: a step's commands (with the provider they are for), or its documented output."""

    kind: str  # "run" or "output"
    name: str
    text: str
    line: int
    options: dict[str, str]

    @property
    def provider(self) -> str | None:
        return self.options.get("provider")


class GuideError(AssertionError):
    """The guide's markers are malformed or a step it must have is missing: the message names the line."""


def blocks(markdown: str) -> list[Block]:
    """Every marked block of the guide, in order; GuideError when a marker is not followed by a fenced block."""
    lines = markdown.splitlines()
    found = []
    for number, line in enumerate(lines):
        marker = MARKER.match(line.strip())
        if not marker:
            continue
        kind, name, options = marker.group(1), marker.group(2), dict(option.split("=", 1) for option in marker.group(3).split())
        fence = FENCE.match(lines[number + 1]) if number + 1 < len(lines) else None
        wanted = "text" if kind == "output" else "bash"
        if not fence or fence.group(1) != wanted:
            raise GuideError(f"guide line {number + 1}: the marker {line.strip()!r} must be followed by a ```{wanted} block")
        end = next((index for index in range(number + 2, len(lines)) if lines[index].startswith("```")), None)
        if end is None:
            raise GuideError(f"guide line {number + 2}: the ```{wanted} block never ends")
        found.append(Block(kind, name, "\n".join(lines[number + 2:end]), number + 1, options))
    return found


def step(markdown: str, name: str, provider: str) -> tuple[Block | None, Block | None]:
    """The commands of step name for provider (a block for that provider wins over one for all), and its documented output."""
    found = blocks(markdown)
    candidates = [block for block in found if block.kind == "run" and block.name == name and block.provider in (None, provider)]
    commands = next((block for block in candidates if block.provider == provider), candidates[0] if candidates else None)
    output = next((block for block in found if block.kind == "output" and block.name == name), None)
    return commands, output


def line_pattern(documented: str) -> re.Pattern[str]:
    """A documented output line as a pattern: `...` is any text, a run of spaces any run of whitespace."""
    pieces = [r"\s+".join(re.escape(word) for word in piece.split()) for piece in documented.strip().split("...")]
    return re.compile(".*".join(pieces))


def unmatched(documented: str, actual: str) -> list[str]:
    """The documented lines that no line of actual matches, looking for each after the previous match."""
    actual_lines = [line.strip() for line in actual.splitlines()]
    missing, position = [], 0
    for line in filter(str.strip, documented.splitlines()):
        pattern = line_pattern(line)
        found = next((index for index in range(position, len(actual_lines)) if pattern.fullmatch(actual_lines[index])), None)
        if found is None:
            missing.append(line.strip())
        else:
            position = found + 1
    return missing


@dataclasses.dataclass
class StepRun:
    """What one run of guide steps printed, step by step, and how the shell ended."""

    names: list[str]
    result: Result

    def output(self, name: str) -> str:
        """What step name printed (stdout and stderr as a terminal shows them)."""
        parts = re.split(r"^@@guide step (\S+)@@$", self.result.stdout, flags=re.MULTILINE)
        return "".join(parts[index + 1] for index in range(1, len(parts) - 1, 2) if parts[index] == name)

    @property
    def last_step(self) -> str | None:
        started = re.findall(r"^@@guide step (\S+)@@$", self.result.stdout, flags=re.MULTILINE)
        return started[-1] if started else None


def script(steps: list[Block]) -> str:
    """One shell session running the steps in order, as a user types them into one terminal.

    Jobs a step starts in the background (a port-forward) live until the session ends; then they are stopped.
    """
    body = ["set -euo pipefail", "exec 2>&1", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for block in steps:
        body += [f"printf '\\n%s\\n' '{STEP_LINE.format(name=block.name)}'", block.text]
    return "\n".join(body) + "\n"


def run_steps(steps: list[Block], *, cwd: Path, env: dict[str, str], timeout: float, stream: Callable[[str], None] | None = None) -> StepRun:
    """Run the steps in one bash session in cwd; the answers the steps' markers give are its standard input."""
    answers = "".join(f"{block.options['answer']}\n" for block in steps if "answer" in block.options)
    result = run(["bash", "-c", script(steps)], timeout=timeout, cwd=cwd, env=env, input_text=answers, stream=stream)
    return StepRun([block.name for block in steps], result)
