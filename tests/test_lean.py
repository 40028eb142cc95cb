"""The lean over time: per axis, decisions in force by favoured side, date by date."""

from __future__ import annotations

import json
import re
from pathlib import Path

from adr_tool.config import DEFAULT_AXES
from adr_tool.model import Decision, TradeOff
from adr_tool.publish.lean import lean_over_time, spans
from support import Cli
from test_site import build, corpus  # noqa: F401  (the corpus fixture is shared)

PERF = "performance-vs-development-speed"


def record(n: int, date: str, status: str, side: str = "", **kw: object) -> Decision:
    tradeoffs = (TradeOff(PERF, side, "c"),) if side else ()
    return Decision(n, Path(f"{n:04d}-x.md"), f"R{n}", status, date, tradeoffs=tradeoffs, **kw)  # type: ignore[arg-type]


def test_a_supersession_moves_the_lean_on_its_date() -> None:
    records = [
        record(1, "2026-01-01", "superseded", "performance", superseded_by=(3,)),
        record(2, "2026-01-15", "accepted", "performance"),
        record(3, "2026-02-01", "accepted", "development-speed", supersedes=(1,)),
        record(4, "2026-02-10", "proposed", "development-speed"),  # never in force
        record(5, "2026-02-11", "rejected", "performance"),
        record(6, "", "accepted", "performance"),  # undated: no place on a timeline
        record(7, "2026-03-01", "deprecated", "performance"),  # ended on no known date
        record(8, "2026-03-02", "accepted", "development-speed"),
    ]
    perf = lean_over_time(DEFAULT_AXES, records)[0]
    assert perf["axis"] == PERF and perf["labels"] == ["performance", "development speed"]
    assert perf["steps"] == [
        {"date": "2026-01-01", "counts": [1, 0]},
        {"date": "2026-01-15", "counts": [2, 0]},
        {"date": "2026-02-01", "counts": [1, 1]},
        {"date": "2026-03-02", "counts": [1, 2]},
    ]
    assert spans(records)[1][1].isoformat() == "2026-02-01"
    others = lean_over_time(DEFAULT_AXES, records)[1:]
    assert [o["steps"] for o in others] == [[], []]


def test_graph_json_carries_the_timeline(corpus: Path, run: Cli) -> None:  # noqa: F811
    result = run("graph", "--format", "json")
    assert result.exit_code == 0, result.stderr
    timeline = {t["axis"]: t for t in json.loads(result.output)["timeline"]}
    assert timeline[PERF]["sides"] == ["performance", "development-speed"]
    # 0002 (dev speed) from 01-10, 0003 (performance) from 02-01, 0004 replaces 0002 on 03-05
    assert timeline[PERF]["steps"] == [
        {"date": "2026-01-10", "performance": 0, "development-speed": 1},
        {"date": "2026-02-01", "performance": 1, "development-speed": 1},
    ]
    assert timeline["scalability-vs-simplicity"]["steps"] == [
        {"date": "2026-02-01", "scalability": 1, "simplicity": 0}
    ]


def test_home_page_draws_the_lean_as_inline_svg(corpus: Path) -> None:  # noqa: F811
    html = (build(corpus) / "index.html").read_text(encoding="utf-8")
    section = html.split('id="lean"', 1)[1].split("</section>", 1)[0]
    assert "<script" not in section  # no chart library, just SVG
    assert 'id="lean-side-1"' in section and 'id="lean-side-2"' in section  # patterns
    perf = section.split(f'data-axis="{PERF}"', 1)[1].split("</div>", 1)[0]
    assert (
        'aria-label="performance vs development speed: performance: 0 on 2026-01-10, '
        '1 on 2026-02-01; development speed: 1 on 2026-01-10, 1 on 2026-02-01"' in perf
    )
    assert re.findall(r"</svg> ([^<]+) <strong>(\d+)</strong></span>", perf) == [
        ("performance", "1"),
        ("development speed", "1"),
    ]
    assert "<time>2026-01-10</time>" in perf and "<time>2026-02-01</time>" in perf
    areas = re.findall(r'class="lean-area side-\d" d="([^"]+)"', perf)
    assert len(areas) == 2 and all(a.startswith("M") and a.endswith("Z") for a in areas)
