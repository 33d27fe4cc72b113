"""Prints the kill rate of the mutants at the end of the run."""

from __future__ import annotations

KILLED: dict[str, bool] = {}


def pytest_terminal_summary(terminalreporter) -> None:
    if not KILLED:
        return
    killed = sum(KILLED.values())
    terminalreporter.write_sep("=", "mutation testing")
    for name, was_killed in sorted(KILLED.items()):
        if not was_killed:
            terminalreporter.write_line(f"SURVIVED: {name}", red=True)
    terminalreporter.write_line(f"mutants: {killed}/{len(KILLED)} killed", bold=True, green=killed == len(KILLED), red=killed != len(KILLED))
