#!/usr/bin/env bash
# Deploys the tasks release: the Secret RELEASE-env from .env, then helm upgrade --install --wait.
set -euo pipefail
me=deploy.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
Usage: deploy.sh [--env-file FILE] [--release NAME] [--namespace NS] [--context NAME] [--timeout 5m] [--set KEY=VALUE]...

Checks the env file (default $here/.env, made from example.env), makes or updates the Secret RELEASE-env from it
by server-side apply (never printing a value), installs or upgrades the chart with secrets.existing=RELEASE-env and
waits for every Deployment. Default release $release, namespace: the context's. Credentials never go in --set.
USAGE
}
env_file=$here/.env namespace="" timeout=5m sets=()
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --env-file|--release|--namespace|--context|--timeout|--set) need_arg "$1" "$#" ;;&
    --env-file) env_file=$2; shift ;;
    --release) release=$2; shift ;;
    --namespace) namespace=$2; shift ;;
    --context) use_context "$2"; shift ;;
    --timeout) timeout=$2; shift ;;
    --set) [[ ,$2 =~ ,(([^=,]*\.)?(databaseUrl|openaiApiKey|neonApiKey))= ]] &&
      bad_usage "--set ${BASH_REMATCH[1]}=... refused: a credential goes in the env file, never in --set, which the release history would keep in clear"
      sets+=(--set "$2"); shift ;;
    *) bad_usage "unknown option '$1'" ;;
  esac
  shift
done
valid_name --release "$release"; valid_name --namespace "$namespace"
[[ $timeout =~ ^[0-9]+[smh]$ ]] || bad_usage "--timeout must be a duration such as 300s or 5m, got '$timeout'"
[[ -f $env_file ]] || die "no env file at $env_file: make it with 'install -m 600 $here/example.env $here/.env' and fill it in (keys as in example.env)"
check_env_file "$env_file"
need_tools kubectl helm; need_cluster
secret=$(secret_of "$release") selector=app.kubernetes.io/instance=$release
kc get namespace "$namespace" >/dev/null 2>&1 || kc create namespace "$namespace" >/dev/null
! kc get secret "$secret" -n "$namespace" >/dev/null 2>&1 || owns_secret "$release" ||
  die "the Secret $secret in $namespace was not made by deploy.sh for release $release: delete or rename it, or use another --release"
before=$(kc get secret "$secret" -n "$namespace" -o 'jsonpath={.metadata.resourceVersion}' 2>/dev/null || true)
kc create secret generic "$secret" -n "$namespace" --from-env-file="$env_file" --dry-run=client -o yaml |
  kc label --local -f - -o yaml "app.kubernetes.io/instance=$release" app.kubernetes.io/created-by=deploy.sh |
  kc apply --server-side --field-manager=deploy.sh --force-conflicts -f - >/dev/null || die "making the Secret $secret failed (above)"
installed=$(hc history "$release" -n "$namespace" --max 1 2>/dev/null || true) start=$SECONDS
say "context '$context', namespace $namespace: helm upgrade --install $release (waiting up to $timeout) ..."
hc upgrade --install "$release" "$chart" -n "$namespace" ${sets[@]+"${sets[@]}"} --set "secrets.existing=$secret" --wait --timeout "$timeout" >/dev/null ||
  { kc get pods -n "$namespace" -l "$selector" >&2; die "the release did not get ready: 'kubectl describe pod POD' and 'kubectl logs POD' say why"; }
# With secrets.existing the pod template cannot see the Secret change: restart the api so it reads the new values.
if [[ -n $installed && $before != "$(kc get secret "$secret" -n "$namespace" -o 'jsonpath={.metadata.resourceVersion}')" ]]; then
  say "the env file changed: restarting the api" && kc rollout restart deployment "$release-api" -n "$namespace" >/dev/null
fi
for deployment in $(kc get deployments -n "$namespace" -l "$selector" -o name); do
  kc rollout status "$deployment" -n "$namespace" --timeout "$timeout" >/dev/null || die "$deployment did not get ready within $timeout"
done
say "release $release deployed and ready in $((SECONDS - start)) s"
kc get pods,services,pvc -n "$namespace" -l "$selector"
say "open it: kubectl port-forward -n $namespace svc/$release-web 8080:80, then http://127.0.0.1:8080/ (or: minikube service $release-web -n $namespace --url)"
