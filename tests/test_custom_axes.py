"""A trade-off's badge (``low-cost > high-reliability``) takes the other side from the
axis as ``.adr.yaml`` defines it, not from a split of the axis's name: ``adr list`` (text
and JSON), the index's records table, ``adr why``, the site and ``adr aggregate``. Only an
axis that is not configured is read from its name, ``a-vs-b``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adr_tool.git.history import Commit
from adr_tool.model import Axis, Decision, TradeOff
from adr_tool.publish import trace
from adr_tool.records.store import Store
from support import FIXED_DATE, Cli
from tests.test_cache import OLD, age

CUSTOM = "cost-vs-reliability: [low-cost, high-reliability]"
REDEFINED = "performance-vs-development-speed: [speed, features]"


def configure(project: Path, *axes: str) -> None:
    """Add ``axes`` (``name: [side, side]`` lines) to the project's ``.adr.yaml``."""
    config = project / ".adr.yaml"
    lines = "".join(f"  {axis}\n" for axis in axes)
    config.write_text(config.read_text(encoding="utf-8") + f"axes:\n{lines}", encoding="utf-8")


def record(project: Path, number: int, title: str, *tradeoffs: tuple[str, str]) -> Path:
    """Write record ``number`` with one trade-off per (axis, favoured side), dated long ago
    (so the parse cache and its memos hold it)."""
    items = "".join(
        f"  - axis: {axis}\n    favours: {side}\n    cost: something\n" for axis, side in tradeoffs
    )
    path = project / "docs" / "decisions" / f"{number:04d}-{title.lower().replace(' ', '-')}.md"
    path.write_text(
        f"---\nstatus: accepted\ndate: {FIXED_DATE}\ntradeoffs:\n{items}---\n# {title}\n\n"
        "## Decision Outcome\n\nChosen option: this one, because it is cheaper.\n",
        encoding="utf-8",
    )
    age(path)
    return path


def listed(run: Cli, number: int) -> str:
    """The favoured sides ``adr list`` shows for record ``number``: ``[a > b, …]``."""
    result = run("list")
    assert result.exit_code == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith(f"{number:04d} ")]
    return line[line.index("[") :]


def listed_json(run: Cli, number: int) -> list[tuple[str, str]]:
    result = run("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (data,) = [d for d in json.loads(result.stdout) if d["number"] == number]
    return [(t["axis"], t["favours"]) for t in data["tradeoffs"]]


def index_cell(run: Cli, project: Path, number: int) -> str:
    """The favours cell of record ``number`` in the index's records table."""
    result = run("index")
    assert result.exit_code == 0, result.stderr
    text = (project / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    (row,) = [x for x in text.splitlines() if x.startswith(f"| [{number:04d}](")]
    return row.rstrip(" |").rsplit(" | ", 1)[1]


def test_a_custom_axis_shows_its_other_side(project: Path, run: Cli) -> None:
    configure(project, CUSTOM)
    record(project, 2, "Use spot instances", ("cost-vs-reliability", "low-cost"))
    record(project, 3, "Run three replicas", ("cost-vs-reliability", "high-reliability"))
    assert listed(run, 2) == "[low-cost > high-reliability]"
    assert listed(run, 3) == "[high-reliability > low-cost]"
    assert listed_json(run, 2) == [("cost-vs-reliability", "low-cost")]
    assert listed_json(run, 3) == [("cost-vs-reliability", "high-reliability")]
    assert index_cell(run, project, 2) == "`low-cost > high-reliability`"
    assert index_cell(run, project, 3) == "`high-reliability > low-cost`"


def test_a_default_axis_with_redefined_sides(project: Path, run: Cli) -> None:
    configure(project, REDEFINED)
    record(project, 2, "Ship the features", ("performance-vs-development-speed", "features"))
    # a side the configured axis does not have is shown alone, not paired by the name
    record(project, 3, "Tune the loop", ("performance-vs-development-speed", "performance"))
    assert listed(run, 2) == "[features > speed]"
    assert listed(run, 3) == "[performance]"
    assert listed_json(run, 2) == [("performance-vs-development-speed", "features")]
    assert index_cell(run, project, 2) == "`features > speed`"
    assert index_cell(run, project, 3) == "`performance`"


def test_an_axis_not_configured_is_read_from_its_name(project: Path, run: Cli) -> None:
    configure(project, CUSTOM)
    record(
        project,
        2,
        "Batch the writes",
        ("cost-vs-reliability", "high-reliability"),
        ("latency-vs-throughput", "throughput"),
    )
    assert listed(run, 2) == "[high-reliability > low-cost, throughput > latency]"
    assert listed_json(run, 2) == [
        ("cost-vs-reliability", "high-reliability"),
        ("latency-vs-throughput", "throughput"),
    ]
    assert index_cell(run, project, 2) == (
        "`high-reliability > low-cost`<br>`throughput > latency`"
    )


def test_korean_lists_the_sides_and_labels_them_in_the_index(project: Path, run: Cli) -> None:
    config = project / ".adr.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("lang: en", "lang: ko"))
    configure(project, "cost-vs-simplicity: [low-cost, simplicity]")
    record(project, 2, "Use spot instances", ("cost-vs-simplicity", "low-cost"))
    assert listed(run, 2) == "[low-cost > simplicity]"  # list keeps the sides as written
    assert index_cell(run, project, 2) == "`low-cost > 단순성`"  # the index labels them


def test_a_change_of_axes_reaches_the_remembered_list_and_the_kept_rows(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(project, CUSTOM)
    record(project, 2, "Use spot instances", ("cost-vs-reliability", "low-cost"))
    for path in (project / "docs" / "decisions").glob("0*.md"):
        age(path)  # adr init's record too: every record settled, so the cache holds them
    for _ in range(2):  # the first run writes the parse cache, the second its memo
        assert listed(run, 2) == "[low-cost > high-reliability]"
    assert index_cell(run, project, 2) == "`low-cost > high-reliability`"

    def refuse(self: Store) -> object:
        raise AssertionError("the records were loaded")

    with monkeypatch.context() as patched:  # the answer is remembered...
        patched.setattr(Store, "load_all", refuse)
        assert listed(run, 2) == "[low-cost > high-reliability]"
    config = project / ".adr.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("high-reliability", "uptime"))
    age(config, OLD + 1_000)
    assert listed(run, 2) == "[low-cost > uptime]"  # ...but not past a change of axes
    assert index_cell(run, project, 2) == "`low-cost > uptime`"


def test_why_names_the_configured_other_side() -> None:
    decision = Decision(
        2,
        Path("0002-use-spot-instances.md"),
        "Use spot instances",
        status="accepted",
        tradeoffs=(
            TradeOff("cost-vs-reliability", "low-cost", "evictions"),
            TradeOff("latency-vs-throughput", "throughput"),
        ),
    )
    commit = Commit("a" * 40, "Ada", "ada@example.com", FIXED_DATE, 1, "Move to spot", (2,))
    entries = [trace.WhyEntry(2, decision, (commit,))]
    axes = {"cost-vs-reliability": Axis("cost-vs-reliability", ("low-cost", "high-reliability"))}
    lines = trace.why_text(entries, axes).splitlines()
    assert lines[1:3] == [
        "    favours low-cost over high-reliability; cost: evictions",
        "    favours throughput over latency",
    ]


def test_the_site_badges_use_the_configured_sides(project: Path, run: Cli) -> None:
    configure(project, CUSTOM)
    record(project, 2, "Use spot instances", ("cost-vs-reliability", "low-cost"))
    result = run("site", "--output", "out")
    assert result.exit_code == 0, result.stderr
    page = (project / "out" / "decisions.html").read_text(encoding="utf-8")
    assert '<span class="chip favours">low-cost &gt; high-reliability</span>' in page


def test_aggregate_badges_use_each_repositorys_axes(tmp_path: Path) -> None:
    doc = {
        "schema_version": "1.0",
        "repository": {"name": "ops", "remote_url": "", "commit": "c0ffee"},
        "axes": [{"name": "cost-vs-reliability", "sides": ["low-cost", "high-reliability"]}],
        "records": [
            {
                "number": 1,
                "title": "Use spot instances",
                "status": "accepted",
                "tradeoffs": [
                    {"axis": "cost-vs-reliability", "favours": "low-cost"},
                    {"axis": "latency-vs-throughput", "favours": "throughput"},
                ],
            }
        ],
    }
    (tmp_path / "ops.json").write_text(json.dumps(doc), encoding="utf-8")
    result = Cli(tmp_path)("aggregate", "ops.json", "--site", "out")
    assert result.exit_code == 0, result.stderr
    assert "| `low-cost > high-reliability`<br>`throughput > latency` |" in result.stdout
    page = (tmp_path / "out" / "repo" / "ops.html").read_text(encoding="utf-8")
    assert "<code>low-cost &gt; high-reliability</code>" in page
    assert "<code>throughput &gt; latency</code>" in page
