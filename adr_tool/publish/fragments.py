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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adr_tool.config import Settings
from adr_tool.confine import read_regular
from adr_tool.model import IN_FORCE, RETIRED, Axis, Decision, TradeOff, favour_badge
from adr_tool.publish.fingerprint import digest, parse_date
from adr_tool.publish.lean import axis_block, matrix_axes
from adr_tool.publish.render import Escapes, Renderer, md_cell
from adr_tool.records.cachefile import write_atomic
from adr_tool.records.packed import getter
from adr_tool.stamp import code_stamp

if TYPE_CHECKING:
    from adr_tool.publish.coverage import Governance

FORMAT = 1
MAGIC = b"ADRR"
HEAD = 8  # the magic word and a CRC32 of the rest
MAX_BYTES = 128 * 1024 * 1024  # 10,000 records keep about 8 MB

# a record's rows: its line of the records table, of the commit-less list, of the review
# and of the revisit lists, then for each of its matrix rows the row's slot (its bucket,
# 0-5 as in ``lean.matrix``, then its axis: ``"0performance-vs-development-speed"``)
# and the row itself
Rows = tuple[str, ...]
Key = tuple[Any, ...]
# the keys and the rows of the last render, in its order: a record that kept its place
# is compared with its old key, no key is hashed
Kept = tuple[list[Key], list[Rows]]
NONE_KEPT: Kept = ([], [])

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
        return NONE_KEPT
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return NONE_KEPT
    if (
        type(data) is not tuple
        or len(data) != 3
        or data[0] != stamp
        or type(data[1]) is not list
        or type(data[2]) is not list
        or len(data[1]) != len(data[2])
    ):
        return NONE_KEPT
    return data[1], data[2]


def save(file: Path, stamp: bytes, keys: list[Key], rows: list[Rows]) -> None:
    """Keep these rows (best effort: a file that cannot be written is rendered again)."""
    # marshal writes no NamedTuple: each key's trade-offs as plain tuples (equal to them)
    plain = [(*k[:5], tuple(map(tuple, k[5])), *k[6:]) for k in keys]
    try:
        payload = marshal.dumps((stamp, plain, rows))
    except ValueError:  # pragma: no cover - a value marshal cannot write (none is)
        return
    if len(payload) + HEAD <= MAX_BYTES:
        write_atomic(file, MAGIC, zlib.crc32(payload).to_bytes(4, "big"), payload)


def favour_badges(tradeoffs: Sequence[TradeOff], axes: dict[str, Axis], lang: str) -> list[str]:
    """A record's favours column: ``development-speed > performance`` per trade-off, the
    other side taken from the configured axis (``axes``, by name), in the language's side
    labels there; an axis not configured is read from its name (:func:`favour_badge`)."""
    out = []
    for t in tradeoffs:
        axis = axes.get(t.axis)
        if lang != "en" and axis is not None and t.favours in axis.sides:
            out.append(f"{axis.side_label(t.favours)} > {axis.side_label(axis.other(t.favours))}")
        else:
            out.append(favour_badge(t, axes))
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
        placed: list[str] = []
        for t in tradeoffs:
            axis = self.axis(t.axis)
            if axis is None:
                continue
            side = axis.sides.index(t.favours) if t.favours in axis.sides else 2
            values = {
                **row,
                "favours": cell(axis.side_label(t.favours)),
                "cost": cell(t.cost),
                "revisit_when": cell(t.revisit_when),
            }
            placed += (f"{side if in_force else 3 + side}{t.axis}", str(module.matrix_row(values)))
        favours = "`" + "`<br>`".join(badges) + "`" if badges else ""
        listed = {**row, "date": cell(date), "favours_cell": favours, "commits": count}
        conditions = [inline(t.revisit_when) for t in tradeoffs if t.revisit_when]
        return (
            str(module.record(listed, self.show_commits)),
            str(module.unlinked(row)) if in_force and not count else "",
            str(module.review({**row, "review_by": inline(review_by)})) if review_by else "",
            str(module.revisit({**row, "conditions": conditions})) if conditions else "",
            *placed,
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
    from adr_tool.publish.graph import MERMAID_MAX_CHARS

    stamp = _stamp(settings, renderer, name)
    kept = load(file, stamp)
    show = any(n > 0 for n in commit_counts.values())
    args = (settings, renderer, name, decisions, links, commit_counts, today)
    with renderer.errors(name):  # a repository's rows template fails in one line
        try:
            lists, used = _joined(*args, kept, show)
        except (TypeError, ValueError, IndexError):  # a kept entry of another shape
            lists, used = _joined(*args, NONE_KEPT, show)
    if file is not None and used is not None:
        save(file, stamp, *used)
    escapes = Escapes()
    per_status, at = lists.pop("per_status"), lists.pop("at")

    def ref(number: int) -> dict[str, Any] | None:
        i = at.get(number)
        return None if i is None else _ref(escapes, decisions[i], links[i])

    def by_path() -> dict[Path, dict[str, Any]]:
        return {d.path: _ref(escapes, d, link) for d, link in zip(decisions, links, strict=True)}

    summary = overview(settings, decisions, per_status, ref, by_path, MERMAID_MAX_CHARS)
    return {**lists, **summary(today, governed)}


def overview(
    settings: Settings,
    decisions: Sequence[Decision],
    per_status: dict[str, int],
    ref: Callable[[int], dict[str, Any] | None],
    by_path: Callable[[], dict[Path, dict[str, Any]]],
    limit: int | None,
) -> Callable[[dt.date | None, Governance | None], dict[str, Any]]:
    """The part of an index context both ways of making it share: the counts by status
    (the configured statuses first), the chains and graph (each record as ``ref`` shows
    it, the graph stopped near ``limit`` characters), the day, and the Coverage and
    Tensions sections (``by_path``: each record by its path, asked for only when there
    are tensions). Returned as a function of the day and the governance."""
    from adr_tool.publish.coverage import Governance, index_sections
    from adr_tool.publish.graph import index_graph

    statuses = [*settings.statuses, *sorted(set(per_status) - set(settings.statuses))]

    def finish(today: dt.date | None, governed: Governance | None) -> dict[str, Any]:
        governed = governed or Governance()
        paths, by_number = {}, {}
        if governed.tensions:  # the one section that points at records by path
            paths, by_number = by_path(), {d.number: d for d in decisions}
        return {
            "total": len(decisions),
            "counts": [
                {"status": md_cell(s or "-"), "count": per_status[s]}
                for s in statuses
                if per_status.get(s)
            ],
            **index_graph(list(decisions), ref, limit),
            "today": today.isoformat() if today else "",
            **index_sections(governed, paths, by_number),
        }

    return finish


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
) -> tuple[dict[str, Any], Kept | None]:
    """The context, and the rows to keep (None when they are those kept)."""
    macros: _Macros | None = None  # made for the first record whose rows are not kept
    keys: list[Key] = []
    used: list[Rows] = []
    kept_keys, kept_rows = kept
    old = len(kept_keys)
    moved: dict[Key, Rows] | None = None  # the kept rows by key, once a record moved
    fresh = 0
    records: list[str] = []
    unlinked: list[str] = []
    review: list[str] = []
    revisit: list[str] = []
    statuses: list[str] = []
    due_dates: dict[str, dt.date | None] = {}
    slots: defaultdict[str, list[str]] = defaultdict(list)  # the matrix's rows by slot
    at: dict[int, int] = {}  # by number: where the last record with it is
    for index, (d, link) in enumerate(zip(decisions, links, strict=True)):
        number, ref, status, title, date, tradeoffs, review_by = _SHOWN(d)
        count = commit_counts.get(number, 0)
        key = (number, ref, status, title, date, tradeoffs, review_by, link, count, show_commits)
        rows: Rows | None
        if index < old and kept_keys[index] == key:
            rows = kept_rows[index]
        else:
            if moved is None:
                moved = dict(zip(kept_keys, kept_rows, strict=True))
            rows = moved.get(key)
        if rows is None:
            if macros is None:
                macros = _Macros(settings, renderer, name, show_commits)
            rows = macros.render(d, link, count)
            fresh += 1
        keys.append(key)
        used.append(rows)
        records.append(rows[0])
        at[number] = index
        statuses.append(status)
        if show_commits and not count and status in IN_FORCE:
            unlinked.append(rows[1])
        for slot in range(4, len(rows), 2):
            slots[rows[slot]].append(rows[slot + 1])
        if review_by and today is not None and status not in RETIRED:
            due = due_dates.get(review_by, dt.date.min)
            if due is dt.date.min:
                due = due_dates[review_by] = parse_date(review_by)
            if due is not None and due < today:
                review.append(rows[2])
        if rows[3] and status not in RETIRED:
            revisit.append(rows[3])
    joined = "".join(records)  # a kept row that is not text fails here, before it is shown
    return {
        "records": records,
        "record_rows": joined,
        "unlinked": unlinked,
        "unlinked_rows": "".join(unlinked),
        "review": review,
        "review_rows": "".join(review),
        "revisit": revisit,
        "revisit_rows": "".join(revisit),
        "show_commits": show_commits,
        "per_status": Counter(statuses),
        "matrix": _matrix(settings, slots),
        "at": at,
    }, None if moved is None and old == len(keys) else (keys, used)


def _matrix(settings: Settings, slots: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The matrix's blocks, in the order :func:`adr_tool.publish.lean.matrix` gives."""
    blocks = []
    for axis in matrix_axes(settings, {slot[1:] for slot in slots}):
        buckets = [slots.get(f"{bucket}{axis.name}", []) for bucket in range(6)]
        block = axis_block(axis, buckets)
        block["rows_text"] = "".join(block["rows"])
        blocks.append(block)
    return blocks
