"""One page of the site from its template, and the fixed files beside the pages.

Shared by the full render (``render_files``, the live preview) and the build that writes
only what changed (``incremental``), so both give the same bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote

from adr_tool.errors import UsageError
from adr_tool.publish.render import Renderer, shipped_templates
from adr_tool.publish.tree import blocks

MARKER = ".adr-site"
MARKER_TEXT = "Made by `adr site`; each build rewrites or removes what is in this folder.\n"
ASSETS = ("site.css", "site.js")
OVERVIEWS = (("index.html", "home"), ("decisions.html", "list"), ("graph.html", "graph"))
BODY_FIELDS = ("body", "body_before", "body_after", "tradeoffs_here", "text")
CHROME = "site/chrome.html"
# what adr's own chrome.html is made with, once per page kind: nothing that is the page's own
CHROME_SHARED = ("site", "labels", "base_url", "L", "root", "page")


def page_path(record: Mapping[str, Any]) -> str:
    """Where a record's page lives in the site: ``decisions/0003-x.html``."""
    return "decisions/" + unquote(record["page"])


def page_base(
    renderer: Renderer, context: Mapping[str, Any], labels: str, base_url: str
) -> dict[str, Any]:
    """What every page is rendered with: the site's data, the labels template (by name,
    for templates that import it) and its variables as ``L``, made once for all pages;
    and the parts every page shares (see :func:`page_context`)."""
    shared = renderer.exact_path(CHROME) == shipped_templates() / CHROME
    return {
        "site": context,
        "labels": labels,
        "base_url": base_url,
        "L": renderer.module(labels),
        "chrome": {} if shared else None,
    }


def page_context(
    renderer: Renderer, name: str, base: dict[str, Any], root: str, path: str
) -> dict[str, Any]:
    """What the page ``name`` at ``path`` is rendered with; its ``chrome`` is the
    variables of site/chrome.html: adr's own made once per ``root`` and ``name`` from
    CHROME_SHARED alone, a repository's for every page from all of the context."""
    canonical = base["base_url"] + quote(path) if base["base_url"] else ""
    context = {**base, "root": root, "canonical": canonical, "page": name}
    made = base["chrome"]
    if made is None:
        context["chrome"] = renderer.module_with(CHROME, context)
    else:
        chrome = made.get((root, name))
        if chrome is None:
            shared = {key: context[key] for key in CHROME_SHARED}
            chrome = made[root, name] = renderer.module_with(CHROME, shared)
        context["chrome"] = chrome
    return context


def render_page(renderer: Renderer, name: str, base: dict[str, Any], root: str, path: str) -> str:
    context = page_context(renderer, name, base, root, path)
    return renderer.render_named([f"site/{name}.html"], f"site/{name}.html", context)


def stream_page(
    renderer: Renderer, name: str, base: dict[str, Any], root: str, path: str
) -> Iterator[str]:
    """:func:`render_page` in pieces (an overview page of 10,000 records is megabytes)."""
    context = page_context(renderer, name, base, root, path)
    return renderer.stream_named([f"site/{name}.html"], f"site/{name}.html", context)


def utf8(pieces: Iterable[str]) -> Iterator[bytes]:
    """A streamed page's text pieces as UTF-8 blocks of about 64 K characters."""
    for block in blocks(pieces):
        yield "".join(block).encode("utf-8")


def decision_page(renderer: Renderer, base: dict[str, Any], record: Mapping[str, Any]) -> str:
    return render_page(renderer, "decision", {**base, "d": record}, "../", page_path(record))


@contextlib.contextmanager
def templates_held(renderer: Renderer) -> Iterator[None]:
    """Within one build, each template is read once: jinja2 otherwise checks the file of
    every template a page extends, includes or imports again for every page."""
    env = renderer.env
    before = env.auto_reload
    env.auto_reload = False
    try:
        yield
    finally:
        env.auto_reload = before


def labels_template(renderer: Renderer, lang: str) -> str:
    for folder in (renderer.override_dir, shipped_templates()):
        if folder is not None and (folder / "site" / f"labels.{lang}.html").is_file():
            return f"site/labels.{lang}.html"
    return "site/labels.en.html"


MAX_ASSET_BYTES = 4 * 1024 * 1024  # the shipped script and style sheet are a few KB


def asset(renderer: Renderer, name: str) -> str:
    """A script or style sheet the site copies: the repository's own (confined to the
    working tree like its templates, a regular file of bounded size: never a symlink out
    of the tree, a device or a FIFO), else the shipped one."""
    from adr_tool.confine import read_regular

    path = renderer.exact_path(f"site/assets/{name}")  # confined when it is the repository's
    if path is None:  # pragma: no cover - the shipped assets are in the package
        raise UsageError(f"site asset {name} is missing; reinstall adr-tool")
    data = read_regular(path.resolve(), MAX_ASSET_BYTES)  # an in-tree symlink is fine
    if data is None:
        raise UsageError(
            f"site asset {path}: not a regular file of at most {MAX_ASSET_BYTES} bytes"
        )
    return data.decode("utf-8", errors="replace")


def overrides_overviews(renderer: Renderer) -> bool:
    """Whether the repository brings its own page templates (other than labels and the
    decision page): they may show record bodies, so every record carries its body."""
    folder = renderer.override_dir
    if folder is None or not (folder / "site").is_dir():
        return False
    return any(
        p.suffix == ".html" and not p.name.startswith("labels.") and p.name != "decision.html"
        for p in (folder / "site").iterdir()
    )
