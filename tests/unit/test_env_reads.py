"""Which ConfigMap keys an application's sources read: names as the reading libraries read them, comments not reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.chart.sources import unread_names


def app(tmp_path: Path, name: str, text: str) -> Path:
    """A build context holding one source file."""
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text)
    return tmp_path


SETTINGS = """\
from pydantic import Field, AliasChoices
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
{body}
"""


@pytest.mark.parametrize(("body", "read", "unread"), [
    # pydantic-settings reads a field from the variable of its name, case-insensitively by default
    ("    debug: bool = False\n    log_level: str = 'INFO'", ["DEBUG", "LOG_LEVEL", "debug"], ["APP_DEBUG"]),
    # env_prefix comes before every field's name
    ("    model_config = SettingsConfigDict(env_prefix='APP_')\n    debug: bool = False", ["APP_DEBUG", "app_debug"], ["DEBUG"]),
    ("    debug: bool = False\n\n    class Config:\n        env_prefix = 'APP_'", ["APP_DEBUG"], ["DEBUG"]),
    ("    model_config = {'env_prefix': 'APP_'}\n    debug: bool = False", ["APP_DEBUG"], ["DEBUG"]),
    # case_sensitive=True: only the exact spelling
    ("    model_config = SettingsConfigDict(case_sensitive=True)\n    debug: bool = False", ["debug"], ["DEBUG"]),
    # an alias replaces the name, and the prefix does not apply to it
    ("    model_config = SettingsConfigDict(env_prefix='APP_')\n    db: str = Field('', alias='DATABASE_URL')", ["DATABASE_URL"], ["APP_DB", "DB"]),
    ("    db: str = Field('', validation_alias='DB_URL')", ["DB_URL", "db_url"], ["DB"]),
    ("    db: str = Field('', validation_alias=AliasChoices('DATABASE_URL', 'DB_URL'))", ["DATABASE_URL", "DB_URL"], ["DB"]),
    ("    db: str = Field('', env='DB_URL')", ["DB_URL"], ["DB"]),          # pydantic 1's BaseSettings
    # not fields: private attributes, class variables, the configuration itself
    ("    _cache: dict = {}\n    VERSION: ClassVar[str] = '1'\n    model_config = SettingsConfigDict()", [], ["CACHE", "_CACHE", "MODEL_CONFIG"]),
])
def test_a_pydantic_settings_class_reads_its_fields_as_pydantic_settings_names_them(tmp_path, body, read, unread):
    root = app(tmp_path, "app/config.py", SETTINGS.format(body=body))

    assert unread_names(read + unread, root) == unread


def test_a_subclass_reads_its_parents_fields_with_its_own_prefix(tmp_path):
    text = SETTINGS.format(body="    debug: bool = False") + (
        "\n\nclass AppSettings(Settings):\n    model_config = SettingsConfigDict(env_prefix='APP_')\n    workers: int = 1\n")
    root = app(tmp_path, "app/config.py", text)

    assert unread_names(["DEBUG", "APP_DEBUG", "APP_WORKERS", "WORKERS"], root) == ["WORKERS"]


def test_a_field_of_a_class_that_is_no_settings_class_reads_nothing(tmp_path):
    text = ("from dataclasses import dataclass\nfrom pydantic import BaseModel\n\n\n@dataclass\nclass Options:\n    debug: bool = False\n\n\n"
            "class Todo(BaseModel):\n    title: str\n")
    root = app(tmp_path, "app/models.py", text)

    assert unread_names(["DEBUG", "TITLE"], root) == ["DEBUG", "TITLE"]


@pytest.mark.parametrize("line", [
    'level = os.environ["LOG_LEVEL"]',
    'level = os.environ.get("LOG_LEVEL", "INFO")',
    "level = os.getenv('LOG_LEVEL')",
    'level = settings.get("LOG_LEVEL")  # a helper of their own: the name is in the code',
])
def test_python_reads_the_names_its_code_holds(tmp_path, line):
    root = app(tmp_path, "app/main.py", f"import os\n{line}\n")

    assert unread_names(["LOG_LEVEL", "APP_ENV"], root) == ["APP_ENV"]


@pytest.mark.parametrize("text", [
    "import os\n# APP_ENV is not read yet\nlevel = os.environ['LOG_LEVEL']\n",
    "import os\nlevel = os.environ['LOG_LEVEL']  # TODO: read APP_ENV too\n",
    "import os\n\n\nclass Settings:  # APP_ENV\n    level = os.getenv('LOG_LEVEL')\n",
])
def test_a_name_only_a_python_comment_holds_is_unread(tmp_path, text):
    root = app(tmp_path, "app/main.py", text)

    assert unread_names(["LOG_LEVEL", "APP_ENV"], root) == ["APP_ENV"]


@pytest.mark.parametrize("line", [
    "const port = process.env.PORT || 3000;",
    "const port = process.env['PORT'];",
    'const port = process.env["PORT"]; // the port',
    "const { PORT } = process.env;",
    'const url = "http://example.org/api"; const port = process.env.PORT;',   # // inside a string is no comment
    "const url = `http://${host}/`; const port = process.env.PORT;",
])
def test_javascript_reads_the_names_its_code_holds(tmp_path, line):
    root = app(tmp_path, "src/server.js", f"{line}\n")

    assert unread_names(["PORT", "API_URL"], root) == ["API_URL"]


@pytest.mark.parametrize("text", [
    "// API_URL is not read yet\nconst port = process.env.PORT;\n",
    "const port = process.env.PORT; // API_URL later\n",
    "/* API_URL\n   is not read yet */\nconst port = process.env.PORT;\n",
    "/** @see API_URL */ const port = process.env.PORT;\n",
])
def test_a_name_only_a_javascript_comment_holds_is_unread(tmp_path, text):
    root = app(tmp_path, "src/server.ts", text)

    assert unread_names(["PORT", "API_URL"], root) == ["API_URL"]


def test_a_name_inside_a_longer_name_is_unread(tmp_path):
    """DATABASE_URL is another variable: code reading it does not read DATABASE."""
    root = app(tmp_path, "app/db.py", "import os\nurl = os.environ['DATABASE_URL']\n")

    assert unread_names(["DATABASE", "DATABASE_URL", "URL"], root) == ["DATABASE", "URL"]


def test_os_environ_is_case_sensitive(tmp_path):
    root = app(tmp_path, "app/main.py", "import os\nlevel = os.environ['LOG_LEVEL']\n")

    assert unread_names(["log_level", "LOG_LEVEL"], root) == ["log_level"]


def test_a_python_file_that_does_not_parse_is_read_as_text(tmp_path):
    """A file tokenize refuses (Python 2, a merge conflict) still counts what it names: no verdict from what it cannot read."""
    root = app(tmp_path, "app/legacy.py", "print 'x'\nlevel = os.environ['LOG_LEVEL'\n  # APP_ENV\n")

    assert unread_names(["LOG_LEVEL", "APP_ENV", "DATA_DIR"], root) == ["DATA_DIR"]
