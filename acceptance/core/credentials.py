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
    """Unique fake credentials: if one shows up outside the Secret, a credential leaked."""

    def __init__(self, tag: str):
        self.values = {
            "DATABASE_URL": f"postgresql://canary:canary-db-{tag}@db.invalid:5432/todo",
            "OPENAI_API_KEY": f"sk-canary-openai-{tag}",
            "NEON_API_KEY": f"canary-neon-{tag}",
        }

    @property
    def working_database_url(self) -> str:
        """A DATABASE_URL a running backend can use, carrying the database canary: the default SQLite file,
        named as an SQLite URI whose extra query parameter SQLite ignores (a real URL's password cannot
        work without a database server)."""
        return f"sqlite:///file:/app/data/todo.db?canary={self.database_secret}&uri=true"

    @property
    def container_environment(self) -> dict[str, str]:
        """All three credentials as a backend container reads them, its OpenAI client pointed where nothing answers."""
        return {"DATABASE_URL": self.working_database_url, "OPENAI_API_KEY": self.values["OPENAI_API_KEY"],
                "NEON_API_KEY": self.values["NEON_API_KEY"], "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}

    @property
    def release_credentials(self) -> dict[str, str]:
        """All three credentials, by environment name, for a release that must run (its database URL works)."""
        return {**self.values, "DATABASE_URL": self.working_database_url}

    @property
    def database_secret(self) -> str:
        """The secret part of the database canary: the URL's password."""
        return self.values["DATABASE_URL"].split("canary:", 1)[1].split("@", 1)[0]

    def parts(self) -> list[str]:
        """The secret part of each canary (a URL's password, each key)."""
        return [self.database_secret, self.values["OPENAI_API_KEY"], self.values["NEON_API_KEY"]]

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

    @classmethod
    def fresh(cls) -> Canaries:
        """Canaries with a tag no earlier run used."""
        return cls(uuid.uuid4().hex[:12])
