"""Dockerfile structure (dockerfile-parse): stages, their bases and instructions, the ARG defaults the bases name.

Every reading of Dockerfile text goes through this module's parser; no other module matches Dockerfile lines itself.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dockerfile_parse import DockerfileParser
from dockerfile_parse.util import WordSplitter

from acceptance.docker_engine import context_globs
from acceptance.docker_engine.dependency_manifests import family, is_manifest

# One entry of DockerfileParser.structure: instruction, value, content, startline, endline.
Instruction = Mapping[str, Any]


@dataclasses.dataclass
class Stage:
    index: int
    name: str | None
    base: str
    instructions: list[Instruction]

    def of(self, instruction: str) -> list[str]:
        return [entry["value"] for entry in self.instructions if entry["instruction"] == instruction]

    @property
    def label(self) -> str:
        return f"stage {self.index} ({self.name})" if self.name else f"stage {self.index}"

    def dependency_order_problems(self, manifest_pattern: str, install: str, context: Path) -> list[str]:
        """Why this stage does not copy its dependency manifests alone before the first RUN of install.

        A layer is reused only while every layer before it is: a source copied before the install makes
        every change to that source re-run the install. A glob is judged by what it copies from context.
        """
        written = context_sources_before(self.instructions, install)
        globs = {source: context_globs.matches(source, context) for source in written if context_globs.is_glob(source)}
        copied = [path for source in written for path in globs.get(source, [source])]
        others = [path for path in copied if not is_manifest(path, manifest_pattern)]
        matched = f" (in the build context {'; '.join(f'{glob!r} matches {paths}' for glob, paths in globs.items())})" if globs else ""
        problems = [f"{self.label} copies {others} before it runs {install!r}: a change to them re-runs the install{matched}"] if others else []
        if not any(is_manifest(path, manifest_pattern) for path in copied):
            problems.append(f"{self.label} copies no dependency manifest ({', '.join(family(manifest_pattern))}) by name "
                            f"before it runs {install!r} (it copies {copied}){matched}")
        return problems


@dataclasses.dataclass
class Dockerfile:
    path: Path
    global_args: list[str]
    stages: list[Stage]
    context: Path | None = None     # the build context it is built with (by default, its directory)

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    @property
    def build_stages(self) -> list[Stage]:
        return self.stages[:-1]

    def final_copies_from_build_stage(self) -> list[str]:
        """The final stage's COPY --from= lines that name an earlier stage (by index or name)."""
        earlier = {str(stage.index) for stage in self.build_stages} | {stage.name for stage in self.build_stages if stage.name}
        return [value for value in self.final.of("COPY") for flag in value.split() if flag.startswith("--from=") and flag[7:] in earlier]

    def base_arg_problems(self, names: dict[str, list[str]] | None) -> list[str]:
        """Why the bases are not global build arguments: one of names["builder"] for a build stage, one of
        names["runtime"] for the final stage (the names a deployment chose, from its profile's build.base_args)."""
        if not names:
            return [(f"the bases are no build arguments a user can set to another image: the stages start FROM "
                     f"{[stage.base for stage in self.stages]} (if a global ARG does choose them, list it in the profile's build.base_args)")]
        builder_args, runtime_args = names["builder"], names["runtime"]
        problems = [f"{self.path} declares none of the global ARGs {names} before its first FROM (global ARGs: {self.global_args})"
                    for names in (builder_args, runtime_args) if not set(names) & set(self.global_args)]
        if not any(is_arg(self.final.base, name) for name in runtime_args):
            problems.append(f"the final stage starts FROM {self.final.base}, expected one of the build arguments {runtime_args}")
        if not any(is_arg(stage.base, name) for stage in self.build_stages for name in builder_args):
            problems.append(f"no build stage starts FROM one of {builder_args}; build stages start FROM {[stage.base for stage in self.build_stages]}")
        return problems

    def build_runs(self) -> list[str]:
        return [value for stage in self.build_stages for value in stage.of("RUN")]

    def dependency_order_problems(self, manifest_pattern: str, install: str) -> list[str]:
        """Why the build stages that run install do not copy dependency manifests of manifest_pattern's family, and only
        them, before it (empty: they do); globs are matched in the build context, as Docker matches them."""
        installing = [stage for stage in self.build_stages if any(install in value for value in stage.of("RUN"))]
        if not installing:
            return [f"no build stage of {self.path} runs {install!r}; build-stage RUN lines: {self.build_runs()}"]
        context = self.context or self.path.parent
        return [problem for stage in installing for problem in stage.dependency_order_problems(manifest_pattern, install, context)]


def is_arg(base: str, name: str) -> bool:
    """Whether a FROM value is exactly the build argument name."""
    return base in (f"${name}", f"${{{name}}}")


def copy_sources(value: str) -> list[str]:
    """The sources of a COPY or ADD value, shell form or JSON form: its paths without the leading flags and the destination."""
    words = value.split()
    while words and words[0].startswith("--"):
        words.pop(0)
    paths = json.loads(" ".join(words)) if words and words[0].startswith("[") else words
    return paths[:-1]


def copies_from_context(value: str) -> bool:
    """Whether a COPY or ADD value copies from the build context (not --from= another stage or image)."""
    return not any(word.startswith("--from=") for word in value.split())


def context_sources_before(instructions: list[Instruction], install: str) -> list[str]:
    """The build-context sources COPY and ADD bring in before the first RUN whose command holds install."""
    copied: list[str] = []
    for entry in instructions:
        if entry["instruction"] == "RUN" and install in entry["value"]:
            break
        if entry["instruction"] in ("COPY", "ADD") and copies_from_context(entry["value"]):
            copied += copy_sources(entry["value"])
    return copied


def instructions(path: Path) -> Sequence[Instruction]:
    """The instructions of a Dockerfile, continuation lines joined, as dockerfile-parse reads them ("instruction", "value").

    The file is handed over as content: given a path, dockerfile-parse would look for <path>/Dockerfile unless the
    name ends in "Dockerfile" (a profile may name a Containerfile).
    """
    return DockerfileParser(fileobj=io.BytesIO(path.read_bytes())).structure  # type: ignore[arg-type]  # stubs say IO[str]; it reads bytes ("rb")


def parse(path: Path, context: Path | None = None) -> Dockerfile:
    """Split a Dockerfile into its global ARGs and its stages."""
    stages: list[Stage] = []
    global_args: list[str] = []
    for entry in instructions(path):
        if entry["instruction"] == "FROM":
            words = [word for word in entry["value"].split() if not word.startswith("--")]  # drop --platform=...
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(len(stages), name, words[0], []))
        elif stages:
            stages[-1].instructions.append(entry)
        elif entry["instruction"] == "ARG":
            global_args.append(entry["value"].split("=", 1)[0])
    return Dockerfile(path, global_args, stages, context or path.parent)


def global_arg_defaults(path: Path) -> dict[str, str]:
    """The defaults of the ARGs declared before the first FROM (the only ARGs a FROM can name: the upstream base images,
    or parts of their names), each with the earlier ones it names filled in; an ARG without a default is left out."""
    defaults: dict[str, str] = {}
    for entry in instructions(path):
        if entry["instruction"] == "FROM":
            break
        if entry["instruction"] == "ARG":
            for word in WordSplitter(entry["value"]).split():  # NAME=default words, quotes removed, nothing substituted
                assert word is not None, "WordSplitter yields only the words it found"
                name, has_default, default = word.partition("=")
                if has_default and default:
                    defaults[name] = filled(default, defaults)
    return defaults


def filled(text: str, defaults: dict[str, str]) -> str:
    """text with ${NAME} and $NAME replaced by their defaults, unknown names left as written (dockerfile-parse's own
    substitution drops them, and a base named ${UNSET} must stay visible in a message)."""
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda arg: defaults.get(arg.group(1) or arg.group(2), arg.group(0)), text)


def upstream_bases(path: Path) -> list[str]:
    """The images the Dockerfile's stages start FROM, with ARG defaults filled in, each once (scratch and earlier stages
    by name left out)."""
    defaults, stage_names, found = global_arg_defaults(path), set(), []
    for stage in parse(path).stages:
        image = filled(stage.base, defaults)
        if image not in stage_names and image != "scratch" and image not in found:
            found.append(image)
        stage_names.add((stage.name or "").lower())
    return found
