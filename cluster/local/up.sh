#!/usr/bin/env bash
# shellcheck disable=SC2317  # helper functions are called indirectly (run_logged, wait_until)
# up.sh: starts (or reuses) the local single-node Kubernetes cluster from the binaries build.sh made.
set -euo pipefail

usage() {
  cat <<EOF
Usage: $(basename "$0") [--timeout SECONDS] [--help]

Starts a single-node Kubernetes $K8S_VERSION cluster on this machine from upstream components,
each a background process with its own log in $LOG_DIR:
  containerd (CRI, own socket $CONTAINERD_SOCKET), etcd, kube-apiserver,
  kube-controller-manager (hostPath provisioner), kube-scheduler, kubelet, kube-proxy (iptables),
  hostpath-permissions, loadbalancer-status (each LoadBalancer Service gets an external
  IP of its own from $LOADBALANCER_ADDRESSES); then CoreDNS (Deployment in kube-system) and a default StorageClass.
Certificates and kubeconfigs come from 'kubeadm init phase certs/kubeconfig'.

A cluster that is already up and healthy is reused; missing components are started.
Prints the admin kubeconfig path on success: $ADMIN_KUBECONFIG

Needs root on Linux and the outputs of build.sh. No network beyond this machine is used:
images must be imported with load-image.sh.

Environment:
  TODO_CLUSTER_STATE   state directory (default /var/lib/todo-chatbot-cluster)
  TODO_CLUSTER_CACHE   build cache root (default /var/cache/todo-chatbot-cluster)

Options:
  --timeout SECONDS   how long to wait for the node and CoreDNS to be Ready (default 180)
  --help              show this help
EOF
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The braces make bash read the whole script before running it, so editing it mid-run is safe.
{

ready_timeout=180
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) [[ $# -ge 2 ]] || die "--timeout needs a number of seconds"; ready_timeout="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1': see --help" ;;
  esac
done

require_root "up.sh"
# One up.sh or down.sh at a time (several test sessions may share this machine's cluster).
mkdir -p "$STATE_DIR"
exec 9>"$STATE_DIR/.lock"
flock -w 300 9 || die "another up.sh or down.sh has held $STATE_DIR/.lock for 5 minutes: wait for it, or stop it"
for binary in k8s etcd coredns crictl kube-router hostpath-permissions loadbalancer-status; do
  [[ -x "$BIN_DIR/$binary" ]] || die "$BIN_DIR/$binary is missing: run $LOCAL_CLUSTER_DIR/build.sh first"
done
for image in pause coredns; do
  [[ -f "$IMAGE_DIR/$image.tar" ]] || die "$IMAGE_DIR/$image.tar is missing: run $LOCAL_CLUSTER_DIR/build.sh first"
done
export PATH="$BIN_DIR:$PATH"  # build.sh's kubectl (matching the cluster) before any other
require_command kubectl "run build.sh (it builds kubectl into $BIN_DIR) or install kubectl"
require_command containerd "install containerd: apt-get install -y containerd"
require_command ctr "install containerd (it ships ctr): apt-get install -y containerd"
require_command runc "install runc: apt-get install -y runc"
require_command iptables "install iptables: apt-get install -y iptables"
require_command conntrack "install conntrack: apt-get install -y conntrack"
require_command ip "install iproute2: apt-get install -y iproute2"
require_command curl "install curl: apt-get install -y curl"
require_command ipset "install ipset (kube-router keeps NetworkPolicy peers in ipsets): apt-get install -y ipset"
for plugin in bridge host-local loopback portmap; do
  [[ -x "/usr/lib/cni/$plugin" ]] || die "CNI plugin /usr/lib/cni/$plugin missing: apt-get install -y containernetworking-plugins"
done

# A kubeadm node (minikube's none driver: cluster/minikube) holds the ports and the pod range this cluster needs.
if compgen -G "/etc/kubernetes/manifests/*.yaml" >/dev/null; then
  die "a kubeadm node runs on this machine (/etc/kubernetes/manifests: minikube's none driver?): it holds the ports and the pod range this cluster needs; stop it with 'make minikube-down' (cluster/minikube/down.sh), then run this again"
fi

started_at=$(date +%s)
mkdir -p "$LOG_DIR" "$PID_DIR" "$PKI_DIR" "$KUBECONFIG_DIR" "$CONTAINERD_DIR" "$KUBELET_DIR" \
  "$CNI_CONF_DIR" "$STATE_DIR/etcd" "$STATE_DIR/config"
chmod 0700 "$STATE_DIR/etcd"

# fail_component NAME WHY: stops with the component's log path and its last lines.
fail_component() {
  local name="$1" why="$2"
  echo "---- last lines of $LOG_DIR/$name.log ----" >&2
  tail -n 25 "$LOG_DIR/$name.log" >&2 2>/dev/null || true
  die "$name $why: see $LOG_DIR/$name.log (up.sh stops what it started; fix the cause and run it again)"
}

# start_component NAME COMMAND...: runs COMMAND in the background, in its own session so it
# outlives this script, with stdin/stdout/stderr away from the caller (a caller reading our
# output must not wait for the cluster to exit).
start_component() {
  local name="$1"; shift
  if pid_alive "$name"; then
    log "$name: already running (pid $(cat "$PID_DIR/$name.pid"))"
    return
  fi
  echo "==== $(date -Is) starting: $*" >>"$LOG_DIR/$name.log"
  setsid "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &  # 9: the lock, not for the component
  echo $! >"$PID_DIR/$name.pid"
  log "$name: started (pid $!, log $LOG_DIR/$name.log)"
}

# check_components: every started component must still be running.
check_components() {
  local name
  for name in "${COMPONENTS[@]}"; do
    if [[ -f "$PID_DIR/$name.pid" ]] && ! pid_alive "$name"; then
      fail_component "$name" "exited"
    fi
  done
}

# wait_until WHAT SECONDS COMPONENT COMMAND...: retries COMMAND until it succeeds.
wait_until() {
  local what="$1" seconds="$2" component="$3"; shift 3
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    check_components
    if (( $(date +%s) >= deadline )); then
      fail_component "$component" "did not become ready ($what) within ${seconds}s"
    fi
    sleep 0.5
  done
}

# wait_until_quietly SECONDS COMMAND...: like wait_until, but returns 1 on timeout.
wait_until_quietly() {
  local seconds="$1"; shift
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    check_components
    (( $(date +%s) < deadline )) || return 1
    sleep 0.5
  done
}

cluster_healthy() {
  [[ -f "$ADMIN_KUBECONFIG" ]] || return 1
  local name
  for name in "${COMPONENTS[@]}"; do pid_alive "$name" || return 1; done
  kubectl_admin get --raw /readyz >/dev/null 2>&1 || return 1
  [[ "$(kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]] || return 1
  [[ "$(kubectl_admin -n kube-system get deployment coredns -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" == 1 ]]
}

ctr_k8s() { ctr --address "$CONTAINERD_SOCKET" --namespace k8s.io "$@"; }

# import_images: puts our images into containerd's k8s.io namespace, again when build.sh rewrote them.
import_images() {
  local existing_images image reference stamp stamp_file
  # Our images: pause (the sandbox image), CoreDNS, and the busybox toolbox when built. The
  # pinned label keeps pause from image GC on containerd 1.7+; containerd 1.6 ignores the label,
  # so the kubelet's image GC thresholds below are set to act only on a full disk.
  existing_images="$(ctr_k8s images ls -q)"
  for image in pause coredns toolbox; do
    case "$image" in
      pause) reference="$PAUSE_IMAGE" ;;
      coredns) reference="$COREDNS_IMAGE" ;;
      toolbox) reference="$TOOLBOX_IMAGE"; [[ -f "$IMAGE_DIR/toolbox.tar" ]] || continue ;;
    esac
    # Re-import when build.sh rewrote the archive (its mtime and size are the stamp).
    stamp_file="$CONTAINERD_DIR/imported-$image.stamp"
    stamp="$(stat -c '%Y-%s' "$IMAGE_DIR/$image.tar")"
    if ! grep -qxF "$reference" <<<"$existing_images" || [[ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]]; then
      ctr_k8s images import "$IMAGE_DIR/$image.tar" >>"$LOG_DIR/containerd.log" 2>&1 \
        || fail_component containerd "could not import $IMAGE_DIR/$image.tar"
      echo "$stamp" >"$stamp_file"
      log "imported $reference"
    fi
  done
  ctr_k8s images label "$PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null
}

# route_loadbalancer_addresses: keeps every LoadBalancer address on this machine (see LOADBALANCER_ROUTE).
route_loadbalancer_addresses() {
  ip route replace "$LOADBALANCER_ROUTE" dev "$NODE_INTERFACE" \
    || die "cannot route $LOADBALANCER_ROUTE to $NODE_INTERFACE: LoadBalancer addresses would leave this machine"
}

# A cluster an older up.sh started may listen on every interface: stop it, and start it again as this one does.
if [[ -n "$(listeners_beyond_node)" ]]; then
  log "the running cluster listens beyond loopback and $NODE_IP: stopping it to start it again on those addresses only"
  TODO_CLUSTER_LOCK_HELD=1 bash "$LOCAL_CLUSTER_DIR/down.sh" >&2 9>&- || die "could not stop the running cluster: run $LOCAL_CLUSTER_DIR/down.sh"
fi

if cluster_healthy; then
  import_images
  route_loadbalancer_addresses
  log "local cluster already up and healthy: reusing it"
  echo "$ADMIN_KUBECONFIG"
  exit 0
fi

# Forget components that are no longer running (after a crash or a reboot), so they are restarted.
for name in "${COMPONENTS[@]}"; do
  pid_alive "$name" || rm -f "$PID_DIR/$name.pid"
done

# write_if_changed FILE: writes stdin to FILE only when the content differs (kube-proxy exits
# when its config file changes, even to the same content).
write_if_changed() {
  local file="$1" temporary
  temporary="$(mktemp "$file.XXXXXX")"
  cat >"$temporary"
  if cmp -s "$temporary" "$file"; then rm -f "$temporary"; else mv "$temporary" "$file"; fi
}

# Ports our components listen on: a port held by something else would make that component exit.
for component_port in "etcd $ETCD_CLIENT_PORT" "etcd $ETCD_PEER_PORT" "kube-apiserver $APISERVER_PORT" \
  "kube-controller-manager 10257" "kube-scheduler 10259" "kubelet 10250" "kubelet 10248" "kube-proxy 10256"; do
  read -r name port <<<"$component_port"
  pid_alive "$name" && continue
  if [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]; then
    holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:.*' | head -n 1)"
    die "port $port, needed by $name, is already in use (${holder:-unknown process}): stop that process (or an old cluster: $LOCAL_CLUSTER_DIR/down.sh) and retry"
  fi
done

# A start that fails stops what it started (down.sh, under the lock this script holds).
undo_on_failure "$LOCAL_CLUSTER_DIR/down.sh" "$LOG_DIR/down.log"

# ---------------------------------------------------------------- host preparation
log "preparing the host (mount propagation, sysctls, node address $NODE_IP on $NODE_INTERFACE)"
# What the host is before any change, for down.sh to put back (kept from the first start when a start is repeated).
record_host_state "$HOST_RECORD"
mount --make-rshared / || die "cannot make / a shared mount: up.sh must run as root outside a restricted container"
modprobe br_netfilter 2>/dev/null || true
modprobe overlay 2>/dev/null || true
[[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] \
  || die "br_netfilter is not available: load it with 'modprobe br_netfilter' (kube-proxy needs bridged traffic to pass iptables)"
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
if ! ip link show "$NODE_INTERFACE" >/dev/null 2>&1; then
  # A port-less bridge serves as a dummy interface (some kernels, like this VM's, lack the dummy module).
  ip link add "$NODE_INTERFACE" type bridge \
    || die "cannot create interface $NODE_INTERFACE: the kernel needs bridge support (modprobe bridge)"
fi
ip addr replace "$NODE_IP/32" dev "$NODE_INTERFACE"
ip link set "$NODE_INTERFACE" up
route_loadbalancer_addresses
# Docker sets the FORWARD policy to DROP; let pod traffic through on our bridge only.
iptables -N "$FORWARD_CHAIN" 2>/dev/null || true
iptables -C FORWARD -j "$FORWARD_CHAIN" 2>/dev/null || iptables -I FORWARD 1 -j "$FORWARD_CHAIN"
iptables -F "$FORWARD_CHAIN"
iptables -A "$FORWARD_CHAIN" -s "$POD_CIDR" -j ACCEPT
iptables -A "$FORWARD_CHAIN" -d "$POD_CIDR" -j ACCEPT
# Forwarding is on, so a neighbour routing through this machine could reach pods, Services, NodePorts and
# LoadBalancer addresses (kube-proxy and kube-router accept what they DNAT). The mangle table sees a forwarded packet
# before any filter chain, after DNAT: one that arrives from another interface than the pods' bridge and is bound for
# the pod, Service or LoadBalancer ranges is dropped there. This machine's own traffic to them is not forwarded.
iptables -t mangle -N "$FORWARD_CHAIN" 2>/dev/null || true
iptables -t mangle -C FORWARD -j "$FORWARD_CHAIN" 2>/dev/null || iptables -t mangle -I FORWARD 1 -j "$FORWARD_CHAIN"
iptables -t mangle -F "$FORWARD_CHAIN"
iptables -t mangle -A "$FORWARD_CHAIN" -i "$CNI_BRIDGE" -j RETURN
for range in "$POD_CIDR" "$SERVICE_CIDR" "$LOADBALANCER_ROUTE"; do
  iptables -t mangle -A "$FORWARD_CHAIN" -d "$range" -j DROP
done
# The hostPath provisioner writes to a fixed /tmp path; keep the data inside the state directory.
mkdir -p "$STATE_DIR/hostpath-pv"
chmod 0755 "$STATE_DIR/hostpath-pv"
if [[ -L "$HOSTPATH_PV_ROOT" ]]; then
  [[ "$(readlink "$HOSTPATH_PV_ROOT")" == "$STATE_DIR/hostpath-pv" ]] || ln -sfn "$STATE_DIR/hostpath-pv" "$HOSTPATH_PV_ROOT"
else
  [[ ! -e "$HOSTPATH_PV_ROOT" ]] || rmdir "$HOSTPATH_PV_ROOT" 2>/dev/null \
    || die "$HOSTPATH_PV_ROOT exists and is not empty: move its volume directories away (another hostPath provisioner wrote them)"
  ln -s "$STATE_DIR/hostpath-pv" "$HOSTPATH_PV_ROOT"
fi

# ---------------------------------------------------------------- certificates and kubeconfigs
if [[ ! -f "$PKI_DIR/ca.crt" || ! -f "$PKI_DIR/apiserver.crt" ]]; then
  log "generating certificates (kubeadm init phase certs all)"
  kubeadm init phase certs all --kubernetes-version "$K8S_VERSION" --cert-dir "$PKI_DIR" \
    --apiserver-advertise-address "$NODE_IP" --service-cidr "$SERVICE_CIDR" \
    --control-plane-endpoint "$NODE_IP:$APISERVER_PORT" \
    --apiserver-cert-extra-sans "127.0.0.1,localhost,$NODE_IP,$NODE_NAME" >"$LOG_DIR/kubeadm-certs.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/kubeadm-certs.log" >&2; die "kubeadm certs failed: see $LOG_DIR/kubeadm-certs.log"; }
fi
# The API server listens on the node's address only: kubeconfigs written for another address (an older up.sh's
# 127.0.0.1) are written again.
if [[ -f "$KUBECONFIG_DIR/admin.conf" ]] && ! grep -qF "server: https://$NODE_IP:$APISERVER_PORT" "$KUBECONFIG_DIR/admin.conf"; then
  log "the kubeconfigs name another API server address: generating them again"
  rm -f "$KUBECONFIG_DIR"/*.conf "$ADMIN_KUBECONFIG"
fi
if [[ ! -f "$KUBECONFIG_DIR/admin.conf" ]]; then
  log "generating kubeconfigs (kubeadm init phase kubeconfig all)"
  kubeadm init phase kubeconfig all --kubernetes-version "$K8S_VERSION" --cert-dir "$PKI_DIR" \
    --kubeconfig-dir "$KUBECONFIG_DIR" --apiserver-advertise-address "$NODE_IP" \
    --apiserver-bind-port "$APISERVER_PORT" --control-plane-endpoint "$NODE_IP:$APISERVER_PORT" \
    --node-name "$NODE_NAME" >"$LOG_DIR/kubeadm-kubeconfig.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/kubeadm-kubeconfig.log" >&2; die "kubeadm kubeconfig failed: see $LOG_DIR/kubeadm-kubeconfig.log"; }
fi

# ---------------------------------------------------------------- containerd
write_if_changed "$CONTAINERD_DIR/config.toml" <<EOF
# Generated by up.sh: a containerd separate from Docker's (own root, state, socket).
version = 2
root = "$CONTAINERD_DIR/root"
state = "$CONTAINERD_DIR/state"
[grpc]
  address = "$CONTAINERD_SOCKET"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CONTAINERD_DIR/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  disable_apparmor = true
  # Clamp containers' oom_score_adj to containerd's own: lowering it needs CAP_SYS_RESOURCE,
  # which root lacks in some VMs and containers (runc then fails: "can't get final child's PID").
  restrict_oom_score_adj = true
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$CONTAINERD_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CNI_CONF_DIR"
    max_conf_num = 1
EOF
write_if_changed "$CNI_CONF_DIR/10-todo-chatbot.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "todo-chatbot",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$STATE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$POD_SUBNET"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
start_component containerd containerd --config "$CONTAINERD_DIR/config.toml"
wait_until "socket answers" 30 containerd ctr --address "$CONTAINERD_SOCKET" version

import_images

# ---------------------------------------------------------------- etcd
start_component etcd etcd --name "$NODE_NAME" --data-dir "$STATE_DIR/etcd" \
  --listen-client-urls "https://127.0.0.1:$ETCD_CLIENT_PORT" \
  --advertise-client-urls "https://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "https://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "https://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "$NODE_NAME=https://127.0.0.1:$ETCD_PEER_PORT" \
  --cert-file "$PKI_DIR/etcd/server.crt" --key-file "$PKI_DIR/etcd/server.key" \
  --client-cert-auth --trusted-ca-file "$PKI_DIR/etcd/ca.crt" \
  --peer-cert-file "$PKI_DIR/etcd/peer.crt" --peer-key-file "$PKI_DIR/etcd/peer.key" \
  --peer-client-cert-auth --peer-trusted-ca-file "$PKI_DIR/etcd/ca.crt" \
  --snapshot-count 10000 --log-level warn
etcd_healthy() {
  curl -sf --cacert "$PKI_DIR/etcd/ca.crt" --cert "$PKI_DIR/apiserver-etcd-client.crt" \
    --key "$PKI_DIR/apiserver-etcd-client.key" "https://127.0.0.1:$ETCD_CLIENT_PORT/health"
}
wait_until "/health" 60 etcd etcd_healthy

# ---------------------------------------------------------------- kube-apiserver
start_component kube-apiserver kube-apiserver \
  --advertise-address "$NODE_IP" --bind-address "$NODE_IP" --anonymous-auth=false --secure-port "$APISERVER_PORT" \
  --allow-privileged=true --authorization-mode Node,RBAC \
  --enable-admission-plugins NodeRestriction,PodSecurity \
  --enable-bootstrap-token-auth=true \
  --client-ca-file "$PKI_DIR/ca.crt" \
  --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
  --etcd-servers "https://127.0.0.1:$ETCD_CLIENT_PORT" --etcd-cafile "$PKI_DIR/etcd/ca.crt" \
  --etcd-certfile "$PKI_DIR/apiserver-etcd-client.crt" --etcd-keyfile "$PKI_DIR/apiserver-etcd-client.key" \
  --kubelet-client-certificate "$PKI_DIR/apiserver-kubelet-client.crt" \
  --kubelet-client-key "$PKI_DIR/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types InternalIP,Hostname \
  --proxy-client-cert-file "$PKI_DIR/front-proxy-client.crt" --proxy-client-key-file "$PKI_DIR/front-proxy-client.key" \
  --requestheader-allowed-names front-proxy-client --requestheader-client-ca-file "$PKI_DIR/front-proxy-ca.crt" \
  --requestheader-extra-headers-prefix X-Remote-Extra- --requestheader-group-headers X-Remote-Group \
  --requestheader-username-headers X-Remote-User \
  --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
  --service-account-key-file "$PKI_DIR/sa.pub" --service-account-signing-key-file "$PKI_DIR/sa.key" \
  --service-cluster-ip-range "$SERVICE_CIDR"
super_admin() { kubectl --kubeconfig "$KUBECONFIG_DIR/super-admin.conf" "$@"; }
wait_until "/readyz" 90 kube-apiserver super_admin get --raw /readyz

# kubeadm's admin.conf (and the apiserver's kubelet client certificate) belong to the group
# kubeadm:cluster-admins, which 'kubeadm init' binds to cluster-admin; we skip init, so bind it here.
super_admin create clusterrolebinding kubeadm:cluster-admins --clusterrole cluster-admin \
  --group kubeadm:cluster-admins --dry-run=client -o yaml | super_admin apply -f - >/dev/null
if [[ ! -f "$ADMIN_KUBECONFIG" ]]; then
  cp "$KUBECONFIG_DIR/admin.conf" "$ADMIN_KUBECONFIG.tmp"
  kubectl --kubeconfig "$ADMIN_KUBECONFIG.tmp" config rename-context kubernetes-admin@kubernetes todo-chatbot-local >/dev/null
  chmod 0600 "$ADMIN_KUBECONFIG.tmp"
  mv "$ADMIN_KUBECONFIG.tmp" "$ADMIN_KUBECONFIG"
fi

# ---------------------------------------------------------------- controller-manager and scheduler
start_component kube-controller-manager kube-controller-manager \
  --kubeconfig "$KUBECONFIG_DIR/controller-manager.conf" \
  --authentication-kubeconfig "$KUBECONFIG_DIR/controller-manager.conf" \
  --authorization-kubeconfig "$KUBECONFIG_DIR/controller-manager.conf" \
  --bind-address 127.0.0.1 --leader-elect=false --cluster-name kubernetes \
  --client-ca-file "$PKI_DIR/ca.crt" --requestheader-client-ca-file "$PKI_DIR/front-proxy-ca.crt" \
  --cluster-signing-cert-file "$PKI_DIR/ca.crt" --cluster-signing-key-file "$PKI_DIR/ca.key" \
  --root-ca-file "$PKI_DIR/ca.crt" --service-account-private-key-file "$PKI_DIR/sa.key" \
  --use-service-account-credentials=true --controllers '*,bootstrapsigner,tokencleaner' \
  --allocate-node-cidrs=true --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 \
  --service-cluster-ip-range "$SERVICE_CIDR" \
  --enable-hostpath-provisioner=true
start_component kube-scheduler kube-scheduler \
  --kubeconfig "$KUBECONFIG_DIR/scheduler.conf" \
  --authentication-kubeconfig "$KUBECONFIG_DIR/scheduler.conf" \
  --authorization-kubeconfig "$KUBECONFIG_DIR/scheduler.conf" \
  --bind-address 127.0.0.1 --leader-elect=false
start_component hostpath-permissions hostpath-permissions --root "$STATE_DIR/hostpath-pv"
start_component loadbalancer-status loadbalancer-status --kubeconfig "$KUBECONFIG_DIR/admin.conf" --addresses "$LOADBALANCER_ADDRESSES"

# ---------------------------------------------------------------- kubelet
write_if_changed "$STATE_DIR/config/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI_DIR/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
clusterDNS: [$CLUSTER_DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: ""
rotateCertificates: false
serverTLSBootstrap: false
volumePluginDir: $KUBELET_DIR/volume-plugins
# Image GC only at a full disk: our images cannot be pulled again once removed.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
EOF
start_component kubelet kubelet --config "$STATE_DIR/config/kubelet.yaml" \
  --kubeconfig "$KUBECONFIG_DIR/kubelet.conf" --root-dir "$KUBELET_DIR" --cert-dir "$KUBELET_DIR/pki" \
  --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"

# ---------------------------------------------------------------- kube-proxy
write_if_changed "$STATE_DIR/config/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$KUBECONFIG_DIR/admin.conf"}
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
# Leave the kernel's conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
start_component kube-proxy kube-proxy --config "$STATE_DIR/config/kube-proxy.yaml"

# ---------------------------------------------------------------- kube-router (NetworkPolicy)
# The bridge CNI enforces no NetworkPolicy; kube-router's firewall alone does (no routing, no service proxy).
# Started after the FORWARD chain above: it keeps its own jump at FORWARD position 1, ahead of ours, so pod
# traffic meets the policies first. Traffic from the node (the kubelet's probes) is always admitted.
# It looks its Node up once at start and exits when there is none yet: on an empty state directory the kubelet
# registers the node some seconds after it starts, so kube-router waits for that. No health or metrics port: its
# health server would listen on every interface, and nothing here reads it.
node_registered() { kubectl_admin get node "$NODE_NAME" -o name; }
if ! pid_alive kube-router; then
  log "waiting for the kubelet to register node $NODE_NAME (kube-router needs it)"
  wait_until "node $NODE_NAME registered" "$ready_timeout" kubelet node_registered
fi
start_component kube-router kube-router --run-firewall --run-router=false --run-service-proxy=false \
  --kubeconfig "$KUBECONFIG_DIR/admin.conf" --hostname-override "$NODE_NAME" \
  --service-cluster-ip-range "$SERVICE_CIDR" --health-port 0 --metrics-port 0

# ---------------------------------------------------------------- node, storage, DNS
# node_ready: Ready, and the kubelet renewed its lease since this start (after a restart the
# stored status still says Ready from before).
node_ready() {
  local renewed
  [[ "$(kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]] || return 1
  renewed="$(kubectl_admin -n kube-node-lease get lease "$NODE_NAME" -o jsonpath='{.spec.renewTime}')"
  [[ -n "$renewed" ]] && (( $(date -d "$renewed" +%s) >= started_at - 1 ))
}
log "waiting for node $NODE_NAME to be Ready"
wait_until "node Ready" "$ready_timeout" kubelet node_ready

kubectl_admin apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
EOF
sed -e "s|@COREDNS_IMAGE@|$COREDNS_IMAGE|" -e "s|@CLUSTER_DNS_IP@|$CLUSTER_DNS_IP|" \
  -e "s|@CLUSTER_DOMAIN@|$CLUSTER_DOMAIN|" "$LOCAL_CLUSTER_DIR/manifests/coredns.yaml" | kubectl_admin apply -f - >/dev/null
log "waiting for CoreDNS to be Ready"
# coredns_ready: the Deployment reports a Ready replica and that pod's /ready answers now
# (the stored status may predate a restart).
coredns_ready() {
  local pod_ip
  [[ "$(kubectl_admin -n kube-system get deployment coredns -o jsonpath='{.status.readyReplicas}')" == 1 ]] || return 1
  pod_ip="$(kubectl_admin -n kube-system get pods -l k8s-app=kube-dns \
    -o jsonpath='{.items[?(@.status.phase=="Running")].status.podIP}')"
  [[ -n "$pod_ip" ]] && curl -sf --max-time 2 "http://${pod_ip%% *}:8181/ready"
}
if ! wait_until_quietly "$ready_timeout" coredns_ready; then
  kubectl_admin -n kube-system get pods -l k8s-app=kube-dns -o wide >&2 || true
  kubectl_admin -n kube-system describe pods -l k8s-app=kube-dns 2>/dev/null | tail -n 15 >&2 || true
  fail_component kubelet "did not get CoreDNS Ready within ${ready_timeout}s (pod events above)"
fi

# Nothing of the cluster listens beyond loopback and the node's address (checked on the sockets, not the flags).
beyond="$(listeners_beyond_node)"
[[ -z "$beyond" ]] || die "the cluster listens beyond loopback and the node's address $NODE_IP (reachable from the network):
$beyond
fix: bind the process named above to 127.0.0.1 or \$NODE_IP in $LOCAL_CLUSTER_DIR/up.sh"

log "local cluster up in $(( $(date +%s) - started_at ))s: kubectl --kubeconfig $ADMIN_KUBECONFIG get nodes"
echo "$ADMIN_KUBECONFIG"
exit
}
