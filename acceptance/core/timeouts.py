"""Every time budget of the suite, per kind of operation, in one object (defaults live in pytest.ini)."""

from __future__ import annotations

import configparser
import dataclasses
from collections.abc import Callable
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Timeouts:
    """Seconds allowed per kind of operation; read from `timeout_<name>` settings and scaled for slow machines."""

    build: float            # one image build
    base_build: float       # building the local Debian base images
    container_healthy: float  # a container to run and turn healthy
    request: float          # one HTTP request
    command: float          # a short CLI call: kubectl get, helm template, docker inspect
    exec: float             # a command inside a pod
    service_url: float      # minikube service --url to give an address that answers
    cluster_build: float    # building the local cluster's components (cold)
    cluster_start: float    # starting or creating a cluster
    image_load: float       # loading one image into a cluster
    install: float          # helm install/upgrade
    ready: float            # a release, pod, endpoint or claim to be ready
    cleanup: float          # uninstall and namespace deletion
    browser: float          # a page in the browser to show what one action changes
    fuzz: float             # a whole property-based run against the API

    @classmethod
    def names(cls) -> list[str]:
        return [field.name for field in dataclasses.fields(cls)]

    @classmethod
    def from_settings(cls, lookup: Callable[[str], str | None], scale: float = 1.0) -> Timeouts:
        """Timeouts from lookup(name) -> seconds as text (pytest's getini, or an ini file), times scale.

        Raises:
            ValueError: a budget is missing, not a number, or not positive.
        """
        values = {}
        for name in cls.names():
            text = lookup(f"timeout_{name}")
            try:
                if text is None:
                    raise TypeError(text)  # float(None) raises the same: a missing budget reads as "not a number"
                seconds = float(text)
            except (TypeError, ValueError):
                raise ValueError(f"timeout_{name} must be a number of seconds, got {text!r} (set it in pytest.ini)") from None
            if seconds <= 0:
                raise ValueError(f"timeout_{name} must be positive, got {seconds:g}")
            values[name] = seconds * scale
        return cls(**values)

    @classmethod
    def from_ini(cls, path: Path, scale: float = 1.0) -> Timeouts:
        """Timeouts from the [pytest] section of an ini file (for code that runs outside pytest)."""
        parser = configparser.ConfigParser()
        parser.read(path)
        return cls.from_settings(lambda key: parser.get("pytest", key, fallback=None), scale)
