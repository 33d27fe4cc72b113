"""What a build context sends the builder, by its .dockerignore: files a user leaves beside the sources (a .env with
credentials, the .git directory, local dependencies) must stay out, whatever the Dockerfile copies later.

Docker reads `<Dockerfile>.dockerignore` beside the Dockerfile first, then the context's `.dockerignore`. The patterns
are applied by the Docker SDK's own implementation of their rules (Go's filepath.Match, `**`, `!` exceptions), to a
scratch directory holding only the ignore file and the planted files: a large context is never copied.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from docker.utils.build import exclude_paths


def ignore_file(context: Path, dockerfile: Path) -> Path | None:
    """The ignore file Docker reads for this Dockerfile and context; None when there is none."""
    for candidate in (dockerfile.with_name(f"{dockerfile.name}.dockerignore"), context / ".dockerignore"):
        if candidate.is_file():
            return candidate
    return None


def patterns(path: Path | None) -> list[str]:
    """The patterns of an ignore file, comments and blank lines left out (as Docker reads it)."""
    if path is None:
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#")]


def sent_to_builder(context: Path, dockerfile: Path, planted: list[str]) -> list[str]:
    """Which of the planted paths (files, relative to the context) the build would send the builder."""
    with tempfile.TemporaryDirectory(prefix="dockerignore-") as scratch:
        root = Path(scratch)
        for name in planted:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("planted by the acceptance suite\n")
        sent = set(exclude_paths(str(root), patterns(ignore_file(context, dockerfile))))
    return [name for name in planted if name in sent]
