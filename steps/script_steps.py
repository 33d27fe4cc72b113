"""Steps about the deployment scripts, .env.example and the deployment guide."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from acceptance.delivery import documents
from acceptance.delivery import env_files
from acceptance.delivery import scripts
from acceptance.delivery.fake_tools import FakeTools
from acceptance.delivery.guide import blocks as marked_blocks
from acceptance.core.credentials import credential_like
from acceptance.core.run import Result, path_without, run
from fixtures.options import Settings
from steps.phrases import quoted

# The fake tools a scenario's script ran with, for the steps that read their calls.
FAKES_KEY = pytest.StashKey[FakeTools]()


@given(parsers.parse('the deployment script "{name}"'), target_fixture="script")
def the_script(settings: Settings, name: str) -> Path:
    path = settings.script(scripts.role_of(name))
    assert path.is_file(), f"the {name} script (the profile's paths.scripts.{scripts.role_of(name)}) is missing: {path}"
    return path


@given("the env example file", target_fixture="text_file")
def the_env_example(settings: Settings) -> Path:
    path = settings.env_example
    assert path.is_file(), f"the env example (the profile's paths.env_example) is missing: {path}"
    return path


@given("the deployment guide", target_fixture="guide")
def the_guide(settings: Settings) -> str:
    path = settings.guide
    assert path.is_file(), f"the deployment guide (the profile's paths.guide) is missing: {path}"
    return documents.read_text(path)


@then("its error should name the env example file")
def error_names_env_example(outcome: Result, settings: Settings) -> None:
    name = settings.env_example.name
    assert not outcome.ok and name in outcome.output, f"the error does not name {name} (the profile's paths.env_example):\n{outcome.describe()}"


@then("it should be executable and run in strict mode")
def strict_and_executable(script: Path) -> None:
    problems = documents.script_problems(script)
    assert not problems, "\n".join(problems)


@then(parsers.parse('"{option}" should exit 0 and print a usage'))
def help_prints_usage(script: Path, settings: Settings, option: str) -> None:
    result = run([script, option], timeout=settings.timeouts.command)
    assert result.ok and "usage" in result.stdout.lower(), f"{script.name} {option} should print a usage and exit 0:\n{result.describe()}"


@then("an unknown option should fail with a message naming it")
def unknown_option(script: Path, settings: Settings) -> None:
    result = run([script, "--no-such-option"], timeout=settings.timeouts.command)
    assert not result.ok and "--no-such-option" in result.stderr, f"{script.name} should reject --no-such-option on stderr:\n{result.describe()}"


@then("shellcheck should report nothing")
def shellcheck_clean(script: Path, settings: Settings) -> None:
    result = run(["shellcheck", "-x", script.name], cwd=script.parent, timeout=settings.timeouts.command)
    assert result.ok, f"shellcheck findings in {script.name}:\n{result.stdout}{result.stderr}"


@when(parsers.parse('it is run with "{option}" pointing at a missing file'), target_fixture="outcome")
def run_with_missing_file(script: Path, settings: Settings, option: str, tmp_path: Path) -> Result:
    return run([script, option, tmp_path / "missing.env"], timeout=settings.timeouts.command)


@when(parsers.parse('it is run without "{tool}" on the PATH'), target_fixture="outcome")
def run_without_tool(script: Path, settings: Settings, tool: str, tmp_path: Path) -> Result:
    return run([script], timeout=settings.timeouts.command, env={**os.environ, "PATH": path_without(tool, tmp_path / "bin")})


@then(parsers.re(r"it should define (?P<names>.+)"))
def file_defines(text_file: Path, names: str) -> None:
    missing = [name for name in quoted(names) if name not in documents.defined_names(text_file)]
    assert not missing, f"{text_file.name} does not define {missing}; it defines {sorted(documents.defined_names(text_file))}"


@then("it should hold no credential-like value")
def file_holds_no_credentials(text_file: Path) -> None:
    found = credential_like(text_file.read_text())
    assert not found, f"{text_file.name} holds values that look like real credentials: {found}"


@then(parsers.re(r"it should have the sections (?P<names>.+)"))
def guide_sections(guide: str, settings: Settings, names: str) -> None:
    headings = settings.profile.guide_headings()
    missing = documents.missing_sections(guide, {name: headings[name] for name in quoted(names)})
    assert not missing, (f"the guide lacks the sections {missing}; its headings: {documents.headings(guide)} "
                         "(if one is there under another heading, list it in the profile's guide.sections)")


@then(parsers.re(r"it should mention the scripts (?P<names>.+)"))
def guide_mentions_scripts(guide: str, settings: Settings, names: str) -> None:
    files = [Path(settings.profile.path("scripts", scripts.role_of(name))).name for name in quoted(names)]
    missing = [name for name in files if name not in guide]
    assert not missing, f"the guide does not mention the scripts {missing}"


@then(parsers.re(r'its "(?P<section>[^"]+)" section should mention (?P<phrases>.+)'))
def section_mentions(guide: str, settings: Settings, section: str, phrases: str) -> None:
    body = documents.first_section(guide, settings.profile.guide_headings()[section])
    missing = [phrase for phrase in quoted(phrases) if phrase not in (body or "")]
    assert body is not None and not missing, f"the guide has no {section!r} section" if body is None else f"the guide's {section} section does not mention {missing}"


@when(parsers.parse("it is run with a .env whose line 2 holds a secret with {defect}"), target_fixture="outcome")
def run_with_bad_env(script: Path, settings: Settings, tmp_path: Path, secret: str, defect: str) -> Result:
    return scripts.run_offline(script, tmp_path, settings.timeouts.command, "--env-file", env_files.write(tmp_path / ".env", secret, defect))


@when(parsers.parse('it is run with a valid .env and a secret given as "{option}=..."'), target_fixture="outcome")
def run_with_secret_option(script: Path, settings: Settings, tmp_path: Path, secret: str, option: str) -> Result:
    env_file = env_files.write(tmp_path / ".env", env_files.new_secret())
    flag, key = option.split(" ", 1)
    return scripts.run_offline(script, tmp_path, settings.timeouts.command, "--env-file", env_file, flag, f"{key}={secret}")


@when("it is run with a valid .env that other users can read", target_fixture="outcome")
def run_with_readable_env(script: Path, settings: Settings, tmp_path: Path, secret: str) -> Result:
    env_file = env_files.write(tmp_path / ".env", secret)
    env_file.chmod(0o644)
    return scripts.run_offline(script, tmp_path, settings.timeouts.command, "--env-file", env_file)


@then("no part of the secret should appear in its output")
def secret_not_shown(outcome: Result, secret: str) -> None:
    shown = [fragment for fragment in env_files.secret_fragments(secret) if fragment in outcome.output]
    assert not shown, f"the output shows the secret ({shown[-1][:4]}...):\n{outcome.describe().replace(secret, '<secret>')}"


@then(parsers.re(r"it should mark the commands of the steps (?P<names>.+)"))
def guide_marks_steps(guide: str, names: str) -> None:
    marked = {block.name for block in marked_blocks(guide) if block.kind == "run"}
    missing = [name for name in quoted(names) if name not in marked]
    assert not missing, f"the guide marks no commands (<!-- run: NAME --> before a ```bash block) for the steps {missing}; it marks {sorted(marked)}"


@then(parsers.re(r"it should document the output of the steps (?P<names>.+)"))
def guide_documents_output(guide: str, names: str) -> None:
    documented = {block.name for block in marked_blocks(guide) if block.kind == "output"}
    missing = [name for name in quoted(names) if name not in documented]
    assert not missing, f"the guide documents no output (<!-- output: NAME --> before a ```text block) for the steps {missing}"


@given(parsers.parse('the deployment script "{name}" in a fresh checkout'), target_fixture="script")
def script_in_checkout(settings: Settings, tmp_path: Path, name: str) -> Path:
    checkout = scripts.fresh_checkout(settings.project_root, tmp_path / "checkout", settings.profile)
    return checkout / settings.profile.path("scripts", scripts.role_of(name))


@when(parsers.parse('it is run with "{options}" where minikube reports {reported}'), target_fixture="outcome")
def run_with_fake_minikube(script: Path, settings: Settings, tmp_path: Path, options: str, reported: str, request) -> Result:
    request.node.stash[FAKES_KEY] = fakes = FakeTools.install(tmp_path / "fakes", reported)
    return run([script, *options.split()], timeout=settings.timeouts.command, env=fakes.environment())


@then(parsers.re(r"minikube should have been called with (?P<calls>.+)"))
def minikube_called(request, calls: str) -> None:
    made = request.node.stash[FAKES_KEY].calls("minikube")
    missing = [call for call in quoted(calls) if not any(made_call.startswith(call) for made_call in made)]
    assert not missing, f"minikube was not called with {missing}; its calls: {made}"


@then(parsers.parse('minikube should not have been called with "{command}"'))
def minikube_not_called(request, command: str) -> None:
    made = request.node.stash[FAKES_KEY].calls("minikube")
    assert not any(call.split()[:1] == [command] for call in made), f"minikube was called with {command!r}: {made}"


@then("the checkout should have a .env made from the env example that only its owner can read")
def private_env(script: Path, settings: Settings) -> None:
    example = scripts.checkout_of(script, settings.profile) / settings.profile.path("env_example")
    problem = scripts.private_copy_problem(example.parent / ".env", example)
    assert problem is None, problem
