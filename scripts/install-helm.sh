#!/usr/bin/env bash
# Installs helm from the Go module proxy with the link flags of helm's own Makefile, so it knows its Kubernetes version.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/install-helm.sh [--version vX.Y.Z] [--prefix DIR] [--help]

Builds helm with `go build` from helm.sh/helm/v3 (no release download needed) into
PREFIX/helm (default: the project's .tools/bin, which the suite puts first on PATH). Skips the build when that helm already has the version.
A plain `go install` leaves helm assuming Kubernetes v1.20, which makes charts with a
kubeVersion constraint fail to render; this script sets the same link flags as helm's Makefile.
USAGE
}

version=v3.19.0
prefix="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/bin"  # the project's own: never over a binary installed on the machine
while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) version=${2:?--version needs a value like v3.19.0}; shift ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-helm.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [[ -x $prefix/helm ]] && [[ $("$prefix/helm" version --template '{{.Version}}' 2>/dev/null) == "$version" ]] \
  && "$prefix/helm" version --template '{{.GoVersion}}' >/dev/null 2>&1; then
  echo "helm: $("$prefix/helm" version --short) already installed at $prefix/helm"
  exit 0
fi
command -v go >/dev/null || { echo "install-helm.sh: go not found: install Go 1.24+ (https://go.dev/doc/install)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "helm: building $version from the Go module proxy (a few minutes on a cold cache) ..."
gomod=$(go mod download -json "helm.sh/helm/v3@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
[[ -n $gomod ]] || { echo "install-helm.sh: cannot fetch helm.sh/helm/v3@$version from the Go module proxy" >&2; exit 1; }
minor=$(awk '$1 == "k8s.io/client-go" {split($2, v, "."); print v[2]; exit}' "$gomod")   # v0.34.1 -> Kubernetes 1.34
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$version"
for package in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
  ldflags="$ldflags -X $package.k8sVersionMajor=1 -X $package.k8sVersionMinor=$minor"
done
GOBIN=$work go install -trimpath -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$version"
mkdir -p "$prefix"
install -m 0755 "$work/helm" "$prefix/helm"
echo "helm: installed $("$prefix/helm" version --short) at $prefix/helm (Kubernetes 1.$minor capabilities)"
