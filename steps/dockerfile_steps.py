"""Steps about Dockerfile structure: stages, bases, users and health checks, read without building."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from fixtures import dockerfiles
from fixtures.dockerfiles import Dockerfile
from fixtures.options import Settings
from steps.phrases import quoted

ROOT_USERS = {"", "root", "0", "0:0", "root:root"}


@given(parsers.parse('the "{component}" Dockerfile'), target_fixture="dockerfile")
def the_dockerfile(settings: Settings, component: str) -> Dockerfile:
    path = settings.build_contexts[component] / "Dockerfile"
    assert path.is_file(), f"no Dockerfile at {path}"
    return dockerfiles.parse(path)


@then(parsers.parse("it should have at least {count:d} stages"))
def stage_count(dockerfile: Dockerfile, count: int) -> None:
    assert len(dockerfile.stages) >= count, f"{dockerfile.path} has {len(dockerfile.stages)} stage(s), expected at least {count}"


@then("its final stage should copy from an earlier stage")
def final_copies_from_builder(dockerfile: Dockerfile) -> None:
    earlier = {str(stage.index) for stage in dockerfile.stages[:-1]} | {stage.name for stage in dockerfile.stages[:-1] if stage.name}
    sources = [value for value in dockerfile.final.of("COPY") for flag in value.split() if flag.startswith("--from=") and flag[7:] in earlier]
    assert sources, f"the final stage of {dockerfile.path} copies nothing from a build stage ({sorted(earlier)}); COPY lines: {dockerfile.final.of('COPY')}"


@then(parsers.re(r"its base images should be the build arguments (?P<names>.+)"))
def bases_are_build_args(dockerfile: Dockerfile, names: str) -> None:
    builder_arg, runtime_arg = quoted(names)
    missing = [arg for arg in (builder_arg, runtime_arg) if arg not in dockerfile.global_args]
    assert not missing, f"{dockerfile.path} declares no global ARG {missing} before its first FROM (global ARGs: {dockerfile.global_args})"
    final_base = dockerfile.final.base
    assert final_base in (f"${runtime_arg}", f"${{{runtime_arg}}}"), f"the final stage starts FROM {final_base}, expected the build argument {runtime_arg}"
    builders = [stage.base for stage in dockerfile.stages[:-1]]
    assert any(base in (f"${builder_arg}", f"${{{builder_arg}}}") for base in builders), f"no build stage starts FROM {builder_arg}; build stages start FROM {builders}"


@then(parsers.parse('the build context should hold "{name}"'))
def context_holds(dockerfile: Dockerfile, name: str) -> None:
    assert (dockerfile.path.parent / name).is_file(), f"{name} is missing from {dockerfile.path.parent}"


@then(parsers.parse('a build stage should run "{command}"'))
def build_stage_runs(dockerfile: Dockerfile, command: str) -> None:
    runs = [value for stage in dockerfile.stages[:-1] for value in stage.of("RUN")]
    assert any(command in value for value in runs), f"no build stage runs {command!r}; RUN lines: {runs}"


@then("its final stage should switch to a non-root user")
def final_user_non_root(dockerfile: Dockerfile) -> None:
    users = dockerfile.final.of("USER")
    assert users, f"the final stage of {dockerfile.path} has no USER instruction, so it runs as root"
    assert users[-1].strip() not in ROOT_USERS, f"the final stage of {dockerfile.path} ends as USER {users[-1]}"


@then("its final stage should declare a HEALTHCHECK")
def final_healthcheck(dockerfile: Dockerfile) -> None:
    checks = dockerfile.final.of("HEALTHCHECK")
    assert checks and not checks[-1].strip().upper().startswith("NONE"), f"the final stage of {dockerfile.path} declares no HEALTHCHECK"
