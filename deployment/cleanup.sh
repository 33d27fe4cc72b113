#!/usr/bin/env bash
# Removes the Todo Chatbot: the Helm release and the Secret; the data claim and the minikube cluster only when asked.
set -euo pipefail

script_name="cleanup.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<USAGE
Usage: deployment/cleanup.sh [options]

Removes what deployment/deploy.sh created, from the cluster of the current kubectl context:
  1. helm uninstall RELEASE (nothing to do when the release is not installed);
  2. deletes the Secret $secret_name;
  3. keeps the PersistentVolumeClaim with the SQLite data unless --delete-pvc is given
     (a later deploy with the same release and namespace finds the data again);
  4. with --delete-cluster, deletes the minikube cluster as well (no question asked).

Options:
  --namespace NS     namespace of the release (default: $default_namespace)
  --release NAME     Helm release name (default: $default_release)
  --delete-pvc       also delete the release's PersistentVolumeClaim(s): the todo data is lost
  --delete-cluster   also run 'minikube delete' for the profile (everything in it is lost)
  --profile NAME     minikube profile for --delete-cluster (default: minikube)
  -h, --help         show this help and exit
USAGE
}

namespace=$default_namespace
release=$default_release
delete_pvc=0
delete_cluster=0
profile=minikube

# script_option OPTION VALUE: this script's options, read by parse_options (lib.sh).
script_option() {
  case "$1" in
    --namespace|-n) namespace=$2 ;;
    --release) release=$2 ;;
    --delete-pvc) delete_pvc=1; return 1 ;;
    --delete-cluster) delete_cluster=1; return 1 ;;
    --profile) profile=$2 ;;
    *) return 2 ;;
  esac
}
parse_options "$@"

# Options first, before any tool or cluster is looked at.
validate_name "--namespace" "$namespace"
validate_name "--release" "$release"
validate_profile "$profile"

info "checking prerequisites ..."
if [[ $delete_cluster -eq 1 ]]; then
  require_tools kubectl helm minikube
else
  require_tools kubectl helm
fi

cluster_reachable=1
if [[ $delete_cluster -eq 1 ]]; then
  context=$(current_context)
  if [[ $context == "$profile" ]]; then
    # The release, Secret and claim live in the cluster about to be deleted: they go with it.
    cluster_reachable=0
    info "--delete-cluster: the release, Secret and claim go with the minikube cluster '$profile'"
  elif [[ -z $context ]] || ! cluster_answers; then
    cluster_reachable=0
    warn "the cluster of the current kubectl context does not answer: skipping the release, Secret and claim, deleting the minikube profile '$profile' only"
  fi
else
  require_cluster
fi

if [[ $cluster_reachable -eq 1 ]]; then
  info "kubectl context '$(current_context)', namespace $namespace, release $release"
  instance_selector="app.kubernetes.io/instance=$release"

  if helm status "$release" --namespace "$namespace" >/dev/null 2>&1; then
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
    info "uninstalling release $release ..."
    helm uninstall "$release" --namespace "$namespace" --wait ||
      die "helm uninstall $release failed (output above): 'helm status $release --namespace $namespace' shows the release"
    if [[ -n $unprotected_claims ]]; then
      info "helm uninstall deleted the claim(s) $(echo "$unprotected_claims" | tr '\n' ' ')with the release (--delete-pvc)"
    fi
  else
    info "release $release is not installed in namespace $namespace: nothing to uninstall"
  fi

  info "deleting Secret $secret_name ..."
  kubectl delete secret "$secret_name" --namespace "$namespace" --ignore-not-found

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
fi

if [[ $delete_cluster -eq 1 ]]; then
  info "deleting the minikube cluster (profile $profile) ..."
  minikube delete --profile "$profile" ||
    die "minikube delete --profile $profile failed (output above): 'minikube delete --all --purge' removes every profile"
fi

info "done"
