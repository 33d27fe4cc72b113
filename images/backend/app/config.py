"""Configuration from the environment; secrets are masked whenever it is shown."""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "sqlite:////app/data/todo.db"
DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


def mask_url(url: str) -> str:
    """Return the URL with its password and every query value replaced by '***' (drivers and hosted
    databases accept credentials and tokens as query parameters too)."""
    try:
        parsed = make_url(url)
        shown = parsed.set(query={}).render_as_string(hide_password=True)
        return shown + ("?" + "&".join(f"{key}=***" for key in parsed.query) if parsed.query else "")
    except Exception:  # noqa: BLE001 - an unparseable URL may still hold a secret
        return "<unparseable URL>"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def openai_base_url_problem(url: str) -> str | None:
    """Why OPENAI_BASE_URL would expose the API key, or None: it goes in every request's Authorization header, so
    it must travel over https, or over plain http only to this host (a local proxy or test server)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and host:
        if _is_loopback(host):
            return None
        return (f"OPENAI_BASE_URL {mask_url(url)} would send the OpenAI API key unencrypted to {host}: "
                f"use an https:// URL (default {DEFAULT_OPENAI_BASE_URL}); plain http:// is only allowed to "
                "a loopback host (127.0.0.1, localhost or [::1])")
    return (f"OPENAI_BASE_URL {mask_url(url)} is not an http(s) URL with a host: "
            f"use an https:// URL such as the default {DEFAULT_OPENAI_BASE_URL}")


def _mask_secret(value: str) -> str:
    return "***" if value else "<unset>"


@dataclass(frozen=True)
class Settings:
    """Runtime settings; fields holding secrets are left out of repr()."""

    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)
    log_level: str = "INFO"
    app_env: str = "production"
    openai_api_key: str = field(default="", repr=False)
    openai_model: str = DEFAULT_OPENAI_MODEL
    openai_base_url: str = DEFAULT_OPENAI_BASE_URL
    neon_api_key: str = field(default="", repr=False)
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read settings from env (default: os.environ); empty values fall back to defaults."""
        env = os.environ if env is None else env

        def get(name: str, default: str = "") -> str:
            return env.get(name, "").strip() or default

        origins = tuple(o.strip() for o in get("CORS_ORIGINS").split(",") if o.strip())
        return cls(
            database_url=get("DATABASE_URL", DEFAULT_DATABASE_URL),
            log_level=get("LOG_LEVEL", "INFO").upper(),
            app_env=get("APP_ENV", "production"),
            openai_api_key=get("OPENAI_API_KEY"),
            openai_model=get("OPENAI_MODEL", DEFAULT_OPENAI_MODEL),
            openai_base_url=get("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL).rstrip("/"),
            neon_api_key=get("NEON_API_KEY"),
            cors_origins=origins,
        )

    def masked(self) -> dict[str, str]:
        """The settings as strings fit for a log line: no secret value appears."""
        return {
            "DATABASE_URL": mask_url(self.database_url),
            "LOG_LEVEL": self.log_level,
            "APP_ENV": self.app_env,
            "OPENAI_API_KEY": _mask_secret(self.openai_api_key),
            "OPENAI_MODEL": self.openai_model,
            "OPENAI_BASE_URL": mask_url(self.openai_base_url),
            "NEON_API_KEY": _mask_secret(self.neon_api_key),
            "CORS_ORIGINS": ",".join(self.cors_origins) or "<none>",
        }
