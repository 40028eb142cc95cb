"""A record's ``commits`` list reaches ``git log`` (``adr log N``): a value that is no
commit hash is never passed to git, and revisions come after ``--end-of-options``, so a
record cannot hand git an option (``--output=.git/config`` rewrote git's config with an
``fsmonitor`` command that the next git command ran)."""

from __future__ import annotations

from pathlib import Path

from support import Cli, git


def test_commits_that_are_options_reach_git_as_nothing(
    project: Path, run: Cli, tmp_path: Path
) -> None:
    config_before = (project / ".git" / "config").read_text(encoding="utf-8")
    planted = tmp_path / "written-by-git-log"
    made = run("new", "Use PostgreSQL", "--no-edit")
    assert made.exit_code == 0
    record = project / "docs" / "decisions" / "0002-use-postgresql.md"
    hostile = (
        f'commits: ["--output={planted}", "--output=.git/config", '
        '"--format=format:[core]%n\\tfsmonitor = touch pwned%n", "HEAD"]\n'
    )
    record.write_text(record.read_text().replace("---\n", "---\n" + hostile, 1))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "add decision")
    shown = run("log", "2")
    assert shown.exit_code == 0, shown.stderr
    assert f"--output={planted}  (listed in commits, not found in this repository)" in (
        shown.output
    )
    assert not planted.exists()
    assert (project / ".git" / "config").read_text(encoding="utf-8") == config_before
    git(project, "status", "--short")
    assert not (project / "pwned").exists()
