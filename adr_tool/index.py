"""The decision index, graph, digest and adr-tools table of contents.

Builds plain data from the records and hands it to the templates; every piece of
user text is escaped here for the place it lands in (GFM cell, link text, Mermaid
label, DOT string), so a title can never change the shape of the output.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.model import RETIRED, Axis, Decision, favour_badge, format_id
from adr_tool.render import Renderer
from adr_tool.store import Store, atomic_write

GRAPH_FORMATS = ("mermaid", "dot", "json")
MERMAID_MAX_CHARS = 40_000  # GitHub refuses Mermaid sources above about 50,000 characters
_TICKS = re.compile(r"`+")
_SPECIAL = re.compile(r"[\\<\[\]|`]")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+(?=[^a-z])")
_URL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")

# --- escaping ------------------------------------------------------------------------


def _code_spans(text: str) -> list[tuple[bool, str]]:
    """Split text into (is_code_span, piece) following CommonMark's backtick rule."""
    out: list[tuple[bool, str]] = []
    start = pos = 0
    while (opener := _TICKS.search(text, pos)) is not None:
        closer = next(
            (m for m in _TICKS.finditer(text, opener.end()) if len(m[0]) == len(opener[0])), None
        )
        if closer is None:
            pos = opener.end()
            continue
        out.append((False, text[start : opener.start()]))
        out.append((True, text[opener.start() : closer.end()]))
        start = pos = closer.end()
    out.append((False, text[start:]))
    return [(code, piece) for code, piece in out if piece]


def md_inline(value: object, *, cell: bool = False) -> str:
    """User text as inline Markdown on one line: no raw HTML, no stray link brackets.

    Code spans stay code spans; in a table ``cell`` pipes are escaped everywhere.
    """
    text = " ".join(str(value if value is not None else "").split())
    if not _SPECIAL.search(text):
        return text
    out = []
    for code, piece in _code_spans(text):
        if not code:
            for char in "\\<[]":
                piece = piece.replace(char, "\\" + char)
        if cell:
            piece = piece.replace("|", "\\|")
        out.append(piece)
    return "".join(out)


def md_cell(value: object) -> str:
    return md_inline(value, cell=True)


def url_path(path: str) -> str:
    """Percent-encode what would break a Markdown link target; keep non-ASCII readable."""
    if _URL_SAFE.issuperset(path):
        return path
    return "".join(
        c if c in _URL_SAFE or not c.isascii() else "".join(f"%{b:02X}" for b in c.encode())
        for c in path
    )


_MERMAID_CODES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;", "&": "#amp;"}


def mermaid_text(value: object) -> str:
    """Text for a quoted Mermaid label: entity codes for anything Mermaid reads itself."""
    return "".join(_MERMAID_CODES.get(c, c) for c in " ".join(str(value).split()))


def dot_text(value: object) -> str:
    return " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"')


# --- graph -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    rel: str


def node_ids(decisions: Iterable[Decision]) -> dict[int, str]:
    """``adr7`` for record 7: safe in Mermaid and DOT whatever the title."""
    return {d.number: f"adr{d.number}" for d in decisions}


def edges(decisions: list[Decision]) -> list[Edge]:
    """Supersessions (new → old) and links, without the echo a reverse link leaves.

    A link whose relation ends in " by" (``Amended by``) is dropped when the other
    record already links back (``Amends``): the graph shows each relation once.
    """
    found: set[tuple[int, int, str]] = set()
    for d in decisions:
        found.update((d.number, old, "supersedes") for old in d.supersedes)
        found.update((new, d.number, "supersedes") for new in d.superseded_by)
        found.update((d.number, link.to, link.rel) for link in d.links)
    forward = {(s, t) for s, t, rel in found if not _passive(rel)}
    kept = [e for e in found if not (_passive(e[2]) and (e[1], e[0]) in forward)]
    return [Edge(s, t, rel) for s, t, rel in sorted(kept)]


def _passive(rel: str) -> bool:
    return rel.lower().endswith(" by")


def mermaid(decisions: list[Decision], *, connected_only: bool = False) -> str:
    ids = node_ids(decisions)
    links = edges(decisions)
    wanted = {n for e in links for n in (e.source, e.target)}
    lines = ["flowchart LR"]
    for d in decisions:
        if d.number in ids and (not connected_only or d.number in wanted):
            label = mermaid_text(f"{d.id}. {d.title or '(no title)'} ({d.status or '?'})")
            lines.append(f'  {ids.pop(d.number)}["{label}"]')
            wanted.discard(d.number)
    for missing in sorted(wanted - {d.number for d in decisions}):
        lines.append(f'  adr{missing}["{format_id(missing)} (missing)"]')
    for e in links:
        arrow = "-->" if e.rel == "supersedes" else "-.->"
        lines.append(f'  adr{e.source} {arrow}|"{mermaid_text(e.rel)}"| adr{e.target}')
    return "\n".join(lines) + "\n"


def dot(decisions: list[Decision]) -> str:
    lines = ["digraph decisions {", "  rankdir=LR;", "  node [shape=box];"]
    for d in decisions:
        label = dot_text(f"{d.id}. {d.title or '(no title)'} ({d.status or '?'})")
        style = ", style=dashed" if d.status in RETIRED else ""
        lines.append(f'  adr{d.number} [label="{label}", URL="{dot_text(d.path.name)}"{style}];')
    for e in edges(decisions):
        style = "" if e.rel == "supersedes" else ", style=dashed"
        lines.append(f'  adr{e.source} -> adr{e.target} [label="{dot_text(e.rel)}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph(decisions: list[Decision], fmt: str) -> str:
    """The decision graph as Mermaid, Graphviz DOT or JSON."""
    if fmt == "mermaid":
        return mermaid(decisions)
    if fmt == "dot":
        return dot(decisions)
    if fmt == "json":
        data = {
            "nodes": [
                {
                    "id": f"adr{d.number}",
                    "number": d.number,
                    "title": d.title,
                    "status": d.status,
                    "file": d.path.name,
                }
                for d in decisions
            ],
            "edges": [{"from": e.source, "to": e.target, "rel": e.rel} for e in edges(decisions)],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    raise UsageError(f"--format: {fmt!r} is not one of {', '.join(GRAPH_FORMATS)}")


# --- index -----------------------------------------------------------------------------


def _link(settings: Settings, d: Decision) -> str:
    return _links(settings, [d])[d.path]


def _links(settings: Settings, decisions: list[Decision]) -> dict[Path, str]:
    """Each record's link relative to the index's folder (one relpath per folder)."""
    folders: dict[Path, str] = {}
    out = {}
    for d in decisions:
        parent = d.path.parent
        if parent not in folders:
            rel = os.path.relpath(parent, settings.index.parent).replace(os.sep, "/")
            folders[parent] = "" if rel == "." else rel + "/"
        out[d.path] = url_path(folders[parent] + d.path.name)
    return out


def _badges(d: Decision, axes: dict[str, Axis], lang: str) -> list[str]:
    out = []
    for t in d.tradeoffs:
        axis = axes.get(t.axis)
        if lang != "en" and axis is not None and t.favours in axis.sides:
            out.append(f"{axis.side_label(t.favours)} > {axis.side_label(axis.other(t.favours))}")
        else:
            out.append(favour_badge(t))
    return out


def _ref(settings: Settings, d: Decision, link: str = "") -> dict[str, Any]:
    """What every section needs to point at a record."""
    return {
        "number": d.number,
        "id": d.id,
        "link": link or _link(settings, d),
        "title": md_inline(d.title or "(no title)"),
        "title_cell": md_cell(d.title or "(no title)"),
        "status": md_cell(d.status or "-"),
        "in_force": d.in_force,
    }


def _matrix(
    settings: Settings, decisions: list[Decision], refs: dict[Path, dict[str, Any]]
) -> list[dict[str, Any]]:
    axes = list(settings.localised_axes())
    known = {a.name for a in axes}
    for name in sorted({t.axis for d in decisions for t in d.tradeoffs} - known):
        sides = name.split("-vs-")
        if len(sides) == 2 and all(sides) and sides[0] != sides[1]:
            axes.append(Axis(name, (sides[0], sides[1])))
    blocks = []
    for axis in axes:
        rows = []
        for d in decisions:
            for t in d.tradeoffs:
                if t.axis == axis.name:
                    rows.append(
                        {
                            **refs[d.path],
                            "side": axis.sides.index(t.favours) if t.favours in axis.sides else 2,
                            "favours": md_cell(axis.side_label(t.favours)),
                            "cost": md_cell(t.cost),
                            "revisit_when": md_cell(t.revisit_when),
                        }
                    )
        rows.sort(key=lambda r: (not r["in_force"], r["side"], r["number"]))
        counts = [sum(1 for r in rows if r["in_force"] and r["side"] == i) for i in (0, 1)]
        total = sum(1 for r in rows if r["in_force"])
        lead = 0 if counts[0] >= counts[1] else 1
        blocks.append(
            {
                "name": axis.name,
                "title": md_inline(axis.title),
                "rows": rows,
                "in_force": total,
                "shown_only": len(rows) - total,
                "lean": counts[lead] if counts[0] != counts[1] else 0,
                "tie": total > 0 and counts[0] == counts[1],
                "favoured": md_inline(axis.side_label(axis.sides[lead])),
                "other": md_inline(axis.side_label(axis.sides[1 - lead])),
            }
        )
    return blocks


def chains(decisions: list[Decision]) -> list[list[int]]:
    """Every supersession path from a record nothing supersedes to the current one."""
    newer: dict[int, set[int]] = {}
    for e in edges(decisions):
        if e.rel == "supersedes":
            newer.setdefault(e.target, set()).add(e.source)
    older = {n for targets in newer.values() for n in targets}
    out: list[list[int]] = []

    def walk(path: list[int]) -> None:
        following = sorted(n for n in newer.get(path[-1], ()) if n not in path)
        if not following or len(out) >= 1000:
            out.append(path)
        for n in following:
            walk([*path, n])

    for start in sorted(set(newer) - older):
        walk([start])
    return out


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def recorded_commit_counts(decisions: list[Decision]) -> dict[int, int]:
    """Commits each record lists in its own ``commits`` key.

    This is what a committed index shows by default: it depends only on the files, so
    the index does not go stale with every commit that carries a ``Decision:`` trailer
    (a commit cannot contain an index that already counts that very commit).
    """
    return {d.number: len(d.commits) for d in decisions}


def index_context(
    settings: Settings,
    decisions: list[Decision],
    commit_counts: dict[int, int] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything ``index.md.j2`` shows, escaped for GitHub-flavoured Markdown."""
    decisions = sorted(decisions, key=lambda d: (d.number, d.path.name))
    axes = {a.name: a for a in settings.localised_axes()}
    links = _links(settings, decisions)
    refs = {d.path: _ref(settings, d, links[d.path]) for d in decisions}
    by_number = {d.number: d for d in decisions}
    statuses = [*settings.statuses, *sorted({d.status for d in decisions} - set(settings.statuses))]
    counts = [
        {"status": md_cell(s or "-"), "count": sum(1 for d in decisions if d.status == s)}
        for s in statuses
    ]
    if commit_counts is None:
        commit_counts = recorded_commit_counts(decisions)
    records = []
    for d in decisions:
        row = dict(refs[d.path])
        row["date"] = md_cell(d.date)
        row["favours"] = [md_cell(b) for b in _badges(d, axes, settings.lang)]
        row["commits"] = commit_counts.get(d.number, 0)
        records.append(row)
    show_commits = any(n > 0 for n in commit_counts.values())
    unlinked = [
        refs[d.path]
        for d in decisions
        if show_commits and d.in_force and not commit_counts.get(d.number)
    ]
    review = []
    revisit = []
    for d in decisions:
        if d.status in RETIRED:
            continue
        due = _parse_date(d.review_by) if d.review_by else None
        if today is not None and due is not None and due < today:
            review.append({**refs[d.path], "review_by": md_inline(d.review_by)})
        conditions = [md_inline(t.revisit_when) for t in d.tradeoffs if t.revisit_when]
        if conditions:
            revisit.append({**refs[d.path], "conditions": conditions})
    chain_rows = [
        [refs[by_number[n].path] for n in path if n in by_number] for path in chains(decisions)
    ]
    graph_text = mermaid(decisions, connected_only=True)
    return {
        "total": len(decisions),
        "counts": [c for c in counts if c["count"]],
        "records": records,
        "show_commits": show_commits,
        "unlinked": unlinked,
        "matrix": _matrix(settings, decisions, refs),
        "chains": [c for c in chain_rows if len(c) > 1],
        "review": review,
        "revisit": revisit,
        "mermaid": graph_text if graph_text.count("\n") > 1 else "",
        "mermaid_too_big": len(graph_text) > MERMAID_MAX_CHARS,
        "today": today.isoformat() if today else "",
    }


def render_index(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    commit_counts: dict[int, int] | None = None,
    today: dt.date | None = None,
) -> str:
    """The index text: the same records, counts and day always give the same bytes.

    Without ``today`` no review date is judged as passed.
    """
    return renderer.render("index", index_context(settings, decisions, commit_counts, today))


def _normalised(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return ""


def write_index(
    settings: Settings,
    store: Store,
    renderer: Renderer,
    commit_counts: dict[int, int] | None = None,
    *,
    today: dt.date | None = None,
) -> bool:
    """Write ``settings.index`` atomically; returns whether its content changed."""
    text = render_index(
        settings, store.load_all(), renderer, commit_counts, today or dt.date.today()
    )
    current = _read(settings.index)
    if current is not None and _normalised(current) == text:
        return False
    atomic_write(settings.index, text)
    return True


def stale_diff(
    settings: Settings,
    store: Store,
    renderer: Renderer,
    commit_counts: dict[int, int] | None = None,
    *,
    today: dt.date | None = None,
    label: str = "",
    max_lines: int = 40,
) -> list[str]:
    """A short unified diff from the index on disk to the expected one; empty if current."""
    expected = render_index(
        settings, store.load_all(), renderer, commit_counts, today or dt.date.today()
    )
    current = _normalised(_read(settings.index) or "")
    if current == expected:
        return []
    name = label or settings.relative(settings.index)
    diff = list(
        difflib.unified_diff(
            current.splitlines(),
            expected.splitlines(),
            f"{name} (on disk)",
            f"{name} (expected)",
            n=1,
            lineterm="",
        )
    )
    added = sum(1 for line in diff[2:] if line.startswith("+"))
    removed = sum(1 for line in diff[2:] if line.startswith("-"))
    if len(diff) > max_lines:
        diff = [*diff[:max_lines], f"... {len(diff) - max_lines} more diff lines"]
    return [*diff, f"{added} line(s) to add, {removed} to remove"]


# --- digest ----------------------------------------------------------------------------


def one_sentence(decision: Decision, limit: int = 300) -> str:
    """The first sentence of the Decision Outcome, without comments or headings."""
    section = decision.section("outcome")
    if section is None:
        return ""
    text = _COMMENT.sub("", section.text)
    lines = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    flat = " ".join(" ".join(lines).split())
    sentence = _SENTENCE_END.split(flat, maxsplit=1)[0] if flat else ""
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


def _digest_entry(settings: Settings, d: Decision, axes: dict[str, Axis]) -> dict[str, Any]:
    tradeoffs = []
    for t in d.tradeoffs:
        axis = axes.get(t.axis)
        known = axis is not None and t.favours in axis.sides
        tradeoffs.append(
            {
                "favours": md_inline(axis.side_label(t.favours) if axis and known else t.favours),
                "other": md_inline(
                    axis.side_label(axis.other(t.favours)) if axis and known else ""
                ),
                "axis": md_inline(t.axis),
                "cost": md_inline(t.cost),
                "revisit_when": md_inline(t.revisit_when),
            }
        )
    return {
        **_ref(settings, d),
        "date": md_inline(d.date),
        "decision": md_inline(one_sentence(d)),
        "tradeoffs": tradeoffs,
        "summary": False,
    }


def render_digest(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    *,
    statuses: tuple[str, ...] = ("accepted",),
    max_chars: int = 8000,
) -> str:
    """Compact Markdown of the chosen records, shortened oldest first to fit ``max_chars``."""
    axes = {a.name: a for a in settings.localised_axes()}
    chosen = sorted(
        (d for d in decisions if d.status in statuses), key=lambda d: (d.date, d.number)
    )
    entries = [_digest_entry(settings, d, axes) for d in chosen]

    def text(summarised: int, omitted: int) -> str:
        shown = [{**e, "summary": i < summarised} for i, e in enumerate(entries) if i >= omitted]
        context = {
            "entries": list(reversed(shown)),
            "omitted": omitted,
            "statuses": list(statuses),
            "total": len(entries),
        }
        return renderer.render("digest", context)

    def smallest(fits: Any) -> int | None:
        low, high = 0, len(entries)
        if not fits(high):
            return None
        while low < high:
            middle = (low + high) // 2
            if fits(middle):
                high = middle
            else:
                low = middle + 1
        return low

    summarised = smallest(lambda k: len(text(k, 0)) <= max_chars)
    if summarised is not None:
        return text(summarised, 0)
    omitted = smallest(lambda k: len(text(len(entries), k)) <= max_chars)
    if omitted is None:
        raise UsageError(f"--max-chars {max_chars} is too small for even an empty digest")
    return text(len(entries), omitted)


# --- adr-tools aliases -----------------------------------------------------------------


def toc(
    decisions: list[Decision],
    renderer: Renderer,
    *,
    intro: str = "",
    outro: str = "",
    prefix: str = "",
) -> str:
    """``adr generate toc``: adr-tools' bullet list of ``N. Title`` links."""
    records = [
        {
            "label": " ".join(f"{d.number}. {d.title}".split())
            .replace("[", "\\[")
            .replace("]", "\\]"),
            "link": prefix + url_path(d.path.name),
        }
        for d in sorted(decisions, key=lambda d: (d.number, d.path.name))
    ]
    context = {"records": records, "intro": intro.rstrip("\n"), "outro": outro.rstrip("\n")}
    return renderer.render("toc", context)


def adr_tools_graph(
    decisions: list[Decision], *, prefix: str = "", extension: str = ".html", layout: str = ""
) -> str:
    """``adr generate graph``: adr-tools' DOT, dotted edges in number order, links labelled."""
    ordered = sorted(decisions, key=lambda d: (d.number, d.path.name))
    supersedes, superseded_by = (
        ("Supercedes", "Superceded by")
        if layout == "adr-tools"
        else ("Supersedes", "Superseded by")
    )
    lines = ["digraph {", "  node [shape=plaintext];"]
    previous: int | None = None
    for d in ordered:
        url = dot_text(prefix + Path(d.path.name).stem + extension)
        lines.append(f'  _{d.number} [label="{dot_text(f"{d.number}. {d.title}")}"; URL="{url}"]')
        if previous is not None and previous != d.number:
            lines.append(f'  _{previous} -> _{d.number} [style="dotted"];')
        previous = d.number
        relations = [(supersedes, n) for n in d.supersedes]
        relations += [(superseded_by, n) for n in d.superseded_by]
        relations += [(link.rel, link.to) for link in d.links]
        for rel, target in relations:
            lines.append(f'  _{d.number} -> _{target} [label="{dot_text(rel)}"]')
    lines.append("}")
    return "\n".join(lines) + "\n"


def with_output(settings: Settings, output: Path | None) -> Settings:
    """Settings whose index is ``output``, so links resolve from where it is written."""
    return settings if output is None else replace(settings, index=output.resolve())
