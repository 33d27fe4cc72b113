#!/usr/bin/env bash
# Removes the Todo Chatbot after asking: the Helm release and its Secret; the data claim, or the minikube cluster, only when asked.
set -euo pipefail

script_name="cleanup.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<USAGE
Usage: deployment/cleanup.sh [options]

Removes what deployment/deploy.sh created, from the cluster of the current kubectl
context (or --context):
  1. shows the context, cluster, namespace and release it is about to clean up, and what
     will go, then asks before deleting anything (unless --yes);
  2. helm uninstall RELEASE (nothing to do when the release is not installed);
  3. deletes the Secret RELEASE-secrets, only when deploy.sh made it for that release
     (labels $(secret_labels RELEASE));
  4. keeps the PersistentVolumeClaim with the SQLite data unless --delete-pvc is given
     (a later deploy with the same release and namespace finds the data again).
With --delete-cluster it deletes the minikube profile instead, and with it everything
in that cluster; the current kubectl context is not touched.

Options:
  --context NAME     kubectl context to clean up (default: the current context)
  --namespace NS     namespace of the release (default: the context's namespace, else default)
  --release NAME     Helm release name (default: $default_release)
  --delete-pvc       also delete the release's PersistentVolumeClaim(s): the todo data is lost
  --delete-cluster   delete the minikube profile (its cluster and everything in it)
  --profile NAME     minikube profile for --delete-cluster (default: minikube)
  -y, --yes          do not ask before deleting (for scripts and CI)
  -h, --help         show this help and exit

Without --yes the answer is read from standard input: 'y' or 'yes' goes on, anything
else (or no answer) deletes nothing and exits 1.
USAGE
}

namespace=""
context=""
release=$default_release
delete_pvc=0
delete_cluster=0
profile=minikube
assume_yes=0

# script_option OPTION VALUE: this script's options, read by parse_options (lib.sh).
script_option() {
  case "$1" in
    --context) context=$2 ;;
    --namespace|-n) namespace=$2 ;;
    --release) release=$2 ;;
    --delete-pvc) delete_pvc=1; return 1 ;;
    --delete-cluster) delete_cluster=1; return 1 ;;
    --profile) profile=$2 ;;
    --yes|-y) assume_yes=1; return 1 ;;
    *) return 2 ;;
  esac
}
parse_options "$@"

# Options first, before any tool or cluster is looked at.
[[ -z $namespace ]] || validate_name "--namespace" "$namespace"
validate_name "--release" "$release"
validate_profile "$profile"
secret_name=$(secret_name_for "$release")
if [[ $delete_cluster -eq 1 ]] && [[ -n $context || -n $namespace || $delete_pvc -eq 1 ]]; then
  usage_error "--delete-cluster deletes the whole minikube profile '$profile': it takes no --context, --namespace or --delete-pvc"
fi

# confirm WHAT: go on when --yes was given or the user answers y/yes; otherwise stop, having deleted nothing.
confirm() {
  local answer=""
  [[ $assume_yes -eq 1 ]] && return 0
  printf '%s: %s\n%s: go on? [y/N] ' "$script_name" "$1" "$script_name"
  if ! read -r answer; then
    echo
    die "no answer on standard input: nothing deleted (run with --yes to delete without asking)"
  fi
  [[ -t 0 ]] || echo "$answer"  # a terminal shows what was typed; show an answer read from a pipe too
  case "$answer" in
    y|Y|yes|YES|Yes) return 0 ;;
    *) die "not confirmed: nothing deleted" ;;
  esac
}

if [[ $delete_cluster -eq 1 ]]; then
  info "checking prerequisites (minikube) ..."
  require_tools minikube
  confirm "about to delete the minikube profile '$profile' with its cluster: every release, Secret and claim in it is lost"
  info "deleting the minikube cluster (profile $profile) ..."
  minikube delete --profile "$profile" ||
    die "minikube delete --profile $profile failed (output above): 'minikube delete --all --purge' removes every profile"
  info "done"
  exit 0
fi

info "checking prerequisites (kubectl, helm) ..."
require_tools kubectl helm
[[ -z $context ]] || use_context "$context"
require_cluster
[[ -n $namespace ]] || namespace=$(context_namespace)
instance_selector="app.kubernetes.io/instance=$release"

release_installed=0
unprotected_claims=""
if helm status "$release" --namespace "$namespace" >/dev/null 2>&1; then
  release_installed=1
  # helm uninstall deletes every resource of the release unless the chart marks it
  # helm.sh/resource-policy: keep. Never let it take the data claim without --delete-pvc.
  manifest=$(helm get manifest "$release" --namespace "$namespace")
  unprotected_claims=$(awk '
    /^---/ { if (kind == "PersistentVolumeClaim" && !keep) print name; kind = ""; name = ""; keep = 0; in_metadata = 0; next }
    /^kind:[[:space:]]/ { kind = $2 }
    /^metadata:/ { in_metadata = 1; next }
    /^[^[:space:]]/ { in_metadata = 0 }
    in_metadata && /^  name:[[:space:]]/ { name = $2 }
    /helm\.sh\/resource-policy"?[[:space:]]*:[[:space:]]*"?keep/ { keep = 1 }
    END { if (kind == "PersistentVolumeClaim" && !keep) print name }
  ' <<<"$manifest")
  if [[ -n $unprotected_claims && $delete_pvc -eq 0 ]]; then
    die "helm uninstall would delete the claim(s) $(echo "$unprotected_claims" | tr '\n' ' ')with the todo data, because the chart does not mark them helm.sh/resource-policy: keep. Run again with --delete-pvc to delete the data too, or copy it out first (kubectl cp --namespace $namespace POD:/app/data ./data-backup)"
  fi
fi
secret_owned=0
if secret_made_for_release "$secret_name" "$namespace" "$release"; then
  secret_owned=1
elif kubectl get secret "$secret_name" --namespace "$namespace" >/dev/null 2>&1; then
  warn "Secret $secret_name in namespace $namespace was not made by deploy.sh for release $release (labels $(secret_labels "$release") missing): leaving it"
fi
mapfile -t claims < <(kubectl get pvc --namespace "$namespace" -l "$instance_selector" -o name)

plan=()
[[ $release_installed -eq 1 ]] && plan+=("helm release $release")
[[ $secret_owned -eq 1 ]] && plan+=("Secret $secret_name")
[[ $delete_pvc -eq 1 && ${#claims[@]} -gt 0 ]] && plan+=("${claims[*]} (the todo data)")
target="context '$(current_context)' (server $(context_server)), namespace $namespace, release $release"
if [[ ${#plan[@]} -eq 0 ]]; then
  info "nothing of release $release to delete in $target"
  [[ ${#claims[@]} -eq 0 ]] || info "kept ${claims[*]} with the todo data: delete it with --delete-pvc"
  info "done"
  exit 0
fi
kept=""
[[ $delete_pvc -eq 0 && ${#claims[@]} -gt 0 ]] && kept="; kept: ${claims[*]} with the todo data"
confirm "about to delete from $target: $(printf '%s, ' "${plan[@]}" | sed 's/, $//')$kept"

if [[ $release_installed -eq 1 ]]; then
  info "uninstalling release $release ..."
  helm uninstall "$release" --namespace "$namespace" --wait ||
    die "helm uninstall $release failed (output above): 'helm status $release --namespace $namespace' shows the release"
  if [[ -n $unprotected_claims ]]; then
    info "helm uninstall deleted the claim(s) $(echo "$unprotected_claims" | tr '\n' ' ')with the release (--delete-pvc)"
  fi
else
  info "release $release is not installed in namespace $namespace: nothing to uninstall"
fi

if [[ $secret_owned -eq 1 ]]; then
  info "deleting Secret $secret_name ..."
  kubectl delete secret "$secret_name" --namespace "$namespace" --ignore-not-found
fi

mapfile -t claims < <(kubectl get pvc --namespace "$namespace" -l "$instance_selector" -o name)
if [[ ${#claims[@]} -eq 0 ]]; then
  info "no PersistentVolumeClaim of release $release left in namespace $namespace"
elif [[ $delete_pvc -eq 1 ]]; then
  info "deleting ${claims[*]} (--delete-pvc: the todo data is gone) ..."
  kubectl delete --namespace "$namespace" --timeout=120s "${claims[@]}" ||
    die "deleting ${claims[*]} did not finish: a pod may still use it ('kubectl get pods --namespace $namespace')"
else
  info "kept ${claims[*]} with the todo data (default): deploying release $release to namespace $namespace again reuses it; delete it with --delete-pvc or 'kubectl delete --namespace $namespace ${claims[*]}'"
fi

info "done"
