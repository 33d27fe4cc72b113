"""The runner's contract (acceptance/core/run.py): every command ends in a Result within its timeout, never in a hang or an exception."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from acceptance.core.run import Result, ToolError, path_without, require_tool, run, spawn, stop, stop_running
from acceptance.core.wait import wait_for

TIMEOUT = 2
# run() may take a little longer than its timeout to kill the group and collect the output; never the command's 60 s.
RETURNS_WITHIN = 5


def alive(pid: int) -> bool:
    """The process exists and is not a zombie (a killed orphan may wait for its reaper)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def timed(command: list[str], **kwargs) -> tuple[Result, float]:
    started = time.monotonic()
    result = run(command, TIMEOUT, **kwargs)
    return result, time.monotonic() - started


def test_a_command_that_never_exits_is_killed_at_its_timeout():
    result, elapsed = timed(["sleep", "60"])

    assert TIMEOUT <= elapsed < RETURNS_WITHIN, f"run() returned after {elapsed:.1f}s with a {TIMEOUT}s timeout"
    assert result.timed_out and result.returncode == 124 and not result.ok, result.describe()
    assert result.stderr == f"\n(timed out after {TIMEOUT}s)", result.describe()
    with pytest.raises(ToolError, match=rf"^cannot wait: `sleep 60` timed out: \(timed out after {TIMEOUT}s\)\nfix: raise the budget$"):
        result.check("wait", "raise the budget")


def test_a_grandchild_holding_stdout_is_killed_with_the_command():
    """`sleep 60 &` keeps the pipe open after its parent is gone: reading to the end would wait for it."""
    result, elapsed = timed(["bash", "-c", "sleep 60 & echo $!; sleep 60"])

    assert TIMEOUT <= elapsed < RETURNS_WITHIN, f"run() returned after {elapsed:.1f}s with a {TIMEOUT}s timeout"
    assert result.timed_out and result.returncode == 124, result.describe()
    grandchild = int(result.stdout.split()[0])
    assert wait_for(lambda: not alive(grandchild), timeout=2, interval=0.05, what=f"the grandchild sleep {grandchild} to be gone")


def test_output_printed_before_the_timeout_is_kept():
    result, elapsed = timed([sys.executable, "-c", "import time; print('x', flush=True); time.sleep(60)"])

    assert TIMEOUT <= elapsed < RETURNS_WITHIN, f"run() returned after {elapsed:.1f}s with a {TIMEOUT}s timeout"
    assert result.timed_out and result.returncode == 124, result.describe()
    assert result.stdout == "x\n", result.describe()


def test_exit_code_and_both_streams_are_kept():
    result = run([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"], TIMEOUT)

    assert (result.returncode, result.ok, result.timed_out) == (3, False, False)
    assert result.stdout == "out\n" and result.stderr == "err\n"
    assert result.output == "out\n\nerr"
    assert "exit 3" in result.describe()


def test_stream_receives_each_line_as_it_comes(tmp_path):
    """The command waits for a file that only the stream callback creates on its first line: a stream
    called at the end instead would leave the command waiting until its timeout."""
    seen = tmp_path / "seen"
    child = ("import os, sys, time\n"
             "print('first', flush=True)\n"
             "while not os.path.exists(sys.argv[1]): time.sleep(0.01)\n"
             "print('second', file=sys.stderr, flush=True)\n"
             "print('third')\n")
    lines = []

    def stream(line: str) -> None:
        lines.append(line)
        seen.touch()

    result = run([sys.executable, "-c", child, str(seen)], TIMEOUT, stream=stream)

    assert result.ok and not result.timed_out, f"the first line did not reach the stream while the command ran:\n{result.describe()}"
    # Two pipes read by two threads: the order holds within a stream, not across them (hence the sort).
    assert lines[0] == "first" and sorted(lines[1:]) == ["second", "third"], f"stream gets every line of both streams, without its newline: {lines}"
    assert result.stdout == "first\nthird\n" and result.stderr == "second\n", "streamed output is captured too"


@pytest.mark.parametrize("command", [["no-such-tool-anywhere", "--version"], ["/nonexistent/bin/tool"]], ids=["on-path", "by-path"])
def test_a_missing_executable_is_exit_127(command):
    result = run(command, TIMEOUT)

    assert result.returncode == 127 and not result.ok and not result.timed_out, result.describe()
    assert "not found" in result.stderr, result.describe()


def test_a_file_without_its_run_bit_is_exit_126(tmp_path):
    script = tmp_path / "deploy.sh"
    script.write_text("#!/bin/sh\necho ran\n")
    script.chmod(0o644)

    result = run([str(script)], TIMEOUT)

    assert result.returncode == 126 and not result.ok, result.describe()
    assert "permission denied" in result.stderr and "chmod +x" in result.stderr, result.describe()


def test_check_returns_the_result_of_a_command_that_succeeded():
    result = run(["true"], TIMEOUT)

    assert result.check("do nothing", "none") is result


def test_check_raises_naming_the_command_its_stderr_tail_and_the_fix():
    failing = run([sys.executable, "-c", "import sys; sys.stderr.write('x' * 3000 + 'the real cause\\n'); sys.exit(2)"], TIMEOUT)

    with pytest.raises(ToolError) as raised:
        failing.check("render the chart", "run make setup")

    message = str(raised.value)
    assert message.startswith(f"cannot render the chart: `{sys.executable} -c import sys;"), message[:200]
    assert "exited 2" in message and "the real cause" in message, message[-200:]
    assert message.endswith("\nfix: run make setup"), message[-200:]
    assert "x" * 2001 not in message and len(message) < 2500, "the whole stderr was copied instead of its tail"


def test_input_text_reaches_stdin():
    assert run(["cat"], TIMEOUT, input_text="first line\nsecond line\n").stdout == "first line\nsecond line\n"


def test_without_input_text_stdin_is_empty_and_a_reader_does_not_hang():
    result = run(["cat"], TIMEOUT)

    assert result.ok and result.stdout == "", result.describe()


def test_cwd_and_env_are_the_commands():
    result = run(["sh", "-c", 'echo "$PWD $ONLY_HERE"'], TIMEOUT, cwd=Path("/"), env={"ONLY_HERE": "yes", "PATH": os.environ["PATH"]})

    assert result.stdout == "/ yes\n", result.describe()


def test_stop_ends_a_spawned_helper_and_its_children():
    helper = spawn(["bash", "-c", "sleep 60 & echo $!; wait"])
    grandchild = int(helper.stdout.readline())

    stop(helper, grace=2)

    assert helper.poll() is not None
    assert wait_for(lambda: not alive(grandchild), timeout=2, interval=0.05, what=f"the helper's child {grandchild} to be gone")


def test_require_tool_names_the_fix():
    assert require_tool("sh", "unused") == shutil.which("sh")
    with pytest.raises(ToolError, match=r"^no-such-tool-anywhere not found on PATH: install it$"):
        require_tool("no-such-tool-anywhere", "install it")


def test_path_without_hides_the_tool_and_keeps_the_others(tmp_path, monkeypatch):
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("helm", "kubectl", "jq"):
        (tools / name).write_text("#!/bin/sh\nexit 0\n")
        (tools / name).chmod(0o755)
    (tools / "not-executable").write_text("data")
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")

    new_path = path_without("kubectl", tmp_path / "bin")

    assert shutil.which("kubectl", path=new_path) is None, "kubectl is still on the new PATH"
    assert shutil.which("helm", path=new_path) == str(tmp_path / "bin" / "helm")
    assert Path(shutil.which("helm", path=new_path)).resolve() == (tools / "helm").resolve(), "the first helm on PATH must win"
    assert shutil.which("jq", path=new_path) and shutil.which("sh", path=new_path), "other tools are missing from the new PATH"
    assert not (tmp_path / "bin" / "not-executable").exists()
    assert run(["sh", "-c", "command -v kubectl || echo absent"], TIMEOUT, env={"PATH": new_path}).stdout.strip() == "absent"


def test_a_timed_out_script_gets_to_undo_what_it_started(tmp_path):
    """SIGTERM first: a script's trap (cluster/local/up.sh stops its components) runs before anything is killed."""
    undone = tmp_path / "undone"
    script = f"trap 'echo undone >{undone}; exit 143' TERM\nsleep 60 & wait\n"

    result, elapsed = timed(["bash", "-c", script])

    assert result.timed_out and elapsed < RETURNS_WITHIN
    assert undone.read_text() == "undone\n", "the script's TERM trap did not run before it was killed"


def test_stop_running_ends_the_commands_other_threads_wait_for():
    """An interrupted run stops its tools in every thread (a cluster start or a helm install in the background)."""
    results: list[Result] = []
    worker = threading.Thread(target=lambda: results.append(run(["sleep", "60"], 60)))
    worker.start()
    assert wait_for(lambda: stop_running() == 1, timeout=5, interval=0.05, what="the background sleep to be stopped")
    worker.join(timeout=RETURNS_WITHIN)
    assert results and results[0].returncode == -15, results
