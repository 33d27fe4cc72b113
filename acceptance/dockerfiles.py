"""Dockerfile structure (dockerfile-parse): stages, their bases and instructions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from dockerfile_parse import DockerfileParser


@dataclasses.dataclass
class Stage:
    index: int
    name: str | None
    base: str
    instructions: list[dict]

    def of(self, instruction: str) -> list[str]:
        return [entry["value"] for entry in self.instructions if entry["instruction"] == instruction]


@dataclasses.dataclass
class Dockerfile:
    path: Path
    global_args: list[str]
    stages: list[Stage]

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

    def base_arg_problems(self, builder_arg: str, runtime_arg: str) -> list[str]:
        """Why the bases are not the global build arguments builder_arg (a build stage) and runtime_arg (the final stage)."""
        problems = [f"{self.path} declares no global ARG {arg} before its first FROM (global ARGs: {self.global_args})"
                    for arg in (builder_arg, runtime_arg) if arg not in self.global_args]
        if not is_arg(self.final.base, runtime_arg):
            problems.append(f"the final stage starts FROM {self.final.base}, expected the build argument {runtime_arg}")
        if not any(is_arg(stage.base, builder_arg) for stage in self.build_stages):
            problems.append(f"no build stage starts FROM {builder_arg}; build stages start FROM {[stage.base for stage in self.build_stages]}")
        return problems

    def build_runs(self) -> list[str]:
        return [value for stage in self.build_stages for value in stage.of("RUN")]


def is_arg(base: str, name: str) -> bool:
    """Whether a FROM value is exactly the build argument name."""
    return base in (f"${name}", f"${{{name}}}")


def parse(path: Path) -> Dockerfile:
    """Split a Dockerfile into its global ARGs and its stages."""
    parser = DockerfileParser(path=str(path))
    stages: list[Stage] = []
    global_args: list[str] = []
    for entry in parser.structure:
        if entry["instruction"] == "FROM":
            words = [word for word in entry["value"].split() if not word.startswith("--")]  # drop --platform=...
            name = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(len(stages), name, words[0], []))
        elif stages:
            stages[-1].instructions.append(entry)
        elif entry["instruction"] == "ARG":
            global_args.append(entry["value"].split("=", 1)[0])
    return Dockerfile(path, global_args, stages)
