"""The decision index: the context ``index.md.j2`` shows, its text, writing it, staleness.

Builds plain data from the records and hands it to the template; every piece of user
text is escaped for the place it lands in (GFM cell, link text), so a title can never
change the shape of the output. The graph lives in ``graph``, the digest in ``digest``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adr_tool import confine, wording
from adr_tool.config import Settings
from adr_tool.model import RETIRED, Axis, Decision, favour_badge
from adr_tool.publish.fingerprint import (
    digest,
    index_governance,
    inputs_fingerprint,
    is_current,
    parse_date,
    record_links,
    seen_current,
    strip_marker,
)
from adr_tool.publish.ownership import refuse_foreign
from adr_tool.publish.render import Renderer, md_cell, md_inline
from adr_tool.publish.terminal import undecoded_as_replacement
from adr_tool.records.store import Memo, Store, atomic_write

if TYPE_CHECKING:  # the render alone needs coverage and the graph
    from adr_tool.publish.coverage import Governance

MERMAID_MAX_CHARS = 40_000  # GitHub refuses Mermaid sources above about 50,000 characters


# The last line of a written index: what it was made from, and a hash of the rest of it.
# It lets `adr check` see that an index is current without rendering it (no jinja2).
def _link(settings: Settings, d: Decision) -> str:
    return record_links(settings, [d])[d.path]


def _badges(d: Decision, axes: dict[str, Axis], lang: str) -> list[str]:
    out = []
    for t in d.tradeoffs:
        axis = axes.get(t.axis)
        if lang != "en" and axis is not None and t.favours in axis.sides:
            out.append(f"{axis.side_label(t.favours)} > {axis.side_label(axis.other(t.favours))}")
        else:
            out.append(favour_badge(t))
    return out


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
    governed: Governance | None = None,
) -> dict[str, Any]:
    """Everything ``index.md.j2`` shows, escaped for GitHub-flavoured Markdown."""
    from adr_tool.publish.coverage import Governance, index_sections
    from adr_tool.publish.graph import chains, mermaid

    decisions = sorted(decisions, key=lambda d: (d.number, d.path.name))
    axes = {a.name: a for a in settings.localised_axes()}
    links = record_links(settings, decisions)
    refs = {d.path: record_ref(settings, d, links[d.path]) for d in decisions}
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
        due = parse_date(d.review_by) if d.review_by else None
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
        **index_sections(governed or Governance(), refs, by_number),
    }


def render_index(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    commit_counts: dict[int, int] | None = None,
    today: dt.date | None = None,
    governed: Governance | None = None,
    memo: Memo | None = None,
) -> str:
    """The index text: the same records, counts, day and tracked files always give the
    same bytes.

    Without ``today`` no review date is judged as passed. ``governed`` (coverage and
    tensions over the tracked files) is read from git when not given.
    """
    if governed is None:
        governed = index_governance(settings, lambda: decisions)
    context = index_context(settings, decisions, commit_counts, today, governed)
    text = renderer.render("index", context)
    text = undecoded_as_replacement(text)  # as atomic_write will write it
    inputs = inputs_fingerprint(
        settings, lambda: decisions, renderer, commit_counts, today, governed, memo
    )
    return f"{text}<!-- adr-index inputs={inputs} output={digest(text)} -->\n"


def _normalised(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def _read(path: Path, root: Path) -> str | None:
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
    if not force:
        refuse_foreign(settings)
    current = _read(settings.index, settings.root)
    on_disk = _normalised(current) if current is not None else None
    records = store.load_all
    if on_disk is not None and is_current(
        settings, records, renderer, on_disk, day, commit_counts, governed, store
    ):
        return False
    text = render_index(settings, records(), renderer, commit_counts, day, governed, store)
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
    if is_current(settings, store.load_all, renderer, on_disk, day, commit_counts, governed, store):
        return []  # written from these very inputs: no need to render it
    decisions = store.load_all()
    expected = render_index(settings, decisions, renderer, commit_counts, day, governed, store)
    current = strip_marker(on_disk)
    expected = strip_marker(expected)
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
