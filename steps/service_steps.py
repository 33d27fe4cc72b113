"""Steps on the release's Services: type and port, ready endpoints, HTTP requests through them."""

from __future__ import annotations

import requests
from pytest_bdd import parsers, then, when

from acceptance.core import http
from acceptance.kube.client import Kube
from acceptance.release.release import Release


@then(parsers.parse('the "{service}" Service should be of type "{service_type}" on port {port:d}'))
def service_type_and_port(release: Release, kube: Kube, service: str, service_type: str, port: int) -> None:
    service = release.service(service)
    spec = kube.core.read_namespaced_service(service, release.namespace).spec
    assert spec.type == service_type and port in [entry.port for entry in spec.ports], (
        f"Service {service} is {spec.type} on ports {[entry.port for entry in spec.ports]}, expected {service_type} on {port}")


@then(parsers.parse('the "{service}" Service should have a ready endpoint'))
def service_has_endpoint(release: Release, service: str) -> None:
    release.wait_endpoints_ready(service)


@then(parsers.parse('the "{service}" Service should drop the hung pod before the kubelet restarts it'))
def service_drops_hung_pod(release: Release, hang: tuple[str, str, int], service: str) -> None:
    release.wait_left_endpoints(service, hang)


@when(parsers.parse('"{path}" is requested through the "{service}" Service'), target_fixture="response")
def request_through_service(release: Release, observe, path: str, service: str) -> requests.Response:
    return release.app(observe, release.service(service)).request("GET", path)


@when(parsers.parse('the "{component}" readiness path is requested through the "{service}" Service'), target_fixture="response")
def request_readiness_path_through_service(release: Release, observe, component: str, service: str) -> requests.Response:
    return request_through_service(release, observe, release.probe_path(component, "readiness"), service)


@then(parsers.parse('the "{component}" readiness path through the "{service}" Service should answer {status:d}'))
def readiness_path_answers(release: Release, observe, component: str, service: str, status: int) -> None:
    service_answers(release, observe, release.probe_path(component, "readiness"), service, status)


@then(parsers.parse('"{path}" through the "{service}" Service should answer {status:d}'))
def service_answers(release: Release, observe, path: str, service: str, status: int) -> None:
    response = release.app(observe, release.service(service)).request("GET", path)
    assert response.status_code == status, f"{path} through the {service} Service answered {response.status_code}, expected {status}\n{http.describe(response)}"

