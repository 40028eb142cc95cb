"""The layout of the site's SVG decision graph: layered, with edges routed around boxes.

Each connected group of related decisions is laid out in columns (layers): a record sits
one column right of the highest-placed record it is related to that has a smaller number,
so time runs left to right and every edge points to a later column. An edge that spans
several columns passes through a reserved empty slot in each column between (a "dummy"
node), and the order inside each column is improved by barycentre sweeps to cut
crossings. Edges are orthogonal: horizontal runs only at the height of a box's port or a
reserved slot, vertical runs only in the channels between columns, each on its own
track. So no edge can pass through a box it does not connect. Records without any
relation are packed in a grid below. ``templates/site/graph.html`` draws the result.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from adr_tool.model import Decision, format_id
from adr_tool.publish.graph import edges as relations
from adr_tool.site.fields import Fields

NODE_W, PAD, GAP_Y, BAND_GAP, GRID_GAP = 250, 12, 18, 44, 40
LINE_H, HEAD_H, PORT_GAP, DUMMY_H = 16, 26, 14, 8
TRACK, CHANNEL_PAD, CHAR_W = 9, 12, 6.6
WRAP_UNITS, MAX_LINES = 30, 3
SWEEPS = 6
SHARE_GAP = 48  # two runs share a track only this far apart, so they never read as one


@dataclass
class _Slot:
    """A box or a reserved pass-through slot in one column."""

    key: int  # record number, or a negative id for a dummy
    layer: int
    height: int
    order: float = 0.0
    y: int = 0
    up: list[int] = field(default_factory=list)  # neighbours one column left
    down: list[int] = field(default_factory=list)  # neighbours one column right


def wrap(title: str, units: int = WRAP_UNITS, lines: int = MAX_LINES) -> list[str]:
    """Word-wrap a title into at most ``lines`` lines of ``units`` (wide glyphs count 2)."""

    def width(text: str) -> int:
        if text.isascii():
            return len(text)
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    out: list[str] = []
    current = ""
    for word in title.split():
        while width(word) > units:  # a word longer than a line is cut
            cut = 1
            while cut < len(word) and width(word[: cut + 1]) <= units:
                cut += 1
            if current:
                out.append(current)
                current = ""
            out.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if width(candidate) <= units:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        last = out[lines - 1]
        while last and width(last) > units - 1:
            last = last[:-1]
        out = [*out[: lines - 1], last.rstrip() + "…"]
    return out or [""]


def _components(numbers: Sequence[int], pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    parent = {n: n for n in numbers}

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for n in sorted(numbers):
        groups.setdefault(find(n), []).append(n)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _order(slots: dict[int, _Slot], layers: list[list[int]]) -> None:
    """Barycentre sweeps, down then up, ending on a downward sweep."""
    for rank, key in enumerate(layers[0]):
        slots[key].order = rank

    def sweep(indices: range, side: str) -> None:
        for index in indices:
            column = layers[index]
            for key in column:
                near = getattr(slots[key], side)
                if near:
                    slots[key].order = sum(slots[k].order for k in near) / len(near)
            column.sort(key=lambda k: (slots[k].order, k))
            for rank, key in enumerate(column):
                slots[key].order = rank

    for turn in range(SWEEPS):
        if turn % 2 == 0:
            sweep(range(1, len(layers)), "up")
        else:
            sweep(range(len(layers) - 2, -1, -1), "down")
    sweep(range(1, len(layers)), "up")


def layout(decisions: Sequence[Decision], pages: Mapping[int, str]) -> dict[str, Any]:
    """Nodes (boxes with wrapped titles), routed edges with labels, and the drawing size."""
    by_number = {d.number: d for d in reversed(decisions)}  # the first record wins a number
    found = sorted(
        {
            (e.source, e.target, e.rel)
            for e in relations(list(by_number.values()))
            if e.source in by_number and e.target in by_number and e.source != e.target
        }
    )
    pairs = [(min(s, t), max(s, t)) for s, t, _ in found]
    linked = sorted({n for p in pairs for n in p})
    neighbours: dict[int, set[int]] = {}
    for a, b in pairs:
        neighbours.setdefault(b, set()).add(a)
    layer: dict[int, int] = {}
    for n in linked:  # longest path in number order: every edge points right
        layer[n] = 1 + max((layer[p] for p in neighbours.get(n, ())), default=-1)

    lines = {n: wrap(d.title or "(untitled)") for n, d in by_number.items()}
    ports_in = {n: 0 for n in by_number}
    ports_out = {n: 0 for n in by_number}
    for a, b in pairs:
        ports_out[a] += 1
        ports_in[b] += 1

    def box_height(n: int) -> int:
        text = HEAD_H + LINE_H * len(lines[n]) + 6
        return max(text, (max(ports_in[n], ports_out[n]) + 1) * PORT_GAP)

    slots: dict[int, _Slot] = {n: _Slot(n, layer[n], box_height(n)) for n in linked}
    chains: list[list[int]] = []  # per edge: the slot keys from left to right
    next_dummy = -1
    for a, b in pairs:
        chain = [a]
        for column in range(layer[a] + 1, layer[b]):
            slots[next_dummy] = _Slot(next_dummy, column, DUMMY_H)
            chain.append(next_dummy)
            next_dummy -= 1
        chain.append(b)
        for left, right in itertools.pairwise(chain):
            slots[left].down.append(right)
            slots[right].up.append(left)
        chains.append(chain)

    # Columns are shared by every group; each group is a band below the one before.
    columns = max(layer.values(), default=-1) + 1
    band_of: dict[int, int] = {}
    groups = _components(linked, pairs)
    for band, group in enumerate(groups):
        for n in group:
            band_of[n] = band
    for chain in chains:
        for key in chain[1:-1]:
            band_of[key] = band_of[chain[0]]
    band_layers: list[list[list[int]]] = [[[] for _ in range(columns)] for _ in groups]
    for key in sorted(slots, key=lambda k: (k < 0, abs(k))):
        band_layers[band_of[key]][slots[key].layer].append(key)
    top = PAD
    for band_columns in band_layers:
        _order(slots, band_columns)
        bottom = top
        for stack in band_columns:
            y = top
            for key in stack:
                slots[key].y = y
                y += slots[key].height + GAP_Y
            bottom = max(bottom, y - GAP_Y)
        top = bottom + BAND_GAP

    # Ports: each edge leaves its left end's right side and enters its right end's left
    # side at its own height, ordered by where the other end lies.
    port_y: dict[tuple[int, int], int] = {}  # (edge index, 0 = left end / 1 = right end)
    for side, end, other in ((0, 0, 1), (1, -1, -2)):
        by_slot: dict[int, list[int]] = {}
        for index, chain in enumerate(chains):
            by_slot.setdefault(chain[end], []).append(index)
        for key, indices in by_slot.items():
            slot = slots[key]
            indices.sort(key=lambda i: (slots[chains[i][other]].y, i))
            step = slot.height / (len(indices) + 1)
            for rank, index in enumerate(indices, 1):
                port_y[(index, side)] = slot.y + round(step * rank)

    # Hops: one per edge per channel, each given a vertical track.
    def centre(key: int) -> int:
        return slots[key].y + slots[key].height // 2

    hops: dict[int, list[tuple[int, int, int]]] = {}  # channel -> (edge, y from, y to)
    for index, chain in enumerate(chains):
        for step, (left, right) in enumerate(itertools.pairwise(chain)):
            y0 = port_y[(index, 0)] if step == 0 else centre(left)
            y1 = port_y[(index, 1)] if right == chain[-1] else centre(right)
            hops.setdefault(slots[left].layer, []).append((index, y0, y1))
    track_of: dict[tuple[int, int], int] = {}
    tracks = [0] * columns
    label_w = [0] * columns
    labels = [_label(rel) for _, _, rel in found]
    for channel, items in hops.items():
        ends: list[int] = []  # per track: the lowest y used so far
        for index, y0, y1 in sorted(items, key=lambda h: (min(h[1], h[2]), max(h[1], h[2]))):
            if y0 == y1:
                track_of[(index, channel)] = -1
            else:
                low, high = min(y0, y1), max(y0, y1)
                free = next((t for t, end in enumerate(ends) if end + SHARE_GAP < low), len(ends))
                if free == len(ends):
                    ends.append(high)
                else:
                    ends[free] = high
                track_of[(index, channel)] = free
            if slots[chains[index][-1]].layer == channel + 1:
                label_w[channel] = max(label_w[channel], round(len(labels[index]) * CHAR_W) + 14)
        tracks[channel] = len(ends)
    col_x = [PAD] * max(columns, 1)
    channel_w = [2 * CHANNEL_PAD + TRACK * tracks[c] + label_w[c] for c in range(columns)]
    for c in range(1, columns):
        col_x[c] = col_x[c - 1] + NODE_W + max(60, channel_w[c - 1])

    drawn = []
    for index, chain in enumerate(chains):
        src, dst, rel = found[index]
        points: list[tuple[int, int]] = []
        for step, (left, right) in enumerate(itertools.pairwise(chain)):
            c = slots[left].layer
            y0 = port_y[(index, 0)] if step == 0 else centre(left)
            y1 = port_y[(index, 1)] if right == chain[-1] else centre(right)
            start = col_x[c] + NODE_W
            end = col_x[c + 1]
            if step:
                points.append((col_x[c], y0))  # through the reserved slot
            points.append((start, y0))
            if y0 != y1:
                x = start + CHANNEL_PAD + TRACK * track_of[(index, c)]
                points += [(x, y0), (x, y1)]
            points.append((end, y1))
        left_end = chain[0]
        last_x, last_y = points[-1]
        drawn.append(
            Fields(
                {
                    "source": src,
                    "target": dst,
                    "rel": rel,
                    "label": labels[index],
                    "title": f"{format_id(src)} {labels[index]} {format_id(dst)}",
                    "points": _simplify(points),
                    "path": "M" + " L".join(f"{x},{y}" for x, y in _simplify(points)),
                    "marker": "start" if dst == left_end else "end",
                    "supersedes": rel == "supersedes",
                    "label_x": last_x - 10,
                    "label_y": last_y - 4,
                }
            )
        )

    width = col_x[-1] + NODE_W + PAD if columns else 0
    boxes = {n: (col_x[slots[n].layer], slots[n].y, slots[n].height) for n in linked}
    loose = [n for n in sorted(by_number) if n not in slots]
    if loose:
        per_row = max(3, (width - PAD) // (NODE_W + GRID_GAP)) if width else 4
        per_row = min(per_row, len(loose))
        top = top if linked else PAD
        for start in range(0, len(loose), per_row):
            row = loose[start : start + per_row]
            for col, n in enumerate(row):
                boxes[n] = (PAD + col * (NODE_W + GRID_GAP), top, box_height(n))
            top += max(box_height(n) for n in row) + GAP_Y
        width = max(width, PAD * 2 + per_row * (NODE_W + GRID_GAP) - GRID_GAP)
    height = (top - (GAP_Y if loose else BAND_GAP)) + PAD if by_number else 0

    nodes = []
    for n in sorted(by_number):
        d = by_number[n]
        x, y, h = boxes[n]
        nodes.append(
            Fields(
                {
                    "number": n,
                    "x": x,
                    "y": y,
                    "w": NODE_W,
                    "h": h,
                    "id": d.id,
                    "title": d.title,
                    "lines": lines[n],
                    "status": d.status or "unknown",
                    "href": pages[n],
                }
            )
        )
    return Fields(
        nodes=nodes,
        edges=drawn,
        width=max(width, 0),
        height=max(height, 0),
        node_w=NODE_W,
    )


def _label(rel: str) -> str:
    return " ".join(rel.split()) or "related"


def _simplify(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop repeated points and the middle of three collinear ones."""
    out: list[tuple[int, int]] = []
    for p in points:
        if out and out[-1] == p:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (ax == bx == p[0]) or (ay == by == p[1]):
                out[-1] = p
                continue
        out.append(p)
    return out
