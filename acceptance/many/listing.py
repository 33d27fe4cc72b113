"""The list of repositories to gate (one per line: a local path or a git URL, then optionally a profile), and its shards."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# The URL schemes git clones from; anything else with "://" is a typo, said at once rather than after a failed clone.
GIT_SCHEMES = ("https", "http", "ssh", "git", "file")
# git's scp-like form: user@host:path (no "://").
SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")
SLUG_CHARACTER = re.compile(r"[^A-Za-z0-9._-]+")
# A comment starts the line or follows a blank; a "#" inside a URL (a fragment) is not one.
COMMENT = re.compile(r"(^|\s)#.*$")
LIST_FORMAT = "each line: REPOSITORY [PROFILE], REPOSITORY a local path or a git URL; blank lines and # comments allowed"


class ListError(Exception):
    """The list cannot be used: every problem on a line of its own, with its line number and the fix."""


@dataclasses.dataclass(frozen=True)
class Entry:
    """One repository of the list: where it is (a path or a URL), the profile to judge it with (None: draft one)."""

    line: int  # in the list file, from 1
    repository: str  # as written
    profile: str | None  # as written; None: draft one
    base: Path = Path()  # what a relative path is relative to (where the tool runs)

    @property
    def path(self) -> Path:
        """The local checkout (a path entry only)."""
        return self.base / self.repository

    @property
    def profile_path(self) -> Path | None:
        return self.base / self.profile if self.profile else None

    @property
    def is_url(self) -> bool:
        return "://" in self.repository or bool(SCP_LIKE.match(self.repository))

    @property
    def label(self) -> str:
        """The repository as the table shows it: a URL without any user or token it carries (tables get published)."""
        if self.is_url:
            return redacted(self.repository)
        return f"{self.repository} ({self.path.resolve().name})" if self.repository in (".", "..") else self.repository

    @property
    def slug(self) -> str:
        """The name of its run directory: its line number, then its last path part ('007-hackathon-2-phase4')."""
        tail = self.repository.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        name = SLUG_CHARACTER.sub("-", self.path.resolve().name if tail in (".", "..", "") else tail).strip("-") or "repository"
        return f"{self.line:03d}-{name[:60]}"


def redacted(url: str) -> str:
    """url without the user and password of its authority (https://token@host/x -> https://host/x)."""
    parts = urlsplit(url)
    if "://" not in url or "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def parse_line(number: int, text: str, base: Path) -> Entry | None:
    """The entry of one line (None for a blank line or a comment); relative paths are taken from base.

    Raises:
        ListError: more than two fields, or a URL git cannot clone.
    """
    fields = COMMENT.sub("", text).split()
    if not fields:
        return None
    if len(fields) > 2:
        raise ListError(f"line {number}: {len(fields)} fields in {text.strip()!r}; {LIST_FORMAT} (paths with spaces are not supported)")
    repository = fields[0]
    if "://" in repository and urlsplit(repository).scheme not in GIT_SCHEMES:
        raise ListError(f"line {number}: {redacted(repository)!r} is not a URL git clones ({', '.join(GIT_SCHEMES)}); {LIST_FORMAT}")
    return Entry(number, repository, fields[1] if len(fields) == 2 else None, base)


def parse(text: str, base: Path) -> list[Entry]:
    """Every entry of a list's text, relative paths taken from base (where the tool runs).

    Raises:
        ListError: a line is malformed, or names a local repository or a profile that does not exist; all of them, at once.
    """
    entries, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            entry = parse_line(number, line, base)
        except ListError as problem:
            problems.append(str(problem))
            continue
        if entry is None:
            continue
        if not entry.is_url and not entry.path.is_dir():
            problems.append(f"line {number}: the repository {entry.path} is not a directory; give a local checkout or a git URL")
        if entry.profile_path is not None and not entry.profile_path.is_file():
            problems.append(f"line {number}: the profile {entry.profile_path} does not exist; give a profile file, or none to draft one")
        entries.append(entry)
    if not entries and not problems:
        problems.append(f"the list names no repository; {LIST_FORMAT}")
    if problems:
        raise ListError("\n".join(problems))
    return entries


def read(path: Path, base: Path) -> list[Entry]:
    """The entries of the list file at path (see parse).

    Raises:
        ListError: the file cannot be read, or its lines are wrong.
    """
    try:
        text = path.read_text()
    except OSError as error:
        raise ListError(f"cannot read the list {path}: {error.strerror or error}") from None
    return parse(text, base)


def fingerprint(entries: list[Entry]) -> str:
    """A digest of the whole list, so a merge can tell shards of one list from shards of another."""
    return hashlib.sha256("\n".join(f"{entry.line} {entry.repository} {entry.profile or ''}" for entry in entries).encode()).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class Shard:
    """Shard index of count (from 1): every count-th entry, starting at the index-th."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """'2/3' -> Shard(2, 3).

        Raises:
            ListError: not I/N with 1 <= I <= N.
        """
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise ListError(f"SHARD={text!r}: give I/N with 1 <= I <= N, e.g. SHARD=2/3 runs the 2nd, 5th, 8th... repository")
        return cls(int(match[1]), int(match[2]))

    def select(self, entries: list[Entry]) -> list[Entry]:
        return entries[self.index - 1::self.count]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


WHOLE_LIST = Shard(1, 1)
