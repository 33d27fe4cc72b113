#!/usr/bin/env bash
# Builds tasks-web and tasks-api from the app's sources (images/frontend, images/backend) with docker/*.Dockerfile.
set -euo pipefail
me=build.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: build.sh [--tag TAG] [--base auto|upstream|local] [--only web|api] [--no-cache]

Builds tasks-web:TAG and tasks-api:TAG (default tag $tag) from images/frontend and images/backend with this shell's
docker engine, checks each runs as a non-root user and prints its size. --base upstream: the Dockerfiles' default
bases, from a registry; local: the Debian bases images/base/build-bases.sh builds (no registry needed); auto
(default): upstream when present or pullable within PULL_TIMEOUT_SECONDS (default 60), else local.
USAGE
}
base=auto only="" cache=()
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --tag|--base|--only) need_arg "$1" "$#" ;;&
    --tag) tag=$2; shift ;;
    --base) base=$2; shift ;;
    --only) only=$2; shift ;;
    --no-cache) cache=(--no-cache) ;;
    *) bad_usage "unknown option '$1'" ;;
  esac
  shift
done
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || bad_usage "--tag '$tag' is not an image tag"
[[ $base =~ ^(auto|upstream|local)$ ]] || bad_usage "--base must be auto, upstream or local, got '$base'"
[[ $only =~ ^(|web|api)$ ]] || bad_usage "--only must be web or api, got '$only'"
need_tools docker; need_docker

for tier in web api; do
  [[ -z $only || $only == "$tier" ]] || continue
  dockerfile=$here/docker/$tier.Dockerfile image=tasks-$tier:$tag args=() mode=$base
  mapfile -t bases < <(sed -n -E '/^FROM/q; s/^ARG ([A-Z_]+)=([^[:space:]]+)$/\1 \2/p' "$dockerfile")  # "ARG UPSTREAM-IMAGE"
  for entry in "${bases[@]}"; do
    [[ $mode == auto ]] || break
    docker image inspect "${entry#* }" >/dev/null 2>&1 || timeout "${PULL_TIMEOUT_SECONDS:-60}" docker pull -q "${entry#* }" >/dev/null 2>&1 ||
      { mode=local && say "$tier: upstream base ${entry#* } is absent and could not be pulled: using the local bases"; }
  done
  [[ $mode != auto ]] || mode=upstream
  for entry in "${bases[@]}"; do
    [[ $mode == local ]] || break
    name=${local_base[${entry% *}]} && args+=(--build-arg "${entry% *}=todo-chatbot-base/$name:bookworm")
    docker image inspect "todo-chatbot-base/$name:bookworm" >/dev/null 2>&1 || "$root/images/base/build-bases.sh" --only "$name" ||
      die "$tier: the local base todo-chatbot-base/$name:bookworm is missing and could not be built (build-bases.sh needs root)"
  done
  say "$tier: building $image from images/${sources[$tier]} with $mode bases ..."
  docker build ${cache[@]+"${cache[@]}"} ${args[@]+"${args[@]}"} -f "$dockerfile" -t "$image" "$root/images/${sources[$tier]}" ||
    die "$tier: the build failed (above)$([[ $mode == local ]] || echo "; without a registry use --base local")"
  { user=$(docker image inspect -f '{{.Config.User}}' "$image") && uid=$(docker run --rm --entrypoint id "$image" -u); } ||
    die "$tier: 'id -u' does not run in $image (the runtime image needs id)"
  [[ $uid != 0 && ! ${user%%:*} =~ ^(|root|0+)$ ]] || die "$tier: $image runs as root (USER '$user', uid $uid): fix $dockerfile"
  say "$tier: $image runs as user $user (uid $uid), $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.1f MB", $1 / 1e6}')"
done
say "done. A cluster that pulls from no registry needs the images loaded: minikube image load tasks-web:$tag tasks-api:$tag"
