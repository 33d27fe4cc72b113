"""Canary credentials and a detector for values that look like real credentials."""

from __future__ import annotations

import base64
import re
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    import requests

# Shapes of real credentials: provider keys, URLs with a password, long random tokens.
CREDENTIAL_PATTERNS = {
    "OpenAI-style key": re.compile(r"\bsk-[A-Za-z0-9_-]{16,}"),
    "URL with a password": re.compile(r"://[^/\s:@]+:[^@\s/]{3,}@"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    # 32+ characters with digits and letters beyond hex: random tokens, not sha256 digests or words.
    "long random token": re.compile(r"(?<![A-Za-z0-9/+_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[g-zG-Z])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9/+_-])"),
}


def credential_like(text: str) -> list[str]:
    """Every fragment of text shaped like a real credential, named by its shape."""
    found = []
    for shape, pattern in CREDENTIAL_PATTERNS.items():
        found += [f"{shape}: {match.group(0)[:40]}" for match in pattern.finditer(text)]
    return found


class Canaries:
    """Unique fake credentials, one per credential the chart takes, under the profile's names: if one shows up outside
    the Secret, a credential leaked. The database's carries its canary in a URL the backend can use, where the profile
    gives one (database.url); without one it is a URL no backend reaches."""

    def __init__(self, tag: str, names: Iterable[str], database: str | None = None, database_url: str | None = None):
        self.database, self.database_secret = database, self.database_secret_of(tag)
        self.values = {name: f"sk-canary-{name.lower().replace('_', '-')}-{tag}" for name in names}
        if database in self.values:
            self.values[database] = database_url or f"postgresql://canary:{self.database_secret}@db.invalid:5432/todo"

    @property
    def container_environment(self) -> dict[str, str]:
        """Every credential as a backend container reads them, its OpenAI client pointed where nothing answers."""
        return {**self.values, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}

    def parts(self) -> list[str]:
        """The secret part of each canary (the database URL's canary, each other value)."""
        return [self.database_secret if name == self.database else value for name, value in self.values.items()]

    def secrets(self) -> list[str]:
        """The parts of each canary that must never leak, plain and base64."""
        return self.parts() + [base64.b64encode(part.encode()).decode() for part in self.parts()]

    def found_in(self, text: str) -> list[str]:
        return [secret for secret in self.secrets() if secret in text]

    def missing_from(self, text: str) -> list[str]:
        """The canary parts that text (decoded Secret values) does not hold."""
        return [part for part in self.parts() if part not in text]

    def found_in_responses(self, responses: Iterable[requests.Response]) -> list[str]:
        """'METHOD URL: secret' for every canary in a response's body or headers."""
        return [f"{response.request.method} {response.url}: {found}" for response in responses
                for found in [self.found_in(response.text + str(response.headers))] if found]

    @staticmethod
    def fresh_tag() -> str:
        """A tag no earlier run used."""
        return uuid.uuid4().hex[:12]

    @staticmethod
    def database_secret_of(tag: str) -> str:
        """The secret part of the database's canary: what a database URL carries."""
        return f"canary-db-{tag}"
