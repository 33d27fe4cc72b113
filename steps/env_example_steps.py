"""Steps about the env example file: the names it defines, and no value in it that looks like a real credential."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, then

from acceptance.core.credentials import credential_like
from acceptance.delivery import documents
from fixtures.options import Settings
from steps.phrases import quoted


@given("the env example file", target_fixture="text_file")
def the_env_example(settings: Settings) -> Path:
    path = settings.env_example
    assert path.is_file(), f"the env example (the profile's paths.env_example) is missing: {path}"
    return path


@then("it should define every credential the chart takes")
def file_defines_every_credential(text_file: Path, settings: Settings) -> None:
    file_defines(text_file, ", ".join(f'"{name}"' for name in settings.profile.credential_names()))


@then(parsers.re(r"it should define (?P<names>\".+)"))
def file_defines(text_file: Path, names: str) -> None:
    missing = [name for name in quoted(names) if name not in documents.defined_names(text_file)]
    assert not missing, f"{text_file.name} does not define {missing}; it defines {sorted(documents.defined_names(text_file))}"


@then("it should hold no credential-like value")
def file_holds_no_credentials(text_file: Path) -> None:
    found = credential_like(text_file.read_text())
    assert not found, f"{text_file.name} holds values that look like real credentials: {found}"

