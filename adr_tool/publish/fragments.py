"""The index's long lists from kept rows (decision 0062), for adr's shipped index template.

Each record's rows (its line of the records table, of the commit-less list, of each
matrix block, of the review and revisit lists) are rendered by the ``index-rows``
macros the shipped template imports, and kept in a file beside the parse cache under
every record field they show, the record's link and commit count. A later render joins
the kept rows instead of running the template's loops over 10,000 records; a record
whose fields changed is a new key, rendered afresh. The file is named by the macros'
source, the code stamp, the language and the axes: anything else makes it a stranger,
read as empty. A repository's own index template gets the full context instead
(:func:`adr_tool.publish.index.index_context`).
"""

from __future__ import annotations

import datetime as dt
import marshal
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adr_tool.config import Settings
from adr_tool.model import IN_FORCE, RETIRED, Axis, Decision, TradeOff, favour_badge
from adr_tool.publish.fingerprint import digest, parse_date
from adr_tool.publish.lean import axis_block, matrix_axes
from adr_tool.publish.render import Escapes, Renderer, md_cell
from adr_tool.records.cachefile import read_regular, write_atomic
from adr_tool.records.packed import getter
from adr_tool.stamp import code_stamp

if TYPE_CHECKING:
    from adr_tool.publish.coverage import Governance

FORMAT = 1
MAGIC = b"ADRR"
HEAD = 8  # the magic word and a CRC32 of the rest
MERMAID_MAX_CHARS = 40_000  # as the index: GitHub refuses bigger Mermaid sources
MAX_BYTES = 128 * 1024 * 1024  # 10,000 records keep about 8 MB

# a record's rows: table, commit-less list, one per trade-off (matrix), review, revisit
Rows = tuple[str, str, tuple[str, ...], str, str]
Kept = dict[tuple[Any, ...], Rows]

# every field a record's rows show, read in one call
_SHOWN = getter("number", "ref", "status", "title", "date", "tradeoffs", "review_by")


def _stamp(settings: Settings, renderer: Renderer, name: str) -> bytes:
    """What every kept row depends on besides its own record."""
    path = renderer.exact_path(name)
    source = path.read_text(encoding="utf-8") if path is not None else ""
    axes = [(a.name, a.sides, a.title, a.side_labels) for a in settings.localised_axes()]
    return repr((FORMAT, code_stamp(), name, digest(source), settings.lang, axes)).encode()


def load(file: Path | None, stamp: bytes) -> Kept:
    """The rows kept in ``file`` under ``stamp``; none for a missing, foreign or damaged
    file (it is data beside the cache, never trusted to be well formed)."""
    raw = read_regular(file, MAX_BYTES) if file is not None else None
    payload = memoryview(raw or b"")[HEAD:]
    if not raw or raw[:4] != MAGIC or int.from_bytes(raw[4:HEAD], "big") != zlib.crc32(payload):
        return {}
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return {}
    if type(data) is not tuple or len(data) != 2 or data[0] != stamp or type(data[1]) is not dict:
        return {}
    kept: Kept = data[1]
    return kept


def save(file: Path, stamp: bytes, kept: Kept) -> None:
    """Keep these rows (best effort: a file that cannot be written is rendered again)."""
    try:
        payload = marshal.dumps((stamp, kept))
    except ValueError:  # pragma: no cover - a value marshal cannot write (none is)
        return
    if len(payload) + HEAD <= MAX_BYTES:
        write_atomic(file, MAGIC, zlib.crc32(payload).to_bytes(4, "big"), payload)


def favour_badges(tradeoffs: Sequence[TradeOff], axes: dict[str, Axis], lang: str) -> list[str]:
    """A record's favours column: ``development-speed > performance`` per trade-off, in
    the language's side labels on a configured axis."""
    out = []
    for t in tradeoffs:
        axis = axes.get(t.axis)
        if lang != "en" and axis is not None and t.favours in axis.sides:
            out.append(f"{axis.side_label(t.favours)} > {axis.side_label(axis.other(t.favours))}")
        else:
            out.append(favour_badge(t))
    return out


class _Macros:
    """The ``index-rows`` macros, and each record's rows rendered by them."""

    def __init__(self, settings: Settings, renderer: Renderer, name: str, show: bool) -> None:
        self.module = renderer.env.get_template(name).module
        self.show_commits = show
        self.escapes = Escapes()
        self.axes: dict[str, Axis | None] = {}  # by name; None: not shown in the matrix
        for axis in matrix_axes(settings, ()):
            self.axes[axis.name] = axis
        self.settings = settings
        self.configured = {a.name: a for a in settings.localised_axes()}
        self.lang = settings.lang

    def axis(self, name: str) -> Axis | None:
        if name not in self.axes:
            shown = matrix_axes(self.settings, (name,))
            self.axes[name] = shown[-1] if shown[-1].name == name else None
        return self.axes[name]

    def render(self, d: Decision, link: str, count: int) -> Rows:
        """A record's rows, from the values :func:`adr_tool.publish.index.index_context`
        gives the same record."""
        number, ref, status, title, date, tradeoffs, review_by = _SHOWN(d)
        cell, inline, module = self.escapes.cell, self.escapes.inline, self.module
        title, title_cell = Escapes.both(title or "(no title)")
        in_force = status in IN_FORCE
        row = {
            "number": number,
            "id": ref or f"{number:04d}",
            "link": link,
            "title": title,
            "title_cell": title_cell,
            "status": cell(status or "-"),
            "in_force": in_force,
        }
        badges = [cell(b) for b in favour_badges(tradeoffs, self.configured, self.lang)]
        on_axes = []
        for t in tradeoffs:
            axis = self.axis(t.axis)
            if axis is None:
                on_axes.append("")
                continue
            placed = {
                **row,
                "favours": cell(axis.side_label(t.favours)),
                "cost": cell(t.cost),
                "revisit_when": cell(t.revisit_when),
            }
            on_axes.append(str(module.matrix_row(placed)))
        favours = "`" + "`<br>`".join(badges) + "`" if badges else ""
        listed = {**row, "date": cell(date), "favours_cell": favours, "commits": count}
        conditions = [inline(t.revisit_when) for t in tradeoffs if t.revisit_when]
        return (
            str(module.record(listed, self.show_commits)),
            str(module.unlinked(row)) if in_force and not count else "",
            tuple(on_axes),
            str(module.review({**row, "review_by": inline(review_by)})) if review_by else "",
            str(module.revisit({**row, "conditions": conditions})) if conditions else "",
        )


def shipped_context(
    settings: Settings,
    renderer: Renderer,
    name: str,
    decisions: Sequence[Decision],
    links: Sequence[str],
    commit_counts: dict[int, int],
    today: dt.date | None,
    governed: Governance | None,
    file: Path | None,
) -> dict[str, Any]:
    """What the shipped index template (``name``: the rows template it imports) shows:
    its long lists as joined rows, kept ones where a record's fields are as they were.
    ``decisions`` in number order, ``links`` theirs; ``file``: where rows are kept."""
    from adr_tool.publish.coverage import Governance, index_sections
    from adr_tool.publish.graph import chains, edges, mermaid

    stamp = _stamp(settings, renderer, name)
    kept = load(file, stamp)
    show = any(n > 0 for n in commit_counts.values())
    args = (settings, renderer, name, decisions, links, commit_counts, today)
    try:
        lists, used = _joined(*args, kept, show)
    except (TypeError, ValueError):  # a kept entry of another shape: render every record
        lists, used = _joined(*args, {}, show)
    if file is not None and used is not kept:
        save(file, stamp, used)
    escapes = Escapes()
    per_status, at = lists.pop("per_status"), lists.pop("at")
    statuses = [*settings.statuses, *sorted(set(per_status) - set(settings.statuses))]
    graph_edges = edges(list(decisions))
    chain_rows = [
        [_ref(escapes, decisions[at[n]], links[at[n]]) for n in path if n in at]
        for path in chains(list(decisions), graph_edges)
    ]
    graph_text = mermaid(
        list(decisions), connected_only=True, links=graph_edges, limit=MERMAID_MAX_CHARS
    )
    governed = governed or Governance()
    by_path, by_number = {}, {}
    if governed.tensions:  # the one section that points at records by path
        by_path = {d.path: _ref(escapes, d, link) for d, link in zip(decisions, links, strict=True)}
        by_number = {d.number: d for d in decisions}
    return {
        **lists,
        "total": len(decisions),
        "counts": [
            {"status": md_cell(s or "-"), "count": per_status[s]}
            for s in statuses
            if per_status.get(s)
        ],
        "chains": [c for c in chain_rows if len(c) > 1],
        "mermaid": graph_text if graph_text.count("\n") > 1 else "",
        "mermaid_too_big": len(graph_text) > MERMAID_MAX_CHARS,
        "today": today.isoformat() if today else "",
        **index_sections(governed, by_path, by_number),
    }


def _ref(escapes: Escapes, d: Decision, link: str) -> dict[str, Any]:
    """What a chain or a tension shows of a record (as ``index_context`` gives it)."""
    number, ref, status, title = _SHOWN(d)[:4]
    title, title_cell = Escapes.both(title or "(no title)")
    return {
        "number": number,
        "id": ref or f"{number:04d}",
        "link": link,
        "title": title,
        "title_cell": title_cell,
        "status": escapes.cell(status or "-"),
        "in_force": status in IN_FORCE,
    }


def _joined(
    settings: Settings,
    renderer: Renderer,
    name: str,
    decisions: Sequence[Decision],
    links: Sequence[str],
    commit_counts: dict[int, int],
    today: dt.date | None,
    kept: Kept,
    show_commits: bool,
) -> tuple[dict[str, Any], Kept]:
    """The context, and the rows to keep (``kept`` itself when nothing changed)."""
    macros: _Macros | None = None  # made for the first record whose rows are not kept
    used: Kept = {}
    fresh = 0
    records: list[str] = []
    unlinked: list[str] = []
    review: list[str] = []
    revisit: list[str] = []
    per_status: dict[str, int] = {}
    due_dates: dict[str, dt.date | None] = {}
    shown: dict[str, Axis | None] = {a.name: a for a in matrix_axes(settings, ())}
    buckets: dict[str, list[list[str]]] = {}  # by axis: its six buckets (see lean.matrix)
    sides: dict[tuple[str, str], int] = {}  # (axis, favours) → bucket in force; -1: not shown
    at: dict[int, int] = {}  # by number: where the last record with it is
    for index, (d, link) in enumerate(zip(decisions, links, strict=True)):
        number, ref, status, title, date, tradeoffs, review_by = _SHOWN(d)
        count = commit_counts.get(number, 0)
        plain = tuple(map(tuple, tradeoffs))  # marshal keeps no NamedTuple
        key = (number, ref, status, title, date, plain, review_by, link, count, show_commits)
        rows = kept.get(key)
        if rows is None:
            if macros is None:
                macros = _Macros(settings, renderer, name, show_commits)
            rows = macros.render(d, link, count)
            fresh += 1
        used[key] = rows
        table, commitless, on_axes, due_line, revisit_line = rows
        records.append(table)
        at[number] = index
        per_status[status] = per_status.get(status, 0) + 1
        in_force = status in IN_FORCE
        if show_commits and in_force and not count:
            unlinked.append(commitless)
        for t, text in zip(tradeoffs, on_axes, strict=True):
            side = sides.get((t.axis, t.favours))
            if side is None:
                side = sides[t.axis, t.favours] = _side(settings, shown, t.axis, t.favours)
            if side >= 0:
                placed = buckets.get(t.axis)
                if placed is None:
                    placed = buckets[t.axis] = [[], [], [], [], [], []]
                placed[side if in_force else 3 + side].append(text)
        if status in RETIRED:
            continue
        if review_by and today is not None:
            due = due_dates.get(review_by, dt.date.min)
            if due is dt.date.min:
                due = due_dates[review_by] = parse_date(review_by)
            if due is not None and due < today:
                review.append(due_line)
        if revisit_line:
            revisit.append(revisit_line)
    if not fresh and len(used) == len(kept):
        used = kept
    "".join(records)  # a kept row that is not text fails here, before anything is shown
    return {
        "records": records,
        "record_rows": "".join(records),
        "unlinked": unlinked,
        "unlinked_rows": "".join(unlinked),
        "review": review,
        "review_rows": "".join(review),
        "revisit": revisit,
        "revisit_rows": "".join(revisit),
        "show_commits": show_commits,
        "per_status": per_status,
        "matrix": _matrix(settings, buckets),
        "at": at,
    }, used


def _side(settings: Settings, shown: dict[str, Axis | None], axis: str, favours: str) -> int:
    """The bucket of a trade-off in force on this axis: 0 or 1 for a side, 2 for
    neither; -1 when the matrix shows no block for the axis."""
    if axis not in shown:
        found = matrix_axes(settings, (axis,))[-1]
        shown[axis] = found if found.name == axis else None
    block = shown[axis]
    if block is None:
        return -1
    return block.sides.index(favours) if favours in block.sides else 2


def _matrix(settings: Settings, buckets: dict[str, list[list[str]]]) -> list[dict[str, Any]]:
    """The matrix's blocks, in the order :func:`adr_tool.publish.lean.matrix` gives."""
    blocks = []
    for axis in matrix_axes(settings, buckets):
        block = axis_block(axis, buckets.get(axis.name, [[], [], [], [], [], []]))
        block["rows_text"] = "".join(block["rows"])
        blocks.append(block)
    return blocks
