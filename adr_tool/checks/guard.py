"""The commit-msg guard: a commit that changes ``guard.paths`` must carry a decision
trailer naming an existing record, or ``none`` with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.model import Decision, format_id, parse_ref
from adr_tool.records.store import Store


def message_trailers(message: str, key: str, root: Path) -> list[str]:
    """Values of ``key:`` trailers in a commit message, by git's own rules (the same
    as ``adr log`` and ADR013 read from history): the last paragraph only when git
    takes it for a trailer block, comment lines and everything below the scissors line
    of ``git commit -v`` left out. Git runs in ``root``."""
    from adr_tool.git.trailers import trailer_values

    return trailer_values(message, key, root)


# The pieces of a glob, in order: a literal character, ``?``, ``*`` (within a folder),
# ``**`` (across folders) and ``**/`` (no folder, or any folders).
_ONE, _SEG_STAR, _ANY_STAR, _FOLDERS = "?", "*", "**", "**/"
_STARS = (_SEG_STAR, _ANY_STAR, _FOLDERS)


def _merged(last: str, piece: str) -> str | None:
    """One piece that matches what ``last`` then ``piece`` match, if there is one:
    ``**`` absorbs any star beside it, and a star repeated is that star."""
    if _ANY_STAR in (last, piece):
        return _ANY_STAR
    return piece if piece == last else None


def _pieces(pattern: str) -> list[str]:
    """The glob as its pieces: each is one of the markers above or one literal character
    (``?`` and ``*`` are never literal). Stars with no character between them are
    merged where one piece matches the same (``***`` is ``**``)."""
    pattern = pattern.strip().lstrip("/")
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            piece, index = _FOLDERS, index + 3
        elif pattern.startswith("**", index):
            piece, index = _ANY_STAR, index + 2
        elif pattern[index] == "*":
            piece, index = _SEG_STAR, index + 1
        else:
            piece, index = (_ONE if pattern[index] == "?" else pattern[index]), index + 1
        while out and out[-1] in _STARS and piece in _STARS:
            merged = _merged(out[-1], piece)
            if merged is None:
                break
            piece = merged
            out.pop()
        out.append(piece)
    while out and out[-1] == "/":  # ``src/`` names the folder: it matches what is below
        out.pop()
    return out


class Glob:
    """One ``guard.paths`` glob: ``src/**`` / ``**/*.sql`` / ``*.proto``.

    ``**`` crosses folders, ``*`` and ``?`` do not; a pattern without ``/`` matches a
    file name in any folder; a pattern naming a folder matches everything below it.

    The globs come from ``.adr.yaml``, that is from whoever wrote the branch, and run in
    the commit-msg hook: a backtracking regex took polynomial time (``**a**a**…c`` on a
    60-character name ran for minutes). They are matched instead by simulating the
    glob's automaton over the path, its set of states one integer (a bit per state):
    one step per character of the path, nothing tried twice. State ``i + 1`` follows
    state ``i``; every character either stays in a state (a star) or moves one on.
    """

    __slots__ = ("_accept", "_advance", "_loop", "_loop_slash", "_one", "_skip1", "_skip2")

    def __init__(self, pattern: str) -> None:
        advance: dict[str, int] = {}  # character -> states it moves on from
        one = loop = loop_slash = skip1 = skip2 = 0
        state = 0
        for piece in _pieces(pattern):
            bit = 1 << state
            if piece == _ONE:
                one |= bit
            elif piece == _SEG_STAR:  # stay on any character but "/", or skip
                loop |= bit
                skip1 |= bit
            elif piece == _ANY_STAR:  # stay on any character, or skip
                loop |= bit
                loop_slash |= bit
                skip1 |= bit
            elif piece == _FOLDERS:  # skip both, or enter the folders and leave by a "/"
                skip1 |= bit
                skip2 |= bit
                inner = bit << 1
                loop |= inner
                loop_slash |= inner
                advance["/"] = advance.get("/", 0) | inner
                state += 1
            else:
                advance[piece] = advance.get(piece, 0) | bit
            state += 1
        self._accept = 1 << state
        self._advance = advance
        self._one = one  # ``?``: moves on from these on any character but "/"
        self._loop, self._loop_slash = loop, loop_slash
        self._skip1, self._skip2 = skip1, skip2

    def _closed(self, states: int) -> int:
        """The states plus those reached from them without reading a character (a star
        or ``**/`` skipped). Runs of stars were merged, so this loop turns a few times."""
        while True:
            more = states | (states & self._skip1) << 1 | (states & self._skip2) << 2
            if more == states:
                return states
            states = more

    def match(self, path: str) -> bool:
        """Whether the glob matches ``path`` or a folder above it."""
        advance, accept, one = self._advance, self._accept, self._one
        states = self._closed(1)
        for char in path:
            if char == "/":
                if states & accept:
                    return True  # the glob named a folder this path is in
                states = (states & advance.get("/", 0)) << 1 | states & self._loop_slash
            else:
                moved = states & (advance.get(char, 0) | one)
                states = moved << 1 | states & self._loop
            if not states:
                return False
            states = self._closed(states)
        return bool(states & accept)


def guarded(paths: list[str], globs: tuple[str, ...]) -> list[str]:
    """The paths that one of the ``guard.paths`` globs matches, in their order."""
    compiled = [Glob(g) for g in globs]
    return [p for p in paths if any(g.match(p) for g in compiled)]


def commit_msg_problem(
    settings: Settings, message: str, staged: list[str], numbers: set[int]
) -> str | None:
    """Why the commit must be refused, as text that says what to add; None when fine."""
    touched = guarded(staged, settings.guard_paths)
    if not touched:
        return None
    key = settings.trailer
    shown = ", ".join(touched[:3]) + (f" and {len(touched) - 3} more" if len(touched) > 3 else "")
    values = message_trailers(message, key, settings.root)
    how = (
        f"Add it as the last paragraph of the commit message, naming the record this commit "
        f"carries out (see 'adr list'):\n\n    {key}: 7\n\n"
        f"or, when no decision applies, say why:\n\n    {key}: none - <reason>\n"
    )
    if not values:
        return (
            f"commit refused: it changes {shown} (matched by guard.paths) but its message "
            f"has no '{key}:' trailer.\n{how}"
        )
    for value in values:
        if value.lower().startswith("none"):
            reason = value[4:].strip(" -–—:,;()[]")
            if re.search(r"\w\w", reason):
                return None
            return (
                f"commit refused: '{key}: {value}' needs a reason after 'none', e.g.\n\n"
                f"    {key}: none - only renames a variable\n"
            )
        for item in value.split(","):
            number = parse_ref(item.strip())
            if number is None:
                return (
                    f"commit refused: cannot read {item.strip()!r} in '{key}: {value}' as a "
                    f"record number; write e.g. '{key}: 7' or '{key}: ADR-0007'.\n"
                )
            if number not in numbers:
                folder = settings.relative(settings.directory)
                return (
                    f"commit refused: '{key}: {value}' names record {format_id(number)}, "
                    f"which does not exist in {folder}. Fix the number, or create the "
                    "record first with 'adr new'.\n"
                )
    return None


def commit_msg(settings: Settings, store: Store, message_file: Path) -> str | None:
    """The commit-msg hook: read the message and the staged files, judge them."""
    if not settings.guard_paths:
        return None
    try:
        message = message_file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(
            f"{message_file}: cannot read the commit message: {exc.strerror}"
        ) from None
    from adr_tool.git import worktree

    staged = worktree.staged_files(settings.root)
    numbers = {d.number for d in store.load_all()}
    return commit_msg_problem(settings, message, staged, numbers)


def scope_problem(
    settings: Settings, message: str, staged: list[str], decisions: list[Decision]
) -> str | None:
    """Staged files under a decision's scope and no trailer naming a governing decision
    (nor ``none`` with a reason): the text that says what to add; None when fine."""
    from adr_tool.checks.scoped import governed_files

    governed = governed_files(decisions, staged)
    if not governed:
        return None
    key = settings.trailer
    named: set[int] = set()
    for value in message_trailers(message, key, settings.root):
        if value.lower().startswith("none") and re.search(r"\w\w", value[4:]):
            return None
        named.update(n for n in (parse_ref(v.strip()) for v in value.split(",")) if n is not None)
    numbers = sorted({n for found in governed.values() for n in found})
    if named & set(numbers):
        return None
    files = sorted(governed)
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    names = ", ".join(format_id(n) for n in numbers)
    return (
        f"this commit changes {shown}, under the scope of {names}, but its message has no "
        f"'{key}:' trailer naming one of them. Add as the last paragraph:\n\n"
        f"    {key}: {numbers[0]}\n\nor, when the change does not touch the decision:\n\n"
        f"    {key}: none - <reason>\n"
    )


@dataclass(frozen=True)
class GuardReport:
    """The commit-msg verdict: ``problem`` refuses the commit, ``warning`` only says so."""

    problem: str | None = None
    warning: str | None = None


def commit_msg_report(settings: Settings, store: Store, message_file: Path) -> GuardReport:
    """The commit-msg hook: ``guard.paths`` first, then the scopes of decisions in force
    (an error with ``require: {scope-trailer: true}``, else a warning)."""
    decisions = store.load_all()
    scoped = any(d.scope for d in decisions)
    if not settings.guard_paths and not scoped:
        return GuardReport()
    problem = commit_msg(settings, store, message_file)
    if problem or not scoped:
        return GuardReport(problem)
    from adr_tool.git import worktree

    message = message_file.read_text(encoding="utf-8", errors="replace")
    found = scope_problem(settings, message, worktree.staged_files(settings.root), decisions)
    if found is None:
        return GuardReport()
    if settings.require_scope_trailer:
        return GuardReport(problem="commit refused: " + found)
    return GuardReport(warning=found)
