"""Shell completion: record numbers (with titles), statuses, axes, ``axis=side`` pairs and
tags, read from the repository the command line points at (``-C`` included).

Completion must never fail loudly: a repository that cannot be read completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

from adr_tool.errors import AdrError

if TYPE_CHECKING:
    from adr_tool.config import Settings
    from adr_tool.model import Decision

Items = list[CompletionItem]


def _settings(ctx: click.Context) -> Settings:
    from adr_tool.config import discover

    cwd = ctx.find_root().params.get("cwd")
    return discover(Path(cwd) if cwd else Path.cwd())


def _records(ctx: click.Context) -> list[Decision]:
    from adr_tool.records.store import Store

    return Store(_settings(ctx)).load_all()


def _quietly(find: Callable[[], Items]) -> Items:
    try:
        return find()
    except (AdrError, OSError, ValueError):
        return []


def record_numbers(ctx: click.Context, incomplete: str) -> Items:
    """``7`` → every record whose number starts so (``0007``, ``ADR-7`` typed work too)."""

    def find() -> Items:
        typed = incomplete.upper().removeprefix("ADR-").lstrip("0")
        out = []
        for d in sorted(_records(ctx), key=lambda d: d.number):
            if str(d.number).startswith(typed) or d.id.startswith(incomplete):
                out.append(CompletionItem(str(d.number), help=d.title))
        return out

    return _quietly(find)


def statuses(ctx: click.Context, param: click.Parameter, incomplete: str) -> Items:
    return _quietly(
        lambda: [
            CompletionItem(s) for s in _settings(ctx).statuses if s.startswith(incomplete.lower())
        ]
    )


def axes(ctx: click.Context, param: click.Parameter, incomplete: str) -> Items:
    return _quietly(
        lambda: [
            CompletionItem(a.name, help=f"{a.sides[0]} | {a.sides[1]}")
            for a in _settings(ctx).axes
            if a.name.startswith(incomplete)
        ]
    )


def tradeoff_pairs(ctx: click.Context, param: click.Parameter, incomplete: str) -> Items:
    """``perf`` → ``performance-vs-development-speed=performance`` and ``=development-speed``."""
    return _quietly(
        lambda: [
            CompletionItem(f"{a.name}={side}", help=f"favours {side} over {a.other(side)}")
            for a in _settings(ctx).axes
            for side in a.sides
            if f"{a.name}={side}".startswith(incomplete)
        ]
    )


def tags(ctx: click.Context, param: click.Parameter, incomplete: str) -> Items:
    return _quietly(
        lambda: [
            CompletionItem(tag)
            for tag in sorted({t for d in _records(ctx) for t in d.tags})
            if tag.startswith(incomplete)
        ]
    )


def status_argument(ctx: click.Context, param: click.Parameter, incomplete: str) -> Items:
    return statuses(ctx, param, incomplete)
