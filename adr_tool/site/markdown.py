"""Record bodies as HTML for ``adr site``: markdown-it-py, imported only when a site is built.

CommonMark plus tables and strikethrough; raw HTML is shown as text, HTML comments are
dropped, and a link to another record file points at that record's page. A heading whose
section holds nothing but template guidance (comments, empty sub-headings) is dropped, and
the "Trade-offs" heading becomes a marker where the site puts its trade-off table.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adr_tool.errors import ParseError
from adr_tool.model import SECTION_ALIASES, Decision
from adr_tool.publish.render import HTML_COMMENT
from adr_tool.records import frontmatter

# Raw HTML comments never reach the output (dropped or escaped), so these cannot be forged
# by a record: the place of the body's own "Trade-offs" heading, with or without content.
TRADEOFFS_MARK = "<!--adr:tradeoffs-->"
TRADEOFFS_EMPTY_MARK = "<!--adr:tradeoffs-empty-->"

# Parser rules that cannot match a body without one of these characters (each rule's
# first test is for one of them). A body is parsed with only the rules it could use: the
# same tokens (a rule that cannot match changes nothing), without trying every rule at
# every line and every punctuation mark.
_NEEDS = {
    "table": "|",  # its header line must hold a pipe
    "fence": "`~",
    "blockquote": ">",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
}
# A thematic break: three of one marker on a line with only spaces or tabs between them.
_HR = re.compile(r"([-*_])[ \t]*\1[ \t]*\1")
# A setext underline: a line ending in "=" or "-" (then only spaces or tabs).
_UNDERLINE = re.compile(r"[-=][ \t]*(?:\r|\n|\Z)")
_MAX_PARSERS = 64  # distinct rule sets kept (each a MarkdownIt instance)


class MarkdownRenderer:
    """CommonMark + tables via markdown-it-py; raw HTML escaped, comments dropped."""

    def __init__(self, record_pages: Mapping[str, str]) -> None:
        from markdown_it import MarkdownIt

        self.record_pages = record_pages  # "0003-x.md" -> "0003-x.html"
        self.looked_up: dict[str, str | None] = {}  # by the last render_links
        # html=True so raw HTML becomes html_* tokens we control (escape or drop).
        self.md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        self.md.add_render_rule("html_block", _html_block)
        self.md.add_render_rule("html_inline", _html_inline)
        self._parsers: dict[frozenset[str], Any] = {frozenset(): self.md}

    def parser(self, body: str) -> Any:
        """A MarkdownIt with only the rules that could match somewhere in ``body``."""
        off = {name for name, chars in _NEEDS.items() if not any(c in body for c in chars)}
        if "\t" not in body and "    " not in body:
            off.add("code")  # an indented code line starts with four columns of blanks
        if _HR.search(body) is None:
            off.add("hr")
        if _UNDERLINE.search(body) is None:
            off.add("lheading")
        key = frozenset(off)
        found = self._parsers.get(key)
        if found is None:
            if len(self._parsers) >= _MAX_PARSERS:
                return self.md
            from markdown_it import MarkdownIt

            found = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
            found.disable(sorted(key))
            self._parsers[key] = found
        return found

    def render(self, body: str) -> tuple[str, str]:
        """``(html, plain text for search)``; the first H1 (the title) is left out."""
        html, text, _ = self.render_links(body)
        return html, text

    def render_links(self, body: str) -> tuple[str, str, tuple[tuple[str, str | None], ...]]:
        """:meth:`render`, and each record file a link named with the page it became
        (None: not a record here), so a memo can tell when the HTML is still right."""
        self.looked_up = {}
        tokens = self.parser(body).parse(body)
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h1":
                del tokens[index : index + 3]
                break
        tokens = _without_empty_sections(tokens)
        words: list[str] = []
        for token in tokens:
            if token.type in ("fence", "code_block"):
                words.append(token.content)
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type == "link_open":
                    child.attrSet("href", self._rewrite(str(child.attrGet("href") or "")))
        text = " ".join(" ".join(words).split())
        html = self.md.renderer.render(tokens, self.md.options, {})
        return html, text, tuple(sorted(self.looked_up.items()))

    def _rewrite(self, href: str) -> str:
        """A link to another record file points at its page instead."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return href
        name = parts.path.rsplit("/", 1)[-1]
        page = self.looked_up[name] = self.record_pages.get(name)
        if page is None:
            return href
        return page + (f"#{parts.fragment}" if parts.fragment else "")


def _is_empty_block(token: Any) -> bool:
    if token.type != "html_block" or (token.meta or {}).get("adr_mark"):
        return False
    return not HTML_COMMENT.sub("", token.content).strip()


def _without_empty_sections(tokens: list[Any]) -> list[Any]:
    """Drop headings whose section (up to the next heading of the same or a higher
    level) holds no content; mark the first H2 "Trade-offs" for the site's table."""
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


def _html_block(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    if (tokens[idx].meta or {}).get("adr_mark"):
        return str(tokens[idx].content) + "\n"
    rest = HTML_COMMENT.sub("", tokens[idx].content).strip()
    return f"<p>{html.escape(rest)}</p>\n" if rest else ""


def _html_inline(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return html.escape(HTML_COMMENT.sub("", tokens[idx].content))


def read_body(decision: Decision) -> str:
    """The Markdown body of a record (front matter removed); empty if unreadable."""
    try:
        return body_of(decision.path, decision.path.read_bytes())
    except OSError:
        return ""


def body_of(path: Path, raw: bytes) -> str:
    """The Markdown body in a record file's bytes (front matter removed)."""
    text = raw.decode("utf-8", errors="replace").replace("\x00", "")
    try:
        return frontmatter.split(text, path).body
    except ParseError:
        return frontmatter.normalise(text)[0]
