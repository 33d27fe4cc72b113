"""Steps running a deployment script in the sandbox's fresh checkout against a fake minikube, and reading the calls it made."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, then, when

from acceptance.core.run import Result
from acceptance.delivery import minikube_calls, scripts
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


@when(parsers.parse("it is run with no option where minikube reports {reported}"), target_fixture="outcome")
def run_without_options_with_fake_minikube(script: Path, sandbox: Sandbox, reported: str) -> Result:
    return FakeTools.install(sandbox, reported).run(script)


@then("minikube should have been started")
def minikube_started(sandbox: Sandbox) -> None:
    calls = sandbox.calls("minikube")
    assert minikube_calls.start_flags(calls) is not None, f"the script never ran minikube start; its minikube calls: {calls}"


@then("minikube should have been started with a network plugin that enforces NetworkPolicy")
def minikube_network_enforces(sandbox: Sandbox) -> None:
    problem = minikube_calls.network_problem(sandbox.calls("minikube"))
    assert problem is None, problem


@then(parsers.parse("minikube should have the addons {names} enabled"))
def minikube_addons_enabled(sandbox: Sandbox, names: str) -> None:
    missing = sorted(set(quoted(names)) - minikube_calls.enabled_addons(sandbox.calls("minikube")))
    assert not missing, f"the addons {missing} were never enabled (addons enable, or start --addons); minikube's calls: {sandbox.calls('minikube')}"


@then(parsers.parse("minikube should have been started with {cpus:d} CPUs and {memory:d} MB of memory"))
def minikube_started_with(sandbox: Sandbox, cpus: int, memory: int) -> None:
    found = minikube_calls.resources(sandbox.calls("minikube"))
    assert found == (cpus, memory), f"minikube was started with (CPUs, MB) {found}, not ({cpus}, {memory}); its calls: {sandbox.calls('minikube')}"


@then(parsers.parse('minikube should not have been called with "{command}"'))
def minikube_not_called(sandbox: Sandbox, command: str) -> None:
    made = sandbox.calls("minikube")
    assert not any(minikube_calls.command(call)[:1] == [command] for call in made), f"minikube was called with {command!r}: {made}"


@then("the checkout should have a .env made from the env example that only its owner can read")
def private_env(sandbox: Sandbox, settings: Settings) -> None:
    example = sandbox.checkout / settings.profile.path("env_example")
    problem = scripts.private_copy_problem(example.parent / ".env", example)
    assert problem is None, problem
