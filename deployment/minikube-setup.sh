#!/usr/bin/env bash
# Prepares a local minikube cluster for the Todo Chatbot: checks the tools, starts minikube, enables the addons.
set -euo pipefail

script_name="minikube-setup.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<USAGE
Usage: deployment/minikube-setup.sh [options]

Prepares a local minikube cluster for the Todo Chatbot:
  1. checks that docker, minikube, kubectl and helm are installed (lists every missing one);
  2. starts minikube with the given resources and Calico as its network plugin (the chart's
     NetworkPolicies need a network that enforces them; minikube's default enforces none),
     unless the profile is already running;
  3. enables the metrics-server and storage-provisioner addons;
  4. creates .env from .env.example when there is none, readable by you only (mode 600);
  5. prints how to point docker at minikube's engine, so images built next are
     visible to the cluster.

Options:
  --cpus N         CPUs for the minikube node (default: 2)
  --memory SIZE    memory for the node, in MB or with a unit: 4096, 8g (default: 4096)
  --driver NAME    minikube driver: docker, podman, kvm2, virtualbox, ... (default: docker)
  --profile NAME   minikube profile, also the kubectl context name (default: minikube)
  -h, --help       show this help and exit

Resources apply when the cluster is created; a profile that already exists keeps
its own (delete it with 'minikube delete -p NAME' to change them).

Next: eval \$(minikube docker-env) && deployment/build-images.sh && deployment/deploy.sh
USAGE
}

cpus=2
memory=4096
driver=docker
profile=minikube

# script_option OPTION VALUE: this script's options, read by parse_options (lib.sh).
script_option() {
  case "$1" in
    --cpus) cpus=$2 ;;
    --memory) memory=$2 ;;
    --driver) driver=$2 ;;
    --profile) profile=$2 ;;
    *) return 2 ;;
  esac
}
parse_options "$@"

# Options first, before any tool is looked for.
[[ $cpus =~ ^[1-9][0-9]*$ ]] || usage_error "--cpus must be a positive whole number, got '$cpus'"
[[ $cpus -ge 2 ]] || usage_error "--cpus must be at least 2 (minikube's minimum), got '$cpus'"
[[ $memory =~ ^[1-9][0-9]*([mMgG][bB]?)?$ ]] || usage_error "--memory must be a size in MB or with a unit m/g (4096, 8g), got '$memory'"
memory_mb=${memory%[bB]}
case "$memory_mb" in
  *[gG]) memory_mb=$(( ${memory_mb%[gG]} * 1024 )) ;;
  *[mM]) memory_mb=${memory_mb%[mM]} ;;
esac
[[ $memory_mb -ge 1800 ]] || usage_error "--memory must be at least 1800 MB (minikube's minimum), got '$memory'"
[[ $driver =~ ^[a-z0-9][a-z0-9_-]*$ ]] || usage_error "--driver must be a minikube driver name (docker, podman, kvm2, ...), got '$driver'"
validate_profile "$profile"

info "checking prerequisites (docker, minikube, kubectl, helm) ..."
require_tools docker minikube kubectl helm
if [[ $driver == docker ]]; then
  require_docker_engine
fi
# The machine must have what the node is given (checked only where the host says: Linux /proc, nproc).
host_cpus=$(nproc 2>/dev/null || true)
if [[ $host_cpus =~ ^[0-9]+$ && $cpus -gt $host_cpus ]]; then
  die "--cpus $cpus is more than this machine's $host_cpus CPUs: run with --cpus $host_cpus or fewer"
fi
host_memory_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null || true)
if [[ $host_memory_mb =~ ^[0-9]+$ && $memory_mb -gt $host_memory_mb ]]; then
  die "--memory $memory is more than this machine's $host_memory_mb MB: run with a smaller --memory (at least 1800 MB)"
fi
info "docker $(docker version --format '{{.Client.Version}}' 2>/dev/null || echo '?'), minikube $(minikube version --short 2>/dev/null || echo '?'), kubectl $(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n 1), helm $(helm version --template '{{.Version}}' 2>/dev/null || echo '?')"

host_state=$(minikube status --profile "$profile" --format '{{.Host}}' 2>/dev/null || true)
apiserver_state=$(minikube status --profile "$profile" --format '{{.APIServer}}' 2>/dev/null || true)
if [[ $host_state == Running && $apiserver_state == Running ]]; then
  info "minikube profile '$profile' is already running: not starting it again (its CPUs and memory stay as they are)"
  # A running profile may not be the current context, e.g. after using another cluster.
  minikube update-context --profile "$profile" >/dev/null
else
  info "starting minikube profile '$profile' (driver $driver, $cpus CPUs, memory $memory) ..."
  start=$SECONDS
  # Calico enforces the chart's NetworkPolicies (only the frontend reaches the backend); the default CNI ignores them.
  if ! minikube start --profile "$profile" --driver "$driver" --cpus "$cpus" --memory "$memory" --cni calico; then
    die "minikube start failed (output above): check 'minikube logs -p $profile'; to start from scratch run 'minikube delete -p $profile' and this script again"
  fi
  info "minikube started in $((SECONDS - start)) s"
fi

for addon in metrics-server storage-provisioner; do
  info "enabling addon $addon ..."
  minikube addons enable "$addon" --profile "$profile" >/dev/null ||
    die "enabling the minikube addon $addon failed: run 'minikube addons enable $addon -p $profile' to see why"
done

info "cluster ready: kubectl context '$(current_context)'"
env_file="$repo_root/.env"
if [[ ! -e $env_file ]]; then
  # umask 077: the copy holds credentials once filled in, so only this user may read it.
  (umask 077 && cp "$repo_root/.env.example" "$env_file")
  chmod 600 "$env_file"
  info "created .env from .env.example (mode 600, readable by you only): fill in DATABASE_URL, OPENAI_API_KEY, NEON_API_KEY"
else
  warn_if_readable_by_others "$env_file"
fi
kubectl get nodes -o wide || warn "kubectl get nodes failed: check 'kubectl config current-context' names the profile ($profile)"

cat <<NEXT

Next steps:
  # point this shell's docker at minikube's engine, so images you build are visible to the cluster
  eval \$(minikube docker-env --profile $profile)
  deployment/build-images.sh
  \$EDITOR .env            # fill in DATABASE_URL, OPENAI_API_KEY, NEON_API_KEY (or leave them empty)
  deployment/deploy.sh

(Images built with another docker engine can be copied in instead:
  minikube image load --profile $profile todo-chatbot-frontend:$default_image_tag
  minikube image load --profile $profile todo-chatbot-backend:$default_image_tag)
NEXT
