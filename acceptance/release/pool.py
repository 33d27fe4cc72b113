"""The run's releases: one per feature (and variant), installed ahead of the scenarios that use them while the node
has room, reused across a feature's scenarios, removed when the next feature starts and at the end."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from acceptance.chart import previous
from acceptance.core import leftovers
from acceptance.core.background import Background
from acceptance.core.credentials import Canaries
from acceptance.core.names import CREATED_BY_LABEL
from acceptance.core.progress import say
from acceptance.core.wait import FatalState, WaitTimeout, wait_for
from acceptance.kube import conditions
from acceptance.kube.client import Kube
from acceptance.kube.clusters.base import ClusterProvider
from acceptance.profile import database
from acceptance.profile.model import Profile
from acceptance.release import lifecycle
from acceptance.release.release import CREATED_BY, Release


@dataclasses.dataclass(frozen=True)
class ReleaseRequest:
    """A release variant: its name, the chart settings (profile concepts) and namespace labels it sets, and whether it
    holds canaries."""

    variant: str = "default"
    values: tuple[tuple[str, str], ...] = ()
    namespace_labels: tuple[tuple[str, str], ...] = ()
    canaries: bool = False
    earlier_chart: bool = False  # installed from the chart as an earlier version of itself (acceptance.chart.previous)


# A dot inside a key of helm --set is escaped with a backslash (app\.kubernetes\.io/created-by), not read as nesting.
ESCAPED_DOT = "\\."


def client_pod_allowed(profile: Profile) -> dict[str, str]:
    """The suite's client pod calls the backend's ClusterIP Service from inside the cluster (V-2, FR-009): on a cluster
    that enforces the chart's NetworkPolicy only the frontend's pods and the pods this value names reach the backend.
    Nothing when the profile names no such value (a chart without NetworkPolicy)."""
    return {f"{path}.{CREATED_BY_LABEL.replace('.', ESCAPED_DOT)}": CREATED_BY for path in profile.value_paths("network_policy.clients")}


def release_values(profile: Profile, images: dict[str, str], wanted: ReleaseRequest, canaries: Canaries | None) -> dict[str, str]:
    """{value path: value} of a release the suite installs: its images, its client pod admitted, the request's settings
    (by concept) and, when it holds them, the canary credentials."""
    credentials = profile.credential_values(canaries.values) if canaries else {}
    return {**profile.image_values(images, "IfNotPresent"), **client_pod_allowed(profile), **credentials,
            **profile.assignments(dict(wanted.values))}


# At most this many releases installed ahead of the scenarios that use them, one install at a time, each only while
# the node's unrequested CPU holds two more of the largest release of ours (the next one, and the surge pods of an
# upgrade the current feature may make): with two ahead regardless, the rolling upgrade's surge pods were
# Unschedulable on the 2-CPU node, and with one ahead regardless on minikube, whose control plane requests 0.75 CPU.
MAX_AHEAD = 3


def room_for_another(allocatable: float, requested: dict[str, float], ours: list[str]) -> bool:
    """Whether the node can hold one more release: the CPU no pod requests holds two of the largest of ours.

    requested maps namespace -> CPU cores its pods request; ours are the namespaces of the run's live releases."""
    largest = max((requested.get(namespace, 0.0) for namespace in ours), default=0.0)
    return largest > 0 and allocatable - sum(requested.values()) >= 2 * largest


class ReleasePool:
    """Installs one release per feature (and variant), reuses it across the feature's scenarios, removes all at the end.

    While a feature's scenarios run, the release the plan (the run's scenarios, in order) needs next is installed in
    the background: a feature then starts on a release already installing or Ready, not on an empty namespace."""

    def __init__(self, cluster: ClusterProvider, kube: Kube, chart: Path, profile: Profile, images: dict[str, str],
                 plan: dict[tuple[str, str], ReleaseRequest] | None = None, keep: Callable[[str], bool] = lambda namespace: False,
                 verify_removal: bool = True):
        """keep(namespace) says whether a release's namespace stays at its removal (--keep-on-failure, a failed scenario
        used it); verify_removal whether remove_all waits until the removed namespaces are gone."""
        self.cluster, self.kube, self.chart, self.profile, self.images = cluster, kube, chart, profile, images
        self.plan = plan or {}
        self.keep, self.verify_removal = keep, verify_removal
        self.started: set[tuple[str, str]] = set()
        self.installed: dict[tuple[str, str], Release] = {}
        self.ahead: dict[tuple[str, str], Background[Release]] = {}
        self.removed: list[str] = []
        self.problems: list[str] = []
        self.scratch = tempfile.TemporaryDirectory(prefix="todo-chatbot-acceptance-charts-")  # removed with the pool
        self._earlier: Path | None = None

    def get(self, feature: str, wanted: ReleaseRequest, ready: bool = True, using: Callable[[Release], object] = lambda release: None) -> Release:
        """The feature's release of this variant, installed now, ahead or earlier, and Ready. With ready False (a
        scenario whose own step promises the release's start) it is only installed: that step judges its start.
        using(release) is called once it is installed, before any wait: a release that is never Ready leaves evidence."""
        key = (feature, wanted.variant)
        if key in self.ahead:
            release = self.ahead.pop(key).result()
            self.keep_only(feature)
        elif key in self.installed and not self.installed[key].uninstalled:
            release = self.installed[key]
            using(release)
            if ready:
                release.wait_ready()
            return release
        else:
            release = self.install(self.fresh(feature, wanted), wanted)
        using(release)
        if ready:
            release.wait_started()
            say(f"cluster: {release.name} in {release.namespace} is Ready")
        self.top_up()
        return release

    def install(self, release: Release, wanted: ReleaseRequest) -> Release:
        say(f"cluster: installing {release.name} into {release.namespace} ...")
        chart = self.earlier_chart() if wanted.earlier_chart else None
        outcome = release.install(release_values(self.profile, self.images, wanted, release.canaries), chart)
        assert outcome.ok, f"helm install into {release.namespace} failed:\n{outcome.describe()}"
        return release

    def earlier_chart(self) -> Path:
        """The chart as an earlier version of itself, copied once into the pool's scratch directory."""
        if self._earlier is None:
            self._earlier = previous.copy_as_earlier(self.chart, Path(self.scratch.name))
        return self._earlier

    def install_ready(self, release: Release, wanted: ReleaseRequest) -> Release:
        """Install ahead and wait for the start; a start that failed is kept on the release, for the step that judges it."""
        self.install(release, wanted)
        with contextlib.suppress(WaitTimeout, FatalState):
            release.wait_started()
        return release

    def top_up(self) -> None:
        """Start installing the next release the plan needs (in the background, up to Ready), unless one is installing
        now, MAX_AHEAD are ahead, or the node has no room for another."""
        if any(not pending.done() for pending in self.ahead.values()) or len(self.ahead) >= MAX_AHEAD:
            return
        following = next((key for key in self.plan if key not in self.started), None)
        if following is None or not self.room_for_another():
            return
        feature, wanted = following[0], self.plan[following]
        release = self.namespace(feature, wanted)
        self.ahead[following] = Background(f"install-{release.namespace}", lambda: self.install_ready(release, wanted))

    def room_for_another(self) -> bool:
        requested = self.kube.requested("cpu")
        return room_for_another(self.kube.allocatable("cpu"), requested, [release.namespace for release in self.installed.values()])

    def keep_only(self, feature: str) -> None:
        """Remove the releases of other features (but those installing ahead): a single node cannot hold every
        feature's pods at once, only the current feature's and the next one's."""
        self.problems += self.remove(lambda other: other[0] != feature and other not in self.ahead)

    def fresh(self, feature: str, wanted: ReleaseRequest) -> Release:
        """A namespace of its own for the feature's release as wanted, nothing installed in it yet; the releases of
        other features are removed."""
        self.keep_only(feature)
        return self.namespace(feature, wanted)

    def namespace(self, feature: str, wanted: ReleaseRequest) -> Release:
        slug = re.sub(r"[^a-z0-9]+", "-", f"{Path(feature).stem}-{wanted.variant}".lower()).strip("-")[:40]
        namespace = f"acc-{slug}-{uuid.uuid4().hex[:5]}"
        release = lifecycle.create(self.cluster, self.kube, self.chart, namespace, self.profile, dict(wanted.namespace_labels),
                                     database.canaries(self.profile) if wanted.canaries else None)
        self.installed[(feature, wanted.variant)] = release
        self.started.add((feature, wanted.variant))
        return release

    def remove_all(self) -> list[str]:
        """Delete every release's namespace (once any install ahead has ended), then verify once that every namespace
        the run removed is gone (unless --no-removal-wait leaves that to the caller); every problem met on the way."""
        for pending in self.ahead.values():
            if leftovers.INTERRUPTED.is_set():
                break  # its helm was stopped with the run's tools; its namespace goes below
            with contextlib.suppress(Exception):  # no scenario used it; its namespace is removed below all the same
                pending.result()
        problems = self.problems + self.remove(lambda key: True)
        if leftovers.INTERRUPTED.is_set():
            say(f"cluster: deleted {len(self.removed)} namespace(s) of this run; not waiting for their removal (interrupted)")
        elif self.removed and self.verify_removal:
            say(f"cluster: waiting for the removal of {len(self.removed)} namespace(s) ...")
            try:
                wait_for(conditions.namespaces_gone(self.kube, self.removed), timeout=self.kube.timeouts.cleanup, interval=1)
            except WaitTimeout as error:
                problems.append(str(error))
        return problems

    def remove(self, which: Callable[[tuple[str, str]], bool]) -> list[str]:
        """Remove the releases whose (feature, variant) key matches; a failed scenario's is kept with --keep-on-failure."""
        problems = []
        for key in reversed([key for key in self.installed if which(key)]):
            release = self.installed.pop(key)
            if self.keep(release.namespace):
                say(f"cluster: kept namespace {release.namespace} of a failed scenario (--keep-on-failure)")
                continue
            say(f"cluster: removing {release.namespace} (verified at the end) ...")
            problems += lifecycle.remove(release)
            self.removed.append(release.namespace)
        return problems
