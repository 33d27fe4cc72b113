"""Steps that run the field's linters (hadolint, kube-score) and weigh their findings against the reviewed waivers."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from acceptance.chart.manifests import Manifests
from acceptance.docker_engine.dockerfiles import Dockerfile
from acceptance.lint import linters
from acceptance.lint import waivers as waiver_lib
from acceptance.lint.linters import Finding
from acceptance.lint.waivers import Waiver
from fixtures.options import Settings


@when("hadolint checks it", target_fixture="findings")
def hadolint_checks(dockerfile: Dockerfile, settings: Settings) -> list[Finding]:
    return linters.hadolint(dockerfile.path, settings.timeouts.command)


@when("kube-score checks the rendering", target_fixture="findings")
def kube_score_checks(manifests: Manifests, settings: Settings) -> list[Finding]:
    return linters.kube_score(manifests.text(), settings.timeouts.command)


@when("both linters check the deployment", target_fixture="findings")
def both_linters_check(default_manifests: Manifests, settings: Settings) -> list[Finding]:
    dockerfiles = [settings.dockerfile(component) for component in settings.build_contexts]
    return [finding for path in dockerfiles
            for finding in linters.hadolint(path, settings.timeouts.command)] + linters.kube_score(default_manifests.text(), settings.timeouts.command)


@then(parsers.parse('it should report no finding at "{level}" or above that is not waived'))
def nothing_at_or_above(findings: list[Finding], waivers: list[Waiver], evidence, level: str) -> None:
    unwaived, applied = waiver_lib.review(linters.at_or_above(findings, level), waivers)
    evidence.note("lint waivers applied", applied)
    assert not unwaived, f"{len(unwaived)} finding(s) at {level} or above, not waived:\n" + "\n".join(map(str, unwaived))


@then(parsers.parse('it should report no "{level}" finding that is not waived'))
def nothing_of_level(findings: list[Finding], waivers: list[Waiver], evidence, level: str) -> None:
    unwaived, applied = waiver_lib.review([finding for finding in findings if finding.level == level], waivers)
    evidence.note(f"lint waivers applied ({level})", applied)
    assert not unwaived, f"{len(unwaived)} {level} finding(s), not waived:\n" + "\n".join(map(str, unwaived))


@then("every lint waiver should still match a finding")
def no_stale_waiver(findings: list[Finding], waivers: list[Waiver], settings: Settings) -> None:
    stale = waiver_lib.stale(waivers, findings)
    assert not stale, f"waivers in {settings.lint_waivers} that no finding needs any more (remove them):\n" + "\n".join(map(str, stale))
