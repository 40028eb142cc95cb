"""``adr site`` end to end in a real headless Chromium, opened from file:// and offline.

Uses Debian's chromium from PATH (skipped without it, or failed under ADR_TEST_REQUIRE_ALL=1),
driven by Playwright for Python (no browser download).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import CHROMIUM_ARGS as ARGS
from support import chromium
from test_site import build, corpus  # noqa: F401  (the corpus fixture is shared)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def test_site_in_a_real_browser(corpus: Path, browser: Any, tmp_path: Path) -> None:  # noqa: F811
    site = build(corpus, tmp_path / "site")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(10_000)
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def only_local(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto((site / "index.html").as_uri())

    # The trade-off chart: one bar per axis, segments sized by their counts.
    assert page.locator("#chart .axis").count() == 3
    perf = page.locator('.axis[data-axis="performance-vs-development-speed"]')
    segments = perf.locator(".segment:not(.zero)")
    assert segments.count() == 2
    assert [segments.nth(i).inner_text() for i in range(2)] == ["1", "1"]
    widths = [segments.nth(i).bounding_box()["width"] for i in range(2)]
    assert abs(widths[0] - widths[1]) < 2 and widths[0] > 100
    scal = page.locator('.axis[data-axis="scalability-vs-simplicity"]')
    bar_width = scal.locator(".bar").bounding_box()["width"]
    only = scal.locator('.segment[data-side="scalability"]').bounding_box()["width"]
    assert abs(only - bar_width) < 2  # 1 decision in force favours scalability, 0 simplicity
    assert "simplicity 0" in scal.locator(".legend").inner_text()
    assert page.locator("#in-force").inner_text() == "3"

    # A segment opens the list filtered to the decisions it counts.
    perf.locator('.segment[data-side="development-speed"]').click()
    page.wait_for_url("**/decisions.html#*")
    visible = page.locator("#decision-list > li:visible .title")
    assert visible.all_inner_texts() == ["Store orders in PostgreSQL"]
    assert page.locator("#shown-count").inner_text() == "1"
    assert page.locator('select[name="side"]').input_value() == (
        "performance-vs-development-speed:development-speed"
    )
    page.locator('button[type="reset"]').click()
    page.locator('select[name="tag"]').select_option("storage")
    assert sorted(visible.all_inner_texts()) == [
        "Store orders in MySQL",
        "Store orders in PostgreSQL",
    ]
    assert "tag=storage" in page.url

    # Search: a word that is only in a body, a cost, and a title that looks like HTML.
    page.goto((site / "index.html").as_uri())
    search = page.locator("#search")
    search.fill("invalidation")
    hits = page.locator("#search-results li.hit .title")
    assert hits.all_inner_texts() == ["Cache product pages in Redis"]
    search.fill("<script>")
    assert hits.all_inner_texts() == ["<script>alert('x')</script> & friends"]
    search.fill("no-such-word-anywhere")
    assert page.locator("#search-results li.none").inner_text() == "No decision matches."
    search.fill("zanzibar")
    assert hits.all_inner_texts() == ["Store orders in PostgreSQL"]
    shot_home = tmp_path / "site-home.png"
    page.screenshot(path=str(shot_home), full_page=True)
    hits.first.click()

    # The decision page, then its supersession link and back through the notice.
    page.wait_for_url("**/decisions/0004-store-orders-in-postgresql.html")
    assert page.locator("h1").inner_text() == "0004. Store orders in PostgreSQL"
    assert page.locator(".tradeoffs tbody tr").count() == 1
    assert "p99 latency about 40 ms" in page.locator(".tradeoffs").inner_text()
    assert page.locator(".body table td").first.inner_text() == "MySQL"
    shot = tmp_path / "site-decision.png"
    page.screenshot(path=str(shot), full_page=True)
    page.locator('a.relation[data-rel="Supersedes"]').click()
    page.wait_for_url("**/decisions/0002-store-orders-in-mysql.html")
    assert page.locator("h1").inner_text() == "0002. Store orders in MySQL"
    assert "superseded by" in page.locator("#superseded-notice").inner_text()
    page.locator("a.successor").click()
    page.wait_for_url("**/decisions/0004-store-orders-in-postgresql.html")

    # The graph page draws an inline SVG with a node per decision.
    page.goto((site / "graph.html").as_uri())
    assert page.locator("#decision-graph a.node").count() == 6
    page.locator('#decision-graph a.node[href$="0002-store-orders-in-mysql.html"]').click()
    page.wait_for_url("**/decisions/0002-store-orders-in-mysql.html")

    assert errors == []
    assert outside == []  # nothing but local files was requested
    print(f"\nscreenshots: {shot_home} {shot}")
