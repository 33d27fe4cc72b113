"""Steps running a deployment script in a fresh checkout against a fake minikube, and reading the calls it made."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from acceptance.core.run import Result, run
from acceptance.delivery import scripts
from acceptance.delivery.fake_tools import FakeTools
from fixtures.options import Settings
from steps.phrases import quoted

# The fake tools a scenario's script ran with, for the steps that read their calls.
FAKES_KEY = pytest.StashKey[FakeTools]()


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

