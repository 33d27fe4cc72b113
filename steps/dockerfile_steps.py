"""Steps about Dockerfile structure: stages, bases, users, health checks and the nginx configuration it copies, read without building."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from acceptance.docker_engine import dockerfiles, dockerignore, nginx
from acceptance.docker_engine.dockerfiles import Dockerfile
from acceptance.docker_engine.users import is_root
from fixtures.options import Settings


@given(parsers.parse('the "{component}" Dockerfile'), target_fixture="dockerfile")
def the_dockerfile(settings: Settings, component: str) -> Dockerfile:
    path = settings.dockerfile(component)
    assert path.is_file(), f"no Dockerfile at {path} (the profile's paths.dockerfiles.{component})"
    return dockerfiles.parse(path, settings.build_contexts[component])


@then(parsers.parse("it should have at least {count:d} stages"))
def stage_count(dockerfile: Dockerfile, count: int) -> None:
    assert len(dockerfile.stages) >= count, f"{dockerfile.path} has {len(dockerfile.stages)} stage(s), expected at least {count}"


@then("its final stage should copy from an earlier stage")
def final_copies_from_builder(dockerfile: Dockerfile) -> None:
    assert dockerfile.final_copies_from_build_stage(), (
        f"the final stage of {dockerfile.path} copies nothing from a build stage; COPY lines: {dockerfile.final.of('COPY')}")


@then("its base images should be build arguments, as the profile names them")
def bases_are_build_args(dockerfile: Dockerfile, settings: Settings) -> None:
    problems = dockerfile.base_arg_problems(settings.profile.base_args())
    assert not problems, "\n".join(problems)


@then(parsers.parse('the build context should hold "{name}"'))
def context_holds(dockerfile: Dockerfile, name: str) -> None:
    assert (dockerfile.context / name).is_file(), f"{name} is missing from {dockerfile.context}"


@when(parsers.parse('a ".env", a ".git" directory and "{leftover}" are left in its build context'), target_fixture="planted")
def plant_leftovers(leftover: str) -> list[str]:
    return [".env", ".git/config", leftover]


@then("the build should send the builder none of them")
def none_sent(dockerfile: Dockerfile, planted: list[str]) -> None:
    sent = dockerignore.sent_to_builder(dockerfile.context or dockerfile.path.parent, dockerfile.path, planted)
    assert not sent, f"the build of {dockerfile.path} would send the builder {sent}: its .dockerignore does not keep them out"


@then(parsers.parse('a build stage should run "{command}"'))
def build_stage_runs(dockerfile: Dockerfile, command: str) -> None:
    assert any(command in value for value in dockerfile.build_runs()), f"no build stage runs {command!r}; RUN lines: {dockerfile.build_runs()}"


@then(parsers.parse('a build stage should copy its dependency manifests, such as "{manifest_pattern}", and run "{install}" before it copies any other source'))
def installs_before_sources(dockerfile: Dockerfile, manifest_pattern: str, install: str) -> None:
    problems = dockerfile.dependency_order_problems(manifest_pattern, install)
    assert not problems, "\n".join(problems)


@then("its final stage should switch to a non-root user")
def final_user_non_root(dockerfile: Dockerfile) -> None:
    users = dockerfile.final.of("USER")
    assert users, f"the final stage of {dockerfile.path} has no USER instruction, so it runs as root"
    assert not is_root(users[-1]), f"the final stage of {dockerfile.path} ends as USER {users[-1]}, which is root"


@then("its final stage should declare a HEALTHCHECK")
def final_healthcheck(dockerfile: Dockerfile) -> None:
    checks = dockerfile.final.of("HEALTHCHECK")
    assert checks and not checks[-1].strip().upper().startswith("NONE"), f"the final stage of {dockerfile.path} declares no HEALTHCHECK"


@then(parsers.parse('the nginx configuration it copies should limit each client address\'s requests to "{path}" in a declared zone'))
def nginx_rate_limited(dockerfile: Dockerfile, path: str) -> None:
    problems = nginx.copied_by(dockerfile).rate_limit_problems(path)
    assert not problems, "\n".join(problems)


@then(parsers.parse('requests to "{path}" beyond the limit should be answered {status:d}'))
def nginx_rejection_status(dockerfile: Dockerfile, path: str, status: int) -> None:
    statuses = nginx.copied_by(dockerfile).rejection_statuses(path)
    assert statuses and set(statuses.values()) == {str(status)}, (
        f"beyond the rate limit nginx answers {statuses or f'nothing: no location proxies {path}'}, expected {status}")
