# lib.sh: shared paths and helpers for the local cluster scripts; sourced, never run.
# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this file

LOCAL_CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$LOCAL_CLUSTER_DIR/versions.env"

# Build outputs are cached per Kubernetes version, outside the repository.
CACHE_ROOT="${TODO_CLUSTER_CACHE:-/var/cache/todo-chatbot-cluster}"
CACHE_DIR="$CACHE_ROOT/$K8S_VERSION"
BIN_DIR="$CACHE_DIR/bin"
IMAGE_DIR="$CACHE_DIR/images"
BUILD_LOG_DIR="$CACHE_DIR/logs"

# All runtime state (certificates, etcd data, containerd root, logs, pids) lives in one directory.
STATE_DIR="${TODO_CLUSTER_STATE:-/var/lib/todo-chatbot-cluster}"
PKI_DIR="$STATE_DIR/pki"
KUBECONFIG_DIR="$STATE_DIR/kubeconfigs"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
CONTAINERD_DIR="$STATE_DIR/containerd"
CONTAINERD_SOCKET="$CONTAINERD_DIR/containerd.sock"
KUBELET_DIR="$STATE_DIR/kubelet"
CNI_CONF_DIR="$STATE_DIR/cni/net.d"
ADMIN_KUBECONFIG="$STATE_DIR/kubeconfig"
# The host's settings before up.sh changed them (record_host_state); down.sh puts them back.
HOST_RECORD="$STATE_DIR/host-before"

# Network layout. The node address sits on a port-less bridge used as a dummy interface: pods reach the API server
# there (an Endpoints address may not be loopback); nothing outside this machine is involved.
NODE_NAME="${TODO_CLUSTER_NODE_NAME:-todo-chatbot-node}"
NODE_INTERFACE="todo-node0"
NODE_IP="${TODO_CLUSTER_NODE_IP:-10.245.255.1}"
# LoadBalancer Services get an external IP of their own from this range (loadbalancer-status); kube-proxy handles them.
LOADBALANCER_ADDRESSES="10.245.255.2-10.245.255.254"
# Routed to the node interface, so an address kube-proxy has not (or no longer) programmed goes nowhere (no answer,
# retried) instead of out of the default route to whatever answers there.
LOADBALANCER_ROUTE="10.245.255.0/24"
POD_CIDR="10.244.0.0/16"
POD_SUBNET="10.244.0.0/24"
SERVICE_CIDR="10.96.0.0/16"
CLUSTER_DNS_IP="10.96.0.10"
CLUSTER_DOMAIN="cluster.local"
CNI_BRIDGE="todo-cni0"
APISERVER_PORT=6443
ETCD_CLIENT_PORT=2379
ETCD_PEER_PORT=2380
FORWARD_CHAIN="TODO-CLUSTER-FORWARD"
HOSTPATH_PV_ROOT="/tmp/hostpath_pv"

PAUSE_IMAGE="localhost/todo-chatbot-cluster/pause:$PAUSE_VERSION"
COREDNS_IMAGE="localhost/todo-chatbot-cluster/coredns:$COREDNS_VERSION"
TOOLBOX_IMAGE="localhost/todo-chatbot-cluster/toolbox:busybox"

# Every component process the cluster runs, in start order.
COMPONENTS=(containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kube-router hostpath-permissions loadbalancer-status)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "$1 needs root (it starts containerd and the kubelet, mounts and edits iptables): run it with sudo"
  [[ "$(uname -s)" == Linux ]] || die "$1 needs Linux: use the minikube or kind provider on this OS"
}

require_command() {
  local command_name="$1" fix="$2"
  command -v "$command_name" >/dev/null 2>&1 || die "$command_name not found: $fix"
}

# pid_alive NAME: true when the recorded process of component NAME is running (and is still
# that component: its argv[0] is NAME, so a reused pid after a reboot does not count).
pid_alive() {
  local pid_file="$PID_DIR/$1.pid" pid program
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && process_running "$pid" || return 1
  program="$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | head -n 1)"
  [[ "$(basename "$program")" == "$1" ]]
}

# process_running PID: true while PID exists and is not a zombie (our components are reparented
# to PID 1 when up.sh exits, and a PID 1 that reaps slowly leaves zombies that still answer kill -0).
process_running() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# make_image NAME OUTPUT USER ROOTFS ENTRYPOINT...: writes a single-layer FROM-scratch image
# as a docker-archive tarball (what `docker save` writes and `ctr images import` reads).
make_image() {
  local name="$1" output="$2" user="$3" rootfs="$4"; shift 4
  local work layer_sha config_sha entrypoint="" part
  work="$(mktemp -d)"
  for part in "$@"; do entrypoint+="${entrypoint:+,}\"$part\""; done
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$work/layer.tar" .
  layer_sha="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  mkdir "$work/$layer_sha"
  mv "$work/layer.tar" "$work/$layer_sha/layer.tar"
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"User":"%s","Entrypoint":[%s],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$user" "$entrypoint" "$layer_sha" >"$work/config.json"
  config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$config_sha.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
    "$config_sha" "$name" "$layer_sha" >"$work/manifest.json"
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$work" -cf "$output.tmp" \
    manifest.json "$config_sha.json" "$layer_sha"
  mv "$output.tmp" "$output"
  rm -rf "$work"
}

# remove_chains IPTABLES PREFIXES: in every table, deletes the rules that jump to a chain whose name starts with one of
# PREFIXES (an extended regex alternation, e.g. "KUBE-|CNI-"), then flushes and deletes those chains. Docker's stay.
remove_chains() {
  local iptables="$1" prefixes="$2" table rule chain
  for table in filter nat mangle raw; do
    "$iptables" -t "$table" -S >/dev/null 2>&1 || continue
    # Rules that jump to one of our chains, from any chain: delete them.
    while read -r rule; do
      [[ -n "$rule" ]] || continue
      # shellcheck disable=SC2086  # the rule is a list of words to pass back as arguments
      eval "$iptables -t $table ${rule/#-A/-D}" 2>/dev/null || true
    done < <("$iptables" -t "$table" -S | grep -E "^-A .* -j ($prefixes)" || true)
    for chain in $("$iptables" -t "$table" -S | awk '$1 == "-N" {print $2}' | grep -E "^($prefixes)" || true); do
      "$iptables" -t "$table" -F "$chain" 2>/dev/null || true
    done
    for chain in $("$iptables" -t "$table" -S | awk '$1 == "-N" {print $2}' | grep -E "^($prefixes)" || true); do
      "$iptables" -t "$table" -X "$chain" 2>/dev/null || log "could not delete $iptables $table chain $chain"
    done
  done
}

# destroy_kube_router_ipsets: kube-router's ipsets (NetworkPolicy peers), once the rules using them are gone.
destroy_kube_router_ipsets() {
  command -v ipset >/dev/null || return 0
  local set
  for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router)' || true); do
    ipset destroy "$set" 2>/dev/null || log "could not destroy ipset $set"
  done
}

# listeners_beyond_node: the listening sockets (TCP and UDP) of the cluster's running components on an address other
# than loopback or the node's own, one `ss` line each; nothing when there are none. Every interface ('*', 0.0.0.0,
# [::]) or another address of this machine would make the cluster reachable from the network.
listeners_beyond_node() {
  local name pids=" "
  for name in "${COMPONENTS[@]}"; do
    if pid_alive "$name"; then pids+="$(cat "$PID_DIR/$name.pid") "; fi
  done
  [[ "$pids" != " " ]] || return 0
  ss -Hlntup 2>/dev/null | awk -v pids="$pids" -v node="$NODE_IP" '{
    address = $5
    sub(/:[^:]*$/, "", address); sub(/%.*/, "", address); gsub(/[][]/, "", address)
    if (address == "127.0.0.1" || address == "::1" || address == node) next
    rest = $0
    while (match(rest, /pid=[0-9]+/)) {
      if (index(pids, " " substr(rest, RSTART + 4, RLENGTH - 4) " ")) { print; next }
      rest = substr(rest, RSTART + RLENGTH)
    }
  }'
}

# undo_on_failure DOWN_SCRIPT LOG: from here on, a start that fails or is stopped (SIGTERM, SIGINT) runs DOWN_SCRIPT
# under the lock the caller holds (TODO_CLUSTER_LOCK_HELD=1 tells it so), its output to LOG: nothing of a half-started
# cluster keeps running or listening, and the next start begins clean.
undo_on_failure() {
  UNDO_SCRIPT="$1" UNDO_LOG="$2"
  trap undo_start EXIT
  trap 'exit 143' TERM  # a stopped start (the suite interrupted, a timeout) is a failed one: the EXIT trap sees it
  trap 'exit 130' INT
}
undo_start() {
  local status=$?
  (( status == 0 )) && return 0
  log "the start failed: stopping what it started ($UNDO_SCRIPT, its log: $UNDO_LOG)"
  if ! TODO_CLUSTER_LOCK_HELD=1 bash "$UNDO_SCRIPT" >>"$UNDO_LOG" 2>&1 9>&-; then
    log "$UNDO_SCRIPT failed too (see $UNDO_LOG): run it by hand"
  fi
  exit "$status"
}

kubectl_admin() { kubectl --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

# ---------------------------------------------------------------- the host, recorded and put back
# Kernel settings a node changes: up.sh's own (forwarding, bridged traffic through iptables), the kubelet's
# (protectKernelDefaults is off: panic, overcommit, key quotas) and kube-proxy's (localhost NodePorts, conntrack).
HOST_SYSCTLS=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_tcp_timeout_established
  net.netfilter.nf_conntrack_tcp_timeout_close_wait)
HOST_MODULES=(br_netfilter overlay)

# record_host_state FILE: writes what the host is before a start changes it: each sysctl of HOST_SYSCTLS, each module
# of HOST_MODULES not loaded, each mount not shared, private or slave (`mount --make-rshared /` makes them all shared). The record also
# says this directory's up.sh passed its checks and changed the host: its down.sh acts on machine-wide things only
# then. Kept when it exists: the first start's record is the host as it was.
record_host_state() {
  local file="$1" name path
  [[ -f "$file" ]] && return 0
  {
    for name in "${HOST_SYSCTLS[@]}"; do
      path="/proc/sys/${name//.//}"
      if [[ -r "$path" ]]; then printf 'sysctl %s %s\n' "$name" "$(tr '\t' ' ' <"$path")"; fi
    done
    for name in "${HOST_MODULES[@]}"; do
      [[ -d "/sys/module/$name" ]] || printf 'module %s\n' "$name"
    done
    # mountinfo: field 5 is the mount point, optional fields from 7 up to "-"; no shared:N means private or slave.
    awk '{ kind = "private"; for (i = 7; $i != "-"; i++) { if ($i ~ /^shared:/) kind = ""; else if ($i ~ /^master:/ && kind) kind = "slave" }
           if (kind) print kind, $5 }' /proc/self/mountinfo
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}

# restore_host_state FILE: puts back what record_host_state recorded (a setting nobody changed is left as is), then
# removes FILE.
restore_host_state() {
  local file="$1" kind name value path mount_point
  [[ -f "$file" ]] || return 0
  while read -r kind name value; do
    case "$kind" in
      sysctl)
        path="/proc/sys/${name//.//}"
        if [[ -w "$path" && "$(tr '\t' ' ' <"$path")" != "$value" ]]; then
          sysctl -qw "$name=$value" 2>/dev/null || log "could not put back $name=$value"
        fi ;;
      private|slave)
        mount_point="$(printf '%b' "$name")"  # mountinfo escapes spaces as \040
        if awk -v point="$name" '$5 == point { for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) found = 1 } END { exit !found }' \
          /proc/self/mountinfo; then
          mount "--make-$kind" "$mount_point" 2>/dev/null || log "could not make $mount_point $kind again"
        fi ;;
    esac
  done <"$file"
  # Modules last: their sysctls go with them.
  while read -r kind name value; do
    if [[ "$kind" == module && -d "/sys/module/$name" ]]; then
      modprobe -r "$name" 2>/dev/null || log "module $name stays loaded (in use, or modprobe is missing)"
    fi
  done <"$file"
  rm -f "$file"
}

# foreign_kubernetes OWN_PIDS [NAMES]: another Kubernetes on this machine, one "name(pid)" each: a kubelet, kube-proxy or
# kube-apiserver whose pid is not in OWN_PIDS (space-separated), k3s, or microk8s (or only the process NAMES given). Its iptables chains (KUBE-*),
# ipsets and kubepods cgroups have the same machine-wide names as ours: a down.sh leaves those alone then.
foreign_kubernetes() {
  local own=" $1 " names="${2:-kubelet kube-proxy kube-apiserver k3s k3s-server k3s-agent kubelite}" name pid found=""
  for name in $names; do
    for pid in $(pgrep -x "$name" 2>/dev/null || true); do
      [[ "$own" == *" $pid "* ]] || found+="$name($pid) "
    done
  done
  printf '%s' "${found% }"
}

# kubepods_cgroups: the kubelet's cgroup roots that exist, cgroup v1 (one per controller) and v2, cgroupfs or systemd.
kubepods_cgroups() {
  local dir
  for dir in /sys/fs/cgroup/kubepods /sys/fs/cgroup/kubepods.slice /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/*/kubepods.slice; do
    if [[ -d "$dir" ]]; then printf '%s\n' "$dir"; fi
  done
}
