"""Unit tests of the layer-caching checks: dependency order in Dockerfiles, classic-builder logs, shared layers, the serving Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.docker_engine import context_globs
from acceptance.docker_engine.build import BuiltImage
from acceptance.docker_engine.dependency_manifests import is_manifest
from acceptance.docker_engine.dockerfiles import copies_from_context, copy_sources, parse
from acceptance.docker_engine.interpreters import ServingPython, resolve_command
from acceptance.docker_engine.rebuilds import BuildStep, Rebuild, build_steps, shared_leading_layers

ROOT = Path(__file__).resolve().parents[2]

BACKEND = """\
ARG BUILDER_IMAGE=python:3.11-slim
ARG RUNTIME_IMAGE=python:3.11-slim
FROM ${BUILDER_IMAGE} AS builder
COPY requirements.txt requirements-extra.txt /tmp/
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install -r /tmp/requirements.txt
FROM ${RUNTIME_IMAGE}
COPY --from=builder /opt/venv /opt/venv
COPY app/ /app/app/
"""


def dockerfile(tmp_path: Path, text: str):
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    return parse(path)


@pytest.mark.parametrize(("value", "sources"), [
    ("requirements.txt /tmp/requirements.txt", ["requirements.txt"]),
    ("package.json package-lock.json ./", ["package.json", "package-lock.json"]),
    ("--chown=1001:1001 --chmod=644 app/ /app/app/", ["app/"]),
    ('["vite.config.js", "index.html", "./"]', ["vite.config.js", "index.html"]),
    ('--link ["src", "/build/src"]', ["src"]),
    (". .", ["."]),
])
def test_copy_sources_drop_the_flags_and_the_destination(value, sources):
    assert copy_sources(value) == sources


def test_copies_from_context_is_false_for_another_stage():
    assert copies_from_context("--chown=1:1 app/ /app/")
    assert not copies_from_context("--from=builder /opt/venv /opt/venv")


@pytest.mark.parametrize(("source", "expected"), [
    ("requirements.txt", True), ("./requirements-dev.txt", True), ("deps/requirements.txt", True),
    ("app/", False), (".", False), ("requirements/", False),
    ("pyproject.toml", True), ("uv.lock", True), ("poetry.lock", True), ("requirements-prod.txt", True), ("Pipfile", True),
    ("Pipfile.lock", True), ("package.json", False), ("setup.cfg", False), ("pyproject.toml.bak", False),
])
def test_is_manifest_matches_the_file_name_in_the_patterns_family(source, expected):
    assert is_manifest(source, "requirements*.txt") is expected


def test_the_reference_dockerfiles_install_their_dependencies_before_their_sources():
    assert parse(ROOT / "images/backend/Dockerfile").dependency_order_problems("requirements*.txt", "pip install") == []
    assert parse(ROOT / "images/frontend/Dockerfile").dependency_order_problems("package*.json", "npm ci") == []


def test_manifests_alone_before_the_install_pass(tmp_path):
    assert dockerfile(tmp_path, BACKEND).dependency_order_problems("requirements*.txt", "pip install") == []


def test_sources_copied_before_the_install_are_named(tmp_path):
    text = BACKEND.replace("COPY requirements.txt requirements-extra.txt /tmp/\n", "COPY requirements.txt /tmp/\nCOPY app/ /tmp/app/\n")

    problems = dockerfile(tmp_path, text).dependency_order_problems("requirements*.txt", "pip install")

    assert len(problems) == 1 and "stage 0 (builder) copies ['app/'] before it runs 'pip install'" in problems[0]


def test_copying_everything_before_the_install_fails_twice(tmp_path):
    """`COPY . .` brings the manifests in too, but not by name: a change to any source re-runs the install."""
    text = BACKEND.replace("COPY requirements.txt requirements-extra.txt /tmp/\n", "COPY . /tmp/\n")

    problems = dockerfile(tmp_path, text).dependency_order_problems("requirements*.txt", "pip install")

    assert ["copies ['.'] before" in problem for problem in problems] == [True, False]
    assert "copies no dependency manifest (requirements*.txt, pyproject.toml, uv.lock, poetry.lock, Pipfile, Pipfile.lock) by name" in problems[1]


def test_sources_copied_after_the_install_or_from_another_stage_do_not_count(tmp_path):
    text = BACKEND.replace("FROM ${RUNTIME_IMAGE}\n", "COPY app/ /tmp/app/\nFROM ${RUNTIME_IMAGE}\n")
    text = text.replace("FROM ${BUILDER_IMAGE} AS builder\n", "FROM ${BUILDER_IMAGE} AS builder\nCOPY --from=wheels /wheels /wheels\n")

    assert dockerfile(tmp_path, text).dependency_order_problems("requirements*.txt", "pip install") == []


def test_an_install_only_in_the_final_stage_is_no_build_stage_install(tmp_path):
    text = "FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"

    problems = dockerfile(tmp_path, text).dependency_order_problems("requirements*.txt", "pip install")

    assert len(problems) == 1 and "no build stage" in problems[0] and "runs 'pip install'" in problems[0]


def test_an_install_without_its_manifests_is_named(tmp_path):
    text = "FROM node:20 AS build\nWORKDIR /build\nRUN npm ci\nFROM nginx\nCOPY --from=build /build/dist /usr/share/nginx/html\n"

    problems = dockerfile(tmp_path, text).dependency_order_problems("package*.json", "npm ci")

    assert problems == [("stage 0 (build) copies no dependency manifest (package*.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml) by name "
                         "before it runs 'npm ci' (it copies [])")]


FRONTEND_BUILD = "FROM node:20 AS build\nWORKDIR /build\n{copies}RUN npm ci\nCOPY . .\nRUN npm run build\nFROM nginx\nCOPY --from=build /build/dist /html\n"


def context_with(tmp_path: Path, *names: str) -> Path:
    """A build context holding the files names (a name with a slash in a folder), as Docker's context would."""
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}\n")
    return tmp_path



@pytest.mark.parametrize(("source", "paths"), [
    ("./package*.json", ["package-lock.json", "package.json"]),
    ("/src/*.js", ["src/main.js"]),
    ("src/*", ["src/lib", "src/main.js"]),
    ("*/*.js", ["src/main.js"]),                 # a * never crosses a /
    ("[^p]*.json", ["tsconfig.json"]),           # Go's negated class
    ("package-lock.json*", ["package-lock.json"]),
    ("yarn.lock*", []),                          # a glob that matches nothing copies nothing
    ("app/", ["app/"]),                          # no glob: the source itself, whatever the context holds
])
def test_a_glob_names_what_it_matches_in_the_context_as_docker_matches_it(tmp_path, source, paths):
    context_with(tmp_path, "package.json", "package-lock.json", "tsconfig.json", "src/main.js", "src/lib/util.js")

    assert context_globs.matches(source, tmp_path) == paths

@pytest.mark.parametrize("copies", [
    "COPY package.json package-lock.json* ./\n",   # the lockfile made optional: the idiom of the Node images' docs
    "COPY package*.json ./\n",
    "COPY package.json package-lock.jso? ./\n",
    "COPY [\"package.json\", \"[p]ackage-lock.json\", \"./\"]\n",
])
def test_a_glob_that_copies_only_manifests_is_a_manifest_copy(tmp_path, copies):
    context_with(tmp_path, "package.json", "package-lock.json", "src/main.js", "index.html")

    assert dockerfile(tmp_path, FRONTEND_BUILD.format(copies=copies)).dependency_order_problems("package*.json", "npm ci") == []


def test_a_glob_that_matches_nothing_in_the_context_copies_nothing(tmp_path):
    """No lockfile committed: `package-lock.json*` copies nothing, and package.json alone is copied by name."""
    context_with(tmp_path, "package.json", "src/main.js")
    text = FRONTEND_BUILD.format(copies="COPY package.json package-lock.json* ./\n")

    assert dockerfile(tmp_path, text).dependency_order_problems("package*.json", "npm ci") == []


@pytest.mark.parametrize(("copies", "sources", "glob"), [
    ("COPY * ./\n", ["Dockerfile", "index.html", "src", "tsconfig.json"], "'*' matches ['Dockerfile', 'index.html', 'package-lock.json', "),
    ("COPY *.json ./\n", ["tsconfig.json"], "'*.json' matches ['package-lock.json', 'package.json', 'tsconfig.json']"),
    ("COPY package.json src/*.js ./\n", ["src/main.js"], "'src/*.js' matches ['src/main.js']"),  # a * never crosses a /
])
def test_a_glob_that_copies_sources_is_still_judged_by_what_it_matches(tmp_path, copies, sources, glob):
    context_with(tmp_path, "package.json", "package-lock.json", "tsconfig.json", "src/main.js", "src/lib/util.js", "index.html")

    problems = dockerfile(tmp_path, FRONTEND_BUILD.format(copies=copies)).dependency_order_problems("package*.json", "npm ci")

    assert len(problems) == 1 and f"copies {sources} before it runs 'npm ci'" in problems[0] and glob in problems[0]


def test_copying_everything_before_npm_ci_is_still_judged(tmp_path):
    context_with(tmp_path, "package.json", "package-lock.json", "src/main.js")

    problems = dockerfile(tmp_path, FRONTEND_BUILD.format(copies="COPY . .\n")).dependency_order_problems("package*.json", "npm ci")

    assert len(problems) == 2 and "copies ['.'] before it runs 'npm ci'" in problems[0]


PYTHON_BUILD = ("FROM python:3.12 AS builder\nWORKDIR /build\n{copies}RUN {install}\nCOPY app/ app/\n"
                "FROM python:3.12-slim\nCOPY --from=builder /opt/venv /opt/venv\n")


@pytest.mark.parametrize(("copies", "install"), [
    ("COPY pyproject.toml ./\n", "pip install --no-cache-dir ."),
    ("COPY pyproject.toml uv.lock ./\n", "pip install uv && uv sync --frozen --no-install-project"),
    ("COPY pyproject.toml poetry.lock ./\n", "pip install poetry && poetry install --no-root"),
    ("COPY requirements-prod.txt ./\n", "pip install -r requirements-prod.txt"),
    ("COPY Pipfile Pipfile.lock ./\n", "pip install pipenv && pipenv install --system --deploy"),
    ("COPY pyproject.toml poetry.lock* ./\n", "pip install poetry && poetry install --no-root"),
])
def test_every_python_dependency_manifest_counts_as_one(tmp_path, copies, install):
    context_with(tmp_path, "pyproject.toml", "uv.lock", "poetry.lock", "requirements-prod.txt", "Pipfile", "Pipfile.lock", "app/main.py")

    assert dockerfile(tmp_path, PYTHON_BUILD.format(copies=copies, install=install)).dependency_order_problems("requirements*.txt", "pip install") == []


@pytest.mark.parametrize(("copies", "source"), [
    ("COPY pyproject.toml ./\nCOPY app/ app/\n", "app/"),
    ("COPY pyproject.toml package.json ./\n", "package.json"),   # another package manager's manifest: a change re-runs pip
    ("COPY pyproject.toml README.md ./\n", "README.md"),
])
def test_a_source_beside_python_manifests_is_still_judged(tmp_path, copies, source):
    context_with(tmp_path, "pyproject.toml", "package.json", "README.md", "app/main.py")

    problems = dockerfile(tmp_path, PYTHON_BUILD.format(copies=copies, install="pip install .")).dependency_order_problems("requirements*.txt", "pip install")

    assert len(problems) == 1 and f"copies [{source!r}] before it runs 'pip install'" in problems[0]


@pytest.mark.parametrize("lockfile", ["yarn.lock", "pnpm-lock.yaml", "npm-shrinkwrap.json"])
def test_every_node_lockfile_counts_as_a_manifest(tmp_path, lockfile):
    context_with(tmp_path, "package.json", lockfile, "src/main.js")
    text = FRONTEND_BUILD.format(copies=f"COPY package.json {lockfile} ./\n")

    assert dockerfile(tmp_path, text).dependency_order_problems("package*.json", "npm ci") == []


CLASSIC_LOG = """\
Step 1/6 : ARG BUILDER_IMAGE=python:3.11-slim
Step 2/6 : FROM ${BUILDER_IMAGE} AS builder
 ---> 2ebb0becc05e
Step 3/6 : COPY requirements.txt /tmp/requirements.txt
 ---> Using cache
 ---> 29e448fd6787
Step 4/6 : RUN pip install -r /tmp/requirements.txt
 ---> Running in 4c303e26d044
Collecting fastapi
 ---> 1234 not an id
Removing intermediate container 4c303e26d044
 ---> d81c8f99bd5c
Step 5/6 : FROM ${RUNTIME_IMAGE}
 ---> a7fc8810f3c3
Step 6/6 : COPY app/ /app/app/
 ---> 4774b7eb4f93
Successfully built 4774b7eb4f93
"""


def test_build_steps_reads_each_step_its_cache_hit_and_its_image():
    steps = build_steps(CLASSIC_LOG.splitlines())

    assert [(step.instruction, step.cached, step.image_id) for step in steps] == [
        ("ARG BUILDER_IMAGE=python:3.11-slim", False, None),
        ("FROM ${BUILDER_IMAGE} AS builder", False, "2ebb0becc05e"),
        ("COPY requirements.txt /tmp/requirements.txt", True, "29e448fd6787"),
        ("RUN pip install -r /tmp/requirements.txt", False, "d81c8f99bd5c"),
        ("FROM ${RUNTIME_IMAGE}", False, "a7fc8810f3c3"),
        ("COPY app/ /app/app/", False, "4774b7eb4f93"),
    ]


@pytest.mark.parametrize(("layers", "other", "shared"), [
    (["a", "b", "c"], ["a", "b", "d"], 2),
    (["a", "b"], ["a", "b", "c"], 2),
    (["x", "b"], ["a", "b"], 0),
    ([], ["a"], 0),
])
def test_shared_leading_layers_stop_at_the_first_difference(layers, other, shared):
    assert shared_leading_layers(layers, other) == shared


def rebuild(layers: list[str], previous: list[str]) -> Rebuild:
    steps = [BuildStep("FROM ${RUNTIME_IMAGE}", False, "base"), BuildStep("COPY --from=builder /opt/venv /opt/venv", True, "venv"),
             BuildStep("WORKDIR /app", True, "workdir"), BuildStep("COPY app/ /app/app/", False, "app")]
    image = BuiltImage("backend", "todo-chatbot-backend:source-change-1", "sha256:1", "digest", {}, False, 1.5, [])
    return Rebuild(image, "app/main.py", steps, [1, 2, 2, 3], layers, previous)


def test_layers_through_a_step_are_those_of_the_image_it_left():
    assert rebuild([], []).layers_through("COPY --from=builder /opt/venv") == 2
    assert rebuild([], []).layers_through("FROM ${RUNTIME_IMAGE}") == 1


def test_layers_through_take_the_last_step_that_matches():
    assert rebuild([], []).layers_through("COPY") == 3


def test_layers_through_an_unknown_step_fails_with_the_steps():
    with pytest.raises(AssertionError, match="no step of the backend build holds 'COPY src'"):
        rebuild([], []).layers_through("COPY src")


def test_a_rebuild_counts_its_shared_and_rebuilt_layers():
    done = rebuild(["base", "venv2", "app2"], ["base", "venv1", "app1"])

    assert done.shared_layers == 1
    assert "1 of its 3 layers shared with the image it was rebuilt from, 2 rebuilt" in done.describe()
    assert "cached  COPY --from=builder /opt/venv /opt/venv" in done.describe()


def test_resolve_command_searches_the_path_in_order_and_keeps_symlinks():
    executables = {"/usr/bin/python3", "/opt/venv/bin/python3"}

    assert resolve_command("python3", "/opt/venv/bin:/usr/bin", executables.__contains__) == "/opt/venv/bin/python3"
    assert resolve_command("python3", "/usr/local/bin:/usr/bin", executables.__contains__) == "/usr/bin/python3"
    assert resolve_command("python3", "/usr/local/bin", executables.__contains__) is None


def test_resolve_command_takes_a_path_with_a_slash_as_it_is():
    assert resolve_command("/opt/venv/bin/python3", "/usr/bin", lambda candidate: False) == "/opt/venv/bin/python3"


def test_the_venv_of_a_python_is_its_parents_parent():
    python = ServingPython(["/opt/venv/bin/python3", "/opt/venv/bin/uvicorn"], "/usr/bin", "/opt/venv/bin/python3", None)

    assert python.venv == "/opt/venv"
    assert "there is no /opt/venv/pyvenv.cfg" in python.describe()
