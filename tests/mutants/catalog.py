"""The mutants: each breaks one requirement in a copy of the reference deployment and names the scenarios that must fail."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Callable

from acceptance.core.names import COMPONENTS

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
    kills: list[str]  # scenarios that must fail on this mutant: 'FEATURE::TITLE[EXAMPLE]', as in reports/scenarios.json
    edits: list[Edit]
    tier: str = "static"
    # scenarios that must still pass on this mutant: a defect only a person at the page notices leaves the HTTP checks green
    spares: list[str] = dataclasses.field(default_factory=list)
    # the cluster its defect shows on, when only one does (minikube: what only minikube itself answers); None: any
    cluster: str | None = None

    @property
    def scenarios(self) -> list[str]:
        """Every scenario its run must hold: those it must fail, then those it must leave passing."""
        return self.kills + self.spares

    @property
    def needs_browser(self) -> bool:
        return any(key.startswith(BROWSER_FEATURES) for key in self.scenarios)


CHART = "helm/todo-chatbot"
T = f"{CHART}/templates"
BACKEND_DOCKERFILE = "images/backend/Dockerfile"
FRONTEND_DOCKERFILE = "images/frontend/Dockerfile"
NGINX = "images/frontend/nginx/nginx.conf.template"
SCRIPTS = ("minikube-setup.sh", "build-images.sh", "deploy.sh", "cleanup.sh")
DEPLOY = "deployment/deploy.sh"
SETUP = "deployment/minikube-setup.sh"
GUIDE = "deployment/README.md"
WALK = "cluster/fr013_fr014_guide_walkthrough.feature::"
BAD_INPUT = "images/api_bad_input.feature::hand-picked bad requests through the frontend each get the status the table gives"
GENERATED_INPUT = ("images/api_generated_input.feature::schemathesis with seed 1 and 50 examples per operation finds no server error "
                   "and no undocumented answer")
MAIN_JS = "images/frontend/src/main.js"
API_JS = "images/frontend/src/api.js"
PAGE = "images/page_in_a_browser.feature::"
PAGE_V5 = "cluster/v5_app_works_in_a_browser.feature::"
BROWSER_FEATURES = (PAGE, PAGE_V5)
PAGE_LOADS = "the page loads with no console error and no Content-Security-Policy violation"
PAGE_V5_TITLES = ("the page from the frontend Service loads with no console error and no Content-Security-Policy violation",
                  "a todo added with the page's form is listed, and the frontend Service's API holds it",
                  "a todo ticked on the page shows as done, and the frontend Service's API holds it done",
                  "a todo deleted with its button leaves the page and the frontend Service's API",
                  "a chat message sent on the page is answered and the list shows what it added",
                  "a reload keeps the list",
                  "the page is usable at a phone's width")
# What the HTTP checks of the frontend and of V-5 see: a browser mutant must leave them passing.
IMAGE_HTTP_CHECKS = ["images/fr001_multi_stage.feature::the frontend's nginx runtime serves the built app with its protections",
                     "images/fr001_multi_stage.feature::the frontend's /api/ reaches the backend"]
HTTP_CHECKS = IMAGE_HTTP_CHECKS + ["cluster/v5_app_works.feature::a todo created through the frontend is listed",
                                   "cluster/v5_app_works.feature::a todo completed through the frontend is done",
                                   "cluster/v5_app_works.feature::a todo deleted through the frontend leaves the list",
                                   "cluster/v5_app_works.feature::a chat message changes the todo list"]


WRONG_VALUES = ('type-backend replica count-"three"', "negative count-frontend replica count--1", "unknown key-key the chart does not have-3",
                'storage quantity-storage size-"5 gigs"', 'service type-frontend Service type-"Foo"',
                'pull policy-image pull policy-"Sometimes"', 'boolean-persistence switch-"yes"', "port number-backend Service port-70000",
                'plain-http OpenAI URL-OpenAI base URL-"http://api.example.com/v1"')


def _accept_anything(document: dict) -> None:
    for key in ("properties", "required", "additionalProperties"):
        document.pop(key, None)


def _openai_any_http(document: dict) -> None:
    document["properties"]["openaiBaseUrl"]["pattern"] = "^$|^https?://[^\\s]+$"


def _open_root(document: dict) -> None:
    document["additionalProperties"] = True


MUTANTS = [
    # FR-001 multi-stage
    Mutant("backend-single-stage", "the backend is built and shipped in one stage FROM a hard-coded base",
           ["images/fr001_multi_stage.feature::the <component> Dockerfile builds in stages from configurable bases[backend]"],
           [replace(BACKEND_DOCKERFILE, r"^FROM \$\{RUNTIME_IMAGE\}\n", "", regex=True),
            replace(BACKEND_DOCKERFILE, "COPY --from=builder /opt/venv /opt/venv\n", "")]),
    Mutant("frontend-hardcoded-base", "the frontend's runtime base is hard-coded, not a build argument",
           ["images/fr001_multi_stage.feature::the <component> Dockerfile builds in stages from configurable bases[frontend]"],
           [replace(FRONTEND_DOCKERFILE, "FROM ${RUNTIME_IMAGE}", "FROM nginx:1.27-alpine")]),
    Mutant("frontend-no-lockfile", "the frontend build resolves dependencies afresh with npm install, no lockfile",
           ["images/fr001_multi_stage.feature::the frontend is built with npm from a committed lockfile"],
           [delete("images/frontend/package-lock.json"), replace(FRONTEND_DOCKERFILE, "npm ci", "npm install"),
            replace(FRONTEND_DOCKERFILE, "COPY package.json package-lock.json ./", "COPY package.json ./")]),
    Mutant("frontend-ships-sources", "the frontend runtime image carries the whole build tree: sources, node_modules, npm",
           ["images/fr001_multi_stage.feature::the <component> runtime image holds no build tools[frontend-package.json]"],
           [replace(FRONTEND_DOCKERFILE, "COPY --from=build /build/dist /usr/share/nginx/todo-chatbot",
                    "COPY --from=build /build/dist /usr/share/nginx/todo-chatbot\nCOPY --from=build /build /opt/build-tree\n"
                    "COPY --from=build /usr/bin/node /usr/local/bin/node")], tier="image"),
    Mutant("backend-pip-cache", "the backend runtime image keeps pip's download cache and the requirements",
           ["images/fr001_multi_stage.feature::the <component> runtime image holds no build tools[backend-requirements.txt]"],
           [replace(BACKEND_DOCKERFILE, "COPY --from=builder /opt/venv /opt/venv",
                    "COPY --from=builder /opt/venv /opt/venv\nCOPY --from=builder /tmp/requirements.txt /app/requirements.txt\n"
                    "RUN mkdir -p /root/.cache/pip/http && echo cached >/root/.cache/pip/http/entry")], tier="image"),
    Mutant("frontend-no-protections", "nginx neither compresses nor sends security headers",
           ["images/fr001_multi_stage.feature::the frontend's nginx runtime serves the built app with its protections"],
           [replace(NGINX, "gzip on;", "gzip off;"), replace(NGINX, r"^\s*add_header X-Frame-Options.*\n", "", regex=True)], tier="image"),
    Mutant("frontend-no-spa-fallback", "client-side routes get 404 instead of the app",
           ["images/fr001_multi_stage.feature::the frontend falls back to the app for client-side routes"],
           [replace(NGINX, "try_files $uri /index.html;", "try_files $uri =404;")], tier="image"),
    Mutant("frontend-api-not-rate-limited", "nginx passes /api/ on at any rate: one client may flood the backend and spend the OpenAI key",
           ["images/fr001_multi_stage.feature::the frontend's nginx limits each client's requests to /api/"],
           [replace(NGINX, r"^\s*limit_req zone=.*\n", "", regex=True)]),
    Mutant("frontend-api-not-proxied", "the frontend proxies /api/ to a port the backend does not listen on",
           ["images/fr001_multi_stage.feature::the frontend's /api/ reaches the backend"],
           [replace(NGINX, 'set $backend_url "@BACKEND_URL@";', 'set $backend_url "@BACKEND_URL@9";')], tier="image"),
    Mutant("backend-sources-before-dependencies", "the backend's build stage copies all its sources before pip install, so every source change re-runs it",
           ["images/fr001_multi_stage.feature::the <component> Dockerfile installs its dependencies before it copies its sources[backend-requirements*.txt-pip install]",
            "images/fr001_multi_stage.feature::a source-only change to the <component> rebuilds only the layers after its dependencies[backend-(profile)-pip install-(profile)]"],
           [replace(BACKEND_DOCKERFILE, "COPY requirements.txt /tmp/requirements.txt\n", "COPY . /tmp/\n")], tier="image"),
    Mutant("frontend-sources-before-dependencies", "the frontend's build stage copies all its sources before npm ci, so every source change re-runs it",
           ["images/fr001_multi_stage.feature::the <component> Dockerfile installs its dependencies before it copies its sources[frontend-package*.json-npm ci]",
            "images/fr001_multi_stage.feature::a source-only change to the <component> rebuilds only the layers after its dependencies[frontend-(profile)-npm ci-(profile)]"],
           [replace(FRONTEND_DOCKERFILE, "COPY package.json package-lock.json ./\n", "COPY . ./\n")], tier="image"),
    Mutant("backend-sources-before-venv", "the backend's runtime stage copies its sources before the venv, so every source change copies the venv again",
           ["images/fr001_multi_stage.feature::a source-only change to the <component> rebuilds only the layers after its dependencies[backend-(profile)-pip install-(profile)]"],
           [replace(BACKEND_DOCKERFILE, "COPY --from=builder /opt/venv /opt/venv\nWORKDIR /app\nCOPY app/ /app/app/\n",
                    "WORKDIR /app\nCOPY app/ /app/app/\nCOPY --from=builder /opt/venv /opt/venv\n")], tier="image"),
    Mutant("backend-system-site-packages", "the backend runtime puts its dependencies into the system Python's site-packages and serves with the system Python, no venv",
           ["images/fr001_multi_stage.feature::the backend runs from a virtualenv"],
           [replace(BACKEND_DOCKERFILE, "COPY --from=builder /opt/venv /opt/venv\n",
                    "COPY --from=builder /opt/venv/lib /tmp/venv-lib\n"
                    "RUN site=\"$(python3 -c 'import site; print(site.getsitepackages()[0])')\" && mkdir -p \"$site\" "
                    "&& cp -a /tmp/venv-lib/python3*/site-packages/. \"$site\"/ && rm -rf /tmp/venv-lib\n"),
            replace(BACKEND_DOCKERFILE, " \\\n    PATH=/opt/venv/bin:$PATH\n", "\n"),
            replace(BACKEND_DOCKERFILE, 'CMD ["uvicorn",', 'CMD ["python3", "-m", "uvicorn",'),
            replace(BACKEND_DOCKERFILE, 'CMD ["python", "-m", "app.healthcheck"', 'CMD ["python3", "-m", "app.healthcheck"')], tier="image"),
    Mutant("backend-unpinned-apt", "the backend's build stage installs a package with apt-get, unpinned (hadolint DL3008)",
           ["images/fr001_hadolint.feature::hadolint reports no unwaived warning or error in the <component> Dockerfile[backend]"],
           [replace(BACKEND_DOCKERFILE, "COPY requirements.txt /tmp/requirements.txt\n",
                    "COPY requirements.txt /tmp/requirements.txt\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n")]),
    Mutant("frontend-shell-form-healthcheck", "the frontend's HEALTHCHECK runs through a shell (hadolint DL3025)",
           ["images/fr001_hadolint.feature::hadolint reports no unwaived warning or error in the <component> Dockerfile[frontend]"],
           [replace(FRONTEND_DOCKERFILE, 'CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health.html"]',
                    "CMD wget -q -O /dev/null http://127.0.0.1:8080/health.html || exit 1")]),
    # FR-002 non-root
    Mutant("backend-user-root", "the backend image runs as root",
           ["images/fr002_non_root.feature::the <component> Dockerfile's final stage switches to a non-root user[backend]", "images/fr002_non_root.feature::the <component> image runs as <user>[backend-1001-app]", "images/fr002_non_root.feature::the <component> image is configured to run as a non-root user[backend]"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "USER root")], tier="image"),
    Mutant("frontend-user-root", "the frontend image runs as root",
           ["images/fr002_non_root.feature::the <component> Dockerfile's final stage switches to a non-root user[frontend]", "images/fr002_non_root.feature::the <component> image runs as <user>[frontend-(profile)-nginx]", "images/fr002_non_root.feature::the <component> image is configured to run as a non-root user[frontend]"],
           [replace(FRONTEND_DOCKERFILE, "USER 101", "USER 0")], tier="image"),
    Mutant("backend-user-0-spelled-with-a-group", "the backend image ends as USER 0:1001: root, written with a group",
           ["images/fr002_non_root.feature::the <component> Dockerfile's final stage switches to a non-root user[backend]"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "USER 0:1001")]),
    Mutant("chart-backend-run-as-root", "the backend pod runs as user 0",
           ["images/fr002_non_root.feature::the <component> pod runs non-root with a hardened security context[backend-1001]"],
           [replace(f"{T}/backend-deployment.yaml", "runAsUser: {{ .Values.backendRunAsUser }}", "runAsUser: 0")]),
    Mutant("chart-privilege-escalation", "containers keep their capabilities and may escalate privileges",
           ["images/fr002_non_root.feature::the <component> pod runs non-root with a hardened security context[frontend-(profile)]"],
           [replace(f"{T}/_helpers.tpl", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true")]),
    # FR-003 size
    Mutant("frontend-oversized", "the frontend image carries 100 MB of ballast",
           ["images/fr003_image_size.feature::the <component> image stays within its size budget[frontend]"],
           [replace(FRONTEND_DOCKERFILE, "USER 101", "RUN head -c 100000000 /dev/zero >/ballast\nUSER 101")], tier="image"),
    Mutant("backend-oversized", "the backend image carries 250 MB of ballast",
           ["images/fr003_image_size.feature::the <component> image stays within its size budget[backend]"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "RUN head -c 250000000 /dev/zero >/ballast\nUSER 1001")], tier="image"),
    # FR-004 health
    Mutant("no-healthchecks", "neither Dockerfile declares a HEALTHCHECK",
           ["images/fr004_health.feature::the <component> Dockerfile declares a health check[frontend]", "images/fr004_health.feature::the <component> Dockerfile declares a health check[backend]",
            "images/fr004_health.feature::the <component> container turns healthy[frontend]", "images/fr004_health.feature::the <component> container turns healthy[backend]"],
           [replace(FRONTEND_DOCKERFILE, r"^HEALTHCHECK[^\n]*\\\n[^\n]*\n", "", regex=True),
            replace(BACKEND_DOCKERFILE, r"^HEALTHCHECK[^\n]*\n", "", regex=True)], tier="image"),
    Mutant("frontend-no-health-page", "the frontend has no /health.html",
           ["images/fr004_health.feature::the frontend answers its health page"], [delete("images/frontend/public/health.html")], tier="image"),
    Mutant("backend-health-moved", "the backend answers health on /healthz, so /health is 404",
           ["images/fr004_health.feature::the backend's health reports a working database"],
           [replace("images/backend/app/main.py", '@app.get("/health")', '@app.get("/healthz")')], tier="image"),
    Mutant("backend-health-ignores-database", "/health answers ok without asking the database",
           ["images/fr004_health.feature::the backend's health fails when its data directory is read-only", "images/fr004_health.feature::the backend's health fails when its data directory is missing"],
           [replace("images/backend/app/main.py", "reason = db.check()", "reason = None")], tier="image"),
    # The API under hostile input
    Mutant("backend-id-unbounded", "todo ids are any integer again: one past 2^63 overflows the SQLite driver (a 500)",
           [BAD_INPUT], [replace("images/backend/app/main.py", "Path(ge=1, le=store.ID_MAX, ", "Path("),
                         replace("images/backend/app/todos.py", "return 1 <= todo_id <= ID_MAX", "return True")], tier="image"),
    Mutant("backend-control-characters-stored", "titles and messages may hold NUL, lone surrogates and bidi overrides",
           [BAD_INPUT], [replace("images/backend/app/schemas.py", "found = NOT_TEXT.search(value)", "found = None")], tier="image"),
    Mutant("backend-no-body-limit", "the backend reads a body of any size (the parser holds it all; 100 KiB is a 422, not a 413)",
           [BAD_INPUT], [replace("images/backend/app/main.py", "    app.add_middleware(BodyLimit)\n", "")], tier="image"),
    Mutant("backend-duplicate-keys-accepted", "a body naming a key twice is read as its last value, as Python's json module does",
           [BAD_INPUT], [replace("images/backend/app/json_body.py", "    if len(found) != len(pairs):\n        raise DuplicateKey\n", "")],
           tier="image"),
    # An unbounded id is not enough here: 50 generated examples rarely reach 2^63, so this 500 is one they meet at once.
    Mutant("backend-title-latin-1", "the todo store encodes titles as Latin-1: a title with an emoji or a CJK character is a 500",
           [GENERATED_INPUT], [replace("images/backend/app/todos.py", '    """Insert a todo and return it."""\n',
                                       '    """Insert a todo and return it."""\n    title.encode("latin-1")\n')], tier="image"),
    Mutant("backend-404-undocumented", "the OpenAPI no longer says that a todo's routes answer 404 for an unknown id",
           [GENERATED_INPUT], [replace("images/backend/app/errors.py", '    404: {"model": Problem, "description": "No todo has this id."},\n', "")],
           tier="image"),
    # FR-005 chart
    Mutant("chart-wrong-version", "Chart.yaml says 0.1.0",
           ["chart/fr005_chart.feature::the chart is named and versioned"], [replace(f"{CHART}/Chart.yaml", r"^version: .*$", "version: 0.1.0", regex=True)]),
    Mutant("chart-no-pvc-template", "the PVC template is missing",
           ["chart/fr005_chart.feature::the chart holds every template the deployment needs"], [delete(f"{T}/backend-pvc.yaml")]),
    Mutant("chart-lint-error", "a template holds broken YAML",
           ["chart/fr005_chart.feature::the chart passes helm lint in strict mode"], [append(f"{T}/configmap.yaml", "\n  broken: : [\n")]),
    Mutant("chart-no-secret", "the Secret template renders nothing",
           ["chart/fr005_chart.feature::the chart renders every resource with default values"], [replace(f"{T}/secret.yaml", "{{- if not .Values.existingSecret }}", "{{- if false }}")]),
    Mutant("chart-no-chart-label", "resources lack the helm.sh/chart label",
           ["chart/fr005_chart.feature::every resource carries the standard labels"], [replace(f"{T}/_helpers.tpl", "helm.sh/chart: ", "helm.sh/chart-name: ")]),
    Mutant("chart-frontend-clusterip", "the frontend Service is ClusterIP",
           ["chart/fr005_chart.feature::the <component> Service exposes the app[frontend-LoadBalancer-80-(profile)]"],
           [replace(f"{CHART}/values.yaml", "frontendServiceType: LoadBalancer", "frontendServiceType: ClusterIP")]),
    Mutant("chart-backend-wrong-port", "the backend Service listens on 8080",
           ["chart/fr005_chart.feature::the <component> Service exposes the app[backend-ClusterIP-8000-8000]"],
           [replace(f"{CHART}/values.yaml", "backendServicePort: 8000", "backendServicePort: 8080")]),
    Mutant("chart-notes-silent", "NOTES.txt does not say how to reach the app",
           ["chart/fr005_chart.feature::NOTES.txt tells how to reach the app"],
           [replace(f"{T}/NOTES.txt", "minikube service", "open the service"), replace(f"{T}/NOTES.txt", "port-forward", "forward")]),
    # Exposure (beyond the seed): the app has no authentication, so the networks its LoadBalancer admits are its guard
    Mutant("chart-ignores-source-ranges", "frontendLoadBalancerSourceRanges is ignored: the LoadBalancer admits every client whatever it says",
           ["chart/fr005_chart.feature::the frontend LoadBalancer admits only the configured source ranges"],
           [replace(f"{T}/frontend-service.yaml", "with .Values.frontendLoadBalancerSourceRanges", "with list")]),
    Mutant("chart-source-ranges-closed-by-default", "the frontend's LoadBalancer admits only 10.0.0.0/8 unasked: every client outside it is refused",
           ["chart/fr005_chart.feature::the frontend LoadBalancer restricts no source range unless asked"],
           [replace(f"{CHART}/values.yaml", "frontendLoadBalancerSourceRanges: []", 'frontendLoadBalancerSourceRanges: ["10.0.0.0/8"]')]),
    # FR-006 values
    Mutant("values-nested", "values.yaml nests resources two levels deep",
           ["chart/fr006_flat_values.feature::values.yaml is flat"], [append(f"{CHART}/values.yaml", "\n# resources -- nested resources\nresources:\n  frontend:\n    cpu: 100m\n")]),
    Mutant("values-undocumented", "values.yaml has no comments",
           ["chart/fr006_flat_values.feature::every key in values.yaml is documented"], [replace(f"{CHART}/values.yaml", r"^\s*#.*\n", "", regex=True)]),
    # FR-007 schema
    Mutant("values-wrong-default-type", "a default value breaks the schema",
           ["chart/fr007_values_schema.feature::the default values satisfy the schema"], [replace(f"{CHART}/values.yaml", "frontendReplicaCount: 1", 'frontendReplicaCount: "1"')]),
    Mutant("schema-open", "the schema accepts unknown keys",
           ["chart/fr007_values_schema.feature::the schema closes every object to unknown keys", "chart/fr007_values_schema.feature::a wrong <problem> is rejected[unknown key-key the chart does not have-3]"], [schema(_open_root)]),
    Mutant("schema-openai-plain-http", "the schema lets the OpenAI base URL be plain http to any host (the key would travel in clear)",
           ['chart/fr007_values_schema.feature::a wrong <problem> is rejected[plain-http OpenAI URL-OpenAI base URL-"http://api.example.com/v1"]'],
           [schema(_openai_any_http)]),
    Mutant("schema-permissive", "the schema checks nothing",
           [f"chart/fr007_values_schema.feature::a wrong <problem> is rejected[{example}]" for example in WRONG_VALUES] + ["chart/fr007_values_schema.feature::strict lint rejects a wrong value too"],
           [schema(_accept_anything)]),
    # FR-008 resources and probes
    Mutant("chart-backend-no-limits", "the backend container has no limits",
           ["chart/fr008_resources_probes.feature::the <component> container requests and limits its resources[backend-250m-256Mi-500m-512Mi]"],
           [replace(f"{T}/backend-deployment.yaml", r"^            limits:\n.*\n.*\n", "", regex=True)]),
    Mutant("chart-frontend-wrong-limit", "the frontend's CPU limit is 500m",
           ["chart/fr008_resources_probes.feature::the <component> container requests and limits its resources[frontend-100m-128Mi-250m-256Mi]"],
           [replace(f"{CHART}/values.yaml", "frontendCpuLimit: 250m", "frontendCpuLimit: 500m")]),
    Mutant("chart-frontend-wrong-readiness", "the frontend's readiness probe asks /ready",
           ["chart/fr008_resources_probes.feature::the <component> container is probed for liveness and readiness[frontend-/health.html-/health.html]"],
           [replace(f"{T}/frontend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: )/health.html", r"\1/ready", regex=True)]),
    Mutant("chart-backend-no-liveness", "the backend has no liveness probe",
           ["chart/fr008_resources_probes.feature::the <component> container is probed for liveness and readiness[backend-(profile)-/health]"],
           [replace(f"{T}/backend-deployment.yaml", "livenessProbe:", "x-livenessProbe:")]),
    Mutant("chart-backend-readiness-wrong-port", "the backend's readiness probe asks a port the container does not declare",
           ["chart/fr008_resources_probes.feature::the <component> container is probed for liveness and readiness[backend-(profile)-/health]"],
           [replace(f"{T}/backend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: /health\n\s+port: )http", r"\g<1>9000", regex=True)]),
    Mutant("chart-backend-no-startup", "the backend has no startup probe",
           ["chart/fr008_resources_probes.feature::the backend has time to start before liveness counts"], [replace(f"{T}/backend-deployment.yaml", "startupProbe:", "x-startupProbe:")]),
    Mutant("chart-latest-tag", "the frontend runs the image tagged latest (kube-score container-image-tag)",
           ["chart/kube_score.feature::kube-score reports no unwaived critical or warning finding on the default rendering"],
           [replace(f"{CHART}/values.yaml", 'frontendImageTag: "1.0.0"', 'frontendImageTag: "latest"')]),
    Mutant("stale-lint-waiver", "a lint waiver covers a finding that no longer exists",
           ["chart/kube_score.feature::every lint waiver is still needed"],
           [append("lint-waivers.yaml", "- tool: kube-score\n  check: container-resources\n  subject: Deployment/todo-chatbot-backend\n"
                                        "  reason: Kept from an older chart that had no limits at all.\n")]),
    # FR-009 ConfigMap
    Mutant("chart-no-configmap-envfrom", "the backend does not read the ConfigMap",
           ["chart/fr009_configmap.feature::the backend reads its configuration from the ConfigMap"],
           [replace(f"{T}/backend-deployment.yaml", r"^\s+- configMapRef:\n.*\n", "", regex=True)]),
    Mutant("chart-hardcoded-log-level", "LOG_LEVEL ignores the values",
           ["chart/fr009_configmap.feature::the values reach the ConfigMap"], [replace(f"{T}/configmap.yaml", "LOG_LEVEL: {{ .Values.logLevel | quote }}", 'LOG_LEVEL: "INFO"')]),
    Mutant("chart-no-checksums", "pod templates carry no checksum, so a config change rolls nothing",
           ["chart/fr009_configmap.feature::a configuration change rolls the backend pods"],
           [replace(f"{T}/backend-deployment.yaml", '{{- include "todo-chatbot.checksumAnnotations" . | nindent 8 }}', "{}")]),
    # FR-010 secrets
    Mutant("chart-secret-in-configmap", "the OpenAI key is copied into the ConfigMap",
           ["chart/fr010_secrets.feature::the Secret carries every credential and the ConfigMap none"],
           [replace(f"{T}/configmap.yaml", '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n', '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n  OPENAI_API_KEY: {{ .Values.openaiApiKey | quote }}\n')]),
    Mutant("chart-ignores-existing-secret", "the chart renders and uses its own Secret even when existingSecret is set",
           ["chart/fr010_secrets.feature::an existing Secret replaces the chart's own"],
           [replace(f"{T}/secret.yaml", "{{- if not .Values.existingSecret }}", "{{- if true }}"),
            replace(f"{T}/_helpers.tpl", ".Values.existingSecret", "false")]),
    Mutant("values-real-looking-key", "values.yaml ships a real-looking API key",
           ["chart/fr010_secrets.feature::the default values hold no real-looking credential"],
           [replace(f"{CHART}/values.yaml", 'openaiApiKey: ""', 'openaiApiKey: "sk-proj-4fQ9zXk2LmP8vR7tY3wB6nJ1"')]),
    Mutant("backend-key-baked-in", "the backend image bakes an API key into its environment",
           ["chart/fr010_secrets.feature::the backend image carries no credential"],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "ENV OPENAI_API_KEY=sk-live-9aB3cD5eF7gH1jK3mN5p\nUSER 1001")], tier="image"),
    Mutant("backend-logs-secrets", "the backend logs its configuration unmasked",
           ["chart/fr010_secrets.feature::the backend never logs or returns a credential"],
           [replace("images/backend/app/main.py", "settings.masked().items()", "vars(settings).items()")], tier="image"),
    Mutant("backend-database-url-query-shown", "the backend masks a database URL's password but logs its query, where hosted databases put tokens",
           ["chart/fr010_secrets.feature::the backend never logs or returns a credential"],
           [replace("images/backend/app/config.py", 'return shown + ("?" + "&".join(f"{key}=***" for key in parsed.query) if parsed.query else "")',
                    "return parsed.render_as_string(hide_password=True)")], tier="image"),
    # FR-011 rolling updates
    Mutant("chart-backend-recreate", "the backend Deployment uses Recreate",
           ["chart/fr011_rolling_update.feature::the <component> Deployment rolls updates one pod at a time[backend]"],
           [replace(f"{T}/backend-deployment.yaml", r"    type: RollingUpdate\n    rollingUpdate:\n.*\n.*\n", "    type: Recreate\n", regex=True)]),
    Mutant("chart-frontend-surge-2", "the frontend surges two pods at a time",
           ["chart/fr011_rolling_update.feature::the <component> Deployment rolls updates one pod at a time[frontend]"],
           [replace(f"{T}/frontend-deployment.yaml", "maxSurge: {{ .Values.rollingMaxSurge }}", "maxSurge: 2")]),
    # FR-012 persistence
    Mutant("chart-pvc-1gi", "the data claim is 1Gi",
           ["chart/fr012_persistence.feature::the backend's data lives on a 5Gi claim"], [replace(f"{CHART}/values.yaml", "persistenceSize: 5Gi", "persistenceSize: 1Gi")]),
    Mutant("chart-ignores-storage-class", "the storage class value is ignored",
           ["chart/fr012_persistence.feature::the storage class is configurable"], [replace(f"{T}/backend-pvc.yaml", 'storageClassName: {{ .Values.persistenceStorageClass | quote }}', 'storageClassName: "standard"')]),
    Mutant("chart-ignores-existing-claim", "the chart always renders and mounts its own claim",
           ["chart/fr012_persistence.feature::an existing claim replaces the chart's own"],
           [replace(f"{T}/backend-pvc.yaml", "(not .Values.persistenceExistingClaim)", "true"),
            replace(f"{T}/_helpers.tpl", ".Values.persistenceExistingClaim", "false")]),
    # NetworkPolicy (beyond the seed)
    Mutant("chart-network-policy-off", "no NetworkPolicy by default: every pod in the cluster reaches the backend",
           [f"chart/network_policy.feature::a NetworkPolicy isolates the <component> pods by default[{component}]" for component in COMPONENTS]
           + ["chart/kube_score.feature::kube-score reports no unwaived critical or warning finding on the default rendering"],
           [replace(f"{CHART}/values.yaml", "networkPolicyEnabled: true", "networkPolicyEnabled: false")]),
    Mutant("chart-backend-admits-every-pod", "the backend's policy admits every pod of the namespace (an empty podSelector), not the frontend's",
           ["chart/network_policy.feature::the backend admits only the release's frontend pods, on its port"],
           [replace(f"{T}/backend-networkpolicy.yaml", r"^        - podSelector:\n            matchLabels:\n.*\"frontend\".*\n", "        - podSelector: {}\n", regex=True)]),
    Mutant("chart-backend-egress-anywhere", "the backend may open any connection to any address",
           ["chart/network_policy.feature::the backend reaches out only to DNS, and to the database and OpenAI ports"],
           [replace(f"{T}/backend-networkpolicy.yaml", "  egress:\n", "  egress:\n    - {}\n")]),
    Mutant("chart-ignores-egress-cidrs", "the backend's database and OpenAI egress goes to any address whatever networkPolicyBackendEgressCidrs says",
           ["chart/network_policy.feature::the database and OpenAI egress narrows to the configured addresses"],
           [replace(f"{T}/backend-networkpolicy.yaml", "range .Values.networkPolicyBackendEgressCidrs", 'range list "0.0.0.0/0" "::/0"')]),
    Mutant("chart-empty-egress-ports-open-all", "an empty networkPolicyBackendEgressPorts renders a rule with no ports, which opens every port",
           ["chart/network_policy.feature::with no egress ports the backend reaches out to DNS only"],
           [replace(f"{T}/backend-networkpolicy.yaml", "if and .Values.networkPolicyBackendEgressCidrs .Values.networkPolicyBackendEgressPorts", "if .Values.networkPolicyBackendEgressCidrs")]),
    Mutant("chart-ignores-backend-clients", "networkPolicyBackendClients is ignored: the pods it names cannot call the backend",
           ["chart/network_policy.feature::the pods the backend's allowed clients name may call the backend too"],
           [replace(f"{T}/backend-networkpolicy.yaml", "with .Values.networkPolicyBackendClients", "with dict")]),
    Mutant("chart-frontend-namespace-only", "the frontend admits only pods of its namespace, so the public entry is closed to outside clients",
           ["chart/network_policy.feature::the frontend admits anyone on its port"],
           [replace(f"{T}/frontend-networkpolicy.yaml", "  ingress:\n    - ports:\n", "  ingress:\n    - from:\n        - podSelector: {}\n      ports:\n")]),
    Mutant("chart-frontend-egress-anywhere", "the frontend may open any connection to any address",
           ["chart/network_policy.feature::the frontend reaches out only to DNS and to the backend's port"],
           [replace(f"{T}/frontend-networkpolicy.yaml", "  egress:\n", "  egress:\n    - {}\n")]),
    Mutant("chart-network-policy-always", "the NetworkPolicies are rendered even with networkPolicyEnabled false",
           ["chart/network_policy.feature::no NetworkPolicy is rendered when the network policy switch is off"],
           [replace(f"{T}/{component}-networkpolicy.yaml", "if .Values.networkPolicyEnabled", "if true") for component in COMPONENTS]),
    # FR-013 scripts
    Mutant("scripts-not-strict", "the scripts run without set -euo pipefail",
           [f"delivery/fr013_scripts.feature::<script> is strict, documented and lint-clean[{script}]" for script in SCRIPTS],
           [replace(f"deployment/{script}", "set -euo pipefail", "set -e") for script in SCRIPTS]),
    Mutant("deploy-ignores-missing-env", "deploy.sh goes on without a .env file",
           ["delivery/fr013_scripts.feature::deploy.sh refuses to run without a .env file"], [replace("deployment/deploy.sh", ".env.example", "the example file")]),
    Mutant("setup-silent-about-minikube", "minikube-setup.sh does not say how to install a missing minikube",
           ["delivery/fr013_scripts.feature::minikube-setup.sh names a missing prerequisite and how to install it"],
           [replace("deployment/lib.sh", 'if ! command -v "$tool" >/dev/null 2>&1; then', 'if [[ $tool != minikube ]] && ! command -v "$tool" >/dev/null 2>&1; then')]),
    Mutant("env-example-incomplete", ".env.example forgets NEON_API_KEY",
           ["delivery/fr013_scripts.feature::.env.example lists every credential"], [replace(".env.example", r"^NEON_API_KEY=.*$", "", regex=True)]),
    Mutant("deploy-env-accepts-non-utf8", "deploy.sh lets a .env line that is not UTF-8 through to kubectl",
           ["delivery/fr013_scripts.feature::deploy.sh refuses a .env line holding <defect>, naming the line and never the value[text that is not UTF-8]"],
           [replace(DEPLOY, "if ! printf '%s' \"$line\" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then", "if false; then")]),
    Mutant("deploy-env-error-shows-the-line", "deploy.sh names the line that is not UTF-8 by printing it, value included",
           ["delivery/fr013_scripts.feature::deploy.sh refuses a .env line holding <defect>, naming the line and never the value[text that is not UTF-8]"],
           [replace(DEPLOY, "line $number is not valid UTF-8 text: save", "line $number is not valid UTF-8 text ($line): save")]),
    Mutant("deploy-env-accepts-control-characters", "deploy.sh lets control characters and NUL bytes of a .env value through",
           [f"delivery/fr013_scripts.feature::deploy.sh refuses a .env line holding <defect>, naming the line and never the value[{defect}]"
            for defect in ("a control character", "a NUL byte")],
           [replace(DEPLOY, "if [[ $value == *[[:cntrl:]]* ]]; then", "if false; then")]),
    Mutant("deploy-env-accepts-whitespace", "deploy.sh lets spaces around a .env value through (kubectl keeps them)",
           [f"delivery/fr013_scripts.feature::deploy.sh refuses a .env line holding <defect>, naming the line and never the value[{defect}]"
            for defect in ("a space after the equals sign", "trailing whitespace")],
           [replace(DEPLOY, "elif [[ $value =~ ^[[:space:]] || $value =~ [[:space:]]$ ]]; then", "elif false; then")]),
    Mutant("deploy-env-accepts-inline-comments", "deploy.sh lets an inline # comment become part of a .env value",
           ["delivery/fr013_scripts.feature::deploy.sh refuses a .env line holding <defect>, naming the line and never the value[an inline comment]"],
           [replace(DEPLOY, "elif [[ $value =~ [[:space:]]# ]]; then", "elif false; then")]),
    Mutant("deploy-accepts-set-credentials", "deploy.sh passes a credential given with --set to helm, which keeps it in the release history",
           ["delivery/fr013_scripts.feature::deploy.sh refuses a credential given on the command line"],
           [replace(DEPLOY, "  if [[ ${set_value%%=*} =~ ^($credential_values)$ ]]; then", "  if false; then")]),
    Mutant("deploy-silent-on-readable-env", "deploy.sh says nothing about a .env that every user of the machine can read",
           ["delivery/fr013_scripts.feature::deploy.sh warns when other users can read the .env"],
           [replace(DEPLOY, 'warn_if_readable_by_others "$env_file"\n', "")]),
    Mutant("setup-env-readable-by-all", "minikube-setup.sh copies .env.example to a .env every user can read",
           ["delivery/fr013_scripts.feature::minikube-setup.sh starts minikube with the resources asked and a network that enforces NetworkPolicy, enables the addons and makes a private .env"],
           [replace(SETUP, '(umask 077 && cp "$repo_root/.env.example" "$env_file")\n  chmod 600 "$env_file"', 'cp "$repo_root/.env.example" "$env_file"\n  chmod 644 "$env_file"')]),
    Mutant("setup-default-network", "minikube-setup.sh starts minikube with its default network, which enforces no NetworkPolicy",
           ["delivery/fr013_scripts.feature::minikube-setup.sh starts minikube with the resources asked and a network that enforces NetworkPolicy, enables the addons and makes a private .env"],
           [replace(SETUP, ' --memory "$memory" --cni calico; then', ' --memory "$memory"; then')]),
    Mutant("setup-forgets-metrics-server", "minikube-setup.sh enables only the storage provisioner",
           ["delivery/fr013_scripts.feature::minikube-setup.sh starts minikube with the resources asked and a network that enforces NetworkPolicy, enables the addons and makes a private .env"],
           [replace(SETUP, "for addon in metrics-server storage-provisioner; do", "for addon in storage-provisioner; do")]),
    Mutant("setup-restarts-running-profile", "minikube-setup.sh runs minikube start on a profile that is already running",
           ["delivery/fr013_scripts.feature::minikube-setup.sh leaves a running profile as it is"],
           [replace(SETUP, "if [[ $host_state == Running && $apiserver_state == Running ]]; then", "if false; then")]),
    Mutant("setup-ignores-host-resources", "minikube-setup.sh asks minikube for more CPUs and memory than the machine has",
           [f"delivery/fr013_scripts.feature::minikube-setup.sh refuses <resource> than the machine has, before starting anything[{example}]"
            for example in ("more CPUs---cpus 4096", "more memory---memory 100000g")],
           [replace(SETUP, "if [[ $host_cpus =~ ^[0-9]+$ && $cpus -gt $host_cpus ]]; then", "if false; then"),
            replace(SETUP, "if [[ $host_memory_mb =~ ^[0-9]+$ && $memory_mb -gt $host_memory_mb ]]; then", "if false; then")]),
    # FR-014 guide
    Mutant("guide-no-troubleshooting", "the guide has no Troubleshooting section",
           ["delivery/fr014_guide.feature::the guide covers the whole life of a deployment"], [replace("deployment/README.md", r"^(#+) Troubleshooting.*$", r"\1 Known issues", regex=True)]),
    Mutant("guide-no-cleanup", "the guide never mentions cleanup.sh",
           ["delivery/fr014_guide.feature::the guide shows every script"], [replace("deployment/README.md", "cleanup.sh", "the cleanup script")]),
    Mutant("guide-no-verification", "the guide's Verification section is empty",
           ["delivery/fr014_guide.feature::the guide shows how to verify a deployment"],
           [replace("deployment/README.md", r"^(## Verification[^\n]*\n)[\s\S]*?(?=^## )", r"\1\nSee the dashboard.\n\n", regex=True)]),
    Mutant("guide-unmarked-steps", "the guide no longer marks V-7's commands, nor documents V-3's output",
           ["delivery/fr014_guide.feature::the guide marks what a user types to deploy, verify and clean up, and the output to expect"],
           [replace(GUIDE, "<!-- run: v7 -->\n", ""), replace(GUIDE, "<!-- output: v3 -->\n", "")]),
    Mutant("chart-unread-config", "the ConfigMap sets DATA_DIR, which the backend never reads (it takes the path from DATABASE_URL)",
           ["chart/fr009_configmap.feature::every key the ConfigMap sets is one the backend reads"],
           [replace(f"{T}/configmap.yaml", '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n', '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n  DATA_DIR: "/app/data"\n')]),
    # The guide, followed on a cluster: each defect shows only when the scripts and the guide's commands run
    Mutant("build-images-wrong-tag", "build-images.sh tags the images :latest, not the tag the guide loads and the chart runs",
           [WALK + "the guide's steps build, load and deploy a working app, and no credential is printed"],
           [replace("deployment/build-images.sh", 'image="todo-chatbot-$component:$tag"', 'image="todo-chatbot-$component:latest"')], tier="cluster"),
    Mutant("deploy-prints-credentials", "deploy.sh prints the .env it read, credentials included",
           [WALK + "the guide's steps build, load and deploy a working app, and no credential is printed"],
           [replace(DEPLOY, 'check_env_file "$env_file"\n', 'check_env_file "$env_file"\ninfo "credentials: $(grep -v \'^#\' "$env_file" | tr \'\\n\' \' \')"\n')],
           tier="cluster"),
    Mutant("deploy-no-rollout-wait", "deploy.sh returns as soon as helm has applied the release, before any pod is Ready",
           [WALK + "the guide's steps build, load and deploy a working app, and no credential is printed"],
           [replace(DEPLOY, 'for deployment in "${deployments[@]}"; do', "for deployment in; do")], tier="cluster"),
    Mutant("setup-misreads-minikube-status", "minikube-setup.sh asks minikube status for a field it does not have, so a running profile "
           "looks absent and the script starts another minikube (the recorded minikube of the static tier answers any format)",
           [WALK + "the guide's steps build, load and deploy a working app, and no credential is printed"],
           [replace("deployment/minikube-setup.sh", "--format '{{.Host}}'", "--format '{{.host}}'")], tier="cluster", cluster="minikube"),
    Mutant("deploy-client-side-apply", "deploy.sh applies the Secret client-side, which copies every value into an annotation",
           [WALK + "the guide's steps build, load and deploy a working app, and no credential is printed"],
           [replace(DEPLOY, "kubectl apply --server-side --field-manager=deploy.sh --force-conflicts -f -", "kubectl apply -f -")], tier="cluster"),
    Mutant("deploy-restart-inverted", "deploy.sh restarts the backend when the Secret is unchanged, and not when it changed",
           [WALK + "deploy.sh run again with nothing changed replaces no pod", WALK + "deploy.sh run again after .env changed gives the backend the new value"],
           [replace(DEPLOY, "if [[ $release_existed -eq 1 && $secret_changed -eq 1 ]]; then", "if [[ $release_existed -eq 1 && $secret_changed -eq 0 ]]; then")],
           tier="cluster"),
    Mutant("guide-v5-wrong-path", "the guide's V-5 lists the todos at /todos, which the frontend does not proxy to the API",
           [WALK + "the guide's verification commands V-1 to V-7 print what the guide documents"],
           [replace(GUIDE, "curl -s http://127.0.0.1:8080/api/todos; echo", "curl -s http://127.0.0.1:8080/todos; echo")], tier="cluster"),
    Mutant("cleanup-unasked-deletes-data", "cleanup.sh never asks, and deletes the data claim by default",
           [WALK + "cleanup.sh asks first, and deletes nothing without a yes", WALK + "cleanup.sh keeps the todos, and deploying again finds them"],
           [replace("deployment/cleanup.sh", "  [[ $assume_yes -eq 1 ]] && return 0\n", "  return 0\n"),
            replace("deployment/cleanup.sh", "\ndelete_pvc=0\n", "\ndelete_pvc=1\n")], tier="cluster"),
    Mutant("cleanup-keeps-claim-on-delete-pvc", "cleanup.sh --delete-pvc says it deletes the claim but keeps it",
           [WALK + "cleanup.sh --delete-pvc leaves nothing of the release"],
           [replace("deployment/cleanup.sh", 'kubectl delete --namespace "$namespace" --timeout=120s "${claims[@]}" ||', ": ||")], tier="cluster"),
    # Cluster tier: each defect shows only on a running cluster
    Mutant("cluster-wrong-readiness-path", "the backend's readiness probe asks a path that does not exist, so it never turns Ready",
           ["cluster/smoke.feature::the reference chart installs and serves"],
           [replace(f"{T}/backend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: )/health", r"\1/ready", regex=True)], tier="cluster"),
    Mutant("cluster-slow-recovery", "a new pod takes over a minute to turn Ready, past the recovery budget",
           [f"cluster/v6_self_healing.feature::a deleted <component> pod is replaced and Ready again[{name}]" for name in COMPONENTS],
           [replace(f"{CHART}/values.yaml", "backendReadinessInitialDelaySeconds: 0", "backendReadinessInitialDelaySeconds: 65"),
            replace(f"{CHART}/values.yaml", "frontendReadinessInitialDelaySeconds: 2", "frontendReadinessInitialDelaySeconds: 65")], tier="cluster"),
    Mutant("cluster-pvc-6gi", "the data claim asks 6Gi: more than the seed's 5Gi, which an 'at least' check let pass",
           ["cluster/v3_pvc.feature::the data claim is Bound at 5Gi and mounted at /app/data"],
           [replace(f"{CHART}/values.yaml", "persistenceSize: 5Gi", "persistenceSize: 6Gi")], tier="cluster"),
    Mutant("cluster-pvc-as-emptydir", "the backend mounts an emptyDir instead of its claim",
           ["cluster/v3_pvc.feature::the data claim is Bound at 5Gi and mounted at /app/data", "cluster/v7_persistence.feature::todos survive the backend pod's deletion"],
           [replace(f"{T}/backend-deployment.yaml", 'persistentVolumeClaim:\n            claimName: {{ include "todo-chatbot.claimName" . }}', "emptyDir: {}")],
           tier="cluster"),
    Mutant("cluster-zero-replicas", "the backend runs zero replicas",
           ["cluster/v1_pods_ready.feature::every pod of the release is Running and Ready"],
           [replace(f"{CHART}/values.yaml", "backendReplicaCount: 1", "backendReplicaCount: 0")], tier="cluster"),
    Mutant("cluster-wrong-service-port", "the backend Service sends traffic to a port nothing listens on",
           ["cluster/v4_health.feature::<path> answers through the <service> Service[backend-/health]", "cluster/v4_health.feature::the frontend reaches the backend inside the cluster"],
           [replace(f"{T}/backend-service.yaml", "targetPort: http", "targetPort: 8080")], tier="cluster"),
    Mutant("cluster-recreate", "both Deployments use Recreate, so an upgrade takes the app down",
           ["cluster/rolling_upgrade.feature::an upgrade with a changed configuration loses no request"],
           [replace(f"{T}/{name}-deployment.yaml", r"    type: RollingUpdate\n    rollingUpdate:\n.*\n.*\n", "    type: Recreate\n", regex=True)
            for name in COMPONENTS], tier="cluster"),
    Mutant("cluster-run-as-root", "the backend pod runs as user 0",
           ["cluster/v1_pods_ready.feature::the <component> pod's processes run as a non-root user[backend-1001]", "cluster/pod_security.feature::the release runs in a namespace that enforces \"restricted\""],
           [replace(f"{T}/backend-deployment.yaml", "runAsUser: {{ .Values.backendRunAsUser }}", "runAsUser: 0"),
            replace(f"{T}/backend-deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false"),
            replace(f"{T}/_helpers.tpl", "runAsNonRoot: true", "runAsNonRoot: false")], tier="cluster"),
    Mutant("cluster-database-on-tmp", "the default DATABASE_URL puts the SQLite file under /tmp, an emptyDir, not the claim",
           ["cluster/v7_persistence.feature::a todo lands in the database file the backend is configured with, on the claim"],
           [replace(f"{T}/_helpers.tpl", 'default "sqlite:////app/data/todo.db"', 'default "sqlite:////tmp/todo.db"')], tier="cluster"),
    Mutant("cluster-lb-refuses-outside", "the frontend's LoadBalancer admits no outside client (a port-forward to its pod still answers)",
           ["cluster/v4_health.feature::<path> answers through the <service> Service[frontend-/health.html]",
            "cluster/v5_app_works.feature::a todo created through the frontend is listed"],
           [replace(f"{T}/frontend-service.yaml", "  type: {{ .Values.frontendServiceType }}\n",
                    "  type: {{ .Values.frontendServiceType }}\n  loadBalancerSourceRanges: [\"192.0.2.1/32\"]\n")], tier="cluster"),
    Mutant("cluster-upgrade-rolls-nothing", "no checksum annotation: an upgrade that changes the configuration replaces no pod",
           ["cluster/fr009_config_rollout.feature::a changed log level replaces the backend pods, which run with the new value",
            "cluster/v7_persistence.feature::todos survive a helm upgrade"],
           [replace(f"{T}/{name}-deployment.yaml", '{{- include "todo-chatbot.checksumAnnotations" . | nindent 8 }}', "")
            for name in COMPONENTS], tier="cluster"),
    Mutant("cluster-log-level-pinned", "the backend container pins LOG_LEVEL, shadowing the ConfigMap's value",
           ["cluster/fr009_config_rollout.feature::a changed log level replaces the backend pods, which run with the new value"],
           [replace(f"{T}/backend-deployment.yaml", "          envFrom:\n", "          env:\n            - name: LOG_LEVEL\n              value: INFO\n          envFrom:\n")],
           tier="cluster"),
    Mutant("cluster-services-drift", "the frontend Service is a NodePort and the backend Service listens on 8080 (the app still works)",
           ["cluster/v2_services.feature::the <service> Service has the right type and port, and endpoints[frontend-LoadBalancer-80]",
            "cluster/v2_services.feature::the <service> Service has the right type and port, and endpoints[backend-ClusterIP-8000]"],
           [replace(f"{CHART}/values.yaml", "frontendServiceType: LoadBalancer", "frontendServiceType: NodePort"),
            replace(f"{CHART}/values.yaml", "backendServicePort: 8000", "backendServicePort: 8080")], tier="cluster"),
    Mutant("cluster-pods-drift", "the pods run as another user, with other limits, and the API key lands in the ConfigMap",
           ["cluster/v1_pods_ready.feature::the <component> pod's processes run as a non-root user[frontend-(profile)]",
            "cluster/v1_pods_ready.feature::the <component> pod runs with its limits and probes in force[frontend-250m-256Mi]",
            "cluster/v1_pods_ready.feature::the <component> pod runs with its limits and probes in force[backend-500m-512Mi]",
            "cluster/v1_pods_ready.feature::no credential appears in the ConfigMap, the logs or the environment listing"],
           [replace(f"{CHART}/values.yaml", "frontendRunAsUser: 101", "frontendRunAsUser: 1000"),
            replace(f"{CHART}/values.yaml", "frontendCpuLimit: 250m", "frontendCpuLimit: 300m"),
            replace(f"{CHART}/values.yaml", "backendMemoryLimit: 512Mi", "backendMemoryLimit: 640Mi"),
            replace(f"{T}/configmap.yaml", '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n',
                    '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n  OPENAI_API_KEY: {{ .Values.openaiApiKey | quote }}\n')], tier="cluster"),
    Mutant("cluster-api-read-only", "nginx passes only GET and POST to the API and answers the chat with 404",
           ["cluster/v5_app_works.feature::a todo completed through the frontend is done",
            "cluster/v5_app_works.feature::a todo deleted through the frontend leaves the list",
            "cluster/v5_app_works.feature::a chat message changes the todo list"],
           [replace(NGINX, "        location /api/ {\n",
                    "        location = /api/chat {\n            return 404;\n        }\n\n        location /api/ {\n"
                    "            limit_except GET POST {\n                deny all;\n            }\n")], tier="cluster"),
    Mutant("cluster-lifecycle-leftovers", "the install notes lose the minikube hint, and a hook ConfigMap outlives the uninstall",
           ["cluster/release_lifecycle.feature::the install prints the access notes",
            "cluster/release_lifecycle.feature::uninstalling leaves nothing of the release behind"],
           [replace(f"{T}/NOTES.txt", "minikube service", "minikube dashboard"),
            append(f"{T}/configmap.yaml", "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"todo-chatbot.fullname\" . }}-hook\n"
                   "  labels:\n    {{- include \"todo-chatbot.labels\" (dict \"context\" . \"component\" \"backend\") | nindent 4 }}\n"
                   "  annotations:\n    helm.sh/hook: post-install\ndata:\n  created: by-a-hook\n")], tier="cluster"),
    Mutant("cluster-frontend-liveness-tcp", "the frontend's liveness probe only opens a TCP connection, which a hung nginx still accepts",
           ["cluster/probes.feature::a hung <component> leaves the endpoints, is restarted and recovers[frontend]"],
           [replace(f"{T}/frontend-deployment.yaml", "livenessProbe:\n            httpGet:\n              path: /health.html\n              port: http",
                    "livenessProbe:\n            tcpSocket:\n              port: http")], tier="cluster"),
    Mutant("cluster-backend-liveness-tcp", "the backend's liveness probe only opens a TCP connection, which a hung process still accepts",
           ["cluster/probes.feature::a hung <component> leaves the endpoints, is restarted and recovers[backend]"],
           [replace(f"{T}/backend-deployment.yaml", "livenessProbe:\n            httpGet:\n              path: /livez\n              port: http",
                    "livenessProbe:\n            tcpSocket:\n              port: http")], tier="cluster"),
    # The page in a browser: each defect passes the HTTP checks (spared) and only a person at the page sees it. One
    # cluster mutant fails every browser scenario of V-5 (the page never runs); the others, in the image tier, each
    # fail the scenario of its own defect (a cluster mutant costs about a minute, an image one about 20 s).
    Mutant("page-csp-blocks-script", "the Content-Security-Policy forbids every script, the app's own too: the page never runs",
           [PAGE + PAGE_LOADS, *(PAGE_V5 + title for title in PAGE_V5_TITLES)],
           [replace(NGINX, "default-src 'self'; object-src", "default-src 'self'; script-src 'none'; object-src")],
           tier="cluster", spares=HTTP_CHECKS),
    Mutant("page-lists-wrong-path", "the page asks for its list at /api/todo, which the API answers 404",
           [PAGE + PAGE_LOADS, PAGE + "a reload keeps the list"],
           [replace(API_JS, 'request("GET", `/todos?limit=', 'request("GET", `/todo?limit=')], tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-throws-on-load", "the page's script looks its form up by a wrong id and throws on load: the form does nothing",
           [PAGE + PAGE_LOADS, PAGE + "a todo added with the page's form is listed, and the API holds it"],
           [replace(MAIN_JS, 'document.getElementById("todo-form")', 'document.getElementById("todo-from")')],
           tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-tick-undoes", "ticking a todo on the page sends the opposite of what the checkbox shows",
           [PAGE + "a todo ticked on the page shows as done, and the API holds it done"],
           [replace(MAIN_JS, "updateTodo(todo.id, { done: checkbox.checked })", "updateTodo(todo.id, { done: !checkbox.checked })")],
           tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-delete-wrong-path", "the page's Delete button asks the API to delete /api/todo/ID, which it answers 404",
           [PAGE + "a todo deleted with its button leaves the page and the API"],
           [replace(API_JS, 'request("DELETE", `/todos/', 'request("DELETE", `/todo/')], tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-chat-leaves-list-stale", "after the chat answers, the page does not reload the list the chat changed",
           [PAGE + "a chat message sent on the page is answered and the list shows what it added"],
           [replace(MAIN_JS, "    // The chat may have added, completed or deleted todos: show the list as the backend now has it.\n    await refreshTodos();\n", "")],
           tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("page-too-wide-for-a-phone", "the page's columns are at least 560 px wide: a phone scrolls sideways to reach them",
           [PAGE + "the page is usable at a phone's width"],
           [replace("images/frontend/src/style.css", "minmax(300px, 1fr)", "minmax(560px, 1fr)")], tier="image", spares=IMAGE_HTTP_CHECKS),
    Mutant("cluster-network-policy-off", "the chart renders no NetworkPolicy by default: any pod of the namespace reaches the backend",
           ["cluster/network_policy_enforced.feature::a pod outside the release gets no answer from the backend Service, while the "
            "frontend and the named client do"],
           [replace(f"{CHART}/values.yaml", "networkPolicyEnabled: true", "networkPolicyEnabled: false")], tier="cluster"),
]
