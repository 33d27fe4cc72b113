"""GET /health: 200 when the store answers and is writable, 503 with a reason otherwise."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from app import healthcheck
from app.config import Settings
from app.main import create_app

from .conftest import read_only


def test_health_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_503_when_data_dir_missing(settings: Settings, data_dir) -> None:
    shutil.rmtree(data_dir)
    with TestClient(create_app(settings)) as client:  # the app still starts
        response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert "does not exist" in body["database"] and str(data_dir) in body["database"]


def test_livez_answers_while_the_database_is_gone(settings: Settings, data_dir) -> None:
    """Liveness must not restart a pod for a database outage: readiness (/health) takes it out of the Service."""
    shutil.rmtree(data_dir)
    with TestClient(create_app(settings)) as client:
        assert client.get("/health").status_code == 503
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_health_503_when_data_dir_removed_after_start(client: TestClient, data_dir) -> None:
    assert client.get("/health").status_code == 200
    shutil.rmtree(data_dir)
    response = client.get("/health")
    assert response.status_code == 503
    assert "does not exist" in response.json()["database"]


def test_health_503_when_data_dir_not_writable(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": f"data directory {os.path.dirname(client.app.state.db.sqlite_path)} is not writable (Permission denied)"}


def test_health_503_when_data_dir_read_only_for_real(client: TestClient, data_dir) -> None:
    with read_only(data_dir):
        response = client.get("/health")
    assert response.status_code == 503
    assert "not writable" in response.json()["database"]


def test_health_503_when_database_server_unreachable() -> None:
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    settings = Settings(database_url="postgresql://todo:s3cr3t-pw@127.0.0.1:1/todo")
    with TestClient(create_app(settings)) as client:
        response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]
    assert "s3cr3t-pw" not in response.text


def test_todos_answer_503_when_database_down() -> None:
    settings = Settings(database_url="postgresql://todo:s3cr3t-pw@127.0.0.1:1/todo")
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/todos")
    assert response.status_code == 503
    assert response.json() == {"detail": "database unavailable"}


def _serve(status: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b'{"status": "x"}')

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(("status", "exit_code"), [(200, 0), (503, 1)])
def test_healthcheck_command(status: int, exit_code: int, monkeypatch: pytest.MonkeyPatch) -> None:
    server = _serve(status)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/health"
        assert healthcheck.main([url]) == exit_code
        monkeypatch.setenv("HEALTHCHECK_URL", url)
        assert healthcheck.main([]) == exit_code
    finally:
        server.shutdown()
        server.server_close()


def test_healthcheck_command_when_nothing_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEALTHCHECK_URL", "http://127.0.0.1:1/health")
    assert healthcheck.main([]) == 1


def test_health_ok_with_an_sqlite_uri_filename(data_dir) -> None:
    """sqlite:///file:/path?...&uri=true is SQLAlchemy's SQLite URI form: its file is /path, not /app/file:/path."""
    url = f"sqlite:///file:{data_dir}/todo.db?cache=private&uri=true"
    with TestClient(create_app(Settings.from_env({"DATABASE_URL": url}))) as client:
        response = client.get("/health")
        assert client.app.state.db.sqlite_path == f"{data_dir}/todo.db"
    assert response.status_code == 200, response.text
    assert os.path.exists(f"{data_dir}/todo.db")
