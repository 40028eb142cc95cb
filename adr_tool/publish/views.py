"""Plain-text and JSON views of records for ``list`` and ``show`` (no click here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.model import Decision, format_id, pending_successors


def _titles(decisions: list[Decision]) -> dict[int, str]:
    return {d.number: d.title for d in decisions}


def resolved_links(decision: Decision, decisions: list[Decision]) -> list[dict[str, Any]]:
    """Every relation of ``decision`` with the other record's title (or None if dangling)."""
    titles = _titles(decisions)
    out: list[dict[str, Any]] = []
    for rel, numbers in (
        ("Supersedes", decision.supersedes),
        ("Superseded by", decision.superseded_by),
    ):
        out.extend({"rel": rel, "to": n, "title": titles.get(n)} for n in numbers)
    out.extend(
        {"rel": link.rel, "to": link.to, "title": titles.get(link.to)} for link in decision.links
    )
    out.extend(
        {"rel": "Pending successor", "to": d.number, "title": d.title, "status": d.status}
        for d in pending_successors(decision, decisions)
    )
    return out


def show_data(decision: Decision, decisions: list[Decision], root: Path) -> dict[str, Any]:
    data = decision.as_json(root)
    data["resolved_links"] = resolved_links(decision, decisions)
    data["decision_makers"] = list(decision.decision_makers)
    data["author"] = decision.author
    data["problems"] = [
        {"code": p.code, "message": p.message, "line": p.line} for p in decision.problems
    ]
    return data


def show_text(
    decision: Decision, decisions: list[Decision], settings: Settings, body: str = ""
) -> str:
    lines = [f"{decision.id}. {decision.title or '(no title)'}"]
    lines.append(f"status: {decision.status or '-'}    date: {decision.date or '-'}")
    lines.append(f"path: {settings.relative(decision.path)}")
    if decision.author:
        lines.append(f"author: {decision.author}")
    if decision.decision_makers:
        lines.append(f"decision-makers: {', '.join(decision.decision_makers)}")
    if decision.tags:
        lines.append(f"tags: {', '.join(decision.tags)}")
    for t in decision.tradeoffs:
        axis = settings.axis(t.axis)
        other = f" over {axis.other(t.favours)}" if axis and t.favours in axis.sides else ""
        lines.append(f"trade-off: {t.axis}: favours {t.favours}{other}")
        if t.cost:
            lines.append(f"  cost: {t.cost}")
        if t.revisit_when:
            lines.append(f"  revisit when: {t.revisit_when}")
    for link in resolved_links(decision, decisions):
        title = link["title"] if link["title"] is not None else "(missing record)"
        pending = (
            f" ({link['status']}; accepting it supersedes this record)" if "status" in link else ""
        )
        lines.append(f"{link['rel']}: {format_id(link['to'])}. {title}{pending}")
    for sha in decision.commits:
        lines.append(f"commit: {sha}")
    if decision.review_by:
        lines.append(f"review by: {decision.review_by}")
    if body.strip():
        lines += ["", body.strip("\n")]
    return "\n".join(lines) + "\n"


def filtered(
    decisions: list[Decision], status: str | None, tag: str | None, axis: str | None
) -> list[Decision]:
    """The records ``adr list`` keeps for its ``--status``/``--tag``/``--axis`` filters."""
    return [
        d
        for d in decisions
        if (status is None or d.status == status.lower())
        and (tag is None or tag in d.tags)
        and (axis is None or any(t.axis == axis for t in d.tradeoffs))
    ]


def list_line(decision: Decision) -> str:
    """One line of ``adr list``: number, status, date, title, favoured sides."""
    d = decision
    sides = f"  [{', '.join(d.favoured())}]" if d.tradeoffs else ""
    return f"{d.id}  {d.status or '-':<10}  {d.date or '-':<10}  {d.title}{sides}"
