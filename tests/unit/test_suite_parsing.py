"""Unit tests of the suite's parsers: manifests.py queries, dockerfiles.py stages, steps/phrases.py literals."""

from __future__ import annotations

import copy

import pytest
import yaml

from acceptance.chart.manifests import Manifests, excerpt
from acceptance.docker_engine.dockerfiles import parse
from acceptance.profile.model import reference
from steps.phrases import literal, quoted

REFERENCE = reference()


def deployment(component: str, containers: list[dict]) -> dict:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": f"todo-chatbot-{component}", "labels": {"app.kubernetes.io/component": component}},
        "spec": {"template": {"spec": {"securityContext": {"runAsNonRoot": True}, "containers": containers}}},
    }


DOCUMENTS = [
    deployment("frontend", [{"name": "frontend", "image": "todo-chatbot-frontend:1.0.0"}]),
    deployment("backend", [{"name": "backend", "image": "todo-chatbot-backend:1.0.0"}, {"name": "sidecar", "image": "busybox:1"}]),
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "todo-chatbot-backend", "labels": {"app.kubernetes.io/component": "backend"}}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "todo-chatbot-config"}, "data": {"LOG_LEVEL": "info"}},
]


@pytest.fixture
def manifests() -> Manifests:
    return Manifests(copy.deepcopy(DOCUMENTS), REFERENCE)


def test_manifests_kinds_are_sorted_and_unique(manifests):
    assert manifests.kinds() == ["ConfigMap", "Deployment", "Service"]
    assert len(manifests.of_kind("Deployment")) == 2
    assert manifests.of_kind("Ingress") == []


def test_manifests_find_by_kind_and_component(manifests):
    assert manifests.find("Deployment", "backend")["metadata"]["name"] == "todo-chatbot-backend"
    assert manifests.find("Deployment")["metadata"]["name"] == "todo-chatbot-frontend", "without a component the first of the kind"
    assert manifests.find("ConfigMap")["data"] == {"LOG_LEVEL": "info"}
    assert manifests.find("Deployment", "database") is None
    assert manifests.find("ConfigMap", "backend") is None, "a resource without a component label matched a component"


def test_manifests_get_names_what_is_missing_and_what_is_rendered(manifests):
    with pytest.raises(AssertionError) as raised:
        manifests.get("Deployment", "database")

    message = str(raised.value)
    assert "the chart renders no Deployment for component 'database'" in message, message
    assert "Deployment/todo-chatbot-frontend, Deployment/todo-chatbot-backend, Service/todo-chatbot-backend, ConfigMap/todo-chatbot-config" in message

    with pytest.raises(AssertionError, match="the chart renders no PersistentVolumeClaim; it renders: "):
        manifests.get("PersistentVolumeClaim")


def test_manifests_pod_spec_and_containers(manifests):
    assert manifests.pod_spec("frontend")["securityContext"] == {"runAsNonRoot": True}
    assert [container["name"] for container in manifests.containers("backend")] == ["backend", "sidecar"]
    assert manifests.main_container("backend")["image"] == "todo-chatbot-backend:1.0.0"


def test_manifests_main_container_of_an_empty_pod_shows_the_deployment():
    manifests = Manifests([deployment("backend", [])], REFERENCE)

    with pytest.raises(AssertionError) as raised:
        manifests.main_container("backend")

    message = str(raised.value)
    assert "the backend Deployment has no containers" in message, message
    assert "name: todo-chatbot-backend" in message, f"the Deployment excerpt is missing:\n{message}"


def test_manifests_summary_and_text(manifests):
    assert Manifests([], REFERENCE).summary() == "nothing"
    assert list(yaml.safe_load_all(manifests.text())) == DOCUMENTS


def test_excerpt_keeps_the_first_lines_and_counts_the_rest():
    resource = {f"key{number:03d}": number for number in range(100)}

    short = excerpt({"kind": "Service", "metadata": {"name": "web"}})
    cut = excerpt(resource, limit=10)

    assert short == "kind: Service\nmetadata:\n  name: web"
    assert cut.splitlines()[:10] == [f"key{number:03d}: {number}" for number in range(10)]
    assert cut.endswith("\n... (90 more lines)"), cut
    assert "... (" not in excerpt(resource, limit=100)


MULTI_STAGE = """\
# syntax=docker/dockerfile:1
ARG BUILDER_IMAGE=python:3.11-slim-bookworm
ARG RUNTIME_IMAGE
FROM ${BUILDER_IMAGE} AS builder
RUN python3 -m venv /opt/venv
FROM builder as tester
RUN /opt/venv/bin/python -m pytest
FROM ${RUNTIME_IMAGE}
ARG APP_VERSION=1.0.0
COPY --from=builder /opt/venv /opt/venv
USER 1001
HEALTHCHECK --interval=30s CMD ["python3", "-c", "print(1)"]
"""


@pytest.fixture
def dockerfile(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(MULTI_STAGE)
    return parse(path)


def test_dockerfile_stages_names_and_bases(dockerfile):
    assert [stage.index for stage in dockerfile.stages] == [0, 1, 2]
    assert [stage.name for stage in dockerfile.stages] == ["builder", "tester", None], "'AS' and 'as' both name a stage"
    assert [stage.base for stage in dockerfile.stages] == ["${BUILDER_IMAGE}", "builder", "${RUNTIME_IMAGE}"]


def test_dockerfile_global_args_are_those_before_the_first_from(dockerfile):
    assert dockerfile.global_args == ["BUILDER_IMAGE", "RUNTIME_IMAGE"], "a stage ARG (APP_VERSION) is not global"
    assert dockerfile.final.of("ARG") == ["APP_VERSION=1.0.0"]


def test_dockerfile_final_stage_and_its_instructions(dockerfile):
    final = dockerfile.final

    assert final is dockerfile.stages[-1] and final.index == 2
    assert final.of("COPY") == ["--from=builder /opt/venv /opt/venv"]
    assert final.of("USER") == ["1001"]
    assert len(final.of("HEALTHCHECK")) == 1
    assert final.of("RUN") == [], "RUN lines of earlier stages leaked into the final stage"
    assert dockerfile.stages[0].of("RUN") == ["python3 -m venv /opt/venv"]


def test_dockerfile_from_with_a_platform_flag_keeps_the_base_and_the_stage_name(tmp_path):
    """`FROM --platform=... IMAGE AS NAME` is valid Dockerfile syntax (multi-arch builds).

    parse() takes the first word after FROM as the base and the third as the name, so the flag
    becomes the base and the name is lost: "its base images should be the build arguments" and
    "its final stage should copy from an earlier stage" would then fail a correct Dockerfile.
    """
    path = tmp_path / "Dockerfile"
    path.write_text("ARG BUILDER_IMAGE=python:3.11\n"
                    "FROM --platform=$BUILDPLATFORM ${BUILDER_IMAGE} AS builder\nRUN true\n"
                    "FROM --platform=linux/amd64 scratch\nCOPY --from=builder /opt /opt\n")

    stages = parse(path).stages

    assert [(stage.base, stage.name) for stage in stages] == [("${BUILDER_IMAGE}", "builder"), ("scratch", None)], (
        "BUG acceptance/docker_engine/dockerfiles.py parse(): a FROM --platform=... flag is read as the base image and the stage "
        f"name is dropped: {[(stage.base, stage.name) for stage in stages]}")


@pytest.mark.parametrize(("text", "expected"), [
    ('"a", "b" and "c"', ["a", "b", "c"]),
    ('the "backend" image should be smaller than 500 MB', ["backend"]),
    ('an empty "" value', [""]),
    ('"runAsUser: 0" in "values.yaml"', ["runAsUser: 0", "values.yaml"]),
])
def test_quoted_returns_every_quoted_string_in_order(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("three", "three"),
    ("-1", -1),
    ("500", 500),
    ("1.5", 1.5),
    ("true", True),
    ("false", False),
    ("null", None),
    ("5Gi", "5Gi"),
    ('"8000"', "8000"),
    ("[1, 2]", [1, 2]),
])
def test_literal_reads_step_values_as_yaml_types(text, expected):
    value = literal(text)

    assert value == expected and type(value) is type(expected), f"literal({text!r}) = {value!r}"


def test_quoted_refuses_text_that_quotes_nothing():
    from steps.phrases import quoted

    with pytest.raises(AssertionError, match="names nothing in quotes"):
        quoted("the headers Content-Type and Accept")


def test_a_check_over_no_containers_fails_instead_of_passing():
    from acceptance.chart.manifests import Manifests

    empty = Manifests([{"kind": "Deployment", "metadata": {"name": "x", "labels": {"app.kubernetes.io/component": "backend"}},
                        "spec": {"template": {"spec": {"containers": []}}}}], REFERENCE)
    with pytest.raises(AssertionError, match="found no containers in the backend Deployment"):
        empty.resources("backend", "limits")


def test_a_profile_cell_takes_the_profiles_value_and_fails_without_one():
    from steps.phrases import or_profile

    assert or_profile("(profile)", 101) == 101 and or_profile("1001", 101) == "1001"
    with pytest.raises(AssertionError, match="the profile gives no value"):
        or_profile("(profile)", None)


@pytest.mark.parametrize(("pod", "container", "root"), [
    ({"runAsNonRoot": True}, {}, False),
    ({}, {"runAsUser": 1000}, False),                   # any UID but 0 is non-root: not only the seed's 1001
    ({"runAsNonRoot": True, "runAsUser": 1000}, {"runAsUser": 0}, True),   # the container's context wins
    ({}, {}, True),                                     # nothing said: the image decides, the chart does not prevent root
    ({"runAsNonRoot": False}, {}, True),
])
def test_a_pod_runs_non_root_by_any_uid_but_0(pod: dict, container: dict, root: bool):
    manifests = Manifests([deployment("backend", [{"name": "backend", "securityContext": container}])], REFERENCE)
    manifests.pod_spec("backend")["securityContext"] = pod

    assert bool(manifests.root_user_problems("backend")) == root, manifests.root_user_problems("backend")
