"""An image rebuilt after a source-only change, measured: which build steps the cache served and which layers are shared."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
import uuid
from pathlib import Path

import docker

from acceptance.core.run import ToolError
from acceptance.docker_engine.build import BuiltImage, build, outside

# The line appended to a changed source, by suffix; {marker} makes each rebuild's context new, so no earlier image
# is reused by digest. A .js change is a statement, not a comment: the bundler strips comments, and the built
# bundle, so the image, would not change at all.
SOURCE_CHANGES = {".py": "\n# acceptance: a source-only change {marker}\n",
                  ".js": '\nglobalThis.acceptanceSourceChange = "{marker}";\n'}


@dataclasses.dataclass
class BuildStep:
    """One step of a classic-builder log: its instruction, whether the build cache served it, the image it left."""

    instruction: str
    cached: bool = False
    image_id: str | None = None


def build_steps(lines: list[str]) -> list[BuildStep]:
    """The steps of a classic-builder log: 'Step 6/18 : RUN ...', then ' ---> Using cache' when cached, then ' ---> <image id>'."""
    steps: list[BuildStep] = []
    for line in lines:
        step = re.match(r"Step \d+/\d+ : (.*)", line)
        image = re.fullmatch(r"\s*---> ([0-9a-f]{12,64})\s*", line)
        if step:
            steps.append(BuildStep(step.group(1)))
        elif steps and line.strip() == "---> Using cache":
            steps[-1].cached = True
        elif steps and image:
            steps[-1].image_id = image.group(1)
    return steps


def shared_leading_layers(layers: list[str], other: list[str]) -> int:
    """How many layers two images share from the bottom up, before their first difference."""
    shared = 0
    while shared < min(len(layers), len(other)) and layers[shared] == other[shared]:
        shared += 1
    return shared


@dataclasses.dataclass
class Rebuild:
    """An image rebuilt after a change to one source, beside the image it was rebuilt from."""

    image: BuiltImage
    changed: str
    steps: list[BuildStep]
    layer_counts: list[int]  # per step, the layers of the image it left (0 for the ARGs before the first FROM)
    layers: list[str]
    previous_layers: list[str]

    @property
    def shared_layers(self) -> int:
        return shared_leading_layers(self.layers, self.previous_layers)

    def steps_running(self, text: str) -> list[BuildStep]:
        return [step for step in self.steps if text in step.instruction]

    def layers_through(self, text: str) -> int:
        """How many layers the image had after the last step whose instruction holds text (the final stage's, when two stages have one).

        Raises:
            AssertionError: no step holds text.
        """
        __tracebackhide__ = True
        counts = [count for step, count in zip(self.steps, self.layer_counts, strict=False) if text in step.instruction]
        assert counts, f"no step of the {self.image.component} build holds {text!r}:\n{self.describe()}"
        return counts[-1]

    def describe(self) -> str:
        """The rebuild's time, its layers reused and rebuilt, and each step with whether the cache served it."""
        rebuilt = len(self.layers) - self.shared_layers
        steps = "\n".join(f"  {'cached ' if step.cached else 'built  '} {step.instruction[:110]}"
                          for step in self.steps if not step.instruction.startswith("ARG "))
        return (f"{self.image.name} rebuilt after a change to {self.changed} in {self.image.seconds:.1f} s: "
                f"{self.shared_layers} of its {len(self.layers)} layers shared with the image it was rebuilt from, {rebuilt} rebuilt\n{steps}")


def layers(client: docker.DockerClient, image: str) -> list[str]:
    """The image's layers (RootFS diff ids), bottom first."""
    diff_ids: list[str] = client.images.get(image).attrs["RootFS"]["Layers"]
    return diff_ids


def rebuild_after_change(client: docker.DockerClient, previous: BuiltImage, context: Path, source: str, work_dir: Path,
                         timeout: float, log_path: Path) -> Rebuild:
    """Rebuild previous from a copy of context where source (relative to it) has a line appended, with previous's build args.

    To measure reuse, call it twice, the second time from the first rebuild: of equal cached steps the classic builder
    takes the most recently created, so a first rebuild may follow other cached steps than an image reused by digest
    (a later --no-cache build left newer equal ones); a second follows the first whatever the engine's history.

    Raises:
        ToolError: context has no such source, or no change is known for its suffix (SOURCE_CHANGES).
        BuildFailed: the rebuild failed.
    """
    marker = uuid.uuid4().hex[:12]
    copy = work_dir / f"{previous.component}-{marker}"
    shutil.copytree(context, copy, ignore=shutil.ignore_patterns("node_modules", "dist", "__pycache__", ".venv"))
    changed = copy / source
    if not changed.is_file() or changed.suffix not in SOURCE_CHANGES:
        raise ToolError(f"cannot change {source} in {context}: it must be a file ending in one of {sorted(SOURCE_CHANGES)}")
    changed.write_text(changed.read_text() + SOURCE_CHANGES[changed.suffix].format(marker=marker))
    name = f"{previous.name.rsplit(':', 1)[0]}:source-change-{marker}"
    dockerfile = previous.dockerfile if outside(previous.dockerfile, context) else (
        copy / previous.dockerfile.resolve().relative_to(context.resolve()) if previous.dockerfile else None)
    image = build(client, previous.component, copy, name, previous.build_args, timeout, log_path=log_path, dockerfile=dockerfile)
    steps = build_steps(log_path.read_text().splitlines())
    counts = [len(layers(client, step.image_id)) if step.image_id else 0 for step in steps]
    return Rebuild(image, source, steps, counts, layers(client, name), layers(client, previous.name))


def remove_rebuild(client: docker.DockerClient, rebuild: Rebuild) -> None:
    """Remove the rebuilt image and the images its uncached steps made (the build stages' too), newest first, and no other.

    noprune: the cached steps' images are older builds' cache, which removing the image would otherwise prune.
    """
    client.images.remove(rebuild.image.name, noprune=True)
    for step in reversed(rebuild.steps):
        if step.image_id and not step.cached and not step.instruction.startswith("FROM "):  # a FROM step's image is the base
            with contextlib.suppress(docker.errors.ImageNotFound):  # the rebuilt image itself, removed above
                client.images.remove(step.image_id, noprune=True)


