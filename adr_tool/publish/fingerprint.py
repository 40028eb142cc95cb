"""The index's fingerprint: the last line of a written index says what it was made from
(a hash of every input) and a hash of the text above it, so ``adr check`` and ``adr index``
can tell a current index from a stale one without rendering it (no jinja2).
"""

from __future__ import annotations

import datetime as dt
import marshal
import operator
import os
import re
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from adr_tool import confine, hashes
from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.model import Decision
from adr_tool.publish.render import Renderer, shipped_templates, url_path
from adr_tool.records.packed import getter
from adr_tool.records.store import Memo, Store
from adr_tool.stamp import code_stamp

if TYPE_CHECKING:  # coverage is imported only when the index shows it
    from adr_tool.publish.coverage import Governance

_MARKER = re.compile(r"\n<!-- adr-index inputs=([0-9a-f]{32}) output=([0-9a-f]{32}) -->\n?\Z")
_MARKER_HEAD = "\n<!-- adr-index inputs="
_MARKER_LINE = re.compile(r"<!-- adr-index inputs=[0-9a-f]{32} output=[0-9a-f]{32} -->")

# the records, loaded when first called: a remembered fingerprint needs none of them
Records = Callable[[], Sequence[Decision]]
RACY_NS = 2_000_000_000  # an index written this recently is judged by its text


def index_day() -> dt.date:
    """The day an index is written for (it lists the reviews already due): ``ADR_DATE``
    when set, as for the dates ``adr new`` writes, else today. ``adr index``, the refresh
    after a change (command line or assistant) and ``adr check``'s stale-index rule all
    use it, so they agree."""
    value = os.environ.get("ADR_DATE")
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"ADR_DATE: {value!r} is not a date in YYYY-MM-DD form") from None


def record_links(settings: Settings, decisions: Sequence[Decision]) -> dict[Path, str]:
    """Each record's link relative to the index's folder, by path."""
    return dict(zip([d.path for d in decisions], links_in_order(settings, decisions), strict=True))


def links_in_order(settings: Settings, decisions: Sequence[Decision]) -> list[str]:
    """Each record's link relative to the index's folder, in the order of ``decisions``
    (one relpath and one percent-encoding per folder; no Path is hashed)."""
    folders: dict[str, str] = {}
    out = []
    for d in decisions:
        parent, _, name = str(d.path).rpartition(os.sep)  # Path.parent makes a new Path
        prefix = folders.get(parent)
        if prefix is None:
            rel = os.path.relpath(parent or os.sep, settings.index.parent).replace(os.sep, "/")
            prefix = folders[parent] = "" if rel == "." else url_path(rel + "/")
        out.append(prefix + url_path(name))  # url_path works character by character
    return out


# what the index shows of each record (and so its fingerprint covers), in one call
_FINGERPRINTED = getter(
    "number", "ref", "title", "status", "date", "format", "tradeoffs", "supersedes",
    "superseded_by", "links", "commits", "review_by", "scope",
)  # fmt: skip
_TRADEOFF = operator.attrgetter("axis", "favours", "cost", "revisit_when")
_LINK = operator.attrgetter("rel", "to")


def rows_template(renderer: Renderer, index: Path | None = None) -> str | None:
    """The name of the rows template the index imports when the index template
    (``index``, else the one found) is one adr ships: ``index.ko.md.j2`` imports
    ``index-rows.ko.md.j2``. None for a repository's own index template."""
    index = index or renderer.source_path("index")
    if index is None or index.parent != shipped_templates():
        return None
    return "index-rows" + index.name[len("index") :]


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def digest(text: str) -> str:
    return digest_of(text.encode("utf-8", "surrogatepass"))


def digest_of(data: bytes) -> str:
    """:func:`digest` of the text these UTF-8 bytes encode."""
    return hashes.sha256_hex(data)[:32]


def inputs_fingerprint(
    settings: Settings,
    records: Records,
    renderer: Renderer,
    commit_counts: dict[int, int] | None,
    today: dt.date | None,
    governed: Governance | None = None,
    memo: Memo | None = None,
    links: Sequence[str] | None = None,
    *,
    on_links: Callable[[Sequence[str]], None] | None = None,
) -> str:
    """A hash of everything the index text depends on: records, settings, template, code.

    Cheap (no rendering, no jinja2), so ``adr check`` can tell a current index from a
    stale one on every commit. It must cover every input of :func:`index_context`.
    With ``memo`` (the store the records come from, unfiltered) the hash over the
    records is kept until a record changes, under a key of every other input; the
    records are loaded (``records()``) only when it is not. ``links``: the records'
    links (:func:`links_in_order`) when the caller has them; ``on_links`` is given those
    it works out itself (the caller that renders next need not work them out again).
    """
    template = renderer.source_path("index")
    rows_name = rows_template(renderer, template)
    imported = renderer.exact_path(rows_name) if rows_name else None  # what the index imports
    rest = (
        governed.key() if governed is not None else None,
        sorted((commit_counts or {}).items()),
        settings.lang,
        settings.statuses,
        [(a.name, a.sides, a.title, a.side_labels) for a in settings.localised_axes()],
        settings.relative(settings.index),
        settings.relative(settings.directory),
        digest(template.read_text(encoding="utf-8")) if template else "",
        digest(imported.read_text(encoding="utf-8")) if imported else "",
        code_stamp(),
    )
    key = "index:" + digest(repr((rest, today.isoformat() if today else "")))
    known = memo.recall(key) if memo is not None else None
    if known is not None:
        return known
    decisions = records()
    if links is None:
        links = links_in_order(settings, decisions)
        if on_links is not None:
            on_links(links)
    due = []
    rows = []
    for d, link in zip(decisions, links, strict=True):
        (number, ref, title, status, date, style, tradeoffs, supersedes, superseded_by,
         related, commits, review_by, scope) = _FINGERPRINTED(d)  # fmt: skip
        if today is not None and review_by and (parse_date(review_by) or today) < today:
            due.append(number)
        rows.append(
            (
                number,
                ref or f"{number:04d}",  # as record_id()
                title,
                status,
                date,
                link,
                style,
                tuple(map(_TRADEOFF, tradeoffs)),
                supersedes,
                superseded_by,
                tuple(map(_LINK, related)),
                commits,
                review_by,
                scope,
            )
        )
    rows.sort()
    try:  # marshal's first format writes str, int and tuple the same way every time
        # (no references, no interning flags), at a third of what their repr costs
        packed = b"m" + marshal.dumps(rows, 0)
    except ValueError:  # pragma: no cover - a value marshal cannot write (none is)
        packed = b"r" + repr(rows).encode("utf-8", "surrogatepass")
    head = repr((rest, sorted(due))).encode("utf-8", "surrogatepass")  # holds no NUL
    found = digest_of(head + b"\0" + packed)
    if memo is not None:
        memo.remember(key, found)
    return found


def strip_marker(text: str) -> str:
    """The index text without its fingerprint line (what readers and diffs care about)."""
    start = _marker_start(text)
    return text if start < 0 else text[:start] + "\n"


def without_marker_lines(text: str) -> str:
    """The index text without any fingerprint line, wherever it is: for a diff of a file
    with text added after its last line, which ``adr index`` would drop (the fingerprint
    line itself it writes again, so it is never news)."""
    if _MARKER_HEAD not in text:
        return text
    lines = text.split("\n")
    return "\n".join(line for line in lines if not _MARKER_LINE.fullmatch(line))


def _marker_start(text: str) -> int:
    """Where the fingerprint line starts (its newline), or -1: only the last line is
    looked at, so a 3 MB index is not scanned from the top."""
    start = text.rfind(_MARKER_HEAD)
    return start if start >= 0 and _MARKER.match(text, start) else -1


def is_current(
    settings: Settings,
    records: Records,
    renderer: Renderer,
    on_disk: str,
    today: dt.date | None,
    commit_counts: dict[int, int] | None = None,
    governed: Governance | None = None,
    memo: Memo | None = None,
    inputs: str | None = None,
) -> bool:
    """True when ``on_disk`` was written from exactly these inputs and not edited since.

    False means "render and compare", never "stale" on its own. ``governed`` (coverage
    and tensions) is read from git when not given. With a remembered fingerprint (see
    :func:`inputs_fingerprint`) no record is loaded. ``inputs``: that fingerprint, when
    the caller has it (it renders on False and needs it then); the text above the
    marker is then hashed only when the inputs match.
    """
    start = _marker_start(on_disk)
    match = _MARKER.match(on_disk, start) if start >= 0 else None
    if match is None or (inputs is not None and match.group(1) != inputs):
        return False
    body = on_disk[: match.start()] + "\n"
    if digest(body) != match.group(2):
        return False
    if inputs is None:
        if governed is None:
            governed = index_governance(settings, records)
        inputs = inputs_fingerprint(
            settings, records, renderer, commit_counts, today, governed, memo
        )
        if match.group(1) != inputs:
            return False
    key = _seen_key(settings.index)
    if memo is not None and key is not None:  # the file read is, by its stat, this one
        memo.remember(key, inputs)
    return True


def _seen_key(index: Path) -> str | None:
    """A memo key naming the index file by its stat, for a regular file (not a symlink)
    last written long enough ago that an edit cannot hide in the same clock tick."""
    try:
        info = os.lstat(index)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_mtime_ns > time.time_ns() - RACY_NS:
        return None
    return f"index-seen:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"


def seen_current(
    settings: Settings,
    store: Store,
    renderer: Renderer,
    today: dt.date | None,
    commit_counts: dict[int, int] | None = None,
    governed: Governance | None = None,
) -> bool:
    """:func:`is_current` without reading the index or a record: True when, by its stat,
    the index file is one an earlier run of these very records (``store.current()``)
    read and found current, for the inputs as they are now. False means "look"."""
    if not store.current() or not confine.allowed(settings.index, settings.root):
        return False  # (an index outside the tree is refused where it is read)
    key = _seen_key(settings.index)
    seen = store.recall(key) if key is not None else None
    if seen is None:
        return False
    if governed is None:
        governed = index_governance(settings, store.load_all)
    found = inputs_fingerprint(
        settings, store.load_all, renderer, commit_counts, today, governed, store
    )
    return seen == found


def index_governance(settings: Settings, records: Records) -> Governance | None:
    """Coverage and tensions for the index, when ``index.coverage`` asks for them (None
    when it does not: the index has no such sections).

    Off by default: they are computed over the tracked files, so with them on, adding a
    file under a scope makes a committed index stale (decision 0046).
    """
    if not settings.index_coverage:
        return None
    from adr_tool.publish.coverage import governance

    return governance(settings, records())
