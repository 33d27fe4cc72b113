"""The delivery's mutants, FR-013 scripts and FR-014 guide: static checks of the scripts and of the guide (and one of the ConfigMap it names)."""

from __future__ import annotations

from tests.mutants.catalog.features import FR009_CONFIGMAP, FR013_SCRIPTS, FR014_GUIDE
from tests.mutants.catalog.mutant import Mutant, key, replace
from tests.mutants.catalog.paths import DEPLOY, GUIDE, SCRIPTS, SETUP, T

# minikube-setup.sh's check of the machine's CPUs and memory, which must come before minikube start.
HOST_RESOURCE_CHECK = (
    '# The machine must have what the node is given (checked only where the host says: Linux /proc, nproc).\n'
    'host_cpus=$(nproc 2>/dev/null || true)\n'
    'if [[ $host_cpus =~ ^[0-9]+$ && $cpus -gt $host_cpus ]]; then\n'
    '  die "--cpus $cpus is more than this machine\'s $host_cpus CPUs: run with --cpus $host_cpus or fewer"\n'
    'fi\n'
    "host_memory_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null || true)\n"
    'if [[ $host_memory_mb =~ ^[0-9]+$ && $memory_mb -gt $host_memory_mb ]]; then\n'
    '  die "--memory $memory is more than this machine\'s $host_memory_mb MB: run with a smaller --memory (at least 1800 MB)"\n'
    'fi\n'
)

# The defects of a .env line deploy.sh refuses (the outline's examples).
ENV_DEFECTS = ("text that is not UTF-8", "a control character", "a NUL byte", "an inline comment", "a space after the equals sign", "trailing whitespace")

MUTANTS = [
    # FR-013 scripts
    Mutant("scripts-not-strict", "the scripts run without set -euo pipefail",
           [key(FR013_SCRIPTS, "<script> is strict, documented and lint-clean", script) for script in SCRIPTS],
           [replace(f"deployment/{script}", "set -euo pipefail", "set -e") for script in SCRIPTS]),
    # Each breaks one later promise of that outline, the earlier ones kept (strict mode first).
    Mutant("scripts-help-fails", "--help prints the usage and exits 1, so `script --help && ...` stops",
           [key(FR013_SCRIPTS, "<script> is strict, documented and lint-clean", script) for script in SCRIPTS],
           [replace("deployment/lib.sh", "-h|--help) usage; exit 0 ;;", "-h|--help) usage; exit 1 ;;")],
           breaks='"--help" should exit 0 and print a usage'),
    Mutant("scripts-unknown-option-unnamed", "an unknown option is refused without saying which",
           [key(FR013_SCRIPTS, "<script> is strict, documented and lint-clean", script) for script in SCRIPTS],
           [replace("deployment/lib.sh", "*) usage_error \"unknown option '$1'\" ;;", "*) usage_error \"unknown option\" ;;")],
           breaks='an unknown option should fail with a message naming it'),
    Mutant("cleanup-unquoted-expansion", "cleanup.sh expands the namespace unquoted (shellcheck SC2086: a name is split and globbed)",
           [key(FR013_SCRIPTS, "<script> is strict, documented and lint-clean", "cleanup.sh")],
           [replace("deployment/cleanup.sh", 'if helm status "$release" --namespace "$namespace" >/dev/null 2>&1; then',
                    'if helm status "$release" --namespace $namespace >/dev/null 2>&1; then')],
           breaks='shellcheck should report nothing'),
    Mutant("deploy-ignores-missing-env", "deploy.sh goes on without a .env file",
           [key(FR013_SCRIPTS, "deploy.sh refuses to run without a .env file")], [replace("deployment/deploy.sh", ".env.example", "the example file")]),
    Mutant("setup-silent-about-minikube", "minikube-setup.sh does not say how to install a missing minikube",
           [key(FR013_SCRIPTS, "minikube-setup.sh names a missing prerequisite and how to install it")],
           [replace("deployment/lib.sh", 'if ! command -v "$tool" >/dev/null 2>&1; then', 'if [[ $tool != minikube ]] && ! command -v "$tool" >/dev/null 2>&1; then')]),
    Mutant("env-example-incomplete", ".env.example forgets NEON_API_KEY",
           [key(FR013_SCRIPTS, ".env.example lists every credential")], [replace(".env.example", r"^NEON_API_KEY=.*$", "", regex=True)]),
    Mutant("deploy-env-accepts-non-utf8", "deploy.sh lets a .env line that is not UTF-8 through to kubectl",
           [key(FR013_SCRIPTS, "deploy.sh refuses a .env line holding <defect>, naming the line and never the value", "text that is not UTF-8")],
           [replace(DEPLOY, "if ! printf '%s' \"$line\" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then", "if false; then")]),
    Mutant("deploy-env-error-shows-the-line", "deploy.sh names the line that is not UTF-8 by printing it, value included",
           [key(FR013_SCRIPTS, "deploy.sh refuses a .env line holding <defect>, naming the line and never the value", "text that is not UTF-8")],
           [replace(DEPLOY, "line $number is not valid UTF-8 text: save", "line $number is not valid UTF-8 text ($line): save")]),
    Mutant("deploy-env-accepts-control-characters", "deploy.sh lets control characters and NUL bytes of a .env value through",
           [key(FR013_SCRIPTS, "deploy.sh refuses a .env line holding <defect>, naming the line and never the value", defect)
            for defect in ("a control character", "a NUL byte")],
           [replace(DEPLOY, "if [[ $value == *[[:cntrl:]]* ]]; then", "if false; then")]),
    Mutant("deploy-env-accepts-whitespace", "deploy.sh lets spaces around a .env value through (kubectl keeps them)",
           [key(FR013_SCRIPTS, "deploy.sh refuses a .env line holding <defect>, naming the line and never the value", defect)
            for defect in ("a space after the equals sign", "trailing whitespace")],
           [replace(DEPLOY, "elif [[ $value =~ ^[[:space:]] || $value =~ [[:space:]]$ ]]; then", "elif false; then")]),
    Mutant("deploy-env-accepts-inline-comments", "deploy.sh lets an inline # comment become part of a .env value",
           [key(FR013_SCRIPTS, "deploy.sh refuses a .env line holding <defect>, naming the line and never the value", "an inline comment")],
           [replace(DEPLOY, "elif [[ $value =~ [[:space:]]# ]]; then", "elif false; then")]),
    Mutant("deploy-accepts-set-credentials", "deploy.sh passes a credential given with --set to helm, which keeps it in the release history",
           [key(FR013_SCRIPTS, "deploy.sh refuses a credential given on the command line")],
           [replace(DEPLOY, "  if [[ ${set_value%%=*} =~ ^($credential_values)$ ]]; then", "  if false; then")]),
    Mutant("deploy-silent-on-readable-env", "deploy.sh says nothing about a .env that every user of the machine can read",
           [key(FR013_SCRIPTS, "deploy.sh warns when other users can read the .env")],
           [replace(DEPLOY, 'warn_if_readable_by_others "$env_file"\n', "")]),
    Mutant("setup-env-readable-by-all", "minikube-setup.sh copies .env.example to a .env every user can read",
           [key(FR013_SCRIPTS, "minikube-setup.sh starts minikube, enables the addons and makes a private .env")],
           [replace(SETUP, '(umask 077 && cp "$repo_root/.env.example" "$env_file")\n  chmod 600 "$env_file"', 'cp "$repo_root/.env.example" "$env_file"\n  chmod 644 "$env_file"')]),
    Mutant("setup-default-network", "minikube-setup.sh starts minikube with its default network, which enforces no NetworkPolicy",
           [key(FR013_SCRIPTS, "minikube-setup.sh starts minikube on a network that enforces NetworkPolicy")],
           [replace(SETUP, ' --memory "$memory" --cni calico; then', ' --memory "$memory"; then')]),
    Mutant("setup-forgets-metrics-server", "minikube-setup.sh enables only the storage provisioner",
           [key(FR013_SCRIPTS, "minikube-setup.sh starts minikube, enables the addons and makes a private .env")],
           [replace(SETUP, "for addon in metrics-server storage-provisioner; do", "for addon in storage-provisioner; do")]),
    Mutant("setup-addons-at-start", "minikube-setup.sh enables its addons with start --addons: the same cluster, written otherwise",
           [], [replace(SETUP, ' --memory "$memory" --cni calico; then', ' --memory="$memory" --cni=calico --addons=metrics-server,storage-provisioner; then'),
                replace(SETUP, "for addon in metrics-server storage-provisioner; do", "for addon in; do")],
           spares=[key(FR013_SCRIPTS, "minikube-setup.sh starts minikube, enables the addons and makes a private .env"), key(FR013_SCRIPTS, "minikube-setup.sh starts minikube on a network that enforces NetworkPolicy"),
                   key(FR013_SCRIPTS, "minikube-setup.sh starts minikube with the seed's 2 CPUs and 4GB of memory")]),
    Mutant("setup-reads-whole-status", "minikube-setup.sh compares minikube's whole status (no --format) with 'Running', so it never "
           "sees a running profile and starts it again",
           [key(FR013_SCRIPTS, "minikube-setup.sh leaves a running profile as it is")],
           [replace(SETUP, """host_state=$(minikube status --profile "$profile" --format '{{.Host}}' 2>/dev/null || true)""",
                    """host_state=$(minikube status --profile "$profile" 2>/dev/null || true)""")]),
    Mutant("setup-never-starts", "minikube-setup.sh enables the addons and says it started minikube, without running minikube start",
           [key(FR013_SCRIPTS, "minikube-setup.sh starts minikube, enables the addons and makes a private .env")],
           [replace(SETUP, 'if ! minikube start --profile "$profile"', 'if false && minikube start --profile "$profile"')]),
    Mutant("setup-default-8g", "minikube-setup.sh starts minikube with 8 GB by default: not the seed's 4 GB",
           [], [replace(SETUP, "memory=4096\n", "memory=8192\n")],
           differs=[key(FR013_SCRIPTS, "minikube-setup.sh starts minikube with the seed's 2 CPUs and 4GB of memory")],
           spares=[key(FR013_SCRIPTS, "minikube-setup.sh starts minikube, enables the addons and makes a private .env")]),
    Mutant("setup-ignores-memory-option", "minikube-setup.sh takes --memory and starts minikube with its default all the same",
           [key(FR013_SCRIPTS, "minikube-setup.sh starts minikube with the resources asked")],
           [replace(SETUP, "--memory) memory=$2 ;;", "--memory) : ;;")]),
    Mutant("setup-restarts-running-profile", "minikube-setup.sh runs minikube start on a profile that is already running",
           [key(FR013_SCRIPTS, "minikube-setup.sh leaves a running profile as it is")],
           [replace(SETUP, "if [[ $host_state == Running && $apiserver_state == Running ]]; then", "if false; then")]),
    Mutant("setup-ignores-host-resources", "minikube-setup.sh asks minikube for more CPUs and memory than the machine has",
           [key(FR013_SCRIPTS, "minikube-setup.sh refuses <resource> than the machine has, before starting anything", example)
            for example in ("more CPUs---cpus 4096", "more memory---memory 100000g")],
           [replace(SETUP, "if [[ $host_cpus =~ ^[0-9]+$ && $cpus -gt $host_cpus ]]; then", "if false; then"),
            replace(SETUP, "if [[ $host_memory_mb =~ ^[0-9]+$ && $memory_mb -gt $host_memory_mb ]]; then", "if false; then")]),
    Mutant("setup-checks-resources-after-start", "minikube-setup.sh starts minikube first and only then finds it asked for more than the machine has",
           [key(FR013_SCRIPTS, "minikube-setup.sh refuses <resource> than the machine has, before starting anything", example)
            for example in ("more CPUs---cpus 4096", "more memory---memory 100000g")],
           [replace(SETUP, HOST_RESOURCE_CHECK, ""), replace(SETUP, "for addon in metrics-server storage-provisioner; do\n",
                                                       HOST_RESOURCE_CHECK + "for addon in metrics-server storage-provisioner; do\n")],
           breaks='minikube should not have been called with "start"'),
    Mutant("setup-resource-error-unexplained", "minikube-setup.sh refuses more CPUs or memory than the machine has without saying that is why",
           [key(FR013_SCRIPTS, "minikube-setup.sh refuses <resource> than the machine has, before starting anything", example)
            for example in ("more CPUs---cpus 4096", "more memory---memory 100000g")],
           [replace(SETUP, "is more than this machine's", "is not possible")],
           breaks='its error should mention "more than this machine\'s"'),
    Mutant("deploy-set-refusal-shows-value", "deploy.sh refuses a credential given with --set, and prints it in the refusal",
           [key(FR013_SCRIPTS, "deploy.sh refuses a credential given on the command line")],
           [replace(DEPLOY, 'usage_error "--set ${set_value%%=*}=... refused:', 'usage_error "--set $set_value refused:')],
           breaks='no part of the secret should appear in its output'),
    Mutant("env-example-real-looking-key", ".env.example ships a real-looking OpenAI key as its example",
           [key(FR013_SCRIPTS, ".env.example lists every credential")],
           [replace(".env.example", "OPENAI_API_KEY=\n", "OPENAI_API_KEY=sk-proj-4fQ9zXk2LmP8vR7tY3wB6nJ1\n")],
           breaks='it should hold no credential-like value'),
    # Each makes a refusal or a run exit with the wrong status, the scripts' messages kept: `script && next` goes on.
    Mutant("lib-die-exits-zero", "lib.sh's die ends with a bare `exit`, which takes its echo's status 0: every refusal prints its error and succeeds",
           [key(FR013_SCRIPTS, "deploy.sh refuses to run without a .env file"),
            key(FR013_SCRIPTS, "minikube-setup.sh names a missing prerequisite and how to install it"),
            *[key(FR013_SCRIPTS, "deploy.sh refuses a .env line holding <defect>, naming the line and never the value", defect) for defect in ENV_DEFECTS],
            *[key(FR013_SCRIPTS, "minikube-setup.sh refuses <resource> than the machine has, before starting anything", example)
              for example in ("more CPUs---cpus 4096", "more memory---memory 100000g")]],
           [replace("deployment/lib.sh", 'die() {\n  echo "${script_name:-deploy}: $*" >&2\n  exit 1\n}', 'die() {\n  echo "${script_name:-deploy}: $*" >&2\n  exit\n}')],
           breaks="it should fail"),
    Mutant("deploy-missing-env-exits-zero", "deploy.sh without a .env says how to make one and exits 0, as if there were nothing to deploy yet",
           [key(FR013_SCRIPTS, "deploy.sh refuses to run without a .env file")],
           [replace(DEPLOY, '  die ".env not found at $env_file: copy .env.example to .env and fill in DATABASE_URL, OPENAI_API_KEY, NEON_API_KEY"\n',
                    '  info ".env not found at $env_file: copy .env.example to .env and fill in DATABASE_URL, OPENAI_API_KEY, NEON_API_KEY"\n  exit 0\n')],
           breaks="it should fail"),
    Mutant("deploy-set-refusal-exits-zero", "deploy.sh refuses a credential given with --set by a warning and a bare `exit`: status 0",
           [key(FR013_SCRIPTS, "deploy.sh refuses a credential given on the command line")],
           [replace(DEPLOY, '    usage_error "--set ${set_value%%=*}=... refused:', '    warn "--set ${set_value%%=*}=... refused:'),
            replace(DEPLOY, ' in clear in the Helm release history"\n  fi\n', ' in clear in the Helm release history"\n    exit\n  fi\n')],
           breaks="it should fail"),
    Mutant("setup-dry-run-stub", "minikube-setup.sh keeps the dry-run stub it was written with: it prints its minikube commands instead of running them",
           [key(FR013_SCRIPTS, "minikube-setup.sh starts minikube, enables the addons and makes a private .env")],
           [replace(SETUP, 'parse_options "$@"\n',
                    'parse_options "$@"\n# TODO remove: a dry run while writing this script without minikube\nminikube() { info "would run: minikube $*"; }\n')],
           breaks="minikube should have been started"),
    Mutant("setup-ends-with-failed-test", "minikube-setup.sh ends with `[[ -n $MINIKUBE_ACTIVE_DOCKERD ]] && info ...`, whose false test is its exit status 1",
           [key(FR013_SCRIPTS, title) for title in ("minikube-setup.sh starts minikube with the resources asked", "minikube-setup.sh leaves a running profile as it is",
                                                    "minikube-setup.sh starts minikube, enables the addons and makes a private .env")],
           [replace(SETUP, "todo-chatbot-backend:$default_image_tag)\nNEXT\n",
                    "todo-chatbot-backend:$default_image_tag)\nNEXT\n"
                    '[[ -n ${MINIKUBE_ACTIVE_DOCKERD:-} ]] && info "this shell\'s docker already uses minikube\'s engine ($MINIKUBE_ACTIVE_DOCKERD)"\n')],
           breaks="it should succeed"),
    # FR-014 guide
    Mutant("guide-no-troubleshooting", "the guide has no Troubleshooting section",
           [key(FR014_GUIDE, "the guide covers the whole life of a deployment")], [replace("deployment/README.md", r"^(#+) Troubleshooting.*$", r"\1 Known issues", regex=True)]),
    Mutant("guide-no-cleanup", "the guide never mentions cleanup.sh",
           [key(FR014_GUIDE, "the guide shows every script")], [replace("deployment/README.md", "cleanup.sh", "the cleanup script")]),
    Mutant("guide-no-verification", "the guide's Verification section is empty",
           [key(FR014_GUIDE, "the guide shows how to verify a deployment")],
           [replace("deployment/README.md", r"^(## Verification[^\n]*\n)[\s\S]*?(?=^## )", r"\1\nSee the dashboard.\n\n", regex=True)]),
    Mutant("guide-unmarked-steps", "the guide no longer marks V-7's commands as what a user types",
           [key(FR014_GUIDE, "the guide marks what a user types to deploy, verify and clean up, and the output to expect")],
           [replace(GUIDE, "<!-- run: v7 -->\n", "")],
           breaks='it should mark the commands of the steps'),
    Mutant("guide-undocumented-output", "the guide marks every command, and no longer shows V-3's output to expect",
           [key(FR014_GUIDE, "the guide marks what a user types to deploy, verify and clean up, and the output to expect")],
           [replace(GUIDE, "<!-- output: v3 -->\n", "")],
           breaks='it should document the output of the steps'),
    Mutant("chart-unread-config", "the ConfigMap sets DATA_DIR, which the backend never reads (it takes the path from DATABASE_URL)",
           [key(FR009_CONFIGMAP, "every key the ConfigMap sets is one the backend reads")],
           [replace(f"{T}/configmap.yaml", '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n', '  OPENAI_MODEL: {{ .Values.openaiModel | quote }}\n  DATA_DIR: "/app/data"\n')]),
]
