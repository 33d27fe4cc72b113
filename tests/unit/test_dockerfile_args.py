"""The bases a Dockerfile starts FROM, read through the one Dockerfile parser: global ARG defaults filled into FROM
lines, flags and stage names set apart, any file name."""

from __future__ import annotations

from pathlib import Path

from acceptance.docker_engine.dockerfiles import filled, global_arg_defaults, parse, upstream_bases

ROOT = Path(__file__).resolve().parents[2]


def dockerfile(tmp_path: Path, text: str, name: str = "Dockerfile") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_global_arg_defaults_are_those_before_the_first_from_each_filled_with_the_earlier_ones(tmp_path):
    path = dockerfile(tmp_path, 'ARG PY=3.11\nARG BASE="python:${PY}-slim" TOOLS=$PY\nARG NO_DEFAULT\nARG EMPTY=\n'
                                "FROM $BASE\nARG STAGE_ONLY=1\n")

    assert global_arg_defaults(path) == {"PY": "3.11", "BASE": "python:3.11-slim", "TOOLS": "3.11"}


def test_a_from_with_platform_and_a_stage_name_gives_its_image_and_an_earlier_stage_is_no_base(tmp_path):
    path = dockerfile(tmp_path, "ARG BUILDER_IMAGE=python:3.11\n"
                                "FROM --platform=$BUILDPLATFORM ${BUILDER_IMAGE} AS builder\nRUN true\n"
                                "from builder as tests\nFROM --platform=linux/amd64 scratch\nCOPY --from=builder /opt /opt\n")

    assert upstream_bases(path) == ["python:3.11"]


def test_a_variable_in_from_is_filled_from_its_default_and_an_unknown_one_stays_as_written(tmp_path):
    path = dockerfile(tmp_path, "ARG TAG=3.11\nFROM python:${TAG}-slim\nFROM node:$NODE_TAG\nFROM python:${TAG}-slim\n")

    assert upstream_bases(path) == ["python:3.11-slim", "node:$NODE_TAG"]


def test_an_arg_declared_inside_a_stage_does_not_reach_a_later_from(tmp_path):
    """Docker fills FROM only from the ARGs before the first FROM."""
    path = dockerfile(tmp_path, "ARG BASE=debian:bookworm\nFROM $BASE AS first\nARG BASE=alpine:3.20\nFROM $BASE\n")

    assert upstream_bases(path) == ["debian:bookworm"]


def test_a_dockerfile_of_any_name_is_read(tmp_path):
    path = dockerfile(tmp_path, "ARG RUNTIME_IMAGE=nginx:1.27\nFROM ${RUNTIME_IMAGE}\n", name="Containerfile")

    assert upstream_bases(path) == ["nginx:1.27"] and [stage.base for stage in parse(path).stages] == ["${RUNTIME_IMAGE}"]


def test_filled_replaces_both_forms_of_a_known_name():
    assert filled("${A}:$B-$C", {"A": "python", "B": "3.11"}) == "python:3.11-$C"


def test_the_deployments_dockerfiles_start_from_their_arg_defaults():
    assert upstream_bases(ROOT / "images" / "frontend" / "Dockerfile") == ["node:20-bookworm-slim", "nginx:1.27-alpine"]
    assert upstream_bases(ROOT / "examples" / "second-deployment" / "docker" / "api.Dockerfile") == ["python:3.11-bookworm", "python:3.11-slim-bookworm"]
