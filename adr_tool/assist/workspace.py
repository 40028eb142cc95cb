"""What every assistant tool shares: the repository's settings, a fresh store per call
(records change while the server runs), the renderer, the write permission, the days it
works with, and the paging that keeps every answer bounded in size.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from adr_tool.config import Settings
from adr_tool.errors import Refused, UsageError
from adr_tool.model import Decision
from adr_tool.publish.fingerprint import index_day
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store

# An answer stays under this many characters of JSON, so one call cannot flood the
# assistant's context; what did not fit is one ``next_cursor`` away.
MAX_CHARS = 24_000
MAX_ITEMS = 100
DEFAULT_ITEMS = 20


@dataclass(frozen=True)
class Workspace:
    """One repository, as the server sees it for its whole run."""

    settings: Settings
    new_store: Callable[[], Store]
    new_renderer: Callable[[], Renderer]
    allow_write: bool = False
    today: Callable[[], dt.date] = field(default=dt.date.today)
    index_day: Callable[[], dt.date] = field(default=index_day)  # as the command line

    def decisions(self) -> list[Decision]:
        return self.new_store().load_all()

    def require_write(self, tool: str) -> None:
        if not self.allow_write:
            raise Refused(
                f"{tool} writes to the decisions folder, and this server is read-only;"
                " ask the user to start it with 'adr mcp --allow-write'"
            )


def offset_of(cursor: str | None) -> int:
    """The position a ``next_cursor`` we handed out stands for."""
    if cursor is None or cursor == "":
        return 0
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 9:
        raise UsageError(f"cursor {cursor[:40]!r} is not one this server gave; omit it to start")
    return int(cursor)


def size_of(item: object) -> int:
    return len(json.dumps(item, ensure_ascii=False))


def page(
    items: Sequence[dict[str, Any]], cursor: str | None, limit: int, budget: int = MAX_CHARS
) -> tuple[list[dict[str, Any]], str | None]:
    """Items from the cursor on, at most ``limit`` of them and about ``budget`` characters
    (always at least one), and the cursor of the rest (None when nothing is left)."""
    start = offset_of(cursor)
    if start > len(items):
        raise UsageError(f"cursor {cursor!r} is past the end ({len(items)} items)")
    limit = max(1, min(limit, MAX_ITEMS))
    shown: list[dict[str, Any]] = []
    used = 0
    for item in items[start : start + limit]:
        cost = size_of(item)
        if shown and used + cost > budget:
            break
        shown.append(item)
        used += cost
    end = start + len(shown)
    return shown, (str(end) if end < len(items) else None)


def clip(text: str, cursor: str | None, budget: int = MAX_CHARS) -> tuple[str, str | None]:
    """A slice of a long text and the cursor of the rest."""
    start = offset_of(cursor)
    if start > len(text):
        raise UsageError(f"cursor {cursor!r} is past the end ({len(text)} characters)")
    end = min(len(text), start + budget)
    return text[start:end], (str(end) if end < len(text) else None)
