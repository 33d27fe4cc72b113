"""Choosing the base images a build starts FROM: upstream where present, else local Debian bases (no registry needed)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import docker

from acceptance.core.progress import say
from acceptance.core.run import ToolError, run
from acceptance.docker_engine.dockerfiles import upstream_bases
from acceptance.docker_engine.image import present

# The suite's own builder of the local Debian bases (no registry needed), used when a profile names none of its own.
SUITE_BASES_SCRIPT = Path(__file__).resolve().parents[2] / "images" / "base" / "build-bases.sh"


@dataclasses.dataclass(frozen=True)
class Bases:
    """How a deployment's builds get their bases offline: an args file per context, and/or upstream names mapped to
    local bases (from its profile's `bases`), and the script that builds the local bases."""

    args_file: str | None
    mapping: dict[str, str]
    script: Path
    timeout: float


def local_base_args(context: Path, args_file: str) -> dict[str, str]:
    """Build args naming the local Debian bases (<context>/<args_file>: ARG=IMAGE lines)."""
    env_file = context / args_file
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def choose_build_args(client: docker.DockerClient, context: Path, dockerfile: Path, base_mode: str, bases: Bases) -> tuple[dict[str, str], str, list[str]]:
    """(build args, why, temporary tags) for the base-image mode: upstream, local, or auto (upstream when already present).

    Local bases come from the context's args file when it has one, else the upstream names the Dockerfile starts FROM
    are tagged onto the local bases the map names (a build then finds them under those names): those tags are
    returned, for untag() after the build, so that no other build mistakes a local base for the upstream image.
    Local bases that are missing are built first.

    Raises:
        ToolError: local bases are wanted but the deployment names none for an upstream base.
    """
    upstream = upstream_bases(dockerfile)
    if base_mode == "upstream":
        return {}, "upstream bases (--base-images upstream)", []
    if base_mode == "auto" and upstream and all(present(client, image) for image in upstream):
        return {}, "upstream bases, present in the engine", []
    why = "local Debian bases (--base-images local)" if base_mode == "local" else "local Debian bases (upstream bases absent; no registry assumed)"
    if bases.args_file and (context / bases.args_file).is_file():
        args = local_base_args(context, bases.args_file)
        ensure_local_bases(client, list(args.values()), bases)
        return args, why, []
    unmapped = [image for image in upstream if image not in bases.mapping and not present(client, image)]
    if unmapped:
        raise ToolError(f"no local base for {unmapped} (the Dockerfile {dockerfile} starts FROM them): add them to the profile's "
                        f"bases.map, e.g. {unmapped[0]}: todo-chatbot-base/python-runtime:bookworm, or run where a registry is reachable")
    mapped = {image: bases.mapping[image] for image in upstream if image in bases.mapping and not present(client, image)}
    ensure_local_bases(client, list(mapped.values()), bases)
    for image, local in mapped.items():
        client.images.get(local).tag(image)
    return {}, why + "; tagged for the build as " + ", ".join(f"{image} <- {local}" for image, local in mapped.items()), list(mapped)


def untag(client: docker.DockerClient, tags: list[str]) -> None:
    """Remove tags (the image stays under its own name)."""
    for tag in tags:
        client.images.remove(tag, noprune=True)


@contextlib.contextmanager
def bases_for(client: docker.DockerClient, context: Path, dockerfile: Path, base_mode: str, bases: Bases) -> Iterator[tuple[dict[str, str], str]]:
    """(build args, why) while a build runs; the upstream names tagged onto local bases for it are removed after."""
    args, why, tagged = choose_build_args(client, context, dockerfile, base_mode, bases)
    try:
        yield args, why
    finally:
        untag(client, tagged)


def ensure_local_bases(client: docker.DockerClient, images: list[str], bases: Bases) -> None:
    if not all(present(client, image) for image in images):
        build_local_bases(bases.script, bases.timeout)


def build_local_bases(script: Path, timeout: float) -> None:
    """Run images/base/build-bases.sh, its output shown as progress.

    Raises:
        ToolError: it failed or took longer than timeout.
    """
    say(f"local bases missing: running {script} (debootstrap, about a minute each) ...")
    run([str(script)], timeout=timeout, stream=lambda line: say(f"  {line}")).check("build the local base images", f"read {script}'s output above")
