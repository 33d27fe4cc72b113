"""A guide split in parts (paths.guide as a list of files, in reading order): its sections, scripts and marked steps
are found across the parts as in one file, each line is traced back to its part, and a missing part is named."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml

from acceptance.delivery import documents
from acceptance.draft.guess import plain
from acceptance.draft.profile_draft import draft
from acceptance.profile import check
from acceptance.profile import model as profile_lib
from acceptance.profile.model import Profile

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = "delivery/fr014_guide.feature::the guide covers the whole life of a deployment"
MARKED = "delivery/fr014_guide.feature::the guide marks what a user types to deploy, verify and clean up, and the output to expect"


def split_guide(root: Path) -> list[str]:
    """The copy's guide cut in two at its Verification section: the parts, as the profile names them."""
    guide = root / "deployment" / "README.md"
    text = guide.read_text()
    cut = text.index("\n## Verification") + 1
    guide.write_text(text[:cut])
    (root / "deployment" / "VERIFY.md").write_text(text[cut:])
    return ["deployment/README.md", "deployment/VERIFY.md"]


def profile_with_guide(workspace: Path, guide: str | list[str], name: str) -> Path:
    data = yaml.safe_load(profile_lib.REFERENCE.read_text())
    data["paths"]["guide"] = guide
    profile = workspace / f"{name}.yaml"
    profile.write_text(yaml.safe_dump(data))
    return profile


def test_the_parts_read_as_one_text_and_each_line_is_traced_to_its_part(tmp_path: Path):
    (tmp_path / "a.md").write_text("# Guide\n\n## Prerequisites\n")
    (tmp_path / "b.md").write_text("## Verification\nrun it\n")

    guide = documents.Guide.read(tmp_path, [tmp_path / "a.md", tmp_path / "b.md"])

    assert documents.missing_sections(guide.text, {"Prerequisites": ["Prerequisites"], "Verification": ["Verification"]}) == []
    assert guide.text.splitlines()[4:6] == ["## Verification", "run it"]
    assert (guide.where(3), guide.where(5), guide.where(6)) == ("a.md line 3", "b.md line 1", "b.md line 2")


def test_a_missing_part_is_named_in_the_profile_check():
    data = copy.deepcopy(profile_lib.reference().data)
    data["paths"]["guide"] = ["deployment/README.md", "deployment/VERIFY.md"]

    problems = check.path_problems(Profile(profile_lib.REFERENCE, data), ROOT)

    assert [problem.split(" is not")[0] for problem in problems] == ["paths.guide[1]: deployment/VERIFY.md"], problems


def test_a_split_guide_passes_as_the_whole_did_and_its_first_part_alone_fails(suite_side_by_side, reference_deployment: Path, tmp_path: Path):
    parts = split_guide(reference_deployment)
    scenarios = ["--scenario", SECTIONS, "--scenario", MARKED]
    runs = suite_side_by_side({
        "split": ["-m", "static", "-q", f"--project-root={reference_deployment}",
                  f"--profile={profile_with_guide(tmp_path, parts, 'split')}", *scenarios],
        "first": ["-m", "static", "-q", f"--project-root={reference_deployment}",
                  f"--profile={profile_with_guide(tmp_path, parts[0], 'first')}", *scenarios]}, tmp_path)

    assert runs["split"].ret == 0, "\n".join(runs["split"].outlines[-30:])
    assert json.loads((tmp_path / "split" / "scenarios.json").read_text()) == {SECTIONS: "passed", MARKED: "passed"}
    assert json.loads((tmp_path / "first" / "scenarios.json").read_text()) == {SECTIONS: "failed", MARKED: "failed"}


def test_the_draft_proposes_the_parts_the_guide_links_to_for_the_sections_it_lacks(reference_deployment: Path):
    """A guide that links to VERIFY.md for its Verification is drafted in parts; a link to a file that adds no
    section (the chart's README) is no part."""
    parts = split_guide(reference_deployment)
    guide = reference_deployment / parts[0]
    guide.write_text(guide.read_text() + "\nSee [the chart](../helm/todo-chatbot/README.md) and [verification](VERIFY.md#verification).\n")

    drafted = plain(draft(reference_deployment))

    assert drafted["paths"]["guide"] == parts
    assert drafted["guide"]["sections"]["Verification"] == ["Verification"]
