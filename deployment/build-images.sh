#!/usr/bin/env bash
# Builds the Todo Chatbot images (frontend, backend), checks they run as non-root, prints their sizes, optionally pushes them.
set -euo pipefail

script_name="build-images.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<USAGE
Usage: deployment/build-images.sh [options]

Builds images/frontend and images/backend as todo-chatbot-frontend:TAG and
todo-chatbot-backend:TAG with the docker engine this shell points at (run
'eval \$(minikube docker-env)' first to build straight into minikube), then
checks that each image runs as a non-root user and prints the image sizes.

Options:
  --tag TAG          image tag (default: $default_image_tag)
  --base MODE        base images the Dockerfiles start from (default: auto):
                       upstream  the Dockerfiles' defaults (BUILDER_IMAGE, RUNTIME_IMAGE),
                                 pulled from your registry
                       local     the local Debian bases listed in images/<name>/local-bases.env,
                                 built first by images/base/build-bases.sh (offline builds)
                       auto      upstream when those images are present or can be pulled,
                                 otherwise local; says which it chose and why
  --only NAME        build only frontend or only backend
  --no-cache         build without docker's layer cache
  --push REGISTRY    also tag the images as REGISTRY/todo-chatbot-<name>:TAG and push
                     them (log in first with 'docker login')
  -h, --help         show this help and exit

Environment:
  PULL_TIMEOUT_SECONDS  how long --base auto tries to pull one upstream base (default: 60)

Examples:
  deployment/build-images.sh
  deployment/build-images.sh --base local --only backend
  deployment/build-images.sh --tag 1.1.0 --push "\$REGISTRY/team"
USAGE
}

tag=$default_image_tag
base_mode=auto
only=""
push_registry=""
no_cache=0

# script_option OPTION VALUE: this script's options, read by parse_options (lib.sh).
script_option() {
  case "$1" in
    --tag) tag=$2 ;;
    --base) base_mode=$2 ;;
    --only) only=$2 ;;
    --push) push_registry=$2 ;;
    --no-cache) no_cache=1; return 1 ;;
    *) return 2 ;;
  esac
}
parse_options "$@"

# Options and input files first, before any tool is looked for.
[[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
  usage_error "--tag '$tag' is not a valid image tag: letters, digits, '_', '.', '-', at most 128 characters, not starting with '.' or '-'"
case "$base_mode" in
  auto|upstream|local) ;;
  *) usage_error "--base must be auto, upstream or local, got '$base_mode'" ;;
esac
case "$only" in
  ""|frontend|backend) ;;
  *) usage_error "--only must be frontend or backend, got '$only'" ;;
esac
if [[ -n $push_registry ]]; then
  push_registry=${push_registry%/}
  [[ $push_registry =~ ^[A-Za-z0-9][A-Za-z0-9.:_/-]*$ ]] ||
    usage_error "--push needs a registry prefix such as HOST[:PORT][/PATH], got '$push_registry'"
fi
PULL_TIMEOUT_SECONDS=${PULL_TIMEOUT_SECONDS:-60}
[[ $PULL_TIMEOUT_SECONDS =~ ^[1-9][0-9]*$ ]] || usage_error "PULL_TIMEOUT_SECONDS must be a positive number of seconds, got '$PULL_TIMEOUT_SECONDS'"

components=()
for component in "${image_components[@]}"; do
  if [[ -z $only || $only == "$component" ]]; then components+=("$component"); fi
done

# read_build_args FILE: the KEY=VALUE lines of FILE (comments and blank lines skipped), one per line.
read_build_args() {
  local file=$1 line number=0
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]+$ ]] ||
      die "${file#"$repo_root"/} line $number is not KEY=IMAGE: '$line'"
    echo "$line"
  done <"$file"
}

build_bases_script="$repo_root/images/base/build-bases.sh"
for component in "${components[@]}"; do
  context_dir="$repo_root/images/$component"
  [[ -f $context_dir/Dockerfile ]] ||
    die "no Dockerfile at images/$component/Dockerfile: the build context is missing from this checkout (update it with git pull)"
  if [[ $base_mode == local ]]; then
    [[ -f $context_dir/local-bases.env ]] ||
      die "--base local needs images/$component/local-bases.env (BUILDER_IMAGE=... and RUNTIME_IMAGE=... lines): it is missing from this checkout; use --base upstream if a registry is reachable"
    [[ -x $build_bases_script ]] ||
      die "--base local needs images/base/build-bases.sh to build the local bases: it is missing or not executable"
    read_build_args "$context_dir/local-bases.env" >/dev/null
  fi
done

# upstream_bases DOCKERFILE: the default values of the BUILDER_IMAGE and RUNTIME_IMAGE args, one per line.
upstream_bases() {
  sed -n -E 's/^[[:space:]]*ARG[[:space:]]+(BUILDER_IMAGE|RUNTIME_IMAGE)=["]?([^"[:space:]]+)["]?.*$/\2/p' "$1" | sort -u
}

# upstream_available COMPONENT: true when every upstream base of COMPONENT is present or can be pulled.
# Sets `base_reason` to say why.
upstream_available() {
  local component=$1 image bases
  bases=$(upstream_bases "$repo_root/images/$component/Dockerfile")
  if [[ -z $bases ]]; then
    base_reason="images/$component/Dockerfile has no ARG BUILDER_IMAGE=/RUNTIME_IMAGE= defaults to check"
    return 1
  fi
  local pulled=()
  for image in $bases; do
    docker image inspect "$image" >/dev/null 2>&1 && continue
    info "$component: upstream base $image not present, trying to pull it (up to ${PULL_TIMEOUT_SECONDS} s) ..."
    if timeout "$PULL_TIMEOUT_SECONDS" docker pull -q "$image" >/dev/null 2>&1; then
      pulled+=("$image")
    else
      base_reason="upstream base $image is not present and could not be pulled (no registry reachable?)"
      return 1
    fi
  done
  if [[ ${#pulled[@]} -gt 0 ]]; then
    base_reason="upstream bases present after pulling ${pulled[*]}"
  else
    base_reason="upstream bases present: $(echo "$bases" | tr '\n' ' ')"
  fi
  return 0
}

# ensure_local_bases COMPONENT: build the local bases COMPONENT's local-bases.env names, when any is missing.
ensure_local_bases() {
  local component=$1 line image base_name missing=()
  while IFS= read -r line; do
    image=${line#*=}
    docker image inspect "$image" >/dev/null 2>&1 || missing+=("$image")
  done < <(read_build_args "$repo_root/images/$component/local-bases.env")
  if [[ ${#missing[@]} -eq 0 ]]; then
    info "$component: local bases present (images/base/build-bases.sh not needed)"
    return 0
  fi
  for image in "${missing[@]}"; do
    # Local bases are named todo-chatbot-base/<base>:bookworm, built from images/base/<base>/build.sh.
    base_name=${image#todo-chatbot-base/}
    base_name=${base_name%%:*}
    if [[ $image == todo-chatbot-base/* && -x $repo_root/images/base/$base_name/build.sh ]]; then
      info "$component: local base $image missing: building it with images/base/build-bases.sh --only $base_name ..."
      "$build_bases_script" --only "$base_name" ||
        die "building the local base $image failed (output above): images/base/build-bases.sh needs root, debootstrap and a Debian mirror"
    else
      die "local base $image (images/$component/local-bases.env) is missing and images/base/ has no build.sh for it"
    fi
  done
}

info "checking prerequisites (docker) ..."
require_tools docker
require_docker_engine
if [[ -n ${MINIKUBE_ACTIVE_DOCKERD:-} ]]; then
  info "building into minikube's docker engine (profile $MINIKUBE_ACTIVE_DOCKERD)"
else
  info "building with docker engine $(docker context show 2>/dev/null || echo default)"
fi

built_images=()
for component in "${components[@]}"; do
  image="todo-chatbot-$component:$tag"
  context_dir="$repo_root/images/$component"

  mode=$base_mode
  if [[ $mode == auto ]]; then
    if upstream_available "$component"; then
      mode=upstream
    else
      mode=local
      [[ -f $context_dir/local-bases.env ]] ||
        die "$component: $base_reason, and images/$component/local-bases.env is missing, so no local bases either: make a registry reachable or update the checkout"
      [[ -x $build_bases_script ]] ||
        die "$component: $base_reason, and images/base/build-bases.sh is missing, so no local bases either"
      read_build_args "$context_dir/local-bases.env" >/dev/null
    fi
    info "$component: --base auto chose $mode bases: $base_reason"
  fi

  build_args=()
  if [[ $mode == local ]]; then
    ensure_local_bases "$component"
    while IFS= read -r line; do
      build_args+=(--build-arg "$line")
    done < <(read_build_args "$context_dir/local-bases.env")
  fi
  if [[ $no_cache -eq 1 ]]; then build_args+=(--no-cache); fi

  info "$component: building $image from images/$component ($mode bases) ..."
  start=$SECONDS
  # docker build streams its own progress (each step, or BuildKit's progress display).
  if ! docker build "${build_args[@]}" -t "$image" "$context_dir"; then
    hint="read the failing step above"
    [[ $mode == upstream ]] && hint="$hint; without a reachable registry use --base local"
    die "$component: building $image failed: $hint"
  fi
  info "$component: built $image in $((SECONDS - start)) s"

  # Non-root check: the configured user, and the uid the image really runs as.
  configured_user=$(docker image inspect --format '{{.Config.User}}' "$image")
  case "${configured_user%%:*}" in
    ""|root|0) die "$component: $image has no non-root USER (Config.User is '${configured_user:-empty}'): set USER in images/$component/Dockerfile" ;;
  esac
  uid=$(docker run --rm --entrypoint id "$image" -u) ||
    die "$component: could not run 'id -u' in $image: the runtime image needs /bin/sh and id (docs/contracts.md)"
  [[ $uid =~ ^[0-9]+$ && $uid -ne 0 ]] ||
    die "$component: $image runs as uid '$uid', expected non-root: fix USER in images/$component/Dockerfile"
  info "$component: runs as user '$configured_user' (uid $uid): non-root"
  built_images+=("$image")
done

echo
info "image sizes:"
for image in "${built_images[@]}"; do
  size_bytes=$(docker image inspect --format '{{.Size}}' "$image")
  awk -v image="$image" -v bytes="$size_bytes" 'BEGIN { printf "  %-40s %8.1f MB\n", image, bytes / 1000000 }'
  if [[ $size_bytes -gt 500000000 ]]; then
    warn "$image is larger than the 500 MB budget"
  fi
done

if [[ -n $push_registry ]]; then
  echo
  for image in "${built_images[@]}"; do
    remote="$push_registry/$image"
    info "pushing $remote ..."
    docker tag "$image" "$remote"
    docker push "$remote" ||
      die "pushing $remote failed (output above): check that the registry answers, log in with 'docker login ${push_registry%%/*}', and that you may push to that repository"
  done
fi

if [[ -z ${MINIKUBE_ACTIVE_DOCKERD:-} && -z $push_registry ]]; then
  cat <<HINT

These images are in this docker engine only. For minikube, either build inside it:
  eval \$(minikube docker-env) && deployment/build-images.sh$( [[ $tag != "$default_image_tag" ]] && printf ' --tag %s' "$tag")
or copy them in:
$(for image in "${built_images[@]}"; do printf '  minikube image load %s\n' "$image"; done)
HINT
fi
info "done: ${built_images[*]}"
