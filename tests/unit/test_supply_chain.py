"""What the suite installs and runs is pinned by content: Python packages by hash, GitHub actions by commit SHA."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "requirements.lock"
SETUP = ROOT / "scripts" / "setup.sh"
WORKFLOWS = sorted((ROOT / "ci" / "github").glob("*.yml"))
PIPELINES = [*WORKFLOWS, ROOT / "ci" / "gitlab" / "acceptance.gitlab-ci.yml"]

# A tag or branch can be moved to other code; a full commit SHA cannot. The trailing comment names the tag.
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\S+$")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$")


def unpinned_actions(workflow: str) -> list[str]:
    """The `uses:` references of a workflow that are not a commit SHA with its tag in a comment (local ./ ones pass)."""
    references = [match.group(1) for line in workflow.splitlines() if (match := USES.match(line))]
    return [reference for reference in references if not reference.startswith("./") and not PINNED_ACTION.match(reference)]


def requirement_lines(text: str) -> list[str]:
    """The requirement lines of a pip requirements file, each with its `\\`-continued lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    lines = (line.split(" #")[0].strip() for line in joined.splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-"))]


def normalized(name: str) -> str:
    """A package name as PyPI compares them (PEP 503): PyYAML and pyyaml, ruamel.yaml and ruamel-yaml are one."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    """Package name (normalized) to the version a requirements file pins with `==`."""
    found = (re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line) for line in requirement_lines(text))
    return {normalized(match.group(1)): match.group(2) for match in found if match}


def unhashed(lock: str) -> list[str]:
    """The lock's requirements that are not pinned with `==` or carry no sha256 hash (pip --require-hashes refuses them)."""
    return [line for line in requirement_lines(lock) if "==" not in line or "--hash=sha256:" not in line]


def drift(requirements: str, lock: str) -> list[str]:
    """The packages requirements.txt pins that the lock misses or pins at another version."""
    locked = pins(lock)
    return [f"{name}=={version} (lock: {locked.get(name, 'missing')})"
            for name, version in pins(requirements).items() if locked.get(name) != version]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_every_github_action_is_pinned_to_a_commit_sha(workflow: Path):
    unpinned = unpinned_actions(workflow.read_text())
    assert not unpinned, f"{workflow.name} uses actions by a reference that can move: {unpinned}; pin each to its tag's commit SHA"


def test_an_action_by_tag_is_caught():
    workflow = ("steps:\n  - uses: actions/checkout@v4\n  - uses: ./local-action\n"
                "  - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830  # v4.3.0\n"
                "  - uses: actions/setup-go@0057852bfaa89a56745cba8c7296529d2fc39830\n")
    assert unpinned_actions(workflow) == ["actions/checkout@v4", "actions/setup-go@0057852bfaa89a56745cba8c7296529d2fc39830"]


def test_setup_installs_the_lock_with_hashes_checked():
    script = SETUP.read_text()
    installs = [line.strip() for line in script.splitlines() if "pip\" install" in line]
    assert installs, "scripts/setup.sh installs no Python packages"
    for line in installs:
        assert "--require-hashes" in line and '"$root/requirements.lock"' in line, f"setup.sh installs without the lock's hashes: {line}"
    assert 'cmp -s "$root/requirements.lock"' in script, "setup.sh does not reinstall when requirements.lock changes"


def test_every_package_in_the_lock_is_pinned_with_a_hash():
    assert pins(LOCK.read_text()), "requirements.lock pins no package"
    assert unhashed(LOCK.read_text()) == [], "requirements.lock has requirements pip --require-hashes would refuse"


def test_a_package_without_a_hash_is_caught():
    lock = ("six==1.17.0 \\\n    --hash=sha256:4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274\n    # via kubernetes\n"
            "tenacity==9.1.2\n    # via -r requirements.txt\nrequests>=2\n")
    assert unhashed(lock) == ["tenacity==9.1.2", "requests>=2"]


def test_the_lock_pins_what_requirements_txt_pins():
    drifted = drift(REQUIREMENTS.read_text(), LOCK.read_text())
    assert not drifted, f"requirements.lock differs from requirements.txt: {drifted}; run `make lock`"


def test_a_version_changed_in_requirements_txt_alone_is_caught():
    requirements = "pytest==8.4.2\nPyYAML==6.0.3\nrich==15.0.0\n"
    lock = "pytest==8.4.2 \\\n    --hash=sha256:00\npyyaml==6.0.2 \\\n    --hash=sha256:00\n"
    assert drift(requirements, lock) == ["pyyaml==6.0.3 (lock: 6.0.2)", "rich==15.0.0 (lock: missing)"]


@pytest.mark.parametrize("pipeline", PIPELINES, ids=[path.name for path in PIPELINES])
def test_the_pipelines_pip_cache_follows_the_lock(pipeline: Path):
    text = pipeline.read_text()
    assert "requirements.lock" in text and "requirements.txt" not in text, f"{pipeline.name}'s pip cache is not keyed on requirements.lock"
