"""Unit tests of acceptance/core/database.py: the profile's SQLite database, its data directory, and the cases where
the suite has no database to give a backend (not judged, never a failure of the deployment)."""

from __future__ import annotations

import dataclasses

import pytest

from acceptance.core.outcome import NotJudged
from acceptance.profile.database import SqliteDatabase
from acceptance.profile.model import Profile, reference


def with_database(database: dict[str, str] | None) -> Profile:
    data = {key: value for key, value in reference().data.items() if key != "database"}
    return dataclasses.replace(reference(), data={**data, **({"database": database} if database else {})})


def test_the_reference_database_is_the_seeds_sqlite_file_on_app_data():
    database = SqliteDatabase.of(reference(), "c4n4ry")

    assert database == SqliteDatabase("DATABASE_URL", "sqlite:///file:/app/data/todo.db?canary=c4n4ry&uri=true", "/app/data")
    assert database.in_missing_directory() == "sqlite:///file:/nonexistent/app/data/todo.db?canary=c4n4ry&uri=true"


def test_another_teams_database_takes_its_credential_name_and_directory():
    database = SqliteDatabase.of(with_database({"credential": "TODO_DB", "url": "sqlite:////var/lib/todo/tasks.sqlite?x={canary}"}))

    assert (database.credential, database.directory) == ("TODO_DB", "/var/lib/todo")
    assert database.in_missing_directory() == "sqlite:////nonexistent/var/lib/todo/tasks.sqlite?x=canary"


@pytest.mark.parametrize(("database", "cause"), [
    (None, "the profile names no database (database.credential, database.url)"),
    ({"credential": "NEON_DB_URL", "url": "postgresql://canary:{canary}@db.invalid/todo"}, "the profile's database URL is not an absolute SQLite file"),
    ({"credential": "DATABASE_URL", "url": "sqlite:///todo.db?c={canary}"}, "the profile's database URL is not an absolute SQLite file"),
])
def test_no_sqlite_database_in_the_profile_is_not_judged(database, cause):
    with pytest.raises(NotJudged) as raised:
        SqliteDatabase.of(with_database(database))

    assert raised.value.cause.startswith(cause), raised.value.cause
