"""A run's (or a shard's) results.json, the table pages written beside it, and the merge of shards into one table."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from acceptance.many import render
from acceptance.many.listing import Shard
from acceptance.many.table import RepositoryResult, columns
from acceptance.report.traceability import Model

RESULTS_FILE = "results.json"
HTML_FILE = "many.html"
CSV_FILE = "many.csv"


class MergeError(Exception):
    """The shards cannot make one table (a shard missing, twice, or of another list); the message says which."""


@dataclasses.dataclass(frozen=True)
class Results:
    """What one invocation judged: its shard of which list (by fingerprint), the tiers, and one result per repository."""

    fingerprint: str
    shard: Shard
    tiers: tuple[str, ...]
    results: list[RepositoryResult]

    def to_json(self) -> dict[str, Any]:
        return {"list": self.fingerprint, "shard": str(self.shard), "tiers": list(self.tiers), "results": [result.to_json() for result in self.results]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Results:
        return cls(data["list"], Shard.parse(data["shard"]), tuple(data["tiers"]), [RepositoryResult.from_json(item) for item in data["results"]])


def about(results: Results, shards: int) -> str:
    counts = {word: sum(result.verdict == word for result in results.results) for word in ("PASSED", "FAILED", "NOT JUDGED", "INCOMPLETE")}
    said = ", ".join(f"{count} {word}" for word, count in counts.items() if count)
    merged = f", merged from {shards} shards" if shards > 1 else f", shard {results.shard}" if results.shard.count > 1 else ""
    count = len(results.results)
    return f"{count} repositor{'y' if count == 1 else 'ies'} ({said}); tiers {', '.join(results.tiers)}; list {results.fingerprint}{merged}."


def write(model: Model, results: Results, out: Path, shards: int = 1) -> None:
    """results.json (for a later merge), many.csv and many.html in out."""
    out.mkdir(parents=True, exist_ok=True)
    table_columns = columns(model)
    (out / RESULTS_FILE).write_text(json.dumps(results.to_json(), indent=1) + "\n")
    (out / CSV_FILE).write_text(render.to_csv(table_columns, results.results))
    (out / HTML_FILE).write_text(render.to_html(table_columns, results.results, about(results, shards)))


def read(directory: Path) -> Results:
    """The results.json a run wrote in directory.

    Raises:
        MergeError: there is none, or it is not one this tool wrote.
    """
    try:
        return Results.from_json(json.loads((directory / RESULTS_FILE).read_text()))
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as error:
        raise MergeError(f"{directory}: no readable {RESULTS_FILE} ({type(error).__name__}: {error}); give the directory a shard wrote (its OUT)") from None


def relinked(result: RepositoryResult, shard_directory: Path, out: Path) -> RepositoryResult:
    """The result with its report link made relative to the merged table's directory."""
    if not result.report:
        return result
    return dataclasses.replace(result, report=os.path.relpath((shard_directory / result.report).resolve(), out.resolve()))


def merge(directories: list[Path], out: Path) -> Results:
    """The shards' results as one, in list order.

    Raises:
        MergeError: unreadable, of different lists or tiers, a shard given twice, or a shard of the list missing.
    """
    shards = [(directory, read(directory)) for directory in directories]
    if not shards:
        raise MergeError("no shard directory given")
    first = shards[0][1]
    problems = [f"{directory}: list {results.fingerprint}, tiers {', '.join(results.tiers)}; {directories[0]} has list {first.fingerprint}, "
                f"tiers {', '.join(first.tiers)}" for directory, results in shards if (results.fingerprint, results.tiers) != (first.fingerprint, first.tiers)]
    count = first.shard.count
    given = [results.shard.index for _, results in shards if results.shard.count == count]
    problems += [f"shard {directory} is of {results.shard.count} shards, {directories[0]} of {count}"
                 for directory, results in shards if results.shard.count != count]
    problems += [f"shard {index}/{count} given more than once" for index in sorted(set(given)) if given.count(index) > 1]
    problems += [f"shard {index}/{count} missing" for index in range(1, count + 1) if index not in given]
    if problems:
        raise MergeError("cannot merge: " + "; ".join(problems))
    merged = [relinked(result, directory, out) for directory, results in shards for result in results.results]
    return Results(first.fingerprint, Shard(1, 1), first.tiers, sorted(merged, key=lambda result: result.line))
