"""Readers for adr-tools/Nygard, MADR 1–4 and log4brains records → the same Decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adr_tool.config import Settings
from adr_tool.model import Decision, Link
from adr_tool.records import formats, numbering
from adr_tool.records.formats import parse
from adr_tool.records.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def load(folder: Path) -> list[Decision]:
    return Store(Settings(root=folder, directory=folder, index=folder / "README.md")).load_all()


def rows(folder: Path) -> list[tuple[int, str, str, str, str]]:
    return [(d.number, d.id, d.title, d.status, d.date) for d in load(folder)]


EXPECTED = {
    "adr-tools": [
        (1, "0001", "Record architecture decisions", "accepted", "2016-02-12"),
        (2, "0002", "Store sessions in Memcached", "superseded", "2016-04-03"),
        (3, "0003", "Store sessions in Redis", "accepted", "2016-05-20"),
        (4, "0004", "Deploy with containers", "proposed", "2017-01-09"),
    ],
    "madr2": [
        (1, "0001", "Use Markdown Decision Records", "accepted", "2019-03-02"),
        (2, "0002", "Use REST for the public API", "superseded", "2019-04-10"),
        (3, "0003", "Use GraphQL for the public API", "accepted", "2019-09-01"),
        (4, "0004", "Paginate with cursors", "proposed", "2019-09-15"),
    ],
    "madr4": [
        (1, "0001", "Use MADR for decision records", "accepted", "2024-01-15"),
        (2, "0002", "Cache product pages in Varnish", "superseded", "2024-02-01"),
        (3, "0003", "Cache product pages in the CDN", "accepted", "2024-03-10"),
        (4, "0004", "Page layout conventions", "", ""),
        (5, "0005", "Deploy previews for every pull request", "rejected", "2024-04-02"),
    ],
    "log4brains": [
        (1, "20200101-use-log4brains", "Use Log4brains to manage the decisions",
         "accepted", "2020-01-01"),
        (2, "20200315-queue-emails", "Queue outgoing emails", "superseded", "2020-03-15"),
        (3, "20200315-use-postgresql", "Use PostgreSQL for orders", "accepted", "2020-03-15"),
        (4, "20200601-send-emails-through-a-provider", "Send emails through a provider",
         "proposed", "2020-06-01"),
    ],
    "mixed": [
        (1, "0001", "Record architecture decisions", "accepted", "2021-01-04"),
        (2, "0002", "Use a monorepo", "accepted", "2021-01-05"),
        (3, "0003", "Build with Bazel", "rejected", "2021-01-20"),
        (4, "0004", "Publish domain events to Kafka", "accepted", "2021-02-02"),
        (5, "0005", "주문 저장소로 PostgreSQL 사용", "accepted", "2021-03-01"),
        (6, "20210410-retire-the-legacy-api", "Retire the legacy API", "deprecated", "2021-04-10"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_each_fixture_folder_reads_number_title_status_date(style: str) -> None:
    decisions = load(FIXTURES / style)
    assert rows(FIXTURES / style) == EXPECTED[style]
    assert all(p.severity == "warning" for d in decisions for p in d.problems)


def test_relations_are_read_in_every_style() -> None:
    at = {d.number: d for d in load(FIXTURES / "adr-tools")}
    assert at[2].superseded_by == (3,) and at[3].supersedes == (2,)
    assert at[3].links == (Link("Amends", 1),)
    madr2 = {d.number: d for d in load(FIXTURES / "madr2")}
    assert madr2[2].superseded_by == (3,) and madr2[3].supersedes == (2,)
    assert madr2[3].links == (Link("Refined by", 4),)
    assert madr2[1].decision_makers == ("Jin Park", "Mina Lee")
    madr4 = {d.number: d for d in load(FIXTURES / "madr4")}
    assert madr4[2].superseded_by == (3,) and madr4[2].decision_makers == ("Jin Park",)
    assert madr4[1].consulted == ("Ops team",) and madr4[1].informed == ("Everyone",)
    assert madr4[4].extra == {"parent": "Decisions", "nav_order": 4}
    l4b = {d.number: d for d in load(FIXTURES / "log4brains")}
    assert l4b[2].superseded_by == (4,) and l4b[4].supersedes == (2,)
    assert l4b[3].links == (Link("Relates to", 1),)
    assert l4b[2].tags == ("email", "backend") and l4b[1].tags == ("dev-tools", "doc")
    mixed = {d.number: d for d in load(FIXTURES / "mixed")}
    assert mixed[5].links == (Link("Amends", 4),)
    assert [d.format for d in mixed.values()] == [
        "nygard",
        "madr2",
        "native",
        "native",
        "nygard",
        "log4brains",
    ]


def nygard(status_lines: str, date: str = "2016-02-12") -> str:
    return (
        f"# 3. Use Redis\n\nDate: {date}\n\n## Status\n\n{status_lines}\n\n"
        "## Context\n\nWhy.\n\n## Decision\n\nUse it.\n"
    )


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (nygard("Accepted"), "accepted"),
        (nygard("ACCEPTED"), "accepted"),
        (nygard("**Accepted**"), "accepted"),
        (nygard("Accepted."), "accepted"),
        (nygard("Accepted on 2016-02-14"), "accepted"),
        (nygard("Proposed"), "proposed"),
        (nygard("Rejected"), "rejected"),
        (nygard("Deprecated"), "deprecated"),
        (nygard("Superseded"), "superseded"),
        (nygard("Superceded"), "superseded"),
        (nygard("승인됨"), "accepted"),
        (nygard("Superceded by [4. Use Valkey](0004-use-valkey.md)"), "superseded"),
        ("# T\n\n* Status: Proposed\n\n## Context\n", "proposed"),
        ("# T\n\n- Status: rejected\n\n## Context\n", "rejected"),
        ("# T\n\n**Status**: deprecated\n\n## Context\n", "deprecated"),
        ("# T\n\n**Status:** accepted\n\n## Context\n", "accepted"),
        ("# T\n\n* **Status**: accepted <!-- optional -->\n\n## Context\n", "accepted"),
        ("# T\n\n- 상태: 제안됨\n\n## 배경\n", "proposed"),
        ("---\nstatus: Accepted\n---\n# T\n", "accepted"),
        ('---\nstatus: "superseded by ADR-0012"\n---\n# T\n', "superseded"),
        ("---\nstatus: superseded by [ADR-0012](0012-x.md)\n---\n# T\n", "superseded"),
    ],
)
def test_every_status_spelling(text: str, status: str) -> None:
    d = parse(Path("0003-use-redis.md"), text)
    assert d.status == status
    assert d.problems == ()


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("Supersedes [1. A](0001-a.md)", "supersedes", (1,)),
        ("Supercedes [1. A](0001-a.md)", "supersedes", (1,)),
        ("Superseded by [4. B](0004-b.md)", "superseded_by", (4,)),
        ("Superceded by [4. B](0004-b.md)", "superseded_by", (4,)),
    ],
)
def test_both_supersede_spellings(line: str, field: str, expected: tuple[int, ...]) -> None:
    d = parse(Path("0003-use-redis.md"), nygard(f"Accepted\n\n{line}"))
    assert getattr(d, field) == expected
    assert d.status == ("superseded" if field == "superseded_by" else "accepted")


@pytest.mark.parametrize(
    ("written", "iso"),
    [("2016-02-12", "2016-02-12"), ("12/02/2016", "2016-02-12"), ("3/4/2016", "2016-04-03")],
)
def test_dates_in_both_formats(written: str, iso: str) -> None:
    assert parse(Path("0003-x.md"), nygard("Accepted", written)).date == iso
    bullets = f"# T\n\n* Status: accepted\n* Date: {written}\n\n## Context\n"
    assert parse(Path("0003-x.md"), bullets).date == iso


def test_a_date_that_is_not_understood_is_a_warning_with_its_line() -> None:
    d = parse(Path("0003-x.md"), nygard("Accepted", "sometime in spring"))
    assert d.date == ""
    assert [(p.code, p.line, p.severity) for p in d.problems] == [("ADR016", 3, "warning")]
    assert "sometime in spring" in d.problems[0].message


def test_missing_status() -> None:
    no_section = "# 2. Use X\n\nDate: 2020-01-01\n\n## Context\n\nWhy.\n"
    assert parse(Path("0002-use-x.md"), no_section).status == ""
    log4brains = "# Use X\n\n- Date: 2020-01-01\n\n## Context\n"
    d = parse(Path("20200101-use-x.md"), log4brains)
    assert (d.status, d.ref, d.id, d.date) == (
        "accepted",
        "20200101-use-x",
        "20200101-use-x",
        "2020-01-01",
    )
    undated = parse(Path("20200102-use-y.md"), "# Use Y\n\n## Context\n")
    assert (undated.status, undated.date) == ("accepted", "2020-01-02")


def test_front_matter_without_status_keeps_site_keys_and_reads_body_metadata() -> None:
    only_site = parse(Path("0004-x.md"), "---\nparent: Decisions\nnav_order: 4\n---\n# X\n")
    assert (only_site.status, only_site.extra, only_site.problems) == (
        "",
        {"parent": "Decisions", "nav_order": 4},
        (),
    )
    with_bullets = parse(
        Path("0005-x.md"),
        "---\nnav_order: 5\n---\n# X\n\n* Status: accepted\n* Deciders: A, B\n\n## Context\n",
    )
    assert (with_bullets.status, with_bullets.decision_makers) == ("accepted", ("A", "B"))
    assert with_bullets.line_of("status") == 6


def test_front_matter_wins_over_the_body() -> None:
    text = "---\nstatus: rejected\n---\n# X\n\n* Status: accepted\n\n## Status\n\nProposed\n"
    assert parse(Path("0001-x.md"), text).status == "rejected"


def test_korean_headed_record() -> None:
    text = (FIXTURES / "mixed" / "005-store-orders-in-postgresql.md").read_text(encoding="utf-8")
    d = parse(Path("005-store-orders-in-postgresql.md"), text)
    assert (d.number, d.title, d.status, d.date) == (
        5,
        "주문 저장소로 PostgreSQL 사용",
        "accepted",
        "2021-03-01",
    )
    assert d.section("context") is not None and d.section("outcome") is not None
    assert d.section("consequences") is not None
    assert d.links == (Link("Amends", 4),) and d.format == "nygard"


@pytest.mark.parametrize(
    ("name", "number"),
    [("adr-012-use-x.md", 12), ("012-use-x.md", 12), ("0012-use-x.md", 12), ("use-x.md", 0)],
)
def test_numbers_from_file_names(name: str, number: int) -> None:
    assert parse(Path(name), "# Use X\n").number == number


def test_what_is_not_understood_becomes_a_warning_never_an_exception() -> None:
    text = nygard("Accepted\n\nAmends [the old one](notes/old-one.md)\n\nSee [RFC](https://x.org)")
    d = parse(Path("0003-x.md"), text)
    assert d.status == "accepted" and d.links == ()
    assert [(p.code, p.line) for p in d.problems] == [("ADR016", 9)]
    odd = parse(Path("0003-x.md"), nygard("1234"))
    assert [p.code for p in odd.problems] == ["ADR016"]


def test_log4brains_ordinals_are_stable_and_slug_links_resolve(tmp_path: Path) -> None:
    folder = tmp_path / "adr"
    shutil.copytree(FIXTURES / "log4brains", folder)
    before = {d.ref: d.number for d in load(folder)}
    store = Store(Settings(root=folder, directory=folder, index=folder / "README.md"))
    assert store.next_number() == 5
    (folder / "0005-a-numbered-record.md").write_text("# 5. A numbered record\n")
    after = {d.ref: d.number for d in load(folder) if d.ref}
    assert after == before
    (folder / "20200201-dangling.md").write_text(
        "# Dangling\n\n## Links\n\n- Relates to [gone](20190101-gone.md)\n"
    )
    dangling = next(d for d in load(folder) if d.ref == "20200201-dangling")
    assert [(p.code, p.line) for p in dangling.problems] == [("ADR016", 5)]
    assert numbering.ordinals(["20200101-b.md", "0001-a.md", "20190101-c.md"]) == {
        "20190101-c.md": 2,
        "20200101-b.md": 3,
    }


def test_detect_names_the_style() -> None:
    def style(text: str) -> str:
        return formats.parse(Path("0000-record.md"), text).format

    assert style(nygard("Accepted")) == "nygard"
    assert style("# T\n\n* Status: accepted\n") == "madr2"
    assert style("---\nstatus: accepted\n---\n# T\n") == "native"
    assert style("# T\n\nJust prose.\n") == "markdown"


PIECES = st.sampled_from(
    [
        "# 1. Title",
        "## Status",
        "## Links",
        "## 상태",
        "Accepted",
        "* Status: superseded by [x](",
        "- Date: 31/02/2020",
        "Date: 2020-13-45",
        "**Status**:",
        "Supercedes [1. A](0001-a.md)",
        "- Relates to [z](20200101-z.md)",
        "---",
        "status: [",
        "<!--",
        "-->",
        "```",
        "",
        "\ufeff",
        "\r",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=25))
def test_any_text_gives_a_decision(lines: list[str]) -> None:
    for name in ("0001-x.md", "20200101-x.md"):
        d = parse(Path(name), "\n".join(lines))
        assert isinstance(d, Decision)
        assert all(p.code in ("ADR001", "ADR015", "ADR016") for p in d.problems)


@pytest.mark.parametrize(
    "names",
    [
        [],
        ["README.md"],
        ["0001-a.md", "0003-b.md", "adr-0007-c.md", "ADR-12-d.md", "notes.md"],
        ["0001-a.md", "20201016-dated.md", "0002-b.md"],
        ["99999999-not-a-date.md", "0004-x.md"],
        ["x\n0099-newline-in-a-name.md", "0005-y.md"],
        ["١٢-arabic-indic-digits.md", "0003-z.md"],
        ["1234567890-too-long.md", "0002-a.md", "007-b.md"],
    ],
)
def test_next_number_agrees_with_reading_each_name(names: list[str]) -> None:
    from adr_tool.model import number_from_filename
    from adr_tool.records import bodymeta
    from adr_tool.records.numbering import next_number, ordinals

    undated = [n for n in names if bodymeta.log4brains_date(n) is None]
    expected = max([0, *(number_from_filename(n) or 0 for n in undated)])
    expected = max([expected, *ordinals(names).values()]) + 1
    assert next_number(names) == expected
