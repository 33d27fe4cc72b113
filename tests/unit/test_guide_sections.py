"""The guide's headings and sections as a Markdown renderer shows them: code blocks hold none, setext headings count."""

from __future__ import annotations

import pytest

from acceptance.delivery import documents

GUIDE = """\
# Deploying

## Deployment steps

```bash
minikube start
# then open http://127.0.0.1:8080/
## not a heading either
```

~~~ shell title="port-forward"
# Tuning
~~~

````markdown
```bash
# Verification
```
````

    # Troubleshooting (indented code)

Open the app.

Prerequisites
=============

You need minikube.

Tuning
------

Set replicas.

## Verification

curl it.
"""


def test_a_comment_in_a_code_block_is_no_heading_and_setext_headings_are():
    assert documents.headings(GUIDE) == ["Deploying", "Deployment steps", "Prerequisites", "Tuning", "Verification"]


def test_a_section_only_a_code_block_names_is_missing():
    sections = {"Troubleshooting": ["Troubleshooting"], "Tuning": ["Tuning"], "Verification": ["Verification"]}
    code_only = GUIDE.replace("Tuning\n------\n", "Tune\n----\n").replace("## Verification", "## Checks")

    assert documents.missing_sections(GUIDE, sections) == ["Troubleshooting"]
    assert documents.missing_sections(code_only, sections) == ["Troubleshooting", "Tuning", "Verification"]


def test_a_section_runs_past_its_code_blocks_to_the_next_heading_of_its_level():
    body = documents.section(GUIDE, "Deployment steps")

    assert body is not None and "Open the app." in body and "You need minikube." not in body


def test_a_section_ends_at_a_heading_of_a_higher_level_too():
    body = documents.section("## Tuning\nreplicas\n# Appendix\nsecret\n## More\n", "Tuning")

    assert body is not None and "replicas" in body and "secret" not in body


@pytest.mark.parametrize(("title", "text"), [("Prerequisites", "You need minikube."), ("Tuning", "Set replicas."), ("verification", "curl it.")])
def test_a_setext_section_has_its_body(title, text):
    body = documents.first_section(GUIDE, ["Missing", title])

    assert body is not None and text in body


def test_a_heading_only_a_code_block_holds_has_no_section():
    assert documents.section("# Guide\n```bash\n# Cleanup\nrm -rf /\n```\n", "Cleanup") is None
