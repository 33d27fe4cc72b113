"""The files of a repository as the drafter sees them: relative paths, vendored and generated folders left out."""

from __future__ import annotations

import dataclasses
import functools
import os
from pathlib import Path

# Folders that hold no part of the deployment: version control, dependencies, virtualenvs, caches, build output.
SKIPPED = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tools", ".mypy_cache", ".ruff_cache", ".pytest_cache",
           "dist", "build", "reports", ".next", "coverage"}


@dataclasses.dataclass(frozen=True)
class Repository:
    """A repository searched from `search` (where the deployment lives), paths written relative to `root`."""

    root: Path      # absolute, as the drafter resolves it
    search: Path

    @functools.cached_property
    def files(self) -> list[Path]:
        """Every file under the search folder, shallowest first, then by name."""
        found = []
        for folder, folders, names in os.walk(self.search):
            folders[:] = [name for name in folders if name not in SKIPPED]  # pruned: node_modules alone may hold 100k files
            found += [Path(folder) / name for name in names]
        return sorted(found, key=lambda path: (len(path.relative_to(self.search).parts), str(path)))

    def relative(self, path: Path) -> str:
        """The path relative to the root, symlinks not followed (a link may point out of the repository)."""
        return path.absolute().relative_to(self.root).as_posix()

    def inner(self, path: Path) -> str:
        """The path relative to the search folder: what says whether it lies in an examples or tests folder."""
        return path.absolute().relative_to(self.search).as_posix()

    def named(self, *patterns: str) -> list[Path]:
        """The files whose name matches one of the glob patterns (case-insensitive), shallowest first."""
        return [path for path in self.files if any(path.match(pattern) or path.name.lower() == pattern.lower() for pattern in patterns)]

    def text(self, path: Path) -> str:
        try:
            return path.read_text(errors="replace")
        except OSError:
            return ""
