{{/* Chart name, 63 characters at most (a DNS label). */}}
{{- define "vigil.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: <release>-vigil, or the release name alone when it already contains the chart name. */}}
{{- define "vigil.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "vigil.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "vigil.labels" -}}
helm.sh/chart: {{ include "vigil.chart" . }}
app.kubernetes.io/name: {{ include "vigil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vigil
{{- end -}}

{{/* Labels every selector of this release starts from. */}}
{{- define "vigil.selectorLabels" -}}
app.kubernetes.io/name: {{ include "vigil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vigil.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "vigil.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "vigil.redisFullname" -}}
{{- printf "%s-redis" (include "vigil.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The Secret holding the Redis connection string the silos read. */}}
{{- define "vigil.redisSecretName" -}}
{{- if .Values.redis.bundled -}}
{{- include "vigil.redisFullname" . -}}
{{- else -}}
{{- required "redis.external.existingSecret is required when redis.bundled is false" .Values.redis.external.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "vigil.redisConnectionStringKey" -}}
{{- if .Values.redis.bundled -}}
connection-string
{{- else -}}
{{- .Values.redis.external.connectionStringKey -}}
{{- end -}}
{{- end -}}

{{- define "vigil.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{/*
Pod template of a silo pool. Called with (dict "root" $ "pool" "general"|"accelerator").
Both pools carry the same orleans/serviceId and orleans/clusterId labels: one Orleans cluster, two pools.
*/}}
{{- define "vigil.siloPodTemplate" -}}
{{- $root := .root -}}
{{- $accel := eq .pool "accelerator" -}}
{{- $values := ternary $root.Values.accelerator $root.Values.silo $accel -}}
{{- $component := ternary "accelerator-silo" "silo" $accel -}}
{{- $shutdown := $root.Values.shutdown -}}
{{- if le (int $shutdown.terminationGracePeriodSeconds) (add $shutdown.preStopSleepSeconds $shutdown.hostShutdownTimeoutSeconds | int) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed preStopSleepSeconds + hostShutdownTimeoutSeconds (%v)" $shutdown.terminationGracePeriodSeconds (add $shutdown.preStopSleepSeconds $shutdown.hostShutdownTimeoutSeconds)) -}}
{{- end -}}
metadata:
  labels:
    {{- include "vigil.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ $component }}
    vigil.io/role: silo
    orleans/serviceId: {{ $root.Values.cluster.serviceId | quote }}
    orleans/clusterId: {{ $root.Values.cluster.clusterId | quote }}
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/silo-configmap.yaml") $root | sha256sum }}
spec:
  serviceAccountName: {{ include "vigil.serviceAccountName" $root }}
  terminationGracePeriodSeconds: {{ $shutdown.terminationGracePeriodSeconds }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 1654
    runAsGroup: 1654
    fsGroup: 1654
    seccompProfile:
      type: RuntimeDefault
  {{- with $values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: silo
      image: {{ printf "%s:%s" (ternary $root.Values.image.cudaRepository $root.Values.image.repository $accel) (include "vigil.imageTag" $root) | quote }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      envFrom:
        - configMapRef:
            name: {{ include "vigil.fullname" $root }}-silo
      env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: ORLEANS_SERVICE_ID
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['orleans/serviceId']
        - name: ORLEANS_CLUSTER_ID
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['orleans/clusterId']
        - name: Vigil__Orleans__AdvertisedIP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: Vigil__Redis__ConnectionString
          valueFrom:
            secretKeyRef:
              name: {{ include "vigil.redisSecretName" $root }}
              key: {{ include "vigil.redisConnectionStringKey" $root }}
        # Silo metadata read by the model grains' placement filter.
        - name: Vigil__Silo__Accelerator
          value: {{ or $accel (not $root.Values.accelerator.enabled) | quote }}
        - name: Vigil__Silo__Device
          value: {{ if $accel }}{{ $values.device | quote }}{{ else }}"cpu"{{ end }}
        - name: Vigil__Batching__MaxBatchSize
          value: {{ $values.batching.maxBatchSize | quote }}
        - name: Vigil__Batching__MaxQueueDelayMs
          value: {{ $values.batching.maxQueueDelayMs | quote }}
        - name: Vigil__Batching__MaxQueueLength
          value: {{ $values.batching.maxQueueLength | quote }}
        - name: OTEL_RESOURCE_ATTRIBUTES
          value: {{ printf "k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),vigil.silo.pool=%s" .pool | quote }}
        {{- with $values.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: http
          containerPort: 8080
        - name: silo
          containerPort: 11111
        - name: gateway
          containerPort: 30000
      startupProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: 5
        failureThreshold: {{ ternary 60 36 $accel }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      {{- if gt (int $shutdown.preStopSleepSeconds) 0 }}
      lifecycle:
        preStop:
          exec:
            command: ["sleep", {{ $shutdown.preStopSleepSeconds | quote }}]
      {{- end }}
      resources:
        {{- $resources := deepCopy $values.resources }}
        {{- if $accel }}
        {{- $_ := set $resources "limits" (merge (dict "nvidia.com/gpu" $values.gpusPerPod) (default (dict) $resources.limits)) }}
        {{- $_ := set $resources "requests" (merge (dict "nvidia.com/gpu" $values.gpusPerPod) (default (dict) $resources.requests)) }}
        {{- end }}
        {{- toYaml $resources | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: models
          mountPath: {{ $root.Values.models.path }}
          readOnly: {{ eq $root.Values.models.source "Folder" }}
  volumes:
    - name: tmp
      emptyDir: {}
    - name: models
      {{- if eq $root.Values.models.source "Folder" }}
      {{- if not $root.Values.models.volume }}
      {{- fail "models.volume is required when models.source is Folder (for example a persistentVolumeClaim with claimName vigil-models)" }}
      {{- end }}
      {{- toYaml $root.Values.models.volume | nindent 6 }}
      {{- else }}
      # models.source=Redis: bundles come from the registry; this is the silo's local copy.
      emptyDir:
        sizeLimit: 1Gi
      {{- end }}
{{- end -}}
