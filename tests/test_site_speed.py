"""``adr site``'s shortcuts give the bytes of the long way: a body parsed with only the
Markdown rules it could use renders as with every rule; template data read as attributes
is still plain dict data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from adr_tool.config import discover
from adr_tool.records.store import Store
from adr_tool.site.context import build_context
from adr_tool.site.fields import Fields
from adr_tool.site.markdown import MarkdownRenderer
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
