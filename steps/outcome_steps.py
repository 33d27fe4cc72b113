"""Steps about the outcome of a command (helm, a deployment script): success, failure, the error text."""

from __future__ import annotations

from pytest_bdd import parsers, then

from acceptance.core.run import Result
from steps.phrases import quoted


@then(parsers.re(r"(the command|it) should succeed"))
def command_should_succeed(outcome: Result) -> None:
    assert outcome.ok, f"expected success:\n{outcome.describe()}"


@then(parsers.re(r"(the command|it) should fail"))
def command_should_fail(outcome: Result) -> None:
    assert not outcome.ok, f"expected a failure, but the command succeeded:\n{outcome.describe()}"


@then(parsers.re(r'(the|its) (error|output) should (name|mention) (?P<words>".+)'))
def error_should_mention(outcome: Result, words: str) -> None:
    missing = [word for word in quoted(words) if word.lower() not in outcome.output.lower()]
    assert not missing, f"the error does not mention {missing}:\n{outcome.describe()}"
