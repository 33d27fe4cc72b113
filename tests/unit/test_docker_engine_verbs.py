"""The Docker verbs whose contract a check depends on, against stand-ins for the engine (the engine itself is exercised
by the image tier): the try_/raising pairs, and the credential variables an image's metadata may not set."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import docker.errors
import pytest

from acceptance.core.credentials import credential_like
from acceptance.core.run import ToolError
from acceptance.docker_engine.containers import exec_output, try_exec_output
from acceptance.docker_engine.image import credentials_in_metadata, image_id, try_image_id
from acceptance.profile import model as profile_lib

ROOT = Path(__file__).resolve().parents[2]
PROFILES = {"reference": ROOT / "profiles" / "reference.yaml", "second deployment": ROOT / "examples" / "second-deployment" / "profile.yaml"}


class Engine:
    """Stands in for the engine's image store: one image per name, with its environment and history."""

    def __init__(self, images: dict[str, tuple[list[str], list[str]]]):
        self.images, self.api, self.known = self, self, images

    def get(self, name: str):
        if name not in self.known:
            raise docker.errors.ImageNotFound(name)
        return SimpleNamespace(id=f"sha256:{name}", attrs={"Config": {"Env": self.known[name][0]}})

    def history(self, name: str) -> list[dict]:
        return [{"CreatedBy": line} for line in self.known[name][1]]


class Container:
    """Stands in for a running container whose every command exits with exit_code."""

    name = "acceptance-test"

    def __init__(self, exit_code: int, output: bytes):
        self.result = SimpleNamespace(exit_code=exit_code, output=output)

    def exec_run(self, command, demux=False):
        return self.result


def test_try_exec_output_returns_a_failure_and_exec_output_raises_it_with_what_it_was_to_do():
    failing = Container(1, b"cat: /proc/1/environ: Permission denied\n")

    assert try_exec_output(failing, ["cat", "/proc/1/environ"]) == (1, "cat: /proc/1/environ: Permission denied")
    with pytest.raises(ToolError, match=r"^cannot read /proc/1/environ in container acceptance-test \(exit 1\): cat: .*Permission denied$"):
        exec_output(failing, ["cat", "/proc/1/environ"], "read /proc/1/environ")
    assert exec_output(Container(0, b"python3\0-m\0"), ["cat", "/proc/1/cmdline"], "read /proc/1/cmdline") == "python3\0-m\0"


def test_try_image_id_is_none_for_an_unknown_name_and_image_id_raises():
    engine = Engine({"todo-backend:acceptance": ([], [])})

    assert try_image_id(engine, "todo-backend:acceptance") == image_id(engine, "todo-backend:acceptance") == "sha256:todo-backend:acceptance"
    assert try_image_id(engine, "todo-frontend:acceptance") is None
    with pytest.raises(ToolError, match="no image is tagged todo-frontend:acceptance"):
        image_id(engine, "todo-frontend:acceptance")


@pytest.mark.parametrize("profile", PROFILES.values(), ids=PROFILES.keys())
def test_the_credential_variables_an_image_sets_are_those_the_profile_names(profile: Path):
    names = profile_lib.load(profile).credential_names()
    environment = ["PATH=/usr/local/bin:/usr/bin", "OPENAI_API_KEY=sk-not-a-real-key", "NEON_API_KEY=", "LOG_LEVEL=INFO",
                   "DATABASE_URL=sqlite:////app/data/todo.db", "OPENAI_BASE_URL=https://api.openai.com/v1"]
    engine = Engine({"backend": (environment, ["/bin/sh -c #(nop) ENV OPENAI_API_KEY=sk-not-a-real-key", "/bin/sh -c pip install ."])})

    assert sorted(names) == ["DATABASE_URL", "NEON_API_KEY", "OPENAI_API_KEY"]
    assert credentials_in_metadata(engine, "backend", credential_like, names) == ["OPENAI_API_KEY=sk-not-a-real-key"]


def test_a_credential_the_profile_names_is_found_by_its_name_alone():
    engine = Engine({"backend": (["ANTHROPIC_API_KEY=placeholder", "DATABASE_URL=postgresql://todo@db/todo"], [])})

    assert credentials_in_metadata(engine, "backend", credential_like, ["ANTHROPIC_API_KEY", "DATABASE_URL"]) == [
        "ANTHROPIC_API_KEY=placeholder", "DATABASE_URL=postgresql://todo@db/todo"]
    assert credentials_in_metadata(engine, "backend", credential_like, []) == []
