#!/usr/bin/env bash
# shellcheck disable=SC2317  # helper functions are called indirectly (run_logged, wait_until)
# build.sh: builds the local cluster's binaries and images from upstream Go modules, cached by version.
set -euo pipefail

usage() {
  cat <<EOF
Usage: $(basename "$0") [--force] [--help]

Builds everything the local single-node Kubernetes cluster runs, from the Go module proxy
(no container registry or release download is needed):
  k8s         one multi-call binary: kube-apiserver, kube-controller-manager, kube-scheduler,
              kubelet, kube-proxy, kubeadm, kubectl (symlinks with those names point at it)
  etcd        go.etcd.io/etcd/server/v3 (wrapper module go/etcd)
  coredns     github.com/coredns/coredns (go install)
  crictl      sigs.k8s.io/cri-tools (go install), used by down.sh to stop pods cleanly
  hostpath-permissions  opens hostPath-provisioned volume directories to non-root pods
  loadbalancer-status   gives each LoadBalancer Service an external IP of its own
  kube-router github.com/cloudnativelabs/kube-router/v2 (go install): its NetworkPolicy firewall only
  pause       build/pause/linux/pause.c from the k8s.io/kubernetes module, static
  images      FROM-scratch image archives for pause and coredns (docker-archive format)

Outputs go to \$TODO_CLUSTER_CACHE/<k8s-version> (default ${CACHE_DIR}); a component whose
output exists (and, for the wrapper modules, whose sources are unchanged) is skipped, so a
second run takes seconds. Logs: ${BUILD_LOG_DIR}.
A cold build took about 10.5 minutes on a 2-core machine (empty Go build cache, modules
already downloaded); allow 15-45 minutes on a loaded machine or with downloads.

Options:
  --force   rebuild everything, ignoring cached outputs
  --help    show this help
EOF
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

export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
require_command go "install Go 1.24 or newer (https://go.dev/doc/install) and put it on PATH"
require_command gcc "install a C compiler with static libc: apt-get install -y gcc libc6-dev"
require_command tar "install tar"
require_command sha256sum "install coreutils"

mkdir -p "$BIN_DIR" "$IMAGE_DIR" "$BUILD_LOG_DIR"
build_log="$BUILD_LOG_DIR/build-$(date +%Y%m%d-%H%M%S).log"
build_started=$(date +%s)
log "building local cluster $K8S_VERSION into $CACHE_DIR (log: $build_log)"

# The go.mod files pin the versions; refuse to build when versions.env disagrees with them.
grep -q "k8s.io/kubernetes $K8S_VERSION\$" "$LOCAL_CLUSTER_DIR/go/k8s/go.mod" \
  || die "go/k8s/go.mod does not require k8s.io/kubernetes $K8S_VERSION: update versions.env or go.mod"
grep -q "go.etcd.io/etcd/server/v3 $ETCD_VERSION\$" "$LOCAL_CLUSTER_DIR/go/etcd/go.mod" \
  || die "go/etcd/go.mod does not require etcd $ETCD_VERSION: update versions.env or go.mod"

# run_logged WHAT COMMAND...: runs a long command with its output in the build log,
# printing a heartbeat with the number of packages compiled so far.
run_logged() {
  local what="$1"; shift
  local started lines pid status
  started=$(date +%s)
  echo "=== $what: $*" >>"$build_log"
  "$@" >>"$build_log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if kill -0 "$pid" 2>/dev/null && (( ($(date +%s) - started) % 30 == 0 )); then
      lines=$(wc -l <"$build_log")
      log "  $what: still building, $(( $(date +%s) - started ))s, $lines log lines"
    fi
  done
  status=0
  wait "$pid" || status=$?
  if [[ "$status" -ne 0 ]]; then
    tail -n 30 "$build_log" >&2
    die "$what failed (exit $status): see $build_log; a network error means the Go module proxy was unreachable, retry or set GOPROXY"
  fi
  log "  $what: done in $(( $(date +%s) - started ))s"
}

# source_stamp MODULE_DIR: a hash of a wrapper module's sources; a changed main.go or go.mod rebuilds.
source_stamp() { cat "$1"/go.mod "$1"/go.sum "$1"/*.go | sha256sum | cut -c1-16; }

# needs_build OUTPUT [MODULE_DIR]: true when OUTPUT is missing, --force was given, or the
# module's sources changed since OUTPUT was built.
needs_build() {
  [[ "$force" == true || ! -x "$1" ]] && return 0
  [[ $# -ge 2 ]] || return 1
  [[ "$(cat "$1.source" 2>/dev/null)" != "$(source_stamp "$2")" ]]
}

version_ldflags() {
  local flags="-s -w" package minor
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $package.gitVersion=$K8S_VERSION -X $package.gitMajor=1 -X $package.gitMinor=$minor"
    flags+=" -X $package.gitTreeState=clean -X $package.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

go_build() {
  local what="$1" module_dir="$2" output="$3"
  (cd "$module_dir" && CGO_ENABLED=0 nice -n 10 go build -v -trimpath -ldflags "$4" -o "$output.tmp" .) \
    && mv "$output.tmp" "$output" && source_stamp "$module_dir" >"$output.source"
}

# go_install BINARY PACKAGE@VERSION: go install of an upstream command whose go.mod has no replace
# lines, into the cache's gobin, then moved to $BIN_DIR/BINARY.
go_install() {
  local binary="$1" package="$2"
  GOBIN="$CACHE_DIR/gobin" CGO_ENABLED=0 nice -n 10 go install -v -trimpath -ldflags "-s -w" "$package" \
    && mv "$CACHE_DIR/gobin/$binary" "$BIN_DIR/$binary"
}

# 1. Kubernetes multi-call binary.
if needs_build "$BIN_DIR/k8s" "$LOCAL_CLUSTER_DIR/go/k8s"; then
  log "building Kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubeadm)"
  run_logged "k8s" go_build k8s "$LOCAL_CLUSTER_DIR/go/k8s" "$BIN_DIR/k8s" "$(version_ldflags)"
else
  log "k8s $K8S_VERSION: cached ($BIN_DIR/k8s)"
fi
for component in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubeadm kubectl; do
  ln -sfn k8s "$BIN_DIR/$component"
done

# 2. etcd.
if needs_build "$BIN_DIR/etcd" "$LOCAL_CLUSTER_DIR/go/etcd"; then
  log "building etcd $ETCD_VERSION"
  run_logged "etcd" go_build etcd "$LOCAL_CLUSTER_DIR/go/etcd" "$BIN_DIR/etcd" "-s -w"
else
  log "etcd $ETCD_VERSION: cached"
fi

# 3. CoreDNS (its go.mod has no replace lines, so go install works directly).
if needs_build "$BIN_DIR/coredns"; then
  log "building CoreDNS $COREDNS_VERSION"
  run_logged "coredns" go_install coredns "github.com/coredns/coredns@$COREDNS_VERSION"
else
  log "coredns $COREDNS_VERSION: cached"
fi

# 4. crictl, so down.sh can stop pod sandboxes through CRI (which runs CNI teardown).
if needs_build "$BIN_DIR/crictl"; then
  log "building crictl $CRICTL_VERSION"
  run_logged "crictl" go_install crictl "sigs.k8s.io/cri-tools/cmd/crictl@$CRICTL_VERSION"
else
  log "crictl $CRICTL_VERSION: cached"
fi

# 5. hostPath volume permission watcher.
if needs_build "$BIN_DIR/hostpath-permissions" "$LOCAL_CLUSTER_DIR/go/hostpath-permissions"; then
  log "building hostpath-permissions"
  run_logged "hostpath-permissions" go_build hostpath-permissions "$LOCAL_CLUSTER_DIR/go/hostpath-permissions" \
    "$BIN_DIR/hostpath-permissions" "-s -w"
else
  log "hostpath-permissions: cached"
fi

# 5b. LoadBalancer status publisher (client-go; mostly cache hits after the k8s build).
if needs_build "$BIN_DIR/loadbalancer-status" "$LOCAL_CLUSTER_DIR/go/loadbalancer-status"; then
  log "building loadbalancer-status"
  run_logged "loadbalancer-status" go_build loadbalancer-status "$LOCAL_CLUSTER_DIR/go/loadbalancer-status" \
    "$BIN_DIR/loadbalancer-status" "-s -w"
else
  log "loadbalancer-status: cached"
fi

# 5b. kube-router, for its NetworkPolicy firewall (the bridge CNI enforces none); no replace lines either.
if needs_build "$BIN_DIR/kube-router"; then
  log "building kube-router $KUBE_ROUTER_VERSION (NetworkPolicy firewall)"
  run_logged "kube-router" go_install kube-router "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"
else
  log "kube-router $KUBE_ROUTER_VERSION: cached"
fi

# 6. pause, compiled from the source shipped inside the k8s.io/kubernetes module.
if needs_build "$BIN_DIR/pause"; then
  log "compiling pause $PAUSE_VERSION"
  kubernetes_source="$(cd "$LOCAL_CLUSTER_DIR/go/k8s" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)"
  [[ -n "$kubernetes_source" && -f "$kubernetes_source/build/pause/linux/pause.c" ]] \
    || die "pause.c not found in the k8s.io/kubernetes module: run 'go mod download' in $LOCAL_CLUSTER_DIR/go/k8s"
  gcc -Os -Wall -Werror -static -DVERSION="v$PAUSE_VERSION-todo-chatbot" \
    -o "$BIN_DIR/pause.tmp" "$kubernetes_source/build/pause/linux/pause.c" >>"$build_log" 2>&1 \
    || die "compiling pause.c failed: install static libc (apt-get install -y libc6-dev); see $build_log"
  strip "$BIN_DIR/pause.tmp" 2>/dev/null || true
  mv "$BIN_DIR/pause.tmp" "$BIN_DIR/pause"
else
  log "pause: cached"
fi

# 7. Images.
if [[ "$force" == true || ! -f "$IMAGE_DIR/pause.tar" ]]; then
  rootfs="$(mktemp -d)"
  install -m 0755 "$BIN_DIR/pause" "$rootfs/pause"
  make_image "$PAUSE_IMAGE" "$IMAGE_DIR/pause.tar" "65535:65535" "$rootfs" /pause
  rm -rf "$rootfs"
  log "image $PAUSE_IMAGE -> $IMAGE_DIR/pause.tar"
fi
if [[ "$force" == true || ! -f "$IMAGE_DIR/coredns.tar" ]]; then
  rootfs="$(mktemp -d)"
  install -m 0755 "$BIN_DIR/coredns" "$rootfs/coredns"
  make_image "$COREDNS_IMAGE" "$IMAGE_DIR/coredns.tar" "0:0" "$rootfs" /coredns
  rm -rf "$rootfs"
  log "image $COREDNS_IMAGE -> $IMAGE_DIR/coredns.tar"
fi

# A small toolbox image (static busybox from Debian's busybox-static) for verify.sh and debugging.
if [[ "$force" == true || ! -f "$IMAGE_DIR/toolbox.tar" ]]; then
  # A scratch image has no libc: only a statically linked busybox works (ldd fails on static binaries).
  if [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1; then
    rootfs="$(mktemp -d)"
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
    chmod 1777 "$rootfs/tmp"
    install -m 0755 /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [[ "$applet" == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$rootfs/etc/passwd"
    make_image "$TOOLBOX_IMAGE" "$IMAGE_DIR/toolbox.tar" "0:0" "$rootfs" /bin/sh
    rm -rf "$rootfs"
    log "image $TOOLBOX_IMAGE -> $IMAGE_DIR/toolbox.tar"
  else
    log "no static busybox at /bin/busybox: skipping the toolbox image (apt-get install -y busybox-static to get it; verify.sh needs it)"
  fi
fi

log "build complete in $(( $(date +%s) - build_started ))s: binaries in $BIN_DIR, images in $IMAGE_DIR"
exit
}
