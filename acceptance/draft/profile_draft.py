"""A first deployment profile for a repository: every key the schema requires, each guess commented with its evidence."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from acceptance.docker_engine import dockerfiles
from acceptance.draft import build_args, guide_sections, naming, paths
from acceptance.draft.chart_parts import COMPONENTS, ChartParts
from acceptance.draft.guess import Draft, Guess, missing, none_offered, plain
from acceptance.draft.rendering import chart_values, data_values, render
from acceptance.draft.repository import Repository
from acceptance.draft.values import PER_COMPONENT, SINGLE, ValueFinder, credentials
from acceptance.draft.words import words

# The scenarios beyond the seed that need a value (or a resource) the chart may not have: declined when it has none.
OPTIONAL = {
    "network_policy.enabled": [("chart/network_policy.feature", "the chart renders no NetworkPolicy and has no value for one"),
                               ("cluster/network_policy_enforced.feature", "the chart renders no NetworkPolicy for the cluster to enforce")],
    "existing_secret": [("chart/fr010_secrets.feature::an existing Secret replaces the chart's own", "the chart has no value naming an existing Secret")],
    "persistence.existing_claim": [("chart/fr012_persistence.feature::an existing claim replaces the chart's own",
                                    "the chart has no value naming an existing claim")],
    "service.frontend.source_ranges": [("chart/fr005_chart.feature::the frontend LoadBalancer admits only the configured source ranges",
                                        "the chart has no value for the frontend Service's loadBalancerSourceRanges")],
    "openai_base_url": [("chart/fr007_values_schema.feature::a wrong <problem> is rejected[plain-http OpenAI URL-OpenAI base URL-\"http://api.example.com/v1\"]",
                         "the chart has no OpenAI base URL value to validate")],
}
# An absolute SQLite file in a URL a chart defaults to: sqlite:////app/data/todo.db -> /app/data/todo.db.
SQLITE_FILE = re.compile(r"sqlite:///(/[\w./-]+)")
BUDGETS = {"frontend_mb": 60, "backend_mb": 200, "recovery_seconds": 60}


def put(tree: Draft, dotted: str, guess: Guess | None) -> None:
    """tree[a][b][c] = guess for "a.b.c", the levels made as needed; nothing for None."""
    if guess is None:
        return
    *parents, leaf = dotted.split(".")
    for key in parents:
        tree = tree.setdefault(key, {})
    tree[leaf] = guess


def chart_name(chart: Path) -> str:
    try:
        return str((yaml.safe_load((chart / "Chart.yaml").read_text()) or {}).get("name") or chart.name)
    except (OSError, yaml.YAMLError):
        return chart.name


def parsed(path: Path) -> dockerfiles.Dockerfile | None:
    try:
        dockerfile = dockerfiles.parse(path) if path.is_file() else None
    except (OSError, ValueError, IndexError):  # unreadable, or a FROM without an image
        return None
    return dockerfile if dockerfile and dockerfile.stages else None


class Drafter:
    """Drafts the profile of the deployment found under `search`, paths relative to `root` (the project root)."""

    def __init__(self, search: Path, root: Path):
        self.root = root.resolve()
        self.repository, self.whole = Repository(self.root, search.resolve()), Repository(self.root, self.root)
        self.chart = paths.chart(self.repository)
        self.chart_dir = self.root / self.chart.value
        self.scripts = paths.scripts(self.repository)
        # Where the deploy script is, or would be: one the repository lacks (null) leaves the names it would give to the chart's.
        self.deploy_script = self.root / (self.scripts["deploy"].value or "deploy.sh")
        self.release = naming.release(self.deploy_script, chart_name(self.chart_dir))
        self.parts = ChartParts(render(self.chart_dir, self.release.value), self.release.value, self.chart_dir)
        self.finder = ValueFinder.of(chart_values(self.chart_dir), self.parts.label_values())
        self.dockerfiles = {component: paths.dockerfile(self.repository, component) for component in COMPONENTS}
        self.contexts = {component: paths.context(self.whole, self.root / self.dockerfiles[component].value, component)
                         for component in COMPONENTS}

    def draft(self) -> Draft:
        values = self.values()
        database = self.database(values)
        owner, third = self.parts.claim_owner()
        return {
            "profile": 1,
            "name": Guess(self.chart_name(), "the chart's name: name the deployment as you like"),
            "release": self.release,
            "labels": self.parts.labels(),
            "components": {**self.parts.components(), **third},
            **({"claim_owner": owner} if owner else {}),
            "paths": self.paths(),
            "chart": {"name": Guess(self.chart_name(), "Chart.yaml's name"), "templates": self.parts.templates()},
            "images": self.images(),
            "resources": self.resources(),
            "values": values,
            "build": self.build(),
            "bases": self.bases(),
            "guide": {"sections": guide_sections.sections(self.guide_text())},
            **({"database": database} if database else {}),
            "budgets": {key: missing(value, "the seed's budget; put your own") for key, value in BUDGETS.items()},
            "declined": self.declined(values),
        }

    def chart_name(self) -> str:
        return chart_name(self.chart_dir)

    @functools.cached_property
    def guide(self) -> Guess:
        """The guide; in parts when it links to Markdown files beside it or below that hold the sections it lacks
        (VERIFY.md for its Verification), the guide first and each part in the order it links them. A file elsewhere
        (the chart's README, with its Configuration) is another document, not a part."""
        first = paths.guide(self.repository, self.deploy_script.parent, self.deploy_script.name)
        main = self.root / first.value
        lacking, parts = set(guide_sections.SECTION_WORDS) - guide_sections.said(self.repository.text(main)), list[str]()
        for path in paths.linked_markdown(self.repository, main):
            if main.parent in path.parents and (held := guide_sections.said(self.repository.text(path)) & lacking):
                lacking, parts = lacking - held, [*parts, self.repository.relative(path)]
        return Guess([first.value, *parts], f"{first.comment}; then the files it links to for the sections it lacks") if parts else first

    def guide_text(self) -> str:
        """The guide's parts, joined in reading order."""
        value = self.guide.value
        return "\n".join(self.repository.text(self.root / part) for part in (value if isinstance(value, list) else [value]))

    def paths(self) -> Draft:
        found: Draft = {"chart": self.chart, "contexts": self.contexts, "dockerfiles": self.dockerfiles,
                        "scripts": self.scripts, "guide": self.guide, "env_example": paths.env_example(self.repository)}
        put(found, "lint_waivers", paths.lint_waivers(self.repository))
        return found

    def images(self) -> dict[str, Guess]:
        found = {}
        for component in COMPONENTS:
            repository = self.finder.image_repository(component)
            tag = self.finder.guess("image tag", PER_COMPONENT["image.tag"], component)
            name = self.finder.values.get(repository.value) if repository else None
            version = (self.finder.values.get(tag.value) if tag else None) or self.app_version()
            found[component] = (Guess(f"{name}:{version}", "the chart's default repository and tag")
                                if isinstance(name, str) and name and version
                                else missing(f"{self.chart_name()}-{component}:1.0.0", "no default image in values.yaml"))
        return found

    def app_version(self) -> str | None:
        try:
            version = (yaml.safe_load((self.chart_dir / "Chart.yaml").read_text()) or {}).get("appVersion")
        except (OSError, yaml.YAMLError):
            return None
        return str(version) if version else None

    def resources(self) -> dict[str, Guess]:
        found = self.parts.resources()
        chart_secret = found["credentials"].value.get("name")
        found["deploy-secret"] = naming.deploy_secret(self.deploy_script, chart_secret)
        return found

    def values(self) -> Draft:
        found: Draft = {}
        for name, wanted in PER_COMPONENT.items():
            group, _, leaf = name.partition(".")
            for component in COMPONENTS:
                dotted = f"{group}.{component}.{leaf}" if leaf else f"{group}.{component}"
                guess = (self.finder.image_repository(component) if name == "image.repository"
                         else self.finder.guess(name.replace(".", " ").replace("_", " "), wanted, component))
                put(found, dotted, guess or (missing(f"{component}.{name}", "no key says it") if group in ("replicas", "image") else None))
        put(found, "image.pull_policy", self.finder.pull_policies())
        for name, (wanted, owner) in SINGLE.items():
            said = " ".join(word for word in name.replace("_", ".").split(".") if word not in COMPONENTS)  # "service type" (of the frontend)
            put(found, name, self.finder.guess(said, wanted, owner))
        put(found, "service.frontend.type", found.get("service", {}).get("frontend", {}).get("type")
            or missing("frontend.service.type", "no key says the frontend Service type"))
        found["service"].setdefault("backend", {})  # the schema asks for the group, not its port
        put(found, "persistence.size", found.get("persistence", {}).get("size") or none_offered("no key says the storage size"))
        no_secret = none_offered("no Secret template and no value under a secrets group").comment
        put(found, "credentials", credentials(self.finder, self.secret_values()) or Guess({"OPENAI_API_KEY": None}, no_secret))
        put(found, "log_level", found.get("log_level") or none_offered("no key says the log level"))
        put(found, "unknown", self.finder.unknown())
        return {key: found[key] for key in ("replicas", "service", "image", "persistence", "existing_secret", "credentials", "log_level",
                                            "openai_base_url", "termination_grace", "probes", "network_policy", "unknown") if key in found}

    def database(self, values: Draft) -> Guess | None:
        """The credential that names the database and the chart's default SQLite file, as a URL carrying the canary;
        None when either is missing (a PostgreSQL-only chart: the database-file checks are then not judged)."""
        names = [name for name in plain(values.get("credentials") or {}) or {} if {"database", "db"} & set(words(name))]
        templates = self.chart_dir / "templates"
        files = [self.chart_dir / "values.yaml", *sorted(templates.glob("*"))] if templates.is_dir() else [self.chart_dir / "values.yaml"]
        sqlite = sorted({match for path in files for match in SQLITE_FILE.findall(self.repository.text(path))})
        if not names or not sqlite:
            return None
        return Guess({"credential": names[0], "url": f"sqlite:///file:{sqlite[0]}?canary={{canary}}&uri=true"},
                     f"{names[0]} names the database and the chart's default SQLite file is {sqlite[0]} (an SQLite URI, as "
                     "SQLAlchemy reads it: check the backend takes one)" + (f"; also seen: {', '.join(sqlite[1:3])}" if len(sqlite) > 1 else ""))

    def secret_values(self) -> list[tuple[str, str]]:
        templates = self.chart_dir / "templates"
        helpers = "".join(self.repository.text(path) for path in sorted(templates.glob("*.tpl")))
        return data_values(self.repository.text(templates / self.parts.templates()["secret"].value), helpers)

    def build(self) -> Draft:
        found: Draft = {}
        put(found, "base_args", build_args.base_args([dockerfile for component in COMPONENTS
                                                      if (dockerfile := parsed(self.root / self.dockerfiles[component].value))]))
        for component in COMPONENTS:
            dockerfile = parsed(self.root / self.dockerfiles[component].value)
            if dockerfile is not None:
                path = self.root / self.dockerfiles[component].value
                source = build_args.changed_source(self.root / self.contexts[component].value, paths.context_sources(path, whole=True),
                                                   self.repository.text(path))
                found[component] = {"changed_source": source,
                                    "reused_through": build_args.reused_through(dockerfile)}
        return found

    def bases(self) -> Draft:
        script = next((self.repository.relative(path) for path in self.repository.files if path.name.startswith("build-bases")), None)
        global_args = {name for component in COMPONENTS if (dockerfile := parsed(self.root / self.dockerfiles[component].value))
                       for name in dockerfile.global_args}
        files = [self.root / guess.value for guess in self.dockerfiles.values() if (self.root / guess.value).is_file()]
        return build_args.bases(script, [self.root / guess.value for guess in self.contexts.values()], global_args, files)

    def declined(self, values: Draft) -> Guess | list[Any]:
        declined = [{"scenario": scenario, "reason": f"{reason} (drafted: no value found; remove it if the chart has one)"}
                    for concept, entries in OPTIONAL.items() if not has(values, concept) for scenario, reason in entries]
        return Guess(declined, "scenarios beyond the seed whose value the chart lacks; check each") if declined else []


def has(values: Draft, dotted: str) -> bool:
    node: Any = values
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def draft(search: Path, root: Path | None = None) -> Draft:
    """The drafted profile of the deployment under search (paths relative to root, by default search itself)."""
    return Drafter(search, root or search).draft()
