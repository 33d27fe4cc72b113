"""The backend's database and credentials as the profile names them (database, values.credentials): the canaries the
suite gives them, and the SQLite file and its data directory that the image tier makes read-only or missing and the
cluster tier reads on the claim."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from acceptance.core.credentials import Canaries
from acceptance.core.outcome import NotJudged
from acceptance.profile.model import dig

if TYPE_CHECKING:
    from acceptance.profile.model import Profile

# Where a data directory is moved to make it missing: no image has it.
MISSING_ROOT = "/nonexistent"


def sqlite_path(url: str) -> str | None:
    """The file an SQLite URL names ('sqlite:////abs/file.db', 'sqlite:///file:/abs/file.db?...'); None for another database."""
    if not url.startswith("sqlite:///"):
        return None
    return url[len("sqlite:///"):].split("?", 1)[0].removeprefix("file:")


def database_credential(profile: Profile) -> str | None:
    """The credential, by environment name, that holds the backend's database URL (database.credential); None when
    the profile names none (the checks of the database's file are then not judged)."""
    value: str | None = dig(profile.data, "database", "credential")
    return value


def database_url(profile: Profile, canary: str) -> str | None:
    """A database URL a running backend can use, carrying canary (database.url, {canary} filled in); None when the
    profile gives none."""
    template: str | None = dig(profile.data, "database", "url")
    return template.replace("{canary}", canary) if template else None


def changeable_credential(profile: Profile) -> str:
    """The first credential the chart takes, by environment name, that is not the database's (the seed's
    OPENAI_API_KEY): changing it moves no data.

    Raises:
        NotJudged: the profile names no credential but the database's.
    """
    others = [name for name in profile.credential_names() if name != database_credential(profile)]
    if not others:
        raise NotJudged(f"the profile {profile.source.name} names no credential but the database's (values.credentials)",
                        "fix: list the chart's other credentials under values.credentials")
    return others[0]


def canaries(profile: Profile, tag: str | None = None) -> Canaries:
    """Canaries of the credentials the chart takes (values.credentials), the database's in its URL (database); a tag
    no earlier run used when none is given."""
    tag = tag or Canaries.fresh_tag()
    return Canaries(tag, profile.credential_names(), database_credential(profile), database_url(profile, Canaries.database_secret_of(tag)))


@dataclass(frozen=True)
class SqliteDatabase:
    credential: str  # the environment variable that holds the URL
    url: str  # a URL a running backend can use
    directory: str  # the directory of its file: the data directory

    @classmethod
    def of(cls, profile: Profile, canary: str = "canary") -> SqliteDatabase:
        """The profile's database, its URL carrying canary.

        Raises:
            NotJudged: the profile names no database, or one that is not an SQLite file (the suite has no other
                database to give a backend).
        """
        credential, url = database_credential(profile), database_url(profile, canary)
        if credential is None or url is None:
            raise NotJudged("the profile names no database (database.credential, database.url)",
                            f"fix: give the credential that holds the backend's database URL and an SQLite URL with {{canary}} "
                            f"in it, in the profile {profile.source.name} (see profiles/reference.yaml)")
        path = sqlite_path(url)
        if path is None or not path.startswith("/"):
            raise NotJudged(f"the profile's database URL is not an absolute SQLite file ({url.split('?', 1)[0]})",
                            "fix: give database.url as sqlite:////ABSOLUTE/FILE (the suite has no other database server)")
        return cls(credential, url, posixpath.dirname(path))

    def in_missing_directory(self) -> str:
        """The URL with its file in a directory no image holds."""
        return self.url.replace(self.directory, MISSING_ROOT + self.directory, 1)
