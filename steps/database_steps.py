"""Steps about the backend's database when its URL names a PostgreSQL server: where the todos are kept."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from acceptance.core.outcome import NotJudged
from acceptance.docker_engine.postgresql import PostgreSQL
from acceptance.profile.database import database_credential
from fixtures.images import Containers, Running
from fixtures.options import Settings


def database_environment(settings: Settings, server: PostgreSQL) -> dict[str, str]:
    """The backend's environment naming server as its database, under the credential the profile says holds it."""
    credential = database_credential(settings.profile)
    if not credential:
        raise NotJudged(f"the profile {settings.profile.source.name} names no database credential (database.credential)",
                        "fix: name the credential that holds the backend's database URL under database.credential")
    return {credential: server.url}


@given("a PostgreSQL server in a container of its own", target_fixture="postgresql")
def postgresql_started(postgresql_server: PostgreSQL) -> PostgreSQL:
    return postgresql_server


@given('a "backend" container is started with its database URL naming that PostgreSQL', target_fixture="container")
def backend_on_postgresql(containers: Containers, settings: Settings, postgresql: PostgreSQL) -> Running:
    return containers.start("backend", network=postgresql.network, environment=database_environment(settings, postgresql))


@when(parsers.parse('"{title}" is added through that backend, which is then stopped and removed'))
def add_then_remove(containers: Containers, container: Running, title: str) -> None:
    container.app.create_todo(title)
    containers.stop(container)


@then(parsers.parse('the PostgreSQL database should hold "{title}"'))
def database_holds(postgresql: PostgreSQL, title: str) -> None:
    dump = postgresql.dump()
    assert title in dump, f"no row of the PostgreSQL database holds {title!r}: the backend kept it elsewhere; pg_dump --data-only:\n{dump[-2000:]}"


@then(parsers.parse('a new "backend" container with the same database URL should list "{title}"'))
def new_backend_lists(containers: Containers, settings: Settings, postgresql: PostgreSQL, title: str) -> None:
    successor = containers.start("backend", network=postgresql.network, environment=database_environment(settings, postgresql))
    successor.app.todo(title)
