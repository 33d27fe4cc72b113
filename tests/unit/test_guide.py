"""The guide as an executable document: markers, documented output, one shell session per run; and bad .env files."""

from __future__ import annotations

import dataclasses
import os
import types
from pathlib import Path

import pytest

from acceptance.delivery import documents, env_files, guide
from acceptance.delivery.walkthrough import Walkthrough
from acceptance.profile.model import reference

GUIDE = """# Guide

<!-- run: hello -->
```bash
echo "hello $USER_NAME"
```

<!-- output: hello -->
```text
hello ...
```

<!-- run: load provider=kind -->
```bash
echo kind
```

<!-- run: load -->
```bash
echo any
```

<!-- run: ask answer=y -->
```bash
read -r answer; echo "answered $answer"
```
"""


def test_blocks_are_read_with_their_kind_name_options_and_line():
    found = guide.blocks(GUIDE)
    assert [(block.kind, block.name, block.provider) for block in found] == [
        ("run", "hello", None), ("output", "hello", None), ("run", "load", "kind"), ("run", "load", None), ("run", "ask", None)]
    assert found[0].text == 'echo "hello $USER_NAME"' and found[0].line == 3


def test_a_marker_without_its_fence_is_an_error_naming_the_line():
    with pytest.raises(guide.GuideError, match="line 1"):
        guide.blocks("<!-- run: lost -->\nsome text\n")
    with pytest.raises(guide.GuideError, match="```text"):
        guide.blocks("<!-- output: lost -->\n```bash\nx\n```\n")


def test_a_provider_block_wins_over_the_block_for_all():
    assert guide.step(GUIDE, "load", "kind")[0].text == "echo kind"
    assert guide.step(GUIDE, "load", "local")[0].text == "echo any"
    assert guide.step(GUIDE, "missing", "local") == (None, None)


@pytest.mark.parametrize(("documented", "actual", "missing"), [
    ("NAME   READY\npod/a-...   1/1   Running   0   ...", "NAME READY\npod/a-x1   1/1     Running   0          3s", []),
    ("pod/a-...   1/1   Running", "pod/a-x1   0/1   Running   0   3s", ["pod/a-...   1/1   Running"]),
    ("first\nsecond", "second\nfirst", ["second"]),  # in order
    ('{"status":"ok"} 200', '{"status":"ok"} 200', []),
    ("... 200", "<html>ok</html> 200", []),
])
def test_documented_lines_match_in_order_with_ellipses_and_any_whitespace(documented, actual, missing):
    assert guide.unmatched(documented, actual) == missing


def test_steps_run_in_one_session_with_output_per_step_and_answers_on_stdin(tmp_path: Path):
    steps = [guide.step(GUIDE, "hello", "local")[0], guide.step(GUIDE, "ask", "local")[0]]
    outcome = guide.run_steps(steps, cwd=tmp_path, env={**os.environ, "USER_NAME": "ada"}, timeout=30)
    assert outcome.result.ok and outcome.last_step == "ask"
    assert outcome.output("hello").strip() == "hello ada" and outcome.output("ask").strip() == "answered y"


def test_a_failing_step_stops_the_session_and_is_named(tmp_path: Path):
    failing = guide.Block("run", "broken", "echo before; false; echo after", 1, {})
    outcome = guide.run_steps([failing, guide.step(GUIDE, "hello", "local")[0]], cwd=tmp_path, env=dict(os.environ), timeout=30)
    assert not outcome.result.ok and outcome.last_step == "broken" and "after" not in outcome.result.stdout


def test_background_jobs_end_with_the_session(tmp_path: Path):
    block = guide.Block("run", "job", f"sleep 300 & echo $! > {tmp_path / 'pid'}", 1, {})
    assert guide.run_steps([block], cwd=tmp_path, env=dict(os.environ), timeout=30).result.ok
    status = Path(f"/proc/{(tmp_path / 'pid').read_text().strip()}/status")
    assert not status.exists() or "zombie" in status.read_text(), "the background job outlived its session"


def test_edit_env_changes_keys_in_place_and_appends_new_ones(tmp_path: Path):
    release = types.SimpleNamespace(profile=reference())  # the reference's .env lies at the checkout's root
    walkthrough = Walkthrough(provider=None, release=release, manual=documents.Guide(""), checkout=tmp_path, kubeconfig=tmp_path / "k", timeout=1)
    (tmp_path / ".env").write_text("# comment\nDATABASE_URL=\nOPENAI_API_KEY=old\n")
    walkthrough.edit_env({"OPENAI_API_KEY": "new", "EXTRA": "x=y"})
    assert (tmp_path / ".env").read_text() == "# comment\nDATABASE_URL=\nOPENAI_API_KEY=new\nEXTRA=x=y\n"
    assert walkthrough.env_values() == {"DATABASE_URL": "", "OPENAI_API_KEY": "new", "EXTRA": "x=y"}


@pytest.mark.parametrize("defect", sorted(env_files.DEFECTS))
def test_every_bad_env_file_holds_its_defect_on_line_two(tmp_path: Path, defect: str):
    secret = env_files.new_secret()
    lines = env_files.write(tmp_path / ".env", secret, reference(), defect).read_bytes().split(b"\n")
    assert lines[0] == b"DATABASE_URL=" and lines[2] == b"NEON_API_KEY="
    assert lines[1].startswith(b"OPENAI_API_KEY=") and lines[1] != b"OPENAI_API_KEY=" + secret.encode()
    assert (tmp_path / ".env").stat().st_mode & 0o777 == 0o600


def test_a_bad_env_file_takes_another_teams_names_its_secret_on_line_two(tmp_path: Path):
    profile = dataclasses.replace(reference(), data={**reference().data, "database": None,
                                                     "values": {**reference().data["values"], "credentials": {"GROQ_API_KEY": "groqKey"}}})
    lines = env_files.write(tmp_path / ".env", "sk-secret", profile).read_bytes().split(b"\n")
    assert lines[:2] == [b"# a .env of the acceptance suite", b"GROQ_API_KEY=sk-secret"]

