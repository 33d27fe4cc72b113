"""Progress lines of the library reach the terminal at once, even from inside a test whose output pytest captures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_progress_shows_while_output_is_captured(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_long_work="""
        from acceptance.core.progress import say

        def test_long_work():
            print("captured, not shown")
            say("building the images ...")
    """)
    result = pytester.runpytest_subprocess("-p", "fixtures.progress", "-q")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*building the images ...*"])
    result.stdout.no_fnmatch_line("*captured, not shown*")


def test_background_progress_is_held_and_shown_between_tests(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cluster starting in the background speaks while scenarios run: its lines appear, after a test, never inside one."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_overlap="""
        import threading
        from acceptance.core.background import Background
        from acceptance.core.progress import say
        from acceptance.core.run import run

        said = threading.Event()
        work = Background("cluster", lambda: (say("cluster: starting ..."), run(["echo", "from a tool"], timeout=10, stream=say), said.set(), 7)[-1])

        def test_first():
            assert said.wait(10)
            print("captured, not shown")

        def test_second():
            assert work.result() == 7
    """)
    result = pytester.runpytest_subprocess("-p", "fixtures.progress", "-q")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*cluster: starting ...*", "*from a tool*"])
    result.stdout.no_fnmatch_line("*captured, not shown*")


def test_background_work_raises_its_error_where_its_result_is_taken() -> None:
    from acceptance.core.background import Background

    def fail():
        raise TimeoutError("the cluster did not answer")

    work = Background("cluster", fail)
    with pytest.raises(TimeoutError, match="did not answer"):
        work.result()
    assert work.done() and work.seconds() < 5
