{{/*
Helpers of the tasks chart. Resource names are the release name and a suffix: <release>-web, <release>-api,
<release>-storage, <release>-settings, <release>-credentials. The tier label says which half a resource is.
*/}}

{{/* tasks.selector (list $ TIER): the labels a Deployment selects its pods by (never changes after install). */}}
{{- define "tasks.selector" -}}
app.kubernetes.io/name: {{ (index . 0).Chart.Name }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
tier: {{ index . 1 }}
{{- end }}

{{/* tasks.labels (list $ TIER): every resource's labels, the selector's and the standard ones. */}}
{{- define "tasks.labels" -}}
{{- $root := index . 0 -}}
{{ include "tasks.selector" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
app.kubernetes.io/part-of: {{ $root.Chart.Name }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- end }}

{{/* tasks.strategy: both Deployments roll at the pace rollout.* sets. */}}
{{- define "tasks.strategy" -}}
type: RollingUpdate
rollingUpdate:
  maxSurge: {{ .Values.rollout.maxSurge }}
  maxUnavailable: {{ .Values.rollout.maxUnavailable }}
{{- end }}

{{/* tasks.podSecurity (list UID FSGROUP?): the pod's securityContext; non-root with a fixed UID and GID. */}}
{{- define "tasks.podSecurity" -}}
runAsNonRoot: true
runAsUser: {{ index . 0 }}
runAsGroup: {{ index . 0 }}
{{- if index . 1 }}
fsGroup: {{ index . 0 }}
fsGroupChangePolicy: OnRootMismatch
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* tasks.containerSecurity: what Pod Security "restricted" asks, and a root filesystem nothing writes to. */}}
{{- define "tasks.containerSecurity" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* tasks.probe (list PATH SETTINGS): an HTTP probe on the container's port "http". */}}
{{- define "tasks.probe" -}}
{{- $timing := index . 1 -}}
httpGet:
  path: {{ index . 0 }}
  port: http
periodSeconds: {{ $timing.periodSeconds }}
timeoutSeconds: {{ $timing.timeoutSeconds }}
failureThreshold: {{ $timing.failureThreshold }}
{{- end }}

{{/* tasks.preStop: keep serving a few seconds while the endpoints drop a stopping pod (no request lost). */}}
{{- define "tasks.preStop" -}}
{{- if gt (int .Values.preStopSeconds) 0 }}
lifecycle:
  preStop:
    exec:
      command: ["sleep", "{{ .Values.preStopSeconds }}"]
{{- end }}
{{- end }}

{{/*
tasks.apiEnv: the api's environment, one variable per key. Settings come from the ConfigMap; credentials from the
chart's Secret (kebab-case keys) or, with secrets.existing, from that Secret under the variables' own names (the
keys `kubectl create secret generic --from-env-file` gives a .env's lines).
*/}}
{{- define "tasks.apiEnv" -}}
{{- $settings := printf "%s-settings" .Release.Name -}}
{{- range $variable, $key := dict "LOG_LEVEL" "log-level" "APP_ENV" "app-env" "OPENAI_MODEL" "openai-model" "OPENAI_BASE_URL" "openai-base-url" "CORS_ORIGINS" "cors-origins" }}
- name: {{ $variable }}
  valueFrom:
    configMapKeyRef:
      name: {{ $settings }}
      key: {{ $key }}
{{- end }}
{{- $existing := .Values.secrets.existing -}}
{{- $secret := default (printf "%s-credentials" .Release.Name) $existing -}}
{{- range $variable, $key := dict "DATABASE_URL" "database-url" "OPENAI_API_KEY" "openai-api-key" "NEON_API_KEY" "neon-api-key" }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ ternary $variable $key (ne $existing "") }}
{{- end }}
{{- end }}

{{/*
tasks.configChecksums: pod annotations that change with the rendered ConfigMap and Secret, so an upgrade that
changes either rolls the pods of both tiers. An existing Secret's content is unknown here: deploy.sh restarts the api itself.
*/}}
{{- define "tasks.configChecksums" -}}
checksum/settings: {{ include (print .Template.BasePath "/settings.yaml") . | sha256sum }}
{{- if not .Values.secrets.existing }}
checksum/credentials: {{ include (print .Template.BasePath "/credentials.yaml") . | sha256sum }}
{{- end }}
{{- end }}
