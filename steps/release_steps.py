"""Steps on the release's life: installed in a namespace of its own as a scenario asks, its NOTES, its uninstall."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from acceptance.release.release import Release
from fixtures.release_requests import (
    CANARIES,
    DEFAULT,
    EARLIER,
    FAST_PROBES,
    POD_SECURITY,
    REPLICAS,
    default,
    from_earlier_chart,
    with_canaries,
    with_fast_probes,
    with_pod_security,
    with_replicas,
)


@given(DEFAULT, target_fixture="release")
def release_installed(install) -> Release:
    return install(default())


@given(CANARIES, target_fixture="release")
def release_with_canaries(install) -> Release:
    return install(with_canaries())


@given(parsers.parse(REPLICAS), target_fixture="release")
def release_with_replicas(install, replicas: int) -> Release:
    return install(with_replicas(replicas))


@given(parsers.parse(EARLIER), target_fixture="release")
def release_from_earlier_chart(install, replicas: int) -> Release:
    return install(from_earlier_chart(replicas))


@given(parsers.parse(FAST_PROBES), target_fixture="release")
def release_with_fast_probes(install, readiness: int, liveness: int, grace: int) -> Release:
    return install(with_fast_probes(readiness, liveness, grace))


@given(parsers.parse(POD_SECURITY), target_fixture="release")
def release_pod_security(install, level: str) -> Release:
    return install(with_pod_security(level))


@then(parsers.parse('the install output should show NOTES with "{first}" and "{second}"'))
def install_notes(release: Release, first: str, second: str) -> None:
    notes = release.install_output.split("NOTES:", 1)[1] if "NOTES:" in release.install_output else ""
    missing = [phrase for phrase in (first, second) if phrase not in notes]
    assert notes and not missing, f"the install printed {'no NOTES' if not notes else f'NOTES without {missing}'}:\n{release.install_output[-2000:]}"


@when("the release is uninstalled")
def uninstall_release(release: Release) -> None:
    outcome = release.uninstall()
    assert outcome.ok, f"helm uninstall failed:\n{outcome.describe()}"


@then("nothing labelled with the release should remain in its namespace but the data claim the chart keeps on purpose")
def nothing_remains(release: Release) -> None:
    release.wait_gone()

