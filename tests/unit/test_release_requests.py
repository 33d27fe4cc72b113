"""The words of a "the release installed ..." step name the release the step installs and the plan installs ahead."""

import pytest

from acceptance.core.wait import WaitTimeout
from acceptance.profile.model import reference
from acceptance.release.pool import room_for_another
from acceptance.release.release import Release
from fixtures.release_requests import ReleaseRequest, promises_start, requested


def test_each_install_step_names_its_release_variant():
    assert requested("the release installed in a namespace of its own") == ReleaseRequest()
    assert requested("the release installed with canary credentials in a namespace of its own").canaries
    replicas = requested("the release installed with 3 replicas of each component in a namespace of its own")
    assert (replicas.variant, dict(replicas.values)) == ("replicas-3", {"replicas.frontend": "3", "replicas.backend": "3"})
    probes = requested("the release installed with readiness probes every 2 seconds, liveness probes every 4 seconds and a 5 second "
                       "grace period in a namespace of its own")
    assert probes.variant == "probes-2s-4s-grace-5s" and dict(probes.values)["probes.backend.liveness_period"] == "4"
    assert dict(probes.values)["probes.backend.readiness_period"] == dict(probes.values)["probes.backend.liveness_timeout"] == "2"
    assert dict(probes.values)["termination_grace"] == "5"


def test_every_setting_a_release_asks_for_is_a_value_the_reference_profile_names():
    """The settings are profile concepts: the reference profile turns each into its chart key."""
    profile = reference()
    replicas = requested("the release installed with 3 replicas of each component in a namespace of its own")
    probes = requested("the release installed with readiness probes every 2 seconds, liveness probes every 2 seconds and a 5 second "
                       "grace period in a namespace of its own")

    assert profile.assignments(dict(replicas.values)) == {"frontendReplicaCount": "3", "backendReplicaCount": "3"}
    assert profile.assignments(dict(probes.values))["backendLivenessPeriodSeconds"] == "2"
    restricted = requested('the release installed in a namespace of its own that enforces the "restricted" Pod Security Standard')
    assert dict(restricted.namespace_labels)["pod-security.kubernetes.io/enforce"] == "restricted"


def test_a_step_that_installs_nothing_asks_for_no_release():
    assert requested("every pod of the release should be Running and Ready") is None
    assert requested("the release installed in a namespace of its own, twice") is None


def test_another_release_is_installed_ahead_only_while_the_node_holds_two_more_of_the_largest():
    requested = {"kube-system": 0.05, "acc-replicas": 0.7, "acc-next": 0.35, "acc-removed": 0.35}
    assert not room_for_another(2.0, requested, ["acc-replicas", "acc-next"]), "0.55 free is less than twice 0.7"
    assert room_for_another(2.0, {"kube-system": 0.05, "acc-one": 0.35}, ["acc-one"]), "1.6 free holds twice 0.35"
    assert not room_for_another(2.0, {"kube-system": 0.05}, []), "nothing of ours observed yet: no measure of a release"


def test_a_scenario_whose_first_promise_is_the_start_gets_its_release_not_awaited():
    """V-1 and the smoke test promise the release's start themselves; a scenario that acts first needs it Ready."""
    given = ("given", "the release installed in a namespace of its own")
    assert promises_start([given, ("then", "every pod of the release should be Running and Ready")])
    assert promises_start([given, ("then", "the data claim should be Bound"), ("then", "every pod of the release should be Running and Ready")])
    assert not promises_start([given, ("when", "the release is upgraded"), ("then", "every pod of the release should be Running and Ready")])
    assert not promises_start([given, ("then", "the data claim should request exactly \"5Gi\" and be bound to at least that")])


class FailingStart(Release):
    """A release whose readiness wait fails, counting its waits (no cluster)."""

    def __init__(self) -> None:  # only the fields wait_started reads
        self.start_awaited, self.start_failure, self.waits = False, None, 0

    def wait_ready(self) -> None:
        self.waits += 1
        raise WaitTimeout("every pod of the release Running and Ready did not happen within 180s")


def test_a_failed_start_is_waited_for_once_and_reported_to_the_step_that_promises_it():
    release = FailingStart()
    with pytest.raises(WaitTimeout):
        release.wait_started()  # the pool's wait, in the background
    with pytest.raises(WaitTimeout, match="did not happen within 180s"):
        release.wait_started()  # the promise's step: the same failure at once
    assert release.waits == 1
