"""``adr export`` and ``adr aggregate``: the versioned export, one index over many
repositories, cross-repository links, and what is reported when a source is bad."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from adr_tool.org import aggregate as agg
from adr_tool.org.export import SCHEMA_VERSION, schema_text
from adr_tool.org.sources import Source
from support import FIXED_DATE, Cli, git


def make_repo(base: Path, name: str, sides: list[tuple[str, str]], remote: str = "") -> Path:
    """A git repository ``name`` with ``adr init`` and one record per (title, favoured side)
    on the performance axis; "accepted:" in front of a title accepts the record."""
    path = base / name
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    run = Cli(path)
    assert run("init", "--date", FIXED_DATE).exit_code == 0
    for title, side in sides:
        accepted = title.startswith("accepted:")
        title = title.removeprefix("accepted:")
        result = run(
            "new", title, "--date", FIXED_DATE, "--no-edit",
            "--tradeoff", f"performance-vs-development-speed={side}",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        if accepted:
            number = len(list((path / "docs/decisions").glob("0*.md")))
            assert run("accept", str(number), "--date", FIXED_DATE, "--force").exit_code == 0
    if remote:
        git(path, "remote", "add", "origin", remote)
    git(path, "add", "-A")
    git(path, "commit", "-qm", "decisions")
    return path


def add_links(record: Path, *links: str) -> None:
    """Put ``links: [{rel: Relates, to: X}, …]`` into a record's front matter."""
    text = record.read_text(encoding="utf-8")
    items = "".join(f'  - {{rel: Relates, to: "{to}"}}\n' for to in links)
    record.write_text(text.replace("tradeoffs:", f"links:\n{items}tradeoffs:", 1), "utf-8")


def validate(doc: object) -> None:
    jsonschema.Draft202012Validator(json.loads(schema_text())).validate(doc)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """payments (leans performance), search (leans development speed, links to payments)."""
    make_repo(
        tmp_path,
        "payments",
        [("accepted:Cache balances", "performance"), ("accepted:Shard ledgers", "performance")],
        remote="https://ci:s3cret@git.example.com/acme/payments.git",
    )
    search = make_repo(
        tmp_path,
        "search",
        [("accepted:Use the managed index", "development-speed"), ("Tune it", "performance")],
    )
    add_links(next((search / "docs/decisions").glob("0002-*.md")), "payments#2")
    git(search, "commit", "-qam", "Link to payments\n\nDecision: 2")
    return tmp_path


def test_export_follows_the_schema_and_qualifies_ids(org: Path) -> None:
    search = org / "search"
    result = Cli(search)("export", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    validate(doc)
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["repository"]["name"] == "search"
    assert doc["repository"]["commit"] == git(search, "rev-parse", "HEAD").strip()
    assert doc["repository"]["decisions_path"] == "docs/decisions"
    second = doc["records"][1]
    assert second["id"] == "search#2"
    assert second["status"] == "accepted"
    assert second["tradeoffs"][0]["favours"] == "development-speed"
    assert second["links"] == [{"rel": "Relates", "to": "payments#2"}]
    assert second["path"] == doc["records"][1]["path"]
    assert second["path"].startswith("docs/decisions/0002-")
    # the commit whose trailer names the record is linked to it
    assert second["commits"] == [git(search, "rev-parse", "HEAD").strip()]
    assert second["scope"] == []


def test_export_strips_credentials_from_the_remote(org: Path) -> None:
    doc = json.loads(Cli(org / "payments")("export").stdout)
    assert doc["repository"]["remote_url"] == "https://git.example.com/acme/payments.git"
    assert doc["repository"]["name"] == "payments"
    assert "s3cret" not in json.dumps(doc)


def test_export_schema_flag_prints_the_shipped_schema(org: Path) -> None:
    result = Cli(org / "search")("export", "--schema")
    schema = json.loads(result.stdout)
    assert schema["$id"].endswith(":" + SCHEMA_VERSION.split(".")[0])
    assert "consumer refuses a major version" in schema["description"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_export_refuses_a_bad_name(org: Path) -> None:
    result = Cli(org / "search")("export", "--name", "../evil")
    assert result.exit_code == 2
    assert "is not a repository name" in result.stderr


def test_a_link_to_another_repository_is_kept_and_not_resolved_locally(org: Path) -> None:
    run = Cli(org / "search")
    shown = run("show", "2")
    assert "Relates: payments#2 (another repository" in shown.stdout
    data = json.loads(run("show", "2", "--format", "json").stdout)
    assert data["remote_links"] == [{"rel": "Relates", "to": "payments#2"}]
    assert data["links"] == []  # not mistaken for this repository's record 2
    checked = run("check", "--format", "json")
    assert "links" not in checked.stdout


def test_aggregate_checkouts_and_an_export(org: Path, tmp_path: Path) -> None:
    exported = Cli(org / "payments")("export", "--output", str(tmp_path / "payments.json"))
    assert exported.exit_code == 0, exported.stderr
    run = Cli(tmp_path)
    result = run("aggregate", "search", "payments.json", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["name"] for r in data["repositories"]] == ["payments", "search"]
    assert data["findings"] == []
    axis = next(a for a in data["matrix"] if a["axis"] == "performance-vs-development-speed")
    rows = {r["repo"]: (r["counts"], r["leans"]) for r in axis["repositories"]}
    assert rows == {"payments": ([2, 0], "performance"), "search": ([0, 1], "development-speed")}
    assert axis["organisation"] == {"counts": [2, 1], "leans": "performance"}

    text = run("aggregate", "search", "payments.json").stdout
    assert "| payments | 2 | 0 | performance |" in text
    assert "| **organisation** | **2** | **1** | **performance** |" in text
    assert "* search#2 Relates payments#2" in text
    assert "## payments" in text and "| payments#3 | Shard ledgers | accepted |" in text
    heads = [
        line for line in text.splitlines() if re.fullmatch(r".* ?(at|commit) [0-9a-f]{12}", line)
    ]
    assert heads and all(not line.startswith(" ") for line in heads), heads  # no remote: "commit"


@pytest.mark.slow
def test_parallel_reading_gives_the_same_aggregate(tmp_path: Path) -> None:
    sources = []
    for i in range(5):
        side = "performance" if i % 2 else "development-speed"
        sources.append(Source(make_repo(tmp_path, f"r{i}", [(f"accepted:Choice {i}", side)])))
    serial = agg.as_json(agg.collect(sources, workers=1))
    parallel = agg.as_json(agg.collect(sources, workers=2))
    assert serial == parallel
    assert len(parallel["repositories"]) == 5
    axis = next(a for a in parallel["matrix"] if a["axis"] == "performance-vs-development-speed")
    assert axis["organisation"]["counts"] == [2, 3]


def test_a_missing_repository_is_reported_and_the_others_aggregated(
    org: Path, tmp_path: Path
) -> None:
    result = Cli(tmp_path)("aggregate", "search", "payments", "nowhere")
    assert result.exit_code == 1
    assert "nowhere: no such repository folder (skipped)" in result.stderr
    assert "## payments" in result.stdout and "## search" in result.stdout
    assert "Traceback" not in result.stderr


def test_two_manifests_naming_the_same_repository(org: Path, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("repositories:\n  - {name: pay, path: payments}\n")
    (tmp_path / "b.yaml").write_text("repositories:\n  - {name: pay, path: search}\n")
    result = Cli(tmp_path)("aggregate", "a.yaml", "b.yaml", "--format", "json")
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if "named twice" in x)
    assert line.startswith("adr: ") and "b.yaml" in line and "'pay'" in line
    assert [r["name"] for r in json.loads(result.stdout)["repositories"]] == ["pay"]


def test_a_manifest_name_requalifies_the_export(org: Path, tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "repositories:\n"
        "  - {name: pay, path: payments, url: 'https://git.example.com/pay/blob/main'}\n"
    )
    data = json.loads(Cli(tmp_path)("aggregate", "m.yaml", "--format", "json").stdout)
    record = data["repositories"][0]["records"][1]
    assert record["id"] == "pay#2"
    assert record["url"].startswith("https://git.example.com/pay/blob/main/docs/decisions/0002-")


def test_a_link_to_an_unknown_repository(org: Path, tmp_path: Path) -> None:
    add_links(next((org / "payments/docs/decisions").glob("0003-*.md")), "billing#4", "search#9")
    result = Cli(tmp_path)("aggregate", "payments", "search")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert "adr: payments#3: Relates billing#4: no repository named 'billing'" in errors
    assert "adr: payments#3: Relates search#9: search has no record 9" in errors
    assert "no repository named 'billing'" in result.stdout  # listed in the index too


def test_a_schema_version_mismatch_is_one_finding(org: Path, tmp_path: Path) -> None:
    doc = json.loads(Cli(org / "payments")("export").stdout)
    doc["schema_version"] = "2.0"
    (tmp_path / "future.json").write_text(json.dumps(doc))
    newer = dict(doc, schema_version="1.7", later_field={"x": 1})
    (tmp_path / "newer.json").write_text(json.dumps(dict(newer, repository={
        **doc["repository"], "name": "newer"})))  # fmt: skip
    result = Cli(tmp_path)("aggregate", "future.json", "newer.json", "--format", "json")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "schema version 2.0 is not readable by this adr (it reads 1.x" in result.stderr
    names = [r["name"] for r in json.loads(result.stdout)["repositories"]]
    assert names == ["newer"]  # a newer minor version is read


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "the document must be an object"),
        ('{"schema_version": "1.0", "repository": {"name": "x"}, "axes": [],'
         ' "records": [{"number": "one"}]}', "records[0].number must be a record number"),
        ("[" * 100_000, "not JSON"),
    ],
)  # fmt: skip
def test_a_broken_export_is_one_clear_line(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.json").write_text(content)
    result = Cli(tmp_path)("aggregate", "bad.json")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_the_site_links_records_across_repositories(org: Path, tmp_path: Path) -> None:
    record = next((org / "payments/docs/decisions").glob("0002-*.md"))
    record.write_text(record.read_text().replace("# Cache balances", "# Cache <script>x</script>"))
    result = Cli(tmp_path)("aggregate", "payments", "search", "--site", "out", "--output", "o.md")
    assert result.exit_code == 0, result.stderr
    home = (tmp_path / "out/index.html").read_text()
    assert '<a href="repo/payments.html">payments</a>' in home
    page = (tmp_path / "out/repo/search.html").read_text()
    assert '<a href="../repo/payments.html#r-2">payments#2</a>' in page
    payments = (tmp_path / "out/repo/payments.html").read_text()
    assert "&lt;script&gt;" in payments and "<script>x" not in payments
    assert (tmp_path / "out/assets/site.css").is_file()
    assert "Cache \\<script>x\\</script>" in (tmp_path / "o.md").read_text()


def test_control_characters_in_a_finding_are_escaped(org: Path, tmp_path: Path) -> None:
    record = next((org / "payments/docs/decisions").glob("0003-*.md"))
    text = record.read_text().replace(
        "tradeoffs:", 'links:\n  - {rel: "\\e[31mX", to: "nope#1"}\ntradeoffs:', 1
    )
    record.write_text(text)
    result = Cli(tmp_path)("aggregate", "payments")
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout
    assert "payments#3: \\x1b[31mX nope#1: no repository named 'nope'" in result.stderr


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("repositories: nope\n", "'repositories' must be a list"),
        ("repositories:\n  - {name: x}\n", "'path' is required"),
        ("repositories:\n  - {name: ../x, path: a}\n", "is not a repository name"),
        ("repositories:\n  - {path: a, url: 'javascript:alert(1)'}\n", "must start with https://"),
    ],
)
def test_a_bad_manifest_is_a_usage_error(tmp_path: Path, manifest: str, message: str) -> None:
    (tmp_path / "m.yaml").write_text(manifest)
    result = Cli(tmp_path)("aggregate", "m.yaml")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.startswith("adr: error: ")


def test_aggregate_needs_a_source(tmp_path: Path) -> None:
    result = Cli(tmp_path)("aggregate")
    assert result.exit_code == 2
    assert "name at least one checkout, export file or manifest" in result.stderr


def test_the_site_replaces_only_its_own_folder(org: Path, tmp_path: Path) -> None:
    run = Cli(tmp_path)
    assert run("aggregate", "payments", "--site", "out", "--output", "o.md").exit_code == 0
    (tmp_path / "out/stale.html").write_text("old")
    again = run("aggregate", "search", "--site", "out", "--output", "o.md")
    assert again.exit_code == 1  # search#2 links to payments, not aggregated this time
    assert not (tmp_path / "out/stale.html").exists()  # replaced whole
    assert sorted(p.name for p in (tmp_path / "out/repo").iterdir()) == ["search.html"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/notes.txt").write_text("keep me")
    result = run("aggregate", "search", "--site", "mine", "--output", "o.md")
    assert result.exit_code == 1
    assert "not empty and was not made by 'adr aggregate'" in result.stderr
    assert (tmp_path / "mine/notes.txt").read_text() == "keep me"


def test_remote_links_survive_the_parse_cache(tmp_path: Path) -> None:
    from adr_tool.records import formats, packed

    record = tmp_path / "0007-x.md"
    record.write_text(
        "---\nstatus: accepted\nlinks:\n  - {rel: Amends, to: 3}\n"
        '  - {rel: Relates, to: "payments#12"}\n---\n# X\n'
    )
    decision = formats.read(record)
    assert [(x.rel, x.to) for x in decision.links] == [("Amends", 3)]
    assert [x.target for x in decision.remote_links] == ["payments#12"]
    assert decision.problems == ()
    again = packed.decode_record(record, packed.encode(decision))
    assert again.remote_links == decision.remote_links


def test_export_text_cannot_change_the_shape_of_the_index(tmp_path: Path) -> None:
    doc = {
        "schema_version": "1.0",
        "repository": {"name": "x", "remote_url": "[u](javascript:1)", "commit": "c|d"},
        "axes": [{"name": "a-vs-b", "sides": ["a|1", "b<i>"], "label": "A | B"}],
        "records": [
            {
                "number": 1,
                "title": "T | <b>",
                "status": "accepted",
                "tradeoffs": [{"axis": "a-vs-b", "favours": "a|1", "cost": "", "revisit_when": ""}],
            }
        ],
    }
    (tmp_path / "x.json").write_text(json.dumps(doc))
    result = Cli(tmp_path)("aggregate", "x.json")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "| x | 1 | 0 | a\\|1 |" in text
    assert "| **organisation** | **1** | **0** | **a\\|1** |" in text
    assert "| x#1 | T \\| \\<b> | accepted |" in text
    assert "\n\\[u\\](javascript:1) at c|d\n" in text  # not a link; outside any table
