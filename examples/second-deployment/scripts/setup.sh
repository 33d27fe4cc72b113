#!/usr/bin/env bash
# Gets a machine ready for the tasks deployment: checks the tools, starts minikube, makes a private .env.
set -euo pipefail
me=setup.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: setup.sh [--cpus N] [--memory MB] [--driver NAME] [--profile NAME]

Checks that docker, minikube, kubectl and helm are installed, starts the minikube profile (with Calico)
unless it runs already, enables the metrics-server and storage-provisioner addons, and makes
$here/.env from example.env (mode 600) when there is none.
  --cpus N         CPUs of the node (default 2)        --memory MB     memory of the node, MB or 8g (default 4096)
  --driver NAME    minikube driver (default docker)    --profile NAME  minikube profile (default minikube)
USAGE
}
cpus=2 memory=4096 driver=docker profile=minikube
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --cpus|--memory|--driver|--profile) need_arg "$1" "$#" ;;&
    --cpus) cpus=$2; shift ;;
    --memory) memory=$2; shift ;;
    --driver) driver=$2; shift ;;
    --profile) profile=$2; shift ;;
    *) bad_usage "unknown option '$1'" ;;
  esac
  shift
done
[[ $cpus =~ ^[1-9][0-9]*$ && $cpus -ge 2 ]] || bad_usage "--cpus must be a whole number of at least 2, got '$cpus'"
[[ $memory =~ ^([1-9][0-9]*)([mMgG]?)$ ]] || bad_usage "--memory must be MB or a size like 8g, got '$memory'"
memory_mb=${BASH_REMATCH[1]}
if [[ ${BASH_REMATCH[2]} == [gG] ]]; then memory_mb=$((memory_mb * 1024)); fi
[[ $driver =~ ^[a-z0-9][a-z0-9_-]*$ && $profile =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || bad_usage "--driver or --profile is not a name"

need_tools docker minikube kubectl helm
[[ $driver != docker ]] || need_docker
[[ $cpus -le $(nproc) ]] || die "--cpus $cpus is more than this machine's $(nproc) CPUs: ask for fewer"
host_mb=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
[[ $memory_mb -le $host_mb ]] || die "--memory $memory is more than this machine's $host_mb MB: ask for less"

if [[ $(minikube status --profile "$profile" --format '{{.Host}}' 2>/dev/null || true) == Running ]]; then
  say "minikube profile '$profile' is already running: leaving it as it is"
  minikube update-context --profile "$profile" >/dev/null
else
  say "starting minikube profile '$profile' ($driver, $cpus CPUs, $memory_mb MB) ..."
  minikube start --profile "$profile" --driver "$driver" --cpus "$cpus" --memory "$memory_mb" --cni calico ||
    die "minikube start failed (above): 'minikube logs -p $profile' says why; 'minikube delete -p $profile' starts afresh"
fi
for addon in metrics-server storage-provisioner; do
  minikube addons enable "$addon" --profile "$profile" >/dev/null || die "enabling the addon $addon failed: try 'minikube addons enable $addon -p $profile'"
done
if [[ ! -e $here/.env ]]; then
  (umask 077 && cp "$here/example.env" "$here/.env") && chmod 600 "$here/.env"
  say "made $here/.env from example.env (readable by you only): fill in DATABASE_URL, OPENAI_API_KEY, NEON_API_KEY"
fi
say "ready: context $(kubectl config current-context 2>/dev/null || echo '?'). Next: scripts/build.sh, minikube image load tasks-web:$tag tasks-api:$tag, scripts/deploy.sh"
