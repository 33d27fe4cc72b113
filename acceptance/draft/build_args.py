"""How the images are built: the build arguments that choose the bases, a source whose change a rebuild must pick up,
and the instruction up to which a source-only rebuild reuses the cache."""

from __future__ import annotations

from pathlib import Path

from acceptance.docker_engine import dockerfiles
from acceptance.draft.guess import Guess, missing, none_offered
from acceptance.draft.repository import Repository
from acceptance.draft.words import words

# The suite's offline Debian bases: one folder each under images/base, built and tagged as build-bases.sh tags them.
LOCAL_BASES = Path(__file__).resolve().parents[2] / "images" / "base"
LOCAL_BASE_TAG = "todo-chatbot-base/{name}:bookworm"
SOURCE_NAMES = ("main.py", "main.js", "main.ts", "main.tsx", "main.jsx", "index.js", "index.ts", "index.tsx", "app.py")


def base_args(parsed: list[dockerfiles.Dockerfile]) -> Guess | None:
    """The global ARGs a whole FROM names: those of build stages (builder), those of final stages (runtime)."""
    builder = [name for dockerfile in parsed for stage in dockerfile.build_stages for name in dockerfile.global_args
               if dockerfiles.is_arg(stage.base, name)]
    runtime = [name for dockerfile in parsed for name in dockerfile.global_args if dockerfiles.is_arg(dockerfile.final.base, name)]
    if not builder or not runtime:
        return None
    return Guess({"builder": list(dict.fromkeys(builder)), "runtime": list(dict.fromkeys(runtime))},
                 "the global ARGs that a whole FROM names (build stages: builder; final stage: runtime)")


def changed_source(context: Path, copied: list[str], dockerfile_text: str) -> Guess:
    """An app source the Dockerfile copies: a main.py, main.js, main.tsx, ... under a copied folder, the one its CMD
    names (src.api.main) first, then the shallowest."""
    def copied_in(relative: Path) -> bool:
        path = relative.as_posix()
        return not copied or "." in copied or any(path == source or path.startswith(source.rstrip("/") + "/") for source in copied)

    found = sorted((path for path in Repository(context, context).files if path.name in SOURCE_NAMES and copied_in(path.relative_to(context))),
                   key=lambda path: (".".join(path.relative_to(context).with_suffix("").parts) not in dockerfile_text,
                                     len(path.relative_to(context).parts), SOURCE_NAMES.index(path.name)))
    if not found:
        return none_offered(f"no main.* source the Dockerfile copies from {context.name}")
    return Guess(found[0].relative_to(context).as_posix(), "the app's entry source, copied by the Dockerfile")


def reused_through(dockerfile: dockerfiles.Dockerfile) -> Guess:
    """The last instruction of the final stage before it takes anything built from the sources: a COPY --from= of a stage
    that copied no sources before its install (dependencies only), else its FROM line."""
    line = f"FROM {dockerfile.final.base}"
    for value in dockerfile.final.of("COPY"):
        if not dockerfiles.copies_from_context(value):
            source = next(word[7:] for word in value.split() if word.startswith("--from="))
            stage = next((stage for stage in dockerfile.build_stages if source in (stage.name, str(stage.index))), None)
            if stage is None or copies_whole_tree(stage):
                break
            line = "COPY " + " ".join(value.split()[:-1])  # without its destination, as a build log's step is matched
        else:
            break
    return Guess(line, "the final stage's last instruction that no source change touches (check it)")


def copies_whole_tree(stage: dockerfiles.Stage) -> bool:
    """Whether a stage copies sources (a folder or everything), not only dependency manifests."""
    sources = [source for value in stage.of("COPY") + stage.of("ADD") if dockerfiles.copies_from_context(value)
               for source in dockerfiles.copy_sources(value)]
    return any(source.endswith("/") or source in (".", "./") or "." not in Path(source).name for source in sources)


def stage_bases(dockerfile: Path) -> dict[str, set[str]]:
    """Upstream image (ARG defaults filled in) -> the roles it plays: "build" for a build stage, "runtime" for the final."""
    try:
        defaults, parsed = dockerfiles.global_arg_defaults(dockerfile), dockerfiles.parse(dockerfile)
    except (OSError, ValueError, IndexError):  # unreadable, or a FROM without an image
        return {}
    if not parsed.stages:
        return {}
    names = {str(stage.index) for stage in parsed.stages} | {(stage.name or "").lower() for stage in parsed.stages}
    found: dict[str, set[str]] = {}
    for stage in parsed.stages:
        image = dockerfiles.filled(stage.base, defaults)
        if image.lower() not in names and image != "scratch":
            found.setdefault(image, set()).add("runtime" if stage is parsed.final else "build")
    return found


def base_map(dockerfile_paths: list[Path]) -> Guess:
    """Per upstream base, the suite's local base of its kind (node, nginx, python) and role (build, runtime; a base of
    both gets the build one, which has the tools a build stage needs)."""
    local = sorted(path.parent.name for path in LOCAL_BASES.glob("*/build.sh"))
    mapping, unmatched = {}, []
    for path in dockerfile_paths:
        for image, roles in stage_bases(path).items():
            kind = [name for name in local if name.split("-")[0] in words(image)]
            role = "build" if "build" in roles else "runtime"
            choice = next((name for name in kind if name.endswith(role)), kind[0] if kind else None)
            if choice:
                mapping[image] = LOCAL_BASE_TAG.format(name=choice)
            else:
                unmatched.append(image)
    missing_note = f"; no local base for {unmatched}: fill in" if unmatched else ""
    return Guess(mapping, f"each upstream FROM -> the local Debian base of its kind and stage (images/base){missing_note}; "
                          "an Alpine or BuildKit build may still fail on them") if mapping else missing(
        {}, f"no local base of the kind of {unmatched}")


def bases(script: str | None, contexts: list[Path], global_args: set[str], dockerfile_paths: list[Path]) -> dict[str, Guess]:
    """The script that builds local bases, and the per-context args file when its ARGs are the Dockerfiles' own."""
    found: dict[str, Guess] = {}
    if script is not None:
        found["script"] = Guess(script, "its name says it builds the bases")
    for name in ("local-bases.env", "bases.env"):
        files = [context / name for context in contexts if (context / name).is_file()]
        named = {line.split("=", 1)[0].strip() for path in files for line in path.read_text().splitlines() if "=" in line}
        if files and named & global_args:
            found["args_file"] = Guess(name, f"ARG=IMAGE lines in the build contexts, for the Dockerfiles' {sorted(named & global_args)}")
            break
    found["map"] = (Guess({}, "none: the args file names the local bases") if "args_file" in found else base_map(dockerfile_paths))
    return found
