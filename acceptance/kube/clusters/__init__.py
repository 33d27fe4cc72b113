"""Cluster providers for the cluster tier: minikube, kind, an existing kubeconfig context, or a local build."""

from __future__ import annotations

import shutil
from pathlib import Path

from acceptance.core.timeouts import Timeouts
from acceptance.kube import kubectl
from acceptance.kube.clusters import kind, local, minikube
from acceptance.kube.clusters.base import QUICK_PROBE, ClusterError, ClusterProvider, default_kubeconfig, progress, require
from acceptance.kube.clusters.existing import ExistingProvider
from acceptance.kube.clusters.kind import KindProvider
from acceptance.kube.clusters.local import LocalProvider
from acceptance.kube.clusters.minikube import MinikubeProvider

PROVIDER_NAMES = ("auto", "minikube", "kind", "existing", "local")

__all__ = [
    "PROVIDER_NAMES",
    "ClusterError",
    "ClusterProvider",
    "ExistingProvider",
    "KindProvider",
    "LocalProvider",
    "MinikubeProvider",
    "select_provider",
]


# Contexts of development clusters on this machine that auto may test in when they are current: a cluster the suite
# can start (minikube, kind) or a desktop one. Any other context (a team's, a cloud's, production) is used only when
# named: --cluster existing --kube-context NAME (or --kube-context with auto).
LOCAL_DEVELOPMENT_CONTEXTS = ("minikube", "docker-desktop", "rancher-desktop", "orbstack")
LOCAL_DEVELOPMENT_PREFIXES = ("kind-",)


def local_development_context(context: str, kubeconfig: Path) -> bool:
    """Whether auto may use context unasked: a known local development cluster, or the suite's own local cluster."""
    if context == local.CONTEXT and kubeconfig == local.state_dir() / "kubeconfig":
        return True
    return context in LOCAL_DEVELOPMENT_CONTEXTS or context.startswith(LOCAL_DEVELOPMENT_PREFIXES)


def _provider_for_context(timeouts: Timeouts, kubeconfig: Path, context: str, explicit: bool) -> ClusterProvider:
    """The most capable provider for a reachable context: one that can load images when we know how."""
    if not explicit:
        if context == local.CONTEXT and kubeconfig == local.state_dir() / "kubeconfig" and local.unavailable_reason() is None:
            return LocalProvider(timeouts)
        if context == "minikube" and shutil.which("minikube"):
            return MinikubeProvider(timeouts, profile=context, offline=minikube.offline_build())
        if context.startswith("kind-") and shutil.which("kind"):
            return KindProvider(timeouts, cluster_name=context.removeprefix("kind-"))
    return ExistingProvider(timeouts, kubeconfig, context)


def select_provider(timeouts: Timeouts, name: str = "auto", kubeconfig: str | Path | None = None, context: str | None = None) -> ClusterProvider:
    """Choose the cluster provider.

    auto picks, in order: the given kubeconfig context, or the current one when it is a local development cluster
    (minikube, kind-*, docker-desktop, the suite's local cluster), when its API server answers; minikube when
    installed; the local build when running as root on Linux. Any other cluster is tested only when named.

    Args:
        timeouts: the budgets the provider works within (start, image load, commands ...).
        name: auto, minikube, kind, existing or local.
        kubeconfig: kubeconfig file for existing/auto (default: $KUBECONFIG or ~/.kube/config).
        context: kubeconfig context for existing/auto (default: the file's current context).

    Returns:
        A provider; call its ensure() before use.

    Raises:
        ClusterError: unknown name; a named provider whose tool, kubeconfig or platform is missing;
            an explicitly given kubeconfig/context that is unusable; or no option available.
    """
    # A named provider is checked for what it needs without touching any cluster (that is ensure()'s job).
    if name == "minikube":
        if shutil.which("minikube") is None and minikube.offline_unavailable_reason() is None:
            return MinikubeProvider(timeouts, offline=True)  # none installed: build this repository's, offline
        require("minikube", f"{minikube.INSTALL_FIX}, or choose another --cluster")
        return MinikubeProvider(timeouts, offline=minikube.offline_build())
    if name == "kind":
        require("kind", f"{kind.INSTALL_FIX}, or choose another --cluster")
        return KindProvider(timeouts)
    if name == "local":
        reason = local.unavailable_reason()
        if reason:
            raise ClusterError(f"{reason}\nfix: or choose --cluster minikube, kind or existing")
        return LocalProvider(timeouts)
    if name == "existing":
        provider = ExistingProvider(timeouts, kubeconfig, context)
        if not provider.kubeconfig().is_file():
            raise ClusterError(
                f"kubeconfig {provider.kubeconfig()} does not exist\n"
                "fix: pass --kubeconfig FILE or set KUBECONFIG to a cluster's kubeconfig"
            )
        return provider
    if name != "auto":
        raise ClusterError(f"unknown cluster provider {name!r}\nfix: choose one of {', '.join(PROVIDER_NAMES)}")
    return _auto_provider(timeouts, kubeconfig, context)


def _auto_provider(timeouts: Timeouts, kubeconfig: str | Path | None, context: str | None) -> ClusterProvider:
    """select_provider's auto: the given or current context when it may be used and answers, else minikube, else local.

    Raises:
        ClusterError: an explicitly given kubeconfig/context that is unusable, or no option available.
    """
    explicit = kubeconfig is not None or context is not None
    config_path = Path(kubeconfig).expanduser() if kubeconfig else default_kubeconfig()
    reasons: list[str] = []
    if not config_path.is_file():
        if explicit and kubeconfig is not None:
            raise ClusterError(f"kubeconfig {config_path} does not exist\nfix: pass an existing file with --kubeconfig")
        reasons.append(f"no kubeconfig at {config_path}")
    else:
        chosen_context = context or kubectl.current_context(config_path, timeouts.command)
        if chosen_context is None:
            if explicit:
                raise ClusterError(f"kubeconfig {config_path} has no current context\nfix: pass --kube-context NAME")
            reasons.append(f"kubeconfig {config_path} has no current context")
        elif not explicit and not local_development_context(chosen_context, config_path):
            server = kubectl.server(ExistingProvider(timeouts, config_path, chosen_context).target(), timeouts.command)
            reasons.append(f"the current context {chosen_context} is not a local development cluster")
            progress(f"auto: the current context {chosen_context} ({server or 'server unknown'}) is not a local development "
                     f"cluster (minikube, kind-*, docker-desktop): not used unasked; to test in it, name it: "
                     f"--cluster existing --kube-context {chosen_context}")
        else:
            candidate = ExistingProvider(timeouts, config_path, chosen_context)
            try:
                candidate.check_reachable(QUICK_PROBE)
            except ClusterError as error:
                if explicit:
                    raise
                reasons.append(f"context {chosen_context} is unreachable")
                progress(f"{error}; looking for another cluster option")
            else:
                provider = _provider_for_context(timeouts, config_path, chosen_context, explicit)
                progress(f"auto: context {chosen_context} answers: using the {provider.name} provider")
                return provider

    if shutil.which("minikube"):
        progress("auto: no reachable kubeconfig context; minikube is installed: using the minikube provider")
        return MinikubeProvider(timeouts, offline=minikube.offline_build())
    reasons.append("minikube is not installed")

    local_reason = local.unavailable_reason()
    if local_reason is None:
        progress("auto: no reachable context and no minikube; root on Linux: using the local provider")
        return LocalProvider(timeouts)
    reasons.append(local_reason)

    raise ClusterError(
        "no Kubernetes cluster available: " + "; ".join(reasons) + "\n"
        "fix: one of\n"
        "  --cluster existing  name a running cluster: --kube-context NAME (and --kubeconfig FILE)\n"
        "  --cluster minikube  install minikube (https://minikube.sigs.k8s.io/docs/start/)\n"
        "  --cluster kind      install kind (https://kind.sigs.k8s.io/) and use it explicitly\n"
        "  --cluster local     run as root on Linux to build and start a local cluster (cluster/local/README.md)"
    )
