"""Trust II: commands that never overwrite a file they did not write, statuses that
agree with the checks, and a proposal that does not retire a decision."""

from __future__ import annotations

import json
from pathlib import Path

from support import FIXED_DATE, Cli

DIR = "docs/decisions"
HAND = "# Our docs\n\nWritten by hand.\n"


# --- 7: never overwrite a file the tool did not write -----------------------------------


def test_init_refuses_a_hand_written_readme(repo: Path, run: Cli) -> None:
    for folder in ("docs", "."):
        readme = repo / folder / "README.md"
        readme.parent.mkdir(exist_ok=True)
        readme.write_text(HAND)
        result = run("init", "--dir", folder, "--date", FIXED_DATE)
        assert result.exit_code == 2, result.output
        assert "README.md exists and was not written by 'adr index'" in result.stderr
        assert "--force" in result.stderr
        assert readme.read_text() == HAND
        assert not (repo / ".adr.yaml").exists()
    result = run("init", "--dir", "docs", "--force", "--date", FIXED_DATE)
    assert result.exit_code == 0, result.stderr
    assert "<!-- adr-index inputs=" in (repo / "docs" / "README.md").read_text()


def test_index_pointing_at_a_record_is_refused(project: Path, run: Cli) -> None:
    record = project / DIR / "0001-record-architecture-decisions.md"
    before = record.read_text()
    config = project / ".adr.yaml"
    config.write_text(config.read_text() + f"index: {DIR}/0001-record-architecture-decisions.md\n")
    result = run("index")
    assert result.exit_code == 2
    assert "0001-record-architecture-decisions.md exists and was not written" in result.stderr
    assert record.read_text() == before
    # an index the tool wrote is rewritten as before, and --force takes a file over
    hand = project / "docs" / "INDEX.md"
    hand.write_text(HAND)
    assert run("index", "--output", "docs/INDEX.md").exit_code == 2
    assert hand.read_text() == HAND
    assert run("index", "--output", "docs/INDEX.md", "--force").exit_code == 0
    assert run("new", "Second", "--no-edit").exit_code == 0
    assert run("index", "--output", "docs/INDEX.md").exit_code == 0
    assert "Second" in hand.read_text()


# --- 8: the checks and the commands agree -----------------------------------------------


def test_accept_runs_the_required_rules_first(project: Path, run: Cli) -> None:
    assert run("new", "Bare proposal", "--no-edit", "--date", FIXED_DATE).exit_code == 0
    record = project / DIR / "0002-bare-proposal.md"
    before = record.read_text()
    result = run("accept", "2")
    assert result.exit_code == 1
    assert "record 2 cannot become accepted until the checks" in result.stderr
    assert "ADR004 missing rationale" in result.stderr
    assert "ADR005 accepted record without a trade-off" in result.stderr
    assert record.read_text() == before
    forced = run("accept", "2", "--force", "--date", FIXED_DATE)
    assert forced.exit_code == 0, forced.stderr
    assert "--force overrode" in forced.stderr and "ADR004" in forced.stderr
    assert "status: accepted" in record.read_text()
    # once written properly, accepting needs no force
    tradeoff = "--tradeoff=scalability-vs-simplicity=simplicity"
    assert run("new", "Good one", tradeoff, "--no-edit", "--date", FIXED_DATE).exit_code == 0
    good = project / DIR / "0003-good-one.md"
    text = good.read_text().replace('cost: ""', "cost: one node only", 1)
    good.write_text(_with_rationale(text))
    result = run("accept", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    findings = json.loads(run("check", "--format", "json").output)
    assert [f for f in findings if f["path"].endswith("0003-good-one.md")] == []


def _with_rationale(text: str) -> str:
    head, _, tail = text.partition("## Decision Outcome")
    rest = tail.split("\n## ", 1)
    return (
        head
        + '## Decision Outcome\n\nChosen option: "one node", because it is enough for now.\n\n## '
        + rest[1]
    )


# --- 9: a proposal does not retire a decision -------------------------------------------


def test_a_proposed_successor_leaves_the_old_record_in_force(project: Path, run: Cli) -> None:
    assert run("new", "Use MySQL", "--no-edit", "--date", FIXED_DATE).exit_code == 0
    old = project / DIR / "0002-use-mysql.md"
    assert run("accept", "2", "--force", "--date", FIXED_DATE).exit_code == 0
    before = old.read_text()
    result = run("new", "--supersedes", "2", "Use PostgreSQL", "--no-edit", "--date", FIXED_DATE)
    assert result.exit_code == 0, result.stderr
    assert old.read_text() == before  # still accepted, no superseded-by
    assert "supersedes: [2]" in (project / DIR / "0003-use-postgresql.md").read_text()
    shown = run("show", "2").output
    assert "status: accepted" in shown
    assert "Pending successor: 0003. Use PostgreSQL (proposed; accepting it supersedes" in shown
    data = json.loads(run("show", "2", "--format", "json").output)
    assert data["status"] == "accepted"
    assert {
        "rel": "Pending successor",
        "to": 3,
        "title": "Use PostgreSQL",
        "status": "proposed",
    } in (data["resolved_links"])
    check = run("check", "--format", "json")
    assert [f["code"] for f in json.loads(check.output) if f["code"] == "ADR010"] == []
    accepted = run("accept", "3", "--force", "--date", FIXED_DATE)
    assert accepted.exit_code == 0, accepted.stderr
    assert "0002-use-mysql.md (superseded by 3)" in accepted.output
    text = old.read_text()
    assert "status: superseded" in text and "superseded-by: [3]" in text
    assert "Pending successor" not in run("show", "2").output
    assert "Superseded by: 0003. Use PostgreSQL" in run("show", "2").output


# --- 10: migrate keeps an HTML comment on a metadata line --------------------------------


def test_migrate_keeps_a_comment_on_the_status_line(project: Path, run: Cli) -> None:
    record = project / DIR / "0002-use-kafka.md"
    record.write_text(
        "# Use Kafka\n\n* Status: accepted <!-- decided in the Q3 sync -->\n"
        "* Date: 2026-01-10\n\n## Context and Problem Statement\n\nWhy.\n\n"
        '## Decision Outcome\n\nChosen option: "Kafka", because it scales.\n'
    )
    result = run("migrate", "--write")
    assert result.exit_code == 0, result.stderr
    text = record.read_text()
    assert text.startswith("---\nstatus: accepted\ndate: 2026-01-10\n---\n# Use Kafka\n")
    assert "\n<!-- decided in the Q3 sync -->\n" in text
    assert "* Status" not in text
    assert run("migrate").stderr.startswith("0 records would change")
