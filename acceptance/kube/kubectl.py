"""kubectl, the one wrapper: every call names its Target."""

from __future__ import annotations

from pathlib import Path

from acceptance.core.run import Result, ToolError, require_tool, run
from acceptance.kube.target import Target

INSTALL_FIX = "install kubectl: https://kubernetes.io/docs/tasks/tools/"


def command(target: Target, *arguments: str) -> list[str]:
    """A kubectl command line aimed at target."""
    return ["kubectl", *target.kubectl_args(), *arguments]


def try_kubectl(target: Target, *arguments: str, timeout: float, input_text: str | None = None) -> Result:
    """Run kubectl against target and return the outcome (never raises for a non-zero exit)."""
    require_tool("kubectl", INSTALL_FIX)
    return run(command(target, *arguments), timeout=timeout, input_text=input_text)


def kubectl(target: Target, *arguments: str, timeout: float, what: str | None = None, input_text: str | None = None) -> str:
    """Run kubectl against target and return its stdout.

    Raises:
        ToolError: kubectl is missing, fails or times out; the message has its stderr and the fix.
    """
    outcome = try_kubectl(target, *arguments, timeout=timeout, input_text=input_text)
    return outcome.check(what or f"run kubectl {' '.join(arguments)}", f"check that the cluster answers ({target.describe()})").stdout


def check_reachable(target: Target, timeout: float, name: str = "the") -> None:
    """The API server answers /readyz.

    Raises:
        ToolError: it does not; the message says which cluster and how to pick another.
    """
    outcome = try_kubectl(target, f"--request-timeout={int(timeout)}s", "get", "--raw", "/readyz", timeout=timeout + 5)
    if not outcome.ok:
        raise ToolError(f"{name} cluster is unreachable ({target.describe()}): {outcome.output[-1000:]}\n"
                        "fix: start the cluster, or pick a reachable one with --cluster/--kubeconfig/--kube-context")


def current_context(kubeconfig: Path, timeout: float) -> str | None:
    """The current-context of kubeconfig, or None when it has none (or kubectl is missing)."""
    try:
        outcome = try_kubectl(Target(kubeconfig), "config", "current-context", timeout=timeout)
    except ToolError:
        return None
    name = outcome.stdout.strip()
    return name if outcome.ok and name else None


def server(target: Target, timeout: float) -> str:
    """The API server address target's context names (from the kubeconfig; the cluster is not asked), or '' when unknown."""
    try:
        outcome = try_kubectl(target, "config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}", timeout=timeout)
    except ToolError:
        return ""
    return outcome.stdout.strip() if outcome.ok else ""
