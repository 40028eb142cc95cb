"""What the site's templates show: records, counts, the trade-off chart, the search index.

Plain data from the records (and, when read, their commits); the templates escape it.
Same records, same data: sorted inputs, no clock.
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adr_tool.config import Settings
from adr_tool.model import Axis, Decision, format_id
from adr_tool.publish.coverage import Governance, share
from adr_tool.publish.lean import known_axes
from adr_tool.site.fields import Fields
from adr_tool.site.layout import layout
from adr_tool.site.markdown import TRADEOFFS_EMPTY_MARK, TRADEOFFS_MARK
from adr_tool.site.timeline import lean_charts


@dataclass(frozen=True)
class CommitInfo:
    """A commit linked to a decision; subject/date/author only when git history was read."""

    sha: str
    subject: str = ""
    date: str = ""
    author: str = ""
    timestamp: int = 0


def page_name(decision: Decision) -> str:
    return f"{decision.path.stem}.html"


def _hash(**params: str) -> str:
    return "&".join(_param(key, value) for key, value in params.items() if value)


@functools.lru_cache(maxsize=4096)
def _param(key: str, value: str) -> str:
    """``key=value`` for a link's fragment (a few axis sides repeat on every record)."""
    return f"{key}={quote(value, safe='')}"


def _relative(settings: Settings, root: str, path: Path) -> str:
    """``settings.relative(path)``, without a Path per record when it is under the root."""
    text = str(path)
    if root != os.sep and text.startswith(root + os.sep):
        return text[len(root) + 1 :].replace(os.sep, "/")
    return settings.relative(path)


def _axes(settings: Settings, decisions: Sequence[Decision]) -> list[Axis]:
    return known_axes(settings.localised_axes(), decisions)


def chart(axes: Sequence[Axis], decisions: Sequence[Decision]) -> list[Fields]:
    """Per axis: how many decisions in force favour each side, with filtered-list links."""
    favoured = Counter(
        pair for d in decisions if d.in_force for pair in {(t.axis, t.favours) for t in d.tradeoffs}
    )
    out = []
    for axis in axes:
        counts = [favoured[(axis.name, s)] for s in axis.sides]
        total = sum(counts)
        segments = [
            Fields(
                side=side,
                label=axis.side_label(side),
                count=count,
                percent=round(100 * count / total) if total else 0,
                href="decisions.html#" + _hash(inforce="1", side=f"{axis.name}:{side}"),
            )
            for side, count in zip(axis.sides, counts, strict=True)
        ]
        out.append(Fields(name=axis.name, title=axis.title, total=total, segments=segments))
    return out


def _commits(d: Decision, history: Mapping[int, Sequence[CommitInfo]]) -> list[dict[str, str]]:
    known = {c.sha: c for c in history.get(d.number, ())}
    for rev in d.commits:
        sha = rev.strip().lower()
        if sha and not any(k.startswith(sha) or sha.startswith(k) for k in known):
            known[sha] = CommitInfo(sha)
    ordered = sorted(known.values(), key=lambda c: (c.timestamp, c.sha), reverse=True)
    return [
        Fields(sha=c.sha, short=c.sha[:10], subject=c.subject, date=c.date, author=c.author)
        for c in ordered
    ]


def _body_parts(html: str) -> dict[str, str]:
    """The body around its own "Trade-offs" heading, where the page puts the table:
    ``tradeoffs_here`` is "" (no such heading), "content" or "empty" (guidance only)."""
    for mark, here in ((TRADEOFFS_MARK, "content"), (TRADEOFFS_EMPTY_MARK, "empty")):
        if mark in html:
            before, after = html.split(mark, 1)
            return {
                "body": before + after,
                "body_before": before,
                "body_after": after,
                "tradeoffs_here": here,
            }
    return {"body": html, "body_before": html, "body_after": "", "tradeoffs_here": ""}


def fill_body(record: dict[str, Any], html: str, text: str) -> None:
    """Give a record of :func:`build_context` its rendered body (or take it away)."""
    record.update(_body_parts(html))
    record["text"] = text


def build_context(
    settings: Settings,
    decisions: Sequence[Decision],
    bodies: Mapping[int, tuple[str, str]],
    history: Mapping[int, Sequence[CommitInfo]],
    governed: Governance | None = None,
    *,
    overviews: bool = True,
) -> dict[str, Any]:
    """Everything the templates show. ``bodies`` maps a position in ``decisions`` to
    (html, text); ``history`` maps a record number to its commits from git; ``governed``
    the coverage and tensions over the tracked files. Without ``overviews`` the parts
    only the overview pages show (the chart, the lean, the graph) are None until
    :func:`fill_overviews`: a build can work them out beside the decision pages."""
    axes = _axes(settings, decisions)
    axis_by_name = {a.name: a for a in axes}
    configured = {a.name: a for a in settings.axes}  # the badges' other sides
    quoted = [quote(page_name(d)) for d in decisions]
    root = str(settings.root)
    pages = {}
    for d, page in zip(reversed(decisions), reversed(quoted), strict=True):
        pages[d.number] = page
    titles = {d.number: d for d in reversed(decisions)}
    statuses = list(settings.statuses) + sorted(
        {d.status for d in decisions if d.status and d.status not in settings.statuses}
    )
    counts = [
        Fields(
            status=s,
            count=sum(1 for d in decisions if d.status == s),
            href="decisions.html#" + _hash(status=s),
        )
        for s in statuses
    ]

    def ref(n: int, rel: str) -> dict[str, Any]:
        other = titles.get(n)
        return Fields(
            rel=rel, id=format_id(n), title=other.title if other else None, href=pages.get(n)
        )

    records = []
    for position, d in enumerate(decisions):
        body_html, text = bodies.get(position, ("", ""))
        tradeoffs = []
        for t in d.tradeoffs:
            axis = axis_by_name.get(t.axis)
            ok = axis is not None and t.favours in axis.sides
            tradeoffs.append(
                Fields(
                    axis=axis.title if axis else t.axis,
                    axis_name=t.axis,
                    favours=axis.side_label(t.favours) if axis and ok else t.favours,
                    over=axis.side_label(axis.other(t.favours)) if axis and ok else "",
                    cost=t.cost,
                    revisit=t.revisit_when,
                    href="../decisions.html#" + _hash(side=f"{t.axis}:{t.favours}"),
                )
            )
        relations = [ref(n, "Supersedes") for n in d.supersedes]
        relations += [ref(n, "Superseded by") for n in d.superseded_by]
        relations += [ref(link.to, link.rel) for link in d.links]
        records.append(
            Fields(
                {
                    "number": d.number,
                    "id": d.id,
                    "title": d.title,
                    "status": d.status or "",
                    "in_force": d.in_force,
                    "date": d.date,
                    "review_by": d.review_by,
                    "makers": list(d.decision_makers),
                    "tags": list(d.tags),
                    "sides": sorted({f"{t.axis}:{t.favours}" for t in d.tradeoffs}),
                    "badges": d.favoured(configured),
                    "tradeoffs": tradeoffs,
                    "relations": relations,
                    "successors": [ref(n, "Superseded by") for n in d.superseded_by],
                    "commits": _commits(d, history),
                    **_body_parts(body_html),
                    "text": text,
                    "source": _relative(settings, root, d.path),
                    "page": quoted[position],
                    "costs": " ".join(t.cost for t in d.tradeoffs),
                }
            )
        )
    for i, record in enumerate(records):
        record["prev"] = records[i - 1] if i else None
        record["next"] = records[i + 1] if i + 1 < len(records) else None
    timeline = sorted(records, key=lambda r: (r["date"], r["number"]), reverse=True)
    tags = sorted({t for d in decisions for t in d.tags})
    sides = [
        Fields(value=f"{a.name}:{s}", label=f"{a.title}: {a.side_label(s)}")
        for a in axes
        for s in a.sides
    ]
    context = Fields(
        {
            "title": settings.root.name,
            "lang": settings.lang,
            "records": records,
            "timeline": timeline,
            "counts": counts,
            "total": len(records),
            "in_force": sum(1 for d in decisions if d.in_force),
            "chart": None,
            "lean": None,
            "statuses": statuses,
            "tags": tags,
            "sides": sides,
            "graph": None,
            "recent": timeline[:8],
            "governance": governance_context(governed or Governance(), titles, pages),
        }
    )
    if overviews:
        fill_overviews(context, settings, decisions)
    return context


def fill_overviews(
    context: dict[str, Any], settings: Settings, decisions: Sequence[Decision]
) -> None:
    """Work out what :func:`build_context` left out without ``overviews`` (once)."""
    if context["graph"] is not None:
        return
    axes = _axes(settings, decisions)
    pages = {}
    for d in reversed(decisions):
        pages[d.number] = quote(page_name(d))
    context["chart"] = chart(axes, decisions)
    context["lean"] = lean_charts(axes, decisions)
    context["graph"] = layout(decisions, pages)


def governance_context(
    governed: Governance, titles: Mapping[int, Decision], pages: Mapping[int, str]
) -> dict[str, Any]:
    """The home page's Coverage and Tensions block (shown when a record has a scope)."""

    def ref(n: int) -> dict[str, Any]:
        d = titles.get(n)
        return {"id": format_id(n), "title": d.title if d else "", "href": pages.get(n)}

    return {
        "scoped": governed.scoped,
        "available": governed.available,
        "coverage": [
            {"folder": f, "files": n, "governed": g, "share": share(g, n)}
            for f, n, g in governed.coverage
        ],
        "tensions": [
            {
                "first": ref(a),
                "second": ref(b),
                "axis": axis,
                "first_side": sa,
                "first_cost": ca,
                "second_side": sb,
                "second_cost": cb,
                "overlap": overlap,
                "example": example,
            }
            for a, b, axis, sa, ca, sb, cb, overlap, example in governed.tensions
        ],
    }


def search_index(context: Mapping[str, Any]) -> str:
    """``assets/search-index.js``: a global, so it loads from file:// where fetch() cannot."""
    return b"".join(search_index_chunks(context)).decode("utf-8")


def search_index_chunks(context: Mapping[str, Any]) -> Iterator[bytes]:
    """:func:`search_index` as UTF-8, entry by entry: the same bytes as one ``json.dumps``
    of the list, without holding a 15 MB index (10,000 records) whole."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    comma = b""
    yield b"window.ADR_SEARCH = ["
    for r in context["records"]:
        entry = encode(
            {
                "id": r["id"],
                "title": r["title"],
                "status": r["status"],
                "tags": r["tags"],
                "costs": r["costs"],
                "text": r["text"],
                "url": "decisions/" + r["page"],
            }
        )
        entry = (
            entry.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        )
        yield comma + entry.encode("utf-8")
        comma = b","
    yield b"];\n"
