"""A new user following deployment/README.md: a checkout of their own, a shell on the cluster under test, the guide's steps.

The user's shell has a kubeconfig of its own whose context defaults to a fresh namespace, so the guide's commands
run exactly as typed (no `-n`), and the scripts act on that namespace as they would on `default`.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Any

from acceptance.core.progress import say
from acceptance.core.run import run
from acceptance.delivery import documents, guide
from acceptance.kube import helm
from acceptance.kube.clusters.base import ClusterProvider
from acceptance.profile import database
from acceptance.release.release import Release

# What a fresh checkout does not have: build outputs, caches, reports, the owner's .env.
NOT_IN_A_CHECKOUT = shutil.ignore_patterns(".git", ".venv", "reports", "node_modules", "dist", "__pycache__", ".pytest_cache", ".cache", ".env")
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


@dataclasses.dataclass
class Walkthrough:
    """The guide's steps run in order by one user, in one checkout, against one namespace."""

    provider: ClusterProvider
    release: Release
    manual: documents.Guide  # the guide's text (its files joined), named so apart from the module guide
    checkout: Path
    kubeconfig: Path
    timeout: float
    runs: list[guide.StepRun] = dataclasses.field(default_factory=list)
    # component -> the image ID build-images.sh tagged, once the guide's build step ran
    built_images: dict[str, str] = dataclasses.field(default_factory=dict)
    # what was left right after the last cleanup step: {"release": bool, "secret": bool, "claims": [...]}
    after_cleanup: dict[str, Any] | None = None

    @classmethod
    def start(cls, provider: ClusterProvider, release: Release, project_root: Path, manual: documents.Guide, work_dir: Path,
              timeout: float) -> Walkthrough:
        """A copy of the project as a fresh checkout, and a kubeconfig whose context defaults to the release's namespace."""
        checkout = work_dir / "checkout"
        shutil.copytree(project_root, checkout, ignore=NOT_IN_A_CHECKOUT, symlinks=True)
        kubeconfig = work_dir / "kubeconfig"
        kubeconfig.write_text(provider.kubectl("config", "view", "--raw", "--minify", what="copy the cluster's kubeconfig for the guide"))
        kubeconfig.chmod(0o600)
        run(["kubectl", "--kubeconfig", str(kubeconfig), "config", "set-context", "--current", f"--namespace={release.namespace}"],
            timeout=provider.timeouts.command).check("point the guide's kubeconfig at its namespace")
        return cls(provider, release, manual, checkout, kubeconfig, timeout)

    @property
    def guide_text(self) -> str:
        return self.manual.text

    @property
    def env_file(self) -> Path:
        """The user's .env: beside the env example, as the scripts make it."""
        return self.checkout / Path(self.release.profile.path("env_example")).parent / ".env"

    @property
    def deploy_secret(self) -> str:
        """The Secret the deploy script makes from .env (the profile's resources.deploy-secret)."""
        locator = self.release.profile.locator("deploy-secret")
        assert locator.name is not None, f"the profile gives resources.deploy-secret no name (found as {locator.describe()}): deploy.sh makes it by name"
        return locator.name

    def environment(self) -> dict[str, str]:
        return {**os.environ, "KUBECONFIG": str(self.kubeconfig), **self.provider.guide_environment()}

    def block(self, name: str) -> guide.Block:
        """The guide's commands for step name on this provider; GuideError when the guide has none."""
        commands, _ = guide.step(self.guide_text, name, self.provider.name)
        if commands is None:
            raise guide.GuideError(f"the guide has no block marked '<!-- run: {name} -->' for the {self.provider.name} cluster "
                                   f"(markers: {sorted({block.name for block in guide.blocks(self.guide_text)})})")
        return commands

    def has_step(self, name: str) -> bool:
        """Whether the guide marks commands of step name for this cluster (the setup step is minikube's only)."""
        return guide.step(self.guide_text, name, self.provider.name)[0] is not None

    def run(self, *names: str, answer: str | None = None) -> guide.StepRun:
        """Run the guide's steps in one shell session, each line shown as progress; answer replaces what their markers type."""
        blocks = [self.block(name) for name in names]
        if answer is not None:
            blocks = [dataclasses.replace(block, options={**block.options, "answer": answer}) for block in blocks]
        say(f"guide: {', '.join(names)} in {self.checkout} (namespace {self.release.namespace}){f', answering {answer!r}' if answer else ''} ...")
        outcome = guide.run_steps(blocks, cwd=self.checkout, env=self.environment(), timeout=self.timeout, stream=lambda line: say(f"  | {line}"))
        self.runs.append(outcome)
        self.provider.forget_published(self.release.namespace)  # the steps may have deleted and recreated its Services
        self.release.uninstalled = self.installed_values() is None
        return outcome

    def installed_values(self) -> dict[str, Any] | None:
        """The values the guide's release was installed with; None when it is not installed."""
        outcome = helm.try_get_values(self.release.name, self.release.target, self.release.timeouts.command)
        return (json.loads(outcome.stdout or "null") or {}) if outcome.ok else None

    def problems(self, outcome: guide.StepRun) -> list[str]:
        """How a run of steps broke the guide's promise: a failed command, or documented output it did not print."""
        found = []
        if not outcome.result.ok:
            step = outcome.last_step
            found.append(f"the guide's step '{step}' ({self.manual.where(self.block(step).line) if step else 'guide line ?'}) failed with exit "
                         f"{outcome.result.returncode}{' (timed out)' if outcome.result.timed_out else ''}; it printed:\n"
                         + outcome.output(step or "")[-3000:])
        for name in outcome.names:
            _, documented = guide.step(self.guide_text, name, self.provider.name)
            missing = guide.unmatched(documented.text, outcome.output(name)) if documented and outcome.result.ok else []
            if documented and missing:
                found.append(f"the guide's step '{name}' did not print what the guide documents ({self.manual.where(documented.line)}); "
                             f"no line matched {missing}; it printed:\n{outcome.output(name)[-3000:]}")
        return found

    def follow(self, *names: str) -> guide.StepRun:
        """Run the steps and require that they work as documented."""
        outcome = self.run(*names)
        problems = self.problems(outcome)
        assert not problems, "\n".join(problems)
        return outcome

    def printed(self) -> str:
        """Everything the guide's commands printed so far."""
        return "\n".join(outcome.result.stdout for outcome in self.runs)

    def transcript(self) -> str:
        return "\n".join(f"$ steps {', '.join(outcome.names)} (exit {outcome.result.returncode})\n{outcome.result.stdout}" for outcome in self.runs)

    def env_values(self) -> dict[str, str]:
        """The KEY=VALUE lines of the user's .env."""
        lines = [line for line in self.env_file.read_text().splitlines() if "=" in line and not line.lstrip().startswith("#")]
        return dict(line.split("=", 1) for line in lines)

    def edit_env(self, values: dict[str, str]) -> None:
        """Set keys in the user's .env as an editor would: in place when the key is there, appended when not."""
        lines, missing = self.env_file.read_text().splitlines(), dict(values)
        for index, line in enumerate(lines):
            key = line.split("=", 1)[0]
            if "=" in line and key in missing:
                lines[index] = f"{key}={missing.pop(key)}"
        self.env_file.write_text("\n".join(lines + [f"{key}={value}" for key, value in missing.items()]) + "\n")

    def change_credential(self) -> str:
        """Change, in the user's .env, the first credential the chart takes that is not the database's; its name."""
        name = database.changeable_credential(self.release.profile)
        self.edit_env({name: f"{self.env_values()[name]}-changed"})
        return name

    def secret(self, name: str) -> dict[str, Any] | None:
        """The Secret's object as the API returns it (data decoded into 'values'); None when it does not exist."""
        found = self.release.kube.core.list_namespaced_secret(self.release.namespace, field_selector=f"metadata.name={name}").items
        if not found:
            return None
        secret = found[0]
        values = {key: base64.b64decode(value).decode(errors="replace") for key, value in (secret.data or {}).items()}
        return {"values": values, "labels": secret.metadata.labels or {}, "annotations": secret.metadata.annotations or {}}

    def secret_problems(self, name: str) -> list[str]:
        """How the Secret deploy.sh made differs from .env, or where else a copy of its values is kept."""
        secret = self.secret(name)
        if secret is None:
            return [f"no Secret {name} in {self.release.namespace}"]
        problems = []
        expected = self.env_values()
        if secret["values"] != expected:
            differ = sorted(key for key in set(expected) | set(secret["values"]) if expected.get(key) != secret["values"].get(key))
            problems.append(f"the Secret {name} differs from .env in {differ} (values not shown)")
        if LAST_APPLIED in secret["annotations"]:
            problems.append(f"the Secret {name} keeps a copy of every value in its {LAST_APPLIED} annotation (client-side kubectl apply)")
        return problems

    def pod_images(self) -> dict[str, set[str]]:
        """component -> the image IDs its running containers were started from."""
        found: dict[str, set[str]] = {}
        for pod in self.release.kube.core.list_namespaced_pod(self.release.namespace, label_selector=self.release.selector).items:
            component = self.release.profile.component_of((pod.metadata.labels or {}).get(self.release.profile.component_label)) or "?"
            found.setdefault(component, set()).update(status.image_id.split("@")[-1] for status in pod.status.container_statuses or [])
        return found

    def image_problems(self) -> list[str]:
        """Where the release runs another image than the one the guide's build step tagged (the load step did not bring it)."""
        running = self.pod_images()
        return [f"the {component} pods run {sorted(running.get(component, set()))}, not {image_id} that build-images.sh tagged"
                for component, image_id in self.built_images.items() if running.get(component) != {image_id}]

    def credential_problems(self, secret: str) -> list[str]:
        """Where the release does not take its credentials from the Secret, or the backend runs with other credentials than .env's."""
        values = self.installed_values() or {}
        named = self.release.profile.lookup(values, "existing_secret")
        problems = [] if named == secret else [f"the release's {self.release.profile.value_path('existing_secret')} is {named!r}, not {secret!r}"]
        credentials = self.release.profile.credential_names()
        expected = {key: value for key, value in self.env_values().items() if key in credentials}
        for pod, environment in self.release.process_environments("backend").items():
            differ = sorted(key for key, value in expected.items() if environment.get(key) != value)
            problems += [f"backend pod {pod} runs with other values than .env for {differ} (values not shown)"] if differ else []
        return problems

    def leaked(self) -> list[str]:
        """The .env keys whose value (or a canary's secret part) appears in what the guide's commands printed."""
        printed = self.printed()
        secrets = self.release.canaries.secrets() if self.release.canaries else []
        found = [key for key, value in self.env_values().items() if len(value) >= 6 and value in printed]
        return found + [f"canary {secret[:6]}..." for secret in secrets if secret in printed]

    def state(self) -> dict[str, Any]:
        """What of the release is in its namespace: the Helm release, the Secret, the claims."""
        claims = self.release.kube.core.list_namespaced_persistent_volume_claim(self.release.namespace, label_selector=self.release.selector).items
        return {"release": self.installed_values() is not None, "secret": self.secret(self.deploy_secret) is not None,
                "claims": sorted(claim.metadata.name for claim in claims if not claim.metadata.deletion_timestamp)}

    def unnamed_target(self, outcome: guide.StepRun) -> list[str]:
        """What of the cleanup's target (context, namespace, release) its question did not name."""
        context = run(["kubectl", "--kubeconfig", str(self.kubeconfig), "config", "current-context"], timeout=self.provider.timeouts.command).stdout.strip()
        wanted = {"context": context, "namespace": self.release.namespace, "release": self.release.name}
        return [f"{what} {value!r}" for what, value in wanted.items() if not value or value not in outcome.result.stdout]
