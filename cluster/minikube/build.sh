#!/usr/bin/env bash
# build.sh: builds minikube and the images its none driver needs offline, from the Go module proxy, cached by version.
set -euo pipefail

usage() {
  cat <<EOF2
Usage: $(basename "$0") [--force] [--help]

Builds what 'minikube start --driver=none' needs on a machine that reaches no container registry:
  Kubernetes  cluster/local/build.sh (one build serves both clusters): kubeadm, kubelet, kubectl,
              the control plane, etcd, CoreDNS, pause, crictl, kube-router
  minikube    k8s.io/minikube/cmd/minikube $MINIKUBE_VERSION (wrapper module go/minikube)
  storage-provisioner   the addon's provisioner, minikube's pkg/storage (go/minikube/storage-provisioner)
  metrics-server        sigs.k8s.io/metrics-server $METRICS_SERVER_VERSION (go install), for the metrics-server addon
  images      FROM-scratch image archives under the names kubeadm and minikube ask for:
              the control plane and kube-proxy (with iptables-nft, as the host uses), etcd, the provisioner
and installs $MINIKUBE_COMMAND, a wrapper that runs minikube with MINIKUBE_HOME=$MINIKUBE_STATE
and this directory's shims first on PATH (see README.md: why a systemctl and a sudo shim).

Outputs go to $MINIKUBE_BUILD_DIR; a second run takes seconds.
Options:
  --force   rebuild minikube and the images, ignoring cached outputs
  --help    show this help
EOF2
}

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The braces make bash read the whole script before running it, so editing it mid-run is safe.
{

force=false
for argument in "$@"; do
  case "$argument" in
    --force) force=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$argument': see --help" ;;
  esac
done
require_root "build.sh"
# Another minikube installed there is the user's: never overwritten.
installed_minikube_is_ours \
  || die "$MINIKUBE_COMMAND is a minikube this script did not install: it is left as it is; use it (--cluster minikube runs the minikube on PATH), or move it away to install this repository's offline build"

if [[ "$force" == true ]]; then "$LOCAL_CLUSTER_DIR/build.sh" --force; else "$LOCAL_CLUSTER_DIR/build.sh"; fi

# One build at a time (make test starts one in the background while the mutants run; the provider's waits for it).
mkdir -p "$MINIKUBE_BUILD_DIR"
exec 8>"$MINIKUBE_BUILD_DIR/.build.lock"
if ! flock -n 8; then
  log "another minikube build.sh is running: waiting for it (up to 30 minutes)"
  flock -w 1800 8 || die "another minikube build.sh has held $MINIKUBE_BUILD_DIR/.build.lock for 30 minutes: wait for it, or stop it"
fi

export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
require_command go "install Go 1.24 or newer (https://go.dev/doc/install) and put it on PATH"
mkdir -p "$MINIKUBE_IMAGE_DIR" "$BUILD_LOG_DIR"
build_log="$BUILD_LOG_DIR/minikube-build-$(date +%Y%m%d-%H%M%S).log"
started_at=$(date +%s)
module="$MINIKUBE_CLUSTER_DIR/go/minikube"
grep -q "k8s.io/minikube $MINIKUBE_VERSION\$" "$module/go.mod" \
  || die "go/minikube/go.mod does not require k8s.io/minikube $MINIKUBE_VERSION: update versions.env or go.mod"
stamp="$(cat "$module/go.mod" "$module/go.sum" "$module"/*/*.go "$MINIKUBE_CLUSTER_DIR/versions.env" | sha256sum | cut -c1-16)"

# build_command NAME PACKAGE LDFLAGS: go build of one of minikube's commands, with a heartbeat while it compiles.
build_command() {
  local name="$1" package="$2" flags="$3" pid
  if [[ "$force" != true && -x "$MINIKUBE_BUILD_DIR/$name" && "$(cat "$MINIKUBE_BUILD_DIR/$name.source" 2>/dev/null)" == "$stamp" ]]; then
    log "$name $MINIKUBE_VERSION: cached"
    return
  fi
  log "building $name $MINIKUBE_VERSION (log: $build_log; a cold build takes several minutes)"
  (cd "$module" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "$flags" -o "$MINIKUBE_BUILD_DIR/$name.tmp" "$package") \
    >>"$build_log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    (( ($(date +%s) - started_at) % 30 == 0 )) && log "  $name: still building, $(( $(date +%s) - started_at ))s"
  done
  wait "$pid" || { tail -n 30 "$build_log" >&2; die "building $name failed: see $build_log; a network error means the Go module proxy was unreachable"; }
  mv "$MINIKUBE_BUILD_DIR/$name.tmp" "$MINIKUBE_BUILD_DIR/$name"
  echo "$stamp" >"$MINIKUBE_BUILD_DIR/$name.source"
  log "  $name: done"
}

version_package=k8s.io/minikube/pkg/version
build_command minikube k8s.io/minikube/cmd/minikube "-s -w -X $version_package.version=$MINIKUBE_VERSION \
-X $version_package.isoVersion=$MINIKUBE_VERSION -X $version_package.gitCommitID=$MINIKUBE_COMMIT \
-X $version_package.storageProvisionerVersion=$STORAGE_PROVISIONER_TAG"
build_command storage-provisioner ./storage-provisioner "-s -w"

# metrics-server: its go.mod has no replace lines, so go install works directly.
if [[ "$force" == true || ! -x "$MINIKUBE_BUILD_DIR/metrics-server" ]]; then
  log "building metrics-server $METRICS_SERVER_VERSION (log: $build_log)"
  GOBIN="$MINIKUBE_BUILD_DIR/gobin" CGO_ENABLED=0 nice -n 10 go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION" >>"$build_log" 2>&1 \
    || { tail -n 30 "$build_log" >&2; die "building metrics-server failed: see $build_log"; }
  mv "$MINIKUBE_BUILD_DIR/gobin/metrics-server" "$MINIKUBE_BUILD_DIR/metrics-server"
  log "  metrics-server: done"
else
  log "metrics-server $METRICS_SERVER_VERSION: cached"
fi

# image_needed ARCHIVE INPUT...: true when ARCHIVE is missing or older than an input.
image_needed() {
  local archive="$1" input; shift
  [[ "$force" == true || ! -f "$archive" ]] && return 0
  for input in "$@"; do [[ "$input" -nt "$archive" ]] && return 0; done
  return 1
}

# The control plane and kube-proxy: the multi-call k8s binary under each name, and an iptables-nft userspace for
# kube-proxy (the host's own, so the rules it writes are in the tables the host's tools and Docker use).
if image_needed "$MINIKUBE_IMAGE_DIR/k8s.tar" "$BIN_DIR/k8s"; then
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/sbin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/run" "$rootfs/var/run"
  chmod 1777 "$rootfs/tmp"
  install -m 0755 "$(readlink -f "$BIN_DIR/k8s")" "$rootfs/usr/local/bin/k8s"
  for component in "${K8S_IMAGES[@]}"; do ln -s k8s "$rootfs/usr/local/bin/$component"; done
  xtables="$(readlink -f /usr/sbin/xtables-nft-multi)"
  [[ -x "$xtables" ]] || die "/usr/sbin/xtables-nft-multi not found: apt-get install -y iptables (kube-proxy's image takes it from the host)"
  install -m 0755 "$xtables" "$rootfs/usr/sbin/xtables-nft-multi"
  for tool in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -s xtables-nft-multi "$rootfs/usr/sbin/$tool"
  done
  while read -r library; do
    mkdir -p "$rootfs$(dirname "$library")"
    cp -L "$library" "$rootfs$library"
  done < <(ldd "$xtables" /usr/lib/x86_64-linux-gnu/xtables/*.so \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' | sort -u)  # the extensions' libraries too
  mkdir -p "$rootfs/usr/lib/x86_64-linux-gnu"
  cp -a /usr/lib/x86_64-linux-gnu/xtables "$rootfs/usr/lib/x86_64-linux-gnu/"
  cp /etc/protocols /etc/services "$rootfs/etc/"
  make_image "registry.k8s.io/kube-proxy:$K8S_VERSION" "$MINIKUBE_IMAGE_DIR/k8s.tar" "0:0" "$rootfs" /usr/local/bin/k8s
  rm -rf "$rootfs"
  log "image k8s (control plane and kube-proxy) -> $MINIKUBE_IMAGE_DIR/k8s.tar"
fi
# binary_image IMAGE ARCHIVE USER BINARY PATH: a FROM-scratch image of one static binary at PATH (its entrypoint),
# with a /tmp; rebuilt when the binary is newer than the archive.
binary_image() {
  local image="$1" archive="$2" user="$3" binary="$4" path="$5" rootfs
  image_needed "$archive" "$binary" || return 0
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs/tmp" "$rootfs$(dirname "$path")"
  chmod 1777 "$rootfs/tmp"
  install -m 0755 "$binary" "$rootfs$path"
  make_image "$image" "$archive" "$user" "$rootfs" "$path"
  rm -rf "$rootfs"
  log "image $image -> $archive"
}
binary_image "registry.k8s.io/etcd:${ETCD_IMAGE_TAGS%% *}" "$MINIKUBE_IMAGE_DIR/etcd.tar" "0:0" "$BIN_DIR/etcd" /usr/local/bin/etcd
binary_image "$STORAGE_PROVISIONER_IMAGE" "$MINIKUBE_IMAGE_DIR/storage-provisioner.tar" "0:0" \
  "$MINIKUBE_BUILD_DIR/storage-provisioner" /storage-provisioner
binary_image "$METRICS_SERVER_IMAGE" "$MINIKUBE_IMAGE_DIR/metrics-server.tar" "65534:65534" \
  "$MINIKUBE_BUILD_DIR/metrics-server" /metrics-server

# The command users and the suite call: minikube with the settings of this machine (see README.md).
# Copies, not links: the wrapper must keep working when this checkout is gone.
mkdir -p "$MINIKUBE_BUILD_DIR/shims"
install -m 0755 "$MINIKUBE_CLUSTER_DIR"/shims/* "$MINIKUBE_BUILD_DIR/shims/"
# minikube needs crictl on its PATH (which crictl; sudo crictl ...): the one cluster/local built.
ln -sfn "$BIN_DIR/crictl" "$MINIKUBE_BUILD_DIR/shims/crictl"
wrapper="$(mktemp)"
sed -e "s|@MINIKUBE_BINARY@|$MINIKUBE_BINARY|" -e "s|@SHIMS@|$MINIKUBE_BUILD_DIR/shims|" -e "s|@MINIKUBE_HOME@|$MINIKUBE_STATE|" \
  "$MINIKUBE_CLUSTER_DIR/files/minikube-wrapper.sh" >"$wrapper"
install -m 0755 "$wrapper" "$MINIKUBE_COMMAND"
rm -f "$wrapper"
log "installed $MINIKUBE_COMMAND ($("$MINIKUBE_COMMAND" version --short))"
log "minikube build complete in $(( $(date +%s) - started_at ))s: $MINIKUBE_BUILD_DIR"
exit
}
