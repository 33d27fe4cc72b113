"""The suite's layers hold: the library imports no pytest, fixtures import no steps, steps stay thin, waits go through wait_for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEP_DECORATORS = {"given", "when", "then"}
# The only modules allowed to sleep: the wait, and the load runner that paces its bounded request loop.
MAY_SLEEP = {ROOT / "acceptance" / "core" / "wait.py", ROOT / "acceptance" / "app" / "load.py"}


def python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def top_package(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


@pytest.mark.parametrize("path", python_files("acceptance"), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_library_imports_neither_pytest_nor_the_layers_above(path: Path):
    forbidden = {top_package(module) for module in imported_modules(path)} & {"pytest", "_pytest", "pytest_bdd", "fixtures", "steps"}
    assert not forbidden, f"{path.relative_to(ROOT)} imports {sorted(forbidden)}: the library must stay usable without pytest"


@pytest.mark.parametrize("path", python_files("fixtures"), ids=lambda path: str(path.relative_to(ROOT)))
def test_fixtures_do_not_import_steps(path: Path):
    assert "steps" not in {top_package(module) for module in imported_modules(path)}, f"{path.relative_to(ROOT)} imports steps"


def step_functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in python_files("steps"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) in STEP_DECORATORS for decorator in node.decorator_list):
                found.append((f"{path.name}::{node.name}", node))
    return found


def statements(function: ast.FunctionDef) -> int:
    """Statements in the body, nested ones included, a docstring not."""
    body = function.body[1:] if ast.get_docstring(function) else function.body
    return sum(1 for statement in body for node in ast.walk(statement) if isinstance(node, ast.stmt))


def test_steps_are_found():
    assert len(step_functions()) > 100


@pytest.mark.parametrize(("name", "function"), step_functions(), ids=lambda value: value if isinstance(value, str) else "")
def test_every_step_is_at_most_three_statements(name: str, function: ast.FunctionDef):
    assert statements(function) <= 3, f"step {name} has {statements(function)} statements: move the work into a helper of the library"


@pytest.mark.parametrize("path", python_files("acceptance", "fixtures", "steps"), ids=lambda path: str(path.relative_to(ROOT)))
def test_nothing_sleeps_outside_the_wait_and_the_load_runner(path: Path):
    if path in MAY_SLEEP:
        return
    sleeps = [node.lineno for node in ast.walk(ast.parse(path.read_text()))
              if isinstance(node, ast.Attribute) and node.attr == "sleep" and getattr(node.value, "id", None) == "time"]
    assert not sleeps, f"{path.relative_to(ROOT)} sleeps on lines {sleeps}: wait with acceptance.core.wait.wait_for and a named condition"


@pytest.mark.parametrize("path", python_files("acceptance", "fixtures", "steps"), ids=lambda path: str(path.relative_to(ROOT)))
def test_only_the_runner_starts_processes(path: Path):
    if path == ROOT / "acceptance" / "core" / "run.py":
        return
    assert "subprocess" not in {top_package(module) for module in imported_modules(path)}, (
        f"{path.relative_to(ROOT)} imports subprocess: run commands with acceptance.core.run (its timeout holds)")


# acceptance/'s packages, bottom to top: a package imports only packages of the layers below its own (none beside it),
# so core stands alone, kube never reaches for the app, the release or the delivery, and there is no cycle.
PACKAGE_LAYERS = [
    {"core"},
    {"profile"},
    {"docker_engine", "kube", "chart", "lint", "report"},
    {"app"},
    {"release"},
    {"delivery"},
    {"draft"},      # drafts a profile from a repository with every reader below it (helm, Dockerfiles, the guide); nothing imports it
    {"many"},  # runs the whole suite on many repositories, as child pytests: reads their reports, imported by no package
]
LAYER_OF = {package: index for index, layer in enumerate(PACKAGE_LAYERS) for package in layer}


# The one exception: the profile's command line (`python -m acceptance.profile draft DIR`) runs the drafter, which lies
# above it. It imports it inside main(), when the command runs, so importing the profile package never loads it.
CLI_IMPORTS = {ROOT / "acceptance" / "profile" / "__main__.py": {"draft"}}


def package_of(path: Path) -> str:
    return path.relative_to(ROOT / "acceptance").parts[0]


def test_every_module_of_the_library_is_in_a_package_of_a_layer():
    strays = [str(path.relative_to(ROOT)) for path in python_files("acceptance")
              if (path.parent != ROOT / "acceptance" and package_of(path) not in LAYER_OF)
              or (path.parent == ROOT / "acceptance" and path.name != "__init__.py")]
    assert not strays, f"modules outside the packages of PACKAGE_LAYERS: {strays}; put each in the package of its domain"


@pytest.mark.parametrize("path", [path for path in python_files("acceptance") if path.parent != ROOT / "acceptance"],
                         ids=lambda path: str(path.relative_to(ROOT)))
def test_a_package_imports_only_the_layers_below_it(path: Path):
    own = package_of(path)
    imported = {module.split(".")[1] for module in imported_modules(path)
                if module.startswith("acceptance.") and module.split(".")[1] != own}
    above = sorted(package for package in imported if LAYER_OF.get(package, len(PACKAGE_LAYERS)) >= LAYER_OF[own]
                   and package not in CLI_IMPORTS.get(path, set()))
    assert not above, f"{path.relative_to(ROOT)} ({own}) imports {above}, on its own layer or above it (see PACKAGE_LAYERS)"


@pytest.mark.parametrize("path", sorted(CLI_IMPORTS), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_command_line_imports_a_higher_layer_only_when_it_runs(path: Path):
    tree = ast.parse(path.read_text())
    top_level = {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
    allowed = {f"acceptance.{package}" for package in CLI_IMPORTS[path]}
    early = sorted(module for module in top_level if any(module == name or module.startswith(name + ".") for name in allowed))
    assert not early, f"{path.relative_to(ROOT)} imports {early} at module level: import it inside main(), so the package never loads it"
