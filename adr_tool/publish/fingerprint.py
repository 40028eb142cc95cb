"""The index's fingerprint: the last line of a written index says what it was made from
(a hash of every input) and a hash of the text above it, so ``adr check`` and ``adr index``
can tell a current index from a stale one without rendering it (no jinja2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from adr_tool.config import Settings
from adr_tool.model import Decision
from adr_tool.publish.render import Renderer, url_path
from adr_tool.records.store import Memo
from adr_tool.stamp import code_stamp

if TYPE_CHECKING:  # coverage is imported only when the index shows it
    from adr_tool.publish.coverage import Governance

_MARKER = re.compile(r"\n<!-- adr-index inputs=([0-9a-f]{32}) output=([0-9a-f]{32}) -->\n?\Z")
_MARKER_HEAD = "\n<!-- adr-index inputs="


def record_links(settings: Settings, decisions: list[Decision]) -> dict[Path, str]:
    """Each record's link relative to the index's folder (one relpath per folder)."""
    folders: dict[str, str] = {}
    out = {}
    for d in decisions:
        parent, _, name = str(d.path).rpartition(os.sep)  # Path.parent makes a new Path
        if parent not in folders:
            rel = os.path.relpath(parent or os.sep, settings.index.parent).replace(os.sep, "/")
            folders[parent] = "" if rel == "." else rel + "/"
        out[d.path] = url_path(folders[parent] + name)
    return out


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def inputs_fingerprint(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    commit_counts: dict[int, int] | None,
    today: dt.date | None,
    governed: Governance | None = None,
    memo: Memo | None = None,
) -> str:
    """A hash of everything the index text depends on: records, settings, template, code.

    Cheap (no rendering, no jinja2), so ``adr check`` can tell a current index from a
    stale one on every commit. It must cover every input of :func:`index_context`.
    With ``memo`` (the store the records were loaded from, unfiltered) the hash over the
    records is kept until a record changes, under a key of every other input.
    """
    template = renderer.source_path("index")
    rest = (
        governed.key() if governed is not None else None,
        sorted((commit_counts or {}).items()),
        settings.lang,
        settings.statuses,
        [(a.name, a.sides, a.title, a.side_labels) for a in settings.localised_axes()],
        settings.relative(settings.index),
        settings.relative(settings.directory),
        digest(template.read_text(encoding="utf-8")) if template else "",
        code_stamp(),
    )
    key = "index:" + digest(repr((rest, today.isoformat() if today else "")))
    known = memo.recall(key) if memo is not None else None
    if known is not None:
        return known
    due = [
        d.number
        for d in decisions
        if today is not None and d.review_by and (parse_date(d.review_by) or today) < today
    ]
    links = record_links(settings, decisions)
    records = sorted(
        (
            d.number,
            d.id,
            d.title,
            d.status,
            d.date,
            links[d.path],
            d.format,
            tuple((t.axis, t.favours, t.cost, t.revisit_when) for t in d.tradeoffs),
            d.supersedes,
            d.superseded_by,
            tuple((link.rel, link.to) for link in d.links),
            d.commits,
            d.review_by,
            d.scope,
        )
        for d in decisions
    )
    # repr of tuples of str and int is deterministic, and far cheaper than JSON here
    found = digest(repr((rest, records, sorted(due))))
    if memo is not None:
        memo.remember(key, found)
    return found


def strip_marker(text: str) -> str:
    """The index text without its fingerprint line (what readers and diffs care about)."""
    start = _marker_start(text)
    return text if start < 0 else text[:start] + "\n"


def _marker_start(text: str) -> int:
    """Where the fingerprint line starts (its newline), or -1: only the last line is
    looked at, so a 3 MB index is not scanned from the top."""
    start = text.rfind(_MARKER_HEAD)
    return start if start >= 0 and _MARKER.match(text, start) else -1


def is_current(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    on_disk: str,
    today: dt.date | None,
    commit_counts: dict[int, int] | None = None,
    governed: Governance | None = None,
    memo: Memo | None = None,
) -> bool:
    """True when ``on_disk`` was written from exactly these inputs and not edited since.

    False means "render and compare", never "stale" on its own. ``governed`` (coverage
    and tensions) is read from git when not given.
    """
    start = _marker_start(on_disk)
    match = _MARKER.match(on_disk, start) if start >= 0 else None
    if match is None:
        return False
    body = on_disk[: match.start()] + "\n"
    if digest(body) != match.group(2):
        return False
    if governed is None:
        governed = index_governance(settings, decisions)
    found = inputs_fingerprint(settings, decisions, renderer, commit_counts, today, governed, memo)
    return match.group(1) == found


def index_governance(settings: Settings, decisions: Sequence[Decision]) -> Governance | None:
    """Coverage and tensions for the index, when ``index.coverage`` asks for them (None
    when it does not: the index has no such sections).

    Off by default: they are computed over the tracked files, so with them on, adding a
    file under a scope makes a committed index stale (decision 0046).
    """
    if not settings.index_coverage:
        return None
    from adr_tool.publish.coverage import governance

    return governance(settings, decisions)
