#!/usr/bin/env bash
# down.sh: stops the local cluster and removes every process, mount, interface and iptables chain it made.
set -euo pipefail

usage() {
  cat <<EOF
Usage: $(basename "$0") [--purge] [--help]

Stops the local single-node cluster that up.sh started:
  1. removes all pod sandboxes through CRI (crictl), so CNI tears down veths and port maps
  2. stops kube-proxy, the kubelet, the control plane, etcd and containerd, then any
     containerd shim or container process left (found by our socket and cgroups only)
  3. unmounts everything under the kubelet and containerd directories of the state dir
  4. removes the CNI bridge, the node's dummy interface, and the iptables chains that
     kube-proxy, the kubelet, CNI portmap and up.sh added (KUBE-*, CNI-*, $FORWARD_CHAIN)
  5. puts back the sysctls, mount propagation and modules up.sh changed ($HOST_RECORD)
Machine-wide names (interfaces, chains, ipsets, kubepods cgroups, sysctls) are touched only when this
directory's up.sh made them, and never while another Kubernetes (k3s, microk8s, a kubelet not ours) runs.
Certificates, etcd data and images stay in $STATE_DIR, so the next up.sh is fast.

Options:
  --purge   also delete the state directory $STATE_DIR (etcd data, images, volumes)
  --help    show this help
EOF
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The braces make bash read the whole script before running it, so editing it mid-run is safe.
{

purge=false
for argument in "$@"; do
  case "$argument" in
    --purge) purge=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$argument': see --help" ;;
  esac
done
require_root "down.sh"
# One up.sh or down.sh at a time (several test sessions may share this machine's cluster).
mkdir -p "$STATE_DIR"
# up.sh runs this script under the lock it holds, to stop what a failed start started (TODO_CLUSTER_LOCK_HELD=1).
if [[ "${TODO_CLUSTER_LOCK_HELD:-}" != 1 ]]; then
  exec 9>"$STATE_DIR/.lock"
  flock -w 300 9 || die "another up.sh or down.sh has held $STATE_DIR/.lock for 5 minutes: wait for it, or stop it"
fi
export PATH="$BIN_DIR:$PATH"
started_at=$(date +%s)

# stop_component NAME [SECONDS]: SIGTERM, wait, then SIGKILL the recorded process.
stop_component() {
  local name="$1" seconds="${2:-15}" pid waited=0
  [[ -f "$PID_DIR/$name.pid" ]] || return 0
  pid="$(cat "$PID_DIR/$name.pid")"
  if pid_alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    while process_running "$pid" && (( waited < seconds * 10 )); do sleep 0.1; waited=$((waited + 1)); done
    if process_running "$pid"; then
      log "$name (pid $pid) ignored SIGTERM for ${seconds}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$name: stopped"
  fi
  rm -f "$PID_DIR/$name.pid"
}

# What this directory's up.sh made: the processes of its pid files, and (once its checks passed and it changed the
# host, which its record says) the host's machine-wide names. Without either, nothing here is ours to remove beyond
# the state directory.
owned=false
if [[ -f "$HOST_RECORD" ]] || compgen -G "$PID_DIR/*.pid" >/dev/null; then owned=true; fi
# The network names, iptables chains, ipsets and kubepods cgroups are machine-wide, not per state directory: when
# another Kubernetes runs on this machine (a kubelet or kube-proxy this directory did not start, k3s, microk8s), they
# are left alone.
own_pids=""
for name in kubelet kube-proxy kube-apiserver; do own_pids+="$(cat "$PID_DIR/$name.pid" 2>/dev/null || true) "; done
foreign="$(foreign_kubernetes "$own_pids")"

# 1. Pods: stop the kubelet first so it does not restart them, then remove them through CRI.
stop_component kube-router
stop_component kube-proxy
stop_component kubelet
if pid_alive containerd && [[ -S "$CONTAINERD_SOCKET" ]]; then
  log "removing pod sandboxes through CRI"
  crictl --runtime-endpoint "unix://$CONTAINERD_SOCKET" --timeout 30s rmp --all --force >/dev/null 2>&1 \
    || log "crictl rmp failed; the remaining processes, mounts and interfaces are removed below"
fi
stop_component hostpath-permissions
stop_component loadbalancer-status
stop_component kube-scheduler
stop_component kube-controller-manager
stop_component kube-apiserver
stop_component etcd 30
stop_component containerd

# 2. Leftover shims (they carry our socket path on their command line) and container processes
#    (in the kubelet's cgroups).
for pid_dir in /proc/[0-9]*; do
  pid="${pid_dir#/proc/}"
  command_line="$(tr '\0' ' ' 2>/dev/null <"$pid_dir/cmdline" || true)"
  if [[ "$command_line" == *containerd-shim*"$CONTAINERD_SOCKET"* ]]; then
    log "killing leftover shim $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
if [[ "$owned" == true && -z "$foreign" ]]; then  # the kubepods cgroups are machine-wide too
  while read -r procs_file; do
    while read -r pid; do
      if [[ -n "$pid" ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
    done <"$procs_file"
  done < <(kubepods_cgroups | xargs -r -I{} find {} -name cgroup.procs)
fi
sleep 0.5

# 3. Mounts under our directories (deepest first), including network namespaces.
mapfile -t our_mounts < <(awk -v state="$STATE_DIR/" 'index($5, state) == 1 {print $5}' /proc/self/mountinfo | sort -r)
for mount_point in "${our_mounts[@]}"; do
  mount_point="$(printf '%b' "$mount_point")"  # mountinfo escapes spaces as \040
  umount "$mount_point" 2>/dev/null || umount -l "$mount_point" 2>/dev/null || log "could not unmount $mount_point"
done

if [[ "$owned" != true ]]; then
  log "no cluster of this state directory was started here ($HOST_RECORD and pid files absent): the host's network is left alone"
elif [[ -n "$foreign" ]]; then
  log "another Kubernetes runs on this machine ($foreign): leaving interfaces, iptables chains, ipsets and the host's settings alone"
else
  # 4. Network: CNI bridge (its veths vanish with the namespaces), dummy node interface.
  for veth in $(ip -o link show master "$CNI_BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$veth" 2>/dev/null || true
  done
  ip link delete "$CNI_BRIDGE" 2>/dev/null || true
  ip link delete "$NODE_INTERFACE" 2>/dev/null || true
  rm -rf "$STATE_DIR/cni/ipam"

  # 5. iptables: kube-proxy's own cleanup, then any chain named KUBE-*, CNI-* or ours, in every
  #    table, with the rules in built-in chains that jump to them. Docker's chains are untouched.
  kube-proxy --cleanup >/dev/null 2>&1 || true
  remove_chains iptables "KUBE-|CNI-|$FORWARD_CHAIN"
  if command -v ip6tables >/dev/null; then remove_chains ip6tables "KUBE-|CNI-|$FORWARD_CHAIN"; fi
  destroy_kube_router_ipsets
fi

# 6. The kubelet's cgroups (empty now), and the host's settings as they were before up.sh.
if [[ "$owned" == true && -z "$foreign" ]]; then
  while read -r cgroup_dir; do
    find "$cgroup_dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done < <(kubepods_cgroups)
  restore_host_state "$HOST_RECORD"
fi

if [[ "$purge" == true ]]; then
  log "purging $STATE_DIR"
  # The provisioner's /tmp path is shared by the machine: remove it only if it is our link.
  if [[ -L "$HOSTPATH_PV_ROOT" && "$(readlink "$HOSTPATH_PV_ROOT")" == "$STATE_DIR/hostpath-pv" ]]; then
    rm -f "$HOSTPATH_PV_ROOT"
  fi
  rm -rf "$STATE_DIR"
fi
log "local cluster stopped in $(( $(date +%s) - started_at ))s"
exit
}
