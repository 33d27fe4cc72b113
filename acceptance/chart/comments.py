"""Source code without its comments: a name only a comment holds (`# TODO: read APP_ENV`) is no read of it.

Python is split by its own tokenizer, so a `#` inside a string stays code. JavaScript and TypeScript are scanned for
their strings and comments alone (no parser of theirs is at hand): a string ('...', "..." or a template literal)
is kept whole, so `"http://host"` is no comment. Two cases that scan leaves as code: a regular-expression literal
holding a quote or `//`, and JSX text holding an apostrophe before a comment on its line; what it leaves is kept, so
it errs towards finding a read, never towards judging a name unread that the code reads.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

JAVASCRIPT_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx")
# A string of JavaScript (quoted strings end at their line's end, as the language's do) or a comment; tried from each
# position in turn, so whichever starts first wins: a // inside a string is part of the string.
STRING_OR_COMMENT = re.compile(r"""
    (?P<string> "(?:\\.|[^"\\\n])*" | '(?:\\.|[^'\\\n])*' | `(?:\\.|[^`\\])*` )
  | (?P<comment> //[^\n]* | /\*.*?\*/ )
""", re.VERBOSE | re.DOTALL)


def code(path: Path, text: str) -> str:
    """The text of a source file with its comments dropped, by its suffix; a language without a rule here keeps them.

    Args:
        path: the file, for its suffix (.py, or one of JAVASCRIPT_SUFFIXES).
        text: its content.
    """
    if path.suffix == ".py":
        return python_code(text)
    if path.suffix in JAVASCRIPT_SUFFIXES:
        return javascript_code(text)
    return text


def python_code(text: str) -> str:
    """Python's tokens but its comments, joined by spaces; the text unchanged if the tokenizer refuses it (an unclosed
    bracket, a bad dedent): a file the suite cannot split still counts what it names."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text
    return " ".join(token.string for token in tokens if token.type != tokenize.COMMENT)


def javascript_code(text: str) -> str:
    """JavaScript or TypeScript with its // and /* */ comments replaced by a space, its strings kept."""
    return STRING_OR_COMMENT.sub(lambda found: found.group("string") or " ", text)
