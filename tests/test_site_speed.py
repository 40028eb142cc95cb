"""``adr site``'s shortcuts give the bytes of the long way: a body parsed with only the
Markdown rules it could use renders as with every rule; template data read as attributes
is still plain dict data; a page's values print as markupsafe escapes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from markupsafe import Markup, escape

from adr_tool.config import discover
from adr_tool.model import SECTION_ALIASES
from adr_tool.publish.render import Renderer
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


class Shown:
    """An object with its own HTML, as a template might be given."""

    def __html__(self) -> str:
        return "<i>shown</i>"

    def __str__(self) -> str:
        return "<not this>"


ESCAPED_VALUES: list[Any] = [
    "", "plain", "<script>alert('x')</script> & \"friends\"", "x" * 5000, 0, 7, -3, 10**30,
    True, False, None, 1.5, 2.0, Markup("<b>safe</b>"), Markup(""), Shown(), ["<a>", 1],
    ("<t>",), {"<k>": "<v>"},
]  # fmt: skip


ESCAPING = "{% autoescape true %}{% for v in values %}{{ v }}|{% endfor %}{% endautoescape %}"


@pytest.mark.parametrize("sandboxed", [False, True])
def test_templates_escape_exactly_as_markupsafe(tmp_path: Path, sandboxed: bool) -> None:
    """Pages escape through a memo of escaped values (render._escape): each value, met
    first or again, in any order and mixed with equal values of other types (1, 1.0,
    True; a str and the Markup of the same text), prints as markupsafe prints it."""
    if sandboxed:  # the repository brings a template: the sandbox renders
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "base.html").write_text("{{ v }}", encoding="utf-8")
    renderer = Renderer(tmp_path)
    assert renderer.repository_templates() is sandboxed
    clashes = ["<b>safe</b>", "1", 1, 1.0, True, "True", Markup("1"), "", Markup("<b>safe</b>")]
    values = [*ESCAPED_VALUES, *clashes, *reversed(ESCAPED_VALUES), *reversed(clashes)]
    shown = renderer.env.from_string(ESCAPING).render(values=values)
    assert shown.split("|")[:-1] == [str(escape(v)) for v in values]


@tiered(1000, values=st.lists(st.one_of(st.text(), st.integers(), st.booleans()), max_size=20))
def test_templates_escape_any_text_as_markupsafe(values: list[Any]) -> None:
    template = Renderer(None).env.from_string(ESCAPING)
    assert template.render(values=values * 2) == "".join(f"{escape(v)}|" for v in values * 2)
