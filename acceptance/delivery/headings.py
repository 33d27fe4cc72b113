"""The headings of a Markdown document as a renderer finds them, by markdown-it-py (CommonMark), and their sections.

A line starting with `#` inside a fenced block (``` or ~~~, with an info string, or a longer fence holding shorter
ones) or an indented code block is code, however it reads (`# then open http://127.0.0.1:8080/`); a line underlined
with `===` or `---` (a setext heading) is a heading. Only top-level headings head sections of the document: one inside
a list item or a quote is part of the item.
"""

from __future__ import annotations

import dataclasses
import re

from markdown_it import MarkdownIt


@dataclasses.dataclass(frozen=True)
class Heading:
    """One heading: its level (1 for `#` or `===`), its text as written, and the lines it spans (0-based, end excluded)."""

    level: int
    title: str
    start: int
    end: int


def lines(markdown: str) -> list[str]:
    """The document's lines as the parser numbers them (it reads \\r\\n and \\r as \\n)."""
    return re.sub(r"\r\n?", "\n", markdown).split("\n")


def headings(markdown: str) -> list[Heading]:
    """The document's top-level headings, in order."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [Heading(int(token.tag[1:]), tokens[index + 1].content.strip(), token.map[0], token.map[1])
            for index, token in enumerate(tokens) if token.type == "heading_open" and token.level == 0 and token.map]


def body(markdown: str, heading: Heading) -> str:
    """What a heading's section holds: the lines after it up to the next heading of its level or a higher one."""
    found, text = headings(markdown), lines(markdown)
    end = next((other.start for other in found if other.start > heading.start and other.level <= heading.level), len(text))
    return "\n".join(text[heading.end:end])
