"""Steps on helm upgrades: a changed setting rolls the pods and reaches their processes, and no request fails on the way."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from pytest_bdd import given, parsers, then, when

from acceptance.app.load import LoadRunner, TodoTraffic
from acceptance.chart import previous
from acceptance.core.names import COMPONENTS
from acceptance.core.run import Result
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


@dataclasses.dataclass(frozen=True)
class UsersDuringUpgrade:
    runner: LoadRunner
    traffic: TodoTraffic


def under_users(release: Release, evidence, change: Callable[[], Result], what: str) -> UsersDuringUpgrade:
    runner, traffic = release.load_through_frontend()
    evidence.add(f"requests during the {what}", runner.transcript)
    release.under_load(runner, change, what)
    return UsersDuringUpgrade(runner, traffic)


@when(parsers.parse('the release is upgraded with the {setting} set to "{value}" while users read and write todos through the frontend Service'),
      target_fixture="load")
def upgrade_under_load(release: Release, settings: Settings, evidence, setting: str, value: str) -> UsersDuringUpgrade:
    return under_users(release, evidence, lambda: release.upgrade(settings.profile.assignments({concept(setting): value})), "upgrade")


@when(parsers.parse('the release is upgraded to this version of the chart with the {setting} set to "{value}" while users read and write '
                   'todos through the frontend Service'), target_fixture="load")
def upgrade_to_this_chart_under_load(release: Release, settings: Settings, evidence, setting: str, value: str) -> UsersDuringUpgrade:
    """The release runs the chart as an earlier version of itself (acceptance.chart.previous): upgrading it to the chart
    under test is a version upgrade; the setting changes too, so that every chart's pods roll (a version alone need not)."""
    return under_users(release, evidence, lambda: release.upgrade(settings.profile.assignments({concept(setting): value})), "upgrade")


@given(parsers.parse('the release upgraded from it to this version of the chart with the {setting} set to "{value}"'))
def upgraded_to_this_chart(release: Release, settings: Settings, setting: str, value: str) -> None:
    """Upgrade the earlier-version release to the chart under test, unless the feature's scenario before did (the
    release is the feature's own): either way its previous revision is the earlier version."""
    if release.chart_version_problem(previous.version(release.chart)):
        outcome = release.upgrade(settings.profile.assignments({concept(setting): value}))
        assert outcome.ok, f"helm upgrade to this version of the chart failed:\n{outcome.describe()}"


@when("the release is rolled back to its previous revision while users read and write todos through the frontend Service", target_fixture="load")
def rollback_under_load(release: Release, evidence) -> UsersDuringUpgrade:
    return under_users(release, evidence, release.rollback, "rollback")


@then(parsers.parse("every request during the {change} should have succeeded"))
def no_failed_request(load: UsersDuringUpgrade, record_property, change: str) -> None:
    record_property(f"requests_during_{change}", len(load.runner.log))
    problem = load.runner.availability_problem(change)
    assert problem is None, problem


@then(parsers.parse("every todo written during the {change} should be listed once through the frontend afterwards"))
def writes_kept(release: Release, observe, load: UsersDuringUpgrade, change: str) -> None:
    problem = load.traffic.lost_problem(release.app(observe).titles(), change)
    assert problem is None, problem


@then(parsers.parse("the release should run {which} version of the chart"))
def runs_chart_version(release: Release, which: str) -> None:
    """this: the chart under test; an earlier: the copy it was installed from (acceptance.chart.previous)."""
    current = previous.version(release.chart)
    problem = release.chart_version_problem(current if which == "this" else previous.earlier_version(current))
    assert problem is None, problem

