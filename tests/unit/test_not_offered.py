"""A part the deployment does not have, said once in the profile (null): the scenarios that need it fail, naming it,
and every other scenario is judged as usual. Before, a guessed path for a missing script made the profile disagree
with the repository, and the whole run was not judged."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from acceptance.profile import model as profile_lib

SCRIPTS = "delivery/fr013_scripts.feature::<script> is strict, documented and lint-clean"
CLEANUP, DEPLOY = f"{SCRIPTS}[cleanup.sh]", f"{SCRIPTS}[deploy.sh]"


def without_cleanup(root: Path, workspace: Path) -> Path:
    """The reference deployment's copy at root without its cleanup script; the profile that says it offers none."""
    (root / "deployment" / "cleanup.sh").unlink()
    data = yaml.safe_load(profile_lib.REFERENCE.read_text())
    data["paths"]["scripts"]["cleanup"] = None
    profile = workspace / "profile.yaml"
    profile.write_text(yaml.safe_dump(data))
    return profile


def test_a_script_the_deployment_does_not_offer_fails_its_scenarios_and_the_rest_are_judged(
        suite_side_by_side, reference_deployment: Path, tmp_path: Path):
    root, profile = reference_deployment, without_cleanup(reference_deployment, tmp_path)
    runs = suite_side_by_side({"run": ["-m", "static", "-q", f"--project-root={root}", f"--profile={profile}",
                                       "--scenario", CLEANUP, "--scenario", DEPLOY]}, tmp_path)

    assert runs["run"].ret == 1, "\n".join(runs["run"].outlines[-30:])
    assert json.loads((tmp_path / "run" / "scenarios.json").read_text()) == {CLEANUP: "failed", DEPLOY: "passed"}
    causes = json.loads((tmp_path / "run" / "causes.json").read_text())
    assert not causes or all(cause["outcome"] == "failed" for cause in causes.values()), causes
    assert "the deployment offers no cleanup script (paths.scripts.cleanup is null in the profile profile.yaml)" in runs["run"].stdout.str()
