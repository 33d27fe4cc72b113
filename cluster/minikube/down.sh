#!/usr/bin/env bash
# down.sh: deletes the minikube profile up.sh started and undoes what the none driver left on this host.
set -euo pipefail

usage() {
  cat <<EOF2
Usage: $(basename "$0") [--purge] [--help]

Deletes the minikube profile 'minikube' (minikube delete: kubeadm reset, its containers), then removes what
'minikube delete' leaves behind on a none-driver host:
  1. kube-router's firewall (started by up.sh), the kubelet if still running, every pod sandbox (through CRI,
     so the bridge CNI tears down veths and port maps), containerd and its leftover shims
  2. mounts under /var/lib/kubelet, /run/containerd and /var/lib/containerd
  3. the 'bridge' interface, the KUBE-* and CNI-* iptables chains and kube-router's ipsets (left alone while
     the local cluster runs: it owns chains of the same names)
  4. the files minikube wrote: kubelet service files, /etc/kubernetes, /var/lib/minikube, /etc/crictl.yaml,
     the CNI configuration, the minikube CA in the trust store, its /etc/hosts lines, the volumes in
     /tmp/hostpath-provisioner; and the containerd configuration up.sh replaced is put back
  5. the sysctls, mount propagation and modules up.sh changed, as they were ($MINIKUBE_HOST_RECORD)
It acts only where this directory's up.sh started a node (its record, or its profile): otherwise it changes nothing.
Only containerd's Kubernetes namespace (k8s.io) is touched: Docker CE's containers (namespace moby, on the same
socket) keep running. Machine-wide names are left alone while another Kubernetes (k3s, microk8s, the local cluster) runs.
Images stay in containerd's store and built binaries in the cache, so the next up.sh is fast.

Options:
  --purge   also delete $MINIKUBE_STATE (certificates, logs), containerd's store if up.sh created it, and the
            $MINIKUBE_COMMAND wrapper build.sh installed
  --help    show this help
EOF2
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
mkdir -p "$MINIKUBE_STATE"
# up.sh runs this script under the lock it holds, to stop what a failed start started (TODO_CLUSTER_LOCK_HELD=1).
if [[ "${TODO_CLUSTER_LOCK_HELD:-}" != 1 ]]; then
  exec 9>"$MINIKUBE_STATE/.lock"
  flock -w 300 9 || die "another minikube up.sh or down.sh has held $MINIKUBE_STATE/.lock for 5 minutes: wait for it, or stop it"
fi
started_at=$(date +%s)

# Ownership: the node on this host is ours only when up.sh passed its checks here (its record) or our profile exists.
# Without either, nothing outside the state directory is touched: a kubelet, containerd, mounts or /etc/kubernetes
# found here are someone else's.
if [[ ! -f "$MINIKUBE_HOST_RECORD" && ! -d "$MINIKUBE_STATE/.minikube/profiles/minikube" ]]; then
  log "no minikube of this directory was started on this host ($MINIKUBE_HOST_RECORD absent): nothing to stop"
  if [[ "$purge" == true ]]; then
    if installed_minikube_is_ours; then rm -f "$MINIKUBE_COMMAND"; fi
    log "purging $MINIKUBE_STATE"
    rm -rf "$MINIKUBE_STATE"
  fi
  exit 0
fi
# Machine-wide names (iptables chains, ipsets, kubepods cgroups, sysctls) are shared with any other Kubernetes here.
foreign="$(foreign_kubernetes "" "$OTHER_KUBERNETES")"
if local_cluster_running; then foreign+="${foreign:+ }the local cluster (cluster/local)"; fi

# 1. minikube's own teardown, then what it leaves running.
if [[ -f "$MINIKUBE_PID_DIR/kube-router.pid" ]]; then
  pid_file_alive kube-router && kill -TERM "$(cat "$MINIKUBE_PID_DIR/kube-router.pid")" && log "kube-router: stopped"
  rm -f "$MINIKUBE_PID_DIR/kube-router.pid"
fi
if [[ -x "$MINIKUBE_COMMAND" && -d "$MINIKUBE_STATE/.minikube/profiles/minikube" ]]; then
  log "minikube delete (log: $MINIKUBE_LOG_DIR/delete.log)"
  "$MINIKUBE_COMMAND" delete --alsologtostderr -v=1 2>>"$MINIKUBE_LOG_DIR/delete.log" \
    || log "minikube delete failed (see $MINIKUBE_LOG_DIR/delete.log): removing what it left by hand below"
fi
if [[ -x /etc/init.d/kubelet ]]; then /etc/init.d/kubelet stop >/dev/null 2>&1 || true; fi
pkill -f /var/lib/minikube/openrc-restart-wrapper.sh 2>/dev/null || true
pkill -f -- '--config=/var/lib/kubelet/config.yaml' 2>/dev/null || true
crictl_binary="$BIN_DIR/crictl"
if [[ -S "$SYSTEM_CONTAINERD_SOCKET" && -x "$crictl_binary" ]]; then
  "$crictl_binary" --runtime-endpoint "unix://$SYSTEM_CONTAINERD_SOCKET" --timeout 30s rmp --all --force >/dev/null 2>&1 \
    || log "crictl rmp failed; the remaining processes, mounts and interfaces are removed below"
fi
if [[ -x "$CONTAINERD_INIT" ]]; then "$CONTAINERD_INIT" stop || log "containerd did not stop: its leftover shims are killed below"; fi
for pid_dir in /proc/[0-9]*; do
  command_line="$(tr '\0' ' ' 2>/dev/null <"$pid_dir/cmdline" || true)"
  # Only Kubernetes' namespace: Docker CE's shims (namespace moby) on the same socket are not ours.
  if [[ "$command_line" == *containerd-shim*"-namespace k8s.io "*"-address $SYSTEM_CONTAINERD_SOCKET "* ]]; then
    log "killing leftover shim ${pid_dir#/proc/}"
    kill -KILL "${pid_dir#/proc/}" 2>/dev/null || true
  fi
done

# 2. Mounts (deepest first), network namespaces included.
# Only the kubelet's and Kubernetes' containerd namespace (k8s.io): a Docker CE container's mounts (moby) stay.
mapfile -t leftover_mounts < <(awk '$5 ~ "^(/var/lib/kubelet/|/run/containerd/io\\.containerd\\.runtime\\.v2\\.task/k8s\\.io/|/run/containerd/io\\.containerd\\.grpc\\.v1\\.cri/|/run/netns/cni-)" {print $5}' /proc/self/mountinfo | sort -r)
for mount_point in "${leftover_mounts[@]}"; do
  mount_point="$(printf '%b' "$mount_point")"
  umount "$mount_point" 2>/dev/null || umount -l "$mount_point" 2>/dev/null || log "could not unmount $mount_point"
done

# 3. Network.
if [[ -n "$foreign" ]]; then
  log "another Kubernetes runs on this machine ($foreign): leaving iptables chains, ipsets, cgroups and the host's settings alone (it owns KUBE-* and CNI-* chains too)"
else
  for veth in $(ip -o link show master "$MINIKUBE_BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link delete "$veth" 2>/dev/null || true
  done
  ip link delete "$MINIKUBE_BRIDGE" 2>/dev/null || true
  remove_chains iptables "KUBE-|CNI-"
  if command -v ip6tables >/dev/null; then remove_chains ip6tables "KUBE-|CNI-"; fi
  destroy_kube_router_ipsets
  while read -r cgroup_dir; do
    find "$cgroup_dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done < <(kubepods_cgroups)
fi

# 4. Files.
rm -rf /etc/init.d/kubelet /lib/systemd/system/kubelet.service /etc/systemd/system/kubelet.service.d /var/run/kubelet.pid \
  /etc/kubernetes /var/lib/kubelet /var/lib/minikube /var/tmp/minikube /etc/crictl.yaml /tmp/hostpath-provisioner \
  /etc/cni/net.d/1-k8s.conflist /var/lib/cni/networks/bridge /var/lib/cni/results
for disabled in /etc/cni/net.d/*.mk_disabled; do
  [[ -e "$disabled" ]] && mv "$disabled" "${disabled%.mk_disabled}"
done
rm -f /usr/share/ca-certificates/minikubeCA.pem
for link in /etc/ssl/certs/*; do
  [[ -L "$link" && "$(readlink "$link")" == */minikubeCA.pem ]] && rm -f "$link"
done
rm -f /etc/ssl/certs/minikubeCA.pem
if grep -qE $'\t(host|control-plane)\\.minikube\\.internal$' /etc/hosts; then
  # cp, not sed -i: /etc/hosts may be a bind mount, which cannot be replaced.
  grep -vE $'\t(host|control-plane)\\.minikube\\.internal$' /etc/hosts >"$MINIKUBE_STATE/hosts" || true
  cp "$MINIKUBE_STATE/hosts" /etc/hosts
  rm -f "$MINIKUBE_STATE/hosts"
fi
if [[ -f "$MINIKUBE_STATE/config.toml.before-minikube" ]]; then
  cp -p "$MINIKUBE_STATE/config.toml.before-minikube" "$CONTAINERD_CONFIG"
  rm -f "$MINIKUBE_STATE/config.toml.before-minikube"
fi
rm -f "$CONTAINERD_INIT"
for plugin in /opt/cni/bin/*; do
  [[ -L "$plugin" && "$(readlink "$plugin")" == /usr/lib/cni/* ]] && rm -f "$plugin"
done
rmdir /opt/cni/bin /opt/cni 2>/dev/null || true

# 5. The host's settings as they were before up.sh (sysctls, mount propagation, modules); the record goes with them.
if [[ -z "$foreign" ]]; then
  restore_host_state "$MINIKUBE_HOST_RECORD"
fi

if [[ "$purge" == true ]]; then
  if installed_minikube_is_ours; then rm -f "$MINIKUBE_COMMAND"; fi
  if [[ -f "$MINIKUBE_STATE/containerd-root-created" ]]; then
    log "purging containerd's store /var/lib/containerd (up.sh created it)"
    rm -rf /var/lib/containerd
  fi
  log "purging $MINIKUBE_STATE"
  rm -rf "$MINIKUBE_STATE"
fi
log "minikube stopped and its traces removed in $(( $(date +%s) - started_at ))s"
exit
}
