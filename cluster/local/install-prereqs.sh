#!/usr/bin/env bash
# install-prereqs.sh: installs the Debian packages the local cluster needs to build and run.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: install-prereqs.sh [--help]

Installs with apt-get (Debian bookworm) what build.sh and up.sh need and are missing (here and in
cluster/minikube, which runs the same build):
  containerd runc containernetworking-plugins iptables conntrack iproute2 curl ipset
  gcc libc6-dev (static pause) busybox-static (toolbox image for verify.sh)
  init-system-helpers (the 'service' command minikube's none driver uses without systemd)
and checks for Go 1.24 or newer (build.sh compiles everything from the Go module proxy).
Needs root.
USAGE
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  "") ;;
  *) usage >&2; echo "error: unknown argument '$1': see --help" >&2; exit 1 ;;
esac
[[ "$(id -u)" -eq 0 ]] || { echo "error: install-prereqs.sh needs root: run it with sudo" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "error: apt-get not found: install the packages listed in --help with your package manager" >&2; exit 1; }

packages=(containerd runc containernetworking-plugins iptables conntrack iproute2 curl gcc libc6-dev busybox-static ipset init-system-helpers)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "all packages present" >&2
fi
# Debian's containerd package starts its own daemon under systemd; up.sh runs a separate one
# with its own socket and state, so the packaged one may keep running or stay stopped.

export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null; then
  echo "error: Go not found: install Go 1.24 or newer (https://go.dev/doc/install) into /usr/local/go" >&2
  exit 1
fi
go_version="$(go env GOVERSION)"
minor="${go_version#go1.}"; minor="${minor%%.*}"
if (( minor < 24 )); then
  echo "error: $go_version is too old: build.sh needs Go 1.24 or newer (https://go.dev/doc/install)" >&2
  exit 1
fi
echo "prerequisites ready ($go_version)" >&2
