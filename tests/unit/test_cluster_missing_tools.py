"""A provider verb whose CLI is not installed says so, with how to install it, instead of what its failing call would suggest."""

from __future__ import annotations

import pytest

from acceptance.kube.clusters import ClusterError, ExistingProvider, KindProvider, LocalProvider, MinikubeProvider

PROVIDERS = {
    "kind": lambda timeouts, tools: KindProvider(timeouts),
    "minikube": lambda timeouts, tools: MinikubeProvider(timeouts),
    "local": lambda timeouts, tools: LocalProvider(timeouts),
    "existing": lambda timeouts, tools: ExistingProvider(timeouts, tools.write_kubeconfig("production")),
}


def use(provider, verb: str) -> None:
    if verb == "ensure":
        provider.ensure()
    elif verb == "load_image":
        provider.load_image("todo-chatbot-backend:1.0.0")
    else:
        with provider.service_url("default", "todo-chatbot-frontend", 80):
            pass


CASES = [
    ("kind", "ensure", ["kubectl"], "kind not found on PATH: install kind"),
    ("kind", "load_image", ["kubectl"], "kind not found on PATH: install kind"),
    ("kind", "service_url", ["kind"], "kubectl not found on PATH: install kubectl"),
    ("minikube", "ensure", ["kubectl"], "minikube not found on PATH: install minikube"),
    ("minikube", "load_image", ["kubectl"], "minikube not found on PATH: install minikube"),
    ("minikube", "service_url", ["kubectl"], "minikube not found on PATH: install minikube"),
    ("local", "ensure", [], "kubectl not found on PATH: install kubectl"),
    ("existing", "ensure", [], "kubectl not found on PATH: install kubectl"),
    ("existing", "service_url", [], "kubectl not found on PATH: install kubectl"),
]


@pytest.mark.parametrize(("provider", "verb", "installed", "message"), CASES, ids=[f"{provider}-{verb}" for provider, verb, *_ in CASES])
def test_a_missing_cli_is_named_with_its_install_hint(fake_tools, timeouts, local_available, provider, verb, installed, message):
    tools = fake_tools(*installed)

    with pytest.raises(ClusterError) as raised:
        use(PROVIDERS[provider](timeouts, tools), verb)

    assert str(raised.value).startswith(message), str(raised.value)
    assert tools.calls() == [], "a CLI was called before the missing one was named"
