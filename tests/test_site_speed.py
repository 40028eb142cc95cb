"""``adr site``'s shortcuts give the bytes of the long way: a body parsed with only the
Markdown rules it could use renders as with every rule; template data read as attributes
is still plain dict data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from adr_tool.config import discover
from adr_tool.model import SECTION_ALIASES
from adr_tool.records.store import Store
from adr_tool.site.context import build_context, fill_overviews
from adr_tool.site.fields import Fields
from adr_tool.site.markdown import (
    TRADEOFFS_EMPTY_MARK,
    TRADEOFFS_MARK,
    MarkdownRenderer,
    _is_empty_block,
    _without_empty_sections,
)
from support import tiered
from test_site import corpus  # noqa: F401  (the corpus fixture is shared)

PAGES = {"0002-x.md": "0002-x.html"}

# Pieces that start (or nearly start) every construct the rules look for.
PIECES = [
    "# ", "## Trade-offs", "Title", "\n", "\n\n", "\r\n", "\r", "\t", "    ", "  ", " ",
    "- ", "* ", "+ ", "1. ", "2) ", "---", "***", "___", "- - -", "* * *", "===", "=", "-",
    "> ", ">", "```", "~~~", "`", "~~", "~", "|", "| a | b |\n| --- | :-: |\n| 1 | 2 |",
    "[", "]", "(", ")", "[x](0002-x.md)", "[r]: https://example.org", "[r]", "![i](y.png)",
    "!", "<", ">", "<!-- c -->", "<div>", "</div>", "<b>", "<https://e.org>", "<a@b.c>",
    "&amp;", "&", "&#35;", "\\", "\\*", "*", "**", "_", "__", "word", "two words", ":",
    "\u00e9", "\ufffd",
]  # fmt: skip


def full_parser(renderer: MarkdownRenderer) -> MarkdownRenderer:
    """The same renderer, parsing every body with every rule."""
    renderer.parser = lambda body: renderer.md  # type: ignore[method-assign]
    return renderer


def render_both(body: str) -> tuple[Any, Any]:
    pruned = MarkdownRenderer(PAGES).render_links(body)
    full = full_parser(MarkdownRenderer(PAGES)).render_links(body)
    return pruned, full


@pytest.mark.parametrize(
    "body",
    [
        "Title\n===\n\ntext\n---\n",
        "a\n - - -\n* * *\n_ _ _\n",
        "> quote\n> ---\n\n>     code\n",
        "- item\n\n      code\n\ttabbed\n",
        "| a |\n| - |\n| 1 |\n\n--- | ---\n",
        "```\nfenced\n```\n~~~\nt\n~~~\n",
        "[x][r]\n\n[r]: https://example.org 'T'\n",
        "<div>\n*x*\n</div>\n\n<!-- c -->\n",
        "a &amp; b &#35; \\* `c` ~~d~~ **e** _f_ ![g](h) <https://i.org>\n",
        "# T\n\n## Context\n\n## Trade-offs\n\ntext\n\n## Empty\n<!-- g -->\n",
        "line\r\n===\r\nnext\r---\r",
    ],
)
def test_pruned_rules_render_the_same(body: str) -> None:
    pruned, full = render_both(body)
    assert pruned == full


@tiered(3000, pieces=st.lists(st.sampled_from(PIECES), max_size=40))
def test_pruned_rules_render_the_same_fuzzed(pieces: list[str]) -> None:
    body = "".join(pieces)
    pruned, full = render_both(body)
    assert pruned == full


def test_fields_are_dicts_read_as_attributes() -> None:
    fields = Fields({"title": "x", "tags": ["a"]})
    assert fields.title == "x" and fields == {"title": "x", "tags": ["a"]}
    assert repr(fields) == repr({"title": "x", "tags": ["a"]})  # page keys hash the repr
    fields["text"] = "later"
    assert fields.text == "later"


def test_site_data_keys_hide_no_dict_method(corpus: Path) -> None:  # noqa: F811
    """A key named like a dict method would shadow it for templates (``d.items``)."""
    settings = discover(corpus)
    decisions = Store(settings).load_all()
    context = build_context(settings, decisions, {}, {}, None)
    methods = set(dir(dict))
    seen: list[Any] = [context]
    while seen:
        value = seen.pop()
        if isinstance(value, dict):
            assert not methods & set(value), sorted(methods & set(value))
            seen.extend(v for k, v in value.items() if k not in ("prev", "next"))
        elif isinstance(value, list):
            seen.extend(value)


def test_context_without_overviews_fills_to_the_same_data(corpus: Path) -> None:  # noqa: F811
    """A first build leaves the chart, the lean and the graph for later: filled, the
    context is the one built whole (same keys in the same order: keys hash its repr)."""
    settings = discover(corpus)
    decisions = Store(settings).load_all()
    whole = build_context(settings, decisions, {}, {}, None)
    later = build_context(settings, decisions, {}, {}, None, overviews=False)
    assert later["graph"] is None and later["chart"] is None and later["lean"] is None
    fill_overviews(later, settings, decisions)
    assert repr(later) == repr(whole) and list(later) == list(whole)
    assert later["graph"]["nodes"]  # filled, not left empty


def sections_reference(tokens: list[Any]) -> list[Any]:
    """``_without_empty_sections`` as first written: each section scanned on its own."""
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    drop: set[int] = set()
    marked = False
    for place, start in enumerate(headings):
        level = int(tokens[start].tag[1:])
        end = next(
            (j for j in headings[place + 1 :] if int(tokens[j].tag[1:]) <= level), len(tokens)
        )
        content = any(
            t.type not in ("heading_open", "inline", "heading_close") and not _is_empty_block(t)
            for t in tokens[start + 3 : end]
        )
        title = " ".join(tokens[start + 1].content.split()).lower()
        if level == 2 and not marked and title in SECTION_ALIASES["tradeoffs"]:
            marked = True
            mark = tokens[start]
            mark.type, mark.tag, mark.nesting = "html_block", "", 0
            mark.content = TRADEOFFS_MARK if content else TRADEOFFS_EMPTY_MARK
            mark.meta = {"adr_mark": True}
            drop.update((start + 1, start + 2))
        elif not content:
            drop.update((start, start + 1, start + 2))
    return [t for i, t in enumerate(tokens) if i not in drop and not _is_empty_block(t)]


SECTION_PIECES = [
    "# T\n\n", "## Trade-offs\n\n", "## Trade-Offs\n", "## Context\n\n", "### Sub\n\n",
    "#### Deep\n", "text\n\n", "<!-- guidance -->\n\n", "<!-- a -->\n<!-- b -->\n\n",
    "- item\n", "<div>x</div>\n\n", "```\ncode\n```\n", "Title\n===\n", "---\n", "\n",
]  # fmt: skip


@tiered(2000, pieces=st.lists(st.sampled_from(SECTION_PIECES), max_size=30))
def test_empty_sections_are_found_as_by_scanning_each(pieces: list[str]) -> None:
    body = "".join(pieces)
    md = MarkdownRenderer(PAGES).md
    fast, slow = _without_empty_sections(md.parse(body)), sections_reference(md.parse(body))
    assert [(t.type, t.tag, t.content) for t in fast] == [(t.type, t.tag, t.content) for t in slow]
