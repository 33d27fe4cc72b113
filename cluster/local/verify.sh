#!/usr/bin/env bash
# verify.sh: proves the running local cluster works: node, imported image, PVC as non-root, Service, DNS, PodSecurity.
set -euo pipefail

usage() {
  cat <<EOF
Usage: $(basename "$0") [--keep] [--help]

Checks the cluster that up.sh started, in a namespace it creates (todo-cluster-verify, labelled
pod-security.kubernetes.io/enforce=restricted) and deletes afterwards:
  1. the node is Ready
  2. a claim on the default StorageClass binds
  3. a pod from the imported toolbox image ($TOOLBOX_IMAGE) runs as UID 1001
     with fsGroup 1001 and writes to that claim
  4. a Service in front of it answers through kubectl port-forward on 127.0.0.1
  5. cluster DNS resolves the Service's name from inside the pod
  6. the restricted namespace rejects a privileged pod
Needs the toolbox image: build.sh makes it when busybox-static is installed.

Options:
  --keep   leave the namespace in place for inspection
  --help   show this help
EOF
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

keep=false
for argument in "$@"; do
  case "$argument" in
    --keep) keep=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$argument': see --help" ;;
  esac
done
[[ -f "$ADMIN_KUBECONFIG" ]] || die "no kubeconfig at $ADMIN_KUBECONFIG: start the cluster with $LOCAL_CLUSTER_DIR/up.sh"
export PATH="$BIN_DIR:$PATH"  # build.sh's kubectl, matching the cluster's version
require_command kubectl "install kubectl, or run build.sh (it builds one)"
require_command curl "install curl: apt-get install -y curl"
namespace=todo-cluster-verify
k() { kubectl_admin -n "$namespace" "$@"; }
forward_pid=""
cleanup() {
  [[ -z "$forward_pid" ]] || kill "$forward_pid" 2>/dev/null || true
  if [[ "$keep" == false ]]; then
    kubectl_admin delete namespace "$namespace" --wait=false >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
pass() { log "PASS: $*"; }

# 1. Node.
kubectl_admin wait --for=condition=Ready "node/$NODE_NAME" --timeout=60s >/dev/null \
  || die "node $NODE_NAME is not Ready: see $LOG_DIR/kubelet.log"
pass "node $NODE_NAME is Ready ($(kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.nodeInfo.kubeletVersion}, {.status.nodeInfo.containerRuntimeVersion}'))"

kubectl_admin delete namespace "$namespace" --ignore-not-found --wait=true --timeout=120s >/dev/null
kubectl_admin create namespace "$namespace" >/dev/null
kubectl_admin label namespace "$namespace" pod-security.kubernetes.io/enforce=restricted >/dev/null

# 2-3. Claim and a non-root pod writing to it.
k apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 1001
    runAsGroup: 1001
    fsGroup: 1001
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: web
      image: $TOOLBOX_IMAGE
      imagePullPolicy: Never
      command: [sh, -c]
      args:
        - |
          id
          date > /data/written-by-pod && ls -ln /data
          mkdir -p /tmp/www && echo todo-cluster-verify > /tmp/www/index.html
          exec httpd -f -p 8080 -h /tmp/www
      ports: [{containerPort: 8080}]
      readinessProbe:
        tcpSocket: {port: 8080}
        periodSeconds: 1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - name: data
      persistentVolumeClaim: {claimName: data}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
EOF
k wait --for=jsonpath='{.status.phase}'=Bound pvc/data --timeout=60s >/dev/null \
  || die "claim did not bind: see $LOG_DIR/kube-controller-manager.log (hostPath provisioner)"
pass "claim bound to $(k get pvc data -o jsonpath='{.spec.volumeName}') on StorageClass $(k get pvc data -o jsonpath='{.spec.storageClassName}')"
if ! k wait --for=condition=Ready pod/web --timeout=120s >/dev/null; then
  k describe pod web >&2 || true
  k logs web >&2 || true
  die "pod web did not become Ready: see the events above and $LOG_DIR/kubelet.log"
fi
k exec web -- cat /data/written-by-pod >/dev/null || die "the pod could not write to its claim"
pass "pod from $TOOLBOX_IMAGE runs as '$(k exec web -- id)' and wrote /data/written-by-pod"

# 4. Service through port-forward.
local_port=$(( 20000 + RANDOM % 20000 ))
k port-forward --address 127.0.0.1 service/web "$local_port:80" >/dev/null 2>&1 &
forward_pid=$!
body=""
for _ in $(seq 1 40); do
  body="$(curl -sf "http://127.0.0.1:$local_port/" 2>/dev/null || true)"
  [[ -z "$body" ]] || break
  sleep 0.25
done
[[ "$body" == todo-cluster-verify ]] || die "service web did not answer through port-forward on 127.0.0.1:$local_port (got '$body')"
pass "service web answers through kubectl port-forward on 127.0.0.1:$local_port"

# 5. DNS.
service_ip="$(k get service web -o jsonpath='{.spec.clusterIP}')"
lookup="$(k exec web -- nslookup "web.$namespace.svc.$CLUSTER_DOMAIN" 2>&1 || true)"
grep -q "Address: $service_ip" <<<"$lookup" || die "DNS did not resolve web.$namespace.svc.$CLUSTER_DOMAIN to $service_ip: $lookup"
pass "DNS resolves web.$namespace.svc.$CLUSTER_DOMAIN to $service_ip from inside the pod"

# 6. PodSecurity admission.
rejection="$(k run privileged --image "$TOOLBOX_IMAGE" --image-pull-policy Never \
  --overrides '{"spec":{"containers":[{"name":"privileged","image":"'"$TOOLBOX_IMAGE"'","securityContext":{"privileged":true}}]}}' 2>&1 || true)"
grep -q 'violates PodSecurity "restricted' <<<"$rejection" || die "a privileged pod was not rejected by PodSecurity: $rejection"
pass "restricted namespace rejects a privileged pod: $(head -c 120 <<<"$rejection")..."

log "all checks passed"
