# lib.sh: shared paths and helpers for the minikube scripts; sourced, never run.
# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this file

MINIKUBE_CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The Kubernetes build, its cache and the helpers (log, die, require_root, make_image ...) are cluster/local's.
. "$MINIKUBE_CLUSTER_DIR/../local/lib.sh"
. "$MINIKUBE_CLUSTER_DIR/versions.env"

# minikube and its images are built next to the Kubernetes build they run.
MINIKUBE_BUILD_DIR="$CACHE_DIR/minikube-$MINIKUBE_VERSION"
MINIKUBE_BINARY="$MINIKUBE_BUILD_DIR/minikube"
MINIKUBE_IMAGE_DIR="$MINIKUBE_BUILD_DIR/images"
# Installed on PATH: a wrapper that runs minikube with its offline settings (shims first on PATH, MINIKUBE_HOME).
MINIKUBE_COMMAND="/usr/local/bin/minikube"

# minikube's own state (MINIKUBE_HOME/.minikube: profiles, certificates, the binary cache) and this directory's
# (logs, pids, the containerd configuration kept from before).
MINIKUBE_STATE="${TODO_MINIKUBE_STATE:-/var/lib/todo-chatbot-minikube}"
export MINIKUBE_HOME="$MINIKUBE_STATE"
MINIKUBE_LOG_DIR="$MINIKUBE_STATE/logs"
# Written once up.sh's checks passed, before it changes the host: what the host was (record_host_state), and the proof
# that the none-driver node on this host is ours. down.sh removes nothing machine-wide without it.
MINIKUBE_HOST_RECORD="$MINIKUBE_STATE/host-before"
# Another Kubernetes, when a none-driver node of ours runs (its kubelet and control plane are ours then).
OTHER_KUBERNETES="k3s k3s-server k3s-agent kubelite"
# The containerd our init script starts records its pid here.
CONTAINERD_PID_FILE="/run/containerd-minikube.pid"
MINIKUBE_PID_DIR="$MINIKUBE_STATE/pids"
BINARY_CACHE="$MINIKUBE_STATE/.minikube/cache/linux/amd64/$K8S_VERSION"

# The none driver runs Kubernetes on this host, with the system containerd (Docker runs its own elsewhere).
SYSTEM_CONTAINERD_SOCKET="/run/containerd/containerd.sock"
CONTAINERD_CONFIG="/etc/containerd/config.toml"
CONTAINERD_INIT="/etc/init.d/containerd"
# The bridge CNI minikube writes for the none driver, and minikube's Service range (kube-router needs it).
MINIKUBE_BRIDGE="bridge"
MINIKUBE_SERVICE_CIDR="10.96.0.0/12"

# The images kubeadm and minikube's addons ask for, as they name them; all must be in containerd before start.
K8S_IMAGES=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
STORAGE_PROVISIONER_IMAGE="gcr.io/k8s-minikube/storage-provisioner:$STORAGE_PROVISIONER_TAG"
# The addon's registry and image, as `minikube addons enable --registries/--images` take them.
METRICS_SERVER_REGISTRY="localhost"
METRICS_SERVER_NAME="todo-chatbot-cluster/metrics-server:$METRICS_SERVER_VERSION"
METRICS_SERVER_IMAGE="$METRICS_SERVER_REGISTRY/$METRICS_SERVER_NAME"

ctr_system() { ctr --address "$SYSTEM_CONTAINERD_SOCKET" --namespace k8s.io "$@"; }

# local_cluster_running: the local cluster (cluster/local) holds the ports and the pod range minikube needs.
local_cluster_running() {
  local name
  for name in containerd etcd kube-apiserver kubelet; do pid_alive "$name" && return 0; done
  return 1
}

# pid_file_alive NAME: true while the process this directory started as NAME runs.
pid_file_alive() {
  local pid
  pid="$(cat "$MINIKUBE_PID_DIR/$1.pid" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && process_running "$pid" && [[ "$(basename "$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1)")" == "$1" ]]
}

# system_containerd_not_ours: describes a containerd serving $SYSTEM_CONTAINERD_SOCKET that our init script did not start
# (Docker CE's, containerd.io's, k3s's); nothing when none answers there or it is ours.
system_containerd_not_ours() {
  local pid
  [[ -S "$SYSTEM_CONTAINERD_SOCKET" ]] || return 0
  ctr --address "$SYSTEM_CONTAINERD_SOCKET" version >/dev/null 2>&1 || return 0
  pid="$(cat "$CONTAINERD_PID_FILE" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && process_running "$pid" && [[ -f "$MINIKUBE_HOST_RECORD" ]]; then return 0; fi
  printf 'a containerd this directory did not start serves %s (%s)' "$SYSTEM_CONTAINERD_SOCKET" \
    "$(ss -Hxlp "src $SYSTEM_CONTAINERD_SOCKET" 2>/dev/null | grep -o 'users:.*' | head -n 1)"
}

# installed_minikube_is_ours: true when $MINIKUBE_COMMAND is absent or the wrapper build.sh installs.
installed_minikube_is_ours() {
  [[ ! -e "$MINIKUBE_COMMAND" ]] || grep -q '^# minikube, as cluster/minikube/build.sh built it' "$MINIKUBE_COMMAND" 2>/dev/null
}
