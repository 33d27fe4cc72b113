"""Many repositories, one table (acceptance/many): the list, its shards, the cells from hand-made scenarios.json files,
the CSV and HTML, the merge of shards, a clone, and one real run of the tool on a one-repository list."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from pathlib import Path

import pytest

from acceptance.core.outcome import DECLINED, DIFFERS, FAILED, NOT_JUDGED, NOT_RUN, PASSED
from acceptance.core.run import Result, run
from acceptance.many import gate, listing, render, results
from acceptance.many.listing import Entry, ListError, Shard
from acceptance.many.table import Cell, RepositoryResult, cell, columns, could_not_judge
from acceptance.report.traceability import Claim, Model, Scenario

ROOT = Path(__file__).resolve().parents[2]
FEATURE = "chart/example.feature"


# ---------------------------------------------------------------------------- the list
def write_list(tmp_path: Path, text: str) -> Path:
    (tmp_path / "team-a").mkdir(exist_ok=True)
    (tmp_path / "profile.yaml").write_text("profile: 1\n")
    path = tmp_path / "teams.list"
    path.write_text(text)
    return path


def test_a_list_of_paths_urls_and_profiles_with_comments_and_blank_lines(tmp_path: Path):
    text = ("# organisers' list\n\nteam-a profile.yaml   # a local checkout and its profile\n"
            "https://git.example/team-b.git\n  file:///srv/team-c#main  \ngit@git.example:team/d.git profile.yaml\n")
    entries = listing.read(write_list(tmp_path, text), tmp_path)
    assert [(entry.line, entry.repository, entry.profile, entry.is_url) for entry in entries] == [
        (3, "team-a", "profile.yaml", False), (4, "https://git.example/team-b.git", None, True),
        (5, "file:///srv/team-c#main", None, True), (6, "git@git.example:team/d.git", "profile.yaml", True)]
    assert entries[0].path == tmp_path / "team-a" and entries[0].profile_path == tmp_path / "profile.yaml"
    assert [entry.slug for entry in entries] == ["003-team-a", "004-team-b", "005-team-c-main", "006-d"]


def test_a_dot_is_the_current_directory_and_its_slug_names_it(tmp_path: Path):
    (entry,) = listing.parse(".\n", tmp_path)
    assert entry.path.resolve() == tmp_path.resolve() and entry.slug == f"001-{tmp_path.name}" and entry.label == f". ({tmp_path.name})"


def test_bad_lines_are_all_named_at_once_with_their_line_and_the_fix(tmp_path: Path):
    text = "team-a profile.yaml extra\nftp://host/repo\nno-such-dir\nteam-a missing.yaml\nteam-a\n"
    with pytest.raises(ListError) as raised:
        listing.read(write_list(tmp_path, text), tmp_path)
    lines = str(raised.value).splitlines()
    assert len(lines) == 4, lines
    assert lines[0].startswith("line 1: 3 fields") and "REPOSITORY [PROFILE]" in lines[0]
    assert lines[1].startswith("line 2: 'ftp://host/repo' is not a URL git clones")
    assert lines[2].startswith("line 3: the repository") and "is not a directory" in lines[2]
    assert lines[3].startswith("line 4: the profile") and "does not exist" in lines[3]


def test_an_empty_list_and_an_unreadable_one_are_errors(tmp_path: Path):
    with pytest.raises(ListError, match="names no repository"):
        listing.parse("# nothing\n\n", tmp_path)
    with pytest.raises(ListError, match="cannot read the list"):
        listing.read(tmp_path / "absent.list", tmp_path)


def test_a_url_is_shown_without_its_credentials():
    entry = Entry(1, "https://oauth2:s3cret@git.example/team/repo.git", None)
    assert entry.label == "https://git.example/team/repo.git" and "s3cret" not in entry.slug


# ---------------------------------------------------------------------------- shards
@pytest.mark.parametrize("count", [1, 2, 3, 5, 9])
def test_every_entry_is_in_exactly_one_shard(count: int):
    entries = [Entry(line, f"/team-{line}", None) for line in range(1, 8)]
    shards = [Shard(index, count).select(entries) for index in range(1, count + 1)]
    chosen = [entry for shard in shards for entry in shard]
    assert sorted(entry.line for entry in chosen) == list(range(1, 8))


def test_a_shard_runs_every_nth_entry():
    entries = [Entry(line, f"/team-{line}", None) for line in range(1, 8)]
    assert [entry.line for entry in Shard.parse("2/3").select(entries)] == [2, 5]


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_a_wrong_shard_is_refused_with_the_form(text: str):
    with pytest.raises(ListError, match="give I/N"):
        Shard.parse(text)


# ---------------------------------------------------------------------------- the table from hand-made scenarios.json
def model() -> Model:
    """Claims FR-001..FR-003 and V-1 over hand-made scenarios (one an outline), and a claim of another group."""
    def scenario(title: str, *tags: str) -> Scenario:
        return Scenario(FEATURE, "Example", title, frozenset(tags), (), 1)

    def claim(claim_id: str, *references: str) -> Claim:
        return Claim(claim_id, "section", f"the seed's words for {claim_id}", references, None, None)

    scenarios = (scenario("one", "FR_001", "static"), scenario("the <component> runs", "FR_002", "static"),
                 scenario("extra", "FR_002", "beyond_seed", "static"), scenario("deployed", "FR_003", "cluster"), scenario("walked", "V_1"))
    claims = (claim("FR-001", "@FR_001"), claim("FR-002", "@FR_002"), claim("FR-003", "@FR_003"), claim("V-1", "@V_1"), claim("Other-1", "@V_1"))
    return Model(scenarios, claims)


def key(title: str, example: str = "") -> str:
    return f"{FEATURE}::{title}" + (f"[{example}]" if example else "")


COLUMNS = columns(model())


def by_id(column_id: str):
    return next(column for column in COLUMNS if column.id == column_id)


def test_the_columns_are_the_requirements_then_the_verification_steps_and_nothing_else():
    assert [(column.id, column.group) for column in COLUMNS] == [("FR-001", "FR"), ("FR-002", "FR"), ("FR-003", "FR"), ("V-1", "V")]
    assert by_id("FR-002").scenario_keys == (key("the <component> runs"), key("extra"))


@pytest.mark.parametrize(("outcomes", "expected"), [
    ({"frontend": PASSED, "backend": PASSED}, Cell(PASSED, {PASSED: 3})),
    ({"frontend": PASSED, "backend": FAILED}, Cell(FAILED, {PASSED: 2, FAILED: 1})),
    ({"frontend": DIFFERS, "backend": PASSED}, Cell(DIFFERS, {DIFFERS: 1, PASSED: 2})),
    ({"frontend": DIFFERS, "backend": FAILED}, Cell(FAILED, {DIFFERS: 1, FAILED: 1, PASSED: 1})),
    ({"frontend": NOT_JUDGED, "backend": DIFFERS}, Cell(NOT_JUDGED, {NOT_JUDGED: 1, DIFFERS: 1, PASSED: 1})),
    ({"frontend": NOT_JUDGED, "backend": PASSED}, Cell(NOT_JUDGED, {NOT_JUDGED: 1, PASSED: 2})),
    ({"frontend": NOT_RUN, "backend": PASSED}, Cell(NOT_RUN, {NOT_RUN: 1, PASSED: 2})),
], ids=["passed", "failed", "differs", "failed-over-differs", "not-judged-over-differs", "not-judged", "not-run"])
def test_a_cell_is_the_worst_outcome_of_its_scenarios_each_example_counted(outcomes: dict[str, str], expected: Cell):
    run_outcomes = {key("the <component> runs", example): outcome for example, outcome in outcomes.items()}
    run_outcomes[key("extra")] = PASSED
    run_outcomes[key("one")] = FAILED  # another requirement's scenario is not counted
    assert cell(by_id("FR-002"), run_outcomes) == expected


def test_declined_shows_only_when_the_profile_declines_every_scenario_of_the_cell():
    assert cell(by_id("FR-002"), {key("the <component> runs", "x"): PASSED, key("extra"): DECLINED}) == Cell(PASSED, {PASSED: 1, DECLINED: 1})
    assert cell(by_id("FR-001"), {key("one"): DECLINED}).label == "declined"


def test_a_requirement_whose_scenarios_are_in_tiers_not_run_says_so():
    found = cell(by_id("FR-003"), {key("one"): PASSED})
    assert (found.outcome, found.text) == (NOT_RUN, "not run (none in the tiers run)")


def test_differs_reads_as_the_seeds_design_and_an_unknown_outcome_keeps_its_word():
    assert cell(by_id("FR-001"), {key("one"): DIFFERS}).text == "differs from the seed's design (1 differs)"
    assert cell(by_id("FR-001"), {key("one"): "waived"}).text == "waived (1 waived)"


def hand_made_results() -> list[RepositoryResult]:
    """Three runs: one judged (from a scenarios.json written by hand), one whose clone failed, one named to break HTML."""
    scenarios_json = {key("one"): PASSED, key("the <component> runs", "frontend"): DIFFERS, key("the <component> runs", "backend"): PASSED,
                      key("extra"): PASSED, key("walked"): NOT_JUDGED}
    judged = RepositoryResult(1, "/teams/a", "profiles/a.yaml", "NOT JUDGED", "NOT JUDGED: no cluster (1 scenario); in 0 min 9 s: ...", "",
                              "runs/001-a/reports/acceptance.html", 9.5, scenarios_json)
    cloned = could_not_judge(2, "https://git.example/b.git", "none given", "clone failed: git clone https://git.example/b.git exited 128: fatal", 0.4)
    hostile = RepositoryResult(3, '<script>alert("x")</script>', "=cmd|' /C calc'!A0", "FAILED", "FAILED <b>bold</b>", "",
                               'runs/003-x/reports/a"cceptance.html', 1.0, {key("one"): FAILED})
    return [judged, cloned, hostile]


def csv_rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render.to_csv(COLUMNS, hand_made_results()))))


def test_the_csv_has_a_row_per_repository_and_a_cell_per_requirement_with_its_counts():
    judged, *_ = csv_rows()
    assert list(judged)[8:] == ["FR-001", "FR-002", "FR-003", "V-1"]
    assert [judged[column] for column in ("FR-001", "FR-002", "FR-003", "V-1")] == [
        "passed (1 passed)", "differs from the seed's design (1 differs, 2 passed)", "not run (none in the tiers run)",
        "not judged (1 not judged)"]
    assert (judged["verdict"], judged["report"], judged["cause"]) == ("NOT JUDGED", "runs/001-a/reports/acceptance.html", "")


def test_a_run_that_could_not_judge_has_its_verdict_line_and_cause_and_no_report():
    _, cloned, _ = csv_rows()
    assert cloned["verdict"] == "NOT JUDGED" and cloned["cause"].startswith("clone failed: git clone https://git.example/b.git exited 128")
    assert cloned["verdict line"] == f"NOT JUDGED: {cloned['cause']}" and cloned["report"] == ""
    assert {cloned[column] for column in ("FR-001", "V-1")} == {"not judged (the run judged nothing: see its cause)"}


def test_the_csv_keeps_untrusted_text_from_running_as_a_spreadsheet_formula():
    *_, hostile = csv_rows()
    assert hostile["profile"] == "'=cmd|' /C calc'!A0" and hostile["repository"] == '<script>alert("x")</script>'


def page() -> str:
    return render.to_html(COLUMNS, hand_made_results(), "3 repositories")


def test_the_page_links_each_repository_to_its_own_report_and_colours_each_cell_kind():
    text = page()
    assert '<a href="runs/001-a/reports/acceptance.html">/teams/a</a><br><small>line 1</small>' in text
    for kind in ("passed", "differs", "not-run", "not-judged", "failed"):
        assert f'class="cell {kind}"' in text, kind
    assert "differs from the seed&#x27;s design<br><small>1 differs, 2 passed</small>" in text
    assert '<th colspan="3">Functional requirements (FR-001..FR-014)</th>' in text and '<th colspan="1">Verification steps (V-1..V-7)</th>' in text


def test_a_run_that_could_not_judge_is_one_cell_across_the_requirements_with_its_cause():
    assert ('<td class="not-judged" colspan="4">not judged: clone failed: git clone https://git.example/b.git exited 128: fatal</td>'
            in page())


def test_the_page_escapes_repository_names_verdict_lines_and_links():
    text = page()
    assert "<script>" not in text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "<b>bold</b>" not in text and "FAILED &lt;b&gt;bold&lt;/b&gt;" in text
    assert 'href="runs/003-x/reports/a%22cceptance.html"' in text


# ---------------------------------------------------------------------------- results.json and the merge of shards
def write_shard(directory: Path, shard: Shard, lines: list[int], fingerprint: str = "list-1") -> Path:
    found = [RepositoryResult(line, f"/teams/{line}", "p.yaml", "PASSED", "PASSED in 0 min 1 s", "", f"runs/{line:03d}/reports/acceptance.html",
                              1.0, {key("one"): PASSED}) for line in lines]
    results.write(model(), results.Results(fingerprint, shard, ("static",), found), directory)
    return directory


def test_the_shards_merge_into_one_table_in_list_order_with_links_into_each_shard(tmp_path: Path):
    first = write_shard(tmp_path / "shard-1", Shard(1, 2), [1, 3, 5])
    second = write_shard(tmp_path / "shard-2", Shard(2, 2), [2, 4])
    merged = results.merge([second, first], tmp_path / "merged")
    assert [result.line for result in merged.results] == [1, 2, 3, 4, 5]
    assert merged.results[1].report == "../shard-2/runs/002/reports/acceptance.html"
    results.write(model(), merged, tmp_path / "merged", shards=2)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "merged" / results.CSV_FILE).read_text())))
    assert [row["line"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert "merged from 2 shards" in (tmp_path / "merged" / results.HTML_FILE).read_text()


@pytest.mark.parametrize(("shards", "problem"), [
    ([(Shard(1, 3), "list-1")], "shard 2/3 missing; shard 3/3 missing"),
    ([(Shard(1, 2), "list-1"), (Shard(1, 2), "list-1"), (Shard(2, 2), "list-1")], "shard 1/2 given more than once"),
    ([(Shard(1, 2), "list-1"), (Shard(2, 2), "list-2")], "list list-2"),
])
def test_a_merge_refuses_missing_repeated_or_foreign_shards(tmp_path: Path, shards: list[tuple[Shard, str]], problem: str):
    directories = [write_shard(tmp_path / f"shard-{number}", shard, [number], fingerprint) for number, (shard, fingerprint) in enumerate(shards)]
    with pytest.raises(results.MergeError, match="cannot merge: .*" + re.escape(problem)):
        results.merge(directories, tmp_path / "merged")


def test_a_merge_of_a_directory_without_results_names_it(tmp_path: Path):
    with pytest.raises(results.MergeError, match=r"no readable results\.json"):
        results.merge([tmp_path], tmp_path / "merged")


# ---------------------------------------------------------------------------- one repository's run, without the suite
def plan(tmp_path: Path) -> gate.Plan:
    return gate.Plan(tmp_path / "out", ("static",), 60.0, sys.executable)


def test_a_file_url_is_cloned_shallow_into_the_runs_own_directory(tmp_path: Path):
    source = tmp_path / "team"
    source.mkdir()
    (source / "README.md").write_text("team\n")
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example"}
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "one"]):
        run(command, timeout=30, cwd=source, env=environment).check("make the team's repository")
    checkout = gate.clone(Entry(1, source.as_uri(), None), tmp_path / "run")
    assert (checkout / "README.md").read_text() == "team\n" and checkout == tmp_path / "run" / "checkout"
    assert run(["git", "rev-parse", "--is-shallow-repository"], timeout=30, cwd=checkout).stdout.strip() == "true"


def test_a_clone_that_fails_is_the_rows_cause_without_the_urls_credentials(tmp_path: Path):
    entry = Entry(4, f"file://user:s3cret@{tmp_path}/absent", "profile.yaml", tmp_path)
    (tmp_path / "profile.yaml").write_text("profile: 1\n")
    found = gate.gate(entry, plan(tmp_path), gate.threading.Lock())
    assert not found.judged and found.cause.startswith(f"clone failed: git clone file://{tmp_path}/absent exited 128")
    assert "s3cret" not in found.cause and found.verdict == "NOT JUDGED" and found.line == 4


def test_without_a_profile_and_without_a_drafter_the_row_says_to_give_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(gate, "DRAFTER_MODULE", "acceptance.profile.no_such_drafter")
    found = gate.gate(Entry(2, str(tmp_path), None), plan(tmp_path), gate.threading.Lock())
    assert found.cause == "no profile given and no drafter available: give a profile on the line" and found.profile == "none given"


def test_a_run_that_wrote_no_verdict_takes_pytests_error_as_its_cause(tmp_path: Path):
    directory = gate.run_directory(plan(tmp_path), Entry(3, "team", "broken.yaml"))
    directory.mkdir(parents=True)
    said = Result(["pytest"], 4, "", "ERROR: --profile: the profile is broken, no scenario ran:\nprofile broken.yaml: 'chart' is a required property\n")
    found = gate.result_of(Entry(3, "team", "broken.yaml"), "broken.yaml", directory, said, 4.2, tmp_path / "out")
    assert found.cause.startswith("the suite exited 4 without a verdict: --profile: the profile is broken, no scenario ran: profile broken.yaml:")
    assert found.cause.endswith("(see runs/003-team/output.txt)") and found.seconds == 4.2


def test_a_run_with_a_verdict_is_read_from_its_report_dir_differs_included(tmp_path: Path):
    directory = gate.run_directory(plan(tmp_path), Entry(5, "team", "p.yaml"))
    (directory / "reports").mkdir(parents=True)
    (directory / "reports" / "verdict.json").write_text(json.dumps({"verdict": "PASSED", "line": "PASSED in 0 min 3 s: ..."}))
    (directory / "reports" / "scenarios.json").write_text(json.dumps({key("one"): DIFFERS}))
    (directory / "reports" / "acceptance.html").write_text("<html></html>")
    found = gate.result_of(Entry(5, "team", "p.yaml"), "p.yaml", directory, Result(["pytest"], 0, "", ""), 3.0, tmp_path / "out")
    assert (found.judged, found.verdict, found.report) == (True, "PASSED", "runs/005-team/reports/acceptance.html")
    assert found.cells(COLUMNS)[0].label == "differs from the seed's design"


def test_two_runs_at_once_share_no_report_dir_nor_scratch(tmp_path: Path):
    """Each child pytest gets its own --report-dir and --basetemp: the static tier's sandboxes (fixtures/sandbox.py puts
    them under tmp_path) and every scratch file are under the latter; the static tier opens no port."""
    commands = [gate.pytest_command(plan(tmp_path), ROOT / "profiles" / "reference.yaml", ROOT, gate.run_directory(plan(tmp_path), entry))
                for entry in (Entry(1, ".", None), Entry(2, ".", None))]
    scratch = [{part.split("=", 1)[1] for part in command if part.startswith(("--report-dir=", "--basetemp="))} for command in commands]
    assert len(scratch[0]) == 2 and not scratch[0] & scratch[1]


# ---------------------------------------------------------------------------- the tool's own exit status
@pytest.mark.parametrize(("arguments", "said"), [
    (["run", "LIST", "--tiers=static,browser"], "TIERS='static,browser': give tiers among static, image, cluster"),
    (["run", "LIST", "--shard=3/2"], "SHARD='3/2': give I/N"),
    (["run", "LIST", "--jobs=0"], "JOBS=0: give at least 1"),
    (["run", "BAD"], "line 1: the repository"),
    (["merge", "EMPTY"], "no readable results.json"),
])
def test_the_tool_exits_2_with_the_fix_when_it_cannot_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], said: str):
    from acceptance.many.__main__ import main

    (tmp_path / "good.list").write_text(f"{ROOT} {ROOT / 'profiles' / 'reference.yaml'}\n")
    (tmp_path / "bad.list").write_text(f"{tmp_path / 'absent'}\n")
    paths = {"LIST": str(tmp_path / "good.list"), "BAD": str(tmp_path / "bad.list"), "EMPTY": str(tmp_path)}
    assert main([paths.get(argument, argument) for argument in arguments] + [f"--out={tmp_path / 'out'}"]) == 2
    assert said in capsys.readouterr().err and not (tmp_path / "out" / results.HTML_FILE).exists()


# ---------------------------------------------------------------------------- the tool, for real, on one repository
def test_the_tool_gates_a_one_repository_list_and_writes_the_table(tmp_path: Path):
    listed = tmp_path / "one.list"
    listed.write_text(f"# this repository, its static tier\n{ROOT} {ROOT / 'profiles' / 'reference.yaml'}\n")
    said = run([sys.executable, "-m", "acceptance.many", "run", str(listed), f"--out={tmp_path / 'out'}"], timeout=300, cwd=ROOT)
    assert said.ok, said.describe()
    assert "gate-many [1/1] started" in said.stderr and "gate-many [1/1] finished" in said.stderr
    (row,) = csv.DictReader(io.StringIO((tmp_path / "out" / results.CSV_FILE).read_text()))
    assert row["verdict"] == "PASSED", row["verdict line"]
    assert row["FR-005"].startswith("passed (") and row["V-6"] == "not run (none in the tiers run)"
    assert (tmp_path / "out" / row["report"]).is_file() and json.loads((tmp_path / "out" / results.RESULTS_FILE).read_text())["shard"] == "1/1"
