#!/usr/bin/env bash
# Installs actionlint (the unit tests lint the GitHub Actions workflow in ci/ with it) from the Go module proxy.
set -euo pipefail

version=v1.7.12
prefix=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/bin"}  # the project's own: never over a binary installed on the machine
case "$prefix" in
  -h|--help) echo "Usage: scripts/install-actionlint.sh [PREFIX]  (builds actionlint $version into PREFIX, default the project's .tools/bin)"; exit 0 ;;
  -*) echo "install-actionlint.sh: unknown option '$prefix' (see --help)" >&2; exit 2 ;;
esac

for installed in "$prefix/actionlint" "$(command -v actionlint || true)"; do
  if [[ -x $installed ]] && [[ $("$installed" -version 2>/dev/null | head -n 1) == "${version}" ]]; then
    echo "actionlint: $version already installed at $installed"
    exit 0
  fi
done
command -v go >/dev/null || { echo "install-actionlint.sh: go not found: install Go 1.22+ (https://go.dev/doc/install)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "actionlint: building $version from the Go module proxy (about a minute on a cold cache) ..."
GOBIN=$work go install -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@$version"
mkdir -p "$prefix"
install -m 0755 "$work/actionlint" "$prefix/actionlint"
echo "actionlint: installed $("$prefix/actionlint" -version | head -n 1) at $prefix/actionlint"
