"""The guide's walkthrough mutants: the cluster tier (one only on minikube), each defect showing only when a new user runs the scripts and
the guide's commands."""

from __future__ import annotations

from functools import partial

from tests.mutants.catalog.features import FR013_FR014_GUIDE_WALKTHROUGH
from tests.mutants.catalog.mutant import Mutant, key, replace
from tests.mutants.catalog.paths import DEPLOY, GUIDE

walk = partial(key, FR013_FR014_GUIDE_WALKTHROUGH)  # a scenario of the walkthrough, by its title

MUTANTS = [
    # The guide, followed on a cluster: each defect shows only when the scripts and the guide's commands run
    Mutant("build-images-wrong-tag", "build-images.sh tags the images :latest, not the tag the guide loads and the chart runs",
           [walk("the guide's steps build, load and deploy a working app, and no credential is printed")],
           [replace("deployment/build-images.sh", 'image="todo-chatbot-$component:$tag"', 'image="todo-chatbot-$component:latest"')], tier="cluster"),
    Mutant("deploy-prints-credentials", "deploy.sh prints the .env it read, credentials included",
           [walk("the guide's steps build, load and deploy a working app, and no credential is printed")],
           [replace(DEPLOY, 'check_env_file "$env_file"\n', 'check_env_file "$env_file"\ninfo "credentials: $(grep -v \'^#\' "$env_file" | tr \'\\n\' \' \')"\n')],
           tier="cluster"),
    Mutant("deploy-no-rollout-wait", "deploy.sh returns as soon as helm has applied the release, before any pod is Ready",
           [walk("the guide's steps build, load and deploy a working app, and no credential is printed")],
           [replace(DEPLOY, 'for deployment in "${deployments[@]}"; do', "for deployment in; do")], tier="cluster"),
    Mutant("setup-misreads-minikube-status", "minikube-setup.sh asks minikube status for a field it does not have, so a running profile "
           "looks absent and the script starts another minikube (the recorded minikube of the static tier answers any format)",
           [walk("the guide's steps build, load and deploy a working app, and no credential is printed")],
           [replace("deployment/minikube-setup.sh", "--format '{{.Host}}'", "--format '{{.host}}'")], tier="cluster", cluster="minikube"),
    Mutant("deploy-client-side-apply", "deploy.sh applies the Secret client-side, which copies every value into an annotation",
           [walk("the guide's steps build, load and deploy a working app, and no credential is printed")],
           [replace(DEPLOY, "kubectl apply --server-side --field-manager=deploy.sh --force-conflicts -f -", "kubectl apply -f -")], tier="cluster"),
    Mutant("deploy-restart-inverted", "deploy.sh restarts the backend when the Secret is unchanged, and not when it changed",
           [walk("deploy.sh run again with nothing changed replaces no pod"), walk("deploy.sh run again after .env changed gives the backend the new value")],
           [replace(DEPLOY, "if [[ $release_existed -eq 1 && $secret_changed -eq 1 ]]; then", "if [[ $release_existed -eq 1 && $secret_changed -eq 0 ]]; then")],
           tier="cluster"),
    Mutant("guide-v5-wrong-path", "the guide's V-5 lists the todos at /todos, which the frontend does not proxy to the API",
           [walk("the guide's verification commands V-1 to V-7 print what the guide documents")],
           [replace(GUIDE, "curl -s -w ' %{http_code}\\n' http://127.0.0.1:8080/api/todos\n", "curl -s -w ' %{http_code}\\n' http://127.0.0.1:8080/todos\n")], tier="cluster"),
    Mutant("cleanup-unasked-deletes-data", "cleanup.sh never asks, and deletes the data claim by default",
           [walk("cleanup.sh asks first, and deletes nothing without a yes"), walk("cleanup.sh keeps the todos, and deploying again finds them")],
           [replace("deployment/cleanup.sh", "  [[ $assume_yes -eq 1 ]] && return 0\n", "  return 0\n"),
            replace("deployment/cleanup.sh", "\ndelete_pvc=0\n", "\ndelete_pvc=1\n")], tier="cluster"),
    Mutant("cleanup-keeps-claim-on-delete-pvc", "cleanup.sh --delete-pvc says it deletes the claim but keeps it",
           [walk("cleanup.sh --delete-pvc leaves nothing of the release")],
           [replace("deployment/cleanup.sh", 'kubectl delete --namespace "$namespace" --timeout=120s "${claims[@]}" ||', ": ||")], tier="cluster"),
]
