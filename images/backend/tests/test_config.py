"""Settings from the environment; secrets never shown in repr, logs or responses."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from app.config import DEFAULT_DATABASE_URL, Settings, mask_url, openai_base_url_problem
from app.main import create_app

SECRETS = {
    "DATABASE_URL": "postgresql://todo:db-pass-123@127.0.0.1:1/todo",
    "OPENAI_API_KEY": "sk-secret-456",
    "NEON_API_KEY": "neon-secret-789",
}


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:////app/data/todo.db"
    assert settings.log_level == "INFO" and settings.openai_api_key == ""
    assert settings.openai_base_url == "https://api.openai.com/v1"
    assert settings.cors_origins == ()


def test_from_env() -> None:
    settings = Settings.from_env({
        **SECRETS, "LOG_LEVEL": "debug", "APP_ENV": "staging", "OPENAI_MODEL": "m",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1/", "CORS_ORIGINS": "http://a, http://b",
    })
    assert settings.log_level == "DEBUG" and settings.app_env == "staging" and settings.openai_model == "m"
    assert settings.openai_base_url == "http://127.0.0.1:9/v1"
    assert settings.cors_origins == ("http://a", "http://b")


def test_secrets_are_masked() -> None:
    settings = Settings.from_env(SECRETS)
    shown = repr(settings) + str(settings.masked())
    for secret in ("db-pass-123", "sk-secret-456", "neon-secret-789"):
        assert secret not in shown
    assert settings.masked()["OPENAI_API_KEY"] == "***"
    assert settings.masked()["DATABASE_URL"] == "postgresql://todo:***@127.0.0.1:1/todo"
    assert Settings.from_env({}).masked()["NEON_API_KEY"] == "<unset>"
    assert mask_url("::not a url::") == "<unparseable URL>"


def test_query_values_are_masked() -> None:
    """Hosted databases take tokens as query parameters (Neon's options=endpoint..., password=...)."""
    shown = mask_url("postgresql://todo@db.example/todo?sslmode=require&password=query-pass-1")
    assert "query-pass-1" not in shown and "password=***" in shown
    assert mask_url("sqlite:///file:/app/data/todo.db?canary=abc&uri=true") == "sqlite:///file%3A/app/data/todo.db?canary=***&uri=***"
    assert mask_url("sqlite:////app/data/todo.db") == "sqlite:////app/data/todo.db"


def test_startup_logs_config_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(Settings.from_env(SECRETS))) as client:
        health = client.get("/health")
        todos = client.get("/api/todos")
    assert "config: DATABASE_URL=postgresql://todo:***@127.0.0.1:1/todo" in caplog.text
    for secret in ("db-pass-123", "sk-secret-456", "neon-secret-789"):
        assert secret not in caplog.text
        assert secret not in health.text and secret not in todos.text


def test_cors_only_when_configured(settings) -> None:
    preflight = {"Origin": "http://ui.example", "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(settings)) as client:
        assert "access-control-allow-origin" not in client.options("/api/todos", headers=preflight).headers
    with TestClient(create_app(replace(settings, cors_origins=("http://ui.example",)))) as client:
        response = client.options("/api/todos", headers=preflight)
        assert response.headers["access-control-allow-origin"] == "http://ui.example"


@pytest.mark.parametrize("url", ["not a url s3cret", "mysql://u:s3cret@127.0.0.1/db", "postgresql://u:s3cret@h:port/db"])
def test_unusable_database_url_fails_fast_without_the_secret(url: str) -> None:
    with pytest.raises(RuntimeError) as raised:
        create_app(Settings(database_url=url))
    assert "not a usable database URL" in str(raised.value)
    assert "s3cret" not in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


@pytest.mark.parametrize("url", ["https://api.openai.com/v1", "https://proxy.example:8443/openai/v1",
                                 "http://127.0.0.1:9/v1", "http://127.8.9.10/v1", "http://localhost:8080/v1",
                                 "http://LOCALHOST/v1", "http://[::1]:8080/v1"])
def test_an_openai_base_url_over_https_or_to_loopback_is_accepted(settings, url: str) -> None:
    assert openai_base_url_problem(url) is None
    create_app(replace(settings, openai_base_url=url))


@pytest.mark.parametrize("url", ["http://api.example.com/v1", "http://10.0.0.5:8080/v1", "http://[2001:db8::1]/v1",
                                 "http://localhost.example.com/v1", "http://user:pw-s3cret@proxy.example/v1"])
def test_an_openai_base_url_in_clear_text_to_another_host_fails_at_startup(settings, url: str) -> None:
    """The API key goes in every request's header: plain http may only carry it to this host."""
    with pytest.raises(RuntimeError) as raised:
        create_app(replace(settings, openai_base_url=url))
    message = str(raised.value)
    assert message.startswith("OPENAI_BASE_URL http://") and "would send the OpenAI API key unencrypted" in message
    assert "use an https:// URL" in message and "127.0.0.1, localhost or [::1]" in message
    assert "pw-s3cret" not in message


@pytest.mark.parametrize("url", ["ftp://files.example/v1", "file:///etc/passwd", "api.openai.com/v1", "https:///v1"])
def test_an_openai_base_url_that_is_not_http_fails_at_startup(settings, url: str) -> None:
    with pytest.raises(RuntimeError, match="is not an http\\(s\\) URL with a host: use an https:// URL"):
        create_app(replace(settings, openai_base_url=url))


def test_the_base_url_is_checked_from_the_environment_too() -> None:
    with pytest.raises(RuntimeError, match="unencrypted to api.example.com"):
        create_app(Settings.from_env({"OPENAI_BASE_URL": "http://api.example.com/v1"}))
