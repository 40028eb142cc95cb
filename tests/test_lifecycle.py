"""Lifecycle: status changes, supersession, typed links and commit links, as in-place edits."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from adr_tool.actions import lifecycle
from adr_tool.config import discover
from adr_tool.errors import Refused
from adr_tool.records.store import Store
from support import Cli, git

DIR = Path("docs/decisions")
TITLES = {1: "Record decisions", 2: "Use Kafka", 3: "Use Avro"}
NAMES = {n: f"{n:04d}-{t.lower().replace(' ', '-')}.md" for n, t in TITLES.items()}


def native(number: int) -> str:
    return (
        "---\n# reviewed in the architecture sync\n"
        "status: proposed   # until the spike is done\n"
        "tags: [storage]\ndate: 2026-01-10\nx-team: payments\n---\n"
        f"# {TITLES[number]}\n\n## Decision Outcome\n\nSee [the first](0001-record-decisions.md).\n"
    )


def madr4(number: int) -> str:
    return (
        '---\nstatus: "proposed"\ndate: 2026-01-10\ndecision-makers: [Ana Lima]\nconsulted: []\n'
        f"---\n# {TITLES[number]}\n\n## Context and Problem Statement\n\nWhy.\n\n"
        "## Decision Outcome\n\nChosen option: X, because Y.\n"
    )


def nygard(number: int) -> str:
    return (
        f"# {number}. {TITLES[number]}\n\nDate: 2026-01-10\n\n## Status\n\nProposed\n\n"
        "## Context\n\nWhy.\n\n## Decision\n\nWe will.\n\n## Consequences\n\nSome.\n"
    )


def madr2(number: int) -> str:
    return (
        f"# {TITLES[number]}\n\n* Status: proposed\n* Deciders: Ana Lima\n* Date: 2026-01-10\n\n"
        "## Context and Problem Statement\n\nWhy.\n\n## Decision Outcome\n\nChosen option: X.\n"
    )


FORMATS = {"native": native, "madr4": madr4, "nygard": nygard, "madr2": madr2}


def seed(project: Path, fmt: str) -> dict[int, Path]:
    """Records 1-3 in one format (the init record replaced)."""
    folder = project / DIR
    for path in folder.glob("0*.md"):
        path.unlink()
    paths = {}
    for number in TITLES:
        paths[number] = folder / NAMES[number]
        paths[number].write_text(FORMATS[fmt](number), encoding="utf-8")
    return paths


def changes(before: str, after: str) -> list[str]:
    """The removed (-) and added (+) lines of a diff, in order."""
    lines = list(difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0))
    return [line for line in lines[2:] if not line.startswith("@@")]


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


# --- the diffs that define "done" -------------------------------------------------------

ACCEPT = {
    "native": [
        "-status: proposed   # until the spike is done",
        "+status: accepted   # until the spike is done",
        "+accepted: 2026-11-30",
    ],
    "madr4": ['-status: "proposed"', '+status: "accepted"', "+accepted: 2026-11-30"],
    "nygard": ["-Date: 2026-01-10", "+Date: 2026-11-30", "-Proposed", "+Accepted"],
    "madr2": [
        "-* Status: proposed",
        "+* Status: accepted",
        "-* Date: 2026-01-10",
        "+* Date: 2026-11-30",
    ],
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_accept_changes_exactly_status_and_date(project: Path, run: Cli, fmt: str) -> None:
    paths = seed(project, fmt)
    before = snapshot(project)
    # the seeds have no trade-off: --force gets past the require rules (tested elsewhere)
    result = run("accept", "2", "--date", "2026-11-30", "--force")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (DIR / NAMES[2]).as_posix()
    after = snapshot(project)
    index = (DIR / "README.md").as_posix()  # kept fresh by the command (index.auto)
    assert [k for k in after if after[k] != before[k]] == [(DIR / NAMES[2]).as_posix(), index]
    diff = changes(before[(DIR / NAMES[2]).as_posix()].decode(), paths[2].read_text())
    assert sorted(diff) == sorted(ACCEPT[fmt])
    assert Store(discover(project)).get(2).status == "accepted"


SUPERSEDED = {
    "native": [
        "-status: proposed   # until the spike is done",
        "+status: superseded   # until the spike is done",
        "+superseded-by: [4]",
    ],
    "madr4": ['-status: "proposed"', '+status: "superseded"', "+superseded-by: [4]"],
    "nygard": ["-Proposed", "+Superseded by [4. Use Pulsar](0004-use-pulsar.md)"],
    "madr2": [
        "-* Status: proposed",
        "+* Status: superseded by [ADR-0004](0004-use-pulsar.md)",
    ],
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_new_supersedes_changes_exactly_the_old_records_status(
    project: Path, run: Cli, fmt: str
) -> None:
    paths = seed(project, fmt)
    before = snapshot(project)
    result = run("new", "--supersedes", "2", "Use Pulsar", "--no-edit", "--date", "2026-11-30")
    assert result.exit_code == 0, result.output
    new = project / DIR / "0004-use-pulsar.md"
    assert result.output.strip() == (DIR / new.name).as_posix()
    assert paths[2].read_bytes() == before[(DIR / NAMES[2]).as_posix()]  # only proposed
    accepted = run("accept", "4", "--force", "--date", "2026-11-30")
    assert accepted.exit_code == 0, accepted.stderr
    assert f"{(DIR / NAMES[2]).as_posix()} (superseded by 4)" in accepted.output
    after = snapshot(project)
    changed = sorted(k for k in after if after.get(k) != before.get(k))
    index = (DIR / "README.md").as_posix()  # kept fresh by the command (index.auto)
    assert changed == sorted([(DIR / NAMES[2]).as_posix(), (DIR / new.name).as_posix(), index])
    diff = changes(before[(DIR / NAMES[2]).as_posix()].decode(), paths[2].read_text())
    assert diff == SUPERSEDED[fmt]
    assert "supersedes: [2]" in new.read_text()
    decision = Store(discover(project)).get(4)
    assert decision.supersedes == (2,)
    assert Store(discover(project)).get(2).superseded_by == (4,)


LINKED = {
    "native": (["+links: [{rel: Amends, to: 1}]"], ["+links: [{rel: Amended by, to: 3}]"]),
    "madr4": (["+links: [{rel: Amends, to: 1}]"], ["+links: [{rel: Amended by, to: 3}]"]),
    "nygard": (
        ["+", "+Amends [1. Record decisions](0001-record-decisions.md)"],
        ["+", "+Amended by [3. Use Avro](0003-use-avro.md)"],
    ),
    "madr2": (
        ["+## Links", "+", "+* Amends [ADR-0001](0001-record-decisions.md)", "+"],
        ["+## Links", "+", "+* Amended by [ADR-0003](0003-use-avro.md)", "+"],
    ),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_link_with_reverse_changes_exactly_one_line_each_side(
    project: Path, run: Cli, fmt: str
) -> None:
    paths = seed(project, fmt)
    before = {n: p.read_text() for n, p in paths.items()}
    result = run("link", "3", "Amends", "1", "--reverse", "Amended by")
    assert result.exit_code == 0, result.output
    assert result.output.split() == [(DIR / NAMES[3]).as_posix(), (DIR / NAMES[1]).as_posix()]
    assert changes(before[3], paths[3].read_text()) == LINKED[fmt][0]
    assert changes(before[1], paths[1].read_text()) == LINKED[fmt][1]
    assert paths[2].read_text() == before[2]
    store = Store(discover(project))
    assert [(x.rel, x.to) for x in store.get(3).links] == [("Amends", 1)]
    assert [(x.rel, x.to) for x in store.get(1).links] == [("Amended by", 3)]
    # linking again changes nothing
    again = snapshot(project)
    assert run("link", "3", "Amends", "1", "--reverse", "Amended by").exit_code == 0
    assert snapshot(project) == again


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_unlink_removes_links_both_ways(project: Path, run: Cli, fmt: str) -> None:
    paths = seed(project, fmt)
    before = {n: p.read_text() for n, p in paths.items()}
    assert run("link", "3", "Amends", "1", "Amended by").exit_code == 0  # adr-tools form
    assert paths[1].read_text() != before[1]
    result = run("unlink", "1", "3")
    assert result.exit_code == 0, result.output
    assert {n: p.read_text() for n, p in paths.items()} == before


# --- supersede -------------------------------------------------------------------------


def test_supersede_writes_both_sides_and_follows_chains(project: Path, run: Cli) -> None:
    paths = seed(project, "native")
    assert run("supersede", "1", "2").exit_code == 0
    assert run("supersede", "2", "3").exit_code == 0
    text2 = paths[2].read_text()
    assert "status: superseded   # until the spike is done" in text2
    assert "superseded-by: [3]" in text2 and "supersedes: [1]" in text2
    store = Store(discover(project))
    assert store.get(3).supersedes == (2,)
    assert store.get(1).superseded_by == (2,)
    # a cycle anywhere along the chain is refused, and nothing changes
    before = snapshot(project)
    result = run("supersede", "3", "1")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "cycle" in result.stderr
    assert snapshot(project) == before


def test_supersede_is_idempotent(project: Path, run: Cli) -> None:
    seed(project, "madr4")
    assert run("supersede", "1", "2").exit_code == 0
    before = snapshot(project)
    assert run("supersede", "1", "2").exit_code == 0
    assert snapshot(project) == before


def test_new_supersedes_refuses_bad_targets_before_writing(project: Path, run: Cli) -> None:
    paths = seed(project, "native")
    paths[3].write_text("---\nstatus: [unclosed\n---\n# Broken\n", encoding="utf-8")
    before = snapshot(project)
    for args in (["-s", "9"], ["-s", "1", "-s", "3"], ["--link", "3:Amends:Amended by"]):
        result = run("new", *args, "Something", "--no-edit", "--date", "2026-11-30")
        assert result.exit_code in (1, 2), (args, result.output)
        assert result.stderr.startswith("adr: error:") and result.stderr.count("\n") == 1
        assert snapshot(project) == before, args


def test_new_supersedes_refuses_a_cycle_through_a_dangling_reference(
    project: Path, run: Cli
) -> None:
    paths = seed(project, "native")
    # record 3 already claims to supersede record 4, which does not exist yet
    paths[3].write_text(paths[3].read_text().replace("x-team", "supersedes: [4]\nx-team"))
    before = snapshot(project)
    result = run("new", "-s", "3", "Loop", "--no-edit", "--date", "2026-11-30")
    assert result.exit_code == 1 and "cycle" in result.stderr
    assert snapshot(project) == before


# --- refusals ------------------------------------------------------------------------------

REFUSALS = [
    (["accept", "9"], 1, "no record numbered 9"),
    (["status", "2", "approved"], 2, "unknown status 'approved'"),
    (["link", "2", "Amends", "9"], 1, "no record numbered 9"),
    (["link", "2", "Amends", "2"], 1, "cannot link to itself"),
    (["link", "2", "Amends"], 2, "expected: adr link N REL M"),
    (["link", "2", "Amends", "1", "Amended by", "--reverse", "X"], 2, "give the reverse"),
    (["supersede", "2", "2"], 1, "cannot supersede itself"),
    (["supersede", "9", "2"], 1, "no record numbered 9"),
    (["unlink", "1", "2"], 1, "not linked"),
    (["status", "2", "superseded"], 1, "adr supersede 2 NEW"),
    (["accept", "2", "--date", "30/11/2026"], 2, "not a date"),
]


@pytest.mark.parametrize(("args", "code", "message"), REFUSALS)
def test_refusals_exit_with_one_line_and_change_nothing(
    project: Path, run: Cli, args: list[str], code: int, message: str
) -> None:
    seed(project, "native")
    before = snapshot(project)
    result = run(*args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("adr: error:") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("start", "command", "word"),
    [
        ("superseded", "accept", "superseded"),
        ("rejected", "accept", "rejected"),
        ("deprecated", "accept", "deprecated"),
        ("accepted", "reject", "deprecate or supersede"),
    ],
)
def test_nonsensical_transitions_are_refused_unless_forced(
    project: Path, run: Cli, start: str, command: str, word: str
) -> None:
    paths = seed(project, "native")
    paths[2].write_text(native(2).replace("status: proposed", f"status: {start}"))
    before = snapshot(project)
    result = run(command, "2", "--date", "2026-11-30")
    assert result.exit_code == 1
    assert word in result.stderr and "--force" in result.stderr
    assert snapshot(project) == before
    forced = run(command, "2", "--force", "--date", "2026-11-30")
    assert forced.exit_code == 0, forced.output
    assert f"status: {command}ed   # until the spike is done" in paths[2].read_text()


def test_status_already_set_changes_nothing(project: Path, run: Cli) -> None:
    seed(project, "nygard")
    before = snapshot(project)
    result = run("status", "2", "Proposed")
    assert result.exit_code == 0
    assert "already proposed" in result.output
    assert snapshot(project) == before


def test_date_comes_from_adr_date(project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = seed(project, "madr4")
    monkeypatch.setenv("ADR_DATE", "2027-02-03")
    assert run("deprecate", "2").exit_code == 0
    text = paths[2].read_text()
    assert 'status: "deprecated"' in text and "date: 2027-02-03\n" in text


def test_status_edit_keeps_crlf_bom_and_body(project: Path, run: Cli) -> None:
    paths = seed(project, "native")
    original = "\ufeff" + native(2).replace("\n", "\r\n")
    paths[2].write_bytes(original.encode("utf-8"))
    assert run("accept", "2", "--date", "2026-11-30", "--force").exit_code == 0
    expected = original.replace("status: proposed", "status: accepted").replace(
        "date: 2026-01-10\r\n", "date: 2026-01-10\r\naccepted: 2026-11-30\r\n"
    )
    assert paths[2].read_bytes() == expected.encode("utf-8")


def test_status_and_link_on_a_nygard_record_in_an_adr_tools_repo(repo: Path, run: Cli) -> None:
    (repo / ".adr-dir").write_text("doc/adr\n")
    folder = repo / "doc/adr"
    folder.mkdir(parents=True)
    for number in (1, 2):
        (folder / NAMES[number]).write_text(nygard(number).replace("Proposed", "Accepted"))
    result = run("new", "-s", "1", "Use Pulsar", "--no-edit", "--date", "2026-11-30")
    assert result.exit_code == 0, result.output
    old = (folder / NAMES[1]).read_text()
    assert "## Status\n\nSuperceded by [3. Use Pulsar](0003-use-pulsar.md)\n\n## Context" in old
    new = (folder / "0003-use-pulsar.md").read_text()
    assert "Supercedes [1. Record decisions](0001-record-decisions.md)" in new


# --- commit links ------------------------------------------------------------------------


def test_link_commit_stores_the_full_sha_and_removes_it(project: Path, run: Cli) -> None:
    paths = seed(project, "madr4")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "records")
    sha = git(project, "rev-parse", "HEAD").strip()
    before = paths[2].read_text()
    result = run("link", "2", "--commit", "HEAD")
    assert result.exit_code == 0, result.output
    assert changes(before, paths[2].read_text()) == [f"+commits: [{sha}]"]
    assert Store(discover(project)).get(2).commits == (sha,)
    again = run("link", "2", "--commit", sha[:8])
    assert again.exit_code == 0 and "already links" in again.output
    assert run("link", "2", "--commit", "HEAD", "--remove").exit_code == 0
    assert paths[2].read_text() == before


def test_link_commit_refusals_change_nothing(project: Path, run: Cli) -> None:
    seed(project, "nygard")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "records")
    before = snapshot(project)
    for args, code in (
        (["link", "2", "--commit", "no-such-rev"], 1),
        (["link", "2", "--commit", "HEAD"], 1),  # Nygard has no place for it
        (["link", "2", "--commit", "HEAD", "--remove"], 1),
        (["link", "2", "Amends", "1", "--commit", "HEAD"], 2),
        (["link", "2", "Amends", "1", "--remove"], 2),
    ):
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        assert result.stderr.count("\n") == 1
        assert snapshot(project) == before


# --- core API ------------------------------------------------------------------------------


def test_core_refuses_cycles_without_the_cli(project: Path) -> None:
    seed(project, "madr4")
    store = Store(discover(project))
    lifecycle.supersede(store, 1, 2)
    store = Store(discover(project))
    with pytest.raises(Refused, match="cycle"):
        lifecycle.check_supersession(store, 2, 1)
    assert lifecycle.reaches(lifecycle.supersedes_graph(store.load_all()), 2, 1)


def test_supersede_refuses_a_retired_successor_and_an_unconfigured_status(
    project: Path, run: Cli
) -> None:
    """A rejected record cannot take over a decision (nothing would be left in force)
    unless forced; and 'superseded' must be a configured status, as for 'adr status'."""
    paths = seed(project, "native")
    assert run("reject", "3", "--force").exit_code == 0
    before = snapshot(project)
    refused = run("supersede", "2", "3")
    assert refused.exit_code == 1
    assert "record 3 cannot supersede 2: it is rejected" in refused.stderr
    assert snapshot(project) == before
    assert run("supersede", "2", "3", "--force").exit_code == 0
    assert "superseded-by: [3]" in paths[2].read_text()
    assert run("supersede", "2", "3").exit_code == 0  # already recorded: a rerun is fine
    config = project / ".adr.yaml"
    config.write_text(config.read_text() + "statuses: [proposed, accepted, rejected]\n")
    before = snapshot(project)
    unknown = run("supersede", "1", "2")
    assert unknown.exit_code == 2
    assert "'superseded' is not one of the configured statuses" in unknown.stderr
    assert snapshot(project) == before


def test_new_supersedes_needs_the_superseded_status_too(project: Path, run: Cli) -> None:
    config = project / ".adr.yaml"
    config.write_text(config.read_text() + "statuses: [proposed, accepted]\n")
    refused = run("new", "Next", "--supersedes", "1", "--no-edit")
    assert refused.exit_code == 2
    assert "'superseded' is not one of the configured statuses" in refused.stderr
    assert sorted(p.name for p in (project / "docs/decisions").glob("0002-*")) == []


def test_a_record_superseded_on_both_sides_has_no_pending_successor(
    project: Path, run: Cli
) -> None:
    """`adr supersede` records both sides at once; rejecting the successor afterwards
    does not make it 'pending' on the record it already superseded."""
    import json

    seed(project, "native")
    assert run("supersede", "2", "3").exit_code == 0
    assert run("reject", "3", "--force").exit_code == 0
    shown = json.loads(run("show", "2", "--format", "json").output)
    rels = [(link["rel"], link["to"]) for link in shown["resolved_links"]]
    assert ("Superseded by", 3) in rels and ("Pending successor", 3) not in rels
    assert "Pending successor" not in run("show", "2").output


def test_new_with_a_gated_status_says_what_check_will_report(project: Path, run: Cli) -> None:
    """A record made accepted is written as asked (its rationale comes after), with a note
    per finding 'adr check' will report until it is filled in; none without --status."""
    made = run("new", "X", "--tradeoff", "scalability-vs-simplicity=simplicity",
               "--cost", "one box", "--status", "accepted", "--no-edit")  # fmt: skip
    assert made.exit_code == 0
    assert made.stdout == "docs/decisions/0002-x.md\n"
    notes = made.stderr.splitlines()
    assert len(notes) == 1 and notes[0].startswith("adr: note: 0002 is accepted;")
    assert "ADR004 missing rationale" in notes[0]
    plain = run("new", "Y", "--no-edit")
    assert plain.exit_code == 0 and plain.stderr == ""
