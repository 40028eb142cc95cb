"""ADR015 for a front matter ``date`` that is not a day and ``tags`` that are not a list of
names, as ``adr check`` reports them on real files in a real project; the record is still
read (listed with the date as written), and other styles' dates are left alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support import FIXED_DATE, Cli

TRADEOFF = "tradeoffs: [{axis: scalability-vs-simplicity, favours: simplicity, cost: x}]\n"
BODY = '# T\n\n## Decision Outcome\n\nChosen option: "x", because reasons are good.\n'
RECORD = "docs/decisions/0002-t.md"
DATE_MESSAGE = "'date' must be a date: write 'date: YYYY-MM-DD' (got {value!r})"
TAGS_MESSAGE = "'tags' must be a list of names"


def write(project: Path, name: str, text: str) -> None:
    (project / "docs" / "decisions" / name).write_text(text, encoding="utf-8")


def native(*lines: str) -> str:
    """An accepted record with a rationale and a trade-off: only ``lines`` can be wrong."""
    return "---\nstatus: accepted\n" + "".join(f"{x}\n" for x in lines) + TRADEOFF + "---\n" + BODY


def check(project: Path, run: Cli) -> tuple[int, list[dict[str, Any]]]:
    assert run("index").exit_code == 0
    result = run("check", "--format", "json", "--today", FIXED_DATE)
    return result.exit_code, json.loads(result.output)


def found(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
    return [(f["path"], f["code"], f["line"], f["message"]) for f in findings]


@pytest.mark.parametrize(
    "value",
    ["not-a-date", "soon", "2026", "20261124", "2026-1-5", "'2026-11-24x'", "12/02/2016"],
)
def test_a_date_that_is_not_a_day_is_adr015(project: Path, run: Cli, value: str) -> None:
    write(project, "0002-t.md", native("tags: [storage]", f"date: {value}"))
    code, findings = check(project, run)
    shown = value.strip("'")
    assert found(findings) == [(RECORD, "ADR015", 4, DATE_MESSAGE.format(value=shown))]
    assert findings[0]["severity"] == "error" and code == 1
    listed = run("list").output.splitlines()
    assert listed[1].split()[:3] == ["0002", "accepted", shown]  # read, shown as written


def test_the_text_report_names_path_line_and_what_to_write(project: Path, run: Cli) -> None:
    write(project, "0002-t.md", native("date: not-a-date"))
    assert run("index").exit_code == 0
    result = run("check", "--today", FIXED_DATE)
    assert result.output.splitlines()[0] == (
        f"{RECORD}:3:1: ADR015 'date' must be a date: write 'date: YYYY-MM-DD' (got 'not-a-date')"
    )


@pytest.mark.parametrize("value", ["foo", "'caching, storage'"])
def test_tags_written_as_a_string_are_adr015(project: Path, run: Cli, value: str) -> None:
    write(project, "0002-t.md", native(f"date: {FIXED_DATE}", f"tags: {value}"))
    code, findings = check(project, run)
    assert found(findings) == [(RECORD, "ADR015", 4, TAGS_MESSAGE)]
    assert code == 1


@pytest.mark.parametrize(
    "value",
    [
        "[storage, 5]",
        "[storage, 2026-11-24]",
        "\n  - storage\n  - 42",
        "\n  - storage\n  -",
    ],
)
def test_tags_with_an_item_that_is_not_a_name_are_adr015(
    project: Path, run: Cli, value: str
) -> None:
    """A number, a date or an empty item (a mapping was ADR015 already)."""
    write(project, "0002-t.md", native(f"date: {FIXED_DATE}", f"tags: {value}"))
    code, findings = check(project, run)
    assert found(findings) == [(RECORD, "ADR015", 4, TAGS_MESSAGE)]
    assert code == 1


def test_good_dates_and_tags_pass_beside_a_bad_record(project: Path, run: Cli) -> None:
    """Dates YAML reads as dates, quoted days, a day with a time, no date; tags as lists
    of names; adr-tools' DD/MM/YYYY and MADR 2's ``* Date:`` in the body: none is ADR015.
    The one wrong record beside them is, so the rule is on."""
    write(project, "0002-t.md", native("date: 2026-11-24", "tags: [storage, 'web: edge']"))
    write(project, "0003-t.md", native("date: '2026-11-24'", "tags:\n  - storage"))
    write(project, "0004-t.md", native("date: 2026-11-24 10:30:00", "tags: []"))
    write(project, "0005-t.md", native("date: '2026-11-24T10:30'", "tags:"))
    write(project, "0006-t.md", native("date:", "deciders: Jin Park, Mina Lee"))
    write(
        project,
        "0007-use-x.md",
        "# 7. Use X\n\nDate: 12/02/2016\n\n## Status\n\nProposed\n\n## Context\n\nC.\n\n"
        "## Decision\n\nWe will use X, because it fits.\n",
    )
    write(
        project,
        "0008-use-y.md",
        "# Use Y\n\n* Status: proposed\n* Date: 2016/02/12\n* Tags: storage\n\n"
        '## Decision Outcome\n\nChosen option: "Y", because it fits.\n',
    )
    write(project, "0009-t.md", native("date: not-a-date", "tags: foo"))
    code, findings = check(project, run)
    bad = "docs/decisions/0009-t.md"
    assert found(findings) == [
        (bad, "ADR015", 3, DATE_MESSAGE.format(value="not-a-date")),
        (bad, "ADR015", 4, TAGS_MESSAGE),
    ]
    assert code == 1
    dates = {line.split()[0]: line.split()[2] for line in run("list").output.splitlines()}
    assert [dates[f"000{n}"] for n in range(2, 10)] == [
        "2026-11-24",
        "2026-11-24",
        "2026-11-24",
        "2026-11-24T10:30",
        "-",
        "2016-02-12",
        "2016-02-12",
        "not-a-date",
    ]
    (project / "docs/decisions/0009-t.md").unlink()
    code, findings = check(project, run)
    assert (code, findings) == (0, [])


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01"])
def test_a_date_yaml_cannot_make_is_adr015_and_the_record_is_read(
    project: Path, run: Cli, value: str
) -> None:
    """A value in YAML's date form that is no real day used to make the whole front
    matter unreadable (ADR001 at line 2, the record listed without status or date)."""
    write(
        project, "0002-t.md", native("tags: [storage]", f"date: {value}", "review-by: 2027-02-29")
    )
    code, findings = check(project, run)
    review = "'review-by' must be a date: write 'review-by: YYYY-MM-DD' (got '2027-02-29')"
    assert found(findings) == [
        (RECORD, "ADR015", 4, DATE_MESSAGE.format(value=value)),
        (RECORD, "ADR015", 5, review),
    ]
    assert code == 1
    listed = run("list").output.splitlines()
    assert listed[1].split()[:3] == ["0002", "accepted", value]


def test_a_record_with_a_date_yaml_cannot_make_can_still_be_edited(project: Path, run: Cli) -> None:
    """The round-trip edit reads such a value as the read does (as text), so a status
    change goes through and leaves the line as it was."""
    text = native("date: 2026-11-24", "review-by: 2027-02-29").replace("accepted", "proposed", 1)
    write(project, "0002-t.md", text)
    assert run("accept", "2").exit_code == 0
    after = (project / "docs" / "decisions" / "0002-t.md").read_text(encoding="utf-8")
    assert "status: accepted\n" in after and "review-by: 2027-02-29\n" in after
