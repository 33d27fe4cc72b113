"""The profile checked against the repository before any scenario: each path, value path, template and resource it
names is there, so a wrong name is reported once as the profile's, never as dozens of failed requirements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from acceptance.core.names import COMPONENTS
from acceptance.profile import database
from acceptance.profile.model import Document, Profile

# The cause every scenario of a run is not judged for when the profile names what the repository does not hold.
CAUSE = "the profile does not match the repository"
# The concept that names a key the chart must NOT have (FR-007 sets it and expects the chart's schema to refuse it).
UNKNOWN = "unknown"
# Resources the chart does not render: the deploy script makes this Secret from .env.
NOT_RENDERED = ("deploy-secret",)
# The chart.templates roles that hold a resource, and its role in `resources`.
TEMPLATE_RESOURCES = {"frontend-deployment": "frontend-deployment", "frontend-service": "frontend-service",
                      "backend-deployment": "backend-deployment", "backend-service": "backend-service",
                      "backend-pvc": "data-claim", "configmap": "config", "secret": "credentials"}
# A document of a rendering, with the template it came from (relative to templates/; None when helm names none).
Rendered = tuple[str | None, Document]


def cause(problems: list[str]) -> str:
    """The one-line cause of the scenarios not judged: 'the profile does not match the repository (3 problems)'."""
    return f"{CAUSE} ({len(problems)} problem{'s' if len(problems) != 1 else ''})"


def problems(profile: Profile, root: Path, rendering: str | None = None) -> list[str]:
    """Every place where the profile names what the repository under root does not hold, one line each with its fix.

    Args:
        profile: the profile, with the command line's path overrides applied (Profile.with_paths).
        root: the project root its paths are relative to.
        rendering: helm template's output for the chart with its default values, or None to leave what only a
            rendering shows unchecked (no helm here, or a chart that does not render: its scenarios say so).

    Returns:
        The problems; [] when the profile matches the repository.
    """
    chart = root / profile.path("chart")
    found = path_problems(profile, root) + database_problems(profile) + claim_owner_problems(profile)
    if (chart / "Chart.yaml").is_file():
        found += value_problems(profile, chart, profile.path("chart"))
        rendered = rendered_documents(rendering) if rendering is not None else None
        found += template_problems(profile, chart, profile.path("chart"), rendered)
        if rendered is not None:
            found += resource_problems(profile, rendered)
    return found


def named_paths(profile: Profile) -> Iterator[tuple[str, str, str]]:
    """(where in the profile, the path as written relative to the root, "file" or "directory") for each path it names."""
    paths = profile.data["paths"]
    yield "paths.chart", paths["chart"], "directory"
    for component in COMPONENTS:
        yield f"paths.contexts.{component}", paths["contexts"][component], "directory"
        yield f"paths.dockerfiles.{component}", paths["dockerfiles"][component], "file"
    for role, script in paths["scripts"].items():
        if script is not None:  # null: the deployment offers none, said on purpose
            yield f"paths.scripts.{role}", script, "file"
    if profile.offers("guide"):
        guides = profile.guide_files()
        for index, guide in enumerate(guides):
            yield f"paths.guide[{index}]" if len(guides) > 1 else "paths.guide", guide, "file"
    for key in ("env_example", "lint_waivers"):
        if paths.get(key) is not None:
            yield f"paths.{key}", paths[key], "file"
    if profile.bases_script():
        yield "bases.script", str(profile.bases_script()), "file"
    for component in COMPONENTS:
        source = profile.changed_source(component)
        if source:
            yield f"build.{component}.changed_source", str(Path(paths["contexts"][component]) / source), "file"


def path_problems(profile: Profile, root: Path) -> list[str]:
    """Each path the profile names that is not a file (or a directory) under root; a chart directory without Chart.yaml."""
    found = []
    for where, relative, kind in named_paths(profile):
        path = root / relative
        exists = path.is_dir() if kind == "directory" else path.is_file()
        if not exists:
            found.append(f"{where}: {relative} is not a {kind} under {root}; fix: give the {kind} as a path relative to "
                         "the project root (or --project-root=DIR)")
        elif where == "paths.chart" and not (path / "Chart.yaml").is_file():
            found.append(f"{where}: {relative} holds no Chart.yaml, so it is not a chart; fix: give the directory that holds "
                         "Chart.yaml, values.yaml and templates/")
    return found


def database_problems(profile: Profile) -> list[str]:
    """The database's credential when it is not one the chart takes: the canary would reach no chart value."""
    credential, names = database.database_credential(profile), profile.credential_names()
    if credential is None or credential in names:
        return []
    return [(f"database.credential: {credential} is not a credential of values.credentials ({', '.join(names)}); fix: name "
             "the one that holds the backend's database URL")]


def claim_owner_problems(profile: Profile) -> list[str]:
    """The claim's owner when the profile names no such component: no pod would be found to mount it."""
    owner, components = profile.claim_owner(), list(profile.data["components"])
    if owner in components:
        return []
    return [(f"claim_owner: {owner} is not a component of the profile ({', '.join(components)}); fix: name the one whose pods "
             "mount the data claim, and add it to components with its label if it is neither the frontend nor the backend")]


def value_entries(node: dict[str, Any], where: str = "values") -> Iterator[tuple[str, list[str]]]:
    """(the profile's key, e.g. values.persistence.size, its value paths) for every concept under `values`."""
    for key, child in node.items():
        if isinstance(child, dict):
            yield from value_entries(child, f"{where}.{key}")
        else:
            yield f"{where}.{key}", [] if child is None else [child] if isinstance(child, str) else list(child)  # null: none offered


def holds(document: Any, dotted: str) -> bool:
    """Whether nested values hold the dotted path (a.b.c), whatever its value (null too)."""
    for key in dotted.split("."):
        if not isinstance(document, dict) or key not in document:
            return False
        document = document[key]
    return True


def value_problems(profile: Profile, chart: Path, chart_path: str) -> list[str]:
    """Each value path the profile names that the chart's values.yaml does not hold; the unknown key if it does hold it."""
    values_file = f"{chart_path.rstrip('/')}/values.yaml"
    try:
        defaults = yaml.safe_load((chart / "values.yaml").read_text()) or {}
    except OSError:
        return [(f"values: {values_file} does not exist, so no value path the profile names can be found in it; fix: give "
                 "the chart that holds the values (paths.chart), with every setting in its values.yaml")]
    except yaml.YAMLError as error:
        return [(f"values: {values_file} is not valid YAML ({str(error).splitlines()[0]}); fix: correct it, or give the "
                 "chart that holds the values (paths.chart)")]
    found = []
    for where, paths in value_entries(profile.data["values"]):
        if where == f"values.{UNKNOWN}":
            found += [f"{where}: {path} is a key of {values_file}, but it stands for a key the chart does not have; fix: name "
                      "a key values.yaml does not hold (its schema must refuse it)" for path in paths if holds(defaults, path)]
            continue
        found += [f"{where}: {path} is not in {values_file}; fix: give the dotted path of the chart value that sets it "
                  f"(nested keys joined by '.'), or null (or leave {where} out if the schema lets you) if the chart has no such value" for path in paths
                  if not holds(defaults, path)]
    return found


def template_problems(profile: Profile, chart: Path, chart_path: str, rendered: list[Rendered] | None) -> list[str]:
    """Each chart.templates entry that is not a file of the chart's templates/ while what it names is there under another
    file: the resource it holds rendered from that file, or (helpers, notes) an unnamed file of the same suffix. A
    template the chart lacks altogether is the deployment's to answer for: the chart's templates scenario fails on it."""
    templates = chart / "templates"
    present = sorted(path.name for path in templates.iterdir()) if templates.is_dir() else []
    named = set(profile.chart_templates().values())
    found = []
    for role, name in profile.chart_templates().items():
        if (templates / name).is_file():
            continue
        if role in TEMPLATE_RESOURCES:
            locator = profile.locator(TEMPLATE_RESOURCES[role])
            sources = sorted({source for source, document in rendered or [] if source and locator.matches(document)})
            elsewhere = f"the chart renders its {locator.describe()} from {', '.join(sources)}" if sources else ""
        else:
            candidates = [file for file in present if Path(file).suffix == Path(name).suffix and file not in named]
            elsewhere = f"the chart's templates/ holds {', '.join(candidates)}" if candidates else ""
        if elsewhere:
            found.append(f"chart.templates.{role}: {name} is not a file of {chart_path.rstrip('/')}/templates/, but {elsewhere}; "
                         "fix: name the file that holds it")
    return found


def rendered_documents(rendering: str) -> list[Rendered]:
    """(the template a document came from, relative to templates/, or None; the document) for each document of helm
    template's output, read from the '# Source: CHART/templates/FILE' line helm writes above each."""
    found = []
    for text in re.split(r"^---[ \t]*$", rendering, flags=re.MULTILINE):
        document = yaml.safe_load(text)
        if isinstance(document, dict):
            source = re.search(r"^# Source: [^/\n]+/templates/(\S+)\s*$", text, flags=re.MULTILINE)
            found.append((source.group(1) if source else None, document))
    return found


def resource_problems(profile: Profile, rendered: list[Rendered]) -> list[str]:
    """Each `resources` lookup (but the deploy script's Secret) that finds more than one document of the chart rendered
    with its default values, or none while the chart renders that kind under another name or label. A kind the chart
    does not render at all is the deployment's to answer for: the chart's rendering scenario fails on it."""
    found = []
    for role in profile.data["resources"]:
        if role in NOT_RENDERED:
            continue
        locator = profile.locator(role)
        same_kind = [document for _, document in rendered if document.get("kind") == locator.kind]
        matches = [document for document in same_kind if locator.matches(document)]
        if len(matches) == 1 or not same_kind:
            continue
        names = ", ".join(sorted(str((document.get("metadata") or {}).get("name")) for document in same_kind))
        how = "matches none" if not matches else f"matches {len(matches)}, not one,"
        fix = ("check labels.component and the components' labels, or locate it by kind and name ('{release}' stands for the "
               "release)") if locator.label else "give the name it renders under ('{release}' stands for the release)"
        found.append(f"resources.{role}: {locator.describe()} {how} of the {locator.kind} resources the chart renders with its "
                     f"default values ({names}); fix: {fix}")
    return found
