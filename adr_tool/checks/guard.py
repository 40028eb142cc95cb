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


def glob_regex(pattern: str) -> re.Pattern[str]:
    """``src/**`` / ``**/*.sql`` / ``*.proto`` as a regex over repo-relative paths.

    ``**`` crosses folders, ``*`` and ``?`` do not; a pattern without ``/`` matches a
    file name in any folder; a pattern naming a folder matches everything below it.
    """
    pattern = pattern.strip().lstrip("/")
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?$")


def guarded(paths: list[str], globs: tuple[str, ...]) -> list[str]:
    regexes = [glob_regex(g) for g in globs]
    return [p for p in paths if any(r.match(p) for r in regexes)]


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
