"""The PostgreSQL server's base: upstream Debian when asked for or present, else the local base, built first when
missing (a newcomer's machine has neither, and no registry)."""

from __future__ import annotations

import types

import docker.errors
import pytest

from acceptance.docker_engine import postgresql


class FakeImages:
    def __init__(self, present: set[str]) -> None:
        self.present = present

    def get(self, name: str) -> object:
        if name not in self.present:
            raise docker.errors.ImageNotFound(name)
        return object()


def client(*present: str) -> types.SimpleNamespace:
    return types.SimpleNamespace(images=FakeImages(set(present)))


@pytest.fixture
def built_bases(monkeypatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(postgresql, "ensure_local_bases", lambda engine, images, bases: calls.append(images))
    return calls


@pytest.mark.parametrize(("mode", "present", "base", "built"), [
    ("upstream", (), postgresql.UPSTREAM_BASE, []),
    ("auto", (postgresql.UPSTREAM_BASE,), postgresql.UPSTREAM_BASE, []),
    ("auto", (), postgresql.LOCAL_BASE, [[postgresql.LOCAL_BASE]]),
    ("local", (postgresql.UPSTREAM_BASE, postgresql.LOCAL_BASE), postgresql.LOCAL_BASE, [[postgresql.LOCAL_BASE]]),
])
def test_the_base_is_upstream_when_asked_or_present_else_the_local_one_made_sure_of(built_bases, mode, present, base, built):
    assert postgresql.base_image(client(*present), mode, 600) == base
    assert built_bases == built
