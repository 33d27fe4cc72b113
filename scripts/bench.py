"""Benchmark: wall time per tier, image sizes and build times, cluster start and recovery times, as a Markdown table.

Speed and size are measured here, never asserted by timed tests. Run with `make bench` (it changes nothing
in the repository; it removes and rebuilds the two app images to measure a cold build).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [str(ROOT / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"]
IMAGES = {"frontend": "todo-chatbot-frontend:1.0.0", "backend": "todo-chatbot-backend:1.0.0"}


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    print(f"bench: $ {' '.join(command)}", file=sys.stderr, flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, **kwargs)
    seconds = time.monotonic() - started
    outcome = (completed.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"bench:   {seconds:.1f}s, exit {completed.returncode}: {outcome}", file=sys.stderr, flush=True)
    return seconds, completed


def tier(marker: str, report: str, *extra: str) -> tuple[float, str]:
    seconds, completed = timed([*PYTEST, "-m", marker, "--report-dir", f"reports/bench/{report}", *extra])
    verdict = (completed.stdout.strip().splitlines() or ["?"])[-1].strip("= ")
    return seconds, verdict


def local_bases(component: str) -> list[str]:
    lines = (ROOT / "images" / component / "local-bases.env").read_text().splitlines()
    return [argument for line in lines if "=" in line for argument in ("--build-arg", line.strip())]


def docker_build(component: str, *extra: str) -> float:
    seconds, completed = timed(["docker", "build", "-q", *extra, *local_bases(component), "-t", f"bench-{component}:latest", f"images/{component}"])
    if completed.returncode != 0:
        raise SystemExit(f"bench: docker build of {component} failed:\n{completed.stderr[-2000:]}")
    return seconds


def image_size_mb(image: str) -> float:
    return int(subprocess.run(["docker", "image", "inspect", "--format", "{{.Size}}", image], capture_output=True, text=True).stdout) / 1e6


def recovery_times(junit: Path) -> dict[str, str]:
    found = {}
    if junit.exists():
        for prop in ElementTree.parse(junit).getroot().iter("property"):
            if prop.get("name", "").startswith("recovery_seconds_"):
                found[prop.get("name").removeprefix("recovery_seconds_")] = prop.get("value")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cluster", action="store_true", help="skip the cluster measurements")
    options = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    seconds, verdict = tier("static", "static")
    rows.append(("static tier", f"{seconds:.1f} s", verdict))

    # Cold: no image the suite could reuse by context digest, under any tag, and no dangling build cache.
    labelled = subprocess.run(["docker", "images", "-q", "--filter", "label=io.todo-chatbot.acceptance.context-digest"],
                              capture_output=True, text=True).stdout.split()
    subprocess.run(["docker", "rmi", "-f", *sorted(set(labelled))], capture_output=True)
    subprocess.run(["docker", "image", "prune", "-f"], capture_output=True)
    seconds, verdict = tier("image", "image-cold")
    rows.append(("image tier, cold (app images built from scratch on present bases)", f"{seconds:.1f} s", verdict))
    seconds, verdict = tier("image", "image-warm")
    rows.append(("image tier, warm (images reused by context digest)", f"{seconds:.1f} s", verdict))

    for component in IMAGES:
        cold = docker_build(component, "--no-cache")
        cached = docker_build(component)
        rows.append((f"{component} image", f"{image_size_mb(IMAGES[component]):.1f} MB", f"build {cold:.1f} s cold (--no-cache), {cached:.1f} s cached"))
        subprocess.run(["docker", "rmi", f"bench-{component}:latest"], capture_output=True)

    if not options.no_cluster:
        down, _ = timed(["cluster/local/down.sh"])
        up, _ = timed(["cluster/local/up.sh"])
        rows.append(("local cluster start (binaries cached, state kept)", f"{up:.1f} s", f"stop took {down:.1f} s"))
        seconds, verdict = tier("cluster", "cluster", "--cluster", "local")
        rows.append(("cluster tier, from an empty cluster to verdict", f"{seconds:.1f} s", verdict))
        for component, value in recovery_times(ROOT / "reports/bench/cluster/junit.xml").items():
            rows.append((f"self-healing: {component} pod deleted -> new pod Ready", f"{value} s", "V-6"))

    print("| measure | value | notes |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (ROOT / "reports" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "reports" / "bench" / "bench.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
