"""Every module imports alone, in a fresh interpreter: no import cycle hides behind the order the plugins load in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Binds the feature files with pytest-bdd's scenarios(), which reads pytest's configuration: importable under pytest only.
UNDER_PYTEST_ONLY = {"steps.test_acceptance"}


def modules(*folders: str) -> list[str]:
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return [module for module in found if module not in UNDER_PYTEST_ONLY]


@pytest.mark.parametrize("module", modules("acceptance", "fixtures", "steps"))
def test_the_module_imports_alone(module: str):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"python -c 'import {module}' failed in a fresh interpreter:\n{result.stderr[-3000:]}"
