"""What a setup script asked of minikube, read by meaning from the fake's calls: the flags of its `start` (however
written: `--cpus 2`, `--cpus=2`, `--memory 4g`) and the addons it enabled (`addons enable X`, or `start --addons X`).
Every team writes its minikube calls its own way; the seed only says what the cluster must be."""

from __future__ import annotations

import re

# minikube's --memory: a number of megabytes, or with a unit (4096, 4096mb, 4g, 4gb).
MEMORY = re.compile(r"(?i)^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$")
MEGABYTES_PER = {"b": 1 / 2**20, "k": 1 / 1024, "kb": 1 / 1024, "m": 1, "mb": 1, "g": 1024, "gb": 1024}
# The network plugins minikube offers (--cni) that enforce NetworkPolicy; bridge, flannel and kindnet do not.
ENFORCING_CNI = {"calico", "cilium"}


# minikube's flags that take no value: the word after one is the command's, not the flag's (as the fake reads them).
BOOLEAN_FLAGS = {"short", "force", "alsologtostderr", "delete-on-failure", "keep-context"}


def parsed(arguments: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """(the command's words, its flags): --name value, --name=value and -p value, before or after the command, by name
    without dashes (every value of a repeated flag kept)."""
    words: list[str] = []
    found: dict[str, list[str]] = {}
    index = 0
    while index < len(arguments):
        word = arguments[index]
        index += 1
        if not word.startswith("-"):
            words.append(word)
            continue
        name, equals, value = word.lstrip("-").partition("=")
        if not equals and name not in BOOLEAN_FLAGS and index < len(arguments) and not arguments[index].startswith("-"):
            value, index = arguments[index], index + 1
        found.setdefault(name, []).append(value)
    return words, found


def flags(arguments: list[str]) -> dict[str, list[str]]:
    return parsed(arguments)[1]


def command(call: str) -> list[str]:
    """The command's words of a call ('-p minikube addons enable ingress' -> ['addons', 'enable', 'ingress'])."""
    return parsed(call.split())[0]


def start_flags(calls: list[str]) -> dict[str, list[str]] | None:
    """The flags of the last `minikube start`; None when the script never started minikube."""
    starts = [call.split() for call in calls if command(call) == ["start"]]
    return flags(starts[-1]) if starts else None


def enabled_addons(calls: list[str]) -> set[str]:
    """Every addon the script enabled, by `addons enable NAME` or by `start --addons NAME[,NAME]`."""
    found = {command(call)[2] for call in calls if command(call)[:2] == ["addons", "enable"] and len(command(call)) > 2}
    for value in (start_flags(calls) or {}).get("addons", []):
        found |= {name for name in value.split(",") if name}
    return found


def memory_mb(text: str) -> float | None:
    """minikube's --memory value in megabytes; None when it is not a size ("max", "no-limit" or a typo)."""
    match = MEMORY.match(text.strip())
    return float(match.group(1)) * MEGABYTES_PER[(match.group(2) or "m").lower()] if match else None


def last(found: dict[str, list[str]], *names: str) -> str | None:
    """The last value of the first of names given (a flag written twice counts as minikube reads it: the last)."""
    return next((found[name][-1] for name in names if name in found), None)


# minikube's own default when start has no --cpus (its memory default depends on the host, so has none here).
DEFAULT_CPUS = 2


def network_problem(calls: list[str]) -> str | None:
    """Why the minikube the script started enforces no NetworkPolicy (never started, or a --cni that enforces none);
    None when it does."""
    started = start_flags(calls)
    if started is None:
        return f"the script never started minikube; its minikube calls: {calls}"
    plugin = last(started, "cni")
    if plugin not in ENFORCING_CNI:
        return (f"minikube was started with --cni {plugin or '(none: its default)'}, which enforces no NetworkPolicy "
                f"({' or '.join(sorted(ENFORCING_CNI))} would); its minikube calls: {calls}")
    return None


def resources(calls: list[str]) -> tuple[int | None, float | None] | None:
    """(CPUs, memory in MB) the script started minikube with (minikube's default CPUs when it gives none; None for a
    value that is no number); None when it never started minikube."""
    started = start_flags(calls)
    if started is None:
        return None
    cpus, memory = last(started, "cpus"), last(started, "memory")
    return (DEFAULT_CPUS if cpus is None else int(cpus) if cpus.isdigit() else None), (memory_mb(memory) if memory else None)
