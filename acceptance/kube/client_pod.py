"""A client inside the cluster: a pod in the release's namespace that sends HTTP to a Service by its DNS name.

A ClusterIP Service is only reachable from inside the cluster, so "through the Service" means from a
pod: the request resolves the Service's name with the cluster DNS and goes through kube-proxy's
ClusterIP rules to a ready endpoint, as the frontend's own calls do. The pod complies with the
"restricted" Pod Security Standard, so it runs in every namespace the suite creates.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from typing import Any

import requests
from kubernetes import client
from requests.structures import CaseInsensitiveDict

from acceptance.core.names import CREATED_BY_LABEL
from acceptance.core.wait import wait_for
from acceptance.kube import conditions
from acceptance.kube.client import Kube

NAME = "acceptance-client"

# Runs in the client pod for each request: the request spec as JSON in argv[1], the answer as JSON on stdout, or
# {"no_answer": WHY} when the network gave none (timed out, refused, reset, unreachable, a name not resolved). Any other
# error (the script's own) exits non-zero with its traceback: that is no evidence about the network.
REQUEST_SCRIPT = """
import base64, json, sys, urllib.error, urllib.request
spec = json.loads(sys.argv[1])
body = base64.b64decode(spec["body"]) if spec["body"] is not None else None
request = urllib.request.Request(spec["url"], data=body, method=spec["method"], headers=spec["headers"])
try:
    answer = urllib.request.urlopen(request, timeout=spec["timeout"])
except urllib.error.HTTPError as error:
    answer = error
except (urllib.error.URLError, OSError) as error:
    print(json.dumps({"no_answer": str(getattr(error, "reason", error))}))
    sys.exit(0)
print(json.dumps({"status": answer.status, "headers": dict(answer.headers.items()),
                  "body": base64.b64encode(answer.read()).decode()}))
"""

# Keeps the pod alive between requests; exits on its own after an hour, should the namespace outlive the run.
IDLE_SCRIPT = "import time; time.sleep(3600)"
# Or answers 200 to any GET on SERVE_PORT meanwhile: a target whose reachability shows what the network lets through.
SERVE_PORT = 8080
SERVE_SCRIPT = f"""
import http.server, os, threading
class Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
threading.Timer(3600, lambda: os._exit(0)).start()
http.server.ThreadingHTTPServer(("", {SERVE_PORT}), Answer).serve_forever()
"""


def pod_manifest(image: str, created_by: str, name: str = NAME, serve: bool = False) -> client.V1Pod:
    """A restricted-compliant pod that idles, or serves SERVE_PORT, in image (which must hold a python3)."""
    security = client.V1SecurityContext(allow_privilege_escalation=False, run_as_non_root=True, run_as_user=65534,
                                        capabilities=client.V1Capabilities(drop=["ALL"]), read_only_root_filesystem=True,
                                        seccomp_profile=client.V1SeccompProfile(type="RuntimeDefault"))
    container = client.V1Container(name="client", image=image, image_pull_policy="IfNotPresent",
                                   command=["python3", "-c", SERVE_SCRIPT if serve else IDLE_SCRIPT],
                                   security_context=security,
                                   resources=client.V1ResourceRequirements(requests={"cpu": "10m", "memory": "32Mi"},
                                                                          limits={"cpu": "200m", "memory": "128Mi"}))
    return client.V1Pod(metadata=client.V1ObjectMeta(name=name, labels={CREATED_BY_LABEL: created_by}),
                        spec=client.V1PodSpec(containers=[container], restart_policy="Never", termination_grace_period_seconds=0,
                                              automount_service_account_token=False))


class NoAnswer(requests.ConnectionError):
    """The request left the client pod and the network gave no answer (timed out, refused, reset, unreachable)."""


class ClientPod:
    """A client pod of the namespace (by default the suite's, NAME), created on first use; send() speaks HTTP from it."""

    def __init__(self, kube: Kube, namespace: str, image: str, created_by: str, name: str = NAME, serve: bool = False):
        self.kube, self.namespace, self.image, self.created_by = kube, namespace, image, created_by
        self.name, self.serve = name, serve
        self.started = False

    @property
    def labels(self) -> dict[str, str]:
        return {CREATED_BY_LABEL: self.created_by}

    def start(self) -> None:
        """Create the pod (unless it runs) and wait until it is Ready."""
        if self.started:
            return
        self.kube.core.create_namespaced_pod(self.namespace, pod_manifest(self.image, self.created_by, self.name, self.serve))
        wait_for(conditions.pod_ready_named(self.kube, self.namespace, self.name), timeout=self.kube.timeouts.ready, interval=0.5)
        self.started = True

    def url(self) -> str:
        """http://POD-IP:SERVE_PORT of a serving pod (no Service in front: the pod itself)."""
        self.start()
        return f"http://{self.kube.core.read_namespaced_pod(self.name, self.namespace).status.pod_ip}:{SERVE_PORT}/"

    def send(self, method: str, url: str, json_body: object = None, headers: dict[str, str] | None = None,
             timeout: float | None = None) -> requests.Response:
        """One request from inside the cluster; the answer as a requests.Response.

        Raises:
            NoAnswer: the network gave the request no answer (no route, refused, timed out, a name not resolved).
            requests.ConnectionError: the request could not be made from the pod (the exec or the script failed).
        """
        self.start()
        body = json.dumps(json_body).encode() if json_body is not None else None
        spec = {"method": method, "url": url, "timeout": timeout or self.kube.timeouts.request,
                "headers": {**({"Content-Type": "application/json"} if body else {}), **(headers or {})},
                "body": base64.b64encode(body).decode() if body is not None else None}
        result = self.kube.exec(self.namespace, self.name, ["python3", "-c", REQUEST_SCRIPT, json.dumps(spec)])
        if not result.ok:
            raise requests.ConnectionError(f"{method} {url} could not be sent from the pod {self.name} in {self.namespace}:\n{result.describe()}")
        answer = json.loads(result.stdout)
        if "no_answer" in answer:
            raise NoAnswer(f"{method} {url} from the pod {self.name} in {self.namespace} got no answer: {answer['no_answer']}")
        return as_response(method, url, answer)

    @contextlib.contextmanager
    def relabelled(self, labels: dict[str, str]) -> Iterator[None]:
        """The pod carries labels (over its own) while the block runs; its own again afterwards."""
        self.start()
        self.kube.core.patch_namespaced_pod(self.name, self.namespace, {"metadata": {"labels": labels}})
        try:
            yield
        finally:
            own = {key: self.labels.get(key) for key in labels}  # None removes a label the pod did not have
            self.kube.core.patch_namespaced_pod(self.name, self.namespace, {"metadata": {"labels": own}})


def as_response(method: str, url: str, answer: dict[str, Any]) -> requests.Response:
    """A requests.Response holding what the client pod received (so every check reads one type)."""
    response = requests.Response()
    response.status_code = answer["status"]
    response.headers = CaseInsensitiveDict(answer["headers"])
    response._content = base64.b64decode(answer["body"])
    response.url = url
    response.request = requests.Request(method, url).prepare()
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response
