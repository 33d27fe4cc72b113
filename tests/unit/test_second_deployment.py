"""The profile mechanism proven on every run: the second deployment (examples/second-deployment), written differently
from the reference (nested values, configMapKeyRef and secretKeyRef, other names), passes every static scenario it does
not decline but the one its nested values break (FR-006), and each defect seeded into a copy fails its own scenario."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "examples" / "second-deployment"
FLAT = "chart/fr006_flat_values.feature::values.yaml is flat"

# Each seeded defect, the change that makes it, and the scenario it must fail.
DEFECTS = {
    "cleanup script without its run bit": ("scripts/cleanup.sh", None,
                                           "delivery/fr013_scripts.feature::<script> is strict, documented and lint-clean[cleanup.sh]"),
    "api memory request of 1Gi, above its 512Mi limit": (
        "chart/tasks/values.yaml", ("memory reserved\n      memory: 256Mi", "memory reserved\n      memory: 1Gi"),
        "chart/fr008_resources_probes.feature::the <component> container requests and limits its resources[backend]"),
    "no tuning section in the guide": ("GUIDE.md", ("## Tuning", "## Knobs"),
                                       "delivery/fr014_guide.feature::the guide covers the whole life of a deployment"),
}
# Each change of a value of the seed's design only, and the @seed_design scenario that must report it as a difference.
DIFFERENCES = {
    "web CPU limit of 500m": ("chart/tasks/values.yaml", ("ceiling (throttled above it)\n      cpu: 250m", "ceiling (throttled above it)\n      cpu: 500m"),
                              "chart/fr008_resources_probes.feature::the <component> container's resources are the seed's[frontend-100m-128Mi-250m-256Mi]"),
}


def seeded_copy(workspace: Path) -> Path:
    """A project holding a copy of the second deployment with every defect seeded, and the reference's app sources."""
    project = workspace / "project"
    shutil.copytree(SECOND, project / "examples" / "second-deployment", symlinks=True)
    (project / "images").symlink_to(ROOT / "images")
    for path, change, _ in [*DEFECTS.values(), *DIFFERENCES.values()]:
        target = project / "examples" / "second-deployment" / path
        if change is None:
            target.chmod(target.stat().st_mode & ~(stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))
        else:
            assert change[0] in target.read_text(), f"{path} no longer holds {change[0]!r}: update the seeded defect"
            target.write_text(target.read_text().replace(change[0], change[1], 1))
    return project


@pytest.fixture(scope="module")
def runs(suite_side_by_side, tmp_path_factory) -> dict[str, pytest.RunResult]:
    workspace = tmp_path_factory.mktemp("second")
    project = seeded_copy(workspace)
    static = ["-m", "static", "--no-gate"]
    return {**suite_side_by_side({
        "clean": [*static, f"--profile={SECOND / 'profile.yaml'}"],
        "seeded": [*static, f"--profile={project / 'examples' / 'second-deployment' / 'profile.yaml'}", f"--project-root={project}"],
    }, workspace), "workspace": workspace}


def outcomes(runs, name: str) -> dict[str, str]:
    return json.loads((runs["workspace"] / name / "scenarios.json").read_text())


def test_the_second_deployment_passes_every_static_scenario_it_does_not_decline_but_flat_values(runs):
    found = outcomes(runs, "clean")

    not_passed = {key: outcome for key, outcome in found.items() if outcome not in ("passed", "declined")}
    assert not_passed == {FLAT: "failed"}, runs["clean"].stdout.str()[-3000:]
    assert [key for key, outcome in found.items() if outcome == "declined"], "the profile declines the NetworkPolicy features"
    assert all(outcome == "declined" for key, outcome in found.items() if key.startswith("chart/network_policy.feature"))


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_each_seeded_defect_fails_its_scenario(runs, defect):
    assert outcomes(runs, "seeded")[DEFECTS[defect][2]] == "failed", runs["seeded"].stdout.str()[-3000:]


def test_the_seeded_copy_fails_nothing_else(runs):
    expected = {FLAT} | {scenario for _, _, scenario in DEFECTS.values()}

    failed = {key for key, outcome in outcomes(runs, "seeded").items() if outcome == "failed"}
    assert failed == expected, runs["seeded"].stdout.str()[-3000:]


@pytest.mark.parametrize("difference", list(DIFFERENCES))
def test_each_change_of_the_seeds_design_differs_and_fails_nothing(runs, difference):
    assert outcomes(runs, "seeded")[DIFFERENCES[difference][2]] == "differs", runs["seeded"].stdout.str()[-3000:]
