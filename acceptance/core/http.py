"""HTTP to services on 127.0.0.1 only: bounded retries until the server answers, then one real request."""

from __future__ import annotations

import urllib.parse
from typing import Any

import requests

from acceptance.core.run import ToolError
from acceptance.core.wait import wait_for

GATEWAY_ERRORS = (502, 503, 504)


# Hosts besides loopback the suite may reach: addresses a cluster published for a Service of a namespace
# the run created (a LoadBalancer's ingress, a minikube node's NodePort), added with allow().
_published_hosts: set[str] = set()


def allow(host: str) -> None:
    """Let requests reach host: the caller got it from the cluster for a Service the run created."""
    _published_hosts.add(host)


def disallow(host: str) -> None:
    """host no longer belongs to a Service of this run (its Service was deleted; the address may be reused or routed away)."""
    _published_hosts.discard(host)


def assert_loopback(url: str) -> None:
    """Raise ToolError unless url points at this machine or at an address a Service of this run was published at."""
    host = urllib.parse.urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1") and host not in _published_hosts:
        raise ToolError(f"refusing to send traffic to {host}: the suite only targets this machine and the Services it installed")


def request(method: str, url: str, timeout: float, wait: float = 0, **kwargs: Any) -> requests.Response:
    """Send one request; if wait > 0, first retry connection errors for up to wait seconds (server starting)."""
    assert_loopback(url)

    def attempt() -> list[requests.Response] | None:
        # A list, because a Response with an error status is falsy and would read as "no answer yet".
        try:
            return [requests.request(method, url, timeout=timeout, **kwargs)]
        except requests.ConnectionError:
            return None

    if wait > 0:
        answered = wait_for(attempt, timeout=wait, interval=0.5, what=f"{url} to answer")
        assert answered is not None, "wait_for returns a truthy value"
        return answered[0]
    return requests.request(method, url, timeout=timeout, **kwargs)


def describe(response: requests.Response) -> str:
    headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
    return f"{response.request.method} {response.url} -> {response.status_code}\n{headers}\n\n{response.text[:2000]}"
