"""Steps on self-healing: a deleted pod is replaced within its budget, a hung container is restarted by the kubelet."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from acceptance.release.release import Deletion, Release
from fixtures.options import Settings
from fixtures.reporting import record_environment


@when(parsers.parse('the "{component}" pod is deleted'), target_fixture="deletion")
def delete_pod(release: Release, component: str) -> Deletion:
    return release.delete_pod(component)


@then(parsers.parse('a new "{component}" pod should be Running and Ready'), target_fixture="ready_seconds")
def replacement_ready(release: Release, settings: Settings, deletion: Deletion, component: str) -> float:
    assert deletion.component == component, f"the scenario deleted a {deletion.component} pod, not a {component} pod"
    return release.wait_replaced(deletion, settings.recovery_budget_seconds)


@then(parsers.parse('the "{component}" Service should answer again'), target_fixture="recovery_seconds")
def service_answers_again(release: Release, observe, deletion: Deletion, component: str) -> float:
    assert deletion.component == component, f"the scenario deleted a {deletion.component} pod, not a {component} pod"
    return release.wait_answering(deletion, observe)


@then("the recovery time should be reported and within its budget")
def report_recovery(record_property, settings: Settings, deletion: Deletion, ready_seconds: float, recovery_seconds: float) -> None:
    record_property(f"recovery_seconds_{deletion.component}", round(recovery_seconds, 1))
    record_environment(f"recovery {deletion.component}",
                       f"{recovery_seconds:.1f} s from pod deletion to its Service answering again, a new pod Ready at "
                       f"{ready_seconds:.1f} s (budget {settings.recovery_budget_seconds:g} s)")
    assert 0 < recovery_seconds <= settings.recovery_budget_seconds, (
        f"the {deletion.component} Service answered again {recovery_seconds:.1f} s after its pod was deleted (a new pod Ready at "
        f"{ready_seconds:.1f} s), over its {settings.recovery_budget_seconds:g} s budget (recovery_budget_seconds)")


@when(parsers.parse('the "{component}" container stops answering its health checks'), target_fixture="hang")
def hang_container(release: Release, component: str) -> tuple[str, str, int]:
    return release.freeze(component)


@then(parsers.parse('the "{component}" container should be restarted by the kubelet'))
def restarted_by_kubelet(release: Release, hang: tuple[str, str, int], component: str) -> None:
    release.wait_restarted(hang, component)

