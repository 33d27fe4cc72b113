"""Running the deployment's scripts where they cannot reach a cluster: their own checks are all that runs."""

from __future__ import annotations

import os
from pathlib import Path

from acceptance.run import Result, path_without, run

# Tools hidden from a script run offline: whatever its checks let through stops at the missing tool, never at a cluster.
CLUSTER_TOOLS = ("kubectl", "helm", "minikube")


def run_offline(script: Path, scratch: Path, timeout: float, *arguments) -> Result:
    """Run script with no cluster tool on PATH and a kubeconfig that does not exist."""
    environment = {**os.environ, "PATH": path_without(CLUSTER_TOOLS[0], scratch / "bin", *CLUSTER_TOOLS[1:]),
                   "KUBECONFIG": str(scratch / "no-kubeconfig")}
    return run([script, *arguments], timeout=timeout, env=environment)
