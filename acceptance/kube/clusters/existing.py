"""The existing provider: any cluster a kubeconfig context reaches (multi-node, cloud, or one started by hand)."""

from __future__ import annotations

import warnings
from pathlib import Path

from acceptance.core.timeouts import Timeouts
from acceptance.kube import kubectl
from acceptance.kube.clusters.base import ClusterError, ClusterProvider, default_kubeconfig, progress


class ExistingProvider(ClusterProvider):
    """A cluster the suite neither creates nor deletes; images must already be reachable by its nodes."""

    name = "existing"

    def __init__(self, timeouts: Timeouts, kubeconfig: str | Path | None = None, context: str | None = None) -> None:
        super().__init__(timeouts)
        self._kubeconfig = Path(kubeconfig).expanduser() if kubeconfig else default_kubeconfig()
        self._context = context

    def ensure(self) -> None:
        if not self._kubeconfig.is_file():
            raise ClusterError(
                f"kubeconfig {self._kubeconfig} does not exist\n"
                "fix: pass --kubeconfig FILE, set KUBECONFIG, or choose --cluster minikube/kind/local to create a cluster"
            )
        self.check_reachable()
        server = kubectl.server(self.target(), self.timeouts.command) or "an unknown server"
        progress(f"testing in the existing cluster of context {self.context() or '<current>'} ({server}, {self._kubeconfig}): "
                 "a cluster the suite did not start; only the run's own namespaces are changed, and reported on failure")

    def kubeconfig(self) -> Path:
        return self._kubeconfig

    def context(self) -> str | None:
        return self._context

    def load_image(self, image: str) -> None:
        message = (
            f"the existing-cluster provider cannot copy {image} to the nodes: it must be pullable from a registry the "
            "nodes reach, or already present on every node (e.g. `ctr -n k8s.io images import` on each node)"
        )
        warnings.warn(message, stacklevel=2)
        progress(f"warning: {message}")

    def delete(self) -> None:
        progress("the existing cluster is not the suite's to delete: leaving it")
