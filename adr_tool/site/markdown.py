"""Record bodies as HTML for ``adr site``: markdown-it-py, imported only when a site is built.

CommonMark plus tables and strikethrough; raw HTML is shown as text, HTML comments are
dropped, and a link to another record file points at that record's page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from adr_tool.errors import ParseError
from adr_tool.model import Decision
from adr_tool.publish.render import HTML_COMMENT
from adr_tool.records import frontmatter


class MarkdownRenderer:
    """CommonMark + tables via markdown-it-py; raw HTML escaped, comments dropped."""

    def __init__(self, record_pages: Mapping[str, str]) -> None:
        from markdown_it import MarkdownIt

        self.record_pages = record_pages  # "0003-x.md" -> "0003-x.html"
        # html=True so raw HTML becomes html_* tokens we control (escape or drop).
        self.md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        self.md.add_render_rule("html_block", _html_block)
        self.md.add_render_rule("html_inline", _html_inline)

    def render(self, body: str) -> tuple[str, str]:
        """``(html, plain text for search)``; the first H1 (the title) is left out."""
        tokens = self.md.parse(body)
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h1":
                del tokens[index : index + 3]
                break
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
        return self.md.renderer.render(tokens, self.md.options, {}), text

    def _rewrite(self, href: str) -> str:
        """A link to another record file points at its page instead."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return href
        page = self.record_pages.get(parts.path.rsplit("/", 1)[-1])
        if page is None:
            return href
        return page + (f"#{parts.fragment}" if parts.fragment else "")


def _html_block(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    rest = HTML_COMMENT.sub("", tokens[idx].content).strip()
    return f"<p>{html.escape(rest)}</p>\n" if rest else ""


def _html_inline(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return html.escape(HTML_COMMENT.sub("", tokens[idx].content))


def read_body(decision: Decision) -> str:
    """The Markdown body of a record (front matter removed); empty if unreadable."""
    try:
        text = decision.path.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")
    except OSError:
        return ""
    try:
        return frontmatter.split(text, decision.path).body
    except ParseError:
        return frontmatter.normalise(text)[0]
