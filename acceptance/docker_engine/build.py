"""Building images (docker SDK): a build is keyed by its context digest, so an unchanged context reuses its image."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import docker.errors
from docker.utils.build import exclude_paths

from acceptance.core.progress import say
from acceptance.core.run import ToolError
from acceptance.docker_engine.image import image_id

DIGEST_LABEL = "io.todo-chatbot.acceptance.context-digest"


class DockerUnavailable(ToolError):
    """No Docker engine answers; the message says how to get one."""


@dataclasses.dataclass
class BuiltImage:
    """An image the suite built (or reused because its context was unchanged)."""

    component: str
    name: str
    image_id: str
    context_digest: str
    build_args: dict[str, str]
    reused: bool
    seconds: float
    log_tail: list[str]
    dockerfile: Path | None = None  # built from this Dockerfile (None: the context's own)

def connect(timeout: float) -> docker.DockerClient:
    """A client for the local engine (timeout: seconds per API call), or DockerUnavailable with the fix."""
    try:
        client = docker.from_env(timeout=int(timeout))
        client.ping()
        return client
    except Exception as error:  # noqa: BLE001 - any failure to reach the engine (socket, HTTP, API) means no engine answers
        raise DockerUnavailable(
            f"no Docker engine answers ({type(error).__name__}: {error}); "
            "start one with scripts/install-docker.sh (Debian) or your Docker Desktop"
        ) from None


def outside(dockerfile: Path | None, context: Path) -> bool:
    """Whether a Dockerfile lies outside its build context (docker-py then sends it along with the context)."""
    return dockerfile is not None and not dockerfile.resolve().is_relative_to(context.resolve())


def context_digest(context: Path, build_args: dict[str, str], dockerfile: Path | None = None) -> str:
    """sha256 over the files Docker would send (after .dockerignore), a Dockerfile from outside the context, and the build args."""
    ignore_file = context / ".dockerignore"
    patterns = [line.strip() for line in ignore_file.read_text().splitlines() if line.strip() and not line.startswith("#")] if ignore_file.exists() else []
    digest = hashlib.sha256()
    if dockerfile is not None and outside(dockerfile, context):
        digest.update(b"Dockerfile\0" + dockerfile.read_bytes() + b"\0")
    inside = str(dockerfile.resolve().relative_to(context.resolve())) if dockerfile and not outside(dockerfile, context) else "Dockerfile"
    for relative in sorted(exclude_paths(str(context), patterns, dockerfile=inside)):
        path = context / relative
        if path.is_file() and not path.is_symlink():
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    for key in sorted(build_args):
        digest.update(f"{key}={build_args[key]}\n".encode())
    return digest.hexdigest()


def find_image_by_digest(client: docker.DockerClient, digest: str) -> str | None:
    """The id of an image built earlier from the same context and args, if any."""
    images = client.images.list(filters={"label": f"{DIGEST_LABEL}={digest}"})
    return images[0].id if images else None


def build(
    client: docker.DockerClient,
    component: str,
    context: Path,
    name: str,
    build_args: dict[str, str],
    timeout: float,
    log_path: Path | None = None,
    dockerfile: Path | None = None,
) -> BuiltImage:
    """Build context as name, or re-tag an earlier build of the same context digest; progress per Dockerfile step.

    Raises:
        BuildFailed: the engine reported an error, or the build took longer than timeout; the message carries the log tail.
    """
    started = time.monotonic()
    digest = context_digest(context, build_args, dockerfile)
    existing = find_image_by_digest(client, digest)
    if existing:
        client.images.get(existing).tag(name)
        say(f"{component}: context unchanged (digest {digest[:12]}), reusing {existing[7:19]} as {name}")
        return BuiltImage(component, name, existing, digest, build_args, True, time.monotonic() - started, [], dockerfile)
    say(f"{component}: building {name} from {context} ...")
    lines: list[str] = []
    errors: list[str] = []
    api = docker.APIClient(timeout=int(timeout))

    def consume() -> None:
        try:
            for chunk in api.build(path=str(context), dockerfile=str(dockerfile.resolve()) if dockerfile else None, tag=name, buildargs=build_args,
                                   labels={DIGEST_LABEL: digest}, rm=True, forcerm=True, decode=True):
                text = chunk.get("stream") or chunk.get("status") or ""
                if "error" in chunk:
                    errors.append(chunk.get("error"))
                    text = f"ERROR: {chunk.get('error')}"
                for line in text.rstrip("\n").splitlines():
                    lines.append(line)
                    if line.startswith(("Step ", "ERROR")):
                        say(f"{component}: {line}")
        except Exception as error:  # noqa: BLE001 - the engine hung up, or the budget closed the connection: the build's error
            errors.append(f"{type(error).__name__}: {error}")

    # The budget holds for the whole build, not per read: the build runs in a thread the deadline can abandon.
    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        api.close()
        errors.insert(0, f"the build took longer than its {timeout:.0f}s budget (timeout_build)")
    if log_path:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("\n".join(lines) + "\n")
    if errors:
        raise BuildFailed(component, errors[0], lines[-40:])
    built_id = image_id(client, name)
    seconds = time.monotonic() - started
    say(f"{component}: built {name} in {seconds:.0f}s")
    return BuiltImage(component, name, built_id, digest, build_args, False, seconds, lines[-40:], dockerfile)


class BuildFailed(ToolError):
    """An image build failed; str() ends with the build log tail."""

    def __init__(self, component: str, error: str, tail: list[str]):
        self.tail = tail
        super().__init__(f"{component} image build failed: {error}\n--- build log tail ---\n" + "\n".join(tail))


@contextlib.contextmanager
def names_set_aside(client: docker.DockerClient, names: list[str]) -> Iterator[None]:
    """Untag the images named names for the duration (kept under a spare tag), then tag them back.

    A build in between must tag its own image under those names: an old one cannot stand in for it.
    """
    saved = {}
    for name in names:
        try:
            image = client.images.get(name)
        except docker.errors.ImageNotFound:
            continue
        found_id = image.id
        assert found_id is not None, f"the engine gave image {name} no ID"
        repository = name.rsplit(":", 1)[0]
        spare_tag = f"set-aside-{found_id[7:19]}"
        image.tag(repository, spare_tag)
        client.images.remove(name, noprune=True)
        saved[name] = (found_id, f"{repository}:{spare_tag}")
    try:
        yield
    finally:
        for name, (saved_id, spare) in saved.items():
            repository, tag = name.rsplit(":", 1)
            client.images.get(saved_id).tag(repository, tag)
            client.images.remove(spare, noprune=True)
