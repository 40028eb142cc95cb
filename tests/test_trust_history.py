"""Trust II: history that does not confuse records made from one template, and a
renumber whose choice of record to move cannot change between runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import FIXED_DATE, Cli, git

DIR = "docs/decisions"
BASE = 1_800_000_000


def commit_all(repo: Path, monkeypatch: pytest.MonkeyPatch, at: int, message: str) -> str:
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{at} +0000")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{at} +0000")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_each_log_starts_at_its_own_record(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten records from one template, one commit each, then one renamed: no record's
    history reaches back before the commit that added it; the rename is followed."""
    born = {1: commit_all(project, monkeypatch, BASE, "init")}
    for number in range(2, 12):
        result = run("new", f"Decision number {number}", "--no-edit", "--date", FIXED_DATE)
        assert result.exit_code == 0, result.stderr
        born[number] = commit_all(project, monkeypatch, BASE + number * 10, f"add {number}")
    old = project / DIR / "0006-decision-number-6.md"
    git(project, "mv", str(old), str(old.with_name("0006-decision-six.md")))
    renamed = commit_all(project, monkeypatch, BASE + 500, "rename 6")
    for number in range(1, 12):
        result = run("log", str(number), "--format", "json")
        assert result.exit_code == 0, result.stderr
        shas = [c["sha"] for c in json.loads(result.output)["linked_commits"]]
        expected = [born[number]] if number != 6 else [renamed, born[6]]
        assert shas == expected, number
    why = json.loads(run("why", f"{DIR}/0006-decision-six.md", "--format", "json").output)
    assert why == []
    text = run("log", "6").output
    assert "rename 6" in text and "add 6" in text and "add 5" not in text


# --- 6: no false green ------------------------------------------------------------------


def test_no_decisions_folder_is_not_a_clean_folder(repo: Path, run: Cli) -> None:
    for command in (["check"], ["list"], ["index", "--check"], ["check", "--format", "json"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "no decisions folder found" in result.stderr
        assert "run `adr init`" in result.stderr
        assert "All checks passed" not in result.output
    (repo / ".adr.yaml").write_text("directory: docs/adr-typo\n")
    result = run("check")
    assert result.exit_code == 1
    assert "docs/adr-typo (named by .adr.yaml) does not exist" in result.stderr
    assert sorted(p.name for p in repo.iterdir()) == [".adr.yaml", ".git"]


def test_dash_c_to_a_missing_directory_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    for command in (["list"], ["new", "x", "--no-edit"], ["init"]):
        result = Cli(missing)(*command)
        assert result.exit_code == 2, command
        assert "does not exist" in result.stderr
        assert not missing.exists()
