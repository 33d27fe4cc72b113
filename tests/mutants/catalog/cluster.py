"""The cluster tier's mutants: each defect shows only on a running cluster."""

from __future__ import annotations

from acceptance.core.names import COMPONENTS
from tests.mutants.catalog.features import (
                                            CHART_VERSION_UPGRADE,
                                            FR002_NON_ROOT,
                                            FR009_CONFIG_ROLLOUT,
                                            NETWORK_POLICY_ENFORCED,
                                            POD_SECURITY,
                                            PROBES,
                                            RELEASE_LIFECYCLE,
                                            ROLLING_UPGRADE,
                                            SMOKE,
                                            V1_PODS_READY,
                                            V2_SERVICES,
                                            V3_PVC,
                                            V4_HEALTH,
                                            V5_APP_WORKS,
                                            V6_SELF_HEALING,
                                            V7_PERSISTENCE,
)
from tests.mutants.catalog.mutant import Mutant, append, key, replace
from tests.mutants.catalog.paths import BACKEND_DOCKERFILE, CHART, NGINX, T

MUTANTS = [
    # Cluster tier: each defect shows only on a running cluster
    Mutant("cluster-wrong-readiness-path", "the backend's readiness probe asks a path that does not exist, so it never turns Ready",
           [key(SMOKE, "the reference chart installs and serves")],
           [replace(f"{T}/backend-deployment.yaml", r"(readinessProbe:\n\s+httpGet:\n\s+path: )/health", r"\1/ready", regex=True)], tier="cluster"),
    Mutant("cluster-slow-recovery", "a new pod takes over a minute to turn Ready, past the recovery budget",
           [key(V6_SELF_HEALING, "a deleted <component> pod is replaced and Ready again", name) for name in COMPONENTS],
           [replace(f"{CHART}/values.yaml", "backendReadinessInitialDelaySeconds: 0", "backendReadinessInitialDelaySeconds: 65"),
            replace(f"{CHART}/values.yaml", "frontendReadinessInitialDelaySeconds: 2", "frontendReadinessInitialDelaySeconds: 65")], tier="cluster"),
    Mutant("cluster-selector-holds-chart-version", "the selector labels hold helm.sh/chart (the chart's version): every install works, "
           "and no release of an earlier version can be upgraded (a Deployment's selector is immutable)",
           [key(CHART_VERSION_UPGRADE, "an upgrade from an earlier chart version loses no request and no todo"),
            key(CHART_VERSION_UPGRADE, "a rollback to the earlier chart version loses no request and no todo")],
           [replace(f"{T}/_helpers.tpl", 'helm.sh/chart: {{ include "todo-chatbot.chart" .context }}\n{{ include "todo-chatbot.selectorLabels" . }}',
                    '{{ include "todo-chatbot.selectorLabels" . }}'),
            replace(f"{T}/_helpers.tpl", "app.kubernetes.io/component: {{ .component }}\n{{- end }}",
                    'app.kubernetes.io/component: {{ .component }}\nhelm.sh/chart: {{ include "todo-chatbot.chart" .context }}\n{{- end }}')],
           tier="cluster"),
    Mutant("cluster-pvc-6gi", "the data claim asks 6Gi: more than the seed's 5Gi, which an 'at least' check let pass",
           [key(V3_PVC, "the data claim is Bound at 5Gi and mounted writable in its owner's pod")],
           [replace(f"{CHART}/values.yaml", "persistenceSize: 5Gi", "persistenceSize: 6Gi")], tier="cluster"),
    Mutant("cluster-pvc-as-emptydir", "the backend mounts an emptyDir instead of its claim",
           [key(V3_PVC, "the data claim is Bound at 5Gi and mounted writable in its owner's pod"), key(V7_PERSISTENCE, "todos survive the backend pod's deletion"),
            key(V7_PERSISTENCE, "todos survive a helm upgrade")],
           [replace(f"{T}/backend-deployment.yaml", 'persistentVolumeClaim:\n            claimName: {{ include "todo-chatbot.claimName" . }}', "emptyDir: {}")],
           tier="cluster"),
    Mutant("cluster-claim-class-missing", "the claim asks for the cloud's StorageClass gp2, which the cluster does not have: it is never Bound",
           [key(SMOKE, "the reference chart installs and serves"), key(V3_PVC, "the data claim is Bound at 5Gi and mounted writable in its owner's pod")],
           [replace(f"{CHART}/values.yaml", 'persistenceStorageClass: ""', 'persistenceStorageClass: "gp2"')], tier="cluster",
           breaks="the data claim should be Bound"),
    Mutant("cluster-zero-replicas", "the backend runs zero replicas",
           [key(V1_PODS_READY, "every pod of the release is Running and Ready")],
           [replace(f"{CHART}/values.yaml", "backendReplicaCount: 1", "backendReplicaCount: 0")], tier="cluster"),
    Mutant("cluster-frontend-two-replicas", "two frontend replicas: not the seed's one, every requirement met",
           [], [replace(f"{CHART}/values.yaml", "frontendReplicaCount: 1", "frontendReplicaCount: 2")],
           tier="cluster", differs=[key(V1_PODS_READY, "each component runs the seed's 1 replica")],
           spares=[key(V1_PODS_READY, "every pod of the release is Running and Ready")]),
    Mutant("cluster-wrong-service-port", "the backend Service sends traffic to a port nothing listens on",
           [key(V4_HEALTH, "the <component>'s readiness path answers through its Service", "backend"), key(V4_HEALTH, "the frontend reaches the backend inside the cluster"),
            key(SMOKE, "the reference chart installs and serves")],
           [replace(f"{T}/backend-service.yaml", "targetPort: http", "targetPort: 8080")], tier="cluster"),
    Mutant("cluster-recreate", "both Deployments use Recreate, so an upgrade takes the app down",
           [key(ROLLING_UPGRADE, "an upgrade with a changed configuration loses no request")],
           [replace(f"{T}/{name}-deployment.yaml", r"    type: RollingUpdate\n    rollingUpdate:\n.*\n.*\n", "    type: Recreate\n", regex=True)
            for name in COMPONENTS], tier="cluster"),
    # Another team's design, the requirements met: its backend user is UID 1000 (image and pod), its data lives at
    # /var/lib/todo (its profile says so: database.url), its frontend Service is a NodePort and its backend Service listens on 8080. Each value differs from
    # the seed's design; nothing fails.
    Mutant("cluster-another-design", "UID 1000, the data claim at /var/lib/todo, a NodePort frontend and the backend on 8080: not the seed's design, "
           "every requirement met",
           [], [replace(BACKEND_DOCKERFILE, "1001", "1000"), replace(f"{CHART}/values.yaml", r"^(backend(RunAsUser|RunAsGroup|FsGroup)): 1001$", r"\1: 1000", regex=True),
                replace(f"{CHART}/values.yaml", "frontendServiceType: LoadBalancer", "frontendServiceType: NodePort"),
                replace(f"{CHART}/values.yaml", "backendServicePort: 8000", "backendServicePort: 8080"),
                replace(f"{T}/backend-deployment.yaml", "              mountPath: /app/data\n", "              mountPath: /var/lib/todo\n"),
                replace(f"{T}/_helpers.tpl", 'default "sqlite:////app/data/todo.db"', 'default "sqlite:////var/lib/todo/todo.db"'),
                replace("profiles/reference.yaml", "sqlite:///file:/app/data/todo.db", "sqlite:///file:/var/lib/todo/todo.db")],
           tier="cluster",
           differs=[key(FR002_NON_ROOT, "the backend image runs as the seed's user app, UID 1001"), key(V1_PODS_READY, "the backend pod runs as the seed's UID 1001"),
                    key(V3_PVC, "the backend pod mounts the data claim at the seed's /app/data"),
                    key(V2_SERVICES, "the <service> Service is the seed's <type> on port <port>", "frontend-LoadBalancer-80"),
                    key(V2_SERVICES, "the <service> Service is the seed's <type> on port <port>", "backend-ClusterIP-8000")],
           spares=[key(FR002_NON_ROOT, "the <component> image's processes run as a non-root user", "backend"),
                   key(V1_PODS_READY, "the <component> pod's processes run as a non-root user", "backend"),
                   key(V1_PODS_READY, "every pod of the release is Running and Ready"),
                   key(V1_PODS_READY, "no credential appears in the ConfigMap, the logs or the environment listing"),
                   key(V2_SERVICES, "the <service> Service has a ready endpoint", "frontend"), key(V2_SERVICES, "the <service> Service has a ready endpoint", "backend"),
                   key(V3_PVC, "the data claim is Bound at 5Gi and mounted writable in its owner's pod"),
                   key(V7_PERSISTENCE, "todos survive the backend pod's deletion"),
                   key(V7_PERSISTENCE, "a todo lands in the database file the backend is configured with, on the claim")]),
    Mutant("cluster-run-as-root", "the pods run as user 0",
           [key(V1_PODS_READY, "the <component> pod's processes run as a non-root user", "backend"),
            key(V1_PODS_READY, "the <component> pod's processes run as a non-root user", "frontend"),
            key(POD_SECURITY, 'the release runs in a namespace that enforces "restricted"')],
           [replace(f"{T}/{name}-deployment.yaml", f"runAsUser: {{{{ .Values.{name}RunAsUser }}}}", "runAsUser: 0") for name in COMPONENTS] + [
            replace(f"{T}/{name}-deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false") for name in COMPONENTS] + [
            replace(f"{T}/_helpers.tpl", "runAsNonRoot: true", "runAsNonRoot: false")], tier="cluster"),
    Mutant("cluster-backend-runs-as-root", "the backend pod runs as user 0 (the frontend stays non-root): every pod is Ready",
           [key(V1_PODS_READY, "the <component> pod's processes run as a non-root user", "backend")],
           [replace(f"{T}/backend-deployment.yaml", "        runAsNonRoot: true\n        runAsUser: {{ .Values.backendRunAsUser }}",
                    "        runAsNonRoot: false\n        runAsUser: 0"),
            replace(f"{T}/_helpers.tpl", "runAsNonRoot: true\n", "")], tier="cluster",
           spares=[key(V1_PODS_READY, "the <component> pod's processes run as a non-root user", "frontend")],
           breaks="should print a non-root user ID"),
    Mutant("cluster-database-on-tmp", "the default DATABASE_URL puts the SQLite file under /tmp, an emptyDir, not the claim",
           [key(V7_PERSISTENCE, "a todo lands in the database file the backend is configured with, on the claim"),
            key(ROLLING_UPGRADE, "an upgrade with a changed configuration loses no request")],  # each replica writes its own file, lost with its pod
           [replace(f"{T}/_helpers.tpl", 'default "sqlite:////app/data/todo.db"', 'default "sqlite:////tmp/todo.db"')], tier="cluster"),
    Mutant("cluster-lb-refuses-outside", "the frontend's LoadBalancer admits no outside client (a port-forward to its pod still answers)",
           [key(V4_HEALTH, "the <component>'s readiness path answers through its Service", "frontend"),
            key(V5_APP_WORKS, "a todo created through the frontend is listed")],
           [replace(f"{T}/frontend-service.yaml", "  type: {{ .Values.frontendServiceType }}\n",
                    "  type: {{ .Values.frontendServiceType }}\n  loadBalancerSourceRanges: [\"192.0.2.1/32\"]\n")], tier="cluster"),
    Mutant("cluster-upgrade-rolls-nothing", "no checksum annotation: an upgrade that changes the configuration replaces no pod",
           [key(FR009_CONFIG_ROLLOUT, "a changed log level replaces the backend pods, which run with the new value"),
            key(V7_PERSISTENCE, "todos survive a helm upgrade"), key(ROLLING_UPGRADE, "an upgrade with a changed configuration loses no request")],
           [replace(f"{T}/{name}-deployment.yaml", '{{- include "todo-chatbot.checksumAnnotations" . | nindent 8 }}', "")
            for name in COMPONENTS], tier="cluster"),
    Mutant("cluster-log-level-pinned", "the backend container pins LOG_LEVEL, shadowing the ConfigMap's value",
           [key(FR009_CONFIG_ROLLOUT, "a changed log level replaces the backend pods, which run with the new value")],
           [replace(f"{T}/backend-deployment.yaml", "          envFrom:\n", "          env:\n            - name: LOG_LEVEL\n              value: INFO\n          envFrom:\n")],
           tier="cluster"),
    Mutant("cluster-services-select-nothing", "both Services select a label no pod carries: no endpoint",
           [key(V2_SERVICES, "the <service> Service has a ready endpoint", name) for name in COMPONENTS],
           [replace(f"{T}/{name}-service.yaml", f'(dict "context" . "component" "{name}") | nindent 4 }}}}\n  ports:',
                    f'(dict "context" . "component" "{name}-none") | nindent 4 }}}}\n  ports:') for name in COMPONENTS], tier="cluster"),
    Mutant("cluster-pods-drift", "the pods run without CPU and memory limits, and the API key lands in the ConfigMap",
           [key(V1_PODS_READY, "the <component> pod runs with its limits and probes in force", "frontend"),
            key(V1_PODS_READY, "the <component> pod runs with its limits and probes in force", "backend"),
            key(V1_PODS_READY, "no credential appears in the ConfigMap, the logs or the environment listing")],
           [replace(f"{T}/{name}-deployment.yaml", rf"              cpu: {{{{ .Values.{name}CpuLimit \| quote }}}}\n              memory: {{{{ .Values.{name}MemoryLimit \| quote }}}}\n", "", regex=True)
            for name in COMPONENTS] + [
            replace(f"{T}/configmap.yaml", '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n',
                    '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n  OPENAI_API_KEY: {{ .Values.openaiApiKey | quote }}\n')], tier="cluster"),
    Mutant("cluster-api-read-only", "nginx passes only GET and POST to the API and answers the chat with 404",
           [key(V5_APP_WORKS, "a todo completed through the frontend is done"),
            key(V5_APP_WORKS, "a todo deleted through the frontend leaves the list"),
            key(V5_APP_WORKS, "a chat message changes the todo list")],
           [replace(NGINX, "        location /api/ {\n",
                    "        location = /api/chat {\n            return 404;\n        }\n\n        location /api/ {\n"
                    "            limit_except GET POST {\n                deny all;\n            }\n")], tier="cluster"),
    Mutant("cluster-lifecycle-leftovers", "the install notes lose the minikube hint, and a hook ConfigMap outlives the uninstall",
           [key(RELEASE_LIFECYCLE, "the install prints the access notes"),
            key(RELEASE_LIFECYCLE, "uninstalling leaves nothing of the release behind")],
           [replace(f"{T}/NOTES.txt", "minikube service", "minikube dashboard"),
            append(f"{T}/configmap.yaml", "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"todo-chatbot.fullname\" . }}-hook\n"
                   "  labels:\n    {{- include \"todo-chatbot.labels\" (dict \"context\" . \"component\" \"backend\") | nindent 4 }}\n"
                   "  annotations:\n    helm.sh/hook: post-install\ndata:\n  created: by-a-hook\n")], tier="cluster"),
    Mutant("cluster-keeps-secret", "the chart marks its Secret helm.sh/resource-policy: keep, so the credentials outlive the uninstall",
           [key(RELEASE_LIFECYCLE, "uninstalling leaves nothing of the release behind")],
           [replace(f"{T}/secret.yaml", '"component" "backend") | nindent 4 }}\ntype: Opaque',
                    '"component" "backend") | nindent 4 }}\n  annotations:\n    helm.sh/resource-policy: keep\ntype: Opaque')], tier="cluster"),
    Mutant("cluster-frontend-liveness-tcp", "the frontend's liveness probe only opens a TCP connection, which a hung nginx still accepts",
           [key(PROBES, "a hung <component> leaves the endpoints, is restarted and recovers", "frontend")],
           [replace(f"{T}/frontend-deployment.yaml", "livenessProbe:\n            httpGet:\n              path: /health.html\n              port: http",
                    "livenessProbe:\n            tcpSocket:\n              port: http")], tier="cluster"),
    Mutant("cluster-backend-readiness-tcp", "the backend's readiness probe only opens a TCP connection, which a hung process still "
           "accepts: the Service sends it traffic until the liveness probe restarts it",
           [key(PROBES, "a hung <component> leaves the endpoints, is restarted and recovers", "backend")],
           [replace(f"{T}/backend-deployment.yaml", "readinessProbe:\n            httpGet:\n              path: /health\n              port: http",
                    "readinessProbe:\n            tcpSocket:\n              port: http")], tier="cluster",
           breaks="should drop the hung pod before the kubelet restarts it"),
    Mutant("cluster-frontend-fails-on-restart", "the frontend's entrypoint makes /tmp/nginx with mkdir, no -p: a fresh pod starts, "
           "and the container the kubelet restarts finds it there (the pod's /tmp outlives it) and exits, again and again",
           [key(PROBES, "a hung <component> leaves the endpoints, is restarted and recovers", "frontend")],
           [replace("images/frontend/docker-entrypoint.sh", 'if ! mkdir -p "$runtime_dir" 2>/dev/null', 'if ! mkdir "$runtime_dir" 2>/dev/null')],
           tier="cluster", breaks='Service should have a ready endpoint'),
    Mutant("cluster-backend-liveness-tcp", "the backend's liveness probe only opens a TCP connection, which a hung process still accepts",
           [key(PROBES, "a hung <component> leaves the endpoints, is restarted and recovers", "backend")],
           [replace(f"{T}/backend-deployment.yaml", "livenessProbe:\n            httpGet:\n              path: /livez\n              port: http",
                    "livenessProbe:\n            tcpSocket:\n              port: http")], tier="cluster"),
]

# The backend NetworkPolicy's ingress sources: the release's frontend, and the clients the values name.
FRONTEND_CLIENT = ("        - podSelector:\n            matchLabels:\n"
                   '              {{- include "todo-chatbot.selectorLabels" (dict "context" . "component" "frontend") | nindent 14 }}\n')
BACKEND_CLIENTS = ("        {{- with .Values.networkPolicyBackendClients }}\n        - podSelector:\n            matchLabels:\n"
                   "              {{- toYaml . | nindent 14 }}\n        {{- end }}\n")

# Last in MUTANTS, after the browser's mutants: the catalog's order (the tests are collected, and the static runs started, in it) is kept.
NETWORK_POLICY_ENFORCED_MUTANTS = [
    Mutant("cluster-network-policy-off", "the chart renders no NetworkPolicy by default: any pod of the namespace reaches the backend",
           [key(NETWORK_POLICY_ENFORCED, "a pod outside the release gets no answer from the backend Service, while the frontend and the named client do")],
           [replace(f"{CHART}/values.yaml", "networkPolicyEnabled: true", "networkPolicyEnabled: false")], tier="cluster"),
    # A promise each: the policy admits no client the values name (the value does nothing), or forgets the frontend.
    Mutant("cluster-network-policy-ignores-clients", "the backend's NetworkPolicy admits only the frontend: the clients "
           "networkPolicyBackendClients names get no answer",
           [key(NETWORK_POLICY_ENFORCED, "a pod outside the release gets no answer from the backend Service, while the frontend and the named client do")],
           [replace(f"{T}/backend-networkpolicy.yaml", BACKEND_CLIENTS, "")], tier="cluster",
           breaks="it should get an answer once it carries the labels the policy admits the named client by"),
    Mutant("cluster-network-policy-forgets-frontend", "the backend's NetworkPolicy admits the named clients and not the frontend: "
           "the app's own API calls get no answer",
           [key(NETWORK_POLICY_ENFORCED, "a pod outside the release gets no answer from the backend Service, while the frontend and the named client do")],
           [replace(f"{T}/backend-networkpolicy.yaml", FRONTEND_CLIENT, "")], tier="cluster",
           breaks='"/api/todos" through the "frontend" Service should answer 200'),
]
