#!/usr/bin/env bash
# Shared functions for the deployment scripts; sourced by deployment/*.sh, never run directly.
# The sourcing script sets `script_name` (used as the prefix of every message) before sourcing.
# shellcheck disable=SC2034  # the variables below are read by the scripts that source this file

# The repository root, found from this file's own path so the scripts work from any directory.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Defaults shared by the scripts (docs/contracts.md fixes these names).
default_release="todo-chatbot"
default_image_tag="1.0.0"
chart_dir="$repo_root/helm/todo-chatbot"
image_components=(frontend backend)

# info MESSAGE...: a progress message on stdout.
info() {
  echo "${script_name:-deploy}: $*"
}

# warn MESSAGE...: a warning on stderr; the script goes on.
warn() {
  echo "${script_name:-deploy}: warning: $*" >&2
}

# die MESSAGE...: an error on stderr (what is wrong and how to fix it), then exit 1.
die() {
  echo "${script_name:-deploy}: $*" >&2
  exit 1
}

# usage_error MESSAGE...: a bad command line; message on stderr, then exit 2.
usage_error() {
  echo "${script_name:-deploy}: $* (see --help)" >&2
  exit 2
}

# need_value OPTION ARGC: fail with exit 2 when OPTION was given without its value.
# Called as `need_value "$1" "$#"` before reading "$2".
need_value() {
  local option=$1 argument_count=$2
  [[ $argument_count -ge 2 ]] || usage_error "$option needs a value"
}

# parse_options ARG...: reads the command line of the sourcing script, in order.
# -h/--help prints the script's `usage` and exits 0. Every other option goes to the script's
# `script_option OPTION VALUE`, which sets what OPTION sets and returns
#   0 when OPTION takes a value (VALUE: the next argument, or what follows '=' in --OPTION=VALUE),
#   1 when OPTION is a flag, which takes no value (VALUE is ignored; --FLAG=VALUE is refused),
#   2 when OPTION is not one of the script's options (refused, naming it).
# An option that takes a value but comes last is refused by need_value; script_option then got
# an empty VALUE, which is never used because the script stops.
parse_options() {
  local option value inline status
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -h|--help) usage; exit 0 ;;
      --*=*) option=${1%%=*}; value=${1#*=}; inline=1 ;;
      *) option=$1; value=${2-}; inline=0 ;;
    esac
    status=0
    script_option "$option" "$value" || status=$?
    case "$status,$inline" in
      0,0) need_value "$1" "$#"; shift 2 ;;
      0,1|1,0) shift ;;
      *) usage_error "unknown option '$1'" ;;
    esac
  done
}

# install_hint TOOL: one line saying where to get TOOL.
install_hint() {
  case "$1" in
    docker) echo "install Docker Engine (https://docs.docker.com/engine/install/; on Debian: sudo scripts/install-docker.sh installs and starts the Debian package)" ;;
    minikube) echo "install minikube (https://minikube.sigs.k8s.io/docs/start/)" ;;
    kubectl) echo "install kubectl (https://kubernetes.io/docs/tasks/tools/)" ;;
    helm) echo "install Helm 3.12+ or Helm 4 (https://helm.sh/docs/intro/install/)" ;;
    *) echo "install $1 and put it on PATH" ;;
  esac
}

# require_tools TOOL...: every missing TOOL is named on stderr with how to install it; exit 1 if any is missing.
require_tools() {
  local tool missing=0
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "${script_name:-deploy}: $tool not found on PATH: $(install_hint "$tool")" >&2
      missing=$((missing + 1))
    fi
  done
  [[ $missing -eq 0 ]] || die "$missing required tool(s) missing (listed above): install them and run again"
}

# require_docker_engine: the docker CLI reaches a running engine, or exit 1 with the fix.
require_docker_engine() {
  docker info >/dev/null 2>&1 || die "the Docker engine does not answer ('docker info' failed): start it (sudo systemctl start docker, Docker Desktop, or scripts/install-docker.sh)"
}

# warn_if_readable_by_others FILE: a warning when users other than its owner can read FILE (it holds credentials).
warn_if_readable_by_others() {
  local file=$1
  if [[ -n $(find "$file" -maxdepth 0 \( -perm -004 -o -perm -040 \) 2>/dev/null) ]]; then
    warn "$file can be read by other users of this machine and it holds credentials: chmod 600 '$file'"
  fi
}

# secret_name_for RELEASE: the Secret deploy.sh makes for RELEASE (one per release, named after it).
secret_name_for() {
  echo "$1-secrets"
}

# The labels deploy.sh puts on its Secret; cleanup.sh deletes only a Secret that carries them.
secret_labels() {
  echo "app.kubernetes.io/instance=$1,app.kubernetes.io/created-by=deploy.sh"
}

# secret_made_for_release SECRET NAMESPACE RELEASE: true when deploy.sh made SECRET for RELEASE (its labels say so).
secret_made_for_release() {
  local owner
  owner=$(kubectl get secret "$1" --namespace "$2" \
    -o jsonpath='{.metadata.labels.app\.kubernetes\.io/instance}/{.metadata.labels.app\.kubernetes\.io/created-by}' 2>/dev/null || true)
  [[ $owner == "$3/deploy.sh" ]]
}

# kubectl and helm act on the context chosen with --context (use_context), else on kubectl's current one.
kube_context_args=()
kubectl() { command kubectl ${kube_context_args[@]+"${kube_context_args[@]}"} "$@"; }
helm() {
  if [[ ${#kube_context_args[@]} -gt 0 ]]; then
    command helm --kube-context "${kube_context_args[1]}" "$@"
  else
    command helm "$@"
  fi
}

# use_context NAME: every later kubectl and helm call acts on context NAME; exit 1 when kubectl has no such context.
use_context() {
  local name=$1
  command kubectl config get-contexts "$name" >/dev/null 2>&1 ||
    die "kubectl has no context '$name': 'kubectl config get-contexts' lists them"
  kube_context_args=(--context "$name")
}

# current_context: the context kubectl and helm act on (--context, else kubectl's current one), or nothing.
current_context() {
  if [[ ${#kube_context_args[@]} -gt 0 ]]; then
    echo "${kube_context_args[1]}"
  else
    command kubectl config current-context 2>/dev/null || true
  fi
}

# context_namespace: the namespace of the current context (kubectl's and helm's default), else "default".
context_namespace() {
  local namespace
  namespace=$(kubectl config view --minify -o jsonpath='{..namespace}' 2>/dev/null || true)
  echo "${namespace:-default}"
}

# context_server: the API server URL of the current context, to show which cluster a script acts on.
context_server() {
  kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null || true
}

# context_is_minikube CONTEXT: true when CONTEXT was written by minikube (its name is a minikube profile).
context_is_minikube() {
  local context=$1
  [[ -n $context ]] || return 1
  [[ $context == minikube ]] && return 0
  # minikube marks the clusters and contexts it writes with a provider extension.
  command kubectl config view --minify --context "$context" -o json 2>/dev/null | grep -q 'minikube\.sigs\.k8s\.io'
}

# cluster_answers: true when the API server of the current kubectl context answers within 15 s.
cluster_answers() {
  kubectl version --request-timeout=15s >/dev/null 2>&1
}

# require_cluster: kubectl has a context and its API server answers; exit 1 with the fix otherwise.
# Sets `kube_context` and `on_minikube` (1 or 0).
require_cluster() {
  kube_context=$(current_context)
  [[ -n $kube_context ]] || die "kubectl has no current context: start a cluster with deployment/minikube-setup.sh, or select one with 'kubectl config use-context NAME' (or set KUBECONFIG)"
  on_minikube=0
  if context_is_minikube "$kube_context"; then on_minikube=1; fi
  if ! cluster_answers; then
    if [[ $on_minikube -eq 1 ]]; then
      die "the cluster of context '$kube_context' does not answer: start it with deployment/minikube-setup.sh --profile $kube_context (or 'minikube start -p $kube_context')"
    fi
    die "the cluster of context '$kube_context' does not answer: check that it is running and reachable, or switch with 'kubectl config use-context NAME'"
  fi
}

# validate_name KIND VALUE: VALUE is a Kubernetes object name (DNS-1123 label), else exit 2.
validate_name() {
  local kind=$1 value=$2
  [[ $value =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] ||
    usage_error "$kind '$value' is not a valid name: lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit"
}

# validate_profile VALUE: VALUE is a minikube profile name (--profile), else exit 2.
validate_profile() {
  local value=$1
  [[ $value =~ ^[a-zA-Z0-9][a-zA-Z0-9._-]*$ ]] || usage_error "--profile must be letters, digits, '.', '_' or '-', got '$value'"
}
