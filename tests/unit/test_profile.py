"""Unit tests of acceptance/profile/model.py: a profile is validated whole, and answers the suite's questions in its own names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from acceptance.profile import model as profile_lib
from acceptance.profile.model import ProfileError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*/profile.yaml"))


def written(tmp_path: Path, data) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def reference_data() -> dict:
    return yaml.safe_load(profile_lib.REFERENCE.read_text())


def test_the_reference_profile_is_valid_and_rooted_at_this_repository():
    profile = profile_lib.reference()

    assert profile.default_root() == ROOT
    assert profile.release == "todo-chatbot"


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.parent.name for path in EXAMPLES])
def test_every_example_profile_is_valid(path):
    assert profile_lib.load(path).name


def test_every_problem_is_reported_at_once_with_its_place_and_the_fix(tmp_path):
    data = reference_data()
    data["values"]["replicas"]["backend"] = 3
    data["budgets"]["frontend_mb"] = "big"
    del data["release"]

    with pytest.raises(ProfileError) as raised:
        profile_lib.load(written(tmp_path, data))

    lines = str(raised.value).splitlines()
    assert any(line.endswith("values.replicas.backend: 3 is not of type 'string', 'array'") for line in lines), lines
    assert any(line.endswith("budgets.frontend_mb: 'big' is not of type 'number'") for line in lines), lines
    assert any(line.endswith("(top level): 'release' is a required property") for line in lines), lines
    assert lines[-1].startswith("fix: compare with ") and "reference.yaml" in lines[-1]


@pytest.mark.parametrize(("budget", "value"), [("frontend_mb", 501), ("backend_mb", 4000), ("recovery_seconds", 3600)])
def test_a_budget_looser_than_the_requirement_is_refused(tmp_path, budget, value):
    """A profile must not buy a pass: an image over the spec's 500 MB, or a pod that takes an hour to come back."""
    data = reference_data()
    data["budgets"][budget] = value

    with pytest.raises(ProfileError, match=rf"budgets.{budget}: {value} is greater than the maximum"):
        profile_lib.load(written(tmp_path, data))


@pytest.mark.parametrize(("text", "says"), [
    ("values: [unclosed", "not valid YAML"),
    ("", "(top level): None is not of type 'object'"),
], ids=["not-yaml", "empty"])
def test_a_file_that_is_no_profile_is_refused(tmp_path, text, says):
    with pytest.raises(ProfileError, match=re.escape(says)):
        profile_lib.load(written(tmp_path, text))


def test_a_missing_file_names_the_option(tmp_path):
    with pytest.raises(ProfileError, match=r"cannot be read .* --profile=FILE"):
        profile_lib.load(tmp_path / "nope.yaml")


def test_a_concept_sets_every_path_it_names_as_nested_values():
    data = reference_data()
    data["values"]["image"]["pull_policy"] = ["web.image.pullPolicy", "api.image.pullPolicy"]
    data["values"]["replicas"]["backend"] = "api.replicas"
    profile = profile_lib.Profile(profile_lib.REFERENCE, data)

    assert profile.values({"image.pull_policy": "Never", "replicas.backend": 3}) == {
        "web": {"image": {"pullPolicy": "Never"}}, "api": {"image": {"pullPolicy": "Never"}, "replicas": 3}}


def test_a_concept_the_profile_does_not_name_says_which_key_to_add():
    data = reference_data()
    del data["values"]["existing_secret"]
    profile = profile_lib.Profile(profile_lib.REFERENCE, data)

    with pytest.raises(KeyError, match=r"names no chart value for 'existing_secret' \(values.existing_secret\)"):
        profile.values({"existing_secret": "x"})


def test_a_locator_finds_by_name_with_the_release_or_by_component_label():
    profile = profile_lib.reference()
    config = {"kind": "ConfigMap", "metadata": {"name": "todo-chatbot-config"}}
    service = {"kind": "Service", "metadata": {"name": "anything", "labels": {"app.kubernetes.io/component": "backend"}}}

    assert profile.locator("config").matches(config)
    assert profile.locator("backend-service").matches(service)
    assert not profile.locator("frontend-service").matches(service)


def test_null_says_the_deployment_offers_none_and_a_check_that_needs_it_fails_naming_it(tmp_path):
    data = reference_data()
    data["paths"]["scripts"]["cleanup"] = None
    data["paths"]["env_example"] = None
    data["values"]["log_level"] = None
    data["values"]["credentials"]["NEON_API_KEY"] = None
    profile = profile_lib.load(written(tmp_path, data))

    assert not profile.offers("scripts", "cleanup") and profile.offers("scripts", "deploy")
    with pytest.raises(profile_lib.NotOffered, match=r"^the deployment offers no cleanup script \(paths.scripts.cleanup is null"):
        profile.path("scripts", "cleanup")
    with pytest.raises(profile_lib.NotOffered, match=r"offers no environment example \(.env.example\)"):
        profile.path("env_example")
    with pytest.raises(profile_lib.NotOffered, match=r"^the chart offers no value for log_level \(values.log_level is null"):
        profile.value_path("log_level")
    with pytest.raises(profile_lib.NotOffered, match=r"credentials\.NEON_API_KEY"):
        profile.credential_values({"NEON_API_KEY": "canary"})
    assert profile.value_paths("log_level") == [], "a value the chart does not offer is set by no assignment"
    assert isinstance(profile_lib.NotOffered("x"), AssertionError), "a part not offered fails its scenario: the deployment lacks it"
