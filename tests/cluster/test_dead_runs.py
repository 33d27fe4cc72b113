"""What a killed run left in Docker is removed by the next run, and nothing else: containers and networks whose owner
label names a process of this host that ended. Real Docker (the busybox toolbox the local cluster's build makes)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import uuid
from pathlib import Path

import docker
import pytest

from acceptance.core import run_owner
from acceptance.docker_engine.containers import sweep_dead_runs

TOOLBOX_IMAGE = "localhost/todo-chatbot-cluster/toolbox:busybox"


def dead_stamp() -> str:
    ended = subprocess.Popen(["true"])
    stamp = f"{socket.gethostname()}:{ended.pid}:{run_owner.start_time(ended.pid)}"
    ended.wait()
    return stamp


@pytest.fixture
def client():
    try:
        engine = docker.from_env()
        engine.ping()
    except docker.errors.DockerException as error:
        pytest.fail(f"no Docker engine answers ({error}): scripts/setup.sh starts one")
    archives = sorted(Path("/var/cache/todo-chatbot-cluster").glob("*/images/toolbox.tar"))
    assert archives, "no toolbox image archive: run cluster/local/build.sh first (make cluster-selftest does)"
    with archives[-1].open("rb") as archive:
        engine.images.load(archive.read())
    return engine


@pytest.fixture
def made(client):
    """make(stamp): a running container and a network labelled with stamp (none when None); all removed after."""
    containers, networks = [], []

    def make(stamp: str | None):
        labels = {run_owner.DOCKER_OWNER_LABEL: stamp} if stamp else {}
        name = f"acceptance-selftest-{uuid.uuid4().hex[:8]}"
        containers.append(client.containers.run(TOOLBOX_IMAGE, ["-c", "sleep 300"], name=name, detach=True, labels=labels))
        networks.append(client.networks.create(name, driver="bridge", labels=labels))
        return containers[-1], networks[-1]

    yield make
    for container in containers:
        with contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True)
    for network in networks:
        with contextlib.suppress(docker.errors.NotFound):
            network.remove()


def exists(collection, name: str) -> bool:
    try:
        collection.get(name)
    except docker.errors.NotFound:
        return False
    return True


def test_a_dead_runs_containers_and_networks_are_removed_and_no_others(client, made):
    dead_container, dead_network = made(dead_stamp())
    live = made(run_owner.owner())
    elsewhere = made("another-host:1:1")
    unlabelled = made(None)

    removed = sweep_dead_runs(client)

    assert f"container {dead_container.name}" in removed and f"network {dead_network.name}" in removed, removed
    assert not exists(client.containers, dead_container.name) and not exists(client.networks, dead_network.name)
    for container, network in (live, elsewhere, unlabelled):
        assert exists(client.containers, container.name) and exists(client.networks, network.name), f"{container.name} removed"
