"""Trust II: history that does not confuse records made from one template, and a
renumber whose choice of record to move cannot change between runs."""

from __future__ import annotations

import json
import os
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


# --- 5: renumber is locked, deterministic and crash-consistent ---------------------------


def two_records_numbered_2(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """0002-b.md is added first, 0002-a.md later (history and name disagree), and 0003
    points at the later one by file name; file times say the opposite of history."""
    folder = project / DIR
    commit_all(project, monkeypatch, BASE, "init")
    (folder / "0002-b.md").write_text("---\nstatus: proposed\n---\n# B\n")
    commit_all(project, monkeypatch, BASE + 10, "add b")
    (folder / "0002-a.md").write_text("---\nstatus: proposed\n---\n# A\n")
    (folder / "0003-c.md").write_text("---\nstatus: proposed\n---\n# C\n\nSee [A](0002-a.md).\n")
    commit_all(project, monkeypatch, BASE + 20, "add a and c")
    os.utime(folder / "0002-a.md", (BASE, BASE))  # mtime: a looks older
    os.utime(folder / "0002-b.md", (BASE + 99, BASE + 99))
    return folder


def test_renumber_moves_the_later_added_record_whatever_the_file_times(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = two_records_numbered_2(project, monkeypatch)
    result = run("renumber")
    assert result.exit_code == 0, result.stderr
    assert f"move {DIR}/0002-a.md -> {DIR}/0004-a.md" in result.output
    assert (folder / "0002-b.md").exists() and (folder / "0004-a.md").exists()
    assert "See [A](0004-a.md)." in (folder / "0003-c.md").read_text()


def test_a_rerun_after_a_kill_finishes_the_same_plan(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adr_tool.actions import renumber
    from adr_tool.config import discover
    from adr_tool.records.store import Store

    folder = two_records_numbered_2(project, monkeypatch)
    store = Store(discover(project))
    plan = renumber.plan(store)
    renumber.begin(store, plan)  # what a run killed before its first move leaves behind
    assert "See [A](0004-a.md)." in (folder / "0003-c.md").read_text()
    assert (folder / renumber.JOURNAL).is_file()
    for path in folder.glob("0*.md"):  # the rewrite changed file times; no matter
        os.utime(path, (BASE + 500, BASE + 500))
    os.utime(folder / "0002-a.md", (BASE, BASE))
    result = run("renumber")
    assert result.exit_code == 0, result.stderr
    assert "finishing the 'adr renumber' that was interrupted" in result.stderr
    names = sorted(p.name for p in folder.glob("0*.md"))
    assert names == [
        "0001-record-architecture-decisions.md",
        "0002-b.md",
        "0003-c.md",
        "0004-a.md",
    ]
    assert not (folder / renumber.JOURNAL).exists()
    check = json.loads(run("check", "--format", "json").output)
    assert [f for f in check if f["code"] in ("ADR008", "ADR009")] == []
    assert run("renumber").output == "no duplicate numbers; nothing to do\n"


@pytest.mark.slow
def test_renumber_holds_the_folder_lock(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys
    import time

    from adr_tool.records.store import folder_lock

    folder = two_records_numbered_2(project, monkeypatch)
    adr = [sys.executable, "-m", "adr_tool", "-C", str(project), "renumber"]
    with folder_lock(folder):  # an `adr new` in the middle of taking a number
        started = subprocess.Popen(adr, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.5)
        assert started.poll() is None  # waiting for the lock
        assert (folder / "0002-a.md").exists()
    out, err = started.communicate(timeout=60)
    assert started.returncode == 0, err
    assert b"0004-a.md" in out and (folder / "0004-a.md").exists()


def test_a_shallow_clone_moves_the_same_record_or_refuses(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    two_records_numbered_2(project, monkeypatch)
    url = "file://" + str(project)
    deep = tmp_path / "depth2"
    git(tmp_path, "clone", "-q", "--depth", "2", url, str(deep))
    result = run("renumber", "--dry-run", cwd=deep)
    assert result.exit_code == 0, result.stderr
    assert f"would move {DIR}/0002-a.md -> {DIR}/0004-a.md" in result.output  # as in full
    flat = tmp_path / "depth1"
    git(tmp_path, "clone", "-q", "--depth", "1", url, str(flat))
    refused = run("renumber", cwd=flat)
    assert refused.exit_code == 1
    assert "cannot tell which of 0002-a.md and 0002-b.md was added first" in refused.stderr
    assert "git fetch --unshallow" in refused.stderr
    assert (flat / DIR / "0002-a.md").exists() and (flat / DIR / "0002-b.md").exists()
