"""``adr site`` that renders and writes only what changed since its last build (decision 50).

One key over every input (the record files and what numbering adds across them, commits,
coverage, settings, base URL, templates, the code) answers "is the output folder
current?" before anything is rendered; then nothing is touched. Otherwise a decision page
is rendered only when the key of its own inputs changed, the overview pages only when
something but a body changed, and a file is written only when its bytes differ; pages of
records that went away are removed. The folder is patched in place only when it holds
exactly what the memo says the last build wrote (same names, regular files with the same
size, mtime and inode); any doubt, and the whole site is written into a new folder and
swapped in. Many pages to render are split over two processes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from adr_tool import hashes
from adr_tool.config import Settings
from adr_tool.model import Decision
from adr_tool.publish.coverage import Governance
from adr_tool.publish.render import Renderer
from adr_tool.publish.tree import (
    FileStat,
    file_stat,
    fresh_folder,
    listing,
    put_file,
    put_stream,
    swap_in,
)
from adr_tool.records.packed import gc_paused
from adr_tool.records.text import read_bytes
from adr_tool.site import fork, memo, pages
from adr_tool.site.context import (
    CommitInfo,
    build_context,
    fill_body,
    fill_overviews,
    page_name,
    search_index_chunks,
)
from adr_tool.site.markdown import MarkdownRenderer, body_of

PARALLEL_MIN = 400  # decision pages to render from which a second process takes a share
HIT, MISS = 1, 4  # the work of a page whose body is in the memo, and of one that is not
OVERVIEW_WORK = 3 / 10  # the overview pages per record (measured: 0.36 at 1,000, 0.30 at 10,000)
# page path, its body, content digest, the file as written, whether it was written now,
# and the digest of the record's own data (for the page's key: "" when known before)
Result = tuple[str, memo.Body | None, str, FileStat, bool, str]  # body: None if the memo's
PENDING = "pending"  # the overview pages' key, until every page's own digest is known
# not global; the chart, lean and graph follow from each record's own data and the axes
OVERVIEW_ONLY = ("records", "timeline", "recent", "chart", "lean", "graph")


@dataclass(frozen=True)
class Inputs:
    settings: Settings
    decisions: Sequence[Decision]
    renderer: Renderer
    output: Path
    base_url: str
    history: Mapping[int, Sequence[CommitInfo]]
    governed: Governance | None
    cache: Path | None  # the folder the memo lives in (None: no memo, a full build)


@dataclass(frozen=True)
class Outcome:
    files: int  # in the site
    written: int
    removed: int
    whole: bool  # written into a new folder and swapped in


def _raw(path: Path) -> bytes:
    try:
        return read_bytes(path)
    except OSError:
        return b""


def build_key(inputs: Inputs, digests: Sequence[str], templates: str, labels: str) -> str:
    """One digest over everything the site is made from. A record counts as its path,
    the digest of its bytes (what it parses from, under the settings and code in the key)
    and the fields numbering sets across records."""
    head = (
        memo.engine_stamp(),
        templates,
        labels,
        inputs.base_url,
        inputs.renderer.lang,
        inputs.settings,
        sorted(inputs.history.items()),
        inputs.governed,
    )
    records = [
        (str(d.path), g, d.number, d.ref, d.supersedes, d.superseded_by, d.links)
        for d, g in zip(inputs.decisions, digests, strict=True)
    ]
    return memo.digest(repr((head, records)))


def intact(output: Path, recorded: Mapping[str, memo.FileEntry]) -> dict[str, bool] | None:
    """Per recorded file, whether it is on disk as written; None if the folder holds
    anything the memo does not know (then it is written whole, never patched)."""
    found = listing(output) if recorded else None
    if found is None:
        return None
    files, folders = found
    known = {name.rsplit("/", 1)[0] for name in recorded if "/" in name}
    if not files <= recorded.keys() or not folders <= known or pages.MARKER not in files:
        return None
    return {name: file_stat(output / name) == entry[2:] for name, entry in recorded.items()}


def write_site(inputs: Inputs, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Bring ``inputs.output`` up to date with the fewest renders and writes."""
    output = inputs.output.resolve()
    where = None
    if inputs.cache is not None:
        where = memo.memo_paths(inputs.cache, inputs.settings.directory, output)
    raws: list[bytes | None] = [_raw(d.path) for d in inputs.decisions]
    digests = [memo.digest(raw or b"") for raw in raws]
    templates, reusable = memo.templates_key(inputs.renderer)
    labels = pages.labels_template(inputs.renderer, inputs.settings.lang)
    key = build_key(inputs, digests, templates, labels)
    old = memo.load_memo(None, where[1] if where else None, output)
    on_disk = intact(output, old.files)
    if on_disk is not None and old.key == key and all(on_disk.values()):
        return Outcome(len(old.files), 0, 0, False)
    if where is not None:
        old.bodies = memo.load_memo(where[0], None, output).bodies
    kept = set(old.bodies)
    build = Build(inputs, output, old, on_disk, digests, raws)
    with gc_paused(), pages.templates_held(inputs.renderer):
        new = build.run((templates, labels, reusable), progress)
    new.key = key
    outcome = Outcome(len(new.files), build.written, build.removed, on_disk is None)
    changed = build.bodies_changed or new.bodies.keys() != kept
    del build, old  # the pages' context: not needed to save the memo
    if where is not None:
        memo.save_memo(*where, output, new, bodies=changed)
    return outcome


class Build:
    """One build: which pages to render, rendering them (two processes when there are
    many) and writing what changed. A body is kept by the digest of its record's bytes."""

    def __init__(
        self,
        inputs: Inputs,
        output: Path,
        old: memo.SiteMemo,
        on_disk: dict[str, bool] | None,
        digests: list[str],
        raws: list[bytes | None],
    ) -> None:
        self.inputs, self.output, self.old, self.on_disk = inputs, output, old, on_disk
        self.digests = digests
        self.raws = raws  # each record's bytes as digested, until its body is rendered
        self.folder = output
        self.record_pages = {d.path.name: quote(page_name(d)) for d in inputs.decisions}
        self.markdown = MarkdownRenderer(self.record_pages)
        self.base: dict[str, Any] = {}
        self.files: dict[str, memo.FileEntry] = {}
        self.parent = os.getpid()
        self.progress: Callable[[int, int], None] | None = None
        self.done = self.total = self.written = self.removed = 0
        self.share = 1  # pages this process renders (fork.split says how many)
        self.bodies_changed = False
        self.common = ""  # what every page key holds besides its record's own data
        self.lazy_keys = False  # page keys worked out where each page is rendered

    def kept(self, path: str, key: str = "", content: str = "") -> bool:
        """Whether the file at ``path`` from the last build is on disk as written, and
        made from the same inputs (``key``) or with the same bytes (``content``)."""
        entry = self.old.files.get(path)
        if entry is None or self.on_disk is None or not self.on_disk.get(path):
            return False
        return (bool(key) and entry[0] == key) or (bool(content) and entry[1] == content)

    def body(self, index: int) -> tuple[memo.Body, bool]:
        """A record's body from the memo (False) or rendered from its file (True)."""
        raw, self.raws[index] = self.raws[index], None
        found = self.old.bodies.get(self.digests[index])
        if found is not None and all(self.record_pages.get(n) == p for n, p in found[2]):
            return found, False
        path = self.inputs.decisions[index].path
        return self.markdown.render_links(body_of(path, _raw(path) if raw is None else raw)), True

    def put(self, path: str, data: bytes, *, again: bool = False) -> FileStat:
        return put_file(self.folder, path, data, fresh=self.on_disk is None and not again)

    def write(self, path: str, key: str, data: bytes) -> None:
        """Record ``path`` as made from ``key``; write it unless its bytes are on disk."""
        content = memo.digest(data)
        if self.kept(path, content=content):
            self.files[path] = (key, content, *self.old.files[path][2:])
        else:
            self.files[path] = memo.file_entry(key, content, self.put(path, data))
            self.written += 1

    def stream(self, path: str, key: str, chunks: Iterable[bytes]) -> None:
        """:meth:`write` for a file made piece by piece (never held whole)."""
        hasher = hashes.blake2b(digest_size=16)

        def hashed() -> Iterator[bytes]:
            for chunk in chunks:
                hasher.update(chunk)
                yield chunk

        fresh = self.on_disk is None
        kept = lambda: self.kept(path, content=hasher.hexdigest())  # noqa: E731
        written = put_stream(self.folder, path, hashed(), fresh=fresh, keep=kept)
        if written is None:
            self.files[path] = (key, hasher.hexdigest(), *self.old.files[path][2:])
        else:
            self.files[path] = memo.file_entry(key, hasher.hexdigest(), written)
            self.written += 1

    def page(self, index: int, *, again: bool = False) -> Result:
        record = self.base["site"]["records"][index]
        body, rendered = self.body(index)
        fill_body(record, body[0], body[1])
        data = pages.decision_page(self.inputs.renderer, self.base, record).encode("utf-8")
        fill_body(record, "", body[1])  # rendered: keep only the search text
        path, content = pages.page_path(record), memo.digest(data)
        fresh = not self.kept(path, content=content)
        written = self.put(path, data, again=again) if fresh else self.old.files[path][2:]
        if self.progress is not None and os.getpid() == self.parent:
            self.done += 1  # the child's pages are not seen here: this share stands for all
            self.progress(min(self.total, self.done * self.total // self.share), self.total)
        own = _own(record) if self.lazy_keys else ""
        return path, body if rendered else None, content, written, fresh, own

    def page_key(self, index: int, own: str) -> str:
        """What a decision page is made from: its record's own data, what it shows of its
        neighbours, its record file's bytes and what every page shares."""
        record = self.base["site"]["records"][index]
        return memo.digest(repr((own, _near(record), self.digests[index], self.common)))

    def overviews(self, key: str) -> None:
        renderer = self.inputs.renderer
        for path, name in pages.OVERVIEWS:
            if key and self.kept(path, key=key):
                self.files[path] = self.old.files[path]
            else:  # worked out for the first page that needs it
                fill_overviews(self.base["site"], self.inputs.settings, self.inputs.decisions)
                pieces = pages.stream_page(renderer, name, self.base, "", path)
                self.stream(path, key, pages.utf8(pieces))

    def run(
        self, keys: tuple[str, str, bool], progress: Callable[[int, int], None] | None
    ) -> memo.SiteMemo:
        templates, labels, reusable = keys
        inputs = self.inputs
        # a new folder reuses nothing: keys (only kept for the next build) are worked out
        # by whichever process renders the page; what only the overview pages show waits
        # until they are rendered (adr's decision page shows none of it; no key holds it)
        self.lazy_keys = self.on_disk is None
        context = build_context(
            inputs.settings,
            inputs.decisions,
            {},
            inputs.history,
            inputs.governed,
            overviews=not reusable,
        )
        self.base = pages.page_base(inputs.renderer, context, labels, inputs.base_url)
        records = context["records"]
        self.common = repr((templates, labels, inputs.base_url, context["title"], context["lang"]))
        by_path = {pages.page_path(r): i for i, r in enumerate(records)}  # the last one wins
        every_body = pages.overrides_overviews(inputs.renderer)
        page_keys: dict[str, str] = {}
        if self.lazy_keys:
            overview_key = "" if every_body else PENDING
            todo = list(by_path.values())
        else:
            own = [_own(r) for r in records]
            common, digests = self.common, self.digests
            page_keys = {  # as page_key(), without a call per record
                path: memo.digest(repr((own[i], _near(records[i]), digests[i], common)))
                for path, i in by_path.items()
            }
            overview_key = "" if every_body else self.overview_key(own)
            todo = [
                i
                for path, i in by_path.items()
                if not (
                    reusable
                    and self.kept(path, key=page_keys[path])
                    and self.digests[i] in self.old.bodies
                )
            ]
        self._forget_raws(keep=set(todo))
        self.progress, self.total = progress, len(todo)
        if self.on_disk is None:
            self.folder = fresh_folder(self.output)
        try:
            self._write(context, by_path, page_keys, todo, overview_key)
            if self.on_disk is None:
                swap_in(self.folder, self.output)
        except BaseException:
            if self.on_disk is None:
                shutil.rmtree(self.folder, ignore_errors=True)
            raise
        bodies = {self.digests[i]: self.old.bodies[self.digests[i]] for i in by_path.values()}
        return memo.SiteMemo("", self.files, bodies)

    def overview_key(self, own: Sequence[str]) -> str:
        """What the overview pages are made from: everything but the record bodies."""
        return memo.digest(repr((self.common, _global(self.base["site"]), list(own))))

    def _write(
        self,
        context: dict[str, Any],
        by_path: dict[str, int],
        page_keys: dict[str, str],
        todo: list[int],
        overview_key: str,
    ) -> None:
        records = context["records"]
        if by_path:
            (self.folder / "decisions").mkdir(exist_ok=True)
        (self.folder / "assets").mkdir(exist_ok=True)
        reuse_overviews = overview_key and all(
            self.kept(path, key=overview_key) for path, _ in pages.OVERVIEWS
        )
        results = fork.split(
            todo,
            self.page,
            lambda i: self.page(i, again=True),
            weights=[HIT if self.digests[i] in self.old.bodies else MISS for i in todo],
            minimum=PARALLEL_MIN,
            share=functools.partial(setattr, self, "share"),
            meanwhile=(lambda: self.overviews(overview_key)) if overview_key else lambda: None,
            extra=0 if reuse_overviews or not overview_key else int(len(records) * OVERVIEW_WORK),
        )
        self._forget_raws()  # what the child was given
        done = set()
        owns: dict[int, str] = {}
        for index, result in zip(todo, results, strict=True):
            if not _valid(result):  # pragma: no cover - only a broken child answers so
                result = self.page(index, again=True)
            path, body, content, written, fresh, own = result
            if self.lazy_keys:
                owns[index] = own
                page_keys[path] = self.page_key(index, own)
            self.files[path] = memo.file_entry(page_keys[path], content, written)
            if body is None:  # the memo's
                body = self.old.bodies[self.digests[index]]
            elif self.old.bodies.get(self.digests[index]) != body:
                self.old.bodies[self.digests[index]] = body
                self.bodies_changed = True
            records[index]["text"] = body[1]
            self.written += fresh
            done.add(path)
        for path, index in by_path.items():
            if path not in done:  # kept: the memo has its body
                self.files[path] = self.old.files[path]
                records[index]["text"] = self.old.bodies[self.digests[index]][1]
        if overview_key == PENDING:  # written already, under the key known only now
            records_own = [owns.get(i) or _own(r) for i, r in enumerate(records)]
            key = self.overview_key(records_own)
            for path, _ in pages.OVERVIEWS:
                self.files[path] = (key, *self.files[path][1:])
        if not overview_key:  # the repository's templates may show bodies anywhere
            for index, record in enumerate(records):
                body = self.old.bodies[self.digests[index]]
                fill_body(record, body[0], body[1])
            self.overviews("")
        self.stream("assets/search-index.js", "", search_index_chunks(context))
        for name in pages.ASSETS:
            self.write(f"assets/{name}", "", pages.asset(self.inputs.renderer, name).encode())
        self.write(pages.MARKER, "", pages.MARKER_TEXT.encode("utf-8"))
        if self.on_disk is not None:
            self._remove(set(self.old.files) - set(self.files))

    def _forget_raws(self, keep: Collection[int] = ()) -> None:
        for index in set(range(len(self.raws))).difference(keep):
            self.raws[index] = None

    def _remove(self, stale: set[str]) -> None:
        """Pages of records that went away (regular files the memo says we wrote)."""
        for path in sorted(stale):
            with contextlib.suppress(FileNotFoundError):
                (self.output / path).unlink()
            self.removed += 1
        for folder in sorted({p.rsplit("/", 1)[0] for p in stale if "/" in p}):
            with contextlib.suppress(OSError):
                (self.output / folder).rmdir()  # only if nothing is left in it


SKIP = ("prev", "next", *pages.BODY_FIELDS)


def _own(record: Mapping[str, Any]) -> str:
    """A digest of what a decision page shows of its own record (not its body: the key
    holds its file's digest; not its neighbours: the key holds what the pager shows): its
    values in the order of its keys (which are the code's, and the code is in the memo)."""
    return memo.digest(repr(_own_values(tuple(record))(record)))


@functools.lru_cache(maxsize=4)
def _own_values(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    return itemgetter(*(k for k in keys if k not in SKIP))


def _near(record: Mapping[str, Any]) -> list[tuple[str, str, str] | None]:
    """What a page shows of its neighbours: the pager links."""
    return [
        (n["id"], n["title"], n["page"]) if n else None for n in (record["prev"], record["next"])
    ]


def _global(context: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in context.items() if k not in OVERVIEW_ONLY]


def _valid(result: Any) -> bool:
    return (
        isinstance(result, tuple)
        and len(result) == 6
        and isinstance(result[0], str)
        and isinstance(result[2], str)
        and isinstance(result[3], tuple)
        and isinstance(result[4], bool)
        and isinstance(result[5], str)
    )
