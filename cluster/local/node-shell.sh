#!/usr/bin/env bash
# node-shell.sh: runs a shell script read from stdin on the local cluster's node (this host),
# with the cluster's crictl on PATH and pointed at its containerd.
set -euo pipefail

usage() {
  cat <<EOF2
Usage: $(basename "$0") [ARGUMENT...] < SCRIPT

Runs SCRIPT (read from stdin) with sh, ARGUMENTs as \$1.., the way 'docker exec -i NODE sh -s'
runs it on a kind node: crictl is on PATH and CONTAINER_RUNTIME_ENDPOINT names the local
cluster's containerd ($CONTAINERD_SOCKET).

Options:
  --help   show this help
EOF2
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
require_root "node-shell.sh"
[[ -x "$BIN_DIR/crictl" ]] || die "crictl is not built ($BIN_DIR/crictl): run $LOCAL_CLUSTER_DIR/build.sh"
[[ -S "$CONTAINERD_SOCKET" ]] || die "the local cluster's containerd is not running ($CONTAINERD_SOCKET): start it with $LOCAL_CLUSTER_DIR/up.sh"

export PATH="$BIN_DIR:$PATH" CONTAINER_RUNTIME_ENDPOINT="unix://$CONTAINERD_SOCKET"
exec sh -s -- "$@"
