"""The mutants: each breaks one requirement in a copy of the reference deployment and names the scenarios that must fail."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Callable

Edit = Callable[[Path], None]


class StaleMutant(AssertionError):
    """The reference changed so that a mutant no longer applies: update the mutant."""


def replace(path: str, old: str, new: str, regex: bool = False) -> Edit:
    """Replace every occurrence of old (a literal or a regex) in path; old must occur."""

    def edit(root: Path) -> None:
        target = root / path
        text = target.read_text()
        changed = re.sub(old, new, text, flags=re.MULTILINE) if regex else text.replace(old, new)
        if changed == text:
            raise StaleMutant(f"{path} no longer contains {old!r}")
        target.write_text(changed)

    return edit


def delete(path: str) -> Edit:
    def edit(root: Path) -> None:
        (root / path).unlink()

    return edit


def append(path: str, text: str) -> Edit:
    def edit(root: Path) -> None:
        target = root / path
        target.write_text(target.read_text() + text)

    return edit


def schema(change: Callable[[dict], None]) -> Edit:
    def edit(root: Path) -> None:
        target = root / "helm/todo-chatbot/values.schema.json"
        document = json.loads(target.read_text())
        change(document)
        target.write_text(json.dumps(document, indent=2))

    return edit


@dataclasses.dataclass
class Mutant:
    name: str
    defect: str
    kills: list[str]  # test names (as pytest ids them) that must fail on this mutant
    edits: list[Edit]
    tier: str = "static"


CHART = "helm/todo-chatbot"
T = f"{CHART}/templates"
BACKEND_DOCKERFILE = "images/backend/Dockerfile"
FRONTEND_DOCKERFILE = "images/frontend/Dockerfile"
NGINX = "images/frontend/nginx/nginx.conf.template"
SCRIPTS = ("minikube-setup.sh", "build-images.sh", "deploy.sh", "cleanup.sh")
WRONG_VALUES = ('type-backendReplicaCount-"three"', "negative count-frontendReplicaCount--1", "unknown key-replicaCount-3",
                'storage quantity-persistenceSize-"5 gigs"', 'service type-frontendServiceType-"Foo"',
                'pull policy-imagePullPolicy-"Sometimes"', 'boolean-persistenceEnabled-"yes"', "port number-backendServicePort-70000")


def _accept_anything(document: dict) -> None:
    for key in ("properties", "required", "additionalProperties"):
        document.pop(key, None)


def _open_root(document: dict) -> None:
    document["additionalProperties"] = True


MUTANTS = [
    # FR-001 multi-stage
    Mutant("backend-single-stage", "the backend is built and shipped in one stage FROM a hard-coded base",
           ["test_the_component_dockerfile_builds_in_stages_from_configurable_bases[backend]"],
           [replace(BACKEND_DOCKERFILE, r"^FROM \$\{RUNTIME_IMAGE\}\n", "", regex=True),
            replace(BACKEND_DOCKERFILE, "COPY --from=builder /opt/venv /opt/venv\n", "")]),
    Mutant("frontend-hardcoded-base", "the frontend's runtime base is hard-coded, not a build argument",
           ["test_the_component_dockerfile_builds_in_stages_from_configurable_bases[frontend]"],
           [replace(FRONTEND_DOCKERFILE, "FROM ${RUNTIME_IMAGE}", "FROM nginx:1.27-alpine")]),
    Mutant("frontend-no-lockfile", "the frontend build resolves dependencies afresh with npm install, no lockfile",
           ["test_the_frontend_is_built_with_npm_from_a_committed_lockfile"],
           [delete("images/frontend/package-lock.json"), replace(FRONTEND_DOCKERFILE, "npm ci", "npm install"),
            replace(FRONTEND_DOCKERFILE, "COPY package.json package-lock.json ./", "COPY package.json ./")]),
    Mutant("frontend-ships-sources", "the frontend runtime image carries the whole build tree: sources, node_modules, npm",
           ["test_the_component_runtime_image_holds_no_build_tools[frontend-package.json]"],
           [replace(FRONTEND_DOCKERFILE, "COPY --from=build /build/dist /usr/share/nginx/todo-chatbot",
                    "COPY --from=build /build/dist /usr/share/nginx/todo-chatbot\nCOPY --from=build /build /opt/build-tree\n"
                    "COPY --from=build /usr/bin/node /usr/local/bin/node")], tier="image"),
    Mutant("backend-pip-cache", "the backend runtime image keeps pip's download cache and the requirements",
           ["test_the_component_runtime_image_holds_no_build_tools[backend-requirements.txt]"],
           [replace(BACKEND_DOCKERFILE, "COPY --from=builder /opt/venv /opt/venv",
                    "COPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /tmp/requirements.txt /app/requirements.txt\n"
                    "RUN mkdir -p /root/.cache/pip/http && echo cached >/root/.cache/pip/http/entry")], tier="image"),
    Mutant("frontend-no-protections", "nginx neither compresses nor sends security headers",
           ["test_the_frontends_nginx_runtime_serves_the_built_app_with_its_protections"],
           [replace(NGINX, "gzip on;", "gzip off;"), replace(NGINX, r"^\s*add_header X-Frame-Options.*\n", "", regex=True)], tier="image"),
    Mutant("frontend-no-spa-fallback", "client-side routes get 404 instead of the app",
           ["test_the_frontend_falls_back_to_the_app_for_clientside_routes"],
           [replace(NGINX, "try_files $uri /index.html;", "try_files $uri =404;")], tier="image"),
    Mutant("frontend-api-not-proxied", "the frontend proxies /api/ to a port the backend does not listen on",
           ["test_the_frontends_api_reaches_the_backend"],
           [replace(NGINX, 'set $backend_url "@BACKEND_URL@";', 'set $backend_url "@BACKEND_URL@9";')], tier="image"),
    # FR-002 non-root
    Mutant("backend-user-root", "the backend image runs as root",
           ["test_the_component_dockerfiles_final_stage_switches_to_a_nonroot_user[backend]", "test_the_component_image_runs_as_user[backend-1001-app]"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "USER root")], tier="image"),
    Mutant("frontend-user-root", "the frontend image runs as root",
           ["test_the_component_dockerfiles_final_stage_switches_to_a_nonroot_user[frontend]", "test_the_component_image_runs_as_user[frontend-101-nginx]"],
           [replace(FRONTEND_DOCKERFILE, "USER 101", "USER 0")], tier="image"),
    Mutant("chart-backend-run-as-root", "the backend pod runs as user 0",
           ["test_the_component_pod_runs_nonroot_with_a_hardened_security_context[backend-1001]"],
           [replace(f"{T}/backend-deployment.yaml", "runAsUser: {{ .Values.backendRunAsUser }}", "runAsUser: 0")]),
    Mutant("chart-privilege-escalation", "containers keep their capabilities and may escalate privileges",
           ["test_the_component_pod_runs_nonroot_with_a_hardened_security_context[frontend-101]"],
           [replace(f"{T}/_helpers.tpl", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")]),
    # FR-003 size
    Mutant("frontend-oversized", "the frontend image carries 100 MB of ballast",
           ["test_the_component_image_stays_within_its_size_budget[frontend]"],
           [replace(FRONTEND_DOCKERFILE, "USER 101", "RUN head -c 100000000 /dev/zero >/ballast\nUSER 101")], tier="image"),
    Mutant("backend-oversized", "the backend image carries 250 MB of ballast",
           ["test_the_component_image_stays_within_its_size_budget[backend]"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "RUN head -c 250000000 /dev/zero >/ballast\nUSER 1001")], tier="image"),
    # FR-004 health
    Mutant("no-healthchecks", "neither Dockerfile declares a HEALTHCHECK",
           ["test_the_component_dockerfile_declares_a_health_check[frontend]", "test_the_component_dockerfile_declares_a_health_check[backend]",
            "test_the_component_container_turns_healthy[frontend]", "test_the_component_container_turns_healthy[backend]"],
           [replace(FRONTEND_DOCKERFILE, r"^HEALTHCHECK[^\n]*\\\n[^\n]*\n", "", regex=True),
            replace(BACKEND_DOCKERFILE, r"^HEALTHCHECK[^\n]*\n", "", regex=True)], tier="image"),
    Mutant("frontend-no-health-page", "the frontend has no /health.html",
           ["test_the_frontend_answers_its_health_page"], [delete("images/frontend/public/health.html")], tier="image"),
    Mutant("backend-health-moved", "the backend answers health on /healthz, so /health is 404",
           ["test_the_backends_health_reports_a_working_database"],
           [replace("images/backend/app/main.py", '@app.get("/health")', '@app.get("/healthz")')], tier="image"),
    Mutant("backend-health-ignores-database", "/health answers ok without asking the database",
           ["test_the_backends_health_fails_when_its_data_directory_is_readonly", "test_the_backends_health_fails_when_its_data_directory_is_missing"],
           [replace("images/backend/app/main.py", "reason = db.check()", "reason = None")], tier="image"),
    # FR-005 chart
    Mutant("chart-wrong-version", "Chart.yaml says 0.1.0",
           ["test_the_chart_is_named_and_versioned"], [replace(f"{CHART}/Chart.yaml", r"^version: .*$", "version: 0.1.0", regex=True)]),
    Mutant("chart-no-pvc-template", "the PVC template is missing",
           ["test_the_chart_holds_every_template_the_deployment_needs"], [delete(f"{T}/backend-pvc.yaml")]),
    Mutant("chart-lint-error", "a template holds broken YAML",
           ["test_the_chart_passes_helm_lint_in_strict_mode"], [append(f"{T}/configmap.yaml", "\n  broken: : [\n")]),
    Mutant("chart-no-secret", "the Secret template renders nothing",
           ["test_the_chart_renders_every_resource_with_default_values"], [replace(f"{T}/secret.yaml", "{{- if not .Values.existingSecret }}", "{{- if false }}")]),
    Mutant("chart-no-chart-label", "resources lack the helm.sh/chart label",
           ["test_every_resource_carries_the_standard_labels"], [replace(f"{T}/_helpers.tpl", "helm.sh/chart: ", "helm.sh/chart-name: ")]),
    Mutant("chart-frontend-clusterip", "the frontend Service is ClusterIP",
           ["test_the_component_service_exposes_the_app[frontend-LoadBalancer-80-8080]"],
           [replace(f"{CHART}/values.yaml", "frontendServiceType: LoadBalancer", "frontendServiceType: ClusterIP")]),
    Mutant("chart-backend-wrong-port", "the backend Service listens on 8080",
           ["test_the_component_service_exposes_the_app[backend-ClusterIP-8000-8000]"],
           [replace(f"{CHART}/values.yaml", "backendServicePort: 8000", "backendServicePort: 8080")]),
    Mutant("chart-notes-silent", "NOTES.txt does not say how to reach the app",
           ["test_notestxt_tells_how_to_reach_the_app"],
           [replace(f"{T}/NOTES.txt", "minikube service", "open the service"), replace(f"{T}/NOTES.txt", "port-forward", "forward")]),
    # FR-006 values
    Mutant("values-nested", "values.yaml nests resources two levels deep",
           ["test_valuesyaml_is_flat"], [append(f"{CHART}/values.yaml", "\n# resources -- nested resources\nresources:\n  frontend:\n    cpu: 100m\n")]),
    Mutant("values-undocumented", "values.yaml has no comments",
           ["test_every_key_in_valuesyaml_is_documented"], [replace(f"{CHART}/values.yaml", r"^\s*#.*\n", "", regex=True)]),
    # FR-007 schema
    Mutant("values-wrong-default-type", "a default value breaks the schema",
           ["test_the_default_values_satisfy_the_schema"], [replace(f"{CHART}/values.yaml", "frontendReplicaCount: 1", 'frontendReplicaCount: "1"')]),
    Mutant("schema-open", "the schema accepts unknown keys",
           ["test_the_schema_closes_every_object_to_unknown_keys", "test_a_wrong_problem_is_rejected[unknown key-replicaCount-3]"], [schema(_open_root)]),
    Mutant("schema-permissive", "the schema checks nothing",
           [f"test_a_wrong_problem_is_rejected[{example}]" for example in WRONG_VALUES] + ["test_strict_lint_rejects_a_wrong_value_too"],
           [schema(_accept_anything)]),
    # FR-008 resources and probes
    Mutant("chart-backend-no-limits", "the backend container has no limits",
           ["test_the_component_container_requests_and_limits_its_resources[backend-250m-256Mi-500m-512Mi]"],
           [replace(f"{T}/backend-deployment.yaml", r"^            limits:\n.*\n.*\n", "", regex=True)]),
    Mutant("chart-frontend-wrong-limit", "the frontend's CPU limit is 500m",
           ["test_the_component_container_requests_and_limits_its_resources[frontend-100m-128Mi-250m-256Mi]"],
           [replace(f"{CHART}/values.yaml", "frontendCpuLimit: 250m", "frontendCpuLimit: 500m")]),
    Mutant("chart-frontend-wrong-readiness", "the frontend's readiness probe asks /ready",
           ["test_the_component_container_is_probed_for_liveness_and_readiness[frontend-/health.html]"],
           [replace(f"{T}/frontend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: )/health.html", r"\1/ready", regex=True)]),
    Mutant("chart-backend-no-liveness", "the backend has no liveness probe",
           ["test_the_component_container_is_probed_for_liveness_and_readiness[backend-/health]"],
           [replace(f"{T}/backend-deployment.yaml", "livenessProbe:", "x-livenessProbe:")]),
    Mutant("chart-backend-no-startup", "the backend has no startup probe",
           ["test_the_backend_has_time_to_start_before_liveness_counts"], [replace(f"{T}/backend-deployment.yaml", "startupProbe:", "x-startupProbe:")]),
    # FR-009 ConfigMap
    Mutant("chart-no-configmap-envfrom", "the backend does not read the ConfigMap",
           ["test_the_backend_reads_its_configuration_from_the_configmap"],
           [replace(f"{T}/backend-deployment.yaml", r"^\s+- configMapRef:\n.*\n", "", regex=True)]),
    Mutant("chart-hardcoded-log-level", "LOG_LEVEL ignores the values",
           ["test_the_values_reach_the_configmap"], [replace(f"{T}/configmap.yaml", "LOG_LEVEL: {{ .Values.logLevel | quote }}", 'LOG_LEVEL: "INFO"')]),
    Mutant("chart-no-checksums", "pod templates carry no checksum, so a config change rolls nothing",
           ["test_a_configuration_change_rolls_the_backend_pods"],
           [replace(f"{T}/backend-deployment.yaml", '{{- include "todo-chatbot.checksumAnnotations" . | nindent 8 }}', "{}")]),
    # FR-010 secrets
    Mutant("chart-secret-in-configmap", "the OpenAI key is copied into the ConfigMap",
           ["test_the_secret_carries_every_credential_and_the_configmap_none"],
           [replace(f"{T}/configmap.yaml", 'DATA_DIR: "/app/data"', 'DATA_DIR: "/app/data"\n  OPENAI_API_KEY: {{ .Values.openaiApiKey | quote }}')]),
    Mutant("chart-ignores-existing-secret", "the chart renders and uses its own Secret even when existingSecret is set",
           ["test_an_existing_secret_replaces_the_charts_own"],
           [replace(f"{T}/secret.yaml", "{{- if not .Values.existingSecret }}", "{{- if true }}"),
            replace(f"{T}/_helpers.tpl", ".Values.existingSecret", "false")]),
    Mutant("values-real-looking-key", "values.yaml ships a real-looking API key",
           ["test_the_default_values_hold_no_reallooking_credential"],
           [replace(f"{CHART}/values.yaml", 'openaiApiKey: ""', 'openaiApiKey: "sk-proj-4fQ9zXk2LmP8vR7tY3wB6nJ1"')]),
    Mutant("backend-key-baked-in", "the backend image bakes an API key into its environment",
           ["test_the_backend_image_carries_no_credential"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "ENV OPENAI_API_KEY=sk-live-9aB3cD5eF7gH1jK3mN5p\nUSER 1001")], tier="image"),
    Mutant("backend-logs-secrets", "the backend logs its configuration unmasked",
           ["test_the_backend_never_logs_or_returns_a_credential"],
           [replace("images/backend/app/main.py", "settings.masked().items()", "vars(settings).items()")], tier="image"),
    # FR-011 rolling updates
    Mutant("chart-backend-recreate", "the backend Deployment uses Recreate",
           ["test_the_component_deployment_rolls_updates_one_pod_at_a_time[backend]"],
           [replace(f"{T}/backend-deployment.yaml", r"    type: RollingUpdate\n    rollingUpdate:\n.*\n.*\n", "    type: Recreate\n", regex=True)]),
    Mutant("chart-frontend-surge-2", "the frontend surges two pods at a time",
           ["test_the_component_deployment_rolls_updates_one_pod_at_a_time[frontend]"],
           [replace(f"{T}/frontend-deployment.yaml", "maxSurge: {{ .Values.rollingMaxSurge }}", "maxSurge: 2")]),
    # FR-012 persistence
    Mutant("chart-pvc-1gi", "the data claim is 1Gi",
           ["test_the_backends_data_lives_on_a_5gi_claim"], [replace(f"{CHART}/values.yaml", "persistenceSize: 5Gi", "persistenceSize: 1Gi")]),
    Mutant("chart-ignores-storage-class", "the storage class value is ignored",
           ["test_the_storage_class_is_configurable"], [replace(f"{T}/backend-pvc.yaml", 'storageClassName: {{ .Values.persistenceStorageClass | quote }}', 'storageClassName: "standard"')]),
    Mutant("chart-ignores-existing-claim", "the chart always renders and mounts its own claim",
           ["test_an_existing_claim_replaces_the_charts_own"],
           [replace(f"{T}/backend-pvc.yaml", "(not .Values.persistenceExistingClaim)", "true"),
            replace(f"{T}/_helpers.tpl", ".Values.persistenceExistingClaim", "false")]),
    # FR-013 scripts
    Mutant("scripts-not-strict", "the scripts run without set -euo pipefail",
           [f"test_script_is_strict_documented_and_lintclean[{script}]" for script in SCRIPTS],
           [replace(f"deployment/{script}", "set -euo pipefail", "set -e") for script in SCRIPTS]),
    Mutant("deploy-ignores-missing-env", "deploy.sh goes on without a .env file",
           ["test_deploysh_refuses_to_run_without_a_env_file"], [replace("deployment/deploy.sh", ".env.example", "the example file")]),
    Mutant("setup-silent-about-minikube", "minikube-setup.sh does not say how to install a missing minikube",
           ["test_minikubesetupsh_names_a_missing_prerequisite_and_how_to_install_it"],
           [replace("deployment/lib.sh", 'if ! command -v "$tool" >/dev/null 2>&1; then', 'if [[ $tool != minikube ]] && ! command -v "$tool" >/dev/null 2>&1; then')]),
    Mutant("env-example-incomplete", ".env.example forgets NEON_API_KEY",
           ["test_envexample_lists_every_credential"], [replace(".env.example", r"^NEON_API_KEY=.*$", "", regex=True)]),
    # FR-014 guide
    Mutant("guide-no-troubleshooting", "the guide has no Troubleshooting section",
           ["test_the_guide_covers_the_whole_life_of_a_deployment"], [replace("deployment/README.md", r"^(#+) Troubleshooting.*$", r"\1 Known issues", regex=True)]),
    Mutant("guide-no-cleanup", "the guide never mentions cleanup.sh",
           ["test_the_guide_shows_every_script"], [replace("deployment/README.md", "cleanup.sh", "the cleanup script")]),
    Mutant("guide-no-verification", "the guide's Verification section is empty",
           ["test_the_guide_shows_how_to_verify_a_deployment"],
           [replace("deployment/README.md", r"^(## Verification[^\n]*\n)[\s\S]*?(?=^## )", r"\1\nSee the dashboard.\n\n", regex=True)]),
    # Cluster tier: each defect shows only on a running cluster
    Mutant("cluster-wrong-readiness-path", "the backend's readiness probe asks a path that does not exist, so it never turns Ready",
           ["test_the_reference_chart_installs_and_serves"],
           [replace(f"{T}/backend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: )/health", r"\1/ready", regex=True)], tier="cluster"),
    Mutant("cluster-pvc-as-emptydir", "the backend mounts an emptyDir instead of its claim",
           ["test_the_data_claim_is_bound_at_5gi_and_mounted_at_appdata", "test_todos_survive_the_backend_pods_deletion"],
           [replace(f"{T}/backend-deployment.yaml", 'persistentVolumeClaim:\n            claimName: {{ include "todo-chatbot.claimName" . }}', "emptyDir: {}")],
           tier="cluster"),
    Mutant("cluster-zero-replicas", "the backend runs zero replicas",
           ["test_every_pod_of_the_release_is_running_and_ready"],
           [replace(f"{CHART}/values.yaml", "backendReplicaCount: 1", "backendReplicaCount: 0")], tier="cluster"),
    Mutant("cluster-wrong-service-port", "the backend Service sends traffic to a port nothing listens on",
           ["test_path_answers_through_the_service_service[todo-chatbot-backend-/health]", "test_the_frontend_reaches_the_backend_inside_the_cluster"],
           [replace(f"{T}/backend-service.yaml", "targetPort: http", "targetPort: 8080")], tier="cluster"),
    Mutant("cluster-recreate", "both Deployments use Recreate, so an upgrade takes the app down",
           ["test_an_upgrade_with_a_changed_configuration_loses_no_request"],
           [replace(f"{T}/{name}-deployment.yaml", r"    type: RollingUpdate\n    rollingUpdate:\n.*\n.*\n", "    type: Recreate\n", regex=True)
            for name in ("frontend", "backend")], tier="cluster"),
    Mutant("cluster-run-as-root", "the backend pod runs as user 0",
           ["test_the_component_pods_processes_run_as_a_nonroot_user[backend-1001]", "test_the_release_runs_in_a_namespace_that_enforces_restricted"],
           [replace(f"{T}/backend-deployment.yaml", "runAsUser: {{ .Values.backendRunAsUser }}", "runAsUser: 0"),
            replace(f"{T}/backend-deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false"),
            replace(f"{T}/_helpers.tpl", "runAsNonRoot: true", "runAsNonRoot: false")], tier="cluster"),
]
