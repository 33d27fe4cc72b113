"""What a COPY or ADD source copies from the build context: a source holding a glob names the paths it matches there.

Docker matches such a source against the context as Go's filepath.Match does: segment by segment, so `*` and `?`
never cross a `/`, and `[^...]` negates a class. A glob that matches nothing copies nothing (`package-lock.json*`
when no lockfile is committed), so what a glob copies is known only from the context, not from its text.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

GLOB = re.compile(r"[*?\[]")


def is_glob(source: str) -> bool:
    """Whether a source holds a wildcard (`*`, `?` or a `[...]` class)."""
    return GLOB.search(source) is not None


def segment_pattern(segment: str) -> str:
    """One path segment of a Docker glob as an fnmatch pattern: Go negates a class with `^`, fnmatch with `!`."""
    return segment.replace("[^", "[!")


def matches(source: str, context: Path) -> list[str]:
    """The paths of the build context (relative, POSIX) that source copies: itself if it holds no glob, else its matches.

    Args:
        source: a COPY or ADD source as written (relative to the context; a leading `/` or `./` means the same).
        context: the build context's directory.

    Returns:
        The matched paths in the order Docker walks them (sorted per directory); empty when a glob matches nothing.
    """
    if not is_glob(source):
        return [source]
    found = [PurePosixPath()]
    for segment in PurePosixPath(source.lstrip("/")).parts:
        found = [prefix / name for prefix in found for name in matching_names(context / prefix, segment)]
    return [str(path) for path in found]


def matching_names(directory: Path, segment: str) -> list[str]:
    """The entries of directory that one segment of a source names (a literal segment: itself, if it exists)."""
    if not is_glob(segment):
        return [segment] if (directory / segment).exists() else []
    if not directory.is_dir():
        return []
    return sorted(entry.name for entry in directory.iterdir() if fnmatchcase(entry.name, segment_pattern(segment)))
