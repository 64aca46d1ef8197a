{{/* Names. The StatefulSet's pods are <fullname>-0..N-1 and are the kv-server node ids. */}}
{{- define "ringkv.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Short enough that "<fullname>-headless" and "<fullname>-<ordinal>" stay within 63 chars. */}}
{{- define "ringkv.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ringkv.headless" -}}
{{- printf "%s-headless" (include "ringkv.fullname" .) -}}
{{- end -}}

{{- define "ringkv.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ringkv
{{- end -}}

{{- define "ringkv.labels" -}}
{{ include "ringkv.selectorLabels" . }}
{{ include "ringkv.commonLabels" . }}
{{- end -}}

{{- define "ringkv.chaosLabels" -}}
{{ include "ringkv.chaosSelectorLabels" . }}
{{ include "ringkv.commonLabels" . }}
{{- end -}}

{{- define "ringkv.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ringkv.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: node
{{- end -}}

{{- define "ringkv.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Cluster domain suffix of in-cluster DNS names. */}}
{{- define "ringkv.domain" -}}
{{- printf "%s.svc.cluster.local" .Release.Namespace -}}
{{- end -}}

{{/*
API endpoints (host:port, space-separated) a new node joins through: the first min(3, nodes)
pods, which hold the meta group's replicas. They do not depend on `nodes` beyond 3, so scaling
up leaves the pod template unchanged and does not restart every pod.
*/}}
{{- define "ringkv.seeds" -}}
{{- $full := include "ringkv.fullname" . -}}
{{- $headless := include "ringkv.headless" . -}}
{{- $domain := include "ringkv.domain" . -}}
{{- $seeds := list -}}
{{- range $i := until (int (min 3 .Values.nodes)) -}}
{{- $seeds = append $seeds (printf "%s-%d.%s.%s:%d" $full $i $headless $domain (int $.Values.ports.api)) -}}
{{- end -}}
{{- join " " $seeds -}}
{{- end -}}

{{/* The seeds as kv-server --join takes them: host:port,host:port */}}
{{- define "ringkv.joinEndpoints" -}}
{{- include "ringkv.seeds" . | replace " " "," -}}
{{- end -}}

{{/*
Checks that values.schema.json cannot express (it sees one value at a time, and only
enumerated relations between two).
*/}}
{{- define "ringkv.validate" -}}
{{- if gt (int .Values.replication) (int .Values.nodes) -}}
{{- fail (printf "replication (%d) must not exceed nodes (%d): each shard needs that many nodes for its replicas" (int .Values.replication) (int .Values.nodes)) -}}
{{- end -}}
{{- if lt (int .Values.partitions) (int .Values.shards) -}}
{{- fail (printf "partitions (%d) must be at least shards (%d): every shard owns one partition or more" (int .Values.partitions) (int .Values.shards)) -}}
{{- end -}}
{{- if .Values.tls.enabled -}}
{{- fail "tls.enabled: kv-server does not support TLS yet; the tls.*SecretName values are reserved for it" -}}
{{- end -}}
{{- $ports := list (int .Values.ports.raft) (int .Values.ports.api) (int .Values.ports.admin) -}}
{{- if ne (len (uniq $ports)) 3 -}}
{{- fail (printf "ports.raft, ports.api and ports.admin must differ, got %v" $ports) -}}
{{- end -}}
{{- end -}}

{{- define "ringkv.chaosSelectorLabels" -}}
app.kubernetes.io/name: {{ include "ringkv.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: toxiproxy
{{- end -}}

{{/*
Chaos mode: Toxiproxy listens for node N's Raft, API and admin traffic on these bases + N
(one proxy each), away from the nodes' own ports.
*/}}
{{- define "ringkv.chaosListenBase" -}}
{{- $bases := dict "raft" 20000 "api" 21000 "admin" 22000 -}}
{{- get $bases . -}}
{{- end -}}

{{/* Chaos mode: Toxiproxy's proxies, three per node, as its -config file (a JSON list). */}}
{{- define "ringkv.toxiproxyConfig" -}}
{{- $full := include "ringkv.fullname" . -}}
{{- $headless := include "ringkv.headless" . -}}
{{- $domain := include "ringkv.domain" . -}}
{{- $ports := dict "raft" .Values.ports.raft "api" .Values.ports.api "admin" .Values.ports.admin -}}
{{- $proxies := list -}}
{{- range $i := until (int .Values.nodes) -}}
{{- $pod := printf "%s-%d" $full $i -}}
{{- range $kind := list "raft" "api" "admin" -}}
{{- $listen := add (include "ringkv.chaosListenBase" $kind | int) $i -}}
{{- $proxies = append $proxies (dict "name" (printf "%s-%s" $pod $kind) "listen" (printf "0.0.0.0:%d" $listen) "upstream" (printf "%s.%s.%s:%d" $pod $headless $domain (int (get $ports $kind))) "enabled" true) -}}
{{- end -}}
{{- end -}}
{{- toPrettyJson $proxies -}}
{{- end -}}

{{- define "ringkv.layoutHookSelectorLabels" -}}
app.kubernetes.io/name: {{ include "ringkv.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: layout-hook
{{- end -}}

{{/*
A layout hook Job (templates/layout-hooks.yaml): files/layout.sh with STEP=<step>, run by the
RingKV image against the client Service. Arguments: dict "root" $ "step" STEP "hook" HOOKS
"description" TEXT.
*/}}
{{- define "ringkv.layoutHookJob" -}}
{{- $ := .root -}}
{{- $full := include "ringkv.fullname" $ -}}
{{- $hook := $.Values.reshardHook -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $full }}-{{ .step }}
  labels:
    {{- include "ringkv.layoutHookSelectorLabels" $ | nindent 4 }}
    {{- include "ringkv.commonLabels" $ | nindent 4 }}
  annotations:
    ringkv.io/description: {{ .description | quote }}
    helm.sh/hook: {{ .hook }}
    helm.sh/hook-weight: "5"
    # a failed Job stays for `kubectl logs` until the next upgrade replaces it
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  # every step is idempotent: a retry does what is left
  backoffLimit: {{ $hook.backoffLimit }}
  # the whole Job, retries included; below helm's --timeout (helmfile.yaml), so that Kubernetes
  # ends the Job before helm stops waiting for it
  activeDeadlineSeconds: {{ $hook.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "ringkv.layoutHookSelectorLabels" $ | nindent 8 }}
    spec:
      restartPolicy: Never
      # as in the StatefulSet: no <SERVICE>_PORT variables next to RINGKV_* settings
      enableServiceLinks: false
      {{- with $.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $.Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml $.Values.podSecurityContext | nindent 8 }}
      {{- with $.Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $.Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: layout
          image: {{ include "ringkv.image" $ | quote }}
          imagePullPolicy: {{ $.Values.image.pullPolicy }}
          command: ["/bin/sh", "-c"]
          args:
            - |
              {{- $.Files.Get "files/layout.sh" | nindent 14 }}
          env:
            - name: STEP
              value: {{ .step | quote }}
            - name: ENDPOINTS
              value: "{{ $full }}.{{ include "ringkv.domain" $ }}:{{ $.Values.ports.api }}"
            - name: NODE_PREFIX
              value: "{{ $full }}-"
            - name: NODES
              value: {{ $.Values.nodes | quote }}
            - name: SHARDS
              value: {{ $.Values.shards | quote }}
            - name: WAIT_TIMEOUT
              value: "{{ $hook.waitTimeoutSeconds }}s"
            - name: CLUSTER_WAIT_SECONDS
              value: {{ $hook.clusterWaitSeconds | quote }}
          resources:
            {{- toYaml $hook.resources | nindent 12 }}
          securityContext:
            {{- toYaml $.Values.securityContext | nindent 12 }}
          volumeMounts:
            # the root file system is read-only; kvctl's JVM and gRPC's native transport need a /tmp
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}
