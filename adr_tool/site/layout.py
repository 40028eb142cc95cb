"""The layout of the site's SVG decision graph: node boxes on a grid and curved edges.

A supersession chain runs left to right on one row; records without any relation are
packed in a grid below. ``templates/site/graph.html`` draws the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adr_tool.model import Decision, format_id
from adr_tool.publish.graph import edges as relations

NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 230, 46, 56, 26, 10


def layout(decisions: Sequence[Decision], pages: Mapping[int, str]) -> dict[str, Any]:
    """A layered layout: a supersession chain runs left to right on one row (column =
    depth in the chain); records without any relation are packed in a grid below."""
    by_number = {d.number: d for d in reversed(decisions)}  # the first record wins a number
    found = {
        (e.target, e.source, e.rel) if e.rel == "supersedes" else (e.source, e.target, e.rel)
        for e in relations(list(by_number.values()))
        if e.source in by_number and e.target in by_number and e.source != e.target
    }
    edges = sorted(found)  # supersession drawn old -> new
    preds: dict[int, set[int]] = {}
    for src, dst, rel in edges:
        if rel == "supersedes":
            preds.setdefault(dst, set()).add(src)
    depth: dict[int, int] = {}

    def depth_of(n: int, seen: frozenset[int] = frozenset()) -> int:
        if n not in depth:
            parents = [p for p in preds.get(n, ()) if p not in seen]
            depth[n] = 1 + max((depth_of(p, seen | {n}) for p in parents), default=-1)
        return depth[n]

    linked = sorted({n for e in edges for n in e[:2]}, key=lambda n: (depth_of(n), n))
    cell: dict[int, tuple[int, int]] = {}
    rows = 0
    for n in linked:
        col = depth_of(n)
        free = [cell[p][0] for p in sorted(preds.get(n, ())) if p in cell]
        row = next((r for r in free if (r, col) not in cell.values()), rows)
        rows = max(rows, row + 1)
        cell[n] = (row, col)
    cols = max([c for _, c in cell.values()] + [3]) + 1
    loose = [n for n in sorted(by_number) if n not in cell]
    for index, n in enumerate(loose):
        cell[n] = (rows + index // cols, index % cols)
    rows += -(-len(loose) // cols)

    def xy(n: int) -> tuple[int, int]:
        row, col = cell[n]
        return PAD + col * (NODE_W + GAP_X), PAD + row * (NODE_H + GAP_Y)

    nodes = []
    for n in sorted(by_number):
        d, (x, y) = by_number[n], xy(n)
        short = d.title if len(d.title) <= 30 else d.title[:29].rstrip() + "…"
        nodes.append(
            {
                "x": x,
                "y": y,
                "id": d.id,
                "title": d.title,
                "short": short,
                "status": d.status or "unknown",
                "href": pages[n],
            }
        )
    lines = []
    for src, dst, rel in edges:
        label = (
            f"{format_id(dst)} supersedes {format_id(src)}"
            if rel == "supersedes"
            else (f"{format_id(src)} {rel} {format_id(dst)}")
        )
        lines.append(
            {
                "path": _curve(xy(src), xy(dst)),
                "supersedes": rel == "supersedes",
                "label": label,
            }
        )
    width = PAD * 2 + cols * (NODE_W + GAP_X) - GAP_X
    height = PAD * 2 + max(rows, 1) * (NODE_H + GAP_Y) - GAP_Y
    return {
        "nodes": nodes,
        "edges": lines,
        "width": width,
        "height": height,
        "node_w": NODE_W,
        "node_h": NODE_H,
    }


def _curve(source: tuple[int, int], target: tuple[int, int]) -> str:
    """An SVG path between two node boxes (top-left corners): sideways when the target
    lies to the right, otherwise from one box's bottom (or top) edge to the other's."""
    (x1, y1), (x2, y2) = source, target
    if x2 > x1:
        a, b = (x1 + NODE_W, y1 + NODE_H // 2), (x2, y2 + NODE_H // 2)
        bend = max(24, (b[0] - a[0]) // 2)
        return f"M{a[0]},{a[1]} C{a[0] + bend},{a[1]} {b[0] - bend},{b[1]} {b[0]},{b[1]}"
    if y1 == y2:
        a, b = (x1, y1 + NODE_H // 2), (x2 + NODE_W, y2 + NODE_H // 2)
        bend = max(24, (a[0] - b[0]) // 2)
        return f"M{a[0]},{a[1]} C{a[0] - bend},{a[1]} {b[0] + bend},{b[1]} {b[0]},{b[1]}"
    down = 1 if y2 > y1 else -1
    a = (x1 + NODE_W // 2, y1 + (NODE_H if down > 0 else 0))
    b = (x2 + NODE_W // 2, y2 + (0 if down > 0 else NODE_H))
    bend = down * max(12, abs(b[1] - a[1]) // 2)
    return f"M{a[0]},{a[1]} C{a[0]},{a[1] + bend} {b[0]},{b[1] - bend} {b[0]},{b[1]}"
