"""The one way to run a command-line tool: a Result for every outcome, a timeout that holds, ToolError on check()."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO


class ToolError(Exception):
    """A tool is missing, failed or timed out; the message says what, the tool's output, and the fix."""


@dataclasses.dataclass
class Result:
    """The outcome of a command: exit code and output, kept for assertions and evidence."""

    command: list[str]
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def output(self) -> str:
        return (self.stdout + "\n" + self.stderr).strip()

    def describe(self) -> str:
        return (f"$ {' '.join(self.command)}\nexit {self.returncode}\n--- stdout ---\n{self.stdout[-4000:]}\n"
                f"--- stderr ---\n{self.stderr[-4000:]}")

    def check(self, what: str | None = None, fix: str | None = None) -> Result:
        """Return self when the command succeeded.

        Raises:
            ToolError: it failed or timed out; the message has what it was for, its output's tail and fix.
        """
        if self.ok:
            return self
        doing = f"cannot {what}: " if what else ""
        detail = (self.stderr.strip() or self.stdout.strip())[-2000:]
        how = "timed out" if self.timed_out else f"exited {self.returncode}"
        message = f"{doing}`{' '.join(self.command)}` {how}: {detail}"
        raise ToolError(message + (f"\nfix: {fix}" if fix else ""))


def run(command: Sequence[str], timeout: float, *, cwd: Path | None = None, env: dict[str, str] | None = None,
        input_text: str | None = None, stream: Callable[[str], None] | None = None) -> Result:
    """Run command to its end or its timeout and return its Result; never raises for a failing command.

    The timeout holds even when the command (or a child it leaves behind) keeps its output open:
    the command runs in a process group of its own, which is killed when the time is up.

    Args:
        command: the command line.
        timeout: seconds before the command is killed (the Result then has exit 124 and timed_out).
        cwd: working directory.
        env: environment (default: inherited).
        input_text: text fed to its stdin (default: no stdin).
        stream: called with each line of output as it comes (progress for long work).
    """
    command = [str(part) for part in command]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env,
                                   stdin=subprocess.PIPE if input_text is not None else subprocess.DEVNULL,
                                   start_new_session=True, errors="replace")
    except FileNotFoundError as missing:
        return Result(command, 127, "", f"{command[0]}: not found ({missing})")
    except PermissionError as denied:  # as a shell says it: a file without its run bit
        return Result(command, 126, "", f"{command[0]}: permission denied ({denied}); is it executable (chmod +x)?")
    stdout: list[str] = []
    stderr: list[str] = []
    assert process.stdout is not None and process.stderr is not None, "started with stdout=PIPE, stderr=PIPE"
    readers = [_reader(process.stdout, stdout, stream), _reader(process.stderr, stderr, stream)]
    if input_text is not None:
        _feed(process, input_text)
    timed_out = False
    with _RUNNING_LOCK:
        _RUNNING.add(process)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _end_group(process)
    except BaseException:  # Ctrl-C: the command's own session would outlive us
        _end_group(process)
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
    for reader in readers:
        reader.join(timeout=2)  # a grandchild outside the group may still hold the pipe: do not wait for it
    if timed_out:
        stderr.append(f"\n(timed out after {timeout:.0f}s)")
    return Result(command, 124 if timed_out else process.returncode, "".join(stdout), "".join(stderr), timed_out)


def _reader(pipe: IO[str], lines: list[str], stream: Callable[[str], None] | None) -> threading.Thread:
    def pump() -> None:
        for line in pipe:
            lines.append(line)
            if stream:
                stream(line.rstrip("\n"))

    # Named after the thread that runs the tool, so its progress lines go where that thread's go (acceptance.core.progress).
    thread = threading.Thread(target=pump, daemon=True, name=f"{threading.current_thread().name}/reader")
    thread.start()
    return thread


def _feed(process: subprocess.Popen[str], text: str) -> None:
    def write() -> None:
        assert process.stdin is not None, "started with stdin=PIPE"
        try:
            process.stdin.write(text)
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    threading.Thread(target=write, daemon=True).start()


# The commands run() is waiting for, from any thread: an interrupted run stops them all (stop_running), since each runs
# in a session of its own that a terminal's Ctrl-C does not reach.
_RUNNING: set[subprocess.Popen[str]] = set()
_RUNNING_LOCK = threading.Lock()
# Seconds a command has between SIGTERM and SIGKILL: enough for a script's trap to undo what it started.
TERMINATION_GRACE = 15.0


def stop_running() -> int:
    """SIGTERM every command run() is waiting for, in any thread (their waits then end); how many there were."""
    with _RUNNING_LOCK:
        running = [process for process in _RUNNING if process.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    return len(running)


def _end_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM the command's process group, so a script can undo what it started (cluster/local/up.sh stops its
    components), then SIGKILL what is left after TERMINATION_GRACE."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=TERMINATION_GRACE)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass  # gone already, or still there after its grace: the SIGKILL below ends the rest
    _kill_group(process)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def spawn(command: Sequence[str]) -> subprocess.Popen[str]:
    """Start a helper that runs beside the suite (a port-forward, a tunnel); stop it with stop()."""
    return subprocess.Popen([str(part) for part in command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)


def stop(process: subprocess.Popen[str], grace: float = 5.0) -> None:
    """Stop a helper process and its group: SIGTERM, then SIGKILL after grace seconds; close its pipes."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _kill_group(process)
        except ProcessLookupError:
            pass
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def require_tool(tool: str, fix: str) -> str:
    """The path of tool on PATH.

    Raises:
        ToolError: tool is not installed; the message carries fix.
    """
    path = shutil.which(tool)
    if path is None:
        raise ToolError(f"{tool} not found on PATH: {fix}")
    return path


def path_without(tool: str, directory: Path, *more_tools: str) -> str:
    """A PATH with every executable of the current PATH linked into directory except tool and more_tools (to simulate their absence)."""
    hidden = {tool, *more_tools}
    directory.mkdir(parents=True, exist_ok=True)
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if not entry or not Path(entry).is_dir():
            continue
        for candidate in Path(entry).iterdir():
            target = directory / candidate.name
            if candidate.name in hidden or target.exists() or not os.access(candidate, os.X_OK) or candidate.is_dir():
                continue
            target.symlink_to(candidate)
    if any(shutil.which(name, path=str(directory)) is not None for name in hidden):
        raise ToolError(f"could not hide {sorted(hidden)} from PATH")
    return str(directory)
