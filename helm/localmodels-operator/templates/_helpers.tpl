{{/* The chart name, shortened to the 63 characters a label value allows. */}}
{{- define "localmodels-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name: the release name, plus the chart name when the release name lacks it. */}}
{{- define "localmodels-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of cluster-scoped objects: prefixed by the release namespace so that two releases do not collide. */}}
{{- define "localmodels-operator.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "localmodels-operator.fullname" .) }}
{{- end }}

{{- define "localmodels-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "localmodels-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "localmodels-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "localmodels-operator.labels" -}}
helm.sh/chart: {{ include "localmodels-operator.chart" . }}
{{ include "localmodels-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: localmodels
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "localmodels-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "localmodels-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "localmodels-operator.metricsServiceName" -}}
{{- printf "%s-metrics" (include "localmodels-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "localmodels-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Rules for the namespaced resources the operator reads and writes: exactly what the reconcilers, the health
monitor and the router use. Granted cluster-wide (ClusterRole) or per watched namespace (Role).
*/}}
{{- define "localmodels-operator.namespacedRules" -}}
- apiGroups: ["localmodels.io"]
  resources: ["localmodels", "modelrouters"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["localmodels.io"]
  resources: ["localmodels/status", "modelrouters/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["localmodels.io"]
  resources: ["localmodels/finalizers", "modelrouters/finalizers"]
  verbs: ["update"]
# Created and updated, never deleted: owner references let Kubernetes collect them with their LocalModel or router.
- apiGroups: ["apps"]
  resources: ["statefulsets", "deployments"]
  verbs: ["get", "list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["services", "configmaps"]
  verbs: ["get", "list", "watch", "create", "update"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
# Each Ollama pod's readiness gate localmodels.io/model-ready: the operator sets that condition when the replica
# has the model loaded and answering (or clears it), so the Service sends traffic only to replicas that can serve.
- apiGroups: [""]
  resources: ["pods/status"]
  verbs: ["patch"]
# Only read while a model's pods are missing or unscheduled: the claim's phase, and (below, list) the Events of its
# StatefulSet and claims, to say why in the LocalModel's status.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get"]
# The router only reads the Secrets a ModelRouter names, to check they exist; their values reach the proxy
# through secretKeyRef, never through the operator.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "list"]
{{- end }}

{{/* The operator framework checks that our CRDs are installed: read-only, cluster-scoped. */}}
{{- define "localmodels-operator.crdRules" -}}
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  verbs: ["get"]
{{- end }}

{{/* Leader election: one Lease in the release namespace. */}}
{{- define "localmodels-operator.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  # fabric8's elector renews with PATCH; the release on stop is an update
  verbs: ["get", "create", "update", "patch"]
{{- end }}
