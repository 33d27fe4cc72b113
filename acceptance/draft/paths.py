"""Where the deployment's parts are: the chart, the Dockerfiles and their build contexts, the scripts by role, the guide."""

from __future__ import annotations

import os
import re
from pathlib import Path

from acceptance.docker_engine import context_globs, dockerfiles
from acceptance.draft.guess import Guess, chosen, missing, none_offered
from acceptance.draft.repository import Repository
from acceptance.draft.words import aside, component_in, words

# Per role, the words a script's name holds, the likeliest first.
ROLE_WORDS = {
    "setup": ("setup", "prerequisites", "bootstrap", "init", "start", "install"),
    "build": ("build", "images", "image"),
    "deploy": ("deploy", "install", "release", "up"),
    "cleanup": ("cleanup", "clean", "teardown", "destroy", "uninstall", "delete", "down"),
}
# Words that mark a script as a helper or a variant of another (lib.sh, dev-start.sh), never the role's script itself.
SIDE_WORDS = {"lib", "common", "dev", "test", "verify", "check", "bases", "base", "helpers", "generate", "demo"}
GUIDE_NAMES = ("guide", "deployment", "deploy", "readme", "install", "setup")
# A relative or absolute link to a Markdown file: [text](VERIFY.md), [text](<docs/run it.md>#verify).
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)>?(?:#[^)]*)?\s*\)", re.IGNORECASE)


def ranked(repository: Repository, paths: list[Path]) -> list[Path]:
    """Paths outside examples and tests folders first, then shallowest."""
    return sorted(paths, key=lambda path: (aside(repository.inner(path)), len(repository.inner(path).split("/"))))


def is_subchart(folder: Path) -> bool:
    """Whether a chart lies in another chart's charts/ folder (a dependency, not the deployment's chart)."""
    return folder.parent.name == "charts" and (folder.parent.parent / "Chart.yaml").is_file()


def chart(repository: Repository) -> Guess:
    """The chart: the folder of a Chart.yaml, outside examples and tests when there is one."""
    found = ranked(repository, [path.parent for path in repository.named("Chart.yaml")
                                if not is_subchart(path.parent)])
    return chosen([repository.relative(path) for path in found], "the folder of Chart.yaml") or missing("chart", "no Chart.yaml")


def dockerfile_names(repository: Repository) -> list[Path]:
    return [path for path in repository.files
            if path.name in ("Dockerfile", "Containerfile") or path.name.endswith(".Dockerfile")
            or path.name.startswith("Dockerfile.")]


def dockerfile(repository: Repository, component: str) -> Guess:
    """The component's Dockerfile: its name or folder names the component; variants (Dockerfile.dev) last."""
    mine = [path for path in dockerfile_names(repository) if component_in(repository.relative(path)) == component]
    found = sorted(ranked(repository, mine), key=lambda path: bool(SIDE_WORDS & set(words(path.name))))
    return (chosen([repository.relative(path) for path in found], f"its path names the {component}")
            or missing(f"{component}/Dockerfile", f"no Dockerfile whose path names the {component}"))


def context_sources(path: Path, whole: bool = False) -> list[str]:
    """What the Dockerfile copies from its build context (globs and `.` left out: any folder has them; with whole,
    `.` kept: it copies everything)."""
    try:
        parsed = dockerfiles.parse(path)
    except (OSError, ValueError, IndexError):  # unreadable, or a FROM without an image: nothing to learn from it
        return []
    return [source.rstrip("/") for stage in parsed.stages for value in stage.of("COPY") + stage.of("ADD")
            if dockerfiles.copies_from_context(value) for source in dockerfiles.copy_sources(value)
            if (whole or source not in (".", "./")) and not context_globs.is_glob(source) and "://" not in source and "$" not in source]


def context(whole: Repository, dockerfile_path: Path, component: str) -> Guess:
    """The build context: the Dockerfile's folder if it holds what the Dockerfile copies, else the folder that does."""
    if not dockerfile_path.is_file():
        return missing(whole.relative(dockerfile_path.parent), "no Dockerfile, so no build context")
    sources = context_sources(dockerfile_path)
    if all((dockerfile_path.parent / source).exists() for source in sources):
        return Guess(whole.relative(dockerfile_path.parent), "the Dockerfile's folder" + (
            f", which holds what it copies ({', '.join(sources[:3])})" if sources else ""))
    folders = sorted({path.parent for path in whole.files})
    holding = [folder for folder in folders if all((folder / source).exists() for source in sources)]
    holding.sort(key=lambda folder: (component_in(whole.relative(folder / "x")) != component, len(folder.parts)))
    return (chosen([whole.relative(folder) for folder in holding],
                   f"it holds what the Dockerfile copies ({', '.join(sources[:3])}); the Dockerfile lies outside it")
            or missing(whole.relative(dockerfile_path.parent), f"no folder holds all it copies: {sources[:5]}"))


def role_rank(path: Path, role: str) -> int | None:
    """How well a script's name says the role (0 best); None: not at all, or a helper."""
    found = words(path.stem)
    if SIDE_WORDS & set(found):
        return None
    return next((index for index, word in enumerate(ROLE_WORDS[role]) if word in found), None)


def scripts(repository: Repository) -> dict[str, Guess]:
    """The four scripts by role, from the folder that holds the most roles (a deployment keeps its scripts together)."""
    candidates = [path for path in repository.files if path.suffix in (".sh", ".bash")]
    by_folder: dict[Path, set[str]] = {}
    for path in candidates:
        by_folder.setdefault(path.parent, set()).update(role for role in ROLE_WORDS if role_rank(path, role) is not None)
    folders = sorted(by_folder, key=lambda folder: (-len(by_folder[folder]), aside(repository.inner(folder / "x")), len(folder.parts)))
    guesses = {}
    for role in ROLE_WORDS:
        matching = [path for path in candidates if role_rank(path, role) is not None]
        matching.sort(key=lambda path: (folders.index(path.parent), role_rank(path, role)))
        guesses[role] = (chosen([repository.relative(path) for path in matching], f"its name says {role}")
                         or none_offered(f"no script named for {role}"))
    return guesses


def guide(repository: Repository, scripts_folder: Path | None, deploy_script: str) -> Guess:
    """The guide: a Markdown file beside the scripts or at the top that names the deploy script, by its name."""
    documents = [path for path in repository.files if path.suffix.lower() == ".md" and not aside(repository.inner(path))]

    def rank(path: Path) -> tuple[int, int, int, int]:
        name_rank = next((index for index, word in enumerate(GUIDE_NAMES) if word in words(path.stem)), len(GUIDE_NAMES))
        return (Path(deploy_script).name not in repository.text(path), path.parent != scripts_folder, name_rank, len(path.parts))
    found = sorted(documents, key=rank)
    return (chosen([repository.relative(path) for path in found], "Markdown that names the deploy script, beside the scripts or named as a guide")
            or missing("README.md", "no Markdown file"))


def linked_markdown(repository: Repository, document: Path) -> list[Path]:
    """The repository's Markdown files a document links to by a relative link, in the order it first links them."""
    found: list[Path] = []
    for target in MARKDOWN_LINK.findall(repository.text(document)):
        path = Path(os.path.normpath(document.parent / target))
        if "://" not in target and path != document and path in repository.files and path not in found:
            found.append(path)
    return found


def env_example(repository: Repository) -> Guess:
    """The env example: .env.example, example.env, env.example or .env.template."""
    found = ranked(repository, [path for path in repository.files
                                if re.fullmatch(r"\.?(env\.)?(example|sample|template)\.env|\.env\.(example|sample|template)", path.name)])
    return (chosen([repository.relative(path) for path in found], "its name says env example")
            or none_offered("no .env.example or example.env"))


def lint_waivers(repository: Repository) -> Guess | None:
    found = ranked(repository, repository.named("lint-waivers.yaml"))
    return chosen([repository.relative(path) for path in found], "the suite's waivers file")
