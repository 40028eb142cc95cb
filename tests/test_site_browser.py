"""``adr site`` end to end in a real headless Chromium, opened from file:// and offline.

Uses Debian's chromium from PATH (skipped without it, or failed under ADR_TEST_REQUIRE_ALL=1),
driven by Playwright for Python (no browser download).
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import CHROMIUM_ARGS as ARGS
from support import chromium
from test_site import build, corpus  # noqa: F401  (the corpus fixture is shared)

# Real Chromium pages: seconds each, so in the slow tier that CI runs in full.
pytestmark = pytest.mark.slow


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


@pytest.fixture
def served(corpus: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:  # noqa: F811
    """``adr site --serve --port 0`` in a subprocess; always stopped after the test."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "adr_tool", "-C", str(corpus), "site", "--serve"]
    process = subprocess.Popen(
        [*command, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=30)
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)$", first.strip())
        assert found, first
        yield found.group(1), process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if terminate is ignored
            process.kill()
            process.wait(timeout=10)
    assert process.poll() is not None


def test_serve_reloads_pages_a_saved_record_changes(
    corpus: Path,  # noqa: F811
    served: tuple[str, subprocess.Popen[str]],
    browser: Any,
) -> None:
    from playwright.sync_api import expect

    url, _ = served
    assert url.startswith("http://127.0.0.1:")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "decisions/0003-cache-product-pages-in-redis.html")
    assert page.locator("h1").inner_text() == "0003. Cache product pages in Redis"
    other = browser.new_page()  # a page the edit does not touch is left alone
    other.goto(url + "decisions/0006-rejected-idea.html")
    other.evaluate("window.untouched = true")
    home = browser.new_page()
    home.goto(url)
    assert "Cache product pages in Redis" in home.locator("body").inner_text()

    record = corpus / "docs/decisions/0003-cache-product-pages-in-redis.md"
    text = record.read_text(encoding="utf-8")
    started = time.monotonic()
    record.write_text(text.replace("in Redis\n", "in Valkey\n"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("0003. Cache product pages in Valkey", timeout=8000)
    elapsed = time.monotonic() - started
    expect(home.locator(".records")).to_contain_text("Cache product pages in Valkey")
    assert other.evaluate("window.untouched === true")
    assert elapsed < 4, f"the page changed {elapsed:.2f}s after the save"
    print(f"\nreload after save: {elapsed:.2f}s")

    # The next save reloads it again: the page carries the new token.
    record.write_text(text.replace("in Redis\n", "in KeyDB\n"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("0003. Cache product pages in KeyDB", timeout=8000)
    assert page.locator("script[src='/__adr/live.js']").count() == 1


def shots_folder(tmp_path: Path) -> Path:
    """Where screenshots go: ``$ADR_SCREENSHOTS`` if set (a CI artifact), else tmp."""
    folder = Path(os.environ.get("ADR_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_fit_the_width_and_are_photographed(
    corpus: Path,  # noqa: F811
    browser: Any,
    tmp_path: Path,
    width: int,
) -> None:
    site = build(corpus, tmp_path / "site")
    folder = shots_folder(tmp_path)
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    pages = {
        "home": "index.html",
        "list": "decisions.html",
        "graph": "graph.html",
        "decision": "decisions/0004-store-orders-in-postgresql.html",
    }
    for name, path in pages.items():
        page.goto((site / path).as_uri())
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        # nothing runs off the side of the page (the graph scrolls inside its own box)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px overflows by {overflow}px"

    page.goto((site / "decisions.html").as_uri())
    controls = page.locator("#filters select, #filters button, #filters input")
    tops = [controls.nth(i).bounding_box()["y"] for i in range(controls.count())]
    if width >= 1000:  # one row of filters on a desktop
        assert max(tops) - min(tops) < 20, tops
    chips = page.locator(".chip")
    assert chips.count() > 3
    for i in range(chips.count()):  # a chip never breaks over two lines
        assert chips.nth(i).bounding_box()["height"] < 24

    page.goto((site / "graph.html").as_uri())
    assert sorted(page.locator(".edge-label").all_text_contents()) == ["Amends", "supersedes"]
    assert page.locator(".graph-legend li").count() == 5
    svg = page.locator("#decision-graph")
    before = svg.bounding_box()["width"]
    page.locator('[data-zoom="in"]').click()
    assert svg.bounding_box()["width"] > before * 1.2
    page.locator("#graph-filter").fill("postgresql")
    assert page.locator("#decision-graph a.node:not(.dim)").count() == 1
    assert errors == []
    print(f"\nscreenshots: {folder}")
