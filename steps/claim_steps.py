"""Steps on the release's data claim: Bound, its size, mounted in the pod, holding the database file."""

from __future__ import annotations

from pytest_bdd import parsers, then

from acceptance.core.quantity import quantity
from acceptance.kube.client import Kube
from acceptance.release.release import Release
from fixtures.release_requests import BOUND


@then(BOUND)
def claim_bound(release: Release) -> None:
    release.wait_claim_bound()


@then(parsers.parse('the data claim should request exactly "{size}" and be bound to at least that'))
def claim_capacity(release: Release, kube: Kube, size: str) -> None:
    found = kube.core.read_namespaced_persistent_volume_claim(release.claim(), release.namespace)
    requested, capacity = found.spec.resources.requests.get("storage"), (found.status.capacity or {}).get("storage")
    assert requested and quantity(requested) == quantity(size) and capacity and quantity(capacity) >= quantity(size), (
        f"PVC {found.metadata.name} requests {requested} and is bound to {capacity}, expected a request of exactly {size} and at least that bound")


@then(parsers.parse('the database file the backend is configured with should be on the claim and hold "{title}"'))
def database_on_claim(release: Release, title: str) -> None:
    problem = release.database_file_problem(title)
    assert problem is None, problem


@then("the pod of the data claim's owner should have it mounted writable")
def data_claim_mounted_in_pod(release: Release) -> None:
    """The owner is the profile's claim_owner (the seed's backend), wherever its pod mounts the claim."""
    owner = release.profile.claim_owner()
    claim_mounted_in_pod(release, owner, release.data_claim_mount(owner))


@then(parsers.parse('the "{component}" pod should have the claim mounted at "{path}"'))
def claim_mounted_in_pod(release: Release, component: str, path: str) -> None:
    problem = release.writable_mount_problem(component, path)
    assert problem is None, problem

