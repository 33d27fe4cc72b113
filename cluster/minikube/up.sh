#!/usr/bin/env bash
# up.sh: starts (or reuses) minikube with the none driver on this machine, offline, from build.sh's outputs.
set -euo pipefail

usage() {
  cat <<EOF2
Usage: $(basename "$0") [--help]

Starts the minikube profile 'minikube' with the none driver (Kubernetes $K8S_VERSION on this host,
containerd as its runtime), with nothing downloaded:
  1. refuses while the local cluster (cluster/local) runs: both need the same ports and pod range
  2. prepares the host as minikube expects it: /opt/cni/bin, shared mounts, forwarding, a containerd
     configuration and /etc/init.d/containerd (the one it had is kept and put back by down.sh)
  3. starts containerd and imports the images kubeadm and the addons ask for (build.sh made them)
  4. fills minikube's binary cache with the Kubernetes build, so it downloads nothing
  5. minikube start --driver=none ... (its own output, live; its log in $MINIKUBE_LOG_DIR)
  6. starts kube-router's firewall beside it: minikube's bridge network enforces no NetworkPolicy
A profile that is already running is reused. minikube writes its context to \$KUBECONFIG
(default ~/.kube/config) and makes it the current one.

Options:
  --help   show this help
EOF2
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The braces make bash read the whole script before running it, so editing it mid-run is safe.
{

for argument in "$@"; do
  case "$argument" in
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$argument': see --help" ;;
  esac
done
require_root "up.sh"
mkdir -p "$MINIKUBE_STATE" "$MINIKUBE_LOG_DIR" "$MINIKUBE_PID_DIR"
exec 9>"$MINIKUBE_STATE/.lock"
flock -w 300 9 || die "another minikube up.sh or down.sh has held $MINIKUBE_STATE/.lock for 5 minutes: wait for it, or stop it"
started_at=$(date +%s)

# 1. What must be there before anything changes.
if local_cluster_running; then
  die "the local cluster (cluster/local) is running: it holds the ports and the pod range minikube needs; stop it with 'make cluster-down' (cluster/local/down.sh), then run this again"
fi
[[ -x "$MINIKUBE_COMMAND" && -x "$MINIKUBE_BINARY" ]] || die "minikube is not built: run $MINIKUBE_CLUSTER_DIR/build.sh first (make minikube-up does both)"
for archive in k8s etcd storage-provisioner metrics-server; do
  [[ -f "$MINIKUBE_IMAGE_DIR/$archive.tar" ]] || die "$MINIKUBE_IMAGE_DIR/$archive.tar is missing: run $MINIKUBE_CLUSTER_DIR/build.sh"
done
for archive in pause coredns; do
  [[ -f "$IMAGE_DIR/$archive.tar" ]] || die "$IMAGE_DIR/$archive.tar is missing: run $MINIKUBE_CLUSTER_DIR/build.sh"
done
require_command containerd "install containerd: apt-get install -y containerd (cluster/local/install-prereqs.sh)"
require_command ctr "install containerd (it ships ctr): apt-get install -y containerd"
require_command runc "install runc: apt-get install -y runc"
require_command iptables "install iptables: apt-get install -y iptables"
require_command conntrack "install conntrack (minikube's none driver checks for it): apt-get install -y conntrack"
require_command ipset "install ipset (kube-router keeps NetworkPolicy peers in ipsets): apt-get install -y ipset"
require_command start-stop-daemon "install dpkg's start-stop-daemon (minikube's OpenRC service scripts use it)"
require_command service "install init-system-helpers (minikube runs 'service containerd restart'): apt-get install -y init-system-helpers"
for plugin in bridge host-local loopback portmap firewall; do
  [[ -x "/usr/lib/cni/$plugin" ]] || die "CNI plugin /usr/lib/cni/$plugin missing: apt-get install -y containernetworking-plugins"
done
[[ "$(hostname)" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] \
  || die "this machine's hostname '$(hostname)' is not a valid Kubernetes node name (lower-case letters, digits, '-'): minikube's none driver names the node after it; set another with 'hostname NAME'"
ip -4 route show default | grep -q . || die "this machine has no default route: minikube's none driver takes the node's address from the default route's interface"
if [[ ! -f "$MINIKUBE_HOST_RECORD" ]]; then
  # No node of ours here: a Kubernetes or containerd found now is someone else's, which the none driver would take over
  # (kubeadm reset, containerd restarted with minikube's configuration: every container of Docker CE's gone).
  other="$(foreign_kubernetes "")"
  [[ -z "$other" ]] || die "another Kubernetes runs on this machine ($other): minikube's none driver would take over its node; stop it, or test in it with --cluster existing"
  [[ ! -e /etc/kubernetes/admin.conf ]] || die "/etc/kubernetes/admin.conf exists and this directory did not write it: a kubeadm node not ours is set up here; remove it with its own tools, or test in it with --cluster existing"
  other="$(system_containerd_not_ours)"
  [[ -z "$other" ]] || die "$other: minikube's none driver would restart it with its own configuration and stop its containers (Docker CE's among them); run minikube where no other containerd serves that socket (a VM), or use --cluster local or kind"
fi
if [[ -d /run/systemd/system ]]; then
  die "systemd runs this machine: the shims of this directory are for machines without it; install minikube as its documentation says (https://minikube.sigs.k8s.io/docs/drivers/none/)"
fi

# import ARCHIVE NAME...: imports ARCHIVE and gives the image every NAME.
import() {
  local archive="$1" stamp_file first name; shift
  stamp_file="$MINIKUBE_STATE/imported-$(basename "$archive").stamp"
  first="$(tar -xOf "$archive" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')"
  if [[ "$(cat "$stamp_file" 2>/dev/null)" != "$(stat -c '%Y-%s' "$archive")" ]] || ! ctr_system images ls -q | grep -qxF "$first"; then
    ctr_system images import "$archive" >/dev/null || die "could not import $archive into containerd: see /var/log/containerd-minikube.log"
    stat -c '%Y-%s' "$archive" >"$stamp_file"
  fi
  for name in "$@"; do
    [[ "$name" == "$first" ]] || ctr_system images tag --force "$first" "$name" >/dev/null
  done
}
# import_images: the images kubeadm and the addons ask for, under the names they ask for.
import_images() {
  local image tag names=()
  for image in "${K8S_IMAGES[@]}"; do names+=("registry.k8s.io/$image:$K8S_VERSION"); done
  import "$MINIKUBE_IMAGE_DIR/k8s.tar" "${names[@]}"
  names=()
  for tag in $ETCD_IMAGE_TAGS; do names+=("registry.k8s.io/etcd:$tag"); done
  import "$MINIKUBE_IMAGE_DIR/etcd.tar" "${names[@]}"
  import "$MINIKUBE_IMAGE_DIR/storage-provisioner.tar" "$STORAGE_PROVISIONER_IMAGE"
  import "$MINIKUBE_IMAGE_DIR/metrics-server.tar" "$METRICS_SERVER_IMAGE"
  import "$IMAGE_DIR/pause.tar" "$PAUSE_IMAGE" "registry.k8s.io/pause:$PAUSE_VERSION"
  import "$IMAGE_DIR/coredns.tar" "$COREDNS_IMAGE" "registry.k8s.io/coredns/coredns:$COREDNS_IMAGE_TAG"
}

status="$("$MINIKUBE_COMMAND" status --output json 2>/dev/null || true)"
if [[ "$status" == *'"APIServer":"Running"'* && "$status" == *'"Kubelet":"Running"'* ]] && pid_file_alive kube-router; then
  import_images  # again when build.sh rewrote an archive
  log "minikube is already running: reusing it ($status)"
  exit 0
fi

# A start that fails stops what it started (down.sh, under the lock this script holds), and puts back what up.sh
# changed on the host.
undo_on_failure "$MINIKUBE_CLUSTER_DIR/down.sh" "$MINIKUBE_LOG_DIR/down.log"

# 2. The host, as the none driver expects it; what it was first, for down.sh to put back.
record_host_state "$MINIKUBE_HOST_RECORD"
mount --make-rshared /
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || log "net.bridge.bridge-nf-call-iptables is not settable here: Services reached from a pod on the same bridge may not answer"
mkdir -p /etc/cni/net.d /opt/cni/bin
for plugin in /usr/lib/cni/*; do ln -sfn "$plugin" "/opt/cni/bin/$(basename "$plugin")"; done
if [[ -f "$CONTAINERD_CONFIG" && ! -f "$MINIKUBE_STATE/config.toml.before-minikube" ]]; then
  cp -p "$CONTAINERD_CONFIG" "$MINIKUBE_STATE/config.toml.before-minikube"
fi
mkdir -p "$(dirname "$CONTAINERD_CONFIG")"
install -m 0644 "$MINIKUBE_CLUSTER_DIR/files/containerd-config.toml" "$CONTAINERD_CONFIG"
install -m 0755 "$MINIKUBE_CLUSTER_DIR/files/containerd.init" "$CONTAINERD_INIT"

[[ -d /var/lib/containerd ]] || touch "$MINIKUBE_STATE/containerd-root-created"  # down.sh --purge removes only what we made

# 3. containerd and the images (imported again only when build.sh rewrote an archive).
"$CONTAINERD_INIT" start || die "containerd did not start: see /var/log/containerd-minikube.log"
import_images

# 4. minikube's binary cache: small scripts running the Kubernetes build (the kubelet's output to a log file,
#    since start-stop-daemon sends it nowhere and there is no journal).
mkdir -p "$BINARY_CACHE"
for binary in kubeadm kubelet kubectl; do
  if [[ "$binary" == kubelet ]]; then
    redirect=" >>$MINIKUBE_LOG_DIR/kubelet.log 2>&1"
  else
    redirect=""
  fi
  cat >"$BINARY_CACHE/$binary" <<SCRIPT
#!/bin/sh
# $binary $K8S_VERSION from cluster/local's build (written by cluster/minikube/up.sh).
case "\$1" in --version|version) exec "$BIN_DIR/$binary" "\$@" ;; esac
exec "$BIN_DIR/$binary" "\$@"$redirect
SCRIPT
  chmod 0755 "$BINARY_CACHE/$binary"
done

# 5. minikube itself.
log "starting minikube $MINIKUBE_VERSION with the none driver (Kubernetes $K8S_VERSION); its log: $MINIKUBE_LOG_DIR/start.log"
start_seconds=$(date +%s)
# --force: minikube $MINIKUBE_VERSION knows Kubernetes up to v1.34.0 and otherwise asks GitHub whether $K8S_VERSION
# exists (the wrapper's proxy makes that fail at once). SystemVerification: kubeadm's kernel check cannot read
# this machine's kernel modules; the rest of its preflight runs.
if ! "$MINIKUBE_COMMAND" start --driver=none --container-runtime=containerd --kubernetes-version="$K8S_VERSION" \
  --force --interactive=false --preload=false --cache-images=false --cni=bridge \
  --extra-config=kubeadm.ignore-preflight-errors=SystemVerification \
  --wait=apiserver,system_pods,node_ready,default_sa --wait-timeout=6m0s \
  --alsologtostderr -v=1 2>>"$MINIKUBE_LOG_DIR/start.log"; then
  tail -n 40 "$MINIKUBE_LOG_DIR/start.log" >&2
  die "minikube start failed (its log's end above: $MINIKUBE_LOG_DIR/start.log; the kubelet's: $MINIKUBE_LOG_DIR/kubelet.log); up.sh stops what it started: fix the cause and run it again"
fi
log "minikube started in $(( $(date +%s) - start_seconds ))s"

# The metrics-server addon names its image by digest in a registry: enabled here with this machine's build (minikube
# keeps the choice in the profile, so minikube-setup.sh's `addons enable metrics-server` applies the same). Then the
# API server restarts once metrics-server runs: observed here, the API server answers 404 for an aggregated API it
# first met before that API served (metrics-server itself answers 200 at its Service), until it restarts (cause not
# found); and an aggregated API that does not answer keeps every namespace from being deleted. Done when the API
# server serves metrics.k8s.io.
"$MINIKUBE_COMMAND" addons enable metrics-server --images="MetricsServer=$METRICS_SERVER_NAME" \
  --registries="MetricsServer=$METRICS_SERVER_REGISTRY" >>"$MINIKUBE_LOG_DIR/start.log" 2>&1 \
  || die "could not enable minikube's metrics-server addon with $METRICS_SERVER_IMAGE: see $MINIKUBE_LOG_DIR/start.log"
log "metrics-server: enabled with $METRICS_SERVER_IMAGE; waiting for it, then restarting the API server (about a minute)"
"$BIN_DIR/kubectl" --context minikube -n kube-system rollout status deployment/metrics-server --timeout=180s >/dev/null \
  || die "metrics-server did not become ready within 180s: see 'kubectl -n kube-system describe pod -l k8s-app=metrics-server'"
crictl_node() { "$BIN_DIR/crictl" --runtime-endpoint "unix://$SYSTEM_CONTAINERD_SOCKET" "$@"; }
crictl_node stop "$(crictl_node ps --name kube-apiserver -q)" >/dev/null || die "could not restart the API server's container"
deadline=$(( $(date +%s) + 180 ))
# Ready again (every post-start hook: the RBAC bootstrap takes some seconds after a restart), serving the metrics API.
until "$BIN_DIR/kubectl" --context minikube get --raw /readyz >/dev/null 2>&1 \
  && "$BIN_DIR/kubectl" --context minikube get --raw /apis/metrics.k8s.io/v1beta1 >/dev/null 2>&1; do
  (( $(date +%s) < deadline )) || die "the API server was not ready and serving metrics.k8s.io within 180s of its restart: see 'kubectl get --raw /readyz?verbose', 'kubectl -n kube-system logs deploy/metrics-server' and $MINIKUBE_LOG_DIR/kubelet.log"
  sleep 2
done
log "metrics-server: the API server is ready again and serves metrics.k8s.io"

# 6. kube-router's NetworkPolicy firewall (no routing, no service proxy), as the local cluster runs it.
if ! pid_file_alive kube-router; then
  setsid "$BIN_DIR/kube-router" --run-firewall --run-router=false --run-service-proxy=false \
    --kubeconfig /var/lib/minikube/kubeconfig --hostname-override "$(hostname)" \
    --service-cluster-ip-range "$MINIKUBE_SERVICE_CIDR" --health-port 0 --metrics-port 0 \
    </dev/null >>"$MINIKUBE_LOG_DIR/kube-router.log" 2>&1 9>&- &
  echo $! >"$MINIKUBE_PID_DIR/kube-router.pid"
  log "kube-router (NetworkPolicy firewall): started (pid $!, log $MINIKUBE_LOG_DIR/kube-router.log)"
fi
log "minikube is up in $(( $(date +%s) - started_at ))s: kubectl context 'minikube'"
exit
}
