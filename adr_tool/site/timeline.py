"""The home page's "lean over time": per axis, a small SVG step chart, drawn here as
plain numbers so the template only places them (no chart library in the browser).

Side one's count rises above a middle line, side two's falls below it; each side has a
pattern (hatching, dots) and a text label with today's count, so the chart reads without
colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from adr_tool.model import Axis, Decision
from adr_tool.publish.lean import lean_over_time

WIDTH, HEIGHT, LEFT, RIGHT, MID, HALF = 480, 124, 26, 474, 58, 50


def lean_charts(axes: Sequence[Axis], decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """Per axis: the step areas as SVG paths, the event ticks and the labels."""
    out = []
    for lean in lean_over_time(axes, decisions):
        steps = lean["steps"]
        chart: dict[str, Any] = {
            "axis": lean["axis"],
            "title": lean["title"],
            "labels": lean["labels"],
            "steps": steps,
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right": RIGHT,
            "mid": MID,
        }
        if not steps:
            out.append({**chart, "empty": True})
            continue
        days = [dt.date.fromisoformat(s["date"]).toordinal() for s in steps]
        first, last = days[0], days[-1]
        end = last + max(1, round((last - first) * 0.08))  # today's state stays visible

        def x(day: int, first: int = first, end: int = end) -> int:
            return LEFT + round((day - first) * (RIGHT - LEFT) / (end - first))

        top = max(max(s["counts"]) for s in steps) or 1
        areas = []
        for side, sign in ((0, -1), (1, 1)):
            points = [(LEFT, MID)]
            for place, step in enumerate(steps):
                height = sign * round(step["counts"][side] * HALF / top)
                stop = x(days[place + 1]) if place + 1 < len(steps) else RIGHT
                points += [(x(days[place]), MID + height), (stop, MID + height)]
            points.append((RIGHT, MID))
            areas.append("M" + " L".join(f"{px},{py}" for px, py in points) + " Z")
        now = steps[-1]["counts"]
        out.append(
            {
                **chart,
                "empty": False,
                "areas": areas,
                "ticks": [x(day) for day in days],
                "top": top,
                "first": steps[0]["date"],
                "last": steps[-1]["date"],
                "last_x": x(last),
                "now": now,
                "summary": "; ".join(
                    f"{label}: {steps[0]['counts'][side]} on {steps[0]['date']}, "
                    f"{now[side]} on {steps[-1]['date']}"
                    for side, label in enumerate(lean["labels"])
                ),
            }
        )
    return out
