"""adr renumber: duplicate numbers after a merge, in a real git repository and outside git."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from adr_tool.actions import renumber
from adr_tool.config import discover
from adr_tool.records.store import Store
from support import FIXED_DATE, Cli, git

DIR = Path("docs/decisions")
BASE = 1_800_000_000


def commit(repo: Path, monkeypatch: pytest.MonkeyPatch, at: int, message: str) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{at} +0000")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{at} +0000")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def new(run: Cli, *args: str) -> None:
    result = run("new", *args, "--no-edit", "--date", FIXED_DATE)
    assert result.exit_code == 0, result.output


def changes(before: str, after: str) -> list[str]:
    lines = list(difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0))
    return [line for line in lines[2:] if not line.startswith("@@")]


@pytest.fixture
def merged(project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two branches each add 0002 and 0003; B's records were added later."""
    # Without an index: each branch would refresh it, and the merge would conflict there
    # before renumbering could start (`adr index` after `adr renumber` resolves that).
    (project / DIR / "README.md").unlink()
    commit(project, monkeypatch, BASE, "init")
    git(project, "checkout", "-q", "-b", "feature-a")
    new(run, "Use Redis")
    new(run, "Cache sessions", "--link", "2:Extends:Extended by")
    commit(project, monkeypatch, BASE + 100, "A: redis")
    git(project, "checkout", "-q", "main")
    git(project, "checkout", "-q", "-b", "feature-b")
    new(run, "Use Memcached")
    new(run, "Use Valkey", "-s", "2", "--status", "accepted", "--link", "1:Amends:Amended by")
    valkey = project / DIR / "0003-use-valkey.md"
    valkey.write_text(valkey.read_text() + "\nReplaces [the old one](0002-use-memcached.md).\n")
    commit(project, monkeypatch, BASE + 200, "B: memcached")
    git(project, "checkout", "-q", "main")
    git(project, "merge", "-q", "--no-ff", "feature-a", "-m", "merge A")
    git(project, "merge", "-q", "--no-ff", "feature-b", "-m", "merge B")
    return project


def texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / DIR).glob("0*.md"))}


def test_dry_run_prints_the_plan_and_changes_nothing(merged: Path, run: Cli) -> None:
    before = texts(merged)
    result = run("renumber", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"would move {DIR}/0002-use-memcached.md -> {DIR}/0004-use-memcached.md",
        f"would move {DIR}/0003-use-valkey.md -> {DIR}/0005-use-valkey.md",
        f"would rewrite {DIR}/0001-record-architecture-decisions.md",
        f"would rewrite {DIR}/0002-use-memcached.md",
        f"would rewrite {DIR}/0003-use-valkey.md",
    ]
    assert texts(merged) == before
    assert git(merged, "status", "--porcelain") == ""


def test_renumber_after_a_merge(merged: Path, run: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    before = texts(merged)
    result = run("renumber")
    assert result.exit_code == 0, result.output
    after = texts(merged)
    assert sorted(after) == [
        "0001-record-architecture-decisions.md",
        "0002-use-redis.md",
        "0003-cache-sessions.md",
        "0004-use-memcached.md",
        "0005-use-valkey.md",
    ]
    # exactly the lines that name a moved record change
    first = "0001-record-architecture-decisions.md"
    assert changes(before[first], after[first]) == [
        "-links: [{rel: Amended by, to: 3}]",
        "+links: [{rel: Amended by, to: 5}]",
    ]
    assert after["0002-use-redis.md"] == before["0002-use-redis.md"]
    assert after["0003-cache-sessions.md"] == before["0003-cache-sessions.md"]
    assert changes(before["0002-use-memcached.md"], after["0004-use-memcached.md"]) == [
        "-superseded-by: [3]",
        "+superseded-by: [5]",
    ]
    assert changes(before["0003-use-valkey.md"], after["0005-use-valkey.md"]) == [
        "-supersedes: [2]",
        "+supersedes: [4]",
        "-Replaces [the old one](0002-use-memcached.md).",
        "+Replaces [the old one](0004-use-memcached.md).",
    ]
    # check-level invariants: unique numbers, every reference resolves and is two-sided
    decisions = Store(discover(merged)).load_all()
    numbers = [d.number for d in decisions]
    assert len(numbers) == len(set(numbers))
    by_number = {d.number: d for d in decisions}
    for d in decisions:
        for old in d.supersedes:
            assert d.number in by_number[old].superseded_by
        for newer in d.superseded_by:
            assert d.number in by_number[newer].supersedes
        for link in d.links:
            assert any(back.to == d.number for back in by_number[link.to].links)
    assert run("renumber").output.strip() == "no duplicate numbers; nothing to do"
    # git moved the files, so history follows them
    status = git(merged, "status", "--porcelain").splitlines()
    assert f"RM {DIR}/0002-use-memcached.md -> {DIR}/0004-use-memcached.md" in status
    commit(merged, monkeypatch, BASE + 300, "renumber")
    log = git(merged, "log", "--follow", "--format=%s", "--", str(DIR / "0004-use-memcached.md"))
    assert log.splitlines() == ["renumber", "B: memcached"]


def nygard(number: int, title: str, status: str) -> str:
    return (
        f"# {number}. {title}\n\nDate: 2026-01-10\n\n## Status\n\n{status}\n\n## Context\n\nWhy.\n"
    )


def test_renumber_outside_git_goes_by_name_and_rewrites_nygard_links(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    run = Cli(root)
    assert run("init", "--date", FIXED_DATE).exit_code == 0
    folder = root / DIR
    old = folder / "0002-use-ant.md"
    newer = folder / "0002-use-maven.md"
    old.write_text(nygard(2, "Use Ant", "Accepted"))
    newer.write_text(
        nygard(2, "Use Maven", "Superseded by [3. Use Gradle](0003-use-gradle.md)")
        + "\nSee also [ADR-0002](./0002-use-ant.md).\n"
    )
    gradle = folder / "0003-use-gradle.md"
    gradle.write_text(
        nygard(3, "Use Gradle", "Accepted\n\nSupersedes [2. Use Maven](0002-use-maven.md)")
    )
    os.utime(old, (BASE, BASE))
    os.utime(newer, (BASE + 50, BASE + 50))
    result = run("renumber")
    assert result.exit_code == 0, result.output
    moved = folder / "0004-use-maven.md"
    assert not newer.exists() and old.exists()
    assert moved.read_text() == (
        nygard(4, "Use Maven", "Superseded by [3. Use Gradle](0003-use-gradle.md)")
        + "\nSee also [ADR-0002](./0002-use-ant.md).\n"
    )
    assert "Supersedes [4. Use Maven](0004-use-maven.md)" in gradle.read_text()
    assert old.read_text() == nygard(2, "Use Ant", "Accepted")


def test_plan_notes_an_ambiguous_reference(project: Path) -> None:
    folder = project / DIR
    (folder / "0002-a.md").write_text("---\nstatus: proposed\n---\n# A\n")
    (folder / "0002-b.md").write_text("---\nstatus: proposed\n---\n# B\n")
    (folder / "0003-c.md").write_text("---\nlinks: [{rel: Cites, to: 2}]\n---\n# C\n")
    plan = renumber.plan(Store(discover(project)))
    assert [(a.name, b.name) for a, b in plan.moves] == [("0002-b.md", "0004-b.md")]
    assert plan.edited == []
    assert plan.notes == [
        "0003-c.md: reference to 2 is ambiguous; taken as 0002-a.md, please check"
    ]


def test_relabel_keeps_zero_padding() -> None:
    names = {"0008-x.md": "0012-x.md"}
    text = (
        "[ADR-0008](0008-x.md) [8. X](../decisions/0008-x.md#why) [y](0008-xy.md)\n[r]: 0008-x.md\n"
    )
    assert renumber._rewrite_links(text, names) == (
        "[ADR-0012](0012-x.md) [12. X](../decisions/0012-x.md#why) [y](0008-xy.md)\n"
        "[r]: 0012-x.md\n"
    )


def test_in_the_middle_of_a_merge_the_later_added_record_moves(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The branch being merged brought the EARLIER record: renumbering before the merge
    commit (with the index in conflict, as it always is then) moves the same record as
    after it. Its history is read from MERGE_HEAD as well as HEAD."""
    commit(project, monkeypatch, BASE, "init")
    git(project, "checkout", "-q", "-b", "feature")
    new(run, "Use Kafka")
    commit(project, monkeypatch, BASE + 100, "kafka")
    git(project, "checkout", "-q", "main")
    new(run, "Use Postgres")
    commit(project, monkeypatch, BASE + 200, "postgres")
    merge = ["git", "-C", str(project), "merge", "-q", "feature", "-m", "merge"]
    assert os.spawnvp(os.P_WAIT, "git", merge) != 0  # the index conflicts
    expected = f"would move {DIR}/0002-use-postgres.md -> {DIR}/0003-use-postgres.md"
    during = run("renumber", "--dry-run")
    assert expected in during.output, during.output
    assert run("index", "--force").exit_code == 0
    commit(project, monkeypatch, BASE + 300, "merge")
    after = run("renumber", "--dry-run")
    assert expected in after.output, after.output


def test_two_reverse_links_go_back_by_their_relation(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both branches link a new 0003 to 0002 (Amends on one, Relates on the other); after
    the merge 0002 holds both reverse links, to '3'. Each follows the record that links
    back with the paired relation, not the same guess twice."""
    (project / DIR / "README.md").unlink()
    new(run, "Base record")
    commit(project, monkeypatch, BASE, "base")
    git(project, "checkout", "-q", "-b", "feature")
    new(run, "Use Kafka")
    assert run("link", "3", "Amends", "2", "--reverse", "Amended by").exit_code == 0
    commit(project, monkeypatch, BASE + 100, "kafka")
    git(project, "checkout", "-q", "main")
    new(run, "Use Postgres")
    assert run("link", "3", "Relates", "2", "--reverse", "Related by").exit_code == 0
    commit(project, monkeypatch, BASE + 200, "postgres")
    merge = ["git", "-C", str(project), "merge", "-q", "feature", "-m", "merge"]
    os.spawnvp(os.P_WAIT, "git", merge)  # 0002's links conflict
    base = project / DIR / "0002-base-record.md"
    ours = git(project, "show", f"HEAD:{DIR}/0002-base-record.md")
    both = "links: [{rel: Related by, to: 3}, {rel: Amended by, to: 3}]"
    base.write_text(ours.replace("links: [{rel: Related by, to: 3}]", both), encoding="utf-8")
    commit(project, monkeypatch, BASE + 300, "merge")
    done = run("renumber")
    assert done.exit_code == 0, done.stderr
    assert (project / DIR / "0004-use-postgres.md").is_file()  # the later one moved
    text = base.read_text(encoding="utf-8")
    assert "links: [{rel: Related by, to: 4}, {rel: Amended by, to: 3}]" in text
    assert "ambiguous" not in done.output + done.stderr
