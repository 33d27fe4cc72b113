#!/usr/bin/env bash
# Shared by setup.sh, build.sh, deploy.sh and cleanup.sh; sourced, never run. The sourcing script sets `me` first.
# shellcheck disable=SC2034  # the names below are read by the scripts that source this file
: "${me:=lib.sh}"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # examples/second-deployment
root=$(cd "$here/../.." && pwd)                          # the repository: images/frontend and images/backend
chart=$here/chart/tasks
release=tasks
tag=1.0.0
credential_keys=(DATABASE_URL OPENAI_API_KEY NEON_API_KEY)

say() { echo "$me: $*"; }
warn() { echo "$me: warning: $*" >&2; }
die() { echo "$me: $*" >&2; exit 1; }
bad_usage() { echo "$me: $* (see --help)" >&2; exit 2; }
# need_arg OPTION "$@"-count: an option that takes a value got one.
need_arg() { [[ $2 -ge 2 ]] || bad_usage "$1 needs a value"; }
# valid_name OPTION VALUE: a Kubernetes name (an empty --namespace means the context's).
valid_name() {
  [[ $1 == --namespace && -z $2 ]] || [[ $2 =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] ||
    bad_usage "$1 '$2' is not a valid name (lowercase letters, digits, '-')"
}
need_docker() { docker info >/dev/null 2>&1 || die "the Docker engine does not answer: start it (sudo systemctl start docker)"; }
# The build context of each tier, and the local Debian base (images/base/<name>) standing in for each base argument.
declare -A sources=([web]=frontend [api]=backend)
declare -A local_base=([NODE_IMAGE]=node-build [NGINX_IMAGE]=nginx-runtime [PYTHON_BUILD_IMAGE]=python-build [PYTHON_IMAGE]=python-runtime)

# need_tools TOOL...: every missing tool is named with where to install it from; then exit 1.
need_tools() {
  local tool missing=0
  declare -A from=([docker]=https://docs.docker.com/engine/install/ [minikube]=https://minikube.sigs.k8s.io/docs/start/
    [kubectl]=https://kubernetes.io/docs/tasks/tools/ [helm]=https://helm.sh/docs/intro/install/)
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    echo "$me: $tool is not on PATH: install it (${from[$tool]:-your OS packages}) and run again" >&2
    missing=1
  done
  [[ $missing -eq 0 ]] || exit 1
}

# kubectl and helm on the context --context chose (use_context), else on kubectl's current one.
kube_args=()
use_context() { kube_args=(--context "$1"); }
kc() { kubectl ${kube_args[@]+"${kube_args[@]}"} "$@"; }
hc() { helm ${kube_args[@]+--kube-context "${kube_args[1]}"} "$@"; }
# need_cluster: sets `context` and `namespace` (--namespace, else the context's, else default), or exits 1.
need_cluster() {
  context=${kube_args[1]:-$(kubectl config current-context 2>/dev/null || true)}
  [[ -n $context ]] || die "kubectl has no current context: run scripts/setup.sh, or 'kubectl config use-context NAME'"
  kc version --request-timeout=15s >/dev/null 2>&1 || die "the cluster of context '$context' does not answer: start it (scripts/setup.sh) or pick another with --context"
  [[ -n ${namespace:-} ]] || namespace=$(kc config view --minify -o 'jsonpath={..namespace}' 2>/dev/null || true)
  namespace=${namespace:-default}
}

# The Secret deploy.sh makes from .env; it labels it app.kubernetes.io/instance=RELEASE and
# app.kubernetes.io/created-by=deploy.sh, and cleanup.sh deletes only a Secret so labelled.
secret_of() { echo "$1-env"; }
owns_secret() {  # owns_secret RELEASE: the Secret exists and carries deploy.sh's labels for RELEASE
  [[ $(kc get secret "$(secret_of "$1")" -n "$namespace" -o 'jsonpath={.metadata.labels.app\.kubernetes\.io/instance}/{.metadata.labels.app\.kubernetes\.io/created-by}' 2>/dev/null) == "$1/deploy.sh" ]]
}

# check_env_file FILE: KEY=VALUE lines as `kubectl create secret --from-env-file` reads them, each credential key
# present. A problem is named by its line, never by its value.
check_env_file() {
  local file=$1 line key value problem n=0 problems=0
  local -A seen=()
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1)) && line=${line%$'\r'} && key=${line%%=*} && value=${line#*=}
    problem=""
    if ! printf '%s' "$line" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then problem="is not UTF-8 text: save the file as UTF-8"
    elif [[ $line =~ ^[[:space:]]*(#|$) ]]; then continue
    elif [[ $line != *=* || ! $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then problem="is not KEY=VALUE (no 'export', no spaces around '=')"
    elif [[ -n ${seen[$key]:-} ]]; then problem="sets $key again (first on line ${seen[$key]})"
    elif [[ $value == *[[:cntrl:]]* ]]; then problem="holds a control character in the value of $key"
    elif [[ $value =~ ^[[:space:]]|[[:space:]]$ ]]; then problem="has whitespace around the value of $key, which kubectl would keep"
    elif [[ $value =~ [[:space:]]# ]]; then problem="has a '# comment' after the value of $key, which kubectl would keep: give it a line of its own"
    fi
    [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && seen[$key]=${seen[$key]:-$n}
    [[ -z $problem ]] || { echo "$me: $file line $n $problem (the value is not shown)" >&2; problems=$((problems + 1)); }
  done < <(tr '\000' '\001' <"$file")  # bash drops NUL bytes: make them a control character the check sees
  for key in "${credential_keys[@]}"; do
    [[ -n ${seen[$key]:-} ]] || { echo "$me: $file has no $key line: add '$key=' (see example.env)" >&2; problems=$((problems + 1)); }
  done
  [[ $problems -eq 0 ]] || die "$file: $problems problem(s) above; fix them and run again"
  if [[ -n $(find "$file" -maxdepth 0 -perm /044) ]]; then
    warn "$file can be read by other users of this machine and holds credentials: chmod 600 '$file'"
  fi
}
