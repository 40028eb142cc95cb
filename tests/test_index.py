"""The decision index, graph, digest and adr-tools aliases.

Golden files live in tests/golden/index/; regenerate them with
``UPDATE_GOLDEN=1 pytest tests/test_index.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.model import Decision
from adr_tool.publish import fingerprint, index
from adr_tool.publish.digest import render_digest, toc
from adr_tool.publish.graph import adr_tools_graph, graph
from adr_tool.publish.render import Renderer, md_cell
from adr_tool.records.store import Store
from support import Cli, dot, git

FIXTURE = Path(__file__).parent / "fixtures" / "index"
GOLDEN = Path(__file__).parent / "golden" / "index"
TODAY = dt.date(2026, 11, 24)
EVIL = "Parse `order|line` records with `jq` | 주문 처리 <b>fast</b> [draft] {{ title }}"


def fixture_settings(lang: str = "en", folder: Path = FIXTURE) -> Settings:
    folder = folder.resolve()
    return Settings(root=folder.parent, directory=folder, index=folder / "README.md", lang=lang)


def fixture_decisions() -> list[Decision]:
    return Store(fixture_settings()).load_all()


def render(lang: str = "en", **kwargs: Any) -> str:
    settings = fixture_settings(lang)
    kwargs.setdefault("today", TODAY)
    return index.render_index(settings, fixture_decisions(), Renderer(None, lang), **kwargs)


def check_golden(name: str, text: str) -> None:
    # the fingerprint line hashes the code too: it is checked by its own tests, not here
    text = fingerprint.strip_marker(text)
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# --- the index over the fixture folder -------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_index_golden(lang: str) -> None:
    check_golden(f"README.{lang}.md", render(lang))


def test_index_is_deterministic_whatever_the_input_order() -> None:
    settings = fixture_settings()
    decisions = fixture_decisions()
    shuffled = decisions[:]
    random.Random(7).shuffle(shuffled)
    renderer = Renderer(None, "en")
    first = index.render_index(settings, decisions, renderer, today=TODAY)
    assert index.render_index(settings, shuffled, renderer, today=TODAY) == first


def test_fixture_covers_what_the_index_must_show() -> None:
    decisions = fixture_decisions()
    assert {d.status for d in decisions} == set(fixture_settings().statuses)
    axes = {t.axis for d in decisions for t in d.tradeoffs}
    assert axes == {a.name for a in fixture_settings().axes}
    assert any(d.format == "nygard" for d in decisions)
    assert any(d.title == EVIL for d in decisions)


def tokens(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (inline content as rendered text)."""
    out: list[list[list[str]]] = []
    row: list[str] = []
    for tok in tokens(text):
        if tok.type == "table_open":
            out.append([])
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            out[-1].append(row)
        if tok.type == "inline" and tok.children is not None and out and _in_cell(tok):
            row.append("".join(c.content for c in tok.children))
    return out


def _in_cell(tok: Token) -> bool:
    return tok.level >= 4  # table > thead/tbody > tr > th/td > inline


def section_tokens(text: str, heading: str) -> list[Token]:
    toks = tokens(text)
    start = next(
        i
        for i, t in enumerate(toks)
        if t.type == "inline" and t.content == heading and toks[i - 1].type == "heading_open"
    )
    level = toks[start - 1].tag
    end = next(
        (
            i
            for i in range(start + 1, len(toks))
            if toks[i].type == "heading_open" and toks[i].tag <= level
        ),
        len(toks),
    )
    return toks[start + 1 : end]


def first_paragraph(toks: list[Token]) -> str:
    return next(t.content for t in toks if t.type == "inline")


def test_index_parses_as_gfm_with_the_right_tables() -> None:
    text = render()
    parsed = tables(text)
    records, *matrix = parsed
    assert records[0] == ["#", "title", "status", "date", "favours"]
    assert len(records) - 1 == len(fixture_decisions()) == 11
    assert all(len(row) == 5 for table in parsed for row in table)
    evil_row = next(r for r in records if r[0] == "0007")
    assert evil_row[1] == EVIL.replace("`", "")  # code spans keep their text, nothing else
    assert evil_row[2:4] == ["accepted", "2026-06-15"]
    assert [t[0] for t in matrix] == [["favours", "decision", "status", "cost", "revisit when"]] * 3
    html = {
        c.content for t in tokens(text) for c in (t.children or []) if c.type.startswith("html")
    }
    assert html == {"<br>"}  # only the badge separator; no user text became HTML


def test_trade_off_matrix_content() -> None:
    text = render()
    perf = section_tokens(text, "performance vs development speed")
    lean = first_paragraph(perf)
    assert lean == "**2 of 3** decisions in force favour development speed over performance."
    perf_table = tables(text)[1]
    assert [(r[0], r[1][:4], r[2]) for r in perf_table[1:]] == [
        ("performance", "0005", "accepted"),
        ("development speed", "0007", "accepted"),
        ("development speed", "0009", "accepted"),
        ("development speed", "0002", "superseded (not counted)"),
        ("development speed", "0004", "superseded (not counted)"),
    ]
    assert perf_table[2][3] == (
        "<script>alert(1)</script> about 3x slower than a hand-written | parser"
    )
    assert perf_table[2][4] == "{{ config.items() }} shows up in a profile"
    assert "one more moving part | two extra hops on a miss" in perf_table[1][3]
    scal = section_tokens(text, "scalability vs simplicity")
    assert "evenly split between scalability and simplicity: no lean" in first_paragraph(scal)
    done = section_tokens(text, "completeness vs time to market")
    assert first_paragraph(done).startswith("**1 of 1** decision in force favours time to market")


def test_chains_review_and_graph_sections() -> None:
    text = render()
    assert (
        "* [0002](0002-use-mysql-for-orders.md) → [0004](0004-store-orders-in-postgresql.md)"
        " → [0009](0009-partition-the-orders-table.md): now Partition the orders table by month"
        " (accepted)\n" in text
    )
    review = text.split("Review date passed (as of 2026-11-24):", 1)[1].split("Revisit when:")[0]
    assert "[0005]" in review and "2026-06-01" in review and "[0009]" not in review
    assert "[0006]" not in text.split("## To revisit")[1].split("## Graph")[0]  # rejected
    fence = re.search(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert fence is not None
    assert 'adr4 -->|"supersedes"| adr2' in fence[1]
    assert 'adr5 -.->|"Amends"| adr3' in fence[1]
    assert "Amended by" not in fence[1]  # the echo of 5 Amends 3 is shown once
    assert "adr7[" not in fence[1]  # only connected records are drawn


def test_review_by_depends_on_the_day_given() -> None:
    early = render(today=dt.date(2026, 5, 1))
    assert "Review date passed" not in early
    assert "Review date passed" not in render(today=None)
    assert "Review date passed (as of 2027-07-01)" in render(today=dt.date(2027, 7, 1))


def test_commit_column_only_with_data() -> None:
    assert tables(render())[0][0][-1] == "favours"
    with_counts = tables(render(commit_counts={5: 3, 9: 12}))[0]
    assert with_counts[0][-1] == "commits"
    assert {r[0]: r[-1] for r in with_counts[1:]}["0009"] == "12"
    assert {r[0]: r[-1] for r in with_counts[1:]}["0001"] == "0"
    assert tables(render(commit_counts={}))[0][0][-1] == "favours"
    assert tables(render(commit_counts={1: 0, 5: 0}))[0][0][-1] == "favours"  # no data yet


def test_links_resolve_from_where_the_index_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "decisions"
    shutil.copytree(FIXTURE, folder)
    (folder / "0012-name with (parens).md").write_text("---\nstatus: proposed\n---\n# Odd\n")
    (folder / "a").mkdir()
    for target in (folder / "README.md", tmp_path / "DECISIONS.md", folder / "a" / "b.md"):
        settings = index.with_output(fixture_settings(folder=folder), target)
        text = index.render_index(
            settings, Store(settings).load_all(), Renderer(None, "en"), today=TODAY
        )
        hrefs = [
            c.attrGet("href")
            for t in tokens(text)
            for c in (t.children or [])
            if c.type == "link_open"
        ]
        assert len(hrefs) > 12
        for href in hrefs:
            from urllib.parse import unquote

            assert (target.parent / unquote(str(href))).is_file(), href


def test_repo_template_overrides_the_shipped_index(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    shutil.copytree(FIXTURE, folder)
    (folder / "templates").mkdir()
    (folder / "templates" / "index.md.j2").write_text(
        "{% for r in records %}{{ r.id }} {{ r.title }}\n{% endfor %}"
    )
    settings = fixture_settings(folder=folder)
    text = index.render_index(
        settings, Store(settings).load_all(), Renderer(folder / "templates", "en"), today=TODAY
    )
    text = fingerprint.strip_marker(text)
    assert text.splitlines()[0] == "0001 Record architecture decisions"
    assert len(text.splitlines()) == 11


# --- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cell", "shown"),
    [
        ("a | b", "a \\| b", "a | b"),
        ("two\nlines", "two lines", "two lines"),
        ("use `a|b` here", "use `a\\|b` here", "use a|b here"),
        ("<script>x</script>", "\\<script>x\\</script>", "<script>x</script>"),
        ("{{ 7*7 }} {% if %}", "{{ 7*7 }} {% if %}", "{{ 7*7 }} {% if %}"),
        ("[x](javascript:y)", "\\[x\\](javascript:y)", "[x](javascript:y)"),
        ("back\\slash", "back\\\\slash", "back\\slash"),
        ("lone ` tick | <i>", "lone ` tick \\| \\<i>", "lone ` tick | <i>"),
    ],
)
def test_cell_escaping_renders_as_data(raw: str, cell: str, shown: str) -> None:
    assert md_cell(raw) == cell
    row = tables(f"| h |\n| --- |\n| {cell} |\n")[0][1]
    assert row == [shown]


def test_mermaid_and_dot_labels_are_safe_for_any_title(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    nasty = 'A "quoted" `tick` <script> # & end ]) {{ x }} \\ |'
    (folder / "0001-a.md").write_text(f"---\nstatus: accepted\n---\n# {nasty}\n")
    (folder / "0002-b.md").write_text(
        "---\nstatus: accepted\nsupersedes: [1]\nlinks: [{rel: 'Re\"lates', to: 1}]\n---\n# B\n"
    )
    decisions = Store(fixture_settings(folder=folder)).load_all()
    text = graph(decisions, "mermaid")
    node = re.compile(r'^  adr\d+\["[^"`<>]*"\]$')
    edge = re.compile(r'^  adr\d+ (-->|-\.->)\|"[^"`<>]*"\| adr\d+$')
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert all(node.match(line) or edge.match(line) for line in lines[1:]), text
    assert "#quot;quoted#quot; #96;tick#96; #lt;script#gt; #35; #amp; end" in text
    dot_text = graph(decisions, "dot")
    assert 'label="0001. A \\"quoted\\" `tick` <script> # & end ]) {{ x }} \\\\ |' in dot_text
    svg = run_dot(dot_text)
    assert "&lt;script&gt;" in svg and "<script>" not in svg


# --- graph ------------------------------------------------------------------------------


def run_dot(text: str) -> str:
    result = subprocess.run(
        [str(dot()), "-Tsvg"], input=text, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_dot_is_accepted_by_graphviz() -> None:
    decisions = fixture_decisions()
    svg = run_dot(graph(decisions, "dot"))
    assert svg.count('class="node"') == 11
    assert svg.count('class="edge"') == 5
    assert "주문 처리" in svg
    svg = run_dot(adr_tools_graph(decisions, prefix="p/", extension=".md"))
    assert 'href="p/0007-parse-order-line-with-jq.md"' in svg


def test_graph_json() -> None:
    data = json.loads(graph(fixture_decisions(), "json"))
    assert [n["number"] for n in data["nodes"]] == list(range(1, 12))
    assert {"from": 9, "to": 4, "rel": "supersedes"} in data["edges"]
    assert {"from": 11, "to": 5, "rel": "Amends"} in data["edges"]
    assert len(data["edges"]) == 5
    with pytest.raises(UsageError):
        graph([], "png")


def test_graph_command(project: Path, run: Cli) -> None:
    result = run("graph", "--format", "mermaid")
    assert result.exit_code == 0
    assert result.output == (
        'flowchart LR\n  adr1["0001. Record architecture decisions (accepted)"]\n'
    )
    assert run_dot(run("graph", "--format", "dot").output).count('class="node"') == 1


# --- adr index / --check ---------------------------------------------------------------


def test_init_writes_a_current_index(project: Path, run: Cli) -> None:
    readme = project / "docs" / "decisions" / "README.md"
    assert "[0001](0001-record-architecture-decisions.md)" in readme.read_text()
    result = run("index", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "docs/decisions/README.md is up to date\n"


def test_check_reports_a_stale_index_and_writes_nothing(project: Path, run: Cli) -> None:
    readme = project / "docs" / "decisions" / "README.md"
    with (project / ".adr.yaml").open("a", encoding="utf-8") as config:
        config.write("index: {auto: false}\n")  # so that `adr new` leaves the index stale
    result = run("new", "Cache | pages", "--no-edit", "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    before = readme.read_bytes()
    stale = run("index", "--check")
    assert stale.exit_code == 1
    assert "--- docs/decisions/README.md (on disk)" in stale.output
    assert "+| [0002](0002-cache-pages.md) | Cache \\| pages | proposed |" in stale.output
    assert "out of date; run 'adr index'" in stale.stderr
    assert readme.read_bytes() == before
    written = run("index")
    assert written.stdout == "docs/decisions/README.md written\n"
    assert run("index").stdout == "docs/decisions/README.md is up to date\n"
    assert run("index", "--check").exit_code == 0
    readme.unlink()
    assert run("index", "--check").exit_code == 1
    assert not readme.exists()


def test_check_ignores_line_endings(project: Path, run: Cli) -> None:
    readme = project / "docs" / "decisions" / "README.md"
    readme.write_bytes(readme.read_bytes().replace(b"\n", b"\r\n"))
    assert run("index", "--check").exit_code == 0


def test_index_output_option(project: Path, run: Cli) -> None:
    result = run("index", "--output", "DECISIONS.md")
    assert result.exit_code == 0, result.output
    text = (project / "DECISIONS.md").read_text()
    assert "[0001](docs/decisions/0001-record-architecture-decisions.md)" in text
    assert run("index", "--check", "--output", "DECISIONS.md").exit_code == 0


def test_write_index_reports_change(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    shutil.copytree(FIXTURE, folder)
    settings = fixture_settings(folder=folder)
    store, renderer = Store(settings), Renderer(None, "en")
    assert index.write_index(settings, store, renderer, today=TODAY) is True
    assert index.write_index(settings, store, renderer, today=TODAY) is False
    assert fingerprint.strip_marker(settings.index.read_text()) == fingerprint.strip_marker(
        render()
    )
    assert len(store.load_all()) == 11  # the index is not read as a record


# --- digest -----------------------------------------------------------------------------


def digest(max_chars: int = 8000, statuses: tuple[str, ...] = ("accepted",)) -> str:
    return render_digest(
        fixture_settings(),
        fixture_decisions(),
        Renderer(None, "en"),
        statuses=statuses,
        max_chars=max_chars,
    )


def test_digest_content() -> None:
    text = digest()
    assert text.startswith("# Decisions in force\n\n6 accepted decisions, newest first.")
    headings = re.findall(r"^## (\d{4})", text, re.MULTILINE)
    assert headings == ["0011", "0009", "0007", "0005", "0003", "0001"]
    assert (
        'Chosen option: "REST with OpenAPI", because every client team can generate a client'
        " from it.\n" in text
    )
    assert "<!--" not in text and "Write the decision" not in text
    assert "We will ship risky changes behind feature flags." in text  # Nygard "## Decision"
    assert (
        "- Favours scalability over simplicity; cost: a partition job to run every month;"
        " revisit when: orders pass 1,000/s.\n" in text
    )
    assert "Archiving is simpler too" not in text  # one sentence only
    assert "0002" not in text and "0010" not in text


@pytest.mark.parametrize("budget", [8000, 1500, 900, 600, 400, 250])
def test_digest_respects_its_budget(budget: int) -> None:
    text = digest(budget)
    assert len(text) <= budget
    assert text.startswith("# Decisions in force\n")
    if budget >= 400:
        assert "0011" in text  # the newest record is the last to go


def test_digest_summarises_oldest_first() -> None:
    full = digest()
    short = digest(len(full) - 50)
    assert "## 0011" in short and "## 0001" not in short
    assert "- 0001 Record architecture decisions (2026-01-05): favours time to market" in short
    tiny = digest(250)
    assert "older decisions left out to fit the size budget" in tiny
    with pytest.raises(UsageError):
        digest(20)


def test_digest_command(project: Path, run: Cli) -> None:
    result = run("digest", "--max-chars", "300", "--status", "accepted", "--status", "proposed")
    assert result.exit_code == 0, result.output
    assert len(result.output) <= 300
    assert "Record architecture decisions" in result.output
    assert run("digest", "--max-chars", "10").exit_code == 2
    assert run("digest", "--output", "AGENTS-decisions.md").exit_code == 0
    assert (project / "AGENTS-decisions.md").read_text().startswith("# Decisions in force")


def test_digest_heading_and_sentences_say_what_was_asked(project: Path, run: Cli) -> None:
    """Rejected records are not in force: the heading says so only for statuses in
    force; a cost that ends its own sentence gets no second full stop."""
    made = run("new", "Drop Kafka", "--tradeoff", "scalability-vs-simplicity=simplicity",
               "--cost", "one broker to lose!", "--status", "rejected", "--no-edit")  # fmt: skip
    assert made.exit_code == 0, made.output
    both = run("digest", "--status", "accepted", "--status", "rejected").output
    assert both.startswith("# Decisions\n\n2 accepted/rejected decisions")
    assert "- Favours simplicity over scalability; cost: one broker to lose!\n" in both
    assert run("digest").output.startswith("# Decisions in force\n")


# --- adr-tools aliases --------------------------------------------------------------------


NYGARD = """# {n}. {title}

Date: 2026-01-0{n}

## Status

{status}

## Context

Something.

## Decision

We will do it.
"""


@pytest.fixture
def adr_tools_repo(repo: Path) -> Path:
    """An adr-tools layout: .adr-dir and five Nygard records, two supersessions."""
    (repo / ".adr-dir").write_text("doc/adr\n")
    folder = repo / "doc" / "adr"
    folder.mkdir(parents=True)
    records = [
        (1, "Record architecture decisions", "Accepted"),
        (
            2,
            "Queue orders in memory",
            "Superseded\n\nSuperceded by [3. Q](0003-queue-orders-in-sqs.md)",
        ),
        (
            3,
            "Queue orders in SQS",
            "Accepted\n\nSupercedes [2. Q](0002-queue-orders-in-memory.md)"
            "\n\nSuperceded by [5. K](0005-queue-orders-in-kafka.md)",
        ),
        (4, "Log as JSON", "Accepted"),
        (5, "Queue orders in Kafka", "Accepted\n\nSupercedes [3. Q](0003-queue-orders-in-sqs.md)"),
    ]
    for n, title, status in records:
        name = f"{n:04d}-{title.lower().replace(' ', '-')}.md"
        (folder / name).write_text(NYGARD.format(n=n, title=title, status=status))
    git(repo, "add", ".")
    return repo


def test_generate_graph_has_the_adr_tools_shape(adr_tools_repo: Path, run: Cli) -> None:
    result = run("generate", "graph", "-p", "https://example.org/adr/", "-e", ".xhtml")
    assert result.exit_code == 0, result.output
    url = "https://example.org/adr/"
    first = "0001-record-architecture-decisions"
    assert result.output == (
        "digraph {\n"
        "  node [shape=plaintext];\n"
        f'  _1 [label="1. Record architecture decisions"; URL="{url}{first}.xhtml"]\n'
        f'  _2 [label="2. Queue orders in memory"; URL="{url}0002-queue-orders-in-memory.xhtml"]\n'
        '  _1 -> _2 [style="dotted"];\n'
        '  _2 -> _3 [label="Superceded by"]\n'
        f'  _3 [label="3. Queue orders in SQS"; URL="{url}0003-queue-orders-in-sqs.xhtml"]\n'
        '  _2 -> _3 [style="dotted"];\n'
        '  _3 -> _2 [label="Supercedes"]\n'
        '  _3 -> _5 [label="Superceded by"]\n'
        f'  _4 [label="4. Log as JSON"; URL="{url}0004-log-as-json.xhtml"]\n'
        '  _3 -> _4 [style="dotted"];\n'
        f'  _5 [label="5. Queue orders in Kafka"; URL="{url}0005-queue-orders-in-kafka.xhtml"]\n'
        '  _4 -> _5 [style="dotted"];\n'
        '  _5 -> _3 [label="Supercedes"]\n'
        "}\n"
    )
    svg = run_dot(result.output)
    assert svg.count('class="node"') == 5
    default = run("generate", "graph").output
    assert 'URL="0004-log-as-json.html"' in default


def test_generate_toc_has_the_adr_tools_shape(adr_tools_repo: Path, run: Cli) -> None:
    (adr_tools_repo / "intro.md").write_text("Read me first.\n\nTwo paragraphs.\n")
    (adr_tools_repo / "outro.md").write_text("The end.\n")
    plain = run("generate", "toc")
    assert plain.exit_code == 0, plain.output
    assert plain.output == (
        "# Architecture Decision Records\n\n"
        "* [1. Record architecture decisions](0001-record-architecture-decisions.md)\n"
        "* [2. Queue orders in memory](0002-queue-orders-in-memory.md)\n"
        "* [3. Queue orders in SQS](0003-queue-orders-in-sqs.md)\n"
        "* [4. Log as JSON](0004-log-as-json.md)\n"
        "* [5. Queue orders in Kafka](0005-queue-orders-in-kafka.md)\n"
    )
    full = run("generate", "toc", "-i", "intro.md", "-o", "outro.md", "-p", "doc/adr/")
    assert full.output == (
        "# Architecture Decision Records\n\n"
        "Read me first.\n\nTwo paragraphs.\n\n"
        "* [1. Record architecture decisions](doc/adr/0001-record-architecture-decisions.md)\n"
        "* [2. Queue orders in memory](doc/adr/0002-queue-orders-in-memory.md)\n"
        "* [3. Queue orders in SQS](doc/adr/0003-queue-orders-in-sqs.md)\n"
        "* [4. Log as JSON](doc/adr/0004-log-as-json.md)\n"
        "* [5. Queue orders in Kafka](doc/adr/0005-queue-orders-in-kafka.md)\n"
        "\nThe end.\n"
    )


def test_generate_toc_keeps_titles_and_link_brackets_intact() -> None:
    text = toc(fixture_decisions(), Renderer(None, "en"))
    assert "* [7. Parse `order|line` records with `jq` | 주문 처리 <b>fast</b> \\[draft\\]" in text
    links = [c for t in tokens(text) for c in (t.children or []) if c.type == "link_open"]
    assert len(links) == 11


def test_generate_toc_missing_intro_is_a_usage_error(adr_tools_repo: Path, run: Cli) -> None:
    result = run("generate", "toc", "-i", "nope.md")
    assert result.exit_code == 2
    assert "adr: error: -i: cannot read nope.md" in result.stderr


def test_recorded_commits_give_the_column_and_the_unlinked_list(project: Path, run: Cli) -> None:
    folder = project / "docs" / "decisions"
    (folder / "0002-linked.md").write_text(
        "---\nstatus: accepted\ncommits: [9f2c1e4, 0a1b2c3]\n---\n# Linked\n", encoding="utf-8"
    )
    assert run("index").exit_code == 0
    text = (folder / "README.md").read_text(encoding="utf-8")
    assert "| # | title | status | date | favours | commits |" in text
    assert "| [0002](0002-linked.md) | Linked | accepted |  |  | 2 |" in text
    unlinked = text.split("Accepted decisions without any linked commit:")[1].split("##")[0]
    assert (
        unlinked.strip()
        == "* [0001](0001-record-architecture-decisions.md) Record architecture decisions"
    )


def test_fingerprint_lets_check_skip_rendering_only_when_nothing_changed(
    project: Path, run: Cli
) -> None:
    from adr_tool.config import discover
    from adr_tool.publish.render import Renderer
    from adr_tool.records.store import Store

    assert run("index").exit_code == 0
    settings = discover(project)
    renderer = Renderer(settings.directory / "templates", settings.lang)
    today = dt.date(2026, 11, 24)
    on_disk = settings.index.read_text(encoding="utf-8")
    assert on_disk.splitlines()[-1].startswith("<!-- adr-index inputs=")
    decisions = Store(settings).load_all()
    assert fingerprint.is_current(settings, lambda: decisions, renderer, on_disk, today)
    # a hand edit of the text, a changed record, or another day with a due review: not current
    edited = on_disk.replace("Record architecture decisions", "Hand edited", 1)
    assert not fingerprint.is_current(settings, lambda: decisions, renderer, edited, today)
    record = settings.directory / "0001-record-architecture-decisions.md"
    record.write_text(record.read_text().replace("status: accepted", "status: deprecated"))
    assert not fingerprint.is_current(settings, Store(settings).load_all, renderer, on_disk, today)
    result = run("check")
    assert result.exit_code == 1 and "ADR012" in result.output
    # an override template changes the inputs as well
    assert run("index").exit_code == 0
    on_disk = settings.index.read_text(encoding="utf-8")
    decisions = Store(settings).load_all()
    assert fingerprint.is_current(settings, lambda: decisions, renderer, on_disk, today)
    (settings.directory / "templates").mkdir()
    (settings.directory / "templates" / "index.md.j2").write_text("# Ours\n")
    assert not fingerprint.is_current(settings, lambda: decisions, renderer, on_disk, today)
    # the marker alone never makes an index stale: same text, older fingerprint
    (settings.directory / "templates" / "index.md.j2").unlink()
    old_marker = f"<!-- adr-index inputs={'0' * 32} output={'0' * 32} -->\n"
    settings.index.write_text(fingerprint.strip_marker(on_disk) + old_marker, encoding="utf-8")
    assert run("index", "--check").exit_code == 0
    assert run("check").exit_code == 0
    assert run("index").output.endswith("written\n")  # the fingerprint is brought up to date
    on_disk = settings.index.read_text()
    assert fingerprint.is_current(settings, lambda: decisions, renderer, on_disk, today)


def test_the_stale_diff_shows_what_index_would_change_not_its_fingerprint(
    project: Path, run: Cli
) -> None:
    """Text added after the fingerprint line: the diff removes that text only (the
    fingerprint line is written again, so it is not shown as removed)."""
    index_file = project / "docs/decisions/README.md"
    index_file.write_text(index_file.read_text() + "junk line\n", encoding="utf-8")
    stale = run("index", "--check")
    assert stale.exit_code == 1
    changed = [line for line in stale.output.splitlines() if line[:1] in "+-"]
    assert changed[2:] == ["-junk line"], stale.output  # after the two file headers
    assert "0 line(s) to add, 1 to remove" in stale.output
