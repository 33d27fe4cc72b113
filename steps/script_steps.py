"""Steps about the deployment scripts, .env.example and the deployment guide."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pytest_bdd import given, parsers, then, when

from fixtures import commands
from fixtures.commands import Result
from fixtures.credentials import credential_like
from fixtures.options import Settings
from steps.phrases import quoted

STRICT_MODE = re.compile(r"^\s*set -(euo pipefail|eu -o pipefail|o errexit -o nounset -o pipefail)\b", re.MULTILINE)


@given(parsers.parse('the deployment script "{name}"'), target_fixture="script")
def the_script(settings: Settings, name: str) -> Path:
    path = settings.scripts_dir / name
    assert path.is_file(), f"{path} is missing"
    return path


@given(parsers.parse('the file "{name}"'), target_fixture="text_file")
def the_file(settings: Settings, name: str) -> Path:
    path = settings.project_root / name
    assert path.is_file(), f"{path} is missing"
    return path


@given("the deployment guide", target_fixture="guide")
def the_guide(settings: Settings) -> str:
    path = settings.scripts_dir / "README.md"
    assert path.is_file(), f"the deployment guide {path} is missing"
    return path.read_text()


@then("it should be executable and run in strict mode")
def strict_and_executable(script: Path) -> None:
    assert os.access(script, os.X_OK), f"{script.name} is not executable (chmod +x)"
    text = script.read_text()
    assert text.startswith("#!") and "bash" in text.splitlines()[0], f"{script.name} does not start with a bash shebang"
    assert STRICT_MODE.search(text), f"{script.name} does not `set -euo pipefail`"


@then(parsers.parse('"{option}" should exit 0 and print a usage'))
def help_prints_usage(script: Path, option: str) -> None:
    result = commands.run([str(script), option], timeout=30)
    assert result.ok and "usage" in result.stdout.lower(), f"{script.name} {option} should print a usage and exit 0:\n{result.describe()}"


@then("an unknown option should fail with a message naming it")
def unknown_option(script: Path) -> None:
    result = commands.run([str(script), "--no-such-option"], timeout=30)
    assert not result.ok and "--no-such-option" in result.stderr, f"{script.name} should reject --no-such-option on stderr:\n{result.describe()}"


@then("shellcheck should report nothing")
def shellcheck_clean(script: Path) -> None:
    result = commands.run(["shellcheck", "-x", script.name], cwd=script.parent, timeout=60)
    assert result.ok, f"shellcheck findings in {script.name}:\n{result.stdout}{result.stderr}"


@when(parsers.parse('it is run with "{option}" pointing at a missing file'), target_fixture="outcome")
def run_with_missing_file(script: Path, option: str, tmp_path: Path) -> Result:
    return commands.run([str(script), option, str(tmp_path / "missing.env")], timeout=60)


@when(parsers.parse('it is run without "{tool}" on the PATH'), target_fixture="outcome")
def run_without_tool(script: Path, tool: str, tmp_path: Path) -> Result:
    environment = {**os.environ, "PATH": commands.path_without(tool, tmp_path / "bin")}
    return commands.run([str(script)], timeout=60, env=environment)


@then(parsers.re(r"it should define (?P<names>.+)"))
def file_defines(text_file: Path, names: str) -> None:
    defined = set(re.findall(r"^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=", text_file.read_text(), re.MULTILINE))
    missing = [name for name in quoted(names) if name not in defined]
    assert not missing, f"{text_file.name} does not define {missing}; it defines {sorted(defined)}"


@then("it should hold no credential-like value")
def file_holds_no_credentials(text_file: Path) -> None:
    found = credential_like(text_file.read_text())
    assert not found, f"{text_file.name} holds values that look like real credentials: {found}"


def _headings(markdown: str) -> list[str]:
    return [match.strip() for match in re.findall(r"^#{1,6}\s+(.+)$", markdown, re.MULTILINE)]


@then(parsers.re(r"it should have the sections (?P<names>.+)"))
def guide_sections(guide: str, names: str) -> None:
    headings = [heading.lower() for heading in _headings(guide)]
    missing = [name for name in quoted(names) if not any(heading == name.lower() or heading.endswith(" " + name.lower()) or heading.startswith(name.lower()) for heading in headings)]
    assert not missing, f"the guide lacks sections {missing}; its headings: {_headings(guide)}"


@then(parsers.re(r"it should mention (?P<phrases>.+)"))
def guide_mentions(guide: str, phrases: str) -> None:
    missing = [phrase for phrase in quoted(phrases) if phrase not in guide]
    assert not missing, f"the guide does not mention {missing}"


@then(parsers.re(r'its "(?P<section>[^"]+)" section should mention (?P<phrases>.+)'))
def section_mentions(guide: str, section: str, phrases: str) -> None:
    match = re.search(rf"^(#{{1,6}})\s+[^\n]*{re.escape(section)}[^\n]*\n(.*?)(?=^\1\s|\Z)", guide, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    assert match, f"the guide has no {section!r} section"
    missing = [phrase for phrase in quoted(phrases) if phrase not in match.group(2)]
    assert not missing, f"the guide's {section} section does not mention {missing}"
