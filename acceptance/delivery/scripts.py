"""The deployment's scripts by role, a fresh checkout of them to run in (the sandbox's), and the .env copy they make."""

from __future__ import annotations

import shutil
from pathlib import Path

from acceptance.profile.model import Profile

# The seed's script names, and the role each plays; a profile names the deployment's own file for each role.
ROLES = {"minikube-setup.sh": "setup", "build-images.sh": "build", "deploy.sh": "deploy", "cleanup.sh": "cleanup"}


def role_of(name: str) -> str:
    return ROLES[name]


def fresh_checkout(project_root: Path, destination: Path, profile: Profile) -> Path:
    """The deployment scripts (their directories), the chart and the env example copied as a checkout of their own (no
    .env): a script that writes into its repository writes there, never into the project under test. A part the project
    lacks, or the profile says it does not offer, is left out, for the scenario that needs it to name."""
    directories = {Path(profile.path("scripts", role)).parent for role in ROLES.values() if profile.offers("scripts", role)}
    for directory in sorted(directories | {Path(profile.path("chart"))}):
        if (project_root / directory).is_dir():
            shutil.copytree(project_root / directory, destination / directory, symlinks=True, dirs_exist_ok=True)
    if profile.offers("env_example"):
        example = Path(profile.path("env_example"))
        (destination / example).parent.mkdir(parents=True, exist_ok=True)
        if (project_root / example).is_file():
            shutil.copy2(project_root / example, destination / example)
    for left in destination.rglob(".env"):  # a .env kept beside the scripts: a fresh checkout has none (nor its credentials)
        left.unlink()
    return destination


def private_copy_problem(copy: Path, original: Path) -> str | None:
    """Why copy is not original's text readable by its owner only; None when it is."""
    if not copy.is_file():
        return f"there is no {copy.name} next to {original.name}"
    mode = copy.stat().st_mode & 0o777
    if mode & 0o077:
        return f"{copy.name} has mode {mode:o}: group or others may read the credentials it will hold (expected 600)"
    return None if copy.read_text() == original.read_text() else f"{copy.name} differs from {original.name}"
