"""Unit tests of acceptance/core/credentials.py: what credential_like flags and what it leaves alone; Canaries.found_in."""

from __future__ import annotations

import base64
import hashlib

import pytest

from acceptance.core.credentials import Canaries, credential_like
from acceptance.profile import database
from acceptance.profile.model import reference

SHA256_OF_EMPTY = hashlib.sha256(b"").hexdigest()


def reference_canaries(tag: str) -> Canaries:
    """The reference profile's canaries with a fixed tag."""
    return database.canaries(reference(), tag)


@pytest.mark.parametrize(("text", "shape"), [
    ("OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5q", "OpenAI-style key"),
    ('openaiApiKey: "sk-abcdefghijklmnop1234"', "OpenAI-style key"),
    ("DATABASE_URL=postgresql://todo:s3cretPassw0rd@db.example.com:5432/todo", "URL with a password"),
    ("redis://default:hunter22@cache:6379/0", "URL with a password"),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AWS access key"),
    ("NEON_API_KEY=napi_k3Jd9sLq2mXw7vBz4tRy8uPc1oNf6gHe", "long random token"),
    ("token: a8Zk3mQ9pL2xR7vT4nB6cY1dF5gH0jKw", "long random token"),
], ids=["openai-env", "openai-yaml", "postgres-url", "redis-url", "aws", "neon-token", "bare-token"])
def test_flags_values_shaped_like_real_credentials(text, shape):
    found = credential_like(text)

    assert any(entry.startswith(f"{shape}: ") for entry in found), f"{text!r} not flagged as {shape}; found {found}"


@pytest.mark.parametrize("text", [
    f"sha256:{SHA256_OF_EMPTY}",
    f"checksum/config: {SHA256_OF_EMPTY}",
    SHA256_OF_EMPTY.upper(),
    "DATABASE_URL=sqlite:///app/data/todo.db",
    "DATABASE_URL=sqlite:////app/data/todo.db",
    "OPENAI_API_KEY=",
    'openaiApiKey: ""',
    "",
    "internationalization-and-localization-requirements-document",
    "readinessProbe livenessProbe startupProbe securityContext runAsNonRoot",
    "123e4567-e89b-12d3-a456-426614174000",
    "http://todo-chatbot-backend:8000/api/health",
    "PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1",
], ids=["sha256-prefixed", "sha256-annotation", "sha256-upper", "sqlite-url", "sqlite-absolute", "empty-env", "empty-yaml",
        "empty", "long-word", "ordinary-words", "uuid", "url-without-password", "env-flags"])
def test_leaves_digests_sqlite_urls_empty_values_and_words_alone(text):
    assert credential_like(text) == [], f"{text!r} wrongly flagged"


def test_reports_each_credential_once_with_its_shape_and_a_bounded_excerpt():
    key = "sk-" + "A1b2C3d4" * 10
    found = credential_like(f"first={key}\nsecond=mysql://root:toor1@db/app\n")

    assert f"OpenAI-style key: {key[:40]}" in found, found
    assert any(entry.startswith("URL with a password: ://root:toor1@") for entry in found), found
    assert all(len(entry.split(": ", 1)[1]) <= 40 for entry in found), f"an excerpt is longer than 40 characters: {found}"


def test_canaries_are_unique_per_tag_and_feed_the_chart_values():
    first, second = reference_canaries("aaa111"), reference_canaries("bbb222")

    assert set(first.secrets()).isdisjoint(second.secrets())
    assert reference().credential_values(first.values) == {"databaseUrl": first.values["DATABASE_URL"], "openaiApiKey": first.values["OPENAI_API_KEY"],
                                                           "neonApiKey": first.values["NEON_API_KEY"]}
    assert first.values["DATABASE_URL"] == "sqlite:///file:/app/data/todo.db?canary=canary-db-aaa111&uri=true"
    assert first.parts() == ["canary-db-aaa111", "sk-canary-openai-api-key-aaa111", "sk-canary-neon-api-key-aaa111"]


def test_canaries_take_another_teams_names_and_database():
    """A team's own credential names each get a canary; without a database URL in the profile the database's canary is
    a URL no backend reaches, its password the secret part."""
    found = Canaries("t3st", ["NEON_DB_URL", "GROQ_API_KEY"], database="NEON_DB_URL")

    assert list(found.values) == ["NEON_DB_URL", "GROQ_API_KEY"]
    assert found.values["NEON_DB_URL"] == "postgresql://canary:canary-db-t3st@db.invalid:5432/todo"
    assert found.parts() == ["canary-db-t3st", "sk-canary-groq-api-key-t3st"]
    assert found.container_environment["GROQ_API_KEY"] == "sk-canary-groq-api-key-t3st"
    assert "DATABASE_URL" not in found.container_environment


def test_canaries_found_in_finds_each_secret_in_plain_form():
    canaries = reference_canaries("t3st")
    text = f"env: OPENAI_API_KEY={canaries.values['OPENAI_API_KEY']}\nurl={canaries.values['DATABASE_URL']}\n"

    found = canaries.found_in(text)

    assert canaries.values["OPENAI_API_KEY"] in found, found
    assert "canary-db-t3st" in found, f"the database password in the URL was not found: {found}"
    assert canaries.values["NEON_API_KEY"] not in found, found


def test_canaries_found_in_finds_base64_forms_as_a_secret_data_field_holds_them():
    canaries = reference_canaries("t3st")
    encoded = base64.b64encode(canaries.values["NEON_API_KEY"].encode()).decode()

    found = canaries.found_in(f"data:\n  NEON_API_KEY: {encoded}\n")

    assert found == [encoded], found


def test_canaries_found_in_is_empty_for_clean_text_and_other_tags():
    canaries = reference_canaries("t3st")
    other = reference_canaries("0ther")

    assert canaries.found_in("no credentials here: sqlite:///app/data/todo.db") == []
    assert canaries.found_in("\n".join(other.secrets())) == []

