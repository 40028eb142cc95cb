from __future__ import annotations

import json
from pathlib import Path

from support import Cli


def test_init_new_list_round_trip(project: Path, run: Cli) -> None:
    result = run(
        "new",
        "Cache product pages in Redis",
        "--tradeoff",
        "performance-vs-development-speed=performance",
        "--no-edit",
        "--date",
        "2026-11-24",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "docs/decisions/0002-cache-product-pages-in-redis.md"
    listed = json.loads(run("list", "--format", "json").output)
    assert [d["number"] for d in listed] == [1, 2]
    assert listed[1]["title"] == "Cache product pages in Redis"
    assert listed[1]["status"] == "proposed"
    assert listed[1]["tradeoffs"][0]["favours"] == "performance"
