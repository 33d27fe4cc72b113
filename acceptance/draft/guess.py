"""A drafted value and the comment that says why it was chosen, and the draft written as commented YAML.

A reader checks a draft by its comments: each guess names its evidence, what else was seen, or "not found: fill in".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

NOT_FOUND = "not found: fill in"
LONG = 100  # characters: a mapping longer than this is written one key a line


@dataclasses.dataclass(frozen=True)
class Guess:
    """One drafted value; `comment` says why (its evidence), or that nothing was found and what was picked instead."""

    value: Any
    comment: str

    @property
    def found(self) -> bool:
        return not self.comment.startswith("not found")


def missing(value: Any, why: str = "") -> Guess:
    """A value the draft could not find: the most likely one, with a comment that says so."""
    return Guess(value, f"{NOT_FOUND} ({why})" if why else NOT_FOUND)


def none_offered(why: str) -> Guess:
    """A part the repository does not have: null, so the scenarios that need it fail naming it (a guessed path would
    make the profile disagree with the repository and leave every scenario not judged)."""
    return Guess(None, f"{NOT_FOUND} ({why}; null: the repository offers none, and the scenarios that need it fail)")


def chosen(candidates: Sequence[Any], why: str, what: str = "") -> Guess | None:
    """The first candidate, with the others named in the comment; None when there is none."""
    if not candidates:
        return None
    others = f"; also seen: {', '.join(map(str, candidates[1:4]))}{' ...' if len(candidates) > 4 else ''}" if len(candidates) > 1 else ""
    return Guess(candidates[0], f"{why}{others}" if not what else f"{what}: {why}{others}")


# A draft: nested mappings whose leaves are Guesses (commented) or plain values (uncommented).
Draft = dict[str, Any]


def plain(node: Any) -> Any:
    """The draft as the profile's data: Guesses replaced by their values (for validation)."""
    if isinstance(node, Guess):
        return plain(node.value)
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def flow(value: Any) -> str:
    """One value in YAML flow style, on one line."""
    text = yaml.safe_dump(plain(value), default_flow_style=True, width=1_000_000, allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def has_guess(node: Any) -> bool:
    """Whether a Guess lies anywhere in node: such a mapping is written in block style, so each guess keeps its comment."""
    if isinstance(node, Guess):
        return True
    return isinstance(node, dict) and any(has_guess(child) for child in node.values())


def comment_of(node: Any) -> str:
    return f"  # {' '.join(node.comment.split())}" if isinstance(node, Guess) and node.comment else ""  # one line, whatever a tool said


def lines(draft: Draft, indent: int = 0) -> Iterable[str]:
    """The draft as block YAML: a mapping per level, each leaf on one line with its comment."""
    pad = " " * indent
    for key, node in draft.items():
        name = flow(key)
        inner = node.value if isinstance(node, Guess) else node
        if isinstance(inner, dict) and (has_guess(inner) or len(flow(inner)) > LONG):
            yield f"{pad}{name}:{comment_of(node)}"
            yield from lines(inner, indent + 2)
        elif isinstance(inner, list) and inner and all(isinstance(item, dict) for item in inner):
            yield f"{pad}{name}:{comment_of(node)}"  # a list of records (declined): one record per item, one key per line
            for item in inner:
                yield from (f"{pad}  {'-' if index == 0 else ' '} {line.strip()}" for index, line in enumerate(lines(item)))
        else:
            yield f"{pad}{name}: {flow(inner)}{comment_of(node)}"


def as_yaml(draft: Draft, header: Sequence[str]) -> str:
    """The draft as a profile file: the header as comment lines, then the keys."""
    return "\n".join([*(f"# {line}" for line in header), *lines(draft)]) + "\n"
