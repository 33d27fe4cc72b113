"""The tools setup.sh builds land in the project's .tools/bin and never over a binary installed on the machine; a
suitable one already on PATH is used as it is."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from fixtures import tools
from fixtures.tools import TOOLS_BIN

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ("install-helm.sh", "install-kube-score.sh", "install-actionlint.sh")


@pytest.mark.parametrize("installer", INSTALLERS)
def test_each_installer_writes_into_the_projects_own_directory(installer):
    script = (ROOT / "scripts" / installer).read_text()
    assert "/usr/local/bin" not in script, f"{installer} may write over a binary installed on the machine"
    assert re.search(r'prefix=.*\.\./?"?\s*&& pwd\)/\.tools/bin', script) or ".tools/bin" in script, script[:600]


@pytest.mark.parametrize(("installer", "tool", "answer", "prefix_option"), [
    ("install-kube-score.sh", "kube-score", "kube-score version: 1.20.0, commit: v1.20.0, built: N/A", ["--prefix"]),
    ("install-actionlint.sh", "actionlint", "v1.7.12", []),
])
def test_a_suitable_tool_on_path_is_used_and_nothing_is_built(tmp_path, installer, tool, answer, prefix_option):
    elsewhere = tmp_path / "usr-local-bin"
    elsewhere.mkdir()
    (elsewhere / tool).write_text(f"#!/bin/sh\necho '{answer}'\n")
    (elsewhere / tool).chmod(0o755)
    environment = {**os.environ, "PATH": f"{elsewhere}:/usr/bin:/bin"}  # no Go: a build would fail

    empty_prefix = tmp_path / "tools"  # as on a machine where setup.sh has built nothing yet
    outcome = subprocess.run(["bash", str(ROOT / "scripts" / installer), *prefix_option, str(empty_prefix)], env=environment,
                             capture_output=True, text=True, timeout=60, check=False)

    assert outcome.returncode == 0, outcome.stderr
    assert f"already installed at {elsewhere / tool}" in outcome.stdout, outcome.stdout + outcome.stderr


def test_the_suite_puts_the_projects_tools_first_on_path(tmp_path, monkeypatch):
    assert TOOLS_BIN == ROOT / ".tools" / "bin"
    monkeypatch.setattr(tools, "TOOLS_BIN", tmp_path)
    monkeypatch.setenv("PATH", "/usr/local/bin:/usr/bin")

    tools.pytest_configure(None)
    tools.pytest_configure(None)

    assert os.environ["PATH"] == f"{tmp_path}:/usr/local/bin:/usr/bin", "first, once"
