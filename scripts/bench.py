"""Benchmark: wall time per tier, image sizes and build times, cluster start and recovery times, as a Markdown table.

Speed and size are measured here, never asserted by timed tests. Run with `make bench` (it changes nothing
in the repository; it removes and rebuilds the two app images to measure a cold build).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [str(ROOT / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"]
IMAGES = {"frontend": "todo-chatbot-frontend:1.0.0", "backend": "todo-chatbot-backend:1.0.0"}


def timed(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    print(f"bench: $ {' '.join(command)}", file=sys.stderr, flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, **kwargs)
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
    return int(subprocess.run(["docker", "image", "inspect", "--format", "{{.Size}}", image], capture_output=True, text=True, check=False).stdout) / 1e6


def recovery_times(junit: Path) -> dict[str, str]:
    found = {}
    if junit.exists():
        for prop in ElementTree.parse(junit).getroot().iter("property"):
            if prop.get("name", "").startswith("recovery_seconds_"):
                found[prop.get("name").removeprefix("recovery_seconds_")] = prop.get("value")
    return found


# The seed's manual process (Phase 4 summary): deployment 10-15 min plus verification 15-20 min.
MANUAL_SECONDS = (25 * 60, 35 * 60)


def versus(seconds: float, goal: float | None = None, baseline: float | None = None, baseline_name: str = "") -> str:
    """'goal 180 s: met (0.71)' and 'bare helm install 9.1 s: x 3.2', as far as known."""
    parts = []
    if goal:
        parts.append(f"goal {goal:.0f} s: {'met' if seconds <= goal else 'MISSED'} ({seconds / goal:.2f} of it)")
    if baseline:
        parts.append(f"{baseline_name} {baseline:.1f} s: x {seconds / baseline:.1f}")
    return "; ".join(parts)


def bare_install(images: dict[str, str]) -> float:
    """The floor for one install: `helm install --wait` of the chart with the suite's images, in a fresh namespace."""
    namespace = f"bench-{int(time.time())}"
    kubeconfig = ["--kubeconfig", str(Path(os.environ.get("TODO_CLUSTER_STATE", "/var/lib/todo-chatbot-cluster")) / "kubeconfig")]
    values = ["--set", "imagePullPolicy=IfNotPresent"] + [f"--set={component}ImageTag={image.rsplit(':', 1)[1]}" for component, image in images.items()]
    try:
        seconds, completed = timed(["helm", "install", "bench", "helm/todo-chatbot", *kubeconfig, "--namespace", namespace, "--create-namespace",
                                    "--wait", "--timeout", "300s", *values])
        if completed.returncode != 0:
            raise SystemExit(f"bench: the bare helm install failed:\n{completed.stderr[-2000:]}")
        return seconds
    finally:
        subprocess.run(["kubectl", *kubeconfig, "delete", "namespace", namespace, "--wait=false"], capture_output=True, check=False)


def testcases(junit: Path) -> int:
    return sum(1 for _ in ElementTree.parse(junit).getroot().iter("testcase")) if junit.exists() else 0


def merged_outcomes(*reports: str) -> Path:
    """One scenarios.json of the tiers' runs above: the reference the mutants compare with (not run again)."""
    outcomes: dict[str, str] = {}
    for report in reports:
        path = ROOT / "reports" / "bench" / report / "scenarios.json"
        outcomes.update(json.loads(path.read_text()) if path.exists() else {})
    merged = ROOT / "reports" / "bench" / "reference-outcomes.json"
    merged.write_text(json.dumps(outcomes, indent=2))
    return merged


def mutants(marker: str, report: str, reference: Path, *extra: str) -> tuple[float, str, int]:
    """The self-test's mutants of the marked tiers: wall time, verdict and how many ran."""
    seconds, completed = timed([*PYTEST, "tests/mutants", "-m", marker, "--report-dir", f"reports/bench/{report}",
                                f"--reference-outcomes={reference}", *extra])
    killed = next((line for line in completed.stdout.splitlines() if line.startswith("mutants: ")), "mutants: ?")
    return seconds, killed, testcases(ROOT / "reports" / "bench" / report / "junit.xml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-cluster", action="store_true", help="skip the cluster measurements (and the cluster mutants)")
    parser.add_argument("--no-mutants", action="store_true", help="skip the mutant self-test's measurements (about 20 minutes)")
    options = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    seconds, verdict = tier("static", "static")
    rows.append(("static tier", f"{seconds:.1f} s", f"{verdict}; {versus(seconds, goal=20)}"))

    # Cold: no image the suite could reuse by context digest, under any tag, and no dangling build cache.
    labelled = subprocess.run(["docker", "images", "-q", "--filter", "label=io.todo-chatbot.acceptance.context-digest"],
                              capture_output=True, text=True, check=False).stdout.split()
    subprocess.run(["docker", "rmi", "-f", *sorted(set(labelled))], capture_output=True, check=False)
    subprocess.run(["docker", "image", "prune", "-f"], capture_output=True, check=False)
    seconds, verdict = tier("image", "image-cold")
    rows.append(("image tier, cold (app images built from scratch on present bases)", f"{seconds:.1f} s", verdict))
    seconds, verdict = tier("image", "image-warm")
    rows.append(("image tier, warm (images reused by context digest)", f"{seconds:.1f} s", f"{verdict}; {versus(seconds, goal=60)}"))

    seconds, verdict = tier("image", "fuzz", "-k", "schemathesis")
    rows.append(("schemathesis scenario (seed 1, 50 examples per operation; its container included)", f"{seconds:.1f} s", verdict))

    for component, image in IMAGES.items():
        cold = docker_build(component, "--no-cache")
        cached = docker_build(component)
        rows.append((f"{component} image", f"{image_size_mb(image):.1f} MB", f"build {cold:.1f} s cold (--no-cache), {cached:.1f} s cached"))
        subprocess.run(["docker", "rmi", f"bench-{component}:latest"], capture_output=True, check=False)

    if not options.no_cluster:
        down, _ = timed(["cluster/local/down.sh"])
        up, _ = timed(["cluster/local/up.sh"])
        rows.append(("local cluster start (binaries cached, state kept)", f"{up:.1f} s", f"stop took {down:.1f} s"))
        seconds, verdict = tier("cluster", "cluster", "--cluster", "local")
        floor = bare_install(IMAGES)
        rows.append(("bare `helm install --wait` (the floor for one install)", f"{floor:.1f} s", "the suite's images, a fresh namespace"))
        rows.append(("cluster tier, from an empty cluster to verdict", f"{seconds:.1f} s",
                     f"{verdict}; {versus(seconds, goal=180, baseline=floor, baseline_name='bare install')}"))
        seconds, verdict = tier("browser", "browser", "--cluster", "local")
        rows.append(("browser scenarios, image and cluster tiers (Chromium headless, one release)", f"{seconds:.1f} s", verdict))
        for component, value in recovery_times(ROOT / "reports/bench/cluster/junit.xml").items():
            rows.append((f"self-healing: {component} pod deleted -> new pod Ready", f"{value} s", "V-6"))
        seconds, verdict = tier("static or image or cluster", "gate", "--cluster", "local")
        manual = (f"the seed's manual deployment and verification took {MANUAL_SECONDS[0] // 60}-{MANUAL_SECONDS[1] // 60} min: "
                  f"x {seconds / MANUAL_SECONDS[1]:.2f}-{seconds / MANUAL_SECONDS[0]:.2f}")
        rows.append(("the whole gate, warm (every tier)", f"{seconds:.1f} s", f"{verdict}; {versus(seconds, goal=300)}; {manual}"))

    if not options.no_mutants:
        reference = merged_outcomes("static", "image-warm", "gate")
        seconds, killed, count = mutants("static or image", "mutants-static-image", reference)
        rows.append((f"static and image mutants ({count})", f"{seconds:.1f} s", f"{killed}; {versus(seconds, goal=240)}"))
        if not options.no_cluster:
            seconds, killed, count = mutants("cluster", "mutants-cluster", reference, "--cluster", "local")
            average = seconds / max(count, 1)
            rows.append((f"cluster mutants ({count}), on average", f"{average:.1f} s", f"{killed} in {seconds:.0f} s; {versus(average, goal=40)}"))

    print("| measure | value | notes |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (ROOT / "reports" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "reports" / "bench" / "bench.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
