"""The decision index: the context ``index.md.j2`` shows, its text, writing it, staleness.

Builds plain data from the records and hands it to the template; every piece of user
text is escaped for the place it lands in (GFM cell, link text), so a title can never
change the shape of the output. The graph lives in ``graph``, the digest in ``digest``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adr_tool import confine, wording
from adr_tool.config import Settings
from adr_tool.model import IN_FORCE, RETIRED, Decision, TradeOff
from adr_tool.publish.fingerprint import (
    digest_of,
    index_governance,
    inputs_fingerprint,
    is_current,
    links_in_order,
    parse_date,
    record_links,
    rows_template,
    seen_current,
    without_marker_lines,
)
from adr_tool.publish.fragments import favour_badges, overview, shipped_context
from adr_tool.publish.lean import Placed, matrix
from adr_tool.publish.ownership import carries_mark, refusal, refuse_foreign
from adr_tool.publish.render import Escapes, Renderer, md_cell, md_inline
from adr_tool.publish.terminal import undecoded_as_replacement
from adr_tool.records.packed import gc_paused, getter
from adr_tool.records.store import Memo, Store, atomic_write

if TYPE_CHECKING:  # the render alone needs coverage and the graph
    from adr_tool.publish.coverage import Governance


# The last line of a written index: what it was made from, and a hash of the rest of it.
# It lets `adr check` see that an index is current without rendering it (no jinja2).
def _link(settings: Settings, d: Decision) -> str:
    return record_links(settings, [d])[d.path]


def record_ref(settings: Settings, d: Decision, link: str = "") -> dict[str, Any]:
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


_AXIS_AND_SIDE = operator.itemgetter(0, 1)  # of a TradeOff: (axis, favours)


class _Badges:
    """A record's favours column (:func:`_badges`, escaped for a cell), made once per
    distinct set of trade-offs: ``(cells, the cells as the column shows them)``."""

    def __init__(self, settings: Settings, escapes: Escapes) -> None:
        self.axes = {a.name: a for a in settings.localised_axes()}
        self.lang = settings.lang
        self.escapes = escapes
        self.known: dict[tuple[tuple[str, str], ...], tuple[list[str], str]] = {}

    def of(self, tradeoffs: Sequence[TradeOff]) -> tuple[list[str], str]:
        key = tuple(map(_AXIS_AND_SIDE, tradeoffs))  # (axis, favours) of each
        found = self.known.get(key)
        if found is None:
            cells = [self.escapes.cell(b) for b in favour_badges(tradeoffs, self.axes, self.lang)]
            shown = "`" + "`<br>`".join(cells) + "`" if cells else ""
            found = self.known[key] = (cells, shown)
        return found


_COMMITS = getter("number", "commits")
# what the records table and the sections under it read of each record, in one call
_SHOWN = getter("number", "ref", "status", "title", "date", "tradeoffs", "review_by")


def recorded_commit_counts(decisions: list[Decision]) -> dict[int, int]:
    """Commits each record lists in its own ``commits`` key.

    This is what a committed index shows by default: it depends only on the files, so
    the index does not go stale with every commit that carries a ``Decision:`` trailer
    (a commit cannot contain an index that already counts that very commit).
    """
    return {number: len(commits) for number, commits in map(_COMMITS, decisions)}


def _in_order(
    settings: Settings, decisions: list[Decision], links: Sequence[str] | None
) -> tuple[list[Decision], Sequence[str]]:
    """The records by number (then name), and their links."""
    numbers = [d.number for d in decisions]  # as the store loads them: in order already
    if numbers != sorted(set(numbers)):  # out of order, or a number taken twice
        decisions = sorted(decisions, key=lambda d: (d.number, d.path.name))
        links = None
    return decisions, links_in_order(settings, decisions) if links is None else links


def index_context(
    settings: Settings,
    decisions: list[Decision],
    commit_counts: dict[int, int] | None = None,
    today: dt.date | None = None,
    governed: Governance | None = None,
    links: Sequence[str] | None = None,
    *,
    whole_graph: bool = True,
) -> dict[str, Any]:
    """Everything an index template shows, escaped for GitHub-flavoured Markdown (a
    repository's own template; adr's gets :func:`fragments.shipped_context`).

    One pass over the records; each record field is read once, and each distinct
    status, date, badge and cost escaped once (:class:`Escapes`). ``links``: the
    records' links in the order given (:func:`links_in_order`), when the caller has them.
    Without ``whole_graph`` (for adr's own templates, which show no ``mermaid`` when
    ``mermaid_too_big``) a graph too big to show is cut short once it is known to be.
    """
    from adr_tool.publish.graph import MERMAID_MAX_CHARS

    decisions, links = _in_order(settings, decisions, links)
    if commit_counts is None:
        commit_counts = recorded_commit_counts(decisions)
    show_commits = any(n > 0 for n in commit_counts.values())
    escapes = Escapes()
    cell, inline, both = escapes.cell, escapes.inline, Escapes.both
    badges = _Badges(settings, escapes)
    refs: list[dict[str, Any]] = []
    ref_of: dict[int, dict[str, Any]] = {}  # by number: the last record with it wins
    on_axis: dict[str, list[Placed]] = {}  # the matrix's rows, gathered on the way
    per_status: dict[str, int] = {}
    due_dates: dict[str, dt.date | None] = {}  # review-by dates repeat: each parsed once
    records, unlinked, review, revisit = [], [], [], []
    for d, link in zip(decisions, links, strict=True):
        number, ref, status, title, date, tradeoffs, review_by = _SHOWN(d)
        in_force = status in IN_FORCE  # as Decision.in_force
        title, title_cell = both(title or "(no title)")
        row = {
            "number": number,
            "id": ref or f"{number:04d}",  # as record_id()
            "link": link,
            "title": title,
            "title_cell": title_cell,
            "status": cell(status or "-"),
            "in_force": in_force,
        }
        refs.append(row)
        ref_of[number] = row
        per_status[status] = per_status.get(status, 0) + 1
        favours, favours_cell = badges.of(tradeoffs)
        count = commit_counts.get(number, 0)
        records.append(
            {
                **row,
                "date": cell(date),
                "favours": list(favours),
                "favours_cell": favours_cell,
                "commits": count,
            }
        )
        if show_commits and in_force and not count:
            unlinked.append(row)
        for t in tradeoffs:
            placed = on_axis.get(t.axis)
            if placed is None:
                placed = on_axis[t.axis] = []
            placed.append((row, t))
        if status in RETIRED:
            continue
        if review_by:
            due = due_dates.get(review_by, dt.date.min)
            if due is dt.date.min:
                due = due_dates[review_by] = parse_date(review_by)
        else:
            due = None
        if today is not None and due is not None and due < today:
            review.append({**row, "review_by": inline(review_by)})
        conditions = [inline(t.revisit_when) for t in tradeoffs if t.revisit_when]
        if conditions:
            revisit.append({**row, "conditions": conditions})
    limit = None if whole_graph else MERMAID_MAX_CHARS
    by_path = lambda: dict(zip((d.path for d in decisions), refs, strict=True))  # noqa: E731
    summary = overview(settings, decisions, per_status, ref_of.get, by_path, limit)
    return {
        "records": records,
        "show_commits": show_commits,
        "unlinked": unlinked,
        "matrix": matrix(settings, on_axis, escapes),
        "review": review,
        "revisit": revisit,
        **summary(today, governed),
    }


def render_index(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    commit_counts: dict[int, int] | None = None,
    today: dt.date | None = None,
    governed: Governance | None = None,
    memo: Memo | None = None,
    *,
    inputs: str | None = None,
    links: Sequence[str] | None = None,
    rows: Path | None = None,
) -> str:
    """The index text: the same records, counts, day and tracked files always give the
    same bytes.

    Without ``today`` no review date is judged as passed. ``governed`` (coverage and
    tensions over the tracked files) is read from git when not given. ``inputs``: the
    fingerprint of these inputs (:func:`inputs_fingerprint`) when the caller has it,
    ``links`` the records' links (:func:`links_in_order`) likewise. ``rows``: where the
    shipped template's rows are kept between runs (:mod:`adr_tool.publish.fragments`).
    """
    if governed is None:
        governed = index_governance(settings, lambda: decisions)
    if links is None:  # for the context and the fingerprint
        links = links_in_order(settings, decisions)
    # The context is tens of thousands of acyclic dicts, all dropped when the render
    # returns: the cyclic GC would only rescan them as they pile up (a fifth of the time).
    with gc_paused():
        name = rows_template(renderer)
        if name is not None:  # adr's own index template: its rows joined, kept ones reused
            ordered, shown = _in_order(settings, decisions, links)
            counts = recorded_commit_counts(ordered) if commit_counts is None else commit_counts
            context = shipped_context(
                settings, renderer, name, ordered, shown, counts, today, governed, rows
            )
        else:  # a repository's template may show the graph even when too big: give it all
            context = index_context(
                settings, decisions, commit_counts, today, governed, links, whole_graph=True
            )
        text = renderer.render("index", context)
        del context
    try:  # a lone surrogate (a byte that was not UTF-8) fails this; the bytes are hashed
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        text = undecoded_as_replacement(text)  # as atomic_write will write it
        data = text.encode("utf-8")
    if inputs is None:
        inputs = inputs_fingerprint(
            settings, lambda: decisions, renderer, commit_counts, today, governed, memo, links
        )
    return f"{text}<!-- adr-index inputs={inputs} output={digest_of(data)} -->\n"


def rows_file(store: Store) -> Path | None:
    """Where the index rows of this folder are kept: beside its parse cache."""
    return store.cache.file.with_suffix(".rows") if store.cache is not None else None


def _normalised(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def _read(path: Path, root: Path, data: bytes | None = None) -> str | None:
    """The index on disk as text (newlines as Python's text mode reads them); ``data``
    is its bytes when :func:`refuse_foreign` has just read and checked them."""
    if data is not None:
        try:
            return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            return ""
    if path.is_symlink() or path.exists():
        confine.require(path, root, "index")
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
    force: bool = False,
) -> bool:
    """Write ``settings.index`` atomically; returns whether its content changed.

    A file at that place that ``adr index`` did not write (no marker line) is refused
    (exit 2, left untouched) unless ``force`` takes it over.

    An index whose fingerprint says it was written from these very inputs is left alone
    without rendering it (rendering is deterministic, so it would come out the same).
    """
    day = today or dt.date.today()
    governed = index_governance(settings, store.load_all)
    if seen_current(settings, store, renderer, day, commit_counts, governed):
        return False  # the very file an earlier run found current: not even read
    data = None if force else refuse_foreign(settings)  # what it read, it checked
    current = _read(settings.index, settings.root, data)
    on_disk = None if current is None else _normalised(current)
    records = store.load_all
    # needed either way: to judge the file on disk, or for the marker of the new text
    found: list[Sequence[str]] = []  # the links, if the fingerprint worked them out
    inputs = inputs_fingerprint(
        settings, records, renderer, commit_counts, day, governed, store, on_links=found.append
    )
    if on_disk is not None and is_current(
        settings, records, renderer, on_disk, day, commit_counts, governed, store, inputs
    ):
        return False
    text = render_index(
        settings,
        records(),
        renderer,
        commit_counts,
        day,
        governed,
        store,
        inputs=inputs,
        links=found[0] if found else None,
        rows=rows_file(store),
    )
    if on_disk == text:
        return False
    atomic_write(settings.index, text)
    return True


def refresh(settings: Settings, store: Store, renderer: Renderer, *, today: dt.date) -> bool:
    """After a change to the folder: rewrite the index if the repository keeps one (it
    exists) and ``index.auto`` is on, so the next commit's ``adr index --check`` passes."""
    if not settings.index_auto or not settings.index.is_file():
        return False
    return write_index(settings, store, renderer, today=today)


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
    day = today or dt.date.today()
    governed = index_governance(settings, store.load_all)
    if seen_current(settings, store, renderer, day, commit_counts, governed):
        return []
    on_disk = _normalised(_read(settings.index, settings.root) or "")
    if settings.index.is_file() and not carries_mark(on_disk):
        raise refusal(settings)  # what `adr index` would say: not a file adr keeps
    records = store.load_all
    found: list[Sequence[str]] = []  # the links, if the fingerprint worked them out
    inputs = inputs_fingerprint(
        settings, records, renderer, commit_counts, day, governed, store, on_links=found.append
    )
    if is_current(
        settings, records, renderer, on_disk, day, commit_counts, governed, store, inputs
    ):
        return []  # written from these very inputs: no need to render it
    expected = render_index(
        settings,
        records(),
        renderer,
        commit_counts,
        day,
        governed,
        store,
        inputs=inputs,
        links=found[0] if found else None,
        rows=rows_file(store),
    )
    current = without_marker_lines(on_disk)
    expected = without_marker_lines(expected)
    if current == expected:
        return []
    name = label or settings.relative(settings.index)

    def say(key: str, **values: str) -> str:
        return wording.say(key, wording.pack(**values), settings.lang)

    diff = list(
        difflib.unified_diff(
            current.splitlines(),
            expected.splitlines(),
            say("diff-on-disk", name=name),
            say("diff-expected", name=name),
            n=1,
            lineterm="",
        )
    )
    added = sum(1 for line in diff[2:] if line.startswith("+"))
    removed = sum(1 for line in diff[2:] if line.startswith("-"))
    if len(diff) > max_lines:
        diff = [*diff[:max_lines], say("diff-more", count=str(len(diff) - max_lines))]
    return [*diff, say("diff-count", added=str(added), removed=str(removed))]


def with_output(settings: Settings, output: Path | None) -> Settings:
    """Settings whose index is ``output``, so links resolve from where it is written."""
    return settings if output is None else replace(settings, index=output.resolve())
