"""The read-only tools and resources: list and search the log, read one record, the
decisions behind paths, the digest, the index and the trade-off matrix.

Each returns plain JSON-ready data (or text), bounded in size; ``server`` binds them to
the protocol. What a decision *is* in short comes from :func:`publish.digest.compact`,
the same function ``adr digest`` uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adr_tool.assist.workspace import DEFAULT_ITEMS, Workspace, clip, page
from adr_tool.errors import NotFound, UsageError
from adr_tool.model import Axis, Decision
from adr_tool.publish import digest as digests
from adr_tool.publish import index as indexes
from adr_tool.publish.fingerprint import strip_marker
from adr_tool.publish.govern import which
from adr_tool.publish.lookups import with_git_dates
from adr_tool.publish.views import show_data

MAX_PATHS = 20
PER_PATH = 25


def _axes(ws: Workspace) -> dict[str, Axis]:
    return {a.name: a for a in ws.settings.axes}


def short(ws: Workspace, d: Decision, axes: dict[str, Axis] | None = None) -> dict[str, Any]:
    """The compact form, with where the record lives and what replaced it."""
    data = digests.compact(d, axes if axes is not None else _axes(ws))
    data["path"] = ws.settings.relative(d.path)
    if d.superseded_by:
        data["superseded_by"] = list(d.superseded_by)
    return data


def _haystack(d: Decision) -> str:
    parts = [d.title, *d.tags, *(s.heading + "\n" + s.text for s in d.sections)]
    for t in d.tradeoffs:
        parts += [t.axis, t.favours, t.cost, t.revisit_when]
    return "\n".join(parts).casefold()


def _matches(
    d: Decision,
    status: str | None,
    axis: str | None,
    side: str | None,
    tag: str | None,
    terms: list[str],
) -> bool:
    if status and d.status != status.lower():
        return False
    if tag and tag not in d.tags:
        return False
    if (axis or side) and not any(
        (not axis or t.axis == axis) and (not side or t.favours == side) for t in d.tradeoffs
    ):
        return False
    if terms:
        text = _haystack(d)
        return all(term in text for term in terms)
    return True


def list_decisions(
    ws: Workspace,
    *,
    status: str | None = None,
    axis: str | None = None,
    side: str | None = None,
    tag: str | None = None,
    query: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_ITEMS,
) -> dict[str, Any]:
    """Records matching every filter given, by number; ``query`` words must all appear
    (case-insensitive) in the title, tags, trade-offs or body."""
    terms = (query or "").casefold().split()[:20]
    axes = _axes(ws)
    found = [
        short(ws, d, axes) for d in ws.decisions() if _matches(d, status, axis, side, tag, terms)
    ]
    shown, more = page(found, cursor, limit)
    return {"total": len(found), "decisions": shown, "next_cursor": more}


def get_decision(ws: Workspace, number: int, cursor: str | None = None) -> dict[str, Any]:
    """One record: its metadata, resolved links, commits and (a page of) its body."""
    store = ws.new_store()
    decisions = store.load_all()
    decision = next((d for d in decisions if d.number == number), None)
    if decision is None:
        raise NotFound(f"no record numbered {number}; list_decisions shows the numbers")
    dated = with_git_dates(ws.settings, [decision]).decisions[0] if not decision.date else decision
    data = show_data(dated, decisions, ws.settings.root)
    body, more = clip(store.body(decision), cursor)
    data["body"] = body
    data["body_next_cursor"] = more
    return data


def _target(ws: Workspace, given: str) -> Path:
    """A path the assistant names, inside the repository and outside ``.git``."""
    root = (ws.settings.git_root or ws.settings.root).resolve()
    if not given.strip() or "\x00" in given:
        raise UsageError(f"path {given[:80]!r}: give a file or folder of the repository")
    target = (root / given).resolve()
    if not target.is_relative_to(root):
        raise UsageError(f"path {given[:80]!r} is outside the repository")
    if ".git" in target.relative_to(root).parts:
        raise UsageError(f"path {given[:80]!r} is inside .git")
    return target


def governing(ws: Workspace, paths: list[str]) -> list[dict[str, Any]]:
    """For each path, the decisions in force that govern it, each marked with its basis.

    The one place that answers "which decisions govern this code" for the assistant:
    the ``adr which`` logic (declared ``scope``, basis ``scope``; commits touching the
    path that carry a decision's trailer, basis ``history``). As there, every path gets
    an answer: one that does not exist (deleted, or a file about to be created) is still
    matched against the scopes, and one nothing governs gets an empty list.
    """
    if not paths:
        raise UsageError("give at least one path, e.g. src/orders/store.py")
    if len(paths) > MAX_PATHS:
        raise UsageError(f"at most {MAX_PATHS} paths per call; got {len(paths)}")
    axes = _axes(ws)
    targets = [(_target(ws, given), given) for given in paths]
    report = which(ws.settings, ws.decisions(), targets)
    blocks = []
    for given, answer in zip(paths, report.answers, strict=True):
        rows = []
        for found in answer.governing:
            row = short(ws, found.decision, axes)
            row["basis"] = "+".join(found.via)
            row["in_force"] = found.decision.in_force
            row["commits"] = len(found.commits)
            rows.append(row)
        blocks.append(
            {
                "path": given,
                "decisions": rows[:PER_PATH],
                "omitted": max(0, len(rows) - PER_PATH),
                "notes": list(report.notes),
            }
        )
    return blocks


def governing_page(ws: Workspace, paths: list[str], cursor: str | None) -> dict[str, Any]:
    shown, more = page(governing(ws, paths), cursor, MAX_PATHS)
    return {"paths": shown, "next_cursor": more}


def digest(ws: Workspace, statuses: list[str], max_chars: int) -> str:
    """``adr digest``: compact Markdown of the chosen statuses within ``max_chars``."""
    return digests.render_digest(
        ws.settings,
        ws.decisions(),
        ws.new_renderer(),
        statuses=tuple(s.lower() for s in statuses) or ("accepted",),
        max_chars=max_chars,
    )


# --- resources -------------------------------------------------------------------------


def record_text(ws: Workspace, number: int) -> str:
    """The record's file as it is on disk."""
    store = ws.new_store()
    return store.read_text(store.get(number))


def index_text(ws: Workspace) -> str:
    """The index as ``adr index`` would write it now (never a stale copy)."""
    decisions = ws.decisions()
    text = indexes.render_index(ws.settings, decisions, ws.new_renderer(), None, ws.today())
    return strip_marker(text)


def matrix(ws: Workspace) -> dict[str, Any]:
    """Per axis, which records favoured which side (in force first, then the rest)."""
    axes = list(ws.settings.axes)
    known = {a.name for a in axes}
    decisions = ws.decisions()
    extra = sorted({t.axis for d in decisions for t in d.tradeoffs} - known)
    out = []
    for axis in [*((a.name, a.sides) for a in axes), *((name, ()) for name in extra)]:
        name, sides = axis
        rows = [
            {
                "number": d.number,
                "title": d.title,
                "status": d.status,
                "in_force": d.in_force,
                "favours": t.favours,
                "cost": t.cost,
                "revisit_when": t.revisit_when,
            }
            for d in decisions
            for t in d.tradeoffs
            if t.axis == name
        ]
        counts = {s: sum(1 for r in rows if r["in_force"] and r["favours"] == s) for s in sides}
        out.append(
            {"axis": name, "sides": list(sides), "in_force_by_side": counts, "records": rows}
        )
    return {"axes": out}
