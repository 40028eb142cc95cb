"""The Mermaid graph we emit, checked by Mermaid itself in a real headless Chromium.

``mermaid.parse`` and ``mermaid.render`` from the npm ``mermaid`` package (``.ci/run``
installs it into ``.ci/node`` and sets ``ADR_MERMAID_JS``) run on the text of
``adr graph --format mermaid`` and on the fenced block of ``adr index``, for records whose
titles and relation names hold everything Mermaid might read as syntax. The drawn labels
must show exactly the titles: nothing swallowed, nothing decoded twice.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from adr_tool.config import Settings
from adr_tool.model import Decision, format_id
from adr_tool.publish import index
from adr_tool.publish.graph import mermaid, mermaid_text
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store
from support import CHROMIUM_ARGS as ARGS
from support import chromium, mermaid_js

LONG = "Keep every decision readable " + " ".join(f"word{i}" for i in range(120))
# number → (title, front matter); each title is written as the record's H1.
RECORDS: dict[int, tuple[str, dict[str, Any]]] = {
    1: ("Quotes \"double\" 'single' `back` and | pipes", {"status": "superseded"}),
    2: (
        "<script>alert(1)</script> [x] {y} (z) ; # %% --> ::: end",
        {"status": "accepted", "supersedes": [1]},
    ),
    3: ("Tab\there 주문 처리 🚀 emoji ✓ Ünïcödé", {"status": "accepted"}),
    4: (LONG, {"status": "proposed", "links": [{"rel": "Amends", "to": 9}]}),
    5: (
        "%%{init: {'theme':'dark'}}%% directive-looking",
        {"status": "accepted", "links": [{"rel": 'Re"fines | <b>x</b> %% -->', "to": 3}]},
    ),
    6: ("%%{ unclosed", {"status": "accepted", "supersedes": [5]}),
    7: ("style adr1 fill:#f00; classDef x fill:#0f0;", {"status": "accepted"}),
    8: (
        "Lifestyle: #quot; &amp; &lt; #35; entity-looking & more",
        {
            "status": "accepted",
            "links": [
                {"rel": "Depends on: `x` #1 & style:#f00;", "to": 7},
                {"rel": "Contradicts", "to": 99},
            ],
        },
    ),
    9: (
        "click adr1 call alert() end subgraph %% comment",
        {"status": 'draft "odd" %%{x', "links": [{"rel": "Amended by", "to": 4}]},
    ),
    10: ("\\back\\slash\\ and ]) [( {{ x }} ~~~ ---", {"status": "accepted"}),
}


def write_records(folder: Path) -> Settings:
    """Native records with the nasty titles and relations (front matter as JSON flow)."""
    folder.mkdir(parents=True)
    for number, (title, meta) in RECORDS.items():
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        text = f"---\n{front}\n---\n# {title}\n\n## Context\n\nWhy.\n"
        (folder / f"{format_id(number)}-record-{number}.md").write_text(text, encoding="utf-8")
    return Settings(root=folder.parent, directory=folder, index=folder / "README.md", lang="en")


@pytest.fixture(scope="module")
def decisions(tmp_path_factory: pytest.TempPathFactory) -> list[Decision]:
    settings = write_records(tmp_path_factory.mktemp("nasty") / "decisions")
    loaded = Store(settings).load_all()
    assert {d.number: d.title for d in loaded} == {n: t for n, (t, _) in RECORDS.items()}
    return loaded


def label(d: Decision) -> str:
    """The text a node must show: what graph.mermaid puts in the label, unescaped."""
    return " ".join(f"{d.id}. {d.title or '(no title)'} ({d.status or '?'})".split())


def index_block(decisions: list[Decision], lang: str) -> str:
    folder = decisions[0].path.parent
    settings = Settings(root=folder.parent, directory=folder, index=folder / "README.md", lang=lang)
    text = index.render_index(
        settings, decisions, Renderer(None, lang), commit_counts={}, today=dt.date(2026, 11, 24)
    )
    fence = re.search(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert fence is not None, text
    return fence[1]


# --- Mermaid in Chromium ----------------------------------------------------------------

CHECK = """async (text) => {
  let parsed;
  try {
    parsed = await mermaid.parse(text);
  } catch (error) {
    return {ok: false, error: String((error && error.message) || error)};
  }
  window.renders = (window.renders || 0) + 1;
  const {svg} = await mermaid.render("graph" + window.renders, text);
  const box = document.createElement("div");
  box.innerHTML = svg;
  const texts = (selector) =>
    [...box.querySelectorAll(selector)].map((e) => e.textContent.replace(/\\s+/g, " ").trim());
  return {
    ok: true,
    type: parsed.diagramType,
    nodes: texts(".node .nodeLabel"),
    edges: texts(".edgeLabels g.label"),
    scripts: box.querySelectorAll("script").length,
    svg,
  };
}"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    script, executable = mermaid_js(), chromium()
    html = tmp_path_factory.mktemp("mermaid") / "mermaid.html"
    html.write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<script src="{script.resolve().as_uri()}"></script>'
        "<script>mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});</script>"
        "</head><body></body></html>",
        encoding="utf-8",
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            tab = browser.new_page()
            tab.set_default_timeout(30_000)
            errors: list[str] = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))

            def only_local(route: Any) -> None:
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    route.abort()

            tab.route("**/*", only_local)
            tab.goto(html.as_uri())
            assert tab.evaluate("typeof mermaid") == "object", errors
            yield tab
            assert errors == []
        finally:
            browser.close()


def check(page: Any, text: str) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(CHECK, text)
    return result


def assert_drawn(page: Any, text: str, decisions: list[Decision], drawn: set[int]) -> None:
    result = check(page, text)
    assert result["ok"], f"{result['error']}\n--- mermaid text ---\n{text}"
    assert result["type"] in {"flowchart-v2", "flowchart"}
    assert result["scripts"] == 0
    by_number = {d.number: d for d in decisions}
    expected = sorted(label(by_number[n]) for n in drawn if n in by_number)
    expected += [f"{format_id(n)} (missing)" for n in sorted(drawn - set(by_number))]
    assert sorted(result["nodes"]) == sorted(expected)
    assert "주문 처리 🚀" in result["svg"]
    shown_rels = sorted(result["edges"])
    assert shown_rels == sorted(
        [
            "supersedes",
            "supersedes",
            "Amends",
            'Re"fines | <b>x</b> %% -->',
            "Depends on: `x` #1 & style:#f00;",
            "Contradicts",
        ]
    )


def test_graph_command_text_parses_and_shows_every_title(
    page: Any, decisions: list[Decision]
) -> None:
    assert_drawn(page, mermaid(decisions), decisions, {*RECORDS, 99})


def test_index_fenced_block_parses_and_shows_connected_titles(
    page: Any, decisions: list[Decision]
) -> None:
    connected = {1, 2, 3, 4, 5, 6, 7, 8, 9, 99}  # 10 has no relation
    for lang in ("en", "ko"):
        block = index_block(decisions, lang)
        assert block == mermaid(decisions, connected_only=True)
        assert_drawn(page, block, decisions, connected)


def test_each_title_alone_parses(page: Any, decisions: list[Decision]) -> None:
    for d in decisions:
        result = check(page, mermaid([d]))
        assert result["ok"], result["error"]
        assert label(d) in result["nodes"]


def test_mermaid_rejects_a_broken_graph(page: Any, decisions: list[Decision]) -> None:
    """The check can fail: the same graph with a raw, unescaped title does not parse."""
    first = decisions[0]
    good = mermaid([first])
    assert check(page, good)["ok"]
    raw = good.replace(mermaid_text(label(first)), label(first))
    assert raw != good
    result = check(page, raw)
    assert not result["ok"]
    assert "Parse error" in result["error"]
    unclosed = 'flowchart LR\n  adr1["0006. %%{ unclosed (accepted)"]\n  adr2["x"]\n'
    assert not check(page, unclosed)["ok"]  # why graph.py escapes "%"


def test_labels_hide_what_mermaid_preprocesses() -> None:
    """Without a browser: no directive, keyword or raw quote survives into a label."""
    for title, _ in RECORDS.values():
        text = mermaid_text(title)
        for needle in ("%%", '"', "<", ">", "`", "style", "classDef"):
            assert needle not in text, (needle, text)
        assert re.sub(r"#\w+;", "", text).count("#") == 0
