"""The static decision site behind ``adr site``: every file of it in memory (the live
preview), or written to a folder with only what changed rendered again (``incremental``).

Pages are rendered by the Renderer from ``templates/site/*.html`` with autoescaping on
(data from ``site_context``, record bodies from ``site_markdown``). Every link is
relative, so the folder works from ``file://``, GitHub Pages or any base path. Same
records, same bytes: no clock, sorted inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from adr_tool.config import Settings
from adr_tool.errors import Refused, UsageError
from adr_tool.model import Decision
from adr_tool.publish.coverage import Governance, governance
from adr_tool.publish.render import Renderer
from adr_tool.site import incremental
from adr_tool.site.context import CommitInfo, build_context, page_name, search_index
from adr_tool.site.markdown import MarkdownRenderer, read_body
from adr_tool.site.pages import (
    ASSETS,
    MARKER,
    MARKER_TEXT,
    OVERVIEWS,
    asset,
    labels_template,
    page_base,
    page_path,
    render_page,
)


@dataclass(frozen=True)
class SiteResult:
    output: Path
    pages: int
    files: int
    notes: tuple[str, ...] = ()
    written: int = 0  # files written by this build (all of them when ``whole``)
    removed: int = 0
    whole: bool = True  # a new folder swapped in, not the old one updated

    @property
    def current(self) -> bool:
        """Nothing needed doing: the folder already held this site."""
        return not (self.written or self.removed or self.whole)


@dataclass
class Memo:
    """Rendered record bodies and decision pages kept between two builds of the same site
    (``adr site --serve``), so a save re-renders only what it changed. A decision page is
    reused when its record's data and its neighbours' id, title and page are unchanged;
    drop the memo when a template changes."""

    bodies: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)


def git_history(
    settings: Settings, decisions: Sequence[Decision]
) -> tuple[dict[int, list[CommitInfo]], list[str]]:
    """Commits per decision (trailers and explicit ``commits``) from one pass over the log;
    the same links ``adr log`` and the index count."""
    if settings.git_root is None:
        return {}, []
    from adr_tool.git import log as git_log
    from adr_tool.publish import trace

    history = git_log.read_history(settings.git_root, settings.trailer)
    if not history.available or history.empty:
        return {}, []
    by_sha = history.by_sha()
    out: dict[int, list[CommitInfo]] = {}
    for number, shas in trace.linked_shas(list(decisions), history).items():
        found = [by_sha.get(sha) for sha in sorted(shas)]
        out[number] = [
            CommitInfo(c.sha, c.subject, c.day, c.author, c.timestamp) if c else CommitInfo(sha)
            for sha, c in zip(sorted(shas), found, strict=True)
        ]
    return out, list(history.notes)


def check_base_url(base_url: str | None) -> str:
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--base-url {base_url!r}: expected an http(s) URL, e.g. https://example.org/adr/"
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def render_files(
    settings: Settings,
    decisions: Sequence[Decision],
    renderer: Renderer,
    *,
    base_url: str = "",
    history: Mapping[int, Sequence[CommitInfo]] | None = None,
    memo: Memo | None = None,
    progress: Callable[[int, int], None] | None = None,
    governed: Governance | None = None,
) -> dict[str, str]:
    """Every file of the site, by relative path (reusing ``memo``'s work where it can)."""
    record_pages = {d.path.name: quote(page_name(d)) for d in decisions}
    markdown = MarkdownRenderer(record_pages)
    links = hash(tuple(sorted(record_pages.items())))
    known = memo.bodies if memo else {}
    rendered: dict[tuple[int, str], tuple[str, str]] = {}
    bodies = {}
    for i, d in enumerate(decisions):
        body = (links, read_body(d))
        bodies[i] = rendered[body] = known.get(body) or markdown.render(body[1])
        if progress is not None:
            progress(i + 1, len(decisions))
    context = build_context(settings, decisions, bodies, history or {}, governed)
    labels = labels_template(renderer, settings.lang)
    base = page_base(renderer, context, labels, base_url)
    files = {path: render_page(renderer, name, base, "", path) for path, name in OVERVIEWS}
    files["assets/search-index.js"] = search_index(context)
    files[MARKER] = MARKER_TEXT
    pages: dict[str, tuple[str, str]] = {}
    for record in context["records"]:
        path = page_path(record)
        key = _page_key(record, context["title"], labels, base_url) if memo else ""
        old = memo.pages.get(path) if memo else None
        if old is not None and old[0] == key:
            files[path] = old[1]
        else:
            files[path] = render_page(renderer, "decision", {**base, "d": record}, "../", path)
        pages[path] = (key, files[path])
    for name in ASSETS:
        files[f"assets/{name}"] = asset(renderer, name)
    if memo is not None:
        memo.bodies, memo.pages = rendered, pages
    return files


def _page_key(record: Mapping[str, Any], *more: str) -> str:
    own = {k: v for k, v in record.items() if k not in ("prev", "next")}
    near = [
        (n["id"], n["title"], n["page"]) if n else None for n in (record["prev"], record["next"])
    ]
    return repr((sorted(own.items()), near, more))


def check_output(settings: Settings, output: Path) -> None:
    """Refuse to replace a folder that ``adr site`` did not make, or one holding records."""
    output = output.resolve()
    if output.exists() and not output.is_dir():
        raise Refused(f"{output} is a file; choose a folder for --output")
    for inside in (settings.directory.resolve(), settings.root.resolve()):
        if inside == output or output in inside.parents:
            raise Refused(f"refusing to write the site over {inside}; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise Refused(
            f"{output} is not empty and was not made by 'adr site'; "
            "choose another --output or empty it"
        )


def build_site(
    settings: Settings,
    decisions: Sequence[Decision],
    renderer: Renderer,
    output: Path,
    *,
    base_url: str | None = None,
    with_git: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cache: Path | None = None,
) -> SiteResult:
    """``adr site``: bring ``output`` up to date. With a ``cache`` folder for the memo,
    only what changed since the last build is rendered and written (nothing at all when
    the folder is current); without one, every page is rendered and a new folder is
    swapped in."""
    base = check_base_url(base_url)
    check_output(settings, output)
    history, notes = git_history(settings, decisions) if with_git else ({}, [])
    governed = governance(settings, decisions) if with_git else None
    if cache is not None and _inside(cache, output):
        cache = None  # the memo must never be part of what it describes
    inputs = incremental.Inputs(
        settings, decisions, renderer, output, base, history, governed, cache
    )
    done = incremental.write_site(inputs, progress)
    return SiteResult(
        output.resolve(),
        len(decisions),
        done.files,
        tuple(notes),
        done.written,
        done.removed,
        done.whole,
    )


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents
