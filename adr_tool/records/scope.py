"""Scopes: the code a decision governs, as gitignore-style patterns over paths relative
to the repository root. The only module that imports pathspec (inside functions).

Patterns come from records, that is from whoever wrote the pull request, so they are
matched with pathspec's re2 backend (google-re2: linear time, no catastrophic
backtracking); where re2 cannot be loaded, Python's ``re`` is used and patterns with
more wildcards than it can match safely are refused.

Each decision's patterns are compiled once into one ``GitIgnoreSpec`` (last match wins,
``!`` negates, ``**`` crosses folders). Matching a whole file list is bounded by each
pattern's literal leading folders: the list is sorted once and a pattern anchored under
``src/orders/`` only looks at the files in that range, so most decisions test a handful
of files rather than every tracked one. The commonest scope, ``folder/**`` with plain
folder names, is matched as a folder prefix without compiling (or importing) pathspec.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from typing import Any

_GLOB = frozenset("*?[\\")
_TOP = "\U0010ffff"
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


class ScopeError(ValueError):
    """A pattern pathspec cannot compile; the message names it."""


@functools.cache
def backend() -> str:
    """``re2`` (linear-time, from google-re2) when it can be loaded, else ``simple``
    (Python's backtracking ``re``, used only with the complexity limit below)."""
    from pathspec import GitIgnoreSpec

    try:
        GitIgnoreSpec.from_lines(["x"], backend="re2")
    except ImportError:
        return "simple"
    return "re2"


def _too_complex(pattern: str) -> bool:
    """Without re2, patterns whose regex could backtrack for long on a crafted path:
    more than two ``*`` in one path segment, or more than two ``**``."""
    segments = pattern.split("/")
    return sum(s == "**" for s in segments) > 2 or any(
        s != "**" and s.count("*") > 2 for s in segments
    )


def _spec(patterns: Sequence[str], engine: str | None = None) -> Any:
    from pathspec import GitIgnoreSpec

    engine = engine or backend()
    if engine == "simple":
        for pattern in patterns:
            if _too_complex(pattern):
                raise ScopeError(
                    f"{pattern!r} has too many wildcards to match safely without google-re2"
                )
    try:
        return GitIgnoreSpec.from_lines(list(patterns), backend=engine)
    except (ValueError, TypeError, IndexError, RecursionError) as exc:
        raise ScopeError(str(exc)) from None


def invalid_patterns(patterns: Sequence[str]) -> list[tuple[str, str]]:
    """(pattern, reason) for each pattern that cannot be compiled."""
    bad: list[tuple[str, str]] = []
    for pattern in patterns:
        try:
            _spec([pattern])
        except ScopeError as exc:
            bad.append((pattern, str(exc) or "not a gitignore pattern"))
    return bad


def folder_only(pattern: str) -> str | None:
    """``src/orders`` for ``src/orders/**``: a pattern that matches exactly the paths below
    one folder of plain names (no wildcard, escape, ``.`` or ``..``); else None."""
    if not pattern.endswith("/**"):
        return None
    folder = pattern[:-3].removeprefix("/")
    for name in folder.split("/"):
        if not name or name in (".", "..") or not _PLAIN.issuperset(name):
            return None
    return folder


def literal_prefix(pattern: str) -> str | None:
    """The folder part a positive pattern is confined to (``src/orders`` for
    ``src/orders/**/*.py``); "" for a negation (it adds no file); None when it may match
    anywhere (no ``/`` before its end, a leading ``**``)."""
    if pattern.startswith("!"):
        return ""
    text = pattern.rstrip("/")
    if text.startswith("\\"):
        return None
    if "/" not in text:
        return None
    parts = text.lstrip("/").split("/")
    literal: list[str] = []
    for part in parts:
        if _GLOB & set(part):
            break
        literal.append(part)
    return "/".join(literal) or None


class Scope:
    """One decision's patterns and the folders they are confined to; compiled on first
    use, so a lookup that the folders rule out never pays for the regexes."""

    def __init__(self, number: int, patterns: Sequence[str]) -> None:
        self.number = number
        self.patterns = tuple(patterns)
        prefixes: list[str] = []
        anywhere = False
        for pattern in self.patterns:
            prefix = literal_prefix(pattern)
            if prefix is None:
                anywhere = True
            elif prefix:
                prefixes.append(prefix)
        self.prefixes: tuple[str, ...] | None = None if anywhere else tuple(sorted(set(prefixes)))
        folders = [folder_only(pattern) for pattern in self.patterns]
        self.folders = None if None in folders else tuple(f"{f}/" for f in folders if f)
        self._spec: Any = None

    @property
    def spec(self) -> Any:
        """The compiled ``GitIgnoreSpec`` (invalid patterns left out: ``adr check`` names them)."""
        if self._spec is None:
            try:
                self._spec = _spec(self.patterns)
            except ScopeError:
                bad = {p for p, _ in invalid_patterns(self.patterns)}
                self._spec = _spec([p for p in self.patterns if p not in bad])
        return self._spec

    def may_match(self, path: str) -> bool:
        return self.prefixes is None or any(_under(path, p) for p in self.prefixes)

    def match(self, path: str) -> bool:
        """Whether the patterns match ``path`` (relative to the repository root)."""
        if self.folders is not None and not path.startswith(("/", "./")) and "\\" not in path:
            return path.startswith(self.folders)  # what pathspec answers, without it
        return bool(self.spec.match_file(path))

    def matches(self, path: str) -> bool:
        return self.may_match(path) and self.match(path)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _merged(spans: Iterable[range]) -> list[range]:
    """The positions ``spans`` cover, as sorted, disjoint ranges (step 1)."""
    out: list[range] = []
    for span in sorted((s for s in spans if s), key=lambda s: s.start):
        if out and span.start <= out[-1].stop:
            out[-1] = range(out[-1].start, max(out[-1].stop, span.stop))
        else:
            out.append(span)
    return out


def compile_scope(number: int, patterns: Sequence[str]) -> Scope:
    return Scope(number, patterns)


class Files:
    """A sorted list of repository paths with range lookups by folder."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths: list[str] = sorted(set(paths))

    def __len__(self) -> int:
        return len(self.paths)

    def under(self, prefix: str) -> list[int]:
        """Positions of ``prefix`` itself and of every path below it."""
        return [i for span in self.spans(prefix) for i in span]

    def spans(self, prefix: str) -> tuple[range, range]:
        """The position of ``prefix`` itself (an empty range when it is not a path here)
        and the positions of the paths below it: two ranges, nothing listed."""
        paths = self.paths
        exact = bisect.bisect_left(paths, prefix)
        stop = exact + 1 if exact < len(paths) and paths[exact] == prefix else exact
        low = bisect.bisect_left(paths, prefix + "/")
        high = bisect.bisect_left(paths, prefix + "/" + _TOP)
        return range(exact, stop), range(low, high)

    def within(self, folder: str, scope: Scope | None = None) -> list[range]:
        """Positions of the paths at or below ``folder`` ("" for the root) that ``scope``
        may match (its literal folders), as sorted, disjoint ranges."""
        if scope is None or scope.prefixes is None:
            roots = [folder]
        elif not folder:
            roots = list(scope.prefixes)
        else:  # the narrower of the folder and each prefix, where one holds the other
            roots = [p for p in scope.prefixes if _under(p, folder)]
            if any(_under(folder, p) for p in scope.prefixes):
                roots.append(folder)
        if "" in roots:
            return [range(len(self.paths))] if self.paths else []
        return _merged([span for root in roots for span in self.spans(root)])

    def candidates(self, scope: Scope) -> Sequence[int]:
        if scope.prefixes is None:
            return range(len(self.paths))
        seen: set[int] = set()
        for prefix in scope.prefixes:
            seen.update(self.under(prefix))
        return sorted(seen)

    def matched(self, scope: Scope) -> list[int]:
        """Positions of the paths ``scope`` governs."""
        found = self.candidates(scope)
        if not found:
            return []
        paths, match = self.paths, scope.match
        return [i for i in found if match(paths[i])]


class ScopeSet:
    """Every scoped decision, indexed by the folders its patterns are confined to, so a
    path is only tested against the decisions whose folders hold it (and those that may
    match anywhere)."""

    def __init__(self, scoped: Iterable[tuple[int, Sequence[str]]]) -> None:
        self.scopes: list[Scope] = [Scope(n, p) for n, p in scoped if p]
        self.anywhere: list[Scope] = [s for s in self.scopes if s.prefixes is None]
        self.by_prefix: dict[str, list[Scope]] = {}
        for scope in self.scopes:
            for prefix in scope.prefixes or ():
                self.by_prefix.setdefault(prefix, []).append(scope)

    def __bool__(self) -> bool:
        return bool(self.scopes)

    def governing(self, path: str) -> list[int]:
        """Numbers of the decisions whose scope matches ``path`` (repository-relative),
        in the order the decisions were given."""
        found: dict[int, Scope] = {id(s): s for s in self.anywhere}
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            for scope in self.by_prefix.get("/".join(parts[:depth]), ()):
                found[id(scope)] = scope
        order = {id(s): i for i, s in enumerate(self.scopes)} if len(found) > 1 else {}
        hits = sorted(found.values(), key=lambda s: order.get(id(s), 0))
        return [s.number for s in hits if s.match(path)]

    def governing_below(self, files: Files, folder: str) -> list[int]:
        """Numbers of the decisions whose scope matches at least one of ``files`` at or
        below ``folder`` ("" for the root), in the order the decisions were given: a
        folder is governed through its files, negations included, as coverage counts
        them. Each decision tests only the files its folders share with ``folder`` and
        stops at its first match."""
        paths = files.paths
        return [
            scope.number
            for scope in self.scopes
            if any(scope.match(paths[i]) for span in files.within(folder, scope) for i in span)
        ]

    def assign(self, files: Files) -> dict[int, list[int]]:
        """Decision number → positions in ``files`` it governs."""
        out: dict[int, list[int]] = {}
        for scope in self.scopes:
            out.setdefault(scope.number, []).extend(files.matched(scope))
        return out


def unmatched_patterns(patterns: Sequence[str], files: Files) -> list[str]:
    """Positive patterns of one decision that match none of ``files`` on their own."""
    out = []
    for pattern in patterns:
        if pattern.startswith("!") or invalid_patterns([pattern]):
            continue
        scope = compile_scope(0, [pattern])
        if not any(True for i in files.candidates(scope) if scope.spec.match_file(files.paths[i])):
            out.append(pattern)
    return out
