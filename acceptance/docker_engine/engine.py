"""Docker engine helpers (docker SDK): base-image choice, builds keyed by context digest, run, exec, inspect, export."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import re
import tarfile
import threading
import time
from pathlib import Path
from typing import Iterator

import docker
import docker.errors
from docker.utils.build import exclude_paths

from acceptance.core import run_owner
from acceptance.core.progress import say
from acceptance.core.run import ToolError, run
from acceptance.core.wait import FatalState, wait_for

DIGEST_LABEL = "io.todo-chatbot.acceptance.context-digest"
# The suite's own builder of the local Debian bases (no registry needed), used when a profile names none of its own.
SUITE_BASES_SCRIPT = Path(__file__).resolve().parents[2] / "images" / "base" / "build-bases.sh"


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
    except Exception as error:
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
    if outside(dockerfile, context):
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
                    if line.startswith("Step ") or line.startswith("ERROR"):
                        say(f"{component}: {line}")
        except Exception as error:  # the engine hung up, or the budget closed the connection
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
    image_id = client.images.get(name).id
    seconds = time.monotonic() - started
    say(f"{component}: built {name} in {seconds:.0f}s")
    return BuiltImage(component, name, image_id, digest, build_args, False, seconds, lines[-40:], dockerfile)


class BuildFailed(ToolError):
    """An image build failed; str() ends with the build log tail."""

    def __init__(self, component: str, error: str, tail: list[str]):
        self.tail = tail
        super().__init__(f"{component} image build failed: {error}\n--- build log tail ---\n" + "\n".join(tail))


def image_size_bytes(client: docker.DockerClient, name: str) -> int:
    return client.images.get(name).attrs["Size"]


def layer_breakdown(client: docker.DockerClient, name: str) -> list[tuple[float, str]]:
    """(size in MB, instruction) per layer, largest first."""
    history = client.api.history(name)
    layers = [(entry["Size"] / 1e6, (entry.get("CreatedBy") or "").replace("/bin/sh -c #(nop) ", "").strip()[:110]) for entry in history]
    return sorted((layer for layer in layers if layer[0] > 0), reverse=True)


def image_config(client: docker.DockerClient, name: str) -> dict:
    return client.images.get(name).attrs["Config"]


def image_history_text(client: docker.DockerClient, name: str) -> str:
    """Every instruction that made the image, one per line (secrets must not appear here)."""
    return "\n".join(entry.get("CreatedBy") or "" for entry in client.api.history(name))


def filesystem_paths(client: docker.DockerClient, name: str) -> Iterator[tarfile.TarInfo]:
    """Every entry of the image's flattened filesystem (via docker export of a created container)."""
    container = client.containers.create(name, command=["true"], entrypoint=[])
    try:
        stream = io.BufferedReader(_ChunkReader(container.export()), buffer_size=1 << 20)
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            yield from archive
    finally:
        container.remove(force=True)


class _ChunkReader(io.RawIOBase):
    """Adapts the SDK's chunk iterator to a file object for tarfile's streaming mode."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def published_port(container, container_port: int) -> int:
    """The 127.0.0.1 host port Docker chose for container_port.

    Raises:
        ToolError: the container publishes no such port.
    """
    container.reload()
    bindings = container.attrs["NetworkSettings"]["Ports"].get(f"{container_port}/tcp") or []
    if not bindings:
        raise ToolError(f"container {container.name} publishes no port for {container_port}/tcp")
    return int(bindings[0]["HostPort"])


def exec_output(container, command: list[str]) -> tuple[int, str]:
    """Run command in a running container; (exit code, combined output)."""
    result = container.exec_run(command, demux=False)
    return result.exit_code, (result.output or b"").decode(errors="replace").strip()


def health_status(container) -> str:
    container.reload()
    return (container.attrs["State"].get("Health") or {}).get("Status", "none")


def health_log(container) -> str:
    container.reload()
    entries = (container.attrs["State"].get("Health") or {}).get("Log") or []
    return "\n".join(f"exit {entry.get('ExitCode')}: {(entry.get('Output') or '').strip()[:300]}" for entry in entries[-5:])


def logs(container, tail: int = 200) -> str:
    try:
        return container.logs(tail=tail).decode(errors="replace")
    except docker.errors.APIError as error:
        return f"(logs unavailable: {error})"


def exposed_ports(client: docker.DockerClient, name: str) -> list[int]:
    """The TCP ports the image EXPOSEs, in order."""
    return [int(port.split("/")[0]) for port in (image_config(client, name).get("ExposedPorts") or {})]


# ---------------------------------------------------------------------------- conditions on containers
def running(container) -> bool:
    """True once the container runs; FatalState when it exited."""
    container.reload()
    if container.status in ("exited", "dead"):
        raise FatalState(f"container {container.name} exited ({container.attrs['State'].get('ExitCode')}):\n{logs(container)}")
    return container.status == "running"


def healthy(container) -> bool:
    """True once Docker reports the container healthy; FatalState when it has no HEALTHCHECK, exited or is unhealthy."""
    status = health_status(container)
    if status == "none":
        raise FatalState(f"the image of {container.name} declares no HEALTHCHECK")
    if container.status in ("exited", "dead"):
        raise FatalState(f"container exited:\n{logs(container)}")
    if status == "unhealthy":
        raise FatalState(f"Docker reports the container unhealthy:\n{health_log(container)}")
    return status == "healthy"


def wait_running(container, timeout: float) -> None:
    wait_for(lambda: running(container), timeout=timeout, interval=0.5, what=f"container {container.name} to run")


# ---------------------------------------------------------------------------- base images
def dockerfile_defaults(dockerfile: Path) -> dict[str, str]:
    """The ARG defaults declared in a Dockerfile (the upstream base images, or parts of their names), each with the
    earlier ARGs it names filled in."""
    defaults: dict[str, str] = {}
    for line in dockerfile.read_text().splitlines():
        match = re.match(r"\s*ARG\s+(\w+)=(\S+)", line)
        if match:
            defaults[match.group(1)] = filled(match.group(2).strip("\"'"), defaults)
    return defaults


def filled(text: str, defaults: dict[str, str]) -> str:
    """text with ${NAME} and $NAME replaced by their defaults (unknown names left as written)."""
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda arg: defaults.get(arg.group(1) or arg.group(2), arg.group(0)), text)


def upstream_bases(dockerfile: Path) -> list[str]:
    """The images the Dockerfile's stages start FROM, with ARG defaults filled in (earlier stages by name excluded)."""
    defaults, stages, found = dockerfile_defaults(dockerfile), set(), []
    for line in dockerfile.read_text().splitlines():
        match = re.match(r"\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            image = filled(match.group(1), defaults)
            if image not in stages and image != "scratch" and image not in found:
                found.append(image)
            stages.add((match.group(2) or "").lower())
    return found


def local_base_args(context: Path, args_file: str) -> dict[str, str]:
    """Build args naming the local Debian bases (<context>/<args_file>: ARG=IMAGE lines)."""
    env_file = context / args_file
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def present(client: docker.DockerClient, image: str) -> bool:
    try:
        client.images.get(image)
        return True
    except docker.errors.ImageNotFound:
        return False


@dataclasses.dataclass(frozen=True)
class Bases:
    """How a deployment's builds get their bases offline: an args file per context, and/or upstream names mapped to
    local bases (from its profile's `bases`), and the script that builds the local bases."""

    args_file: str | None
    mapping: dict[str, str]
    script: Path
    timeout: float


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


# ---------------------------------------------------------------------------- what an image holds
# Paths that only a build needs: compilers, Node and npm, package-manager caches.
BUILD_TOOL_PATTERNS = {
    "a C compiler": re.compile(r"(^|/)usr/(local/)?bin/(gcc|cc|c\+\+|g\+\+|clang)(-[\d.]+)?$"),
    "node": re.compile(r"(^|/)(usr/(local/)?)?bin/node(js)?$"),
    "npm": re.compile(r"(^|/)(usr/(local/)?)?bin/(npm|npx|yarn|pnpm)$|(^|/)node_modules/npm/"),
    "a pip cache": re.compile(r"(^|/)\.cache/pip/"),
    "an npm cache": re.compile(r"(^|/)\.npm/_cacache/"),
    "apt package lists": re.compile(r"(^|/)var/lib/apt/lists/[^/]+_Packages"),
}


def build_tools_in(client: docker.DockerClient, name: str) -> dict[str, str]:
    """Each kind of build tool the image's filesystem holds, with the first path found."""
    found: dict[str, str] = {}
    for entry in filesystem_paths(client, name):
        for tool, pattern in BUILD_TOOL_PATTERNS.items():
            if tool not in found and pattern.search(entry.name):
                found[tool] = entry.name
    return found


def read_file(client: docker.DockerClient, name: str, path: str) -> str | None:
    """The text of one file of the image, or None when the image has no such file."""
    container = client.containers.create(name, command=["true"], entrypoint=[])
    try:
        stream, _ = container.get_archive(path)
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as archive:
            member = archive.extractfile(archive.getmembers()[0])
            return member.read().decode(errors="replace") if member else None
    except docker.errors.NotFound:
        return None
    finally:
        container.remove(force=True)


def files_named(client: docker.DockerClient, name: str, file_name: str) -> list[str]:
    return [entry.name for entry in filesystem_paths(client, name) if entry.name.rstrip("/").rsplit("/", 1)[-1] == file_name]


def size_report(client: docker.DockerClient, name: str) -> tuple[float, str]:
    """(size in MB, a per-layer breakdown, largest first)."""
    layers = "\n".join(f"  {size:8.1f} MB  {instruction}" for size, instruction in layer_breakdown(client, name))
    return image_size_bytes(client, name) / 1e6, layers


def credentials_in_metadata(client: docker.DockerClient, name: str, detector) -> list[str]:
    """Credential-like values in the image's history and environment, and credential variables set in it."""
    config = image_config(client, name)
    text = image_history_text(client, name) + "\n" + "\n".join(config.get("Env") or [])
    secret_env = [entry for entry in config.get("Env") or [] if re.match(r"(OPENAI_API_KEY|NEON_API_KEY|DATABASE_URL)=.+", entry) and "sqlite" not in entry]
    return detector(text) + secret_env


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
        repository = name.rsplit(":", 1)[0]
        spare_tag = f"set-aside-{image.id[7:19]}"
        image.tag(repository, spare_tag)
        client.images.remove(name, noprune=True)
        saved[name] = (image.id, f"{repository}:{spare_tag}")
    try:
        yield
    finally:
        for name, (image_id, spare) in saved.items():
            repository, tag = name.rsplit(":", 1)
            client.images.get(image_id).tag(repository, tag)
            client.images.remove(spare, noprune=True)


def image_id(client: docker.DockerClient, name: str) -> str | None:
    """The ID of the image tagged name, None when there is none."""
    try:
        return client.images.get(name).id
    except docker.errors.ImageNotFound:
        return None


def sweep_dead_runs(client: docker.DockerClient) -> list[str]:
    """Remove the containers and networks the suite's runs made and did not remove because they were killed or crashed
    (their owner label names a process of this host that no longer runs); a live run's, or another host's, stay.
    What was removed, in words."""
    removed = []
    label = run_owner.DOCKER_OWNER_LABEL
    for container in client.containers.list(all=True, filters={"label": label}):
        if not run_owner.alive(container.labels.get(label)):
            container.remove(force=True, v=True)
            removed.append(f"container {container.name}")
    for network in client.networks.list(filters={"label": label}):
        if not run_owner.alive((network.attrs.get("Labels") or {}).get(label)):
            network.remove()
            removed.append(f"network {network.name}")
    return removed
