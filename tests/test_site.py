"""``adr site``: the static HTML site, checked on the files it writes."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from adr_tool.config import discover
from adr_tool.errors import Refused, UsageError
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store
from adr_tool.site.build import build_site, render_files
from adr_tool.site.markdown import MarkdownRenderer
from support import Cli, git

SCRIPT_TITLE = "<script>alert('x')</script> & friends"

RECORDS = {
    "0002-store-orders-in-mysql.md": """---
status: superseded
date: 2026-01-10
tags: [storage]
tradeoffs:
  - axis: performance-vs-development-speed
    favours: development-speed
    cost: slow reporting joins
superseded-by: [4]
---
# Store orders in MySQL

## Decision Outcome
Chosen option: "MySQL", because the team knows it.
""",
    "0003-cache-product-pages-in-redis.md": """---
status: accepted
date: 2026-02-01
tags: [caching]
tradeoffs:
  - axis: performance-vs-development-speed
    favours: performance
    cost: another service to run at night
  - axis: scalability-vs-simplicity
    favours: scalability
    cost: cache invalidation bugs
---
# Cache product pages in Redis

## Decision Outcome
Chosen option: "Redis", because pages are read far more than written.
""",
    "0004-store-orders-in-postgresql.md": """---
status: accepted
date: 2026-03-05
decision-makers: [Jin Park]
tags: [storage]
tradeoffs:
  - axis: performance-vs-development-speed
    favours: development-speed
    cost: p99 latency about 40 ms above a tuned store
    revisit-when: order volume passes 1,000/s
supersedes: [2]
links:
  - {rel: Amends, to: 3}
commits: [COMMIT]
---
# Store orders in PostgreSQL

<!-- guidance: this comment must never reach the site -->

## Context and Problem Statement
Orders need transactions. Inline <!-- hidden note --> comments vanish too.

<img src=x onerror="alert(1)">

## Decision Outcome
Chosen option: "PostgreSQL", because **zanzibar** queries are easy. See
[the cache decision](0003-cache-product-pages-in-redis.md) and
[a bad link](javascript:alert(1)).

| option | verdict |
| --- | --- |
| MySQL | replaced |

```sql
select '<b>' from orders;
```
""",
    "0005-script-title.md": f"""---
status: proposed
date: 2026-04-01
tags: [security]
tradeoffs:
  - axis: scalability-vs-simplicity
    favours: simplicity
    cost: one box only
---
# {SCRIPT_TITLE}

## Decision Outcome
Chosen option: "plain", because it is plain.
""",
    "0006-rejected-idea.md": """---
status: rejected
date: 2026-05-01
tradeoffs:
  - axis: scalability-vs-simplicity
    favours: scalability
    cost: a cluster
---
# Rejected idea
""",
}


@pytest.fixture
def corpus(project: Path) -> Path:
    """An initialised project with records covering every status, a chain and a link."""
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    folder = project / "docs" / "decisions"
    (project / "src.txt").write_text("orders\n", encoding="utf-8")
    git(project, "add", "src.txt")
    git(project, "commit", "-q", "-m", "Move orders to PostgreSQL", "-m", "Decision: 4")
    sha = git(project, "rev-parse", "HEAD").strip()
    for name, text in RECORDS.items():
        (folder / name).write_text(text.replace("COMMIT", sha), encoding="utf-8")
    return project


def build(root: Path, output: Path | None = None, **kwargs: str) -> Path:
    settings = discover(root)
    out = output or root / "site"
    renderer = Renderer(settings.directory / "templates", settings.lang)
    build_site(settings, Store(settings).load_all(), renderer, out, **kwargs)
    return out


class Links(HTMLParser):
    """Collects href/src attributes and visible text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.text: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.refs.append(value)
            if key == "id" and value:
                self.ids.add(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_site_has_every_page_and_asset(corpus: Path) -> None:
    site = build(corpus)
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == [
        ".adr-site",
        "assets/search-index.js",
        "assets/site.css",
        "assets/site.js",
        "decisions.html",
        "decisions/0001-record-architecture-decisions.html",
        "decisions/0002-store-orders-in-mysql.html",
        "decisions/0003-cache-product-pages-in-redis.html",
        "decisions/0004-store-orders-in-postgresql.html",
        "decisions/0005-script-title.html",
        "decisions/0006-rejected-idea.html",
        "graph.html",
        "index.html",
    ]


def test_every_internal_link_resolves_to_a_generated_file(corpus: Path) -> None:
    site = build(corpus)
    checked = 0
    for page in site.rglob("*.html"):
        for ref in parse(page).refs:
            parts = urlsplit(ref)
            assert not parts.scheme and not parts.netloc, f"{page.name}: external {ref}"
            assert not parts.path.startswith("/"), f"{page.name}: absolute {ref}"
            target = (page.parent / unquote(parts.path)) if parts.path else page
            assert target.resolve().is_file(), f"{page.relative_to(site)}: {ref} is missing"
            checked += 1
    assert checked > 100


def test_home_shows_counts_and_tradeoff_chart(corpus: Path) -> None:
    html = (build(corpus) / "index.html").read_text(encoding="utf-8")
    segments = re.findall(
        r'<a class="segment [^"]*" href="([^"]+)" data-side="([^"]+)" data-count="(\d+)"', html
    )
    # in force: 0001 (time-to-market), 0003 (performance, scalability), 0004 (development-speed)
    assert [(side, int(n)) for _, side, n in segments] == [
        ("performance", 1),
        ("development-speed", 1),
        ("scalability", 1),
        ("simplicity", 0),
        ("completeness", 0),
        ("time-to-market", 1),
    ]
    assert segments[1][0] == (
        "decisions.html#inforce=1&amp;side=performance-vs-development-speed%3Adevelopment-speed"
    )
    assert '<strong id="total">6</strong>' in html and '<strong id="in-force">3</strong>' in html


def test_status_counts(corpus: Path) -> None:
    html = (build(corpus) / "index.html").read_text(encoding="utf-8")
    found = {
        label: int(n)
        for n, label in re.findall(r'<span class="n">(\d+)</span> <span class="label">(\w+)', html)
    }
    assert found == {"proposed": 1, "accepted": 3, "rejected": 1, "deprecated": 0, "superseded": 1}


def test_script_title_is_text_everywhere(corpus: Path) -> None:
    site = build(corpus)
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends"
    for page in [site / "index.html", site / "decisions.html", site / "graph.html"]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text
    decision = (site / "decisions" / "0005-script-title.html").read_text(encoding="utf-8")
    assert "<script>alert" not in decision
    assert f'<span class="id">0005.</span> {escaped}</h1>' in decision
    assert SCRIPT_TITLE in "".join(parse(site / "decisions" / "0005-script-title.html").text)
    index = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index and "<\\/script>" in index


def test_decision_page_body_tradeoffs_relations_commits(corpus: Path) -> None:
    site = build(corpus)
    page = site / "decisions" / "0004-store-orders-in-postgresql.html"
    html = page.read_text(encoding="utf-8")
    body = html.split('<section class="body">', 1)[1].split("</section>", 1)[0]
    assert "guidance" not in html and "hidden note" not in html and "<!--" not in html
    assert "<img" not in body and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert 'href="javascript' not in html and "[a bad link](javascript:alert(1))" in body
    assert '<a href="0003-cache-product-pages-in-redis.html">the cache decision</a>' in body
    assert "<strong>zanzibar</strong>" in body
    assert "<table>" in body and "<td>MySQL</td>" in body
    assert "select &#x27;&lt;b&gt;&#x27; from orders;" in body or "&lt;b&gt;" in body
    assert "<h1>" not in body  # the title is the page heading, not repeated
    assert (
        '<tr><td data-label="Axis">performance vs development speed</td>'
        '<td data-label="Favours"><a href="../decisions.html#side='
        'performance-vs-development-speed%3Adevelopment-speed">development speed</a></td>'
        '<td data-label="Over">performance</td>'
        '<td data-label="Cost accepted">p99 latency about 40 ms above a tuned store</td>'
        '<td data-label="Revisit when">order volume passes 1,000/s</td></tr>'
    ) in html
    assert (
        '<a class="relation" data-rel="Supersedes" href="0002-store-orders-in-mysql.html">'
        "0002. Store orders in MySQL</a>"
    ) in html
    assert 'data-rel="Amends" href="0003-cache-product-pages-in-redis.html"' in html
    sha = git(corpus, "rev-parse", "HEAD").strip()
    assert f'<code title="{sha}">{sha[:10]}</code>' in html
    assert "Move orders to PostgreSQL" in html  # subject read from git
    old = (site / "decisions" / "0002-store-orders-in-mysql.html").read_text(encoding="utf-8")
    assert 'id="superseded-notice"' in old
    assert '<a class="successor" href="0004-store-orders-in-postgresql.html">' in old


def test_list_rows_carry_filter_data(corpus: Path) -> None:
    html = (build(corpus) / "decisions.html").read_text(encoding="utf-8")
    rows = re.findall(
        r"<li class=\"decision\" data-status=\"(\w*)\" data-inforce=\"(\d)\" "
        r"data-tags='([^']*)' data-sides='([^']*)'>\s*<time>([^<]*)</time>",
        html,
    )
    # newest first
    assert [r[4] for r in rows] == sorted((r[4] for r in rows), reverse=True)
    by_date = {r[4]: r for r in rows}
    status, inforce, tags, sides, _ = by_date["2026-03-05"]
    assert (status, inforce) == ("accepted", "1")
    assert json.loads(tags.replace("&#34;", '"')) == ["storage"]
    assert json.loads(sides.replace("&#34;", '"')) == [
        "performance-vs-development-speed:development-speed"
    ]
    assert '<option value="scalability-vs-simplicity:simplicity">' in html
    assert '<option value="security">security</option>' in html


def test_search_index_covers_titles_bodies_tags_costs(corpus: Path) -> None:
    text = (build(corpus) / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.ADR_SEARCH = ") and text.endswith(";\n")
    entries = json.loads(text[len("window.ADR_SEARCH = ") : -2].replace("<\\/", "</"))
    by_id = {e["id"]: e for e in entries}
    four = by_id["0004"]
    assert four["title"] == "Store orders in PostgreSQL"
    assert four["url"] == "decisions/0004-store-orders-in-postgresql.html"
    assert "zanzibar" in four["text"] and "guidance" not in four["text"]
    assert four["tags"] == ["storage"] and "p99 latency" in four["costs"]
    assert by_id["0005"]["title"] == SCRIPT_TITLE


def test_graph_is_inline_svg_with_chain_and_link(corpus: Path) -> None:
    html = (build(corpus) / "graph.html").read_text(encoding="utf-8")
    assert html.count('<a class="node') == 6
    assert "<title>0004 supersedes 0002</title>" in html
    assert "<title>0004 Amends 0003</title>" in html
    assert html.count('<path class="edge') == 2  # "Amended by" echo is not drawn twice
    assert "mermaid" not in html.lower()
    positions = dict(
        re.findall(
            r'<a class="node[^"]*" href="decisions/(\d{4})[^"]*"[^>]*><title>'
            r'[^<]*</title>\s*<rect x="(\d+)"',
            html,
        )
    )
    assert int(positions["0004"]) > int(positions["0002"])  # the chain runs left to right


def test_build_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    one, two = build(corpus, tmp_path / "one"), build(corpus, tmp_path / "two")
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_rebuild_replaces_old_pages_and_refuses_foreign_folders(corpus: Path) -> None:
    site = build(corpus)
    (corpus / "docs/decisions/0006-rejected-idea.md").unlink()
    build(corpus)
    assert not (site / "decisions/0006-rejected-idea.html").exists()
    assert not list(corpus.glob(".adr-site-*"))  # no temp folders left behind
    foreign = corpus / "public"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(Refused, match="not made by 'adr site'"):
        build(corpus, foreign)
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(Refused, match="refusing to write the site over"):
        build(corpus, corpus / "docs")


def test_base_url_adds_canonical_links_only(corpus: Path) -> None:
    site = build(corpus, base_url="https://example.org/adr")
    html = (site / "decisions/0004-store-orders-in-postgresql.html").read_text(encoding="utf-8")
    assert (
        '<link rel="canonical" href="https://example.org/adr/decisions/'
        '0004-store-orders-in-postgresql.html">'
    ) in html
    assert '<link rel="stylesheet" href="../assets/site.css">' in html
    with pytest.raises(UsageError, match="--base-url"):
        build(corpus, base_url="javascript:alert(1)")


def test_korean_labels_and_repository_override(corpus: Path) -> None:
    config = corpus / ".adr.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^lang: en\b", "lang: ko", text), encoding="utf-8")
    html = (build(corpus) / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in html and "유효한 결정의 트레이드오프" in html
    assert "성능 vs 개발 속도" in html
    override = corpus / "docs/decisions/templates/site"
    override.mkdir(parents=True)
    (override / "labels.ko.html").write_text(
        '{% set html_lang = "ko" %}{% set site_name = "우리 팀 결정" %}'
        + "".join(
            f'{{% set {k} = "{k}" %}}'
            for k in re.findall(
                r"{% set (\w+) =",
                (Path(__file__).parents[1] / "templates/site/labels.en.html").read_text(
                    encoding="utf-8"
                ),
            )
            if k not in ("html_lang", "site_name")
        ),
        encoding="utf-8",
    )
    assert "<h1>우리 팀 결정</h1>" in (build(corpus) / "index.html").read_text(encoding="utf-8")


# site/base.html as adr shipped it before site/chrome.html: what a repository may have copied
BASE_BEFORE_CHROME = Path(__file__).parent / "fixtures" / "site" / "base-before-chrome.html"


def test_a_repository_base_written_before_chrome_gives_the_same_pages(
    corpus: Path, tmp_path: Path
) -> None:
    """The parts of a page made once per build (chrome.html) reach the page as one piece;
    a repository's base.html that prints each of them itself, from the variables every
    page has always been given, renders every page to the same bytes."""
    ours = build(corpus, tmp_path / "ours", base_url="https://example.org/adr/")
    override = corpus / "docs/decisions/templates/site"
    override.mkdir(parents=True)
    (override / "base.html").write_bytes(BASE_BEFORE_CHROME.read_bytes())
    theirs = build(corpus, tmp_path / "theirs", base_url="https://example.org/adr/")
    pages = sorted(p.relative_to(ours) for p in ours.rglob("*.html"))
    assert len(pages) >= len(RECORDS) + 3
    assert pages == sorted(p.relative_to(theirs) for p in theirs.rglob("*.html"))
    for page in pages:
        assert (ours / page).read_bytes() == (theirs / page).read_bytes(), page


def test_a_repository_chrome_is_rendered_for_every_page(corpus: Path) -> None:
    """adr's own chrome.html shows only what is the same on every page of a kind, so it
    is made once; a repository's may show anything, so it is made for every page."""
    override = corpus / "docs/decisions/templates/site"
    override.mkdir(parents=True)
    (override / "chrome.html").write_text(
        "{% set top %}<p>{{ page }} {{ d.id if d is defined else '-' }} {{ canonical }}</p>"
        "{% endset %}{% set title_end %}{% endset %}{% set head %}{% endset %}"
        "{% set foot %}{% endset %}",
        encoding="utf-8",
    )
    site = build(corpus, base_url="https://example.org/adr/")
    for name, shown in (
        ("decisions/0003-cache-product-pages-in-redis.html", "decision 0003 "),
        ("decisions/0004-store-orders-in-postgresql.html", "decision 0004 "),
        ("index.html", "home - "),
    ):
        page = (site / name).read_text(encoding="utf-8")
        assert page.startswith(f"<p>{shown}https://example.org/adr/{name}</p>"), page[:200]


def test_repository_pages_read_the_labels_with_or_without_importing_them(corpus: Path) -> None:
    """The labels reach every page as ``L`` (imported once per build); a repository's
    page that imports them itself, as adr's own pages used to, renders the same."""
    override = corpus / "docs/decisions/templates/site"
    override.mkdir(parents=True)
    page = "{% block main %}<p id=x>{{ L.status }}: {{ d.status }}</p>{% endblock %}"
    (override / "decision.html").write_text('{% extends "site/base.html" %}' + page, "utf-8")
    record = "decisions/0003-cache-product-pages-in-redis.html"
    without = (build(corpus) / record).read_text(encoding="utf-8")
    assert "<p id=x>Status: accepted</p>" in without
    (override / "decision.html").write_text(
        '{% extends "site/base.html" %}{% import labels as L %}' + page, "utf-8"
    )
    assert (build(corpus) / record).read_text(encoding="utf-8") == without


def test_markdown_renderer_escapes_raw_html_and_drops_comments() -> None:
    markdown = MarkdownRenderer({"0002-x.md": "0002-x.html"})
    html, text = markdown.render(
        "# Title\n\n<!-- a\nmulti-line comment -->\n\n<div onclick=x>hi</div>\n\n"
        "a <b>b</b> [x](0002-x.md#top) [y](other.md) [z](https://example.org/0002-x.md)\n"
    )
    assert "comment" not in html and "Title" not in html
    assert "&lt;div onclick=x&gt;hi&lt;/div&gt;" in html
    assert "a &lt;b&gt;b&lt;/b&gt;" in html
    assert 'href="0002-x.html#top"' in html and 'href="other.md"' in html
    assert 'href="https://example.org/0002-x.md"' in html
    assert "comment" not in text and "hi" not in text and "a b x y z" in text


def test_empty_project_builds(repo: Path, run: Cli) -> None:
    (repo / ".adr.yaml").write_text("directory: docs/decisions\n", encoding="utf-8")
    settings = discover(repo)
    files = render_files(settings, [], Renderer(None))
    assert "No decisions yet" in files["index.html"]
    assert files["assets/search-index.js"] == "window.ADR_SEARCH = [];\n"


def test_cli_site_command(corpus: Path, run: Cli) -> None:
    result = run("site", "--output", "out/site")
    assert result.exit_code == 0, result.output
    assert result.output == "out/site/index.html (6 decisions)\n"
    assert (corpus / "out/site/decisions/0004-store-orders-in-postgresql.html").is_file()
    refused = run("site", "--output", "docs")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("adr: error: refusing to write the site over")
    bad = run("site", "--base-url", "ftp://x")
    assert bad.exit_code == 2 and "--base-url" in bad.stderr
    help_text = run("site", "--help").output
    assert "Example:" in help_text and "--base-url" in help_text


def test_outside_git_keeps_explicit_commits(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "docs/decisions").mkdir(parents=True)
    (root / ".adr.yaml").write_text("directory: docs/decisions\n", encoding="utf-8")
    (root / "docs/decisions/0001-use-x.md").write_text(
        "---\nstatus: accepted\ncommits: [ABCDEF1234567]\n---\n# Use X\n", encoding="utf-8"
    )
    html = (build(root) / "decisions/0001-use-x.html").read_text(encoding="utf-8")
    assert '<code title="abcdef1234567">abcdef1234</code></li>' in html


def test_cli_default_output_is_site_at_the_root(corpus: Path, run: Cli) -> None:
    result = run("site", cwd=corpus / "docs")
    assert result.exit_code == 0, result.output
    assert result.output == "../site/index.html (6 decisions)\n"
    assert (corpus / "site/index.html").is_file()


def test_guidance_only_sections_are_hidden_and_tradeoffs_heading_shows_once(
    corpus: Path, run: Cli
) -> None:
    made = run(
        "new", "Use a queue", "--tradeoff", "scalability-vs-simplicity=scalability", "--no-edit"
    )
    assert made.exit_code == 0, made.stderr
    record = next((corpus / "docs/decisions").glob("0007-*.md"))
    text = record.read_text(encoding="utf-8")
    assert "## Change Scenarios" in text and "<!--" in text  # straight from the template
    record.write_text(
        text.replace(
            "## Context and Problem Statement\n",
            "## Context and Problem Statement\n\nJobs pile up at noon.\n",
        ),
        encoding="utf-8",
    )
    page = (build(corpus) / "decisions" / record.with_suffix(".html").name).read_text("utf-8")
    headings = re.findall(r"<h[23][^>]*>([^<]*)</h[23]>", page)
    assert "Context and Problem Statement" in headings
    for empty in ("Decision Drivers", "Change Scenarios", "Consequences", "Confirmation"):
        assert empty not in headings, headings
    assert headings.count("Trade-offs") == 1
    assert not any(h.startswith("scalability") for h in headings)  # the empty ### too
    assert page.count('<div class="tradeoffs">') == 1 and "<!--" not in page


def test_tradeoff_prose_follows_the_table_under_one_heading(corpus: Path) -> None:
    record = corpus / "docs/decisions/0003-cache-product-pages-in-redis.md"
    record.write_text(
        record.read_text(encoding="utf-8")
        + "\n## Trade-offs\n\n### performance over development speed\n\nWe run Redis at night.\n"
        + "\n## Consequences\n\nOne more service.\n",
        encoding="utf-8",
    )
    page = (build(corpus) / "decisions/0003-cache-product-pages-in-redis.html").read_text("utf-8")
    body = page.split('<section class="body">', 1)[1].split("</section>", 1)[0]
    assert page.count(">Trade-offs</h2>") == 1
    order = [
        body.index("Decision Outcome"),
        body.index('<h2 id="trade-offs">Trade-offs</h2>'),
        body.index("<table>"),
        body.index("We run Redis at night."),
        body.index("Consequences"),
    ]
    assert order == sorted(order)
