"""``adr review --base REF``: what a pull request should know about its decisions.

The files changed since the merge base with REF, the decisions in force governing them
(declared ``scope``, and history: linked commits that touched them, from one ``git log``
of the linked commits), those due a review (``review-by`` passed) or carrying a
``revisit-when`` worth re-reading, the records the branch adds or changes, and number
clashes with REF. Rendered as Markdown for a PR comment (``review.md.j2``) or JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.model import Decision
from adr_tool.publish.govern import HISTORY, SCOPE, in_force, scope_set
from adr_tool.publish.render import Renderer, md_cell, md_inline

MAX_FILES_SHOWN = 20  # per decision, in the Markdown


@dataclass(frozen=True)
class Change:
    status: str  # git's letter: A, M, D, R, …
    path: str
    old_path: str = ""


@dataclass(frozen=True)
class Governed:
    decision: Decision
    files: tuple[str, ...]
    via: tuple[str, ...]
    due: str = ""  # the passed review-by date, or ""


@dataclass(frozen=True)
class Review:
    base_ref: str
    merge_base: str
    changes: list[Change]
    governed: list[Governed]
    records: list[tuple[str, Decision | None, Change]]  # added|changed|deleted
    clashes: list[str]
    ungoverned: int
    notes: tuple[str, ...] = field(default=())

    @property
    def due(self) -> list[Governed]:
        return [g for g in self.governed if g.due]

    @property
    def findings(self) -> int:
        """What fails ``--strict``: reviews due and number clashes."""
        return len(self.due) + len(self.clashes)

    def as_json(self, root: Path) -> dict[str, Any]:
        return {
            "base": self.base_ref,
            "merge_base": self.merge_base,
            "changed_files": [
                {"status": c.status, "path": c.path, "old_path": c.old_path} for c in self.changes
            ],
            "governing": [
                {
                    **g.decision.as_json(root),
                    "via": list(g.via),
                    "files": list(g.files),
                    "review_due": g.due,
                    "revisit_when": [
                        t.revisit_when for t in g.decision.tradeoffs if t.revisit_when
                    ],
                }
                for g in self.governed
            ],
            "records": [
                {
                    "change": kind,
                    "path": change.path,
                    "number": d.number if d else None,
                    "title": d.title if d else "",
                    "status": d.status if d else "",
                }
                for kind, d, change in self.records
            ],
            "number_clashes": self.clashes,
            "ungoverned_files": self.ungoverned,
            "findings": self.findings,
        }


def _history_links(
    settings: Settings, decisions: Sequence[Decision]
) -> tuple[dict[str, set[int]], tuple[str, ...]]:
    """Path (relative to the root) → decisions whose linked commits touched it: one
    ``git log`` of the commits carrying a trailer, with their files."""
    from adr_tool.git import log as git_log

    history = git_log.read_history(settings.root, settings.trailer, files=True, linked_only=True)
    if not history.available or history.top is None:
        return {}, history.notes
    try:
        rel = settings.root.resolve().relative_to(history.top).as_posix()
    except ValueError:
        rel = "."
    prefix = "" if rel == "." else rel + "/"
    out: dict[str, set[int]] = {}
    for commit in history.commits:
        if not commit.refs:
            continue
        for name in commit.files:
            if name.startswith(prefix):
                out.setdefault(name[len(prefix) :], set()).update(commit.refs)
    return out, history.notes


def _revisits(decision: Decision) -> list[str]:
    return [t.revisit_when for t in decision.tradeoffs if t.revisit_when]


def _due(decision: Decision, today: dt.date) -> str:
    try:
        day = dt.date.fromisoformat(decision.review_by.strip()[:10])
    except ValueError:
        return ""
    return day.isoformat() if day < today else ""


def review(
    settings: Settings,
    decisions: Sequence[Decision],
    ref: str,
    *,
    today: dt.date,
    clashes: Sequence[str] = (),
) -> Review:
    """Everything ``adr review`` shows for the branch against ``ref``; ``clashes`` are the
    number clashes with ``ref``, one message each (found by ``checks``, a room above)."""
    from adr_tool.git import worktree

    base, raw = worktree.changes_since(settings.root, ref)
    changes = [Change(*c) for c in raw]
    scopes = scope_set(decisions)
    links, notes = _history_links(settings, decisions)
    live = {d.number: d for d in in_force(decisions)}
    files: dict[int, set[str]] = {}
    via: dict[int, set[str]] = {}
    touched = 0
    for change in changes:
        hit = False
        for name in filter(None, (change.path, change.old_path)):
            for number in scopes.governing(name):
                files.setdefault(number, set()).add(change.path)
                via.setdefault(number, set()).add(SCOPE)
                hit = True
            for number in links.get(name, ()):
                if number in live:
                    files.setdefault(number, set()).add(change.path)
                    via.setdefault(number, set()).add(HISTORY)
                    hit = True
        touched += hit
    governed = [
        Governed(
            live[n],
            tuple(sorted(files[n])),
            tuple(v for v in (SCOPE, HISTORY) if v in via[n]),
            _due(live[n], today),
        )
        for n in sorted(files)
        if n in live
    ]
    return Review(
        ref,
        base,
        changes,
        governed,
        _records(settings, decisions, changes),
        list(clashes),
        len(changes) - touched,
        notes,
    )


def _records(
    settings: Settings, decisions: Sequence[Decision], changes: list[Change]
) -> list[tuple[str, Decision | None, Change]]:
    folder = settings.relative(settings.directory).rstrip("/") + "/"
    by_path = {settings.relative(d.path): d for d in decisions}
    out: list[tuple[str, Decision | None, Change]] = []
    for change in changes:
        if not change.path.startswith(folder) or not change.path.endswith(".md"):
            continue
        if change.path not in by_path and change.status != "D":
            continue  # the index or another page, not a record
        kind = {"A": "added", "D": "deleted"}.get(change.status, "changed")
        out.append((kind, by_path.get(change.path), change))
    return out


def _quiet(value: object) -> str:
    return md_inline(value, quiet=True)


def _quiet_cell(value: object) -> str:
    return md_cell(value, quiet=True)


def review_context(settings: Settings, found: Review) -> dict[str, Any]:
    """What ``review.md.j2`` shows, escaped for GitHub-flavoured Markdown.

    The comment is posted by a bot on every pull request, with text from the repository
    (titles, costs, file names): each value is escaped for where it goes — a table cell
    (``*_cell``, ``files``: every ``|`` escaped, so no cell can be forged) or a line — and
    made quiet, so that no ``@user`` in a title pings anyone (see :func:`md_inline`).
    """

    def ref(d: Decision) -> dict[str, Any]:
        title = d.title or "(no title)"
        return {
            "id": d.id,
            "title": _quiet(title),
            "title_cell": _quiet_cell(title),
            "path": settings.relative(d.path),
        }

    axes = {a.name: a for a in settings.axes}  # each favoured side over its axis's other
    return {
        "base": md_inline(found.base_ref),
        "merge_base": found.merge_base[:10],
        "changed": len(found.changes),
        "ungoverned": found.ungoverned,
        "governed": [
            {
                **ref(g.decision),
                "via": ", ".join(g.via),
                "favours": [_quiet_cell(b) for b in g.decision.favoured(axes)],
                "files": [_quiet_cell(f) for f in g.files[:MAX_FILES_SHOWN]],
                "more": max(0, len(g.files) - MAX_FILES_SHOWN),
                "due": g.due,
                "revisit": [_quiet(t.revisit_when) for t in g.decision.tradeoffs if t.revisit_when],
                "costs": [_quiet(t.cost) for t in g.decision.tradeoffs if t.cost],
            }
            for g in found.governed
        ],
        "records": [
            {
                "kind": kind,
                "path": _quiet(change.path),
                "id": d.id if d else "",
                "title": _quiet(d.title) if d else "",
                "status": _quiet(d.status) if d else "",
            }
            for kind, d, change in found.records
        ],
        "clashes": [_quiet(c) for c in found.clashes],
    }


def review_markdown(settings: Settings, renderer: Renderer, found: Review) -> str:
    return renderer.render("review", review_context(settings, found))
