"""Offline builds of any deployment: the images a Dockerfile starts FROM are read with their ARG defaults, and each is
served by the local base the profile maps it to (tagged under the upstream name) or by the context's args file."""

from __future__ import annotations

from pathlib import Path

import docker.errors
import pytest

from acceptance.core.run import ToolError
from acceptance.docker_engine.bases import Bases, choose_build_args
from acceptance.docker_engine.build import context_digest, outside
from acceptance.docker_engine.dockerfiles import upstream_bases

ROOT = Path(__file__).resolve().parents[2]


class Engine:
    """Stands in for the Docker engine's image store (the engine itself is exercised by the image tier)."""

    def __init__(self, *present: str):
        self.tags = {name: name for name in present}
        self.images = self

    def get(self, name: str):
        if name not in self.tags:
            raise docker.errors.ImageNotFound(name)
        engine = self

        class Image:
            def tag(self, new: str) -> None:
                engine.tags[new] = engine.tags[name]
        return Image()


def test_upstream_bases_fill_in_arg_defaults_and_skip_earlier_stages(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("ARG PY=3.11\nARG BASE=python:${PY}-slim\nFROM python:${PY} AS build\nFROM build AS test\nFROM $BASE\n")

    assert upstream_bases(dockerfile) == ["python:3.11", "python:3.11-slim"]


def test_the_reference_uses_its_args_file():
    engine = Engine("todo-chatbot-base/python-build:bookworm", "todo-chatbot-base/python-runtime:bookworm")
    context = ROOT / "images" / "backend"
    args, why, tagged = choose_build_args(engine, context, context / "Dockerfile", "auto", Bases("local-bases.env", {}, Path("/x"), 1))

    assert args == {"BUILDER_IMAGE": "todo-chatbot-base/python-build:bookworm", "RUNTIME_IMAGE": "todo-chatbot-base/python-runtime:bookworm"}
    assert why.startswith("local Debian bases") and tagged == []


def test_mapped_upstream_names_are_tagged_onto_the_local_bases():
    engine = Engine("todo-chatbot-base/python-build:bookworm", "todo-chatbot-base/python-runtime:bookworm")
    mapping = {"python:3.11-bookworm": "todo-chatbot-base/python-build:bookworm",
               "python:3.11-slim-bookworm": "todo-chatbot-base/python-runtime:bookworm"}
    dockerfile = ROOT / "examples" / "second-deployment" / "docker" / "api.Dockerfile"

    args, why, tagged = choose_build_args(engine, ROOT / "images" / "backend", dockerfile, "auto", Bases(None, mapping, Path("/x"), 1))

    assert args == {} and "python:3.11-slim-bookworm <- todo-chatbot-base/python-runtime:bookworm" in why
    assert tagged == ["python:3.11-bookworm", "python:3.11-slim-bookworm"], "the tags to remove after the build"
    assert engine.tags["python:3.11-bookworm"] == "todo-chatbot-base/python-build:bookworm"


def test_an_unmapped_upstream_base_names_the_profile_key(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.11-alpine\n")

    with pytest.raises(ToolError, match=r"no local base for \['python:3.11-alpine'\].*bases.map"):
        choose_build_args(Engine(), tmp_path, dockerfile, "auto", Bases(None, {}, Path("/x"), 1))


def test_a_dockerfile_outside_its_context_is_part_of_the_digest(tmp_path):
    context, dockerfile = tmp_path / "context", tmp_path / "app.Dockerfile"
    context.mkdir()
    (context / "main.py").write_text("print(1)\n")
    dockerfile.write_text("FROM scratch\n")
    before = context_digest(context, {}, dockerfile)
    dockerfile.write_text("FROM scratch\nCOPY main.py /\n")

    assert context_digest(context, {}, dockerfile) != before
    assert outside(dockerfile, context) and not outside(context / "Dockerfile", context)
