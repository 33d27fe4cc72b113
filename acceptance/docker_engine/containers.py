"""Running containers (docker SDK): their ports, commands run in them, health and logs, the conditions a wait polls,
and the containers and networks that dead runs left behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import docker
import docker.errors

from acceptance.core import run_owner
from acceptance.core.run import ToolError
from acceptance.core.wait import FatalState, wait_for

if TYPE_CHECKING:
    from docker.models.containers import Container


def published_port(container: Container, container_port: int) -> int:
    """The 127.0.0.1 host port Docker chose for container_port.

    Raises:
        ToolError: the container publishes no such port.
    """
    container.reload()
    bindings = container.attrs["NetworkSettings"]["Ports"].get(f"{container_port}/tcp") or []
    if not bindings:
        raise ToolError(f"container {container.name} publishes no port for {container_port}/tcp")
    return int(bindings[0]["HostPort"])


def try_exec_output(container: Container, command: list[str]) -> tuple[int | None, str]:
    """Run command in a running container; (exit code, combined output), whatever the exit code."""
    result = container.exec_run(command, demux=False)
    # Not streamed, not detached: Docker answers the exit code and the whole output as bytes (the stubs allow both).
    output = result.output or b""
    assert isinstance(output, bytes), f"exec_run without stream= answered {type(output).__name__}, not bytes"
    return result.exit_code, output.decode(errors="replace").strip()


def exec_output(container: Container, command: list[str], what: str) -> str:
    """The combined output of command, run in a running container to do what ("read /proc/1/cmdline").

    Raises:
        ToolError: command exited non-zero; the message names what it was to do, the exit code and the output.
    """
    exit_code, output = try_exec_output(container, command)
    if exit_code != 0:
        raise ToolError(f"cannot {what} in container {container.name} (exit {exit_code}): {output}")
    return output


def health_status(container: Container) -> str:
    container.reload()
    status: str = (container.attrs["State"].get("Health") or {}).get("Status", "none")
    return status


def health_log(container: Container) -> str:
    container.reload()
    entries = (container.attrs["State"].get("Health") or {}).get("Log") or []
    return "\n".join(f"exit {entry.get('ExitCode')}: {(entry.get('Output') or '').strip()[:300]}" for entry in entries[-5:])


def logs(container: Container, tail: int = 200) -> str:
    try:
        return container.logs(tail=tail).decode(errors="replace")
    except docker.errors.APIError as error:
        return f"(logs unavailable: {error})"


# ---------------------------------------------------------------------------- conditions on containers
def running(container: Container) -> bool:
    """True once the container runs; FatalState when it exited."""
    container.reload()
    if container.status in ("exited", "dead"):
        raise FatalState(f"container {container.name} exited ({container.attrs['State'].get('ExitCode')}):\n{logs(container)}")
    return container.status == "running"


def healthy(container: Container) -> bool:
    """True once Docker reports the container healthy; FatalState when it has no HEALTHCHECK, exited or is unhealthy."""
    status = health_status(container)
    if status == "none":
        raise FatalState(f"the image of {container.name} declares no HEALTHCHECK")
    if container.status in ("exited", "dead"):
        raise FatalState(f"container exited:\n{logs(container)}")
    if status == "unhealthy":
        raise FatalState(f"Docker reports the container unhealthy:\n{health_log(container)}")
    return status == "healthy"


def wait_running(container: Container, timeout: float) -> None:
    wait_for(lambda: running(container), timeout=timeout, interval=0.5, what=f"container {container.name} to run")


# ---------------------------------------------------------------------------- what dead runs left
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
