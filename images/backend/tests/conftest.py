"""Shared fixtures: an app on a fresh SQLite file per test, and a fake chat completions server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{data_dir}/todo.db", log_level="DEBUG", app_env="test")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """Make directory read-only for real, for this process too, until the block ends.

    A user's chmod does it; root ignores permission bits, so for root the directory gets the immutable attribute,
    which the kernel enforces on root as well (skipped where the filesystem or the capabilities refuse it). Only
    the directory changes, as after a chmod of the data directory: SQLite still holds its files open.
    """
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: no way to make a directory read-only for root")
    made = subprocess.run(["chattr", "+i", str(directory)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"running as root and chattr +i is refused here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(directory)], check=True)


class FakeOpenAI:
    """A loopback HTTP server that answers /chat/completions with queued JSON actions and records every request.

    A 3xx answer's object names its Location ({"location": url}); while gate is set to an unset Event, every
    request waits for it (up to 30 s) before it is answered: a slow API.
    """

    def __init__(self) -> None:
        self.answers: list[tuple[int, object]] = []
        self.requests: list[dict] = []
        self.gate: threading.Event | None = None
        self.drip_seconds = 0.0  # > 0: the answer's body is sent a byte at a time, this long apart
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                if fake.gate is not None:
                    fake.gate.wait(30)
                status, answer = fake.answers.pop(0) if fake.answers else (500, {"error": "no answer queued"})
                content = answer if status != 200 else {
                    "choices": [{"message": {"role": "assistant", "content": json.dumps(answer)}}]}
                data = json.dumps(content).encode()
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", answer["location"])  # type: ignore[index]
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if not fake.drip_seconds:
                    self.wfile.write(data)
                for index in range(len(data) if fake.drip_seconds else 0):
                    self.wfile.write(data[index:index + 1])
                    self.wfile.flush()
                    time.sleep(fake.drip_seconds)

            def do_GET(self) -> None:  # noqa: N802 - a redirected POST arrives as a GET: recorded too
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": None})
                self.send_error(405)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    yield fake
    fake.close()
