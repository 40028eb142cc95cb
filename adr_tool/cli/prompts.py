"""The questions ``adr new`` asks on a terminal: axis, side, cost, revisit-when."""

from __future__ import annotations

import click

from adr_tool.actions.create import TradeoffRequest
from adr_tool.cli.app import echo
from adr_tool.cli.messages import say
from adr_tool.model import Axis

NONE = "none"


def ask_tradeoffs(axes: tuple[Axis, ...], lang: str = "en") -> list[TradeoffRequest]:
    """One trade-off after another until the author answers ``none`` or declines more."""
    if not axes:
        return []
    chosen: list[TradeoffRequest] = []
    names = [a.name for a in axes]
    while True:
        for a in axes:
            echo(f"  {a.name}: {a.sides[0]} | {a.sides[1]}", err=True)
        name = click.prompt(
            say("ask-axis", lang),
            type=click.Choice([*names, NONE]),
            default=NONE if chosen else names[0],
            err=True,
        )
        if name == NONE:
            return chosen
        axis = axes[names.index(name)]
        side = click.prompt(
            say("ask-side", lang, axis=axis.name), type=click.Choice(list(axis.sides)), err=True
        )
        cost = click.prompt(
            say(
                "ask-cost",
                lang,
                side=axis.side_label(side),
                other=axis.side_label(axis.other(side)),
            ),
            default="",
            show_default=False,
            err=True,
        )
        revisit = click.prompt(
            say("ask-revisit", lang),
            default="",
            show_default=False,
            err=True,
        )
        chosen.append(
            TradeoffRequest(
                f"{axis.name}={side}", " ".join(cost.split()), " ".join(revisit.split())
            )
        )
        if not click.confirm(say("ask-more", lang), default=False, err=True):
            return chosen
