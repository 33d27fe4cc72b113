"""The chart's mutants, FR-005 to FR-012 and its NetworkPolicies: static checks of the chart (FR-010's last three run the backend image)."""

from __future__ import annotations

from acceptance.core.names import COMPONENTS
from tests.mutants.catalog.features import (
    FR005_CHART,
    FR006_FLAT_VALUES,
    FR007_VALUES_SCHEMA,
    FR008_RESOURCES_PROBES,
    FR009_CONFIGMAP,
    FR010_SECRETS,
    FR011_ROLLING_UPDATE,
    FR012_PERSISTENCE,
    FR013_SCRIPTS,
    KUBE_SCORE,
    NETWORK_POLICY,
)
from tests.mutants.catalog.mutant import Mutant, append, delete, key, replace, schema
from tests.mutants.catalog.paths import BACKEND_DOCKERFILE, CHART, T

WRONG_VALUES = ('type-backend replica count-"three"', "negative count-frontend replica count--1", "unknown key-key the chart does not have-3",
                'storage quantity-storage size-"5 gigs"', 'service type-frontend Service type-"Foo"',
                'pull policy-image pull policy-"Sometimes"', 'boolean-persistence switch-"yes"', "port number-backend Service port-70000",
                'plain-http OpenAI URL-OpenAI base URL-"http://api.example.com/v1"')


def _accept_anything(document: dict) -> None:
    for name in ("properties", "required", "additionalProperties"):
        document.pop(name, None)


def _openai_any_http(document: dict) -> None:
    document["properties"]["openaiBaseUrl"]["pattern"] = "^$|^https?://[^\\s]+$"


def _anonymous_replica_rule(document: dict) -> None:
    """The backend replica count's type checked by a rule at the root, whose error names no key ("at '': 'not' failed")."""
    del document["properties"]["backendReplicaCount"]["type"]
    document["not"] = {"required": ["backendReplicaCount"], "properties": {"backendReplicaCount": {"not": {"type": "integer"}}}}


def _open_root(document: dict) -> None:
    document["additionalProperties"] = True


# A third component that owns the data claim (another team's database pod), appended to the claim's template.
STORE_STATEFULSET = """
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}-store
  labels:
    {{- include "todo-chatbot.labels" (dict "context" . "component" "store") | nindent 4 }}
spec:
  serviceName: {{ .Release.Name }}-store
  selector:
    matchLabels:
      {{- include "todo-chatbot.selectorLabels" (dict "context" . "component" "store") | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "todo-chatbot.selectorLabels" (dict "context" . "component" "store") | nindent 8 }}
    spec:
      containers:
        - name: store
          image: "{{ .Values.backendImageRepository }}:{{ .Values.backendImageTag }}"
          volumeMounts:
            - name: data
              mountPath: /var/lib/store
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: {{ include "todo-chatbot.claimName" . }}
"""

MUTANTS = [
    # FR-005 chart
    Mutant("chart-version-not-semver", "Chart.yaml says version 1.0, which is not SemVer",
           [key(FR005_CHART, "the chart is named and versioned")], [replace(f"{CHART}/Chart.yaml", r"^version: .*$", "version: '1.0'", regex=True)],
           differs=[key(FR005_CHART, "the chart is at the seed's version")]),
    Mutant("chart-other-version", "Chart.yaml says 0.1.0: SemVer, not the seed's 1.0.0",
           [], [replace(f"{CHART}/Chart.yaml", r"^version: .*$", "version: 0.1.0", regex=True)],
           differs=[key(FR005_CHART, "the chart is at the seed's version")], spares=[key(FR005_CHART, "the chart is named and versioned")]),
    Mutant("chart-no-pvc-template", "the PVC template is missing",
           [key(FR005_CHART, "the chart holds every template the deployment needs")], [delete(f"{T}/backend-pvc.yaml")]),
    Mutant("chart-lint-error", "a template holds broken YAML",
           [key(FR005_CHART, "the chart passes helm lint in strict mode")], [append(f"{T}/configmap.yaml", "\n  broken: : [\n")]),
    Mutant("chart-no-secret", "the Secret template renders nothing",
           [key(FR005_CHART, "the chart renders every resource with default values")], [replace(f"{T}/secret.yaml", "{{- if not .Values.existingSecret }}", "{{- if false }}")]),
    Mutant("chart-no-chart-label", "resources lack the helm.sh/chart label",
           [key(FR005_CHART, "every resource carries the standard labels")], [replace(f"{T}/_helpers.tpl", "helm.sh/chart: ", "helm.sh/chart-name: ")]),
    Mutant("chart-frontend-nodeport", "the frontend Service is a NodePort: it routes to the app, not as the seed's LoadBalancer",
           [], [replace(f"{CHART}/values.yaml", "frontendServiceType: LoadBalancer", "frontendServiceType: NodePort")],
           differs=[key(FR005_CHART, "the <component> Service is the seed's <type> on port <port>", "frontend-LoadBalancer-80")],
           spares=[key(FR005_CHART, "the <component> Service routes to the app", "frontend")]),
    Mutant("chart-backend-port-8080", "the backend Service listens on 8080: it routes to the app, not on the seed's 8000",
           [], [replace(f"{CHART}/values.yaml", "backendServicePort: 8000", "backendServicePort: 8080")],
           differs=[key(FR005_CHART, "the <component> Service is the seed's <type> on port <port>", "backend-ClusterIP-8000")],
           spares=[key(FR005_CHART, "the <component> Service routes to the app", "backend")]),
    Mutant("chart-backend-service-to-nowhere", "the backend Service sends its port to 9000, which the container does not declare",
           [key(FR005_CHART, "the <component> Service routes to the app", "backend")],
           [replace(f"{T}/backend-service.yaml", "targetPort: http", "targetPort: 9000")]),
    Mutant("chart-frontend-service-selects-nothing", "the frontend Service selects the backend's pods",
           [key(FR005_CHART, "the <component> Service routes to the app", "frontend")],
           [replace(f"{T}/frontend-service.yaml", '(dict "context" . "component" "frontend") | nindent 4 }}\n  ports:', '(dict "context" . "component" "backend") | nindent 4 }}\n  ports:')]),
    Mutant("chart-notes-silent", "NOTES.txt does not say how to reach the app",
           [key(FR005_CHART, "NOTES.txt tells how to reach the app")],
           [replace(f"{T}/NOTES.txt", "minikube service", "open the service"), replace(f"{T}/NOTES.txt", "port-forward", "forward")]),
    # Exposure (beyond the seed): the app has no authentication, so the networks its LoadBalancer admits are its guard
    Mutant("chart-ignores-source-ranges", "frontendLoadBalancerSourceRanges is ignored: the LoadBalancer admits every client whatever it says",
           [key(FR005_CHART, "the frontend LoadBalancer admits only the configured source ranges")],
           [replace(f"{T}/frontend-service.yaml", "with .Values.frontendLoadBalancerSourceRanges", "with list")]),
    Mutant("chart-source-ranges-closed-by-default", "the frontend's LoadBalancer admits only 10.0.0.0/8 unasked: every client outside it is refused",
           [key(FR005_CHART, "the frontend LoadBalancer restricts no source range unless asked")],
           [replace(f"{CHART}/values.yaml", "frontendLoadBalancerSourceRanges: []", 'frontendLoadBalancerSourceRanges: ["10.0.0.0/8"]')]),
    # FR-006 values
    Mutant("values-nested", "values.yaml nests resources two levels deep",
           [key(FR006_FLAT_VALUES, "values.yaml is flat")], [append(f"{CHART}/values.yaml", "\n# resources -- nested resources\nresources:\n  frontend:\n    cpu: 100m\n")]),
    Mutant("values-undocumented", "values.yaml has no comments",
           [key(FR006_FLAT_VALUES, "every key in values.yaml is documented")], [replace(f"{CHART}/values.yaml", r"^\s*#.*\n", "", regex=True)]),
    # FR-007 schema
    Mutant("values-wrong-default-type", "a default value breaks the schema",
           [key(FR007_VALUES_SCHEMA, "the default values satisfy the schema")], [replace(f"{CHART}/values.yaml", "frontendReplicaCount: 1", 'frontendReplicaCount: "1"')]),
    Mutant("schema-open", "the schema accepts unknown keys",
           [key(FR007_VALUES_SCHEMA, "the schema closes every object to unknown keys"),
            key(FR007_VALUES_SCHEMA, "a wrong <problem> is rejected", "unknown key-key the chart does not have-3")], [schema(_open_root)]),
    Mutant("schema-openai-plain-http", "the schema lets the OpenAI base URL be plain http to any host (the key would travel in clear)",
           [key(FR007_VALUES_SCHEMA, "a wrong <problem> is rejected", 'plain-http OpenAI URL-OpenAI base URL-"http://api.example.com/v1"')],
           [schema(_openai_any_http)]),
    Mutant("schema-permissive", "the schema checks nothing",
           [key(FR007_VALUES_SCHEMA, "a wrong <problem> is rejected", example) for example in WRONG_VALUES] + [key(FR007_VALUES_SCHEMA, "strict lint rejects a wrong value too")],
           [schema(_accept_anything)]),
    Mutant("schema-error-names-nothing", "the schema refuses a backend replica count that is not a number, in an error that names no setting",
           [key(FR007_VALUES_SCHEMA, "a wrong <problem> is rejected", 'type-backend replica count-"three"'),
            key(FR007_VALUES_SCHEMA, "strict lint rejects a wrong value too")],
           [schema(_anonymous_replica_rule)],
           breaks='the error should name the backend replica count'),
    # FR-008 resources and probes
    Mutant("chart-backend-no-limits", "the backend container has no limits",
           [key(FR008_RESOURCES_PROBES, "the <component> container requests and limits its resources", "backend")],
           [replace(f"{T}/backend-deployment.yaml", r"^            limits:\n.*\n.*\n", "", regex=True)],
           differs=[key(FR008_RESOURCES_PROBES, "the <component> container's resources are the seed's", "backend-250m-256Mi-500m-512Mi")]),
    Mutant("chart-frontend-request-above-limit", "the frontend requests 300m CPU, above its 250m limit",
           [key(FR008_RESOURCES_PROBES, "the <component> container requests and limits its resources", "frontend")], [replace(f"{CHART}/values.yaml", "frontendCpuRequest: 100m", "frontendCpuRequest: 300m")],
           differs=[key(FR008_RESOURCES_PROBES, "the <component> container's resources are the seed's", "frontend-100m-128Mi-250m-256Mi")]),
    Mutant("chart-frontend-other-limit", "the frontend's CPU limit is 500m: bounded, not the seed's 250m",
           [], [replace(f"{CHART}/values.yaml", "frontendCpuLimit: 250m", "frontendCpuLimit: 500m")],
           differs=[key(FR008_RESOURCES_PROBES, "the <component> container's resources are the seed's", "frontend-100m-128Mi-250m-256Mi")], spares=[key(FR008_RESOURCES_PROBES, "the <component> container requests and limits its resources", "frontend")]),
    Mutant("chart-frontend-readiness-on-index", "the frontend's readiness probe asks /index.html, a page it serves: not the seed's /health.html",
           [], [replace(f"{T}/frontend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: )/health.html", r"\1/index.html", regex=True)],
           differs=[key(FR008_RESOURCES_PROBES, "the <component> container's readiness probe asks the seed's <path>", "frontend-/health.html")],
           spares=[key(FR008_RESOURCES_PROBES, "the <component> container is probed for liveness and readiness", "frontend")]),
    Mutant("chart-backend-readiness-tcp", "the backend's readiness probe opens a TCP connection: probed, but not on the seed's /health",
           [], [replace(f"{T}/backend-deployment.yaml", r"readinessProbe:\n(\s+)httpGet:\n\s+path: /health\n", r"readinessProbe:\n\1tcpSocket:\n", regex=True)],
           differs=[key(FR008_RESOURCES_PROBES, "the <component> container's readiness probe asks the seed's <path>", "backend-/health")],
           spares=[key(FR008_RESOURCES_PROBES, "the <component> container is probed for liveness and readiness", "backend")]),
    Mutant("chart-frontend-no-readiness", "the frontend has no readiness probe",
           [key(FR008_RESOURCES_PROBES, "the <component> container is probed for liveness and readiness", "frontend")],
           [replace(f"{T}/frontend-deployment.yaml", "readinessProbe:", "x-readinessProbe:")]),
    Mutant("chart-backend-no-liveness", "the backend has no liveness probe",
           [key(FR008_RESOURCES_PROBES, "the <component> container is probed for liveness and readiness", "backend")],
           [replace(f"{T}/backend-deployment.yaml", "livenessProbe:", "x-livenessProbe:")]),
    Mutant("chart-backend-readiness-wrong-port", "the backend's readiness probe asks a port the container does not declare",
           [key(FR008_RESOURCES_PROBES, "the <component> container is probed for liveness and readiness", "backend")],
           [replace(f"{T}/backend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: /health\n\s+port: )http", r"\g<1>9000", regex=True)]),
    Mutant("chart-backend-no-startup", "the backend has no startup probe",
           [key(FR008_RESOURCES_PROBES, "the backend has time to start before liveness counts")], [replace(f"{T}/backend-deployment.yaml", "startupProbe:", "x-startupProbe:")]),
    Mutant("chart-latest-tag", "the frontend runs the image tagged latest (kube-score container-image-tag)",
           [key(KUBE_SCORE, "kube-score reports no unwaived critical or warning finding on the default rendering")],
           [replace(f"{CHART}/values.yaml", 'frontendImageTag: "1.0.0"', 'frontendImageTag: "latest"')]),
    Mutant("chart-backend-no-ephemeral-request", "the backend requests no ephemeral storage, so the scheduler does not count its scratch "
           "space (a kube-score WARNING, no CRITICAL), and backendEphemeralStorageRequest does nothing",
           [key(KUBE_SCORE, "kube-score reports no unwaived critical or warning finding on the default rendering")],
           [replace(f"{T}/backend-deployment.yaml", "              ephemeral-storage: {{ .Values.backendEphemeralStorageRequest | quote }}\n", "")],
           breaks='it should report no "WARNING" finding that is not waived'),
    Mutant("stale-lint-waiver", "a lint waiver covers a finding that no longer exists",
           [key(KUBE_SCORE, "every lint waiver is still needed")],
           [append("lint-waivers.yaml", "- tool: kube-score\n  check: container-resources\n  subject: Deployment/todo-chatbot-backend\n"
                                        "  reason: Kept from an older chart that had no limits at all.\n")]),
    # FR-009 ConfigMap
    Mutant("chart-no-configmap-envfrom", "the backend does not read the ConfigMap",
           [key(FR009_CONFIGMAP, "the backend reads its configuration from the ConfigMap")],
           [replace(f"{T}/backend-deployment.yaml", r"^\s+- configMapRef:\n.*\n", "", regex=True)]),
    Mutant("chart-configmap-sets-nothing", "the backend reads the chart's ConfigMap, which sets nothing: every setting stays the image's default",
           [key(FR009_CONFIGMAP, "the backend reads its configuration from the ConfigMap")],
           [replace(f"{T}/configmap.yaml", "\ndata:\n", "\ndata: {}\n{{- if false }}\n"), append(f"{T}/configmap.yaml", "{{- end }}\n")],
           breaks='the ConfigMap should set at least one setting the backend takes'),
    Mutant("chart-hardcoded-log-level", "LOG_LEVEL ignores the values",
           [key(FR009_CONFIGMAP, "the values reach the ConfigMap")], [replace(f"{T}/configmap.yaml", "LOG_LEVEL: {{ .Values.logLevel | quote }}", 'LOG_LEVEL: "INFO"')]),
    Mutant("chart-no-checksums", "pod templates carry no checksum, so a config change rolls nothing",
           [key(FR009_CONFIGMAP, "a configuration change rolls the backend pods")],
           [replace(f"{T}/backend-deployment.yaml", '{{- include "todo-chatbot.checksumAnnotations" . | nindent 8 }}', "{}")]),
    # FR-010 secrets
    Mutant("chart-secret-in-configmap", "the OpenAI key is copied into the ConfigMap",
           [key(FR010_SECRETS, "the Secret carries every credential and the ConfigMap none")],
           [replace(f"{T}/configmap.yaml", '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n', '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n  OPENAI_API_KEY: {{ .Values.openaiApiKey | quote }}\n')]),
    # Another team's credential names, which its profile says: the requirement met, the seed's names not.
    Mutant("another-credential-name", "the Neon credential is called NEON_DB_URL (chart, env example and profile): not the seed's NEON_API_KEY",
           [], [replace(f"{T}/secret.yaml", "  NEON_API_KEY:", "  NEON_DB_URL:"), replace(".env.example", "NEON_API_KEY", "NEON_DB_URL"),
                replace("profiles/reference.yaml", "NEON_API_KEY: neonApiKey", "NEON_DB_URL: neonApiKey")],
           differs=[key(FR010_SECRETS, "the credentials carry the seed's names DATABASE_URL, OPENAI_API_KEY and NEON_API_KEY"),
                    key(FR013_SCRIPTS, ".env.example lists the seed's DATABASE_URL, OPENAI_API_KEY and NEON_API_KEY")],
           spares=[key(FR010_SECRETS, "the Secret carries every credential and the ConfigMap none"), key(FR013_SCRIPTS, ".env.example lists every credential")]),
    Mutant("chart-secret-drops-a-credential", "the chart takes a Neon key (neonApiKey) and its Secret drops it: the value does nothing",
           [key(FR010_SECRETS, "the Secret carries every credential and the ConfigMap none")],
           [replace(f"{T}/secret.yaml", "  NEON_API_KEY: {{ .Values.neonApiKey | b64enc | quote }}\n", "")],
           breaks="the backend should take every credential the chart takes from the chart's Secret"),
    Mutant("chart-backend-skips-secret", "the chart renders its Secret, and the backend's environment does not take it",
           [key(FR010_SECRETS, "the Secret carries every credential and the ConfigMap none")],
           [replace(f"{T}/backend-deployment.yaml", '            - secretRef:\n                name: {{ include "todo-chatbot.secretName" . }}\n', "")],
           breaks="the backend should take every credential the chart takes from the chart's Secret"),
    Mutant("chart-backend-reads-own-secret-beside-existing", "with an existing Secret named the chart renders none, yet the backend reads the chart's own",
           [key(FR010_SECRETS, "an existing Secret replaces the chart's own")],
           [replace(f"{T}/_helpers.tpl", "{{- if .Values.existingSecret }}\n{{- .Values.existingSecret }}", "{{- if false }}\n")],
           breaks='should take its environment from the Secret "team-credentials"'),
    Mutant("chart-ignores-existing-secret", "the chart renders and uses its own Secret even when existingSecret is set",
           [key(FR010_SECRETS, "an existing Secret replaces the chart's own")],
           [replace(f"{T}/secret.yaml", "{{- if not .Values.existingSecret }}", "{{- if true }}"),
            replace(f"{T}/_helpers.tpl", ".Values.existingSecret", "false")]),
    Mutant("values-real-looking-key", "values.yaml ships a real-looking API key",
           [key(FR010_SECRETS, "the default values hold no real-looking credential")],
           [replace(f"{CHART}/values.yaml", 'openaiApiKey: ""', 'openaiApiKey: "sk-proj-4fQ9zXk2LmP8vR7tY3wB6nJ1"')]),
    Mutant("backend-key-baked-in", "the backend image bakes an API key into its environment",
           [key(FR010_SECRETS, "the backend image carries no credential")],
           [replace(BACKEND_DOCKERFILE, "USER 1001", "ENV OPENAI_API_KEY=sk-live-9aB3cD5eF7gH1jK3mN5p\nUSER 1001")], tier="image"),
    Mutant("backend-logs-secrets", "the backend logs its configuration unmasked",
           [key(FR010_SECRETS, "the backend never logs or returns a credential")],
           [replace("images/backend/app/main.py", "settings.masked().items()", "vars(settings).items()")], tier="image"),
    Mutant("backend-database-url-query-shown", "the backend masks a database URL's password but logs its query, where hosted databases put tokens",
           [key(FR010_SECRETS, "the backend never logs or returns a credential")],
           [replace("images/backend/app/config.py", 'return shown + ("?" + "&".join(f"{key}=***" for key in parsed.query) if parsed.query else "")',
                    "return parsed.render_as_string(hide_password=True)")], tier="image"),
    # FR-011 rolling updates
    Mutant("chart-backend-recreate", "the backend Deployment uses Recreate",
           [key(FR011_ROLLING_UPDATE, "the <component> Deployment is configured for rolling updates", "backend")],
           [replace(f"{T}/backend-deployment.yaml", r"    type: RollingUpdate\n    rollingUpdate:\n.*\n.*\n", "    type: Recreate\n", regex=True)],
           differs=[key(FR011_ROLLING_UPDATE, "the <component> Deployment rolls with the seed's maxSurge 1 and maxUnavailable 1", "backend")]),
    Mutant("chart-frontend-rolls-nothing", "the frontend surges none and makes none unavailable: no pod can be replaced",
           [key(FR011_ROLLING_UPDATE, "the <component> Deployment is configured for rolling updates", "frontend")],
           [replace(f"{T}/frontend-deployment.yaml", "maxSurge: {{ .Values.rollingMaxSurge }}", "maxSurge: 0"),
            replace(f"{T}/frontend-deployment.yaml", "maxUnavailable: {{ .Values.rollingMaxUnavailable }}", "maxUnavailable: 0")],
           differs=[key(FR011_ROLLING_UPDATE, "the <component> Deployment rolls with the seed's maxSurge 1 and maxUnavailable 1", "frontend")]),
    Mutant("chart-frontend-surge-2", "the frontend surges two pods at a time: rolling, not the seed's one",
           [], [replace(f"{T}/frontend-deployment.yaml", "maxSurge: {{ .Values.rollingMaxSurge }}", "maxSurge: 2")],
           differs=[key(FR011_ROLLING_UPDATE, "the <component> Deployment rolls with the seed's maxSurge 1 and maxUnavailable 1", "frontend")], spares=[key(FR011_ROLLING_UPDATE, "the <component> Deployment is configured for rolling updates", "frontend")]),
    # FR-012 persistence
    Mutant("chart-backend-claim-unmounted", "the backend container does not mount the data claim",
           [key(FR012_PERSISTENCE, "the backend's data lives on a 5Gi claim")],
           [replace(f"{T}/backend-deployment.yaml", "            - name: data\n              mountPath: /app/data\n", "")],
           differs=[key(FR012_PERSISTENCE, "the backend mounts its data claim at the seed's /app/data")]),
    Mutant("chart-backend-data-elsewhere", "the backend mounts its data claim at /var/lib/todo: mounted, not at the seed's /app/data",
           [], [replace(f"{T}/backend-deployment.yaml", "              mountPath: /app/data\n", "              mountPath: /var/lib/todo\n")],
           differs=[key(FR012_PERSISTENCE, "the backend mounts its data claim at the seed's /app/data")],
           spares=[key(FR012_PERSISTENCE, "the backend's data lives on a 5Gi claim")]),
    Mutant("chart-claim-owned-by-a-store", "a third component, a store StatefulSet, owns the data claim, which the backend no "
           "longer mounts (chart and profile: claim_owner store): the claim's owner mounts it, not the seed's backend",
           [], [replace(f"{T}/backend-deployment.yaml", "            - name: data\n              mountPath: /app/data\n", ""),
                append(f"{T}/backend-pvc.yaml", STORE_STATEFULSET),
                replace("profiles/reference.yaml", "claim_owner: backend", "claim_owner: store"),
                replace("profiles/reference.yaml", "  backend: {label: backend, container: null}\n",
                        "  backend: {label: backend, container: null}\n  store: {label: store, container: null}\n")],
           differs=[key(FR012_PERSISTENCE, "the backend mounts its data claim at the seed's /app/data")],
           spares=[key(FR012_PERSISTENCE, "the backend's data lives on a 5Gi claim"), key(FR012_PERSISTENCE, "an existing claim replaces the chart's own")]),
    Mutant("chart-pvc-1gi", "the data claim is 1Gi",
           [key(FR012_PERSISTENCE, "the backend's data lives on a 5Gi claim")], [replace(f"{CHART}/values.yaml", "persistenceSize: 5Gi", "persistenceSize: 1Gi")]),
    Mutant("chart-ignores-storage-class", "the storage class value is ignored",
           [key(FR012_PERSISTENCE, "the storage class is configurable")], [replace(f"{T}/backend-pvc.yaml", 'storageClassName: {{ .Values.persistenceStorageClass | quote }}', 'storageClassName: "standard"')]),
    Mutant("chart-ignores-existing-claim", "the chart always renders and mounts its own claim",
           [key(FR012_PERSISTENCE, "an existing claim replaces the chart's own")],
           [replace(f"{T}/backend-pvc.yaml", "(not .Values.persistenceExistingClaim)", "true"),
            replace(f"{T}/_helpers.tpl", ".Values.persistenceExistingClaim", "false")]),
    # Each breaks the scenario's later promise, the earlier ones kept: the chart's own claim is not rendered, and the
    # backend still mounts it instead of the one named.
    Mutant("chart-mounts-own-claim-beside-existing", "with an existing claim named the chart renders no claim, yet the backend mounts the chart's own",
           [key(FR012_PERSISTENCE, "an existing claim replaces the chart's own")],
           [replace(f"{T}/_helpers.tpl", "{{- if .Values.persistenceExistingClaim }}\n{{- .Values.persistenceExistingClaim }}", "{{- if false }}\n")],
           breaks='the data claim\'s owner should mount the claim "todo-data"'),
    # NetworkPolicy (beyond the seed)
    Mutant("chart-network-policy-off", "no NetworkPolicy by default: every pod in the cluster reaches the backend",
           [key(NETWORK_POLICY, "a NetworkPolicy isolates the <component> pods by default", component) for component in COMPONENTS]
           + [key(KUBE_SCORE, "kube-score reports no unwaived critical or warning finding on the default rendering")],
           [replace(f"{CHART}/values.yaml", "networkPolicyEnabled: true", "networkPolicyEnabled: false")]),
    Mutant("chart-backend-admits-every-pod", "the backend's policy admits every pod of the namespace (an empty podSelector), not the frontend's",
           [key(NETWORK_POLICY, "the backend admits only the release's frontend pods, on its port")],
           [replace(f"{T}/backend-networkpolicy.yaml", r"^        - podSelector:\n            matchLabels:\n.*\"frontend\".*\n", "        - podSelector: {}\n", regex=True)]),
    Mutant("chart-backend-egress-anywhere", "the backend may open any connection to any address",
           [key(NETWORK_POLICY, "the backend reaches out only to DNS, and to the database and OpenAI ports")],
           [replace(f"{T}/backend-networkpolicy.yaml", "  egress:\n", "  egress:\n    - {}\n")]),
    Mutant("chart-ignores-egress-cidrs", "the backend's database and OpenAI egress goes to any address whatever networkPolicyBackendEgressCidrs says",
           [key(NETWORK_POLICY, "the database and OpenAI egress narrows to the configured addresses")],
           [replace(f"{T}/backend-networkpolicy.yaml", "range .Values.networkPolicyBackendEgressCidrs", 'range list "0.0.0.0/0" "::/0"')]),
    Mutant("chart-empty-egress-ports-open-all", "an empty networkPolicyBackendEgressPorts renders a rule with no ports, which opens every port",
           [key(NETWORK_POLICY, "with no egress ports the backend reaches out to DNS only")],
           [replace(f"{T}/backend-networkpolicy.yaml", "if and .Values.networkPolicyBackendEgressCidrs .Values.networkPolicyBackendEgressPorts", "if .Values.networkPolicyBackendEgressCidrs")]),
    Mutant("chart-ignores-backend-clients", "networkPolicyBackendClients is ignored: the pods it names cannot call the backend",
           [key(NETWORK_POLICY, "the pods the backend's allowed clients name may call the backend too")],
           [replace(f"{T}/backend-networkpolicy.yaml", "with .Values.networkPolicyBackendClients", "with dict")]),
    Mutant("chart-frontend-namespace-only", "the frontend admits only pods of its namespace, so the public entry is closed to outside clients",
           [key(NETWORK_POLICY, "the frontend admits anyone on its port")],
           [replace(f"{T}/frontend-networkpolicy.yaml", "  ingress:\n    - ports:\n", "  ingress:\n    - from:\n        - podSelector: {}\n      ports:\n")]),
    Mutant("chart-frontend-egress-anywhere", "the frontend may open any connection to any address",
           [key(NETWORK_POLICY, "the frontend reaches out only to DNS and to the backend's port")],
           [replace(f"{T}/frontend-networkpolicy.yaml", "  egress:\n", "  egress:\n    - {}\n")]),
    Mutant("chart-network-policy-always", "the NetworkPolicies are rendered even with networkPolicyEnabled false",
           [key(NETWORK_POLICY, "no NetworkPolicy is rendered when the network policy switch is off")],
           [replace(f"{T}/{component}-networkpolicy.yaml", "if .Values.networkPolicyEnabled", "if true") for component in COMPONENTS]),
]
