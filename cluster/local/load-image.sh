#!/usr/bin/env bash
# load-image.sh: copies an image from the local Docker engine into the local cluster's containerd.
set -euo pipefail

usage() {
  cat <<EOF2
Usage: $(basename "$0") IMAGE [IMAGE...]

Copies each Docker image into the local cluster's containerd (namespace k8s.io):
  docker save IMAGE | ctr --address $CONTAINERD_SOCKET -n k8s.io images import -
Pods then use it with imagePullPolicy IfNotPresent or Never (nothing can be pulled here).
An image named without a registry, like todo-chatbot-backend:1.0.0, keeps the same name
in Kubernetes.

Options:
  --help   show this help
EOF2
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -ge 1 ]] || { usage >&2; die "no image given: name one, e.g. $(basename "$0") todo-chatbot-backend:1.0.0"; }
case "$1" in -h|--help) usage; exit 0 ;; esac
require_root "load-image.sh"
require_command docker "install the Docker engine and start dockerd (scripts/install-docker.sh in this repository does both)"
require_command ctr "install containerd (it ships ctr): apt-get install -y containerd"
if [[ ! -S "$CONTAINERD_SOCKET" ]] || ! pid_alive containerd; then
  die "the local cluster's containerd is not running ($CONTAINERD_SOCKET): start it with $LOCAL_CLUSTER_DIR/up.sh"
fi

for image in "$@"; do
  docker image inspect "$image" >/dev/null 2>&1 \
    || die "image $image not found in the Docker engine: build it first (docker build -t $image ...)"
  started_at=$(date +%s)
  docker save "$image" | ctr --address "$CONTAINERD_SOCKET" --namespace k8s.io images import - >/dev/null \
    || die "importing $image into containerd failed: check $LOG_DIR/containerd.log"
  log "loaded $image into the local cluster in $(( $(date +%s) - started_at ))s"
done
