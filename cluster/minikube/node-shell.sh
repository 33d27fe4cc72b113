#!/usr/bin/env bash
# node-shell.sh: runs a shell script read from stdin on minikube's node, which the none driver makes this host,
# with crictl on PATH and pointed at the containerd minikube uses.
set -euo pipefail

usage() {
  cat <<EOF2
Usage: $(basename "$0") [ARGUMENT...] < SCRIPT

Runs SCRIPT (read from stdin) with sh, ARGUMENTs as \$1.., the way 'minikube ssh' runs a command on a
VM node: crictl is on PATH and CONTAINER_RUNTIME_ENDPOINT names $SYSTEM_CONTAINERD_SOCKET.

Options:
  --help   show this help
EOF2
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
require_root "node-shell.sh"
[[ -x "$BIN_DIR/crictl" ]] || die "crictl is not built ($BIN_DIR/crictl): run $MINIKUBE_CLUSTER_DIR/build.sh"
[[ -S "$SYSTEM_CONTAINERD_SOCKET" ]] || die "minikube's containerd is not running ($SYSTEM_CONTAINERD_SOCKET): start minikube with $MINIKUBE_CLUSTER_DIR/up.sh"

export PATH="$BIN_DIR:$PATH" CONTAINER_RUNTIME_ENDPOINT="unix://$SYSTEM_CONTAINERD_SOCKET"
exec sh -s -- "$@"
