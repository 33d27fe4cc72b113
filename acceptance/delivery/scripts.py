"""Running the deployment's scripts where they cannot reach a cluster: their own checks are all that runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from acceptance.core.run import Result, path_without, run
from acceptance.profile.model import Profile

# Tools hidden from a script run offline: whatever its checks let through stops at the missing tool, never at a cluster.
CLUSTER_TOOLS = ("kubectl", "helm", "minikube")


def run_offline(script: Path, scratch: Path, timeout: float, *arguments: str) -> Result:
    """Run script with no cluster tool on PATH and a kubeconfig that does not exist."""
    environment = {**os.environ, "PATH": path_without(CLUSTER_TOOLS[0], scratch / "bin", *CLUSTER_TOOLS[1:]),
                   "KUBECONFIG": str(scratch / "no-kubeconfig")}
    return run([str(script), *arguments], timeout=timeout, env=environment)


# The seed's script names, and the role each plays; a profile names the deployment's own file for each role.
ROLES = {"minikube-setup.sh": "setup", "build-images.sh": "build", "deploy.sh": "deploy", "cleanup.sh": "cleanup"}


def role_of(name: str) -> str:
    return ROLES[name]


def fresh_checkout(project_root: Path, destination: Path, profile: Profile) -> Path:
    """The deployment scripts (their directories), the chart and the env example copied as a checkout of their own (no
    .env): a script that writes into its repository writes there, never into the project under test. A part the project
    lacks is left out, for the scenario that needs it to name."""
    directories = {Path(profile.path("scripts", role)).parent for role in ROLES.values()} | {Path(profile.path("chart"))}
    for directory in sorted(directories):
        if (project_root / directory).is_dir():
            shutil.copytree(project_root / directory, destination / directory, symlinks=True, dirs_exist_ok=True)
    example = Path(profile.path("env_example"))
    (destination / example).parent.mkdir(parents=True, exist_ok=True)
    if (project_root / example).is_file():
        shutil.copy2(project_root / example, destination / example)
    return destination


def checkout_of(script: Path, profile: Profile) -> Path:
    """The checkout a script copied by fresh_checkout lives in."""
    relative = next(Path(profile.path("scripts", role)) for role in ROLES.values() if script.as_posix().endswith(profile.path("scripts", role)))
    return script.parents[len(relative.parts) - 1]


def private_copy_problem(copy: Path, original: Path) -> str | None:
    """Why copy is not original's text readable by its owner only; None when it is."""
    if not copy.is_file():
        return f"there is no {copy.name} next to {original.name}"
    mode = copy.stat().st_mode & 0o777
    if mode & 0o077:
        return f"{copy.name} has mode {mode:o}: group or others may read the credentials it will hold (expected 600)"
    return None if copy.read_text() == original.read_text() else f"{copy.name} differs from {original.name}"
