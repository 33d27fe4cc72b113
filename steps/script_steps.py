"""Steps about the deployment scripts: strict, documented and lint-clean, their errors, and deploy.sh's care of the secrets in .env.

Every run of a script goes through the sandbox (acceptance.delivery.sandbox); shellcheck only reads it."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, then, when

from acceptance.core.run import Result, run
from acceptance.delivery import documents, env_files, scripts
from acceptance.delivery.fake_tools import FakeTools
from acceptance.delivery.sandbox import Sandbox
from fixtures.options import Settings


@given(parsers.parse('the deployment script "{name}"'), target_fixture="script")
def the_script(settings: Settings, name: str) -> Path:
    path = settings.script(scripts.role_of(name))
    assert path.is_file(), f"the {name} script (the profile's paths.scripts.{scripts.role_of(name)}) is missing: {path}"
    return path


@then("its error should name the env example file")
def error_names_env_example(outcome: Result, settings: Settings) -> None:
    name = settings.env_example.name
    assert not outcome.ok and name in outcome.output, f"the error does not name {name} (the profile's paths.env_example):\n{outcome.describe()}"


@then("it should be executable and run in strict mode")
def strict_and_executable(script: Path) -> None:
    problems = documents.script_problems(script)
    assert not problems, "\n".join(problems)


@then(parsers.parse('"{option}" should exit 0 and print a usage'))
def help_prints_usage(script: Path, sandbox: Sandbox, option: str) -> None:
    result = sandbox.run(script, option)
    assert result.ok and "usage" in result.stdout.lower(), f"{script.name} {option} should print a usage and exit 0:\n{result.describe()}"


@then("an unknown option should fail with a message naming it")
def unknown_option(script: Path, sandbox: Sandbox) -> None:
    result = sandbox.run(script, "--no-such-option")
    assert not result.ok and "--no-such-option" in result.stderr, f"{script.name} should reject --no-such-option on stderr:\n{result.describe()}"


@then("shellcheck should report nothing")
def shellcheck_clean(script: Path, settings: Settings) -> None:
    result = run(["shellcheck", "-x", script.name], cwd=script.parent, timeout=settings.timeouts.command)
    assert result.ok, f"shellcheck findings in {script.name}:\n{result.stdout}{result.stderr}"


@when(parsers.parse('it is run without "{tool}" on the PATH'), target_fixture="outcome")
def run_without_tool(script: Path, sandbox: Sandbox, tool: str) -> Result:
    """The other tools answer (recorded fakes), so the missing one is the script's only trouble: an error that another
    tool's refusal caused must not pass for it."""
    tools = FakeTools.install(sandbox, "no profile")
    sandbox.hide(tool)
    return tools.run(script)


@when(parsers.parse("it is run with a .env whose line 2 holds a secret with {defect}"), target_fixture="outcome")
def run_with_bad_env(script: Path, sandbox: Sandbox, tmp_path: Path, settings: Settings, secret: str, defect: str) -> Result:
    return sandbox.run(script, "--env-file", env_files.write(tmp_path / ".env", secret, settings.profile, defect))


@when(parsers.parse('it is run with a valid .env and a secret given as "{option}=..."'), target_fixture="outcome")
def run_with_secret_option(script: Path, sandbox: Sandbox, tmp_path: Path, settings: Settings, secret: str, option: str) -> Result:
    env_file = env_files.write(tmp_path / ".env", env_files.new_secret(), settings.profile)
    flag, key = option.split(" ", 1)
    return sandbox.run(script, "--env-file", env_file, flag, f"{key}={secret}")


@when("it is run with a valid .env that other users can read", target_fixture="outcome")
def run_with_readable_env(script: Path, sandbox: Sandbox, tmp_path: Path, settings: Settings, secret: str) -> Result:
    env_file = env_files.write(tmp_path / ".env", secret, settings.profile)
    env_file.chmod(0o644)
    return sandbox.run(script, "--env-file", env_file)


@then("no part of the secret should appear in its output")
def secret_not_shown(outcome: Result, secret: str) -> None:
    shown = [fragment for fragment in env_files.secret_fragments(secret) if fragment in outcome.output]
    assert not shown, f"the output shows the secret ({shown[-1][:4]}...):\n{outcome.describe().replace(secret, '<secret>')}"

