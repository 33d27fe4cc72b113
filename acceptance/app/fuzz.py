"""A property-based run against the backend's own OpenAPI: schemathesis, with a fixed seed and a bounded number of examples.

Hand-picked bad input finds what someone thought of; generated input finds the rest (the first run against the
seed's backend found 57 server errors). A fixed seed makes a failure reproducible with the printed command.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from acceptance.core.run import Result, run

# What every answer must be: no 5xx, and a status, content type, body and headers the OpenAPI documents.
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance")
REPORT = "schemathesis.json"
OPENAPI = "/openapi.json"  # where FastAPI serves the API's own description


@dataclasses.dataclass(frozen=True)
class FuzzRun:
    """What schemathesis did and found: its command line, output and JSON report."""

    result: Result
    report: dict[str, Any]

    @property
    def generated(self) -> int:
        generated: int = (self.report.get("test_cases") or {}).get("generated", 0)
        return generated

    @property
    def operations_tested(self) -> int:
        tested: int = (self.report.get("operations") or {}).get("tested", 0)
        return tested

    @property
    def operations_total(self) -> int:
        """The operations the OpenAPI lists."""
        total: int = (self.report.get("operations") or {}).get("total", 0)
        return total

    @property
    def problems(self) -> list[str]:
        """Each failure and error it found, by kind and the operations that showed it; empty when clean."""
        found = [f"{failure['title']} ({failure['count']}x): {', '.join(failure['operations'])}" for failure in self.report.get("failures", [])]
        found += [f"error: {error['title']} ({error['count']}x)" for error in self.report.get("errors", [])]
        if not self.report:
            found.append(f"schemathesis wrote no report:\n{self.result.describe()}")
        return found

    def describe(self) -> str:
        return f"{self.result.describe()}\n--- {REPORT} ---\n{json.dumps(self.report, indent=2)[:8000]}"


def schemathesis() -> str:
    """The schemathesis of the suite's own environment (requirements.txt), beside its Python."""
    return str(Path(sys.executable).parent / "schemathesis")


def run_against(openapi_url: str, seed: int, examples: int, workdir: Path, timeout: float) -> FuzzRun:
    """Run schemathesis against openapi_url (the API at the same origin), in workdir (it writes its caches there).

    Args:
        seed: the random seed: the same seed generates the same requests.
        examples: at most this many examples per operation and phase.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    report = workdir / REPORT
    command = [schemathesis(), "run", openapi_url, "--seed", str(seed), "--max-examples", str(examples), "--workers", "1",
               "--generation-database", "none", "--checks", ",".join(CHECKS), "--report", "json",
               "--report-json-path", str(report)]
    result = run(command, timeout, cwd=workdir)
    return FuzzRun(result, json.loads(report.read_text()) if report.is_file() else {})
