"""Steps running a deployment script in the sandbox's fresh checkout against a fake minikube, and reading the calls it made."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, then, when

from acceptance.core.run import Result
from acceptance.delivery import scripts
from acceptance.delivery.fake_tools import FakeTools
from acceptance.delivery.sandbox import Sandbox
from fixtures.options import Settings
from steps.phrases import quoted


@given(parsers.parse('the deployment script "{name}" in a fresh checkout'), target_fixture="script")
def script_in_checkout(sandbox: Sandbox, name: str) -> Path:
    return sandbox.script(scripts.role_of(name))


@when(parsers.parse('it is run with "{options}" where minikube reports {reported}'), target_fixture="outcome")
def run_with_fake_minikube(script: Path, sandbox: Sandbox, options: str, reported: str) -> Result:
    return FakeTools.install(sandbox, reported).run(script, *options.split())


@then(parsers.re(r"minikube should have been called with (?P<calls>.+)"))
def minikube_called(sandbox: Sandbox, calls: str) -> None:
    made = sandbox.calls("minikube")
    missing = [call for call in quoted(calls) if not any(made_call.startswith(call) for made_call in made)]
    assert not missing, f"minikube was not called with {missing}; its calls: {made}"


@then(parsers.parse('minikube should not have been called with "{command}"'))
def minikube_not_called(sandbox: Sandbox, command: str) -> None:
    made = sandbox.calls("minikube")
    assert not any(call.split()[:1] == [command] for call in made), f"minikube was called with {command!r}: {made}"


@then("the checkout should have a .env made from the env example that only its owner can read")
def private_env(sandbox: Sandbox, settings: Settings) -> None:
    example = sandbox.checkout / settings.profile.path("env_example")
    problem = scripts.private_copy_problem(example.parent / ".env", example)
    assert problem is None, problem
