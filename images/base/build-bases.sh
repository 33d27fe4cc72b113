#!/usr/bin/env bash
# Builds the local base images from Debian packages, for machines that reach no container registry.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  cat <<USAGE
Usage: images/base/build-bases.sh [--force] [--only NAME] [--help]

Builds each local base image (images/base/<name>/build.sh) with debootstrap and
'docker import', skipping those already present unless --force is given.
Needs root, debootstrap and a Docker engine.

Bases: $(find "$here" -mindepth 2 -maxdepth 2 -name build.sh -printf '%h\n' | xargs -n1 basename | sort | tr '\n' ' ')
Options:
  --force      rebuild bases that already exist
  --only NAME  build only the base NAME
  -h, --help   show this help
USAGE
}

force=0
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=1 ;;
    --only) [[ $# -ge 2 ]] || { echo "build-bases.sh: --only needs a base name (see --help)" >&2; exit 2; }; only=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-bases.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

[[ $(id -u) -eq 0 ]] || { echo "build-bases.sh: debootstrap needs root: run it with sudo" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "build-bases.sh: no Docker engine answers: run scripts/install-docker.sh" >&2; exit 1; }
if [[ -n $only && ! -x $here/$only/build.sh ]]; then
  echo "build-bases.sh: no base named '$only' (see --help for the list)" >&2
  exit 2
fi

for script in "$here"/*/build.sh; do
  name=$(basename "$(dirname "$script")")
  [[ -z $only || $only == "$name" ]] || continue
  image="todo-chatbot-base/$name:bookworm"
  if [[ $force -eq 0 ]] && docker image inspect "$image" >/dev/null 2>&1; then
    echo "base: $image already present (--force rebuilds it)"
    continue
  fi
  work=$(mktemp -d /var/tmp/todo-base-XXXXXX)
  echo "base: building $image ..."
  start=$SECONDS
  if ! "$script" "$work/rootfs" "$image"; then
    echo "base: building $image failed (work dir kept: $work)" >&2
    exit 1
  fi
  rm -rf "$work"
  echo "base: $image built in $((SECONDS - start)) s"
done
