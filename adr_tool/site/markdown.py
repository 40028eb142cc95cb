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
from adr_tool.records.text import read_bytes

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
# A thematic break: three of one marker on a line with only spaces or tabs between them
# (one pattern per marker: a literal first character is found far faster than a class).
_HR = tuple(re.compile(rf"{m}[ \t]*{m}[ \t]*{m}") for m in ("-", r"\*", "_"))
# A setext underline: a line ending in "=" or "-" (then only spaces or tabs).
_UNDERLINE = tuple(re.compile(rf"{m}[ \t]*(?:\r|\n|\Z)") for m in ("-", "="))
_MAX_PARSERS = 64  # distinct rule sets kept (each a MarkdownIt instance)
_CODE_BLOCKS = frozenset(("fence", "code_block"))  # their content is searchable text
_WORDS = frozenset(("text", "code_inline"))
_HEADING_PARTS = frozenset(("heading_open", "inline", "heading_close"))


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
        if not any(pattern.search(body) for pattern in _HR):
            off.add("hr")
        if not any(pattern.search(body) for pattern in _UNDERLINE):
            off.add("lheading")
        if "escape" in off and "entity" in off:
            off.add("text_join")  # only they make the text_special tokens it joins
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
        append = words.append
        rewrite = self._rewrite
        for token in tokens:
            if token.type in _CODE_BLOCKS:
                append(token.content)
            for child in token.children or ():
                kind = child.type
                if kind in _WORDS:
                    append(child.content)
                elif kind == "link_open":
                    child.attrSet("href", rewrite(str(child.attrGet("href") or "")))
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
    level) holds no content; mark the first H2 "Trade-offs" for the site's table.
    One pass to find where each section ends and one for where content next appears."""
    count = len(tokens)
    empty = [token.type == "html_block" and _is_empty_block(token) for token in tokens]
    # the first token at or after each place that is content (not a heading's own three
    # tokens, not an empty block): a section holds content if it comes before its end
    following = [count] * (count + 1)
    for index in range(count - 1, -1, -1):
        kind = tokens[index].type
        content = kind not in _HEADING_PARTS and not empty[index]
        following[index] = index if content else following[index + 1]
    headings: list[tuple[int, int]] = []  # (start, level), in order
    ends: dict[int, int] = {}
    open_: list[tuple[int, int]] = []  # headings whose section is still open
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1:])
            while open_ and open_[-1][1] >= level:
                ends[open_.pop()[0]] = index
            open_.append((index, level))
            headings.append((index, level))
    drop: set[int] = set()
    marked = False
    for start, level in headings:
        content = following[min(start + 3, count)] < ends.get(start, count)
        if level == 2 and not marked:
            title = " ".join(tokens[start + 1].content.split()).lower()
            if title in SECTION_ALIASES["tradeoffs"]:
                marked = True
                mark = tokens[start]
                mark.type, mark.tag, mark.nesting = "html_block", "", 0
                mark.content = TRADEOFFS_MARK if content else TRADEOFFS_EMPTY_MARK
                mark.meta = {"adr_mark": True}
                drop.update((start + 1, start + 2))
                continue
        if not content:
            drop.update((start, start + 1, start + 2))
    return [t for i, t in enumerate(tokens) if not empty[i] and i not in drop]


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
        return body_of(decision.path, read_bytes(decision.path))
    except OSError:
        return ""


def body_of(path: Path, raw: bytes) -> str:
    """The Markdown body in a record file's bytes (front matter removed)."""
    text = raw.decode("utf-8", errors="replace").replace("\x00", "")
    try:
        return frontmatter.split(text, path).body
    except ParseError:
        return frontmatter.normalise(text)[0]
