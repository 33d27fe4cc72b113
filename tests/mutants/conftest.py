"""The mutant self-test's session: a cluster its runs started is stopped at the end; the kill rate is printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from acceptance.core.names import CREATED_BY_LABEL
from acceptance.core.progress import say
from acceptance.core.run import ToolError
from acceptance.core.wait import wait_for
from acceptance.kube import conditions
from acceptance.kube.client import Kube
from acceptance.release.release import CREATED_BY
from acceptance.report import promises_page
from acceptance.report.traceability import FEATURES_DIR, load_scenarios
from fixtures.cluster_tier import provider_for, stop_cluster
from fixtures.options import SETTINGS_KEY, Settings
from tests.mutants.catalog.mutant import Mutant

KILLED: dict[str, bool] = {}
# Mutant -> {scenario it kills: the step its run failed at}, for the promises page (acceptance/report/promises_page.py).
BROKEN: dict[str, dict[str, dict[str, object]]] = {}
DEFECTS: dict[str, str] = {}


def record_broken(mutant: Mutant, failed_steps: Path) -> dict[str, dict[str, object]]:
    """Keep the steps the mutant's killed scenarios failed at (its run's reports/failed_steps.json), and return them."""
    found = json.loads(failed_steps.read_text()) if failed_steps.exists() else {}
    BROKEN[mutant.name] = {key: found[key] for key in mutant.kills + mutant.differs if key in found}
    DEFECTS[mutant.name] = mutant.defect
    return BROKEN[mutant.name]


def missed_promise(mutant: Mutant, broken: dict[str, dict[str, object]]) -> dict[str, str]:
    """The killed scenarios of a mutant of one promise (Mutant.breaks) that failed at another step: scenario -> step."""
    if not mutant.breaks:
        return {}
    return {key: str(broken.get(key, {}).get("text", "no step recorded")) for key in mutant.kills
            if mutant.breaks not in str(broken.get(key, {}).get("text", ""))}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The promises each mutant broke, and the page that joins them with the features (promises.json, promises.md)."""
    if not BROKEN or SETTINGS_KEY not in session.config.stash:
        return
    report_dir = session.config.stash[SETTINGS_KEY].report_dir
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "promises.json").write_text(json.dumps({"broken": BROKEN, "defects": DEFECTS}, indent=1, sort_keys=True) + "\n")
    scenarios = load_scenarios(FEATURES_DIR)
    record = promises_page.record_of(scenarios, BROKEN)
    (report_dir / "promises.md").write_text(promises_page.render(scenarios, record, DEFECTS, promises_page.load_excuses()))
    total, kept = promises_page.counts(scenarios, record)
    say(f"mutants: {kept} of {total} promises broken by a mutant of this run ({report_dir / 'promises.md'})")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The cluster mutants first, in the main thread, while the static and image mutants run beside them."""
    items.sort(key=lambda item: 0 if item.get_closest_marker("cluster") else 1)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("acceptance").addoption(
        "--reference-outcomes", metavar="FILE",
        help="scenarios.json of a run of the suite on this same reference deployment just before (make test passes its gate "
             "run's); the mutants then compare with it instead of running the reference again")


@pytest.fixture(scope="session", autouse=True)
def stop_a_cluster_the_runs_started(settings: Settings):
    """The runs keep their cluster up between them (--keep-cluster); one that was not up before is stopped after."""
    try:
        provider = provider_for(settings)
        was_up = provider.reachable()
    except ToolError:
        provider, was_up = None, True
    yield
    if provider is not None and provider.reachable():
        verify_namespaces_removed(Kube(provider.target(), settings.timeouts), settings)
    if provider is not None and not was_up and not settings.keep_cluster and provider.reachable():
        provider.created = True
        stop_cluster(provider)


def verify_namespaces_removed(kube: Kube, settings: Settings) -> None:
    """The runs delete their namespaces without waiting (--no-removal-wait): verify once, for all of them, that none is left."""
    left = [namespace.metadata.name for namespace in kube.core.list_namespace(label_selector=f"{CREATED_BY_LABEL}={CREATED_BY}").items]
    if left:
        say(f"mutants: waiting for the removal of {len(left)} namespace(s) the runs deleted ...")
        wait_for(conditions.namespaces_gone(kube, left), timeout=settings.timeouts.cleanup, interval=1)


def pytest_terminal_summary(terminalreporter) -> None:
    if not KILLED:
        return
    killed = sum(KILLED.values())
    terminalreporter.write_sep("=", "mutation testing")
    for name, was_killed in sorted(KILLED.items()):
        if not was_killed:
            terminalreporter.write_line(f"SURVIVED: {name}", red=True)
    terminalreporter.write_line(f"mutants: {killed}/{len(KILLED)} killed", bold=True, green=killed == len(KILLED), red=killed != len(KILLED))
