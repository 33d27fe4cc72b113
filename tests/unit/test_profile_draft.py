"""The drafted profile (python -m acceptance.profile draft DIR): it validates, each guess is right on a small repository
written here, what cannot be found says so, and the draft of this repository is its reference profile where it matters."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from acceptance.draft import cli
from acceptance.draft.guess import Guess, as_yaml, plain
from acceptance.draft.profile_draft import draft
from acceptance.profile import model
from tests.mutants.catalog.chart import STORE_STATEFULSET

ROOT = Path(__file__).resolve().parents[2]

# A deployment laid out unlike the reference: components "ui" and "server", nested values, scripts in ops/ with other
# names, the guide beside them, a numeric UID and probe paths of its own.
SKELETON = {
    "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\nappVersion: \"2.0.0\"\n",
    "charts/shop/values.yaml": """
        ui:
          replicas: 2
          image: {repository: shop-ui, tag: "2.0.0", pullPolicy: IfNotPresent}
          service: {type: LoadBalancer, port: 80}
          probes: {liveness: {periodSeconds: 10, timeoutSeconds: 2}, readiness: {periodSeconds: 5, timeoutSeconds: 2}}
        server:
          replicas: 1
          image: {repository: shop-server, tag: "2.0.0", pullPolicy: IfNotPresent}
          service: {port: 9000, targetPort: 9000}
        storage: {enabled: true, size: 5Gi, storageClass: ""}
        secrets: {apiKey: "", databaseUrl: ""}
        config: {logLevel: INFO}
        """,
    "charts/shop/templates/_helpers.tpl": '{{- define "shop.dsn" -}}{{ .Values.secrets.databaseUrl }}{{- end -}}\n',
    "charts/shop/templates/NOTES.txt": "Open the shop.\n",
    "charts/shop/templates/ui.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: "{{ .Release.Name }}-ui", labels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: ui}}
        spec:
          replicas: {{ .Values.ui.replicas }}
          selector: {matchLabels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: ui}}
          template:
            metadata: {labels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: ui}}
            spec:
              containers:
                - name: nginx
                  image: "{{ .Values.ui.image.repository }}:{{ .Values.ui.image.tag }}"
                  ports: [{containerPort: 8081}]
                  securityContext: {runAsUser: 4321}
        """,
    "charts/shop/templates/server.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: "{{ .Release.Name }}-server", labels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: server}}
        spec:
          selector: {matchLabels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: server}}
          template:
            metadata: {labels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: server}}
            spec:
              containers:
                - name: server
                  image: "{{ .Values.server.image.repository }}:{{ .Values.server.image.tag }}"
                  livenessProbe: {httpGet: {path: /alive, port: 9000}}
                  startupProbe: {httpGet: {path: /started, port: 9000}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: "{{ .Release.Name }}-server", labels: {app.kubernetes.io/instance: "{{ .Release.Name }}", role: server}}
        spec: {ports: [{port: {{ .Values.server.service.port }}}], selector: {role: server}}
        """,
    "charts/shop/templates/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata: {name: "{{ .Release.Name }}-keys"}
        data:
          API_KEY: {{ .Values.secrets.apiKey | b64enc | quote }}
          DATABASE_URL: {{ include "shop.dsn" . | b64enc | quote }}
        """,
    "ui/Dockerfile": "FROM nginx:1.27\nCOPY src/ /usr/share/nginx/html/\nUSER 4321\n",
    "ui/src/main.js": "console.log('shop')\n",
    "server/Dockerfile": "ARG BASE=python:3.12\nFROM ${BASE}\nCOPY app/ /app/\nCMD [\"python\", \"-m\", \"app.main\"]\n",
    "server/app/main.py": "print('shop')\n",
    "ops/prepare-setup.sh": "#!/bin/sh\n",
    "ops/build-images.sh": "#!/bin/sh\n",
    "ops/deploy.sh": "#!/bin/sh\nRELEASE=shop\nkubectl create secret generic \"$RELEASE-env\" --from-env-file=.env\n",
    "ops/teardown.sh": "#!/bin/sh\n",
    "ops/lib.sh": "#!/bin/sh\n",
    "ops/GUIDE.md": "# Shop\n\n## Before you start\n\n## Installing\n\nRun deploy.sh.\n\n## Checking it\n\n## Problems\n\n## Performance\n",
    ".env.example": "API_KEY=\n",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip())
    return root


def validated(drafted: dict[str, Any], tmp_path: Path) -> model.Profile:
    """The draft written as the CLI writes it and loaded as the suite loads a profile (schema included)."""
    path = tmp_path / "drafted.yaml"
    path.write_text(as_yaml(drafted, ["drafted"]))
    return model.load(path)


def at(drafted: dict[str, Any], dotted: str) -> Any:
    node: Any = drafted
    for key in dotted.split("."):
        node = (node.value if isinstance(node, Guess) else node)[key]
    return node


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return draft(write(tmp_path_factory.mktemp("shop"), SKELETON))


@pytest.mark.parametrize(("key", "expected"), [
    ("paths.chart", "charts/shop"),
    ("paths.dockerfiles.frontend", "ui/Dockerfile"),
    ("paths.dockerfiles.backend", "server/Dockerfile"),
    ("paths.contexts.frontend", "ui"),
    ("paths.scripts.setup", "ops/prepare-setup.sh"),
    ("paths.scripts.build", "ops/build-images.sh"),
    ("paths.scripts.deploy", "ops/deploy.sh"),
    ("paths.scripts.cleanup", "ops/teardown.sh"),
    ("paths.guide", "ops/GUIDE.md"),
    ("paths.env_example", ".env.example"),
    ("release", "shop"),
    ("labels.component", "role"),
    ("labels.instance", "app.kubernetes.io/instance"),
    ("components.frontend", {"label": "ui", "container": "nginx"}),
    ("chart.templates.frontend-deployment", "ui.yaml"),
    ("chart.templates.backend-service", "server.yaml"),
    ("chart.templates.secret", "secret.yaml"),
    ("images.frontend", "shop-ui:2.0.0"),
    ("resources.backend-service", {"kind": "Service", "component": "backend"}),
    ("resources.credentials", {"kind": "Secret", "name": "{release}-keys"}),
    ("resources.deploy-secret", {"kind": "Secret", "name": "{release}-env"}),
    ("values.replicas.frontend", "ui.replicas"),
    ("values.service.frontend.type", "ui.service.type"),
    ("values.service.backend.port", "server.service.port"),
    ("values.image.backend.repository", "server.image.repository"),
    ("values.image.pull_policy", ["ui.image.pullPolicy", "server.image.pullPolicy"]),
    ("values.persistence.size", "storage.size"),
    ("values.credentials", {"API_KEY": "secrets.apiKey", "DATABASE_URL": "secrets.databaseUrl"}),
    ("values.log_level", "config.logLevel"),
    ("values.probes.frontend.readiness_timeout", "ui.probes.readiness.timeoutSeconds"),
    ("build.backend.changed_source", "app/main.py"),
    ("bases.map", {"nginx:1.27": "todo-chatbot-base/nginx-runtime:bookworm", "python:3.12": "todo-chatbot-base/python-runtime:bookworm"}),
    ("guide.sections.Verification", ["Checking it"]),
    ("guide.sections.Troubleshooting", ["Problems"]),
])
def test_each_guess_on_a_skeleton_repository_is_right(skeleton: dict[str, Any], key: str, expected: Any):
    assert plain(at(skeleton, key)) == expected, f"{key}: drafted {plain(at(skeleton, key))!r} ({at(skeleton, key)})"


def test_the_skeleton_draft_validates_and_declines_what_its_chart_lacks(skeleton: dict[str, Any], tmp_path: Path):
    profile = validated(skeleton, tmp_path)
    assert {entry["scenario"] for entry in profile.declined} >= {"chart/network_policy.feature", "cluster/network_policy_enforced.feature"}


def test_what_cannot_be_found_says_not_found_and_still_validates(tmp_path: Path):
    drafted = draft(write(tmp_path / "bare", {key: value for key, value in SKELETON.items() if not key.startswith("ops/")}))
    for key in ("paths.scripts.deploy", "paths.guide"):
        assert at(drafted, key).comment.startswith("not found"), f"{key}: {at(drafted, key)}"
    assert at(drafted, "release").comment.startswith("not found") and plain(at(drafted, "release")) == "shop"
    assert plain(at(drafted, "paths.scripts.deploy")) is None, "a script the repository lacks is null (offered by none), not a guessed path"
    validated(drafted, tmp_path)


def test_the_command_line_prints_a_profile_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert cli.main(["draft", str(write(tmp_path / "shop", SKELETON))]) == 0
    text = capsys.readouterr().out
    assert "# " in text.splitlines()[0] and "not found: fill in" in text
    (tmp_path / "printed.yaml").write_text(text)
    model.load(tmp_path / "printed.yaml")


# Where the draft of this repository may differ from profiles/reference.yaml: its name, its root (the draft names the
# project root on the command line), the containers (the reference says null, the pod's first; the draft names it).
MAY_DIFFER = {"name", "root", "components", "declined"}


def test_the_draft_of_this_repository_is_its_reference_profile(tmp_path: Path):
    drafted = plain(draft(ROOT))
    reference = yaml.safe_load(model.REFERENCE.read_text())
    validated(draft(ROOT), tmp_path)
    for key in sorted(set(reference) - MAY_DIFFER):
        if key == "guide":  # the first heading of each section is the one read
            assert {name: titles[0] for name, titles in drafted[key]["sections"].items()} == {
                name: titles[0] for name, titles in reference[key]["sections"].items()}
        else:
            assert drafted[key] == reference[key], f"{key}: drafted {drafted[key]!r}, the reference has {reference[key]!r}"
    assert {component: entry["label"] for component, entry in drafted["components"].items()} == {"frontend": "frontend", "backend": "backend"}


def test_without_helm_the_draft_still_validates_and_says_what_it_could_not_render(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    monkeypatch.setattr(cli, "TOOLS_BIN", tmp_path / "no-tools")
    assert cli.main(["draft", str(write(tmp_path / "shop", SKELETON))]) == 0
    printed = capsys.readouterr()
    assert "the chart was not rendered (helm not found on PATH" in printed.err
    assert "component: app.kubernetes.io/component  # not found: fill in (helm not found" in printed.out
    (tmp_path / "printed.yaml").write_text(printed.out)
    model.load(tmp_path / "printed.yaml")


def test_an_empty_repository_drafts_a_valid_profile_of_not_found_guesses(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    drafted = draft(tmp_path / "empty")
    for key in ("paths.chart", "paths.dockerfiles.frontend", "paths.contexts.backend", "paths.scripts.setup", "paths.guide",
                "labels.component", "resources.config", "values.replicas.backend"):
        assert at(drafted, key).comment.startswith("not found"), f"{key}: {at(drafted, key)}"
    validated(drafted, tmp_path)


def test_a_third_component_that_mounts_the_claim_is_drafted_as_its_owner(reference_deployment: Path):
    """Another team's database pod owns the data claim: the draft adds it to components and names it claim_owner."""
    templates = reference_deployment / "helm" / "todo-chatbot" / "templates"
    backend = templates / "backend-deployment.yaml"
    backend.write_text(backend.read_text().replace("            - name: data\n              mountPath: /app/data\n", ""))
    (templates / "backend-pvc.yaml").write_text((templates / "backend-pvc.yaml").read_text() + STORE_STATEFULSET)

    drafted = plain(draft(reference_deployment))

    assert drafted["claim_owner"] == "store"
    assert drafted["components"]["store"] == {"label": "store", "container": "store"}
    assert plain(draft(ROOT))["claim_owner"] == "backend"
