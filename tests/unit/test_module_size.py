"""One job per module: no module of the library, the plugins or the steps grows past 400 lines unnoticed (a module
that long does several jobs; split it by concern, as acceptance/ is split into packages)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 400


def test_no_module_of_the_suite_is_over_400_lines():
    modules = [path for folder in ("acceptance", "fixtures", "steps") for path in (ROOT / folder).rglob("*.py")]
    long = {str(path.relative_to(ROOT)): lines for path in modules if (lines := len(path.read_text().splitlines())) > LIMIT}
    assert modules and not long, f"modules over {LIMIT} lines (split them by concern): {long}"
