"""The words of a "the release installed ..." step name the release the step installs and the plan installs ahead."""

from fixtures.release_requests import ReleaseRequest, requested


def test_each_install_step_names_its_release_variant():
    assert requested("the release installed in a namespace of its own") == ReleaseRequest()
    assert requested("the release installed with canary credentials in a namespace of its own").canaries
    replicas = requested("the release installed with 3 replicas of each component in a namespace of its own")
    assert (replicas.variant, dict(replicas.values)) == ("replicas-3", {"frontendReplicaCount": "3", "backendReplicaCount": "3"})
    probes = requested("the release installed with probes every 2 seconds and a 5 second grace period in a namespace of its own")
    assert probes.variant == "probes-2s-grace-5s" and dict(probes.values)["backendLivenessPeriodSeconds"] == "2"
    assert dict(probes.values)["terminationGracePeriodSeconds"] == "5"
    restricted = requested('the release installed in a namespace of its own that enforces the "restricted" Pod Security Standard')
    assert dict(restricted.namespace_labels)["pod-security.kubernetes.io/enforce"] == "restricted"


def test_a_step_that_installs_nothing_asks_for_no_release():
    assert requested("every pod of the release should be Running and Ready") is None
    assert requested("the release installed in a namespace of its own, twice") is None
