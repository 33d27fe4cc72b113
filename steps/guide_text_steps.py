"""Steps reading the deployment guide's text: its sections, the scripts it mentions, the commands and outputs it marks."""

from __future__ import annotations

from pathlib import Path

from pytest_bdd import given, parsers, then

from acceptance.delivery import documents, scripts
from acceptance.delivery.guide import blocks as marked_blocks
from fixtures.options import Settings
from steps.phrases import quoted


@given("the deployment guide", target_fixture="guide")
def the_guide(settings: Settings) -> str:
    missing = [str(path) for path in settings.guide_files if not path.is_file()]
    assert not missing, f"the deployment guide (the profile's paths.guide) is missing: {', '.join(missing)}"
    return settings.read_guide().text


@then(parsers.re(r"it should have the sections (?P<names>.+)"))
def guide_sections(guide: str, settings: Settings, names: str) -> None:
    headings = settings.profile.guide_headings()
    missing = documents.missing_sections(guide, {name: headings[name] for name in quoted(names)})
    assert not missing, (f"the guide lacks the sections {missing}; its headings: {documents.headings(guide)} "
                         "(if one is there under another heading, list it in the profile's guide.sections)")


@then(parsers.re(r"it should mention the scripts (?P<names>.+)"))
def guide_mentions_scripts(guide: str, settings: Settings, names: str) -> None:
    files = [Path(settings.profile.path("scripts", scripts.role_of(name))).name for name in quoted(names)]
    missing = [name for name in files if name not in guide]
    assert not missing, f"the guide does not mention the scripts {missing}"


@then(parsers.re(r'its "(?P<section>[^"]+)" section should mention (?P<phrases>.+)'))
def section_mentions(guide: str, settings: Settings, section: str, phrases: str) -> None:
    body = documents.first_section(guide, settings.profile.guide_headings()[section])
    missing = [phrase for phrase in quoted(phrases) if phrase not in (body or "")]
    assert body is not None and not missing, (
        f"the guide has no {section!r} section" if body is None else f"the guide's {section} section does not mention {missing}")


@then(parsers.re(r"it should mark the commands of the steps (?P<names>.+)"))
def guide_marks_steps(guide: str, names: str) -> None:
    marked = {block.name for block in marked_blocks(guide) if block.kind == "run"}
    missing = [name for name in quoted(names) if name not in marked]
    assert not missing, f"the guide marks no commands (<!-- run: NAME --> before a ```bash block) for the steps {missing}; it marks {sorted(marked)}"


@then(parsers.re(r"it should document the output of the steps (?P<names>.+)"))
def guide_documents_output(guide: str, names: str) -> None:
    documented = {block.name for block in marked_blocks(guide) if block.kind == "output"}
    missing = [name for name in quoted(names) if name not in documented]
    assert not missing, f"the guide documents no output (<!-- output: NAME --> before a ```text block) for the steps {missing}"

