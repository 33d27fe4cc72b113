"""The local provider: a real single-node Kubernetes built from upstream components (cluster/local/*.sh)."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path

from acceptance.core.run import Result, run
from acceptance.core.timeouts import Timeouts
from acceptance.kube.clusters.base import ClusterError, ClusterProvider, progress, script_error, streamed

SCRIPTS_DIR = Path(__file__).resolve().parents[3] / "cluster" / "local"
CONTEXT = "todo-chatbot-local"


def state_dir() -> Path:
    """The local cluster's state directory (TODO_CLUSTER_STATE, as the scripts read it)."""
    return Path(os.environ.get("TODO_CLUSTER_STATE", "/var/lib/todo-chatbot-cluster"))


def unavailable_reason() -> str | None:
    """Why the local provider cannot run on this machine, or None when it can."""
    if platform.system() != "Linux":
        return f"the local provider runs Kubernetes components as processes and needs Linux, not {platform.system()}"
    if os.geteuid() != 0:
        return "the local provider needs root (it starts containerd and the kubelet): run the suite with sudo"
    if not (SCRIPTS_DIR / "up.sh").is_file():
        return f"{SCRIPTS_DIR}/up.sh is missing: the suite's checkout is incomplete"
    return None


class LocalProvider(ClusterProvider):
    """Builds (once, cached) and starts the local cluster; delete() stops it when ensure() started it."""

    name = "local"

    def __init__(self, timeouts: Timeouts, purge_on_delete: bool = False) -> None:
        super().__init__(timeouts)
        self.purge_on_delete = purge_on_delete

    def _script(self, name: str) -> str:
        return str(SCRIPTS_DIR / name)

    def ensure(self) -> None:
        reason = unavailable_reason()
        if reason:
            raise ClusterError(f"{reason}\nfix: or choose --cluster minikube, kind or existing")
        if shutil.which("kubectl") is None:
            raise ClusterError("kubectl not found on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/)")
        running = self.reachable()
        # build.sh returns in seconds when its outputs are cached; a cold build takes 10-15 minutes.
        streamed(["bash", self._script("build.sh")], what="build the local cluster's components",
                 fix="read the build log named above; the Go module proxy must be reachable for a cold build",
                 timeout=self.timeouts.cluster_build)
        try:
            streamed(["bash", self._script("up.sh")], what="start the local cluster",
                     fix=f"read the component log named above (in {state_dir()}/logs), fix the cause and run the suite again",
                     timeout=self.timeouts.cluster_start)
        except ClusterError as error:
            stopped = ""
            if not running:  # up.sh stops what it started when it fails, but not when the timeout killed it
                try:
                    self._stop()
                except ClusterError as stop_error:
                    stopped = f"\nand stopping what it started failed too: {stop_error}"
            raise ClusterError(f"the local cluster did not start: {script_error(str(error))}\n{error}{stopped}") from None
        self.created = not running
        self.check_reachable()

    def kubeconfig(self) -> Path:
        return state_dir() / "kubeconfig"

    def context(self) -> str | None:
        return CONTEXT

    def load_image(self, image: str) -> None:
        streamed(["bash", self._script("load-image.sh"), image], what=f"load image {image} into the local cluster",
                 fix=f"check the image exists (docker image inspect {image}) and the cluster runs ({self._script('up.sh')})",
                 timeout=self.timeouts.image_load)

    def node_shell(self, script: str, *arguments: str) -> Result:
        """The node is this host: node-shell.sh runs the script with the cluster's crictl."""
        return run(["bash", self._script("node-shell.sh"), *arguments], timeout=self.timeouts.exec, input_text=script)

    def suite_cluster(self) -> bool:
        """The local cluster is always the suite's own (cluster/local built and started it, for this suite only)."""
        return True

    def export_logs(self, dest: Path, namespaces: list[str]) -> None:
        super().export_logs(dest, namespaces)
        logs = state_dir() / "logs"
        if logs.is_dir():
            target = dest / "components"
            target.mkdir(parents=True, exist_ok=True)
            for log_file in sorted(logs.glob("*.log")):
                shutil.copyfile(log_file, target / log_file.name)

    def delete(self) -> None:
        if not self.created:
            progress("the local cluster was running before the run: leaving it running")
            return
        self._stop()
        self.created = False
        progress("local cluster stopped")

    def removal_command(self) -> str:
        return f"{self._script('down.sh')}" + (" --purge" if self.purge_on_delete else "")

    def _stop(self) -> None:
        arguments = ["bash", self._script("down.sh")] + (["--purge"] if self.purge_on_delete else [])
        streamed(arguments, what="stop the local cluster", fix=f"run {self._script('down.sh')} by hand", timeout=self.timeouts.cleanup)
