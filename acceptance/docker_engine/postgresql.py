"""A throwaway PostgreSQL server in a container, for the scenario that gives the backend a PostgreSQL database URL:
Debian's postgresql-15 built on a Debian base (the local one when no registry serves the upstream), started on the
scenario's private network, its data read back with pg_dump."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import docker

from acceptance.core import run_owner
from acceptance.core.timeouts import Timeouts
from acceptance.core.wait import Pending, wait_for
from acceptance.docker_engine.bases import SUITE_BASES_SCRIPT, Bases, ensure_local_bases
from acceptance.docker_engine.build import BuiltImage, build
from acceptance.docker_engine.containers import exec_output, running, try_exec_output
from acceptance.docker_engine.image import present

if TYPE_CHECKING:
    from docker.models.containers import Container

CONTEXT = Path(__file__).with_name("postgresql_image")
IMAGE = "todo-chatbot-acceptance/postgresql:15"
UPSTREAM_BASE = "debian:bookworm-slim"
# A local Debian bookworm base with apt (images/base/build-bases.sh builds it where no registry answers).
LOCAL_BASE = "todo-chatbot-base/python-build:bookworm"
USER = "todo"
DATABASE = "postgres"  # the database initdb makes
PORT = 5432


def base_image(client: docker.DockerClient, base_mode: str, base_timeout: float) -> str:
    """The upstream Debian base when it is asked for (--base-images upstream), or the engine holds it and local bases
    are not asked for; else the local one, built first by the suite's own images/base/build-bases.sh when missing."""
    if base_mode == "upstream" or (base_mode == "auto" and present(client, UPSTREAM_BASE)):
        return UPSTREAM_BASE
    ensure_local_bases(client, [LOCAL_BASE], Bases(None, {}, SUITE_BASES_SCRIPT, base_timeout))
    return LOCAL_BASE


def build_image(client: docker.DockerClient, base_mode: str, timeouts: Timeouts, log_path: Path) -> BuiltImage:
    """The PostgreSQL image, built once per machine (reused while its context is unchanged).

    Raises:
        ToolError: the local base cannot be built, or the build failed (BuildFailed: Debian's packages unreachable).
    """
    base = base_image(client, base_mode, timeouts.base_build)
    return build(client, "postgresql", CONTEXT, IMAGE, {"BASE": base}, timeouts.build, log_path=log_path)


@dataclass
class PostgreSQL:
    """A running server: its container, the network it serves on, and the URL a container there signs in with."""

    container: Container
    network: str
    password: str

    @property
    def url(self) -> str:
        return f"postgresql://{USER}:{self.password}@{self.container.name}:{PORT}/{DATABASE}"

    def dump(self) -> str:
        """Every row of the database, as pg_dump writes them (whatever tables the backend made).

        Raises:
            ToolError: pg_dump failed.
        """
        return exec_output(self.container, ["env", f"PGPASSWORD={self.password}", "pg_dump", "--data-only", "--host=127.0.0.1",
                                            f"--username={USER}", DATABASE], "dump the database with pg_dump")


def start(client: docker.DockerClient, image: str, network: str) -> PostgreSQL:
    """A server on network, once it accepts connections.

    Raises:
        FatalState: the server exited before it accepted a connection (its log says why).
        WaitTimeout: it did not accept one within a minute.
    """
    password = secrets.token_hex(12)
    container = client.containers.run(image, name=f"acceptance-postgresql-{uuid.uuid4().hex[:8]}", detach=True, network=network,
                                      environment={"POSTGRES_USER": USER, "POSTGRES_PASSWORD": password},
                                      labels={run_owner.DOCKER_OWNER_LABEL: run_owner.owner()})

    def accepting() -> bool | Pending:
        running(container)  # FatalState, with its logs, once it exited
        code, output = try_exec_output(container, ["pg_isready", "--host=127.0.0.1", f"--port={PORT}"])
        return code == 0 or Pending(output)

    wait_for(accepting, timeout=60, interval=0.5, what=f"PostgreSQL in {container.name} to accept connections")
    return PostgreSQL(container, network, password)
