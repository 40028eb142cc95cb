"""Decisions and commits, both ways: ``adr log N``, ``adr why PATH``, dates from history.

Pure functions over :class:`adr_tool.history.History` values; git itself is run by vcs.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adr_tool.errors import NotFound
from adr_tool.git.history import Commit, History, first_commits
from adr_tool.model import Axis, Decision, favour_badge, format_id

TRAILER = "trailer"
EXPLICIT = "explicit"
RECORD = "record file"


@dataclass(frozen=True)
class LogEntry:
    """A commit that carries out (or edits) a decision, and how we know."""

    commit: Commit
    via: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {**commit_json(self.commit), "via": list(self.via)}


@dataclass(frozen=True)
class WhyEntry:
    """A decision linked to commits that touched the path asked about."""

    number: int
    decision: Decision | None  # None: a trailer names a record that does not exist
    commits: tuple[Commit, ...]
    successors: tuple[Decision, ...] = ()

    @property
    def newest(self) -> int:
        return max(c.timestamp for c in self.commits)


def commit_json(commit: Commit) -> dict[str, Any]:
    return {
        "sha": commit.sha,
        "short": commit.short,
        "date": commit.date,
        "author": commit.author,
        "email": commit.email,
        "subject": commit.subject,
    }


def find_decision(number: int, decisions: list[Decision], directory: str) -> Decision:
    for decision in decisions:
        if decision.number == number:
            return decision
    raise NotFound(f"no such record: {format_id(number)} (not in {directory})")


def _matches(rev: str, sha: str) -> bool:
    rev = rev.strip().lower()
    return len(rev) >= 4 and sha.startswith(rev)


def _newest_first(commits: list[Commit]) -> list[Commit]:
    return sorted(commits, key=lambda c: -c.timestamp)  # stable: git order on ties


def log_entries(
    decision: Decision, linked: History, record: History, explicit: History | None = None
) -> tuple[list[LogEntry], list[str]]:
    """Commits for ``decision``: trailers, explicit ``commits``, record-file changes.

    ``linked`` holds the commits with trailers (or the whole history), ``record`` the
    commits that touched the record file, ``explicit`` the commits named in ``commits``
    (looked up directly, so they are found even off the current branch). Returns the
    entries newest first and the explicit revisions that no commit matched.
    """
    via: dict[str, list[str]] = {}
    found: dict[str, Commit] = {}

    def add(commit: Commit, how: str) -> None:
        found.setdefault(commit.sha, commit)
        kinds = via.setdefault(commit.sha, [])
        if how not in kinds:
            kinds.append(how)

    for commit in linked.commits:
        if decision.number in commit.refs:
            add(commit, TRAILER)
    pool = [*(explicit.commits if explicit else ()), *linked.commits]
    missing = []
    for rev in decision.commits:
        match = next((c for c in pool if _matches(rev, c.sha)), None)
        if match is None:
            missing.append(rev)
        else:
            add(match, EXPLICIT)
    for commit in record.commits:
        if commit.sha not in record.boundary:  # a shallow cut "adds" every file
            add(commit, RECORD)
    ordered = _newest_first(list(found.values()))
    return [LogEntry(c, tuple(via[c.sha])) for c in ordered], missing


def why_entries(decisions: list[Decision], touching: History) -> list[WhyEntry]:
    """Decisions linked (trailer or explicit ``commits``) to the commits in ``touching``."""
    by_number = {d.number: d for d in decisions}
    linked: dict[int, dict[str, Commit]] = {}
    for commit in touching.commits:
        for number in commit.refs:
            linked.setdefault(number, {})[commit.sha] = commit
    for decision in decisions:
        for rev in decision.commits:
            for commit in touching.commits:
                if _matches(rev, commit.sha):
                    linked.setdefault(decision.number, {})[commit.sha] = commit
    entries = []
    for number, commits in linked.items():
        record = by_number.get(number)
        successors: tuple[Decision, ...] = ()
        if record is not None:
            successors = tuple(by_number[n] for n in record.superseded_by if n in by_number)
        entries.append(
            WhyEntry(number, record, tuple(_newest_first(list(commits.values()))), successors)
        )
    return sorted(entries, key=lambda e: (-e.newest, e.number))


def _relative(path: Path, top: Path) -> str | None:
    with contextlib.suppress(ValueError, OSError):
        return path.resolve().relative_to(top).as_posix()
    return None


def fill_from_history(decisions: list[Decision], history: History) -> list[Decision]:
    """Fill a missing ``date``/author from the commit that first added each record file.

    ``history`` must list files (e.g. a log limited to the decisions folder).
    """
    if not history.available or history.top is None or not history.has_files:
        return list(decisions)
    born = first_commits(history)
    out = []
    for decision in decisions:
        rel = _relative(decision.path, history.top)
        commit = born.get(rel) if rel else None
        if commit is not None and (not decision.date or not decision.author):
            decision = replace(
                decision,
                date=decision.date or commit.day,
                author=decision.author or commit.author,
            )
        out.append(decision)
    return out


def linked_shas(decisions: list[Decision], history: History) -> dict[int, set[str]]:
    """Record number → the commits linked to it by trailer or by explicit ``commits``."""
    out: dict[int, set[str]] = {d.number: set() for d in decisions}
    for commit in history.commits:
        for number in commit.refs:
            if number in out:
                out[number].add(commit.sha)
    for decision in decisions:
        for rev in decision.commits:
            match = history.find(rev)
            out[decision.number].add(match.sha if match else rev.strip().lower())
    return out


def commit_counts(decisions: list[Decision], history: History) -> dict[int, int]:
    """Record number → how many commits are linked to it (trailers and ``commits``)."""
    return {number: len(shas) for number, shas in linked_shas(decisions, history).items()}


# --- text and JSON views ---------------------------------------------------------------


def log_text(decision: Decision, entries: list[LogEntry], missing: list[str]) -> str:
    lines = [f"{decision.id}. {decision.title or '(no title)'}"]
    if not entries and not missing:
        lines.append("  no linked commits")
    for entry in entries:
        c = entry.commit
        lines.append(f"{c.short}  {c.day}  {c.author}  {c.subject}  [{', '.join(entry.via)}]")
    lines.extend(f"{rev}  (listed in commits, not found in this repository)" for rev in missing)
    return "\n".join(lines) + "\n"


def log_json(
    decision: Decision, entries: list[LogEntry], missing: list[str], root: Path
) -> dict[str, Any]:
    data = decision.as_json(root)
    data["linked_commits"] = [e.as_json() for e in entries]
    data["missing_commits"] = missing
    return data


def _tradeoff_lines(decision: Decision, axes: Mapping[str, Axis] | None) -> list[str]:
    out = []
    for t in decision.tradeoffs:
        line = f"    favours {favour_badge(t, axes).replace(' > ', ' over ')}"
        if t.cost:
            line += f"; cost: {t.cost}"
        out.append(line)
    return out


def why_text(entries: list[WhyEntry], axes: Mapping[str, Axis] | None = None) -> str:
    """``adr why``'s lines; each trade-off's other side from ``axes`` (the configured
    axes by name), else from the axis's name (:func:`favour_badge`)."""
    lines: list[str] = []
    for entry in entries:
        d = entry.decision
        if d is None:
            lines.append(f"{format_id(entry.number)}  (no such record)")
        else:
            lines.append(f"{d.id}  {d.status or '-'}  {d.title or '(no title)'}")
            lines.extend(_tradeoff_lines(d, axes))
            if d.superseded_by or d.status == "superseded":
                names = [f"{s.id} {s.title} ({s.status or '-'})" for s in entry.successors]
                missing = [
                    format_id(n)
                    for n in d.superseded_by
                    if n not in {s.number for s in entry.successors}
                ]
                target = ", ".join([*names, *missing]) or "a later record"
                lines.append(f"    superseded by {target}")
        for c in entry.commits:
            lines.append(f"    {c.short}  {c.day}  {c.author}  {c.subject}")
    return "\n".join(lines) + ("\n" if lines else "")


def why_json(entries: list[WhyEntry], root: Path) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        if entry.decision is None:
            data: dict[str, Any] = {"number": entry.number, "missing": True}
        else:
            data = entry.decision.as_json(root)
            data["missing"] = False
            data["successors"] = [
                {"number": s.number, "title": s.title, "status": s.status} for s in entry.successors
            ]
        data["linked_commits"] = [commit_json(c) for c in entry.commits]
        out.append(data)
    return out
