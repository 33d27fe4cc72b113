"""Steps about built images and running containers: contents, size, user, health."""

from __future__ import annotations

import re

import pytest
from pytest_bdd import given, parsers, then, when

from fixtures import docker_engine, http
from fixtures.credentials import Canaries, credential_like
from fixtures.docker_engine import BuiltImage
from fixtures.options import Settings
from fixtures.waits import FatalState, wait_for

# Paths that only a build needs: compilers, Node and npm, package-manager caches.
BUILD_TOOL_PATTERNS = {
    "a C compiler": re.compile(r"(^|/)usr/(local/)?bin/(gcc|cc|c\+\+|g\+\+|clang)(-[\d.]+)?$"),
    "node": re.compile(r"(^|/)(usr/(local/)?)?bin/node(js)?$"),
    "npm": re.compile(r"(^|/)(usr/(local/)?)?bin/(npm|npx|yarn|pnpm)$|(^|/)node_modules/npm/"),
    "a pip cache": re.compile(r"(^|/)\.cache/pip/"),
    "an npm cache": re.compile(r"(^|/)\.npm/_cacache/"),
    "apt package lists": re.compile(r"(^|/)var/lib/apt/lists/[^/]+_Packages"),
}


@given(parsers.parse('the "{component}" image is built'), target_fixture="image")
def image_is_built(built_images, component: str) -> BuiltImage:
    return built_images(component)


def start_container(containers, built_images, component: str, **kwargs):
    image = built_images(component)
    ports = [int(port.split("/")[0]) for port in (docker_engine.image_config(docker_engine.connect(), image.name).get("ExposedPorts") or {})]
    assert ports, f"the {component} image exposes no port (EXPOSE)"
    container = containers(image.name, ports=tuple(ports), **kwargs)
    container.component = component
    container.app_port = ports[0]
    return container


@given(parsers.parse('a "{component}" container is started'), target_fixture="container")
@when(parsers.parse('a "{component}" container is started'), target_fixture="container")
def container_started(containers, built_images, component: str):
    return start_container(containers, built_images, component)


@given('a "backend" container is started with a read-only data directory', target_fixture="container")
def backend_read_only_data(containers, built_images):
    return start_container(containers, built_images, "backend", tmpfs={"/app/data": "ro,size=1m"})


@given('a "backend" container is started with its database in a missing directory', target_fixture="container")
def backend_missing_data_dir(containers, built_images):
    return start_container(containers, built_images, "backend", environment={"DATABASE_URL": "sqlite:////nonexistent/data/todo.db"})


@given('a "backend" container is started with canary credentials', target_fixture="container")
def backend_with_canaries(containers, built_images, canaries: Canaries):
    environment = {"OPENAI_API_KEY": canaries.values["OPENAI_API_KEY"], "NEON_API_KEY": canaries.values["NEON_API_KEY"],
                   "OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "LOG_LEVEL": "DEBUG"}
    return start_container(containers, built_images, "backend", environment=environment)


@given('a "backend" container on a private network', target_fixture="backend_container")
def backend_on_network(containers, built_images, settings: Settings):
    network = containers.network()
    container = start_container(containers, built_images, "backend", network=network)
    container.network = network
    # The frontend's first /api/ request must find the backend listening, not starting.
    port = docker_engine.published_port(container, container.app_port)
    http.request("GET", f"http://127.0.0.1:{port}/health", timeout=settings.timeouts.request, wait=settings.timeouts.container_healthy)
    return container


@given('a "frontend" container on the same network pointed at the backend', target_fixture="container")
def frontend_on_network(containers, built_images, backend_container):
    backend_url = f"http://{backend_container.name}:{backend_container.app_port}"
    return start_container(containers, built_images, "frontend", network=backend_container.network, environment={"BACKEND_URL": backend_url})


@then("its filesystem should hold no compiler, node, npm or package-manager cache")
def no_build_tools(image: BuiltImage, docker_client) -> None:
    found = {}
    for entry in docker_engine.filesystem_paths(docker_client, image.name):
        for tool, pattern in BUILD_TOOL_PATTERNS.items():
            if pattern.search(entry.name) and tool not in found:
                found[tool] = entry.name
    assert not found, f"the {image.component} runtime image holds build tools: " + ", ".join(f"{tool} ({path})" for tool, path in found.items())


@then(parsers.parse('its filesystem should hold no "{name}"'))
def no_file_named(image: BuiltImage, docker_client, name: str) -> None:
    found = [entry.name for entry in docker_engine.filesystem_paths(docker_client, image.name) if entry.name.rstrip("/").rsplit("/", 1)[-1] == name]
    assert not found, f"the {image.component} image holds {name}: {found[:5]}"


@then(parsers.parse("the image should be smaller than {limit_mb:d} MB"))
def image_smaller_than(image: BuiltImage, docker_client, limit_mb: int) -> None:
    _assert_size(image, docker_client, limit_mb)


@then("the image should be within its configured size budget")
def image_within_budget(image: BuiltImage, docker_client, settings: Settings) -> None:
    _assert_size(image, docker_client, settings.size_budgets_mb[image.component])


def _assert_size(image: BuiltImage, docker_client, limit_mb: float) -> None:
    __tracebackhide__ = True
    size_mb = docker_engine.image_size_bytes(docker_client, image.name) / 1e6
    if size_mb > limit_mb:
        layers = "\n".join(f"  {size:8.1f} MB  {instruction}" for size, instruction in docker_engine.layer_breakdown(docker_client, image.name))
        pytest.fail(f"the {image.component} image is {size_mb:.1f} MB, over its {limit_mb:g} MB budget; layers, largest first:\n{layers}", pytrace=False)


@then("the image's configured user should be non-root")
def configured_user_non_root(image: BuiltImage, docker_client) -> None:
    user = docker_engine.image_config(docker_client, image.name).get("User") or ""
    assert user.split(":")[0] not in ("", "root", "0"), f"the {image.component} image's configured user is {user or '(none: root)'}"


def wait_running(container, settings: Settings) -> None:
    __tracebackhide__ = True

    def running() -> bool:
        container.reload()
        if container.status in ("exited", "dead"):
            raise FatalState(f"container {container.name} exited ({container.attrs['State'].get('ExitCode')}):\n{docker_engine.logs(container)}")
        return container.status == "running"

    wait_for(running, timeout=settings.timeouts.container_healthy, interval=0.5, what=f"container {container.name} to run")


@then(parsers.parse('"{command}" in the container should print "{expected}"'))
def exec_prints(container, settings: Settings, command: str, expected: str) -> None:
    wait_running(container, settings)
    exit_code, output = docker_engine.exec_output(container, command.split())
    assert exit_code == 0 and output == expected, f"`{command}` in the {container.component} container printed {output!r} (exit {exit_code}), expected {expected!r}"


@then("Docker should report the container healthy")
def container_healthy(container, settings: Settings) -> None:
    def healthy() -> bool:
        status = docker_engine.health_status(container)
        if status == "none":
            raise FatalState(f"the {container.component} image declares no HEALTHCHECK")
        if container.status in ("exited", "dead"):
            raise FatalState(f"container exited:\n{docker_engine.logs(container)}")
        if status == "unhealthy":
            raise FatalState(f"Docker reports the container unhealthy:\n{docker_engine.health_log(container)}")
        return status == "healthy"

    wait_for(healthy, timeout=settings.timeouts.container_healthy, interval=1, what=f"the {container.component} container to turn healthy")


@then("the image's history and environment should hold no credential-like value")
def image_metadata_clean(image: BuiltImage, docker_client) -> None:
    config = docker_engine.image_config(docker_client, image.name)
    text = docker_engine.image_history_text(docker_client, image.name) + "\n" + "\n".join(config.get("Env") or [])
    found = credential_like(text)
    secret_env = [entry for entry in config.get("Env") or [] if re.match(r"(OPENAI_API_KEY|NEON_API_KEY|DATABASE_URL)=.+", entry) and "sqlite" not in entry]
    assert not found and not secret_env, f"the {image.component} image carries credentials in its metadata: {found or secret_env}"
