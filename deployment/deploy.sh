#!/usr/bin/env bash
# Deploys the Todo Chatbot with Helm: the Secret from .env, then `helm upgrade --install`, then status and the access URL.
set -euo pipefail

script_name="deploy.sh"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

required_keys=(DATABASE_URL OPENAI_API_KEY NEON_API_KEY)

usage() {
  cat <<USAGE
Usage: deployment/deploy.sh [options]

Deploys the Todo Chatbot to the cluster of the current kubectl context (or --context):
  1. checks the options and the env file (KEY=VALUE lines with ${required_keys[*]});
  2. checks kubectl and helm, renders the chart (values schema), checks the cluster
     answers and the images are there (on minikube: 'minikube image ls');
  3. creates or updates the Secret RELEASE-secrets ($(secret_name_for "$default_release") by default)
     from the env file, labelled for the release, by server-side apply (values are never printed);
  4. helm upgrade --install RELEASE helm/todo-chatbot --set existingSecret=RELEASE-secrets,
     then waits for every Deployment's rollout (not helm's --wait: it also waits for the
     LoadBalancer Service's external IP, which minikube gives only while 'minikube tunnel'
     runs), and restarts the backend when only the Secret changed;
  5. prints the pods, services and claims, and how to reach the frontend.

Options:
  --context NAME     kubectl context to deploy to (default: the current context)
  --namespace NS     namespace, created when missing (default: the context's namespace, else default)
  --release NAME     Helm release name (default: $default_release)
  --env-file FILE    env file with the credentials (default: .env at the repository root)
  --timeout DURATION how long to wait for the pods to be ready, with a unit: 300s, 5m (default: 5m)
  --tag TAG          image tag for both images (sets frontendImageTag and backendImageTag;
                     default: the chart's, $default_image_tag)
  --values FILE      extra values file for helm (repeatable; later files win)
  --set KEY=VALUE    extra value for helm, e.g. --set backendReplicaCount=1 (repeatable);
                     credentials are refused here: they belong in the env file
  -h, --help         show this help and exit

The env file (copy .env.example to .env):
  DATABASE_URL=      # empty: SQLite at sqlite:////app/data/todo.db on the data volume; or a postgresql:// URL
  OPENAI_API_KEY=    # empty: the chat endpoint answers with its built-in parser
  NEON_API_KEY=      # may stay empty
Every key must be present. Refused, by line number and without showing the value:
'change-me' placeholders, text that is not UTF-8, control characters, whitespace around
the value, and an inline '# comment' (kubectl would keep it as part of the value).
Keep the file private (chmod 600 .env): deploy.sh warns when others can read it.
USAGE
}

namespace=""
context=""
release=$default_release
env_file="$repo_root/.env"
timeout=5m
image_tag=""
values_files=()
set_values=()

# script_option OPTION VALUE: this script's options, read by parse_options (lib.sh).
script_option() {
  case "$1" in
    --namespace|-n) namespace=$2 ;;
    --context) context=$2 ;;
    --release) release=$2 ;;
    --env-file) env_file=$2 ;;
    --timeout) timeout=$2 ;;
    --tag) image_tag=$2 ;;
    --values|-f) values_files+=("$2") ;;
    --set) set_values+=("$2") ;;
    *) return 2 ;;
  esac
}
parse_options "$@"

# 1. Options and input files, before any tool or cluster is looked at.
[[ -z $namespace ]] || validate_name "--namespace" "$namespace"
validate_name "--release" "$release"
secret_name=$(secret_name_for "$release")
[[ ${#release} -le 53 ]] || usage_error "--release '$release' is longer than Helm's 53 characters"
[[ $timeout =~ ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$ ]] ||
  usage_error "--timeout must be a duration with a unit (300s, 5m, 1h), got '$timeout'"
if [[ -n $image_tag ]]; then
  [[ $image_tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || usage_error "--tag '$image_tag' is not a valid image tag"
fi
# The chart's own credential values: deploy.sh always uses the Secret from the env file, and a
# value given to helm would be stored in the release's history in clear.
credential_values="databaseUrl|openaiApiKey|neonApiKey"
for set_value in "${set_values[@]}"; do
  [[ $set_value == *=* ]] || usage_error "--set needs KEY=VALUE, got '$set_value'"
  if [[ ${set_value%%=*} =~ ^($credential_values)$ ]]; then
    usage_error "--set ${set_value%%=*}=... refused: credentials go in the env file (--env-file), which deploy.sh turns into the Secret $secret_name; a --set value would be kept in clear in the Helm release history"
  fi
done
for values_file in "${values_files[@]}"; do
  [[ -f $values_file && -r $values_file ]] ||
    die "values file not found or not readable: $values_file (--values takes a YAML file, e.g. one based on helm/todo-chatbot/values.yaml)"
  credential_line=$(grep -n -E "^[[:space:]]*($credential_values)[[:space:]]*:" "$values_file" | head -n 1 | cut -d: -f1 || true)
  [[ -z $credential_line ]] ||
    die "$values_file line $credential_line sets a credential value: credentials go in the env file (--env-file), which deploy.sh turns into the Secret $secret_name; remove that line"
done


# check_env_file FILE: the lines as `kubectl create secret --from-env-file` reads them, every required key present.
# Errors name the line or the key, never a value.
check_env_file() {
  local file=$1 line key value number=0 problems=0
  local -A seen=()
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    line=${line%$'\r'}
    [[ $number -eq 1 ]] && line=${line#$'\xef\xbb\xbf'}
    if ! printf '%s' "$line" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then
      echo "$script_name: $file line $number is not valid UTF-8 text: save the file as UTF-8 (the value is not shown)" >&2
      problems=$((problems + 1))
      key=${line%%=*}
      if [[ $key =~ ^[-._a-zA-Z][-._a-zA-Z0-9]*$ ]]; then seen[$key]=$number; fi
      continue
    fi
    line=${line#"${line%%[![:space:]]*}"}
    [[ -z $line || $line == \#* ]] && continue
    if [[ $line != *=* ]]; then
      echo "$script_name: $file line $number has no '=': write KEY=VALUE (a bare KEY would make kubectl read the value from your shell's environment)" >&2
      problems=$((problems + 1))
      continue
    fi
    key=${line%%=*}
    value=${line#*=}
    if [[ ! $key =~ ^[-._a-zA-Z][-._a-zA-Z0-9]*$ ]]; then
      echo "$script_name: $file line $number: the part before '=' is not a variable name (letters, digits, '_', '-', '.'; no 'export' prefix, no spaces around '=')" >&2
      problems=$((problems + 1))
      continue
    fi
    if [[ -n ${seen[$key]:-} ]]; then
      echo "$script_name: $file line $number: $key is set twice (also line ${seen[$key]}): keep one line" >&2
      problems=$((problems + 1))
      continue
    fi
    seen[$key]=$number
    if [[ $value == *[[:cntrl:]]* ]]; then
      echo "$script_name: $file line $number: the value of $key holds a control character (a tab, NUL, escape ...): remove it (the value is not shown)" >&2
      problems=$((problems + 1))
    elif [[ $value =~ ^[[:space:]] || $value =~ [[:space:]]$ ]]; then
      echo "$script_name: $file line $number: the value of $key starts or ends with whitespace, which kubectl keeps as part of the value: remove it (no spaces around '=')" >&2
      problems=$((problems + 1))
    elif [[ $value =~ [[:space:]]# ]]; then
      echo "$script_name: $file line $number: the value of $key has an inline '# comment', which kubectl keeps as part of the value: move the comment to a line of its own" >&2
      problems=$((problems + 1))
    elif [[ $value == change-me ]]; then
      echo "$script_name: $file line $number: $key still has the placeholder value 'change-me': set the real value, or leave it empty (see .env.example)" >&2
      problems=$((problems + 1))
    elif [[ -z $value ]]; then
      case "$key" in
        DATABASE_URL) info "DATABASE_URL is empty in $file: the backend uses SQLite at sqlite:////app/data/todo.db on the data volume" ;;
        OPENAI_API_KEY) info "OPENAI_API_KEY is empty in $file: the chat endpoint answers with its built-in parser, without OpenAI" ;;
        *) info "$key is empty in $file: the backend runs without it" ;;
      esac
    fi
    if [[ $value =~ ^\".*\"$ || $value =~ ^\'.*\'$ ]]; then
      warn "$file line $number: the value of $key is in quotes, and kubectl keeps quotes as part of the value: remove them unless they are meant"
    fi
  done < <(tr '\000' '\001' <"$file")  # bash drops NUL bytes: make them a control character the check sees
  for key in "${required_keys[@]}"; do
    if [[ -z ${seen[$key]:-} ]]; then
      echo "$script_name: $file has no $key: add a line '$key=...' (see .env.example)" >&2
      problems=$((problems + 1))
    fi
  done
  [[ $problems -eq 0 ]] || die "$file has $problems problem(s) (listed above): fix them and run again"
}

if [[ ! -e $env_file ]]; then
  die ".env not found at $env_file: copy .env.example to .env and fill in DATABASE_URL, OPENAI_API_KEY, NEON_API_KEY"
fi
[[ -f $env_file && -r $env_file ]] || die "$env_file is not a readable file: point --env-file at a KEY=VALUE file like .env.example"
info "checking $env_file ..."
check_env_file "$env_file"
warn_if_readable_by_others "$env_file"
[[ -f $chart_dir/Chart.yaml ]] || die "no chart at helm/todo-chatbot (Chart.yaml missing): update this checkout"

# 2. Tools, cluster, chart rendering (values schema), images.
info "checking prerequisites (kubectl, helm) ..."
require_tools kubectl helm

helm_values_args=()
for values_file in "${values_files[@]}"; do helm_values_args+=(--values "$values_file"); done
for set_value in "${set_values[@]}"; do helm_values_args+=(--set "$set_value"); done
if [[ -n $image_tag ]]; then
  helm_values_args+=(--set-string "frontendImageTag=$image_tag" --set-string "backendImageTag=$image_tag")
fi
# Last, so the contract holds whatever else is set: the backend reads the Secret this script manages.
helm_values_args+=(--set "existingSecret=$secret_name")

info "checking the cluster ..."
[[ -z $context ]] || use_context "$context"
require_cluster
[[ -n $namespace ]] || namespace=$(context_namespace)
info "kubectl context '$kube_context'$( [[ $on_minikube -eq 1 ]] && echo " (minikube)"), namespace $namespace, release $release"

info "rendering the chart with your values (schema check) ..."
# The cluster's version, so the chart's kubeVersion constraint is checked against the real cluster.
server_version=$(kubectl version -o json 2>/dev/null | sed -n -E '/"serverVersion"/,/}/s/^[[:space:]]*"gitVersion":[[:space:]]*"([^"]+)".*/\1/p' | head -n 1)
kube_version_args=()
[[ -n $server_version ]] && kube_version_args=(--kube-version "$server_version")
rendered=$(helm template "$release" "$chart_dir" --namespace "$namespace" "${kube_version_args[@]}" "${helm_values_args[@]}" 2>&1) ||
  die "helm could not render helm/todo-chatbot with these values: $rendered
(a 'values don't meet the specifications of the schema' error names the key: fix it in your --values file or --set; see helm/todo-chatbot/values.yaml for each key)"
mapfile -t images < <(sed -n -E 's/^[[:space:]]*image:[[:space:]]*"?([^"[:space:]]+)"?.*$/\1/p' <<<"$rendered" | sort -u)

if [[ $on_minikube -eq 1 ]]; then
  if command -v minikube >/dev/null 2>&1; then
    info "checking the images are in minikube ($kube_context) ..."
    minikube_images=$(minikube image ls --profile "$kube_context" 2>/dev/null) ||
      die "'minikube image ls --profile $kube_context' failed: is the profile running? (deployment/minikube-setup.sh --profile $kube_context)"
    missing_images=()
    for image in "${images[@]}"; do
      # minikube lists images with their registry prefix: match the whole name or a "/name" suffix.
      awk -v image="$image" '$0 == image || substr($0, length($0) - length(image)) == "/" image { found = 1 } END { exit !found }' \
        <<<"$minikube_images" || missing_images+=("$image")
    done
    if [[ ${#missing_images[@]} -gt 0 ]]; then
      die "image(s) not in minikube: ${missing_images[*]}
build them into minikube:  eval \$(minikube docker-env --profile $kube_context) && deployment/build-images.sh$( [[ -n $image_tag ]] && echo " --tag $image_tag")
or copy them in:           minikube image load --profile $kube_context IMAGE (for each image above)"
    fi
    info "images present: ${images[*]}"
  else
    warn "context '$kube_context' is minikube but the minikube command is not on PATH: not checking the images (${images[*]})"
  fi
else
  warn "context '$kube_context' is not minikube: cannot check that ${images[*]} are on its nodes; load them there (kind load docker-image, ctr images import) or push them to a registry the cluster pulls from"
fi

# 3. The Secret, from the env file; kubectl prints only the object's name.
if ! kubectl get namespace "$namespace" >/dev/null 2>&1; then
  info "creating namespace $namespace ..."
  kubectl create namespace "$namespace" >/dev/null
fi
# An interrupted helm run leaves the release pending, and helm then refuses every upgrade.
release_existed=0
release_status=$(helm history "$release" --namespace "$namespace" --max 1 -o json 2>/dev/null |
  sed -n -E 's/.*"status":[[:space:]]*"([a-z-]+)".*/\1/p' | head -n 1 || true)
if [[ -n $release_status ]]; then
  release_existed=1
  case "$release_status" in
    pending-install)
      die "release $release is stuck in $release_status (an earlier install was interrupted): remove it with 'helm uninstall $release --namespace $namespace' and run deploy.sh again" ;;
    pending-*)
      die "release $release is stuck in $release_status (an earlier helm run was interrupted): 'helm history $release --namespace $namespace', then 'helm rollback $release REVISION --namespace $namespace' to the last deployed revision, and run deploy.sh again" ;;
  esac
fi

# resourceVersion tells whether the data really changed: an apply of the same data leaves it as it is.
secret_version() {
  kubectl get secret "$secret_name" --namespace "$namespace" -o jsonpath='{.metadata.resourceVersion}' 2>/dev/null || true
}
# redact TEXT: TEXT with every value of the env file replaced by ***, for kubectl's messages.
redact() {
  local text=$1 line value
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line == *=* ]] || continue
    value=${line#*=}
    value=${value%$'\r'}
    [[ ${#value} -ge 3 ]] && text=${text//"$value"/***}
  done <"$env_file"
  echo "$text"
}
secret_version_before=$(secret_version)
if [[ -n $secret_version_before ]]; then
  secret_made_for_release "$secret_name" "$namespace" "$release" ||
    die "Secret $secret_name in namespace $namespace was not made by deploy.sh for release $release (labels $(secret_labels "$release") missing): rename or delete it, or deploy under another --release"
fi
info "creating or updating Secret $secret_name in namespace $namespace from $env_file (values not shown) ..."
# Server-side apply: no last-applied annotation, which would hold a copy of every value.
IFS=, read -r -a labels <<<"$(secret_labels "$release")"
secret_result=$( { kubectl create secret generic "$secret_name" --namespace "$namespace" \
  --from-env-file="$env_file" --dry-run=client -o yaml |
  kubectl label --local -f - -o yaml "${labels[@]}" |
  kubectl apply --server-side --field-manager=deploy.sh --force-conflicts -f - ; } 2>&1) ||
  die "creating the Secret $secret_name failed: $(redact "$secret_result")"
secret_changed=0
if [[ $(secret_version) != "$secret_version_before" ]]; then secret_changed=1; fi
if [[ -z $secret_version_before ]]; then
  info "Secret $secret_name created"
elif [[ $secret_changed -eq 1 ]]; then
  info "Secret $secret_name updated"
else
  info "Secret $secret_name unchanged"
fi

# diagnose_pods: why the release's pods are not ready, with the fix for the usual causes.
diagnose_pods() {
  local selector="app.kubernetes.io/instance=$release" pod phase reasons
  echo >&2
  kubectl get pods,pvc --namespace "$namespace" -l "$selector" >&2 || true
  echo >&2
  while read -r pod phase reasons; do
    [[ -n $pod ]] || continue
    case "$reasons" in
      *ImagePullBackOff*|*ErrImagePull*|*ErrImageNeverPull*|*InvalidImageName*)
        echo "$script_name: $pod cannot get its image: build the images into the cluster (eval \$(minikube docker-env) && deployment/build-images.sh) or 'minikube image load IMAGE'; see 'Troubleshooting' in deployment/README.md" >&2 ;;
      *CrashLoopBackOff*)
        echo "$script_name: $pod keeps crashing: read why with 'kubectl logs --namespace $namespace $pod --previous'" >&2 ;;
      *CreateContainerConfigError*)
        echo "$script_name: $pod cannot get its configuration: check 'kubectl get secret $secret_name --namespace $namespace' and 'kubectl describe pod --namespace $namespace $pod'" >&2 ;;
      *)
        if [[ $phase == Pending ]]; then
          echo "$script_name: $pod is Pending: if 'kubectl get pvc --namespace $namespace' shows its claim Pending, the cluster has no default StorageClass (minikube addons enable storage-provisioner) or set persistenceStorageClass; otherwise 'kubectl describe pod --namespace $namespace $pod' shows the scheduling events" >&2
        elif [[ -n $reasons ]]; then
          echo "$script_name: $pod is waiting ($reasons): 'kubectl describe pod --namespace $namespace $pod' shows why" >&2
        fi ;;
    esac
  done < <(kubectl get pods --namespace "$namespace" -l "$selector" \
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.phase}{" "}{range .status.containerStatuses[*]}{.state.waiting.reason}{" "}{end}{"\n"}{end}' 2>/dev/null || true)
  echo "$script_name: events: kubectl get events --namespace $namespace --sort-by=.lastTimestamp" >&2
}

# 4. The release.
info "helm upgrade --install $release helm/todo-chatbot --namespace $namespace (waiting up to $timeout for the pods) ..."
start=$SECONDS
if ! helm upgrade --install "$release" "$chart_dir" --namespace "$namespace" --create-namespace \
  "${helm_values_args[@]}" --timeout "$timeout"; then
  diagnose_pods
  die "helm upgrade --install failed or the pods were not ready within $timeout (details above); 'helm status $release --namespace $namespace' shows the release"
fi
# The wait is each Deployment's rollout, not helm's --wait: that also waits for a LoadBalancer Service's external IP
# (minikube gives one only while `minikube tunnel` runs) and counts a one-replica Deployment as ready before its pod is.
mapfile -t deployments < <(kubectl get deployment --namespace "$namespace" -l "app.kubernetes.io/instance=$release" -o name)
for deployment in "${deployments[@]}"; do
  info "waiting for $deployment to be ready ..."
  kubectl rollout status "$deployment" --namespace "$namespace" --timeout "$timeout" >/dev/null || {
    diagnose_pods
    die "$deployment was not ready within $timeout (details above)"
  }
done
info "release $release deployed and ready in $((SECONDS - start)) s"

# With existingSecret the pod template does not change when only the Secret does: restart the backend to read it.
if [[ $release_existed -eq 1 && $secret_changed -eq 1 ]]; then
  backend_deployment=$(kubectl get deployment --namespace "$namespace" \
    -l "app.kubernetes.io/instance=$release,app.kubernetes.io/component=backend" -o name 2>/dev/null | head -n 1)
  if [[ -n $backend_deployment ]]; then
    info "the Secret changed: restarting $backend_deployment so it reads the new values ..."
    kubectl rollout restart "$backend_deployment" --namespace "$namespace" >/dev/null
    kubectl rollout status "$backend_deployment" --namespace "$namespace" --timeout "$timeout" || {
      diagnose_pods
      die "$backend_deployment did not become ready after the restart (details above)"
    }
  fi
fi

# 5. Status and access.
echo
kubectl get pods,services,pvc --namespace "$namespace" -l "app.kubernetes.io/instance=$release"
echo

frontend_service=$(kubectl get service --namespace "$namespace" \
  -l "app.kubernetes.io/instance=$release,app.kubernetes.io/component=frontend" \
  -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)
frontend_port=$(kubectl get service "$frontend_service" --namespace "$namespace" \
  -o jsonpath='{.spec.ports[0].port}' 2>/dev/null || true)
if [[ -z $frontend_service ]]; then
  warn "no frontend Service found (frontendReplicaCount 0 or a changed chart?): 'kubectl get svc --namespace $namespace' lists what there is"
elif [[ $on_minikube -eq 1 ]] && command -v minikube >/dev/null 2>&1; then
  # With some drivers (docker on macOS/Windows) the command keeps a tunnel open: keep only the URL it prints first.
  url=$(timeout 30 minikube service "$frontend_service" --namespace "$namespace" --profile "$kube_context" --url 2>/dev/null | grep -m 1 -E '^https?://' || true)
  if [[ -n $url ]]; then
    info "frontend: $url"
  else
    info "frontend: run 'minikube service $frontend_service --namespace $namespace --profile $kube_context --url' (keep it open if it starts a tunnel)"
  fi
  info "or: kubectl port-forward --namespace $namespace svc/$frontend_service 8080:${frontend_port:-80}, then http://127.0.0.1:8080/"
else
  lb_address=$(kubectl get service "$frontend_service" --namespace "$namespace" \
    -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null || true)
  [[ -n $lb_address ]] && info "frontend load balancer: http://$lb_address:${frontend_port:-80}/"
  info "frontend: kubectl port-forward --namespace $namespace svc/$frontend_service 8080:${frontend_port:-80}, then http://127.0.0.1:8080/"
fi
backend_service=$(kubectl get service --namespace "$namespace" \
  -l "app.kubernetes.io/instance=$release,app.kubernetes.io/component=backend" \
  -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)
backend_port=$(kubectl get service "$backend_service" --namespace "$namespace" \
  -o jsonpath='{.spec.ports[0].port}' 2>/dev/null || true)
info "health: frontend /health.html; backend: kubectl port-forward --namespace $namespace svc/${backend_service:-BACKEND-SERVICE} 8000:${backend_port:-8000}, then curl http://127.0.0.1:8000/health"
