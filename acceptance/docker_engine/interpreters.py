"""The Python a container's PID 1 runs, and whether it sits in a virtualenv (FR-001: runtime-only dependencies in a venv)."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable
from typing import TYPE_CHECKING

from acceptance.docker_engine.containers import exec_output, try_exec_output, wait_running

if TYPE_CHECKING:
    from docker.models.containers import Container

# Prints "NAME FILE" per module named in argv, or "NAME (not importable: ERROR)".
PRINT_MODULE_FILES = """import importlib, sys
for name in sys.argv[1:]:
    try:
        print(name, importlib.import_module(name).__file__)
    except Exception as error:
        print(name, f"(not importable: {type(error).__name__}: {error})")
"""


@dataclasses.dataclass
class ServingPython:
    """The program a container's PID 1 runs (argv[0] resolved through its PATH) and whether it sits in a virtualenv."""

    command: list[str]
    path: str
    interpreter: str | None
    pyvenv_cfg: str | None  # the text of pyvenv.cfg in the interpreter's parent's parent, None when there is none

    @property
    def venv(self) -> str:
        return posixpath.dirname(posixpath.dirname(self.interpreter or ""))

    def describe(self) -> str:
        found = f"{self.venv}/pyvenv.cfg holds:\n{self.pyvenv_cfg}" if self.pyvenv_cfg is not None else f"there is no {self.venv}/pyvenv.cfg"
        return f"PID 1 runs {self.command}; argv[0] resolves through PATH={self.path} to {self.interpreter}; {found}"


def resolve_command(argv0: str, path: str, is_executable: Callable[[str], bool]) -> str | None:
    """The file execve runs for argv0: itself when it holds a slash, else the first executable in path's directories.

    Symlinks are not followed: a virtualenv's python is a symlink to the system's, and only its own path says venv.
    """
    if "/" in argv0:
        return argv0
    candidates = [posixpath.join(directory or ".", argv0) for directory in path.split(":")]
    return next((candidate for candidate in candidates if is_executable(candidate)), None)


def serving_python(container: Container, timeout: float) -> ServingPython:
    """What PID 1 of a running container runs, read from /proc/1 inside it with cat and sh (runtime images carry no grep)."""
    wait_running(container, timeout)
    command = proc_strings(container, "/proc/1/cmdline")
    path = next((entry[5:] for entry in proc_strings(container, "/proc/1/environ") if entry.startswith("PATH=")), "")
    interpreter = resolve_command(command[0], path, lambda candidate: is_executable_file(container, candidate)) if command else None
    python = ServingPython(command, path, interpreter, None)
    exit_code, text = try_exec_output(container, ["cat", f"{python.venv}/pyvenv.cfg"])
    python.pyvenv_cfg = text if exit_code == 0 else None
    return python


def proc_strings(container: Container, file: str) -> list[str]:
    """The NUL-separated strings of a /proc file inside the container (cmdline, environ).

    Raises:
        ToolError: the file cannot be read there.
    """
    return [entry for entry in exec_output(container, ["cat", file], f"read {file}").split("\0") if entry]


def is_executable_file(container: Container, path: str) -> bool:
    """Whether path is an executable file in the container, asked of sh: the backend's runtime has no /usr/bin/test."""
    return try_exec_output(container, ["sh", "-c", 'test -f "$1" && test -x "$1"', "sh", path])[0] == 0


def module_files(container: Container, interpreter: str, modules: list[str]) -> dict[str, str]:
    """The file each module is imported from when interpreter imports it inside the container.

    Raises:
        AssertionError: interpreter does not run the Python snippet (it is not a Python).
    """
    __tracebackhide__ = True
    exit_code, output = try_exec_output(container, [interpreter, "-c", PRINT_MODULE_FILES, *modules])
    assert exit_code == 0, f"{interpreter} -c '...' exited {exit_code} in the container: {output}"
    return dict(line.split(" ", 1) for line in output.splitlines() if " " in line)
