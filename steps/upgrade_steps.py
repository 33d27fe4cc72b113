"""Steps on helm upgrades: a changed setting rolls the pods and reaches their processes, and no request fails on the way."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from acceptance.app.load import LoadRunner
from acceptance.core.names import COMPONENTS
from acceptance.profile.model import concept
from acceptance.release.release import Release
from fixtures.options import Settings


@when(parsers.parse('the release is upgraded with the {setting} set to "{value}"'))
def upgrade_release(release: Release, settings: Settings, setting: str, value: str) -> None:
    outcome = release.upgrade(settings.profile.assignments({concept(setting): value}))
    assert outcome.ok, f"helm upgrade failed:\n{outcome.describe()}"


@then("every pod of the release should have been replaced by a new revision")
def release_rolled(release: Release) -> None:
    problems = [problem for component in COMPONENTS if (problem := release.not_replaced_problem(component))]
    assert not problems, "\n".join(problems)


@then(parsers.parse('the "{component}" pods should have been replaced by a new revision'))
def component_rolled(release: Release, component: str) -> None:
    problem = release.not_replaced_problem(component)
    assert problem is None, problem


@then(parsers.parse('the "{component}" processes should run with the log level "{value}" in their environment'))
def process_environment_holds(release: Release, component: str, value: str) -> None:
    """Whatever the variable is called: the upgrade set the log level to value, which no default holds."""
    found = {pod: sorted(key for key, held in environment.items() if held == value) for pod, environment in release.process_environments(component).items()}
    assert found and all(found.values()), f"the {component} processes hold {value!r} in no variable (by pod: {found}): the new setting did not reach them"


@when(parsers.parse('the release is upgraded with the {setting} set to "{value}" while requests run through the frontend Service'), target_fixture="load")
def upgrade_under_load(release: Release, settings: Settings, evidence, setting: str, value: str) -> LoadRunner:
    load = release.load_through_frontend()
    evidence.add("requests during the upgrade", load.transcript)
    return release.upgrade_under(load, settings.profile.assignments({concept(setting): value}))


@then("every request during the upgrade should have succeeded")
def no_failed_request(load: LoadRunner, record_property) -> None:
    record_property("requests_during_upgrade", len(load.log))
    assert len(load.log) >= 20, f"only {len(load.log)} requests ran during the upgrade: too few to judge availability"
    assert not load.failures(), f"{len(load.failures())} of {len(load.log)} requests failed during the upgrade, e.g. {load.failures()[:3]}"

