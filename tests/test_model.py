from __future__ import annotations

from pathlib import Path

import pytest

from adr_tool.model import (
    TradeOff,
    favour_badge,
    number_from_filename,
    parse_ref,
    record_filename,
    slugify,
)
from adr_tool.records.formats import parse, read

NATIVE = """---
# a comment the team wrote
status: accepted
date: 2026-11-24
decision-makers: [Jin Park]
tags: [storage]
tradeoffs:
  - axis: performance-vs-development-speed
    favours: development-speed
    cost: p99 latency about 40 ms above a tuned store
    revisit-when: order volume passes 1,000/s
supersedes: [3]
links:
  - {rel: Amends, to: 5}
commits: [9f2c1e4]
review-by: 2027-06-01
x-team-owner: payments
---
# 7. Store orders in PostgreSQL

## Context and Problem Statement
Orders need a durable home.

## Decision Outcome
Chosen option: "PostgreSQL", because the team knows it.

```markdown
# not a title
## not a section
```
## Trade-offs
"""


def test_native_record_parses_every_field() -> None:
    d = parse(Path("0007-store-orders.md"), NATIVE)
    assert d.number == 7
    assert d.title == "Store orders in PostgreSQL"
    assert d.title_line == 19
    assert d.status == "accepted"
    assert d.date == "2026-11-24"
    assert d.decision_makers == ("Jin Park",)
    assert d.tags == ("storage",)
    assert d.tradeoffs == (
        TradeOff(
            "performance-vs-development-speed",
            "development-speed",
            "p99 latency about 40 ms above a tuned store",
            "order volume passes 1,000/s",
            line=7,
        ),
    )
    assert d.supersedes == (3,)
    assert [(link.rel, link.to) for link in d.links] == [("Amends", 5)]
    assert d.commits == ("9f2c1e4",)
    assert d.review_by == "2027-06-01"
    assert d.extra == {"x-team-owner": "payments"}
    assert [s.heading for s in d.sections] == [
        "Context and Problem Statement",
        "Decision Outcome",
        "Trade-offs",
    ]
    outcome = d.section("outcome")
    assert outcome is not None and "because the team knows it" in outcome.text
    assert "## not a section" in outcome.text
    assert d.line_of("status") == 3
    assert d.problems == ()
    assert d.favoured() == ["development-speed > performance"]


def test_crlf_and_bom_parse_like_lf() -> None:
    lf = parse(Path("0007-x.md"), NATIVE)
    crlf = parse(Path("0007-x.md"), "\ufeff" + NATIVE.replace("\n", "\r\n"))
    assert crlf.title == lf.title and crlf.tradeoffs == lf.tradeoffs
    assert crlf.title_line == lf.title_line and crlf.problems == ()


def test_missing_front_matter_is_still_a_record() -> None:
    d = parse(Path("0002-plain.md"), "# Plain title\n\nSome text.\n")
    assert (d.number, d.title, d.status, d.problems) == (2, "Plain title", "", ())


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\nstatus: [\n---\n# T\n", 3, "not valid YAML"),
        ("---\nstatus: accepted\n# T\n", 1, "never closed"),
        ("---\n- a list\n---\n# T\n", 2, "must be a mapping"),
        ("---\nstatus: !!python/object:os.system ls\n---\n# T\n", 2, "not valid YAML"),
        ("---\nstatus: ok\n\tdate: x\n---\n# T\n", 3, "tab"),
    ],
)
def test_bad_front_matter_becomes_a_problem_with_its_line(
    text: str, line: int, fragment: str
) -> None:
    d = parse(Path("0001-bad.md"), text)
    assert d.title == "T"
    assert len(d.problems) == 1
    assert d.problems[0].code == "ADR001"
    assert d.problems[0].line == line
    assert fragment in d.problems[0].message


def test_wrong_types_become_problems() -> None:
    text = "---\nstatus: [a]\ntags: {x: 1}\ntradeoffs: nope\nsupersedes: [x]\n---\n# T\n"
    d = parse(Path("0001-t.md"), text)
    assert sorted((p.code, p.line) for p in d.problems) == [
        ("ADR015", 2),
        ("ADR015", 3),
        ("ADR015", 4),
        ("ADR015", 5),
    ]


def test_madr_superseded_status_string() -> None:
    d = parse(Path("0003-x.md"), '---\nstatus: "superseded by ADR-0012"\n---\n# X\n')
    assert (d.status, d.superseded_by) == ("superseded", (12,))


def test_read_reports_invalid_utf8_and_nul(tmp_path: Path) -> None:
    bad = tmp_path / "0001-bad.md"
    bad.write_bytes(b"---\nstatus: accepted\n---\n# T\n\n\xff\xfe oops\n")
    d = read(bad)
    assert d.title == "T"
    assert [(p.code, p.line) for p in d.problems] == [("ADR001", 6)]
    nul = tmp_path / "0002-nul.md"
    nul.write_bytes(b"# T\nx\x00y\n")
    assert [(p.code, p.line) for p in read(nul).problems] == [("ADR001", 2)]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Node.JS", "node-js"),
        ("Slash/Slash/Slash/", "slash-slash-slash"),
        ("-Bar-", "bar"),
        ("../../etc/passwd", "etc-passwd"),
        ('-- "-Bar-"', "bar"),
        ("캐시 전략", "캐시-전략"),
        ("Café au lait", "café-au-lait"),
        ("...", "decision"),
        ("a" * 200, "a" * 60),
    ],
)
def test_slugs_never_escape_the_folder(title: str, slug: str) -> None:
    assert slugify(title) == slug
    name = record_filename(12, title)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert name == f"0012-{slug}.md"


def test_refs_and_numbers() -> None:
    assert [parse_ref(v) for v in (7, "7", "0007", "ADR-7", "adr-0007", "#7", "x", True)] == [
        7,
        7,
        7,
        7,
        7,
        7,
        None,
        None,
    ]
    assert number_from_filename("0009-x.md") == 9
    assert number_from_filename("adr-012-x.md") == 12
    assert number_from_filename("README.md") is None
    assert favour_badge(TradeOff("cost-vs-reliability", "reliability")) == "reliability > cost"


FIXTURES = Path(__file__).parent / "fixtures"


def _fixture_records() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.md") if p.is_file())


def test_the_parser_builds_every_field_as_the_dataclass_would() -> None:
    """``built_decision`` (the parser's one-dict construction) gives a Decision equal to
    ``Decision(**fields)`` field by field, with every field set in declaration order."""
    import dataclasses

    from adr_tool.model import DECISION_FIELDS, Decision, built_decision

    assert tuple(f.name for f in dataclasses.fields(Decision)) == DECISION_FIELDS
    paths = _fixture_records()
    assert len(paths) > 50
    for path in paths:
        parsed = read(path)
        assert type(parsed) is Decision
        assert tuple(vars(parsed)) == DECISION_FIELDS  # none missing, none extra, in order
        again = Decision(**vars(parsed))
        assert again == parsed and hash(again) == hash(parsed)
        assert dataclasses.astuple(again) == dataclasses.astuple(parsed)
        rebuilt = built_decision(dict(vars(parsed)))
        assert rebuilt == parsed and repr(rebuilt) == repr(parsed)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.title = "changed"  # type: ignore[misc]
    assert dataclasses.replace(parsed, title="x").title == "x"


def test_packing_keeps_every_value_and_interns_short_strings() -> None:
    """``encode`` → ``decode_record`` gives back an equal record for every fixture, with
    nested values as plain tuples (marshal holds no NamedTuple) and short strings
    interned; a section of another shape still packs."""
    import marshal
    import sys

    from adr_tool.model import Section
    from adr_tool.records import packed

    for path in _fixture_records():
        decision = read(path)
        values, blob = packed.encode(decision)
        assert packed.decode_record(path, (values, blob)) == decision
        for at, _, _ in packed.NESTED_AT:
            assert all(type(item) is tuple for item in values[at])
        marshal.dumps(values[: packed.EXTRA_AT])  # plain data only
    decision = read(_fixture_records()[0])
    values, _ = packed.encode(decision)
    title = values[packed.FIELDS.index("title")]
    assert title == decision.title and (len(title) >= 64 or title is sys.intern(title))
    odd = [Section("Context", 3, "text"), ("Outcome", 9, "more", 2, "extra")]
    rows = marshal.loads(packed.sections_blob(odd))  # type: ignore[arg-type]
    assert rows == (("Context", 3, "text", 2), ("Outcome", 9, "more", 2, "extra"))
