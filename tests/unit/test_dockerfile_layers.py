"""Unit tests of the layer-caching checks: dependency order in Dockerfiles, classic-builder logs, shared layers, the serving Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from acceptance.docker_engine.build import BuiltImage
from acceptance.docker_engine.dockerfiles import copies_from_context, copy_sources, is_manifest, parse
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
])
def test_is_manifest_matches_the_file_name(source, expected):
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
    assert "copies no requirements*.txt by name" in problems[1]


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

    assert problems == ["stage 0 (build) copies no package*.json by name before it runs 'npm ci' (it copies [])"]


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
