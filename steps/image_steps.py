"""Steps about built images and running containers: contents, size, user, health."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from acceptance.core.credentials import Canaries, credential_like
from acceptance.core.wait import wait_for
from acceptance.docker_engine import interpreters
from acceptance.docker_engine.build import BuiltImage
from acceptance.docker_engine.containers import healthy, try_exec_output, wait_running
from acceptance.docker_engine.image import build_tools_in, credentials_in_metadata, files_named, image_config, read_file, size_report
from acceptance.docker_engine.interpreters import ServingPython
from acceptance.docker_engine.rebuilds import Rebuild
from acceptance.docker_engine.users import is_root, non_root_uid
from acceptance.profile.database import SqliteDatabase
from fixtures.images import Running
from fixtures.options import Settings
from steps.phrases import or_profile, quoted


@given(parsers.parse('the "{component}" image is built'), target_fixture="image")
def image_is_built(built_images, component: str) -> BuiltImage:
    return built_images(component)


@given(parsers.parse('a "{component}" container is started'), target_fixture="container")
@when(parsers.parse('a "{component}" container is started'), target_fixture="container")
def container_started(containers, component: str) -> Running:
    return containers.start(component)


@given('a "backend" container is started with a read-only data directory', target_fixture="container")
def backend_read_only_data(containers, settings: Settings) -> Running:
    """The data directory of the profile's database (the seed's /app/data), an empty read-only tmpfs."""
    database = SqliteDatabase.of(settings.profile)
    return containers.start("backend", environment={database.credential: database.url}, tmpfs={database.directory: "ro,size=1m"})


@given('a "backend" container is started with its database in a missing directory', target_fixture="container")
def backend_missing_data_dir(containers, settings: Settings) -> Running:
    database = SqliteDatabase.of(settings.profile)
    return containers.start("backend", environment={database.credential: database.in_missing_directory()})


@given('a "backend" container is started with canary credentials', target_fixture="container")
def backend_with_canaries(containers, canaries: Canaries) -> Running:
    return containers.start("backend", environment={**canaries.container_environment, "LOG_LEVEL": "DEBUG"})


@given('a "backend" container on a private network', target_fixture="backend_container")
def backend_on_network(containers) -> Running:
    backend = containers.start("backend", network=containers.network())
    backend.app.request("GET", "/health")  # the frontend's first /api/ request must find the backend listening, not starting
    return backend


@given('a "frontend" container on the same network pointed at the backend', target_fixture="container")
def frontend_on_network(containers, backend_container: Running) -> Running:
    backend_url = f"http://{backend_container.name}:{backend_container.app_port}"
    return containers.start("frontend", network=backend_container.network, environment={"BACKEND_URL": backend_url})


@then("its filesystem should hold no compiler, node, npm or package-manager cache")
def no_build_tools(image: BuiltImage, docker_client) -> None:
    found = build_tools_in(docker_client, image.name)
    assert not found, f"the {image.component} runtime image holds build tools: " + ", ".join(f"{tool} ({path})" for tool, path in found.items())


@then(parsers.parse('its filesystem should hold no "{name}"'))
def no_file_named(image: BuiltImage, docker_client, name: str) -> None:
    found = files_named(docker_client, image.name, name)
    assert not found, f"the {image.component} image holds {name}: {found[:5]}"


@then(parsers.parse("the image should be smaller than {limit_mb:d} MB"))
def image_smaller_than(image: BuiltImage, docker_client, limit_mb: int) -> None:
    size_mb, layers = size_report(docker_client, image.name)
    assert size_mb <= limit_mb, f"the {image.component} image is {size_mb:.1f} MB, over {limit_mb} MB; layers, largest first:\n{layers}"


@then("the image should be within its configured size budget")
def image_within_budget(image: BuiltImage, docker_client, settings: Settings) -> None:
    size_mb, layers = size_report(docker_client, image.name)
    budget = settings.size_budgets_mb[image.component]
    assert size_mb <= budget, f"the {image.component} image is {size_mb:.1f} MB, over its {budget:g} MB budget; layers, largest first:\n{layers}"


@then("the image's configured user should be non-root")
def configured_user_non_root(image: BuiltImage, docker_client) -> None:
    user = image_config(docker_client, image.name).get("User") or ""
    passwd = read_file(docker_client, image.name, "/etc/passwd")
    assert not is_root(user, passwd), f"the {image.component} image's configured user is {user or '(none)'}, which is root"


@then(parsers.parse('"{command}" in the container should print a non-root user ID'))
def exec_prints_non_root_uid(container: Running, settings: Settings, command: str) -> None:
    wait_running(container.container, settings.timeouts.container_healthy)
    exit_code, output = try_exec_output(container.container, command.split())
    assert exit_code == 0 and non_root_uid(output), (
        f"`{command}` in the {container.component} container printed {output!r} (exit {exit_code}), expected a user ID other than 0")


@then(parsers.parse('"{command}" in the container should print "{expected}"'))
def exec_prints(container: Running, settings: Settings, command: str, expected: str) -> None:
    wait_running(container.container, settings.timeouts.container_healthy)
    exit_code, output = try_exec_output(container.container, command.split())
    assert exit_code == 0 and output == expected, (
        f"`{command}` in the {container.component} container printed {output!r} (exit {exit_code}), expected {expected!r}")


@then("Docker should report the container healthy")
def container_healthy(container: Running, settings: Settings) -> None:
    wait_for(lambda: healthy(container.container), timeout=settings.timeouts.container_healthy, interval=1,
             what=f"the {container.component} container to turn healthy")


@then("the image's history and environment should hold no credential-like value")
def image_metadata_clean(image: BuiltImage, docker_client, settings: Settings) -> None:
    found = credentials_in_metadata(docker_client, image.name, credential_like, settings.profile.credential_names())
    assert not found, f"the {image.component} image carries credentials in its metadata: {found}"


# ---------------------------------------------------------------------------- layer reuse and the virtualenv
@when(parsers.parse('the "{component}" image is rebuilt twice, each time after a change to "{source}"'), target_fixture="rebuild")
def rebuilt_twice(rebuilds, settings: Settings, component: str, source: str) -> Rebuild:
    return rebuilds(component, or_profile(source, settings.profile.changed_source(component)))


@then(parsers.parse('the second rebuild\'s "{instruction}" step should come from the build cache'))
def step_from_cache(rebuild: Rebuild, instruction: str) -> None:
    steps = rebuild.steps_running(instruction)
    assert steps and all(step.cached for step in steps), f"the {instruction!r} step ran again although only {rebuild.changed} changed:\n{rebuild.describe()}"


@then(parsers.parse('the second rebuild should share the first\'s layers up to its "{instruction}" step, and differ after it'))
def shares_layers_through(rebuild: Rebuild, settings: Settings, instruction: str) -> None:
    instruction = or_profile(instruction, settings.profile.reused_through(rebuild.image.component))
    through = rebuild.layers_through(instruction)
    assert through <= rebuild.shared_layers < len(rebuild.layers), (
        f"the second rebuild shares {rebuild.shared_layers} of its {len(rebuild.layers)} layers with the first, expected the {through} up to its "
        f"{instruction!r} step and fewer than all (fewer: the dependency layers were rebuilt; all: the change did not reach the image)\n{rebuild.describe()}")


@then("its serving process should run a Python from a virtualenv", target_fixture="serving_python")
def serves_from_venv(container: Running, settings: Settings) -> ServingPython:
    python = interpreters.serving_python(container.container, settings.timeouts.container_healthy)
    assert python.pyvenv_cfg is not None, f"the {container.component} container does not serve from a virtualenv: {python.describe()}"
    return python


@then(parsers.re(r"that Python should import (?P<names>.+) from inside its virtualenv"))
def imports_from_venv(container: Running, serving_python: ServingPython, names: str) -> None:
    files = interpreters.module_files(container.container, serving_python.interpreter, quoted(names))
    outside = {name: file for name, file in files.items() if not file.startswith(f"{serving_python.venv}/")}
    assert files and not outside, f"{serving_python.interpreter} imports {outside or 'nothing'} from outside {serving_python.venv}; all: {files}"
