"""Trust II: commands that never overwrite a file they did not write, statuses that
agree with the checks, and a proposal that does not retire a decision."""

from __future__ import annotations

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
