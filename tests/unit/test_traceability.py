"""The spec shows its own coverage: every seed claim is checked or says why not, and every scenario beyond the seed says so."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from acceptance.report import traceability, traceability_page
from acceptance.report.traceability import Claim, Model, Scenario

MODEL = traceability.load()
REGENERATE = f"regenerate it: make traceability (or {traceability_page.REGENERATE})"

OUTLINE = """\
@FR_002 @static
Feature: FR-002 Non-root containers
  A line that says what the requirement protects.

  Background:
    Given the chart under test

  Scenario: a plain scenario
    Then it should pass

  @beyond_seed
  Scenario Outline: the <component> image runs as <user>
    Then "id -un" should print "<user>"

    Examples:
      | component | user  |
      | frontend  | nginx |

    @image
    Examples:
      | component | user |
      | backend   | app  |

  @V_1
  Rule: a rule's tags reach its scenarios
    Scenario: inside a rule
      Then it should pass
"""


def claim(claim_id: str, checked_by: tuple[str, ...] = (), not_checked: str | None = None) -> Claim:
    return Claim(claim_id, "section", "the seed's words", checked_by, not_checked, None)


def scenario(title: str, *tags: str) -> Scenario:
    return Scenario("images/example.feature", "Example", title, frozenset(tags), (), 1)


# ---------------------------------------------------------------------------- the checked-in document and claims
def test_the_checked_in_document_is_what_the_generator_writes_now():
    expected = traceability_page.to_markdown(MODEL)
    assert traceability.DOC_FILE.read_text() == expected, f"{traceability.DOC_FILE} is stale (a scenario, tag or claim changed): {REGENERATE}"


@pytest.mark.parametrize("claim_id", traceability.REQUIRED_IDS)
def test_every_functional_requirement_and_verification_step_of_the_seed_is_a_claim_in_the_document(claim_id: str):
    assert claim_id in {claim.id for claim in MODEL.claims}, f"{claim_id} has no claim in {traceability.CLAIMS_FILE}"
    assert f"| {claim_id} |" in traceability.DOC_FILE.read_text(), f"{claim_id} is missing from {traceability.DOC_FILE}: {REGENERATE}"


@pytest.mark.parametrize("seed_claim", MODEL.claims, ids=lambda seed_claim: seed_claim.id)
def test_every_claim_is_checked_by_a_scenario_of_the_seed_or_says_why_not(seed_claim: Claim):
    problems = traceability.claim_problems(MODEL, seed_claim)
    assert not problems, "\n".join(problems)
    assert seed_claim.not_checked or MODEL.seed_checks(seed_claim), f"{seed_claim.id} names no scenario that checks it"


@pytest.mark.parametrize("feature_scenario", MODEL.scenarios, ids=lambda feature_scenario: feature_scenario.key)
def test_every_scenario_checks_a_seed_claim_or_is_tagged_beyond_seed(feature_scenario: Scenario):
    assert feature_scenario.beyond_seed or MODEL.claims_naming(feature_scenario), (
        f"{feature_scenario.key} is named by no claim of {traceability.CLAIMS_FILE} and is not tagged @{traceability.BEYOND_SEED}: "
        f"name it under the claim it checks, or tag it @{traceability.BEYOND_SEED}; then {REGENERATE}")


def test_the_model_has_no_problem_at_all():
    assert not traceability.problems(MODEL), "\n".join(traceability.problems(MODEL))


def test_the_suite_has_scenarios_both_of_the_seed_and_beyond_it():
    beyond = [found for found in MODEL.scenarios if found.beyond_seed]
    assert 0 < len(beyond) < len(MODEL.scenarios) / 2, f"{len(beyond)} of {len(MODEL.scenarios)} scenarios are tagged beyond the seed"


# ---------------------------------------------------------------------------- the rules can fail
def test_a_claim_only_beyond_seed_scenarios_check_is_a_problem():
    model = Model((scenario("extra", "FR_001", "beyond_seed"),), (claim("FR-001", ("@FR_001",)),))
    assert any("only @beyond_seed scenarios check it" in problem for problem in traceability.problems(model))


def test_a_scenario_no_claim_names_and_not_beyond_seed_is_a_problem():
    model = Model((scenario("orphan", "static"),), ())
    assert any("images/example.feature::orphan: no seed claim names it" in problem for problem in traceability.problems(model))


def test_a_reference_to_a_renamed_scenario_is_a_problem_and_shows_in_the_document():
    model = Model((scenario("new title", "FR_001"),), (claim("FR-001", ("images/example.feature::old title",)),))
    assert any("'images/example.feature::old title' names no scenario" in problem for problem in traceability.problems(model))
    assert "PROBLEM: images/example.feature::old title names no scenario" in traceability_page.to_markdown(model)


def test_a_claim_must_give_either_checks_or_a_reason():
    model = Model((), (claim("X-1"), claim("X-2", ("@FR_001",), "and a reason")))
    found = traceability.problems(model)
    assert any("X-1: give either checked_by or not_checked, not neither" in problem for problem in found)
    assert any("X-2: give either checked_by or not_checked, not both" in problem for problem in found)


def test_missing_functional_requirements_are_problems():
    assert any(problem.startswith("FR-014: no claim") for problem in traceability.problems(Model((), ())))


# ---------------------------------------------------------------------------- the parser
def test_the_parser_reads_titles_inherited_tags_and_outline_examples():
    found = {parsed.title: parsed for parsed in traceability.parse_feature(OUTLINE, "images/fr002.feature")}
    assert list(found) == ["a plain scenario", "the <component> image runs as <user>", "inside a rule"]
    assert found["a plain scenario"].tags == {"FR_002", "static"}
    assert found["the <component> image runs as <user>"].tags == {"FR_002", "static", "beyond_seed", "image"}  # Examples tags too
    assert found["the <component> image runs as <user>"].examples == ({"component": "frontend", "user": "nginx"}, {"component": "backend", "user": "app"})
    assert found["inside a rule"].tags == {"FR_002", "static", "V_1"}
    assert found["a plain scenario"].key == "images/fr002.feature::a plain scenario"
    assert found["a plain scenario"].feature_name == "FR-002 Non-root containers"


def test_the_parser_names_the_file_of_invalid_gherkin():
    with pytest.raises(traceability.TraceabilityError, match=r"features/broken.feature is not valid Gherkin"):
        traceability.parse_feature("Given a step outside any feature\n", "broken.feature")


# ---------------------------------------------------------------------------- outcomes of a run
def test_outcomes_of_an_outline_are_summed_over_its_examples():
    outline = scenario("the <component> image", "image")
    outcomes = {"images/example.feature::the <component> image[frontend]": "passed", "images/example.feature::the <component> image[backend]": "failed"}
    assert traceability_page.outcome(outline, outcomes) == "1 failed, 1 passed"
    assert traceability_page.outcome(outline, {}) == "not run"
    assert traceability_page.claim_outcome([outline], outcomes) == "failed"


def test_the_html_page_shows_each_scenario_s_and_each_claim_s_outcome(tmp_path: Path):
    only_check = next(found for found in MODEL.claims if len(MODEL.seed_checks(found)) == 1 and not MODEL.matched(found)[1:])
    results = tmp_path / "scenarios.json"
    results.write_text(json.dumps({MODEL.seed_checks(only_check)[0].key: "passed"}))
    page = tmp_path / "traceability.html"
    traceability_page.write(MODEL, page, traceability.load_outcomes(results))
    text = page.read_text()
    assert f'{html.escape(MODEL.seed_checks(only_check)[0].title)} (<span class="passed">passed</span>)' in text
    row = next(line for line in text.splitlines() if line.startswith(f"<tr><td>{only_check.id}</td>"))
    assert row.endswith('<td><span class="passed">passed</span></td></tr>'), row


# ---------------------------------------------------------------------------- the plugin
def test_a_run_writes_the_traceability_page_with_its_outcomes_and_links_it_from_the_report(suite):
    result = suite.run("-m", "FR_003", "-q", "--no-gate")  # no Docker engine: FR-003's two image scenarios are not judged

    result.assert_outcomes(skipped=2)
    page = (suite.workspace / "reports" / "traceability.html").read_text()
    assert 'the &lt;component&gt; image stays within its size budget (<span class="not-judged">not judged</span>)' in page
    beyond_seed_rows = [line for line in page.splitlines() if line.startswith("<tr><td><code>")]  # none is tagged FR_003
    assert beyond_seed_rows and all(line.endswith('<td><span class="not-run">not run</span></td></tr>') for line in beyond_seed_rows)
    assert '<a href="traceability.html">traceability.html</a>' in (suite.workspace / "reports" / "acceptance.html").read_text()
