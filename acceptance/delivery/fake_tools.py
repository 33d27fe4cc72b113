"""Stand-ins for minikube, docker, kubectl and helm that replay recorded output (acceptance/delivery/fakes/), every call logged.

They let the suite check what deployment/minikube-setup.sh decides from what minikube reports, on a machine where
minikube cannot run. Only tools outside the product are faked; the script under test runs for real, in the sandbox
(acceptance.delivery.sandbox), where they take the place of its refusing fakes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from acceptance.core.run import Result
from acceptance.delivery.sandbox import Sandbox

FAKES = Path(__file__).with_name("fakes")
FAKED = ("minikube", "docker", "kubectl", "helm")
MINIKUBE_STATES = {"no profile": "absent", "the profile stopped": "stopped", "the profile running": "running"}


@dataclasses.dataclass
class FakeTools:
    """A sandbox in which the faked tools answer from recordings; the other sandboxed tools still refuse."""

    sandbox: Sandbox
    minikube_state: str

    @classmethod
    def install(cls, sandbox: Sandbox, reported: str) -> FakeTools:
        """The recorded fakes in sandbox, minikube reporting one of MINIKUBE_STATES.

        Raises:
            KeyError: reported is not one of MINIKUBE_STATES.
        """
        state = MINIKUBE_STATES[reported]
        for name in FAKED:
            sandbox.fake(name, FAKES / ("minikube" if name == "minikube" else "tool"))
        return cls(sandbox, state)

    def environment(self) -> dict[str, str]:
        return self.sandbox.environment({"FAKE_MINIKUBE_STATE": self.minikube_state})

    def run(self, script: Path, *arguments: str) -> Result:
        """Run script in the sandbox with these fakes (Sandbox.run)."""
        return self.sandbox.run(script, *arguments, extra={"FAKE_MINIKUBE_STATE": self.minikube_state})

    def calls(self, tool: str) -> list[str]:
        """The arguments of every call of tool, in order."""
        return self.sandbox.calls(tool)
