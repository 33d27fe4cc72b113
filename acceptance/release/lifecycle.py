"""A release's namespace made and removed: created labelled and stamped with the run that owns it, removed fast, and
the namespaces of runs that died swept."""

from __future__ import annotations

from pathlib import Path

from acceptance.core import leftovers, run_owner
from acceptance.core.credentials import Canaries
from acceptance.core.names import CREATED_BY_LABEL
from acceptance.core.progress import say
from acceptance.kube.client import Kube
from acceptance.kube.clusters.base import ClusterProvider
from acceptance.profile.model import Profile
from acceptance.release.release import CREATED_BY, Release


def sweep_dead_runs(kube: Kube) -> list[str]:
    """Delete the namespaces of the suite's runs that ended without removing them (killed, crashed): their owner stamp
    names a process of this host that no longer runs. A live run's, another host's, or an unstamped one stay. The
    namespaces deleted (not waited for: they go while the run works)."""
    swept = []
    for namespace in kube.core.list_namespace(label_selector=f"{CREATED_BY_LABEL}={CREATED_BY}").items:
        stamp = (namespace.metadata.annotations or {}).get(run_owner.OWNER_KEY)
        if stamp and not run_owner.alive(stamp) and namespace.status.phase != "Terminating":
            say(f"cluster: deleting namespace {namespace.metadata.name}, left by a run that ended without removing it ({stamp})")
            kube.core.delete_namespace(namespace.metadata.name)
            swept.append(namespace.metadata.name)
    return swept


def create(cluster: ClusterProvider, kube: Kube, chart: Path, namespace: str, profile: Profile, labels: dict[str, str],
           canaries: Canaries | None = None) -> Release:
    """A namespace of the suite's own (labelled as created by it) and the Release that will live in it."""
    kube.create_namespace(namespace, {CREATED_BY_LABEL: CREATED_BY, **labels}, {run_owner.OWNER_KEY: run_owner.owner()})
    leftovers.made(f"namespace {namespace}", " ".join(["kubectl", *cluster.target().kubectl_args(), "delete", "namespace", namespace]))
    return Release(cluster, kube, chart, namespace, profile.release, profile, canaries=canaries)


def remove(release: Release) -> list[str]:
    """Delete the release's namespace, and with it everything the release holds, without waiting for its removal
    (namespaces_gone verifies that once, for every namespace the run removed); the problems met, if any.

    Its Services go first, and are waited for: a LoadBalancer of the next release may be published at the same
    address and port, and would reach this release's pods while the old Service remained. Its pods are then
    given one second to stop, not the chart's 30 (their controllers go first, orphaning them, so none is recreated),
    and its claims are deleted with them: the namespace controller first looks 5 s after the namespace's deletion,
    and when a claim (held by its protection finalizer until the pods are gone) is still there, it looks again
    only 8 s later (removal 11 s -> 6 s, measured on the local cluster)."""
    kubectl, namespace = release.kube.try_kubectl, release.namespace
    release.cluster.forget_published(namespace)
    outcomes = (kubectl("delete", "services", "--all", "--wait=true", namespace=namespace),
                kubectl("delete", "deployments,replicasets", "--all", "--cascade=orphan", namespace=namespace),
                kubectl("delete", "pods", "--all", "--grace-period=1", "--wait=false", namespace=namespace),
                kubectl("delete", "persistentvolumeclaims", "--all", "--wait=false", namespace=namespace),
                kubectl("delete", "namespace", namespace, "--wait=false"))
    if outcomes[-1].ok:
        leftovers.removed(f"namespace {namespace}")
    return [outcome.describe() for outcome in outcomes if not outcome.ok]
