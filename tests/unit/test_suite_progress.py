"""Progress lines of the library reach the terminal at once, even from inside a test whose output pytest captures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_progress_shows_while_output_is_captured(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_long_work="""
        from acceptance.progress import say

        def test_long_work():
            print("captured, not shown")
            say("building the images ...")
    """)
    result = pytester.runpytest_subprocess("-p", "fixtures.progress", "-q")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*building the images ...*"])
    result.stdout.no_fnmatch_line("*captured, not shown*")
