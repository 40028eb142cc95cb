"""The tools that judge or change records: check a draft (writes nothing), propose a
decision (a new ``proposed`` record, made by the code behind ``adr new``) and link a
commit. Every write stays inside the decisions folder and is named in the result; after
one, the index is refreshed as the command line refreshes it (``index.auto``, and only
an index that exists), so ``adr check`` passes right after.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from adr_tool.actions import lifecycle
from adr_tool.actions.create import LinkRequest, TradeoffRequest, new_decision
from adr_tool.assist.workspace import Workspace
from adr_tool.checks import rules
from adr_tool.checks.findings import ERROR, CheckInputs, Finding
from adr_tool.errors import AdrError, Refused, UsageError
from adr_tool.model import Decision, record_filename
from adr_tool.publish.index import refresh
from adr_tool.records import formats

MAX_DRAFT = 200_000
PROPOSED = "proposed"


def _judge(
    ws: Workspace, draft: Decision, others: list[Decision], as_status: str | None
) -> dict[str, Any]:
    """Findings ``adr check`` would report on ``draft`` among ``others``."""
    if as_status:
        draft = dataclasses.replace(draft, status=as_status.lower())
    inputs = CheckInputs(today=ws.today(), selected=frozenset({draft.path}))
    shown = ws.settings.relative(draft.path)
    found: list[Finding] = [
        f for f in rules.run([*others, draft], ws.settings, inputs) if f.path == shown
    ]
    errors = sum(1 for f in found if f.severity == ERROR)
    return {
        "path": shown,
        "number": draft.number,
        "title": draft.title,
        "judged_as": draft.status,
        "passes": errors == 0,
        "errors": errors,
        "warnings": len(found) - errors,
        "findings": [f.as_json() for f in found],
    }


def check_draft(
    ws: Workspace, text: str, number: int | None = None, as_status: str | None = None
) -> dict[str, Any]:
    """Parse ``text`` as if it were record ``number`` (default: the next free one; an
    existing number checks a new version of that record) and run the checks on it.
    Nothing is written."""
    if len(text) > MAX_DRAFT:
        raise UsageError(f"the draft has {len(text)} characters; at most {MAX_DRAFT}")
    if as_status and as_status.lower() not in ws.settings.statuses:
        raise UsageError(
            f"as_status {as_status!r} is not a configured status"
            f" ({', '.join(ws.settings.statuses)})"
        )
    store = ws.new_store()
    decisions = store.load_all()
    if number is None:
        number = store.next_number()
    existing = next((d for d in decisions if d.number == number), None)
    folder = ws.settings.directory
    if existing is not None:
        path = existing.path
    else:
        title = formats.parse(folder / record_filename(number, "draft"), text).title
        path = folder / record_filename(number, title or "draft")
    draft = formats.parse(path, text)
    others = [d for d in decisions if d.path != path]
    return _judge(ws, draft, others, as_status)


def propose(
    ws: Workspace,
    *,
    title: str,
    date: str,
    tradeoffs: list[tuple[str, str, str, str]] | None = None,
    tags: list[str] | None = None,
    links: list[tuple[int, str]] | None = None,
) -> dict[str, Any]:
    """Write a new ``proposed`` record as ``adr new`` would; change no other record.

    Each trade-off is (axis, side, cost, revisit-when), as ``adr new --tradeoff
    'AXIS=SIDE; cost=…; revisit-when=…'`` gives them. The result names the files written
    (the record, and the index if it was refreshed) and what ``adr check`` would still
    ask of the record before it could be accepted.
    """
    ws.require_write("propose_decision")
    if PROPOSED not in ws.settings.statuses:
        raise Refused(f"status {PROPOSED!r} is not configured in this repository")
    store = ws.new_store()
    path = new_decision(
        ws.settings,
        store,
        ws.new_renderer(),
        title=title,
        date=date,
        status=PROPOSED,
        tradeoffs=[
            TradeoffRequest(f"{axis}={side}", _one_line(cost), _one_line(revisit_when))
            for axis, side, cost, revisit_when in tradeoffs or []
        ],
        tags=list(tags or []),
        links=[LinkRequest(to, rel.strip()) for to, rel in links or []],
    )
    index, notes = _refresh_index(ws)
    decisions = ws.new_store().load_all()
    made = next(d for d in decisions if d.path == path)
    others = [d for d in decisions if d.path != path]
    return {
        "written": [ws.settings.relative(path), *index],
        "number": made.number,
        "title": made.title,
        "status": made.status,
        "before_acceptance": _judge(ws, made, others, "accepted"),
        "notes": notes,
    }


def link_commit(ws: Workspace, number: int, rev: str) -> dict[str, Any]:
    """Record the commit ``rev`` names under record ``number``'s ``commits``."""
    ws.require_write("link_commit")
    if not rev.strip():
        raise UsageError("give a commit, e.g. HEAD or a SHA")
    path, sha, changed = lifecycle.link_commit(ws.new_store(), number, rev.strip())
    index, notes = _refresh_index(ws) if changed else ([], [])
    written = [ws.settings.relative(path), *index] if changed else []
    return {"number": number, "sha": sha, "changed": changed, "written": written, "notes": notes}


def _one_line(text: str) -> str:
    """A cost or revisit signal as ``adr new`` writes it: one line, single spaces."""
    return " ".join(text.split())


def _refresh_index(ws: Workspace) -> tuple[list[str], list[str]]:
    """After a write: rewrite the index as the command that made the same change does
    (``cli.app.refresh_index``: only when ``index.auto`` is on and the index exists, for
    the same day). Returns the index if it was rewritten, and why it was left alone if
    it could not be (the write itself is done either way)."""
    settings = ws.settings
    try:
        changed = refresh(settings, ws.new_store(), ws.new_renderer(), today=ws.index_day())
    except AdrError as exc:
        return [], [f"the index was not refreshed: {exc}"]
    return ([settings.relative(settings.index)] if changed else []), []
