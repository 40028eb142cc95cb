"""Decisions that govern code: ``adr which`` and the helpers coverage and review share.

A decision in force governs a path when its ``scope`` matches it (declared), or, weaker,
when commits touching the path carry its trailer or are listed in it (history). Git is
asked through :mod:`adr_tool.git`, once per question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.errors import NotFound
from adr_tool.git.history import Commit, History
from adr_tool.model import Decision
from adr_tool.records.scope import Files, ScopeSet

SCOPE = "scope"
HISTORY = "history"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text for a terminal: control characters written as ``\\xNN``."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def in_force(decisions: Sequence[Decision]) -> list[Decision]:
    """Accepted and not superseded: the decisions that govern today."""
    return [d for d in decisions if d.in_force and not d.superseded_by]


def scope_set(decisions: Sequence[Decision]) -> ScopeSet:
    return ScopeSet((d.number, d.scope) for d in in_force(decisions) if d.scope)


def any_scope(decisions: Sequence[Decision]) -> bool:
    return any(d.scope for d in decisions)


def tracked(settings: Settings) -> list[str] | None:
    """Tracked files relative to the root; None outside git."""
    root = settings.tracked_root or (settings.root if settings.git_root is not None else None)
    if root is None:
        return None
    from adr_tool.errors import EnvironmentProblem
    from adr_tool.git import worktree

    try:
        return worktree.tracked_files(root)
    except EnvironmentProblem:
        return None


# --- adr which -------------------------------------------------------------------------


@dataclass(frozen=True)
class Governing:
    """One decision governing one path, and how we know."""

    decision: Decision
    via: tuple[str, ...]
    commits: tuple[Commit, ...] = ()

    def as_json(self, root: Path) -> dict[str, Any]:
        from adr_tool.publish.trace import commit_json

        data = self.decision.as_json(root)
        data["via"] = list(self.via)
        data["linked_commits"] = [commit_json(c) for c in self.commits]
        return data


@dataclass(frozen=True)
class PathAnswer:
    path: str
    governing: list[Governing]

    def as_json(self, root: Path) -> dict[str, Any]:
        return {"path": self.path, "decisions": [g.as_json(root) for g in self.governing]}


@dataclass(frozen=True)
class WhichReport:
    answers: list[PathAnswer]
    notes: tuple[str, ...] = ()


def relative_path(settings: Settings, path: Path, shown: str) -> str:
    """``path`` relative to the repository root; refused outside it or inside ``.git``."""
    root = settings.root.resolve()
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise NotFound(f"{shown}: outside the repository {root}") from None
    if rel == ".git" or rel.startswith(".git/"):
        raise NotFound(f"{shown}: inside .git, which no decision governs")
    return "" if rel == "." else rel


def which(
    settings: Settings,
    decisions: Sequence[Decision],
    paths: Sequence[tuple[Path, str]],
    *,
    history: bool = True,
) -> WhichReport:
    """The decisions in force governing each of ``paths`` ((absolute path, as shown))."""
    scopes = scope_set(decisions)
    rels = [relative_path(settings, path, shown) for path, shown in paths]
    folders = [path.is_dir() for path, _ in paths]
    files = Files(tracked(settings) or []) if any(folders) and scopes else None
    histories: list[History | None] = [None] * len(paths)
    notes: tuple[str, ...] = ()
    if history and settings.git_root is not None:
        histories, notes = _histories(settings, [p for p, _ in paths])
    live = {d.number: d for d in in_force(decisions)}
    answers = []
    for rel, folder, found in zip(rels, folders, histories, strict=True):
        declared = set(_declared(scopes, files, rel, folder=folder))
        linked: dict[int, tuple[Commit, ...]] = {}
        if found is not None:
            from adr_tool.publish.trace import why_entries

            for entry in why_entries(list(decisions), found):
                if entry.number in live:
                    linked[entry.number] = entry.commits
        numbers = sorted(declared | set(linked), key=lambda n: (n not in declared, n))
        answers.append(
            PathAnswer(
                rel or ".",
                [
                    Governing(
                        live[n],
                        tuple(
                            v for v, on in ((SCOPE, n in declared), (HISTORY, n in linked)) if on
                        ),
                        linked.get(n, ()),
                    )
                    for n in numbers
                    if n in live
                ],
            )
        )
    return WhichReport(answers, notes)


def _declared(scopes: ScopeSet, files: Files | None, rel: str, *, folder: bool) -> list[int]:
    """The decisions whose scope matches ``rel`` ("" for the root). A folder holding
    tracked files is governed through them, by a decision matching at least one: the
    matching of a single file and of ``adr coverage``, so ``!src/gen/**`` leaves
    ``src/gen`` ungoverned. A file, or a folder with no tracked file, is matched itself,
    tracked or not; a folder as a folder (``src/gen/``), which ``src/gen/**`` includes
    and ``!src/gen/**`` excludes, as they do the files in it."""
    if folder and files is not None and files.within(rel):
        return scopes.governing_below(files, rel)
    if not rel:
        return []
    return scopes.governing(rel + "/" if folder else rel)


def _via(declared: bool, linked: bool) -> tuple[str, ...]:
    return tuple(v for v, on in ((SCOPE, declared), (HISTORY, linked)) if on)


def _histories(
    settings: Settings, paths: Sequence[Path]
) -> tuple[list[History | None], tuple[str, ...]]:
    """The commits that touched each path: renames followed, copies never (a record
    made from the same template as another is not its past)."""
    from adr_tool.git import log as git_log

    out: list[History | None] = []
    notes: list[str] = []
    for path in paths:
        found = git_log.read_path_history(settings.root, settings.trailer, path)
        notes.extend(n for n in found.notes if n not in notes)
        if found.boundary:  # a shallow cut "adds" every file: not a commit that touched it
            kept = tuple(c for c in found.commits if c.sha not in found.boundary)
            found = replace(found, commits=kept)
        out.append(found if found.available and not found.empty else None)
    return out, tuple(notes)


def which_text(report: WhichReport) -> str:
    lines: list[str] = []
    for answer in report.answers:
        lines.append(safe(answer.path))
        if not answer.governing:
            lines.append("  no decision in force governs this path")
        for g in answer.governing:
            d = g.decision
            lines.append(f"  {d.id}  {safe(d.title or '(no title)')}  [{', '.join(g.via)}]")
            for t in d.tradeoffs:
                cost = f"; cost: {safe(t.cost)}" if t.cost else ""
                lines.append(f"      favours {safe(t.favours)} on {safe(t.axis)}{cost}")
            if SCOPE in g.via:
                lines.append(f"      scope: {safe(', '.join(d.scope))}")
            for c in g.commits[:3]:
                lines.append(f"      {c.short}  {c.day}  {safe(c.subject)}")
            if len(g.commits) > 3:
                lines.append(f"      … and {len(g.commits) - 3} more commits (adr why)")
    return "\n".join(lines) + "\n"
