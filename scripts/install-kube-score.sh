#!/usr/bin/env bash
# Installs kube-score (the static tier's manifest linter) from the Go module proxy, its version stamped in.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/install-kube-score.sh [--version vX.Y.Z] [--prefix DIR] [--help]

Builds kube-score with `go install github.com/zegl/kube-score/cmd/kube-score@VERSION` (no release
download needed) into PREFIX/kube-score (default: the project's .tools/bin, which the suite puts first on PATH), with its version stamped so
`kube-score version` names it. Skips the build when that kube-score already has the version.
USAGE
}

version=v1.20.0
prefix="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/bin"  # the project's own: never over a binary installed on the machine
while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) version=${2:?--version needs a value like v1.20.0}; shift ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-kube-score.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

for installed in "$prefix/kube-score" "$(command -v kube-score || true)"; do
  if [[ -x $installed ]] && "$installed" version 2>/dev/null | grep -q "version: ${version#v},"; then
    echo "kube-score: $("$installed" version) already installed at $installed"
    exit 0
  fi
done
command -v go >/dev/null || { echo "install-kube-score.sh: go not found: install Go 1.22+ (https://go.dev/doc/install)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "kube-score: building $version from the Go module proxy (about a minute on a cold cache) ..."
GOBIN=$work go install -trimpath -ldflags "-s -w -X main.version=${version#v} -X main.commit=$version" \
  "github.com/zegl/kube-score/cmd/kube-score@$version"
mkdir -p "$prefix"
install -m 0755 "$work/kube-score" "$prefix/kube-score"
echo "kube-score: installed $("$prefix/kube-score" version) at $prefix/kube-score"
