"""The site's graph layout: layered, and no edge drawn through a box it does not connect."""

from __future__ import annotations

import bisect
import itertools
import random
import time
from pathlib import Path
from typing import Any

import pytest

from adr_tool.model import Decision, Link
from adr_tool.site.layout import layout, wrap


def decision(n: int, **kw: Any) -> Decision:
    return Decision(n, Path(f"{n:04d}-x.md"), kw.pop("title", f"Decision {n}"), **kw)


def corpus(size: int, seed: int, isolated: float = 0.3) -> list[Decision]:
    """Random records: each may supersede or link a few older ones; some stand alone."""
    rng = random.Random(seed)
    out = []
    for n in range(1, size + 1):
        older = list(range(1, n))
        supersedes: tuple[int, ...] = ()
        links: tuple[Link, ...] = ()
        if older and rng.random() > isolated:
            picks = rng.sample(older, min(len(older), rng.choice((1, 1, 1, 2, 3))))
            if rng.random() < 0.4:
                supersedes = (picks[0],)
                picks = picks[1:]
            links = tuple(Link(rng.choice(("Amends", "Relies on", "Refines")), p) for p in picks)
        words = " ".join(
            rng.choice(("cache", "orders", "store", "PostgreSQL", "한국어"))
            for _ in range(rng.randint(1, 14))
        )
        out.append(decision(n, title=words, supersedes=supersedes, links=links))
    return out


def draw(decisions: list[Decision]) -> dict[str, Any]:
    return layout(decisions, {d.number: f"{d.number}.html" for d in decisions})


def crossings(graph: dict[str, Any]) -> list[str]:
    """Every (edge segment, box) pair where the segment enters a box it does not connect."""
    boxes = sorted((n["x"], n["y"], n["w"], n["h"], n["number"]) for n in graph["nodes"])
    xs = [b[0] for b in boxes]
    width = max((b[2] for b in boxes), default=0)
    found = []
    for edge in graph["edges"]:
        ends = {edge["source"], edge["target"]}
        points = edge["points"]
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2, f"not orthogonal: {edge}"
            lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            start = bisect.bisect_left(xs, lo_x - width)
            for x, y, w, h, number in boxes[start : bisect.bisect_right(xs, hi_x)]:
                if number in ends:
                    continue
                # strictly inside, or running along an edge of the box, both mislead
                if lo_x <= x + w and hi_x >= x and lo_y <= y + h and hi_y >= y:
                    found.append(f"{edge['title']} crosses {number}")
    return found


def overlaps(graph: dict[str, Any]) -> list[tuple[int, int]]:
    boxes = sorted((n["x"], n["y"], n["w"], n["h"], n["number"]) for n in graph["nodes"])
    bad = []
    for i, (x, y, w, h, a) in enumerate(boxes):
        for x2, y2, _w2, h2, b in boxes[i + 1 :]:
            if x2 >= x + w:
                break
            if y < y2 + h2 and y2 < y + h:
                bad.append((a, b))
    return bad


def test_the_misleading_case_is_routed_around() -> None:
    """A link from 8 to 2 once ran straight through 3 and 5 and read as 3 amends 2."""
    records = [
        decision(2),
        decision(3, supersedes=(2,)),
        decision(5, supersedes=(3,)),
        decision(8, links=(Link("Amends", 2),)),
        decision(9),
    ]
    graph = draw(records)
    assert crossings(graph) == [] and overlaps(graph) == []
    by_rel = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert by_rel[(8, 2)]["label"] == "Amends" and by_rel[(3, 2)]["label"] == "supersedes"
    assert by_rel[(8, 2)]["marker"] == "start"  # 2 is left of 8: the arrow points back to it
    x = {n["number"]: n["x"] for n in graph["nodes"]}
    assert x[2] < x[3] < x[5]  # layers: each record right of the older ones it relates to
    assert x[8] > x[2]
    nine = next(n for n in graph["nodes"] if n["number"] == 9)
    assert nine["y"] > max(n["y"] + n["h"] for n in graph["nodes"] if n["number"] != 9)


@pytest.mark.parametrize(("size", "seed"), [(5, 1), (30, 2), (120, 3), (400, 4), (1000, 5)])
def test_no_edge_crosses_a_box_it_does_not_connect(size: int, seed: int) -> None:
    records = corpus(size, seed)
    started = time.perf_counter()
    graph = draw(records)
    elapsed = time.perf_counter() - started
    assert len(graph["nodes"]) == size
    assert crossings(graph) == []
    assert overlaps(graph) == []
    for node in graph["nodes"]:  # every box inside the drawing
        assert node["x"] >= 0 and node["x"] + node["w"] <= graph["width"]
        assert node["y"] >= 0 and node["y"] + node["h"] <= graph["height"]
    assert elapsed < 10, f"layout of {size} took {elapsed:.1f}s"


def test_the_crossing_check_can_fail() -> None:
    graph = draw([decision(1, links=(Link("Amends", 3),)), decision(2), decision(3)])
    two = next(n for n in graph["nodes"] if n["number"] == 2)
    graph["edges"].append(
        {
            "source": 1,
            "target": 3,
            "title": "fake",
            "points": [(0, two["y"] + 5), (9999, two["y"] + 5)],
        }
    )
    assert crossings(graph) == ["fake crosses 2"]


def test_titles_wrap_on_words_and_wide_glyphs_count_double() -> None:
    assert wrap("Store orders in PostgreSQL with logical replication", 20) == [
        "Store orders in",
        "PostgreSQL with",
        "logical replication",
    ]
    assert wrap("한국어 " * 10, 13, 2) == ["한국어 한국어", "한국어 한국…"]
    assert wrap("x" * 50, 20, 3) == ["x" * 20, "x" * 20, "x" * 10]
    assert wrap("", 20) == [""]
