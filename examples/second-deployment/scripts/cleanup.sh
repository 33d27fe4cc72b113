#!/usr/bin/env bash
# Removes the tasks release and the Secret deploy.sh made for it, after asking; the data claim only with --delete-pvc.
set -euo pipefail
me=cleanup.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: cleanup.sh [--release NAME] [--namespace NS] [--context NAME] [--delete-pvc] [--yes]

Says what it is about to delete (context, namespace, release) and asks first: 'y' on standard input goes on,
anything else deletes nothing (--yes does not ask). It uninstalls the release (default $release) and deletes
the Secret RELEASE-env when deploy.sh made it for that release. The claim with the todos stays, so a later
deploy.sh finds them again, unless --delete-pvc is given.
USAGE
}
namespace="" delete_pvc=0 yes=0 answer=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --release|--namespace|--context) need_arg "$1" "$#" ;;&
    --release) release=$2; shift ;;
    --namespace) namespace=$2; shift ;;
    --context) use_context "$2"; shift ;;
    --delete-pvc) delete_pvc=1 ;;
    -y|--yes) yes=1 ;;
    *) bad_usage "unknown option '$1'" ;;
  esac
  shift
done
valid_name --release "$release"; valid_name --namespace "$namespace"
need_tools kubectl helm
need_cluster
secret=$(secret_of "$release") selector=app.kubernetes.io/instance=$release plan=() kept=""
hc status "$release" -n "$namespace" >/dev/null 2>&1 && plan+=("helm release $release")
owns_secret "$release" && plan+=("Secret $secret")
mapfile -t claims < <(kc get pvc -n "$namespace" -l "$selector" -o name)
if [[ ${#claims[@]} -gt 0 && $delete_pvc -eq 1 ]]; then plan+=("${claims[*]} (the todo data)"); fi
if [[ ${#claims[@]} -gt 0 && $delete_pvc -eq 0 ]]; then kept="; kept: ${claims[*]} with the todo data"; fi
if [[ ${#plan[@]} -eq 0 ]]; then say "nothing of release $release to delete in context '$context', namespace $namespace$kept" && exit 0; fi

printf -v what '%s, ' "${plan[@]}"
say "about to delete from context '$context', namespace $namespace, release $release: ${what%, }$kept"
if [[ $yes -eq 0 ]]; then
  printf '%s: go on? [y/N] ' "$me"
  read -r answer || true
  [[ -t 0 ]] || echo "$answer"
  [[ $answer =~ ^(y|Y|yes|YES)$ ]] || die "not confirmed: nothing deleted"
fi
if [[ ${plan[0]} == "helm release $release" ]]; then
  say "uninstalling $release ..." && hc uninstall "$release" -n "$namespace" --wait >/dev/null
fi
if owns_secret "$release"; then kc delete secret "$secret" -n "$namespace" >/dev/null && say "deleted Secret $secret"; fi
if [[ $delete_pvc -eq 1 && ${#claims[@]} -gt 0 ]]; then
  say "deleting ${claims[*]} (--delete-pvc: the todo data is gone) ..."
  kc delete -n "$namespace" --timeout=120s "${claims[@]}" >/dev/null || die "a pod still uses ${claims[*]}: 'kubectl get pods -n $namespace'"
fi
say "done"
