{{/*
Chart name, overridable with nameOverride. Truncated to 63 characters (DNS label limit).
*/}}
{{- define "todo-chatbot.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified prefix of every resource name. The release name alone when it already
contains the chart name, so release "todo-chatbot" gives "todo-chatbot-frontend", not
"todo-chatbot-todo-chatbot-frontend". Truncated so a "-frontend" suffix still fits 63 characters.
*/}}
{{- define "todo-chatbot.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version for the helm.sh/chart label.
*/}}
{{- define "todo-chatbot.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels. Call with (dict "context" $ "component" "frontend").
*/}}
{{- define "todo-chatbot.labels" -}}
helm.sh/chart: {{ include "todo-chatbot.chart" .context }}
{{ include "todo-chatbot.selectorLabels" . }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
app.kubernetes.io/part-of: {{ include "todo-chatbot.name" .context }}
{{- end }}

{{/*
Selector labels: only name, instance and component, because a Deployment's selector is
immutable and must not change when the chart or app version does.
Call with (dict "context" $ "component" "frontend").
*/}}
{{- define "todo-chatbot.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-chatbot.name" .context }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Per-resource names (docs/contracts.md): <fullname>-frontend, <fullname>-backend,
<fullname>-backend-data, <fullname>-config, <fullname>-secret.
*/}}
{{- define "todo-chatbot.frontendName" -}}
{{- printf "%s-frontend" (include "todo-chatbot.fullname" .) }}
{{- end }}

{{- define "todo-chatbot.backendName" -}}
{{- printf "%s-backend" (include "todo-chatbot.fullname" .) }}
{{- end }}

{{- define "todo-chatbot.configMapName" -}}
{{- printf "%s-config" (include "todo-chatbot.fullname" .) }}
{{- end }}

{{/*
The Secret the backend reads: existingSecret when set, else the one this chart renders.
*/}}
{{- define "todo-chatbot.secretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else }}
{{- printf "%s-secret" (include "todo-chatbot.fullname" .) }}
{{- end }}
{{- end }}

{{/*
The claim mounted at /app/data: persistenceExistingClaim when set, else the chart's own.
*/}}
{{- define "todo-chatbot.claimName" -}}
{{- if .Values.persistenceExistingClaim }}
{{- .Values.persistenceExistingClaim }}
{{- else }}
{{- printf "%s-backend-data" (include "todo-chatbot.fullname" .) }}
{{- end }}
{{- end }}

{{/*
DATABASE_URL: databaseUrl, or SQLite on the data volume when it is empty.
*/}}
{{- define "todo-chatbot.databaseUrl" -}}
{{- default "sqlite:////app/data/todo.db" .Values.databaseUrl }}
{{- end }}

{{/*
Pod-template annotations whose values change with the rendered ConfigMap and Secret, so
`helm upgrade` with new configuration rolls the pods. No Secret checksum when the Secret
is managed outside the chart (existingSecret): its content is not known here.
*/}}
{{- define "todo-chatbot.checksumAnnotations" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end }}

{{/*
Container securityContext shared by every container: what Pod Security "restricted" requires,
plus a read-only root filesystem (each app writes only to its mounted volumes).
*/}}
{{- define "todo-chatbot.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
NetworkPolicy egress rule for DNS: port 53 over UDP and TCP (large answers) to any address, because the
resolver is not always a pod a selector could name (node-local DNS caches listen on a link-local address).
*/}}
{{- define "todo-chatbot.dnsEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}
