"""The cluster a helm or kubectl verb acts on: kubeconfig, context and namespace, passed to every verb."""

from __future__ import annotations

import dataclasses
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a verb acts, like terratest's KubectlOptions: one value handed to helm and kubectl alike."""

    kubeconfig: Path
    context: str | None = None
    namespace: str | None = None

    def in_namespace(self, namespace: str) -> Target:
        return dataclasses.replace(self, namespace=namespace)

    def kubectl_args(self) -> list[str]:
        args = ["--kubeconfig", str(self.kubeconfig)] + (["--context", self.context] if self.context else [])
        return args + (["--namespace", self.namespace] if self.namespace else [])

    def helm_args(self) -> list[str]:
        args = ["--kubeconfig", str(self.kubeconfig)] + (["--kube-context", self.context] if self.context else [])
        return args + (["--namespace", self.namespace] if self.namespace else [])

    def describe(self) -> str:
        return f"kubeconfig {self.kubeconfig}, context {self.context or '<current>'}" + (f", namespace {self.namespace}" if self.namespace else "")
