"""Stand-ins for minikube, docker, kubectl and helm that replay recorded output (acceptance/delivery/fakes/), every call logged.

They let the suite check what deployment/minikube-setup.sh decides from what minikube reports, on a machine where
minikube cannot run. Only tools outside the product are faked; the script under test runs for real.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from acceptance.core.run import path_without

FAKES = Path(__file__).with_name("fakes")
FAKED = ("minikube", "docker", "kubectl", "helm")
MINIKUBE_STATES = {"no profile": "absent", "the profile stopped": "stopped", "the profile running": "running"}


@dataclasses.dataclass
class FakeTools:
    """A PATH on which the faked tools answer from recordings and the real ones are hidden."""

    scratch: Path
    minikube_state: str

    @classmethod
    def install(cls, scratch: Path, reported: str) -> FakeTools:
        """Fakes in scratch/fake-bin, minikube reporting one of MINIKUBE_STATES.

        Raises:
            KeyError: reported is not one of MINIKUBE_STATES.
        """
        fakes = scratch / "fake-bin"
        fakes.mkdir(parents=True, exist_ok=True)
        for name in FAKED:
            (fakes / name).symlink_to(FAKES / ("minikube" if name == "minikube" else "tool"))
        return cls(scratch, MINIKUBE_STATES[reported])

    @property
    def calls_file(self) -> Path:
        return self.scratch / "calls.log"

    def environment(self) -> dict[str, str]:
        real = path_without(FAKED[0], self.scratch / "real-bin", *FAKED[1:])
        return {**os.environ, "PATH": f"{self.scratch / 'fake-bin'}{os.pathsep}{real}", "FAKE_CALLS": str(self.calls_file),
                "FAKE_MINIKUBE_STATE": self.minikube_state, "KUBECONFIG": str(self.scratch / "no-kubeconfig")}

    def calls(self, tool: str) -> list[str]:
        """The arguments of every call of tool, in order."""
        lines = self.calls_file.read_text().splitlines() if self.calls_file.exists() else []
        return [line.split(" ", 1)[1] if " " in line else "" for line in lines if line.split(" ", 1)[0] == tool]
