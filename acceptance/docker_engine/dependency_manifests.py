"""Which copied files are dependency manifests: the files a package manager installs from, nothing else.

A Dockerfile that copies only these before its install keeps the install's layer cached until they change. A feature
names one pattern per image ("package*.json", "requirements*.txt"); a team may install from another file of the same
package managers (pyproject.toml and uv.lock, Pipfile.lock, yarn.lock), which keeps the cache just as well, so the
pattern stands for its whole family.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import PurePosixPath

# Per family of package managers, the file names (fnmatch patterns) their installers read.
FAMILIES: dict[str, tuple[str, ...]] = {
    # pip (requirements.txt, requirements-prod.txt, ...; pyproject.toml for `pip install .`), uv (uv.lock),
    # Poetry (poetry.lock), Pipenv (Pipfile, Pipfile.lock).
    "python": ("requirements*.txt", "pyproject.toml", "uv.lock", "poetry.lock", "Pipfile", "Pipfile.lock"),
    # npm (package.json, package-lock.json, npm-shrinkwrap.json), Yarn (yarn.lock), pnpm (pnpm-lock.yaml).
    "node": ("package*.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"),
}


def family(pattern: str) -> tuple[str, ...]:
    """The manifest patterns of the family that lists pattern; a pattern no family lists stands alone.

    Args:
        pattern: a manifest's file-name pattern as a feature names it ("requirements*.txt").
    """
    return next((patterns for patterns in FAMILIES.values() if pattern in patterns), (pattern,))


def is_manifest(path: str, pattern: str) -> bool:
    """Whether a copied path's file name is a manifest of the family pattern names ("pyproject.toml" for "requirements*.txt").

    Args:
        path: a path as copied from the build context (a glob's match, never the glob itself).
        pattern: the manifest pattern the feature names.
    """
    return any(fnmatchcase(PurePosixPath(path).name, manifest) for manifest in family(pattern))
