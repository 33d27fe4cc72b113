"""What the suite installs and runs is pinned by content: Python packages by hash, GitHub actions by commit SHA,
base images by digest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from acceptance.docker_engine import dockerfiles

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "requirements.lock"
SETUP = ROOT / "scripts" / "setup.sh"
WORKFLOWS = sorted((ROOT / "ci" / "github").glob("*.yml"))
PIPELINES = [*WORKFLOWS, ROOT / "ci" / "gitlab" / "acceptance.gitlab-ci.yml"]
DOCKERFILES = sorted((ROOT / "images").glob("*/Dockerfile"))
GITLAB_PIPELINES = sorted((ROOT / "ci" / "gitlab").glob("*.yml"))

# A tag or branch can be moved to other code; a full commit SHA cannot. The trailing comment names the tag.
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\S+$")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$")
# A tag can be pushed again with other content; a digest cannot. The tag stays for the reader, the digest binds.
PINNED_IMAGE = re.compile(r"^[a-z0-9][a-z0-9._/-]*:[\w][\w.-]*@sha256:[0-9a-f]{64}$")
# Known exceptions, still named by tag: no digest for them was at hand. The docker-library/repo-info snapshot the
# other digests come from (builds of August 2026) has no file for either tag (its nginx files are the 1.30 and 1.31
# lines), no registry is reachable where this was written, and a guessed digest is worse than a tag. To close one: take
# its tag's digest (`docker buildx imagetools inspect node:20-bookworm-slim`), or move to a maintained tag, pin it in
# the Dockerfile and delete its line here; test_each_image_left_by_tag_is_still_named_by_that_tag makes sure of that.
NOT_PINNED = {
    "node:20-bookworm-slim": "the frontend's build base: no digest in the repo-info snapshot",
    "nginx:1.27-alpine": "the frontend's runtime base: no digest in the repo-info snapshot",
}


def unpinned_actions(workflow: str) -> list[str]:
    """The `uses:` references of a workflow that are not a commit SHA with its tag in a comment (local ./ ones pass)."""
    references = [match.group(1) for line in workflow.splitlines() if (match := USES.match(line))]
    return [reference for reference in references if not reference.startswith("./") and not PINNED_ACTION.match(reference)]


def dockerfile_images(dockerfile: Path) -> list[str]:
    """The images a Dockerfile names: its global `ARG *_IMAGE=` defaults and the images its stages start FROM (ARGs filled in)."""
    defaults = [default for name, default in dockerfiles.global_arg_defaults(dockerfile).items() if name.endswith("_IMAGE")]
    return list(dict.fromkeys(defaults + dockerfiles.upstream_bases(dockerfile)))


def gitlab_images(document) -> list[str]:
    """Every `image:` of a GitLab CI document, in a job or under `default:`, as a string or as `{name: ...}`."""
    if isinstance(document, list):
        return [image for item in document for image in gitlab_images(item)]
    if not isinstance(document, dict):
        return []
    found = []
    for key, value in document.items():
        if key == "image":
            found.append(value["name"] if isinstance(value, dict) else value)
        else:
            found += gitlab_images(value)
    return found


def unpinned_images(images: list[str]) -> list[str]:
    """The images named by tag alone (or with a malformed digest), the known exceptions left out."""
    return [image for image in images if not PINNED_IMAGE.match(image) and image not in NOT_PINNED]


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


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=[path.parent.name for path in DOCKERFILES])
def test_every_base_image_of_a_dockerfile_is_pinned_by_digest(dockerfile: Path):
    images = dockerfile_images(dockerfile)
    assert images, f"{dockerfile} names no base image"
    unpinned = unpinned_images(images)
    assert not unpinned, f"{dockerfile.parent.name}/Dockerfile names bases by tag alone: {unpinned}; write each as name:tag@sha256:<digest of that tag>"


@pytest.mark.parametrize("pipeline", GITLAB_PIPELINES, ids=[path.name for path in GITLAB_PIPELINES])
def test_every_gitlab_job_image_is_pinned_by_digest(pipeline: Path):
    images = gitlab_images(yaml.safe_load(pipeline.read_text()))
    assert images, f"{pipeline.name} names no image"
    unpinned = unpinned_images(images)
    assert not unpinned, f"{pipeline.name} runs jobs in images named by tag alone: {unpinned}; write each as name:tag@sha256:<digest of that tag>"


def test_each_image_left_by_tag_is_still_named_by_that_tag():
    """An exception that nothing needs any more goes: once a tag is pinned, or dropped, it leaves NOT_PINNED too."""
    named = {image for path in DOCKERFILES for image in dockerfile_images(path)}
    named |= {image for path in GITLAB_PIPELINES for image in gitlab_images(yaml.safe_load(path.read_text()))}
    stale = sorted(set(NOT_PINNED) - named)
    assert not stale, f"NOT_PINNED lists images no Dockerfile or pipeline names by tag any more: {stale}; remove them"


def test_an_image_by_tag_or_with_a_malformed_digest_is_caught(tmp_path: Path):
    digest = "0bee7276f83efd4a1ee05bbbf4281d95ed28e079220a9457f25a93e3f1e3c31b"
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(f"ARG BUILDER_IMAGE=python:3.11-slim-bookworm@sha256:{digest}\nARG RUNTIME_IMAGE=python:3.11-slim-bookworm\n"
                          f"FROM ${{BUILDER_IMAGE}} AS builder\nFROM ${{RUNTIME_IMAGE}}\nFROM alpine:3.20\nFROM builder\n")
    pipeline = {"default": {"image": "debian:bookworm"}, "job": {"image": {"name": f"golang@sha256:{digest}"}},
                "other": {"image": f"golang:1.26-bookworm@sha256:{digest[:12]}"}, "pinned": {"image": f"golang:1.26@sha256:{digest}"}}

    assert unpinned_images(dockerfile_images(dockerfile)) == ["python:3.11-slim-bookworm", "alpine:3.20"]
    assert unpinned_images(gitlab_images(pipeline)) == ["debian:bookworm", f"golang@sha256:{digest}", f"golang:1.26-bookworm@sha256:{digest[:12]}"]
