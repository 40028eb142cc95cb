"""Plain-text and JSON views of records for ``list`` and ``show`` (no click here)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from adr_tool.config import Settings, status_label
from adr_tool.errors import UsageError
from adr_tool.model import Axis, Decision, format_id, pending_successors
from adr_tool.records.store import Store


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


def accepted_on(decision: Decision) -> str | None:
    """The ``accepted:`` date ``adr accept`` writes beside the record's own ``date``."""
    value = decision.extra.get("accepted")
    return str(value) if isinstance(value, (str, dt.date)) and str(value).strip() else None


def show_data(decision: Decision, decisions: list[Decision], root: Path) -> dict[str, Any]:
    data = decision.as_json(root)
    data["accepted"] = accepted_on(decision)
    data["resolved_links"] = resolved_links(decision, decisions)
    data["remote_links"] = [link.as_json() for link in decision.remote_links]
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
    accepted = accepted_on(decision)
    if accepted:
        lines.append(f"accepted: {accepted}")
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
    for remote in decision.remote_links:
        lines.append(f"{remote.rel}: {remote.target} (another repository; see adr aggregate)")
    for sha in decision.commits:
        lines.append(f"commit: {sha}")
    if decision.review_by:
        lines.append(f"review by: {decision.review_by}")
    if body.strip():
        lines += ["", body.strip("\n")]
    return "\n".join(lines) + "\n"


def check_filters(settings: Settings, statuses: Sequence[str], axes: Sequence[str]) -> None:
    """Refuse a filter value that can match nothing because it is not configured (exit 2)."""
    known = list(settings.statuses)
    for status in statuses:
        if status.lower() not in known:
            raise UsageError(
                f"--status: unknown status {status!r}{_suggest(status.lower(), known)} "
                f"(configured: {', '.join(known)})"
            )
    names = [a.name for a in settings.axes]
    for axis in axes:
        if axis not in names:
            raise UsageError(
                f"--axis: unknown axis {axis!r}{_suggest(axis, names)} "
                f"(configured: {', '.join(names)})"
            )


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def filtered(
    decisions: list[Decision],
    statuses: Sequence[str] = (),
    tags: Sequence[str] = (),
    axes: Sequence[str] = (),
) -> list[Decision]:
    """The records ``adr list`` keeps: with any of ``statuses``, any of ``tags``, and a
    trade-off on any of ``axes`` (an empty filter keeps all)."""
    wanted = {s.lower() for s in statuses}
    tagged, on = set(tags), set(axes)
    return [
        d
        for d in decisions
        if (not wanted or d.status in wanted)
        and (not tagged or not tagged.isdisjoint(d.tags))
        and (not on or any(t.axis in on for t in d.tradeoffs))
    ]


def without_guidance(body: str) -> str:
    """The body as a reader wants it: template guidance (HTML comments) left out, and the
    blank lines they leave behind folded. A comment left open runs to the end."""
    if "<!--" not in body:
        return body
    out, pos = [], 0
    while (start := body.find("<!--", pos)) != -1:
        out.append(body[pos:start])
        end = body.find("-->", start + 4)
        pos = len(body) if end == -1 else end + 3
    out.append(body[pos:])
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    kept = [x for i, x in enumerate(lines) if x or (i > 0 and lines[i - 1])]
    return "\n".join(kept).strip("\n") + "\n"


def list_line(
    decision: Decision, status_label: str | None = None, axes: Mapping[str, Axis] | None = None
) -> str:
    """One line of ``adr list``: number, status, date, title, favoured sides (each over
    the other side of its axis in ``axes``, the configured ones by name)."""
    d = decision
    sides = f"  [{', '.join(d.favoured(axes))}]" if d.tradeoffs else ""
    status = status_label or d.status or "-"
    return f"{d.id}  {status:<10}  {d.date or '-':<10}  {d.title}{sides}"


# what json.dumps never leaves raw in its text (it writes \n only between items)
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")


def list_answer(
    settings: Settings,
    store: Store,
    query: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str],
    show_paths: Callable[[list[Path]], list[str]],
    where: str,
) -> tuple[str, tuple[str, ...]]:
    """What ``adr list`` prints for ``query`` (statuses, tags, axes, format) and its notes.

    Remembered while every record stays as it is (see ``Store.current``): a warm
    ``adr list`` of 10,000 records then reads one memo instead of loading the records.
    Not remembered when git supplied dates (history moves without the records moving).
    """
    statuses, tags, on_axes, fmt = query
    key = "list:" + repr((query, where, settings))
    known = store.recall(key) if store.current() else None
    if known is not None and not (fmt == "json" and _RAW_CONTROL.search(known)):
        return known, ()  # (JSON reaches the terminal as it is: only json.dumps's own)
    from adr_tool.publish.lookups import with_git_dates

    chosen = filtered(store.load_all(), statuses, tags, on_axes)
    dated = with_git_dates(settings, chosen)
    if fmt == "json":
        import json

        data = [d.as_json(settings.root) for d in dated.decisions]
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif settings.layout == "adr-tools":  # adr-tools prints one path per line
        text = "\n".join(show_paths([d.path for d in dated.decisions]))
    else:
        lang = settings.lang
        axes = {a.name: a for a in settings.axes}
        text = "\n".join(list_line(d, status_label(d.status, lang), axes) for d in dated.decisions)
    if dated.decisions is chosen:  # every date from the records themselves
        store.remember(key, text)
    return text, dated.notes
