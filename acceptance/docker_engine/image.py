"""Reading a built image (docker SDK): its ID, config, history, size and the files it holds.

Named image.py, not inspect.py: a module named like the standard library's inspect, which dataclasses and typing import,
takes its place whenever its folder lands on sys.path (the file run as a script, some runners).
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import docker
import docker.errors

from acceptance.core.run import ToolError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


def present(client: docker.DockerClient, image: str) -> bool:
    try:
        client.images.get(image)
        return True
    except docker.errors.ImageNotFound:
        return False


def try_image_id(client: docker.DockerClient, name: str) -> str | None:
    """The ID of the image tagged name, None when there is none."""
    try:
        return client.images.get(name).id
    except docker.errors.ImageNotFound:
        return None


def image_id(client: docker.DockerClient, name: str) -> str:
    """The ID of the image tagged name.

    Raises:
        ToolError: no image is tagged name.
    """
    found = try_image_id(client, name)
    if found is None:
        raise ToolError(f"no image is tagged {name} in the Docker engine")
    return found


def image_size_bytes(client: docker.DockerClient, name: str) -> int:
    size: int = client.images.get(name).attrs["Size"]
    return size


def layer_breakdown(client: docker.DockerClient, name: str) -> list[tuple[float, str]]:
    """(size in MB, instruction) per layer, largest first."""
    history = client.api.history(name)  # type: ignore[no-untyped-call]  # types-docker leaves APIClient.history unannotated
    layers = [(entry["Size"] / 1e6, (entry.get("CreatedBy") or "").replace("/bin/sh -c #(nop) ", "").strip()[:110]) for entry in history]
    return sorted((layer for layer in layers if layer[0] > 0), reverse=True)


def size_report(client: docker.DockerClient, name: str) -> tuple[float, str]:
    """(size in MB, a per-layer breakdown, largest first)."""
    layers = "\n".join(f"  {size:8.1f} MB  {instruction}" for size, instruction in layer_breakdown(client, name))
    return image_size_bytes(client, name) / 1e6, layers


def image_config(client: docker.DockerClient, name: str) -> dict[str, Any]:
    config: dict[str, Any] = client.images.get(name).attrs["Config"]
    return config


def exposed_ports(client: docker.DockerClient, name: str) -> list[int]:
    """The TCP ports the image EXPOSEs, in order."""
    return [int(port.split("/")[0]) for port in (image_config(client, name).get("ExposedPorts") or {})]


def image_history_text(client: docker.DockerClient, name: str) -> str:
    """Every instruction that made the image, one per line (secrets must not appear here)."""
    return "\n".join(entry.get("CreatedBy") or "" for entry in client.api.history(name))  # type: ignore[no-untyped-call]  # unannotated in types-docker


def credentials_in_metadata(client: docker.DockerClient, name: str, detector: Callable[[str], list[str]], credential_names: Iterable[str]) -> list[str]:
    """Credential-like values in the image's history and environment (as detector finds them), and the credential
    variables set in its environment: credential_names are the deployment's (its profile's values.credentials); an
    SQLite database URL is no credential."""
    config = image_config(client, name)
    environment = config.get("Env") or []
    text = image_history_text(client, name) + "\n" + "\n".join(environment)
    names = set(credential_names)
    secret_env = [entry for entry in environment if entry.partition("=")[0] in names and entry.partition("=")[2] and "sqlite" not in entry]
    return detector(text) + secret_env


# ---------------------------------------------------------------------------- the files an image holds
def filesystem_paths(client: docker.DockerClient, name: str) -> Iterator[tarfile.TarInfo]:
    """Every entry of the image's flattened filesystem (via docker export of a created container)."""
    container = client.containers.create(name, command=["true"], entrypoint=[])
    try:
        stream = io.BufferedReader(_ChunkReader(container.export()), buffer_size=1 << 20)  # type: ignore[arg-type]  # stubs say str; the SDK yields bytes chunks
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

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer)  # BufferedReader passes a memoryview already; typed as one here
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


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


def files_named(client: docker.DockerClient, name: str, file_name: str) -> list[str]:
    return [entry.name for entry in filesystem_paths(client, name) if entry.name.rstrip("/").rsplit("/", 1)[-1] == file_name]


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
