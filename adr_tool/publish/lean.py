"""The lean over time: per trade-off axis, how many decisions in force favoured each side,
date by date.

A decision counts from its own date while it is in force; a superseded decision counted
from its date until the earliest date of a record that superseded it. Records never in
force (proposed, rejected) and retired ones whose end has no date (deprecated, or
superseded by an undated record) are left out, and so are undated records. Pure data:
the same records give the same steps, no clock.

Also the index's trade-off matrix (:func:`matrix`): the lean today, axis by axis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from adr_tool.config import Settings
from adr_tool.model import Axis, Decision, TradeOff
from adr_tool.publish.render import Escapes, md_inline

Placed = tuple[dict[str, Any], TradeOff]  # a record's ref and one of its trade-offs


def known_axes(configured: Sequence[Axis], decisions: Sequence[Decision]) -> list[Axis]:
    """The configured axes, then any ``a-vs-b`` axis records use that is not configured."""
    axes = list(configured)
    known = {a.name for a in axes}
    for d in decisions:
        for t in d.tradeoffs:
            if t.axis not in known and "-vs-" in t.axis:
                left, right = t.axis.split("-vs-", 1)
                axes.append(Axis(t.axis, (left, right)))
                known.add(t.axis)
    return axes


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def spans(decisions: Sequence[Decision]) -> dict[int, tuple[dt.date, dt.date | None]]:
    """Record number -> (first day in force, first day no longer in force or None)."""
    by_number = {d.number: d for d in reversed(decisions)}
    successors: dict[int, set[int]] = {}
    for d in by_number.values():
        for old in d.supersedes:
            successors.setdefault(old, set()).add(d.number)
        successors.setdefault(d.number, set()).update(d.superseded_by)
    out: dict[int, tuple[dt.date, dt.date | None]] = {}
    for number, d in sorted(by_number.items()):
        start = _day(d.date)
        if start is None:
            continue
        if d.in_force:
            out[number] = (start, None)
        elif d.status == "superseded":
            ends = [
                day
                for n in successors.get(number, ())
                if n in by_number and (day := _day(by_number[n].date)) is not None
            ]
            if ends:
                out[number] = (start, max(start, min(ends)))
    return out


def lean_over_time(axes: Sequence[Axis], decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """Per axis: ``steps``, one per day on which a count changed, each with the number of
    decisions in force favouring each side from that day on."""
    windows = spans(decisions)
    by_number = {d.number: d for d in reversed(decisions)}
    out = []
    for axis in axes:
        changes: dict[dt.date, list[int]] = {}
        for number, (start, end) in windows.items():
            sides = {t.favours for t in by_number[number].tradeoffs if t.axis == axis.name}
            for place, side in enumerate(axis.sides):
                if side in sides:
                    changes.setdefault(start, [0, 0])[place] += 1
                    if end is not None:
                        changes.setdefault(end, [0, 0])[place] -= 1
        counts = [0, 0]
        steps: list[dict[str, Any]] = []
        for day in sorted(changes):
            counts = [counts[0] + changes[day][0], counts[1] + changes[day][1]]
            if steps and steps[-1]["counts"] == counts:
                continue
            steps.append({"date": day.isoformat(), "counts": counts})
        out.append(
            {
                "axis": axis.name,
                "title": axis.title,
                "sides": list(axis.sides),
                "labels": [axis.side_label(s) for s in axis.sides],
                "steps": steps,
            }
        )
    return out


def timeline_json(axes: Sequence[Axis], decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    """The ``timeline`` of ``adr graph --format json``: per axis, dated counts by side."""
    return [
        {
            "axis": lean["axis"],
            "sides": lean["sides"],
            "steps": [
                {"date": step["date"], **dict(zip(lean["sides"], step["counts"], strict=True))}
                for step in lean["steps"]
            ],
        }
        for lean in lean_over_time(axes, decisions)
    ]


# --- the trade-off matrix of the index ------------------------------------------------


def matrix_axes(settings: Settings, named: Collection[str]) -> list[Axis]:
    """The configured axes, then every other ``a-vs-b`` axis a record names (``named``:
    every axis name the records use)."""
    axes = list(settings.localised_axes())
    known = {a.name for a in axes}
    for name in sorted(set(named) - known):
        sides = name.split("-vs-")
        if len(sides) == 2 and all(sides) and sides[0] != sides[1]:
            axes.append(Axis(name, (sides[0], sides[1])))
    return axes


def matrix(
    settings: Settings, on_axis: dict[str, list[Placed]], escapes: Escapes
) -> list[dict[str, Any]]:
    """One block per axis; ``on_axis``: each axis's (ref, trade-off) pairs in record
    order (by number), so a block's rows come out sorted (in force first, by side, by
    number) by putting each in one of six buckets in that order."""
    cell = escapes.cell
    blocks = []
    for axis in matrix_axes(settings, on_axis):
        sides = axis.sides
        labels: dict[str, tuple[int, str]] = {}  # favours → (side, its label as a cell)
        buckets: list[list[dict[str, Any]]] = [[] for _ in range(6)]
        for ref, t in on_axis.get(axis.name, ()):
            favours = t.favours
            side = labels.get(favours)
            if side is None:
                side = labels[favours] = (
                    sides.index(favours) if favours in sides else 2,
                    cell(axis.side_label(favours)),
                )
            buckets[side[0] if ref["in_force"] else 3 + side[0]].append(
                {
                    **ref,
                    "side": side[0],
                    "favours": side[1],
                    "cost": cell(t.cost),
                    "revisit_when": cell(t.revisit_when),
                }
            )
        blocks.append(axis_block(axis, buckets))
    return blocks


def axis_block(axis: Axis, buckets: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """An axis's block of the matrix from its six buckets of rows (in force on the first
    side, on the second, on neither; then the same not in force), in that order."""
    rows = [row for bucket in buckets for row in bucket]
    counts = [len(buckets[0]), len(buckets[1])]
    total = len(buckets[0]) + len(buckets[1]) + len(buckets[2])
    lead = 0 if counts[0] >= counts[1] else 1
    sides = axis.sides
    return {
        "name": axis.name,
        "title": md_inline(axis.title),
        "rows": rows,
        "in_force": total,
        "shown_only": len(rows) - total,
        "lean": counts[lead] if counts[0] != counts[1] else 0,
        "tie": total > 0 and counts[0] == counts[1],
        "favoured": md_inline(axis.side_label(sides[lead])),
        "other": md_inline(axis.side_label(sides[1 - lead])),
    }
