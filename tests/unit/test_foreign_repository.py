"""On a repository that is not laid out as the profile says, nothing crashes: every static scenario fails with a message
that says what was missing or unexpected, and the run ends with a verdict."""

from __future__ import annotations

from xml.etree import ElementTree


def test_an_empty_skeleton_fails_every_static_scenario_with_a_message_and_no_error(suite):
    skeleton = suite.workspace / "skeleton"
    for directory in ("helm/todo-chatbot", "images/frontend", "images/backend"):
        (skeleton / directory).mkdir(parents=True)

    result = suite.run("-m", "static", "--no-gate", f"--project-root={skeleton}")

    assert result.ret == 1, result.stdout.str()[-3000:]
    result.stdout.fnmatch_lines(["*Verdict: FAILED*static 0/*"])
    cases = list(ElementTree.parse(suite.workspace / "reports" / "junit.xml").getroot().iter("testcase"))
    assert cases and not [case.get("name") for case in cases if case.find("error") is not None], "a setup or teardown errored"
    messages = [case.find("failure").get("message") or "" for case in cases]
    assert all(messages) and not [message for message in messages if "Traceback" in message]
    assert any(message.startswith("the deployment under test is not as this step expects (FileNotFoundError") for message in messages)
