"""nginx configuration read from its files, without nginx: directives, the location that serves a path, its rate limit."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

from acceptance.docker_engine.dockerfiles import Dockerfile, copies_from_context, copy_sources

# Zone keys that count each client address on its own (the binary form is the one nginx recommends).
PER_CLIENT_KEYS = ("$binary_remote_addr", "$remote_addr")
DEFAULT_REJECTION_STATUS = "503"  # limit_req_status when none is set
SKIPPED_DIRECTORIES = {"node_modules", ".git", "dist"}


class NginxSyntaxError(ValueError):
    """The text is not nginx configuration: an unbalanced brace, an unterminated string, a directive without its ';'."""


@dataclasses.dataclass
class Directive:
    """One directive: its name, its arguments (quotes removed), its block (None for a simple directive) and where it is."""

    name: str
    args: list[str]
    block: list[Directive] | None
    where: str  # FILE:LINE

    def __str__(self) -> str:
        return " ".join([self.name, *self.args]) + (" {...}" if self.block is not None else ";")

    def children(self, name: str) -> list[Directive]:
        return [child for child in self.block or [] if child.name == name]

    def option(self, key: str) -> str | None:
        """The value of a key=value argument (zone=api:10m -> option("zone") is "api:10m"); None when absent."""
        return next((arg.split("=", 1)[1] for arg in self.args if arg.startswith(f"{key}=")), None)


def tokens(text: str) -> Iterator[tuple[str, int, bool]]:
    """(token, line, quoted) in order: words, quoted strings (unquoted), and the punctuation ';', '{', '}'."""
    position, line, end = 0, 1, len(text)
    while position < end:
        char = text[position]
        if char == "\n":
            line += 1
            position += 1
        elif char.isspace():
            position += 1
        elif char == "#":
            newline = text.find("\n", position)
            position = end if newline == -1 else newline
        elif char in ";{}":
            yield char, line, False
            position += 1
        elif char in "\"'":
            closing = re.compile(rf"(?<!\\)(?:\\\\)*{char}").search(text, position + 1)
            if not closing:
                raise NginxSyntaxError(f"line {line}: a string opened with {char} is never closed")
            value = text[position + 1:closing.end() - 1]
            yield re.sub(r"\\(.)", r"\1", value), line, True
            line += value.count("\n")
            position = closing.end()
        else:
            word = re.compile(r"(\$\{[^}]*\}|[^\s;{}])+").match(text, position)
            assert word is not None, "the characters handled above are all that can start no word"
            yield word.group(0), line, False
            position = word.end()


def parse(text: str, source: str = "<text>") -> list[Directive]:
    """The directives of a configuration text, blocks nested.

    Raises:
        NginxSyntaxError: the text is not nginx configuration syntax.
    """
    stack: list[list[Directive]] = [[]]
    words: list[str] = []
    first_line = 0
    for token, line, quoted in tokens(text):
        if quoted or token not in ";{}":
            first_line = first_line if words else line
            words.append(token)
        elif token == "}":
            if words or len(stack) == 1:
                raise NginxSyntaxError(f"{source}:{line}: unexpected '}}'" + (f" after {' '.join(words)!r} (a missing ';')" if words else ""))
            stack.pop()
        elif not words:
            raise NginxSyntaxError(f"{source}:{line}: {token!r} with no directive before it")
        else:
            directive = Directive(words[0], words[1:], [] if token == "{" else None, f"{source}:{first_line}")
            stack[-1].append(directive)
            if directive.block is not None:
                stack.append(directive.block)
            words = []
    if words or len(stack) > 1:
        raise NginxSyntaxError(f"{source}: ends inside " + (f"{' '.join(words)!r} (a missing ';')" if words else "a block (a missing '}')"))
    return stack[0]


def walk(directives: list[Directive], ancestors: tuple[Directive, ...] = ()) -> Iterator[tuple[Directive, tuple[Directive, ...]]]:
    """Every directive with the blocks that enclose it, outermost first."""
    for directive in directives:
        yield directive, ancestors
        if directive.block is not None:
            yield from walk(directive.block, (*ancestors, directive))


def serves(location: Directive, path: str) -> tuple[str, int] | None:
    """How a location matches path, as nginx ranks matches: ("exact"|"prefix"|"prefix^~"|"regex", prefix length); None:
    no match (or a named location, which serves no request path)."""
    if len(location.args) >= 2:
        modifier, pattern = location.args[0], location.args[1]
    else:  # "location /api/" or a modifier written against its pattern, "location =/health.html"
        written = re.fullmatch(r"(=|\^~|~\*|~)?(.*)", location.args[0] if location.args else "", re.DOTALL)
        assert written is not None, "(.*) with DOTALL matches any text"
        modifier, pattern = written.groups(default="")
    if pattern.startswith("@"):
        return None
    if modifier == "=":
        return ("exact", len(pattern)) if path == pattern else None
    if modifier in ("~", "~*"):
        return ("regex", 0) if re.search(pattern, path, re.IGNORECASE if modifier == "~*" else 0) else None
    return (f"prefix{modifier}", len(pattern)) if path.startswith(pattern) else None


def chosen_location(server: Directive, path: str) -> Directive | None:
    """The location of server that nginx picks for path: an exact match, else the longest prefix when it is ^~, else the
    first regex that matches, else the longest prefix (top-level locations only)."""
    matches = [(location, match) for location in server.children("location") if (match := serves(location, path))]
    exact = [location for location, (kind, _) in matches if kind == "exact"]
    prefixes = sorted(((location, length, kind) for location, (kind, length) in matches if kind.startswith("prefix")), key=lambda entry: -entry[1])
    regexes = [location for location, (kind, _) in matches if kind == "regex"]
    if exact:
        return exact[0]
    if prefixes and prefixes[0][2] == "prefix^~":
        return prefixes[0][0]
    return regexes[0] if regexes else (prefixes[0][0] if prefixes else None)


@dataclasses.dataclass
class Config:
    """The nginx configuration files of an image, by their path in the build context."""

    files: dict[str, list[Directive]]

    def directives(self) -> Iterator[tuple[Directive, tuple[Directive, ...]]]:
        for directives in self.files.values():
            yield from walk(directives)

    def zones(self) -> dict[str, Directive]:
        """The limit_req_zone directives by zone name."""
        return {(zone.option("zone") or "").split(":")[0]: zone for zone, _ in self.directives() if zone.name == "limit_req_zone"}

    def proxying_locations(self, path: str) -> list[tuple[Directive, tuple[Directive, ...]]]:
        """Per server block, the location nginx picks for path, when it proxies (proxy_pass), with its enclosing blocks."""
        found = []
        for server, ancestors in self.directives():
            location = chosen_location(server, path) if server.name == "server" else None
            if location is not None and location.children("proxy_pass"):
                found.append((location, (*ancestors, server)))
        return found

    def locations_in_words(self, path: str) -> str:
        picked = [chosen_location(server, path) for server, _ in self.directives() if server.name == "server"]
        return "; ".join(f"{location} at {location.where}" for location in picked if location) or "none"

    def rate_limit_problems(self, path: str) -> list[str]:
        """Why a request for path is not limited per client address by a declared zone (empty: it is, in every server
        whose location for path proxies it)."""
        locations = self.proxying_locations(path)
        if not locations:
            return [(f"no location proxies {path} in {sorted(self.files) or 'no nginx configuration'}; "
                     f"the locations nginx picks for it: {self.locations_in_words(path)}")]
        return [problem for location, ancestors in locations for problem in self.location_limit_problems(location, ancestors)]

    def location_limit_problems(self, location: Directive, ancestors: tuple[Directive, ...]) -> list[str]:
        """Why the location is not limited per client address by a declared zone: [] when one of its limit_req is."""
        limits = inherited(location, ancestors, "limit_req")
        if not limits:
            return [(f"{location} at {location.where} proxies requests with no limit_req, nor does a block around it: "
                     f"a client may send them as fast as it likes")]
        problems = [self.limit_problem(limit) for limit in limits]
        return [] if None in problems else [problem for problem in problems if problem is not None]

    def limit_problem(self, limit: Directive) -> str | None:
        """Why one limit_req does not count per client address in a declared zone (None: it does)."""
        zones, name = self.zones(), (limit.option("zone") or "")
        if name not in zones:
            return f"{limit} at {limit.where} refers to zone {name!r}, which no limit_req_zone declares (declared: {sorted(zones) or 'none'})"
        key = zones[name].args[0] if zones[name].args else ""
        if key not in PER_CLIENT_KEYS:
            return f"{limit} at {limit.where} counts by {key!r} ({zones[name]} at {zones[name].where}), not per client address {PER_CLIENT_KEYS}"
        return None

    def rejection_statuses(self, path: str) -> dict[str, str]:
        """Per location that proxies path, the status nginx answers beyond its rate limit (limit_req_status, inherited)."""
        statuses = {}
        for location, ancestors in self.proxying_locations(path):
            set_at = inherited(location, ancestors, "limit_req_status")
            statuses[f"{location} at {location.where}"] = set_at[-1].args[0] if set_at else DEFAULT_REJECTION_STATUS
        return statuses


def inherited(location: Directive, ancestors: tuple[Directive, ...], name: str) -> list[Directive]:
    """The name directives in force in location: its own, else those of the nearest enclosing block that has any
    (nginx inherits limit_req and its kin from the level above only when a level sets none)."""
    for block in (location, *reversed(ancestors)):
        if block.children(name):
            return block.children(name)
    return []


def copied_by(dockerfile: Dockerfile) -> Config:
    """The nginx configuration files the Dockerfile's final stage copies from its build context: every copied file
    that parses as nginx configuration and declares an http or server block."""
    context, files = dockerfile.context or dockerfile.path.parent, {}
    for value in dockerfile.final.of("COPY") + dockerfile.final.of("ADD"):
        for source in (source for source in copy_sources(value) if copies_from_context(value)):
            for path in context_files(context, source):
                try:
                    directives = parse(path.read_text(), str(path.relative_to(context)))
                except (UnicodeDecodeError, NginxSyntaxError):
                    continue
                if any(directive.name in ("http", "server") and directive.block is not None for directive, _ in walk(directives)):
                    files[str(path.relative_to(context))] = directives
    return Config(files)


def context_files(context: Path, source: str) -> list[Path]:
    """The files a COPY source names in the build context: the file, every file under the directory, or the glob's."""
    matched = [context / source] if (context / source).exists() else sorted(context.glob(source.lstrip("/")))
    found = []
    for path in matched:
        if path.is_dir():
            found += sorted(file for file in path.rglob("*") if file.is_file() and not SKIPPED_DIRECTORIES & set(file.relative_to(context).parts))
        elif path.is_file():
            found.append(path)
    return found
