"""How the images are built: the build arguments that choose the bases, a source whose change a rebuild must pick up,
and the instruction up to which a source-only rebuild reuses the cache."""

from __future__ import annotations

from pathlib import Path

from acceptance.docker_engine import dockerfiles
from acceptance.draft.guess import Guess, missing
from acceptance.draft.repository import SKIPPED

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

    found = sorted((path for name in SOURCE_NAMES for path in context.rglob(name)
                    if not SKIPPED & set(path.relative_to(context).parts) and copied_in(path.relative_to(context))),
                   key=lambda path: (".".join(path.relative_to(context).with_suffix("").parts) not in dockerfile_text,
                                     len(path.relative_to(context).parts), SOURCE_NAMES.index(path.name)))
    if not found:
        return missing("src/main.js", f"no main.* source the Dockerfile copies from {context.name}")
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


def bases(script: str | None, contexts: list[Path], global_args: set[str]) -> dict[str, Guess]:
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
    found["map"] = Guess({}, "upstream FROM image -> a local base tagged under its name: fill in for offline builds")
    return found
