"""The tools that judge or change records: check a draft (writes nothing), propose a
decision (a new ``proposed`` record, made by the code behind ``adr new``) and link a
commit. Every write stays inside the decisions folder and is named in the result.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from adr_tool.actions import lifecycle
from adr_tool.actions.create import LinkRequest, new_decision
from adr_tool.assist.workspace import Workspace
from adr_tool.checks import rules
from adr_tool.checks.findings import ERROR, CheckInputs, Finding
from adr_tool.errors import Refused, UsageError
from adr_tool.model import Decision, record_filename
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
    tradeoffs: list[tuple[str, str]] | None = None,
    tags: list[str] | None = None,
    links: list[tuple[int, str]] | None = None,
) -> dict[str, Any]:
    """Write a new ``proposed`` record as ``adr new`` would; change no other record.

    The result names the file written and what ``adr check`` would still ask of the
    record before it could be accepted.
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
        tradeoffs=[f"{axis}={side}" for axis, side in tradeoffs or []],
        tags=list(tags or []),
        links=[LinkRequest(to, rel.strip()) for to, rel in links or []],
    )
    decisions = ws.new_store().load_all()
    made = next(d for d in decisions if d.path == path)
    others = [d for d in decisions if d.path != path]
    return {
        "written": [ws.settings.relative(path)],
        "number": made.number,
        "title": made.title,
        "status": made.status,
        "before_acceptance": _judge(ws, made, others, "accepted"),
    }


def link_commit(ws: Workspace, number: int, rev: str) -> dict[str, Any]:
    """Record the commit ``rev`` names under record ``number``'s ``commits``."""
    ws.require_write("link_commit")
    if not rev.strip():
        raise UsageError("give a commit, e.g. HEAD or a SHA")
    path, sha, changed = lifecycle.link_commit(ws.new_store(), number, rev.strip())
    written = [ws.settings.relative(path)] if changed else []
    return {"number": number, "sha": sha, "changed": changed, "written": written}
