"""The kind provider: creates a kind cluster when needed, loads images with `kind load docker-image`."""

from __future__ import annotations

import os
from pathlib import Path

from acceptance.core.run import Result, run
from acceptance.core.timeouts import Timeouts
from acceptance.kube.clusters.base import ClusterError, ClusterProvider, progress, require, streamed, tool

INSTALL_FIX = "install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"


def kubeconfig_cache_dir() -> Path:
    """Where the suite keeps kubeconfigs it writes (outside the user's ~/.kube/config)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "todo-chatbot"


class KindProvider(ClusterProvider):
    """A kind cluster: reused when it exists, created otherwise, deleted only if this provider created it."""

    name = "kind"

    def __init__(self, timeouts: Timeouts, cluster_name: str = "kind", create_arguments: tuple[str, ...] = ()) -> None:
        super().__init__(timeouts)
        self.cluster_name = cluster_name
        self.create_arguments = create_arguments
        self._kubeconfig = kubeconfig_cache_dir() / f"kind-{cluster_name}.kubeconfig"

    def clusters(self) -> list[str]:
        """Names of the kind clusters that exist (`kind get clusters`)."""
        require("kind", INSTALL_FIX)
        outcome = tool(["kind", "get", "clusters"], what="list kind clusters", fix="check that the Docker engine runs (docker ps)",
                       timeout=self.timeouts.command)
        # With no cluster, kind prints "No kind clusters found." on stderr and nothing on stdout.
        return [line.strip() for line in outcome.stdout.splitlines() if line.strip()]

    def ensure(self) -> None:
        if self.cluster_name in self.clusters():
            progress(f"kind cluster {self.cluster_name} exists: reusing it")
        else:
            progress(f"creating kind cluster {self.cluster_name} (this takes a minute or two)")
            streamed(["kind", "create", "cluster", "--name", self.cluster_name, "--wait", f"{int(self.timeouts.ready)}s", *self.create_arguments],
                     what=f"create kind cluster {self.cluster_name}",
                     fix="read kind's message above; the node image must be pullable or already loaded (docker images kindest/node)",
                     timeout=self.timeouts.cluster_start)
            self.created = True
        self._write_kubeconfig()
        self.check_reachable()

    def _write_kubeconfig(self) -> None:
        outcome = tool(["kind", "get", "kubeconfig", "--name", self.cluster_name], what=f"get the kubeconfig of kind cluster {self.cluster_name}",
                       fix=f"check `kind get clusters` lists {self.cluster_name}", timeout=self.timeouts.command)
        self._kubeconfig.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._kubeconfig.with_suffix(".tmp")
        temporary.write_text(outcome.stdout)
        temporary.chmod(0o600)
        temporary.replace(self._kubeconfig)

    def kubeconfig(self) -> Path:
        return self._kubeconfig

    def context(self) -> str | None:
        return f"kind-{self.cluster_name}"

    def guide_environment(self) -> dict[str, str]:
        return {"KIND_CLUSTER_NAME": self.cluster_name}

    def load_image(self, image: str) -> None:
        require("kind", INSTALL_FIX)
        streamed(["kind", "load", "docker-image", image, "--name", self.cluster_name],
                 what=f"load image {image} into kind cluster {self.cluster_name}",
                 fix=f"check that the image exists (docker image inspect {image}) and the cluster runs (kind get clusters)",
                 timeout=self.timeouts.image_load)

    def node_shell(self, script: str, *arguments: str) -> Result:
        """The node is the kind control-plane container (kind's single-node default); its crictl is configured."""
        require("docker", "install the Docker engine (kind's nodes are its containers)")
        return run(["docker", "exec", "-i", f"{self.cluster_name}-control-plane", "sh", "-s", "--", *arguments],
                   timeout=self.timeouts.exec, input_text=script)

    def export_logs(self, dest: Path, namespaces: list[str]) -> None:
        super().export_logs(dest, namespaces)
        if not self.suite_cluster():
            return
        try:
            tool(["kind", "export", "logs", str(dest / "kind"), "--name", self.cluster_name],
                 what="export kind logs", fix="none needed; the kubectl state is still written", timeout=self.timeouts.cleanup)
        except ClusterError as error:
            (dest / "kind-logs-error.txt").write_text(str(error) + "\n")

    def removal_command(self) -> str:
        return f"kind delete cluster --name {self.cluster_name}"

    def delete(self) -> None:
        if not self.created:
            progress(f"kind cluster {self.cluster_name} existed before the run: leaving it")
            return
        tool(["kind", "delete", "cluster", "--name", self.cluster_name], what=f"delete kind cluster {self.cluster_name}",
             fix=f"run `kind delete cluster --name {self.cluster_name}` by hand", timeout=self.timeouts.cleanup)
        self.created = False
        self._kubeconfig.unlink(missing_ok=True)
