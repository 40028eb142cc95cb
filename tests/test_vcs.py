"""vcs.py against real repositories: trailers by git's rules, edges, hooks, moves."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from adr_tool.errors import ENVIRONMENT, EnvironmentProblem, NotFound
from adr_tool.git import log as git_log
from adr_tool.git import repo as vcs
from adr_tool.git import worktree
from adr_tool.git.history import Change, History
from support import git


def commit(repo: Path, message: str, files: dict[str, str] | None = None) -> str:
    """Write ``files``, stage everything, commit with ``message``; return the full SHA."""
    for name, text in (files or {}).items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def refs_by_subject(history: History) -> dict[str, tuple[int, ...]]:
    return {c.subject: c.refs for c in history.commits}


def test_trailers_in_every_accepted_spelling(repo: Path) -> None:
    commit(repo, "plain\n\nDecision: 7", {"a": "1"})
    commit(repo, "padded\n\nDecision: 0007", {"a": "2"})
    commit(repo, "prefixed\n\nDecision: ADR-7", {"a": "3"})
    commit(repo, "prefixed padded\n\nDecision: ADR-0007", {"a": "4"})
    commit(repo, "comma\n\nDecision: 3, ADR-0004,5", {"a": "5"})
    commit(repo, "several\n\nDecision: 8\nSigned-off-by: Ada <a@x>\nDecision: ADR-9", {"a": "6"})
    commit(repo, "lower-case key\n\ndecision: 11", {"a": "7"})
    commit(repo, "declined\n\nDecision: none (docs only)", {"a": "8"})
    commit(repo, "no trailer at all", {"a": "9"})
    history = git_log.read_history(repo)
    assert history.available and not history.empty and not history.shallow
    assert refs_by_subject(history) == {
        "plain": (7,),
        "padded": (7,),
        "prefixed": (7,),
        "prefixed padded": (7,),
        "comma": (3, 4, 5),
        "several": (8, 9),
        "lower-case key": (11,),
        "declined": (),
        "no trailer at all": (),
    }
    declined = next(c for c in history.commits if c.subject == "declined")
    assert declined.declined and declined.bad_refs == ()
    assert history.commits[0].subject == "no trailer at all"  # newest first
    newest = history.commits[0]
    assert newest.author == "Ada Tester" and newest.email == "ada@example.com"
    assert len(newest.sha) == 40 and newest.date[:4].isdigit() and newest.timestamp > 0


def test_a_trailer_line_in_the_body_is_not_counted(repo: Path) -> None:
    body = "Move orders\n\nDecision: 4 was wrong, see the thread.\n\nMore prose follows here."
    commit(repo, body, {"a": "1"})
    commit(repo, "Body and block\n\nDecision: 5 is mentioned here\n\nDecision: 6", {"a": "2"})
    assert refs_by_subject(git_log.read_history(repo)) == {
        "Move orders": (),
        "Body and block": (6,),
    }


def test_custom_trailer_key_and_unknown_values(repo: Path) -> None:
    commit(repo, "custom\n\nImplements: ADR-0002, later", {"a": "1"})
    history = git_log.read_history(repo, trailer="Implements")
    assert history.commits[0].refs == (2,)
    assert history.commits[0].bad_refs == ("later",)
    assert git_log.read_history(repo).commits[0].refs == ()


def test_linked_only_keeps_the_commits_with_trailers(repo: Path) -> None:
    commit(repo, "one\n\nDecision: 1", {"a": "1"})
    commit(repo, "two", {"a": "2"})
    commit(repo, "three\n\nDecision: ADR-3", {"a": "3"})
    history = git_log.read_history(repo, linked_only=True)
    assert [c.subject for c in history.commits] == ["three", "one"]


def test_files_and_renames_are_listed_for_a_path_limited_log(repo: Path) -> None:
    commit(repo, "add", {"src/a.py": "a\n" * 20, "docs/x.md": "x"})
    git(repo, "mv", "src/a.py", "src/b.py")
    commit(repo, "rename")
    history = git_log.read_history(repo, paths=["src"])
    assert history.has_files
    assert [c.subject for c in history.commits] == ["rename", "add"]
    assert history.commits[0].changes == (Change("R", "src/b.py", "src/a.py"),)
    assert history.commits[1].files == ("src/a.py",)
    assert git_log.read_history(repo).commits[0].changes == ()  # whole history: no file lists


def test_read_path_history_follows_a_file_moved_into_a_folder(repo: Path) -> None:
    commit(repo, "start\n\nDecision: 1", {"lib/util.py": "def f():\n    return 1\n" * 5})
    commit(repo, "unrelated\n\nDecision: 9", {"other.txt": "x"})
    (repo / "src").mkdir()
    git(repo, "mv", "lib/util.py", "src/util.py")
    commit(repo, "move into src\n\nDecision: 2")
    commit(repo, "edit\n\nDecision: 3", {"src/util.py": "def f():\n    return 1\n" * 5 + "#\n"})
    folder = git_log.read_path_history(repo, "Decision", repo / "src")
    assert [c.subject for c in folder.commits] == ["edit", "move into src", "start"]
    single = git_log.read_path_history(repo, "Decision", repo / "src" / "util.py")
    assert [c.subject for c in single.commits] == ["edit", "move into src", "start"]


def test_a_file_history_ends_where_the_file_was_added(repo: Path) -> None:
    """An older file of the same name, deleted before this one was made, is another
    file: the one-file log stops at the add (git is stopped there), a folder's does not."""
    commit(repo, "old file", {"src/a.py": "old\n"})
    commit(repo, "old edit", {"src/a.py": "old 2\n"})
    git(repo, "rm", "-q", "src/a.py")
    commit(repo, "old removed")
    commit(repo, "new file", {"src/a.py": "new\n"})
    commit(repo, "new edit", {"src/a.py": "new 2\n"})
    single = git_log.read_path_history(repo, "Decision", repo / "src" / "a.py")
    assert [c.subject for c in single.commits] == ["new edit", "new file"]
    folder = git_log.read_path_history(repo, "Decision", repo / "src")
    assert [c.subject for c in folder.commits][-2:] == ["old edit", "old file"]


def test_an_author_who_spells_an_add_does_not_cut_a_file_history(repo: Path) -> None:
    """``A NUL path NUL`` in an author's name and e-mail is only a hint to stop reading:
    the parsed log decides. Past a few such hints the whole log is read."""
    commit(repo, "added", {"a.py": "0\n"})
    for number in range(1, 7):  # more spoofing commits than hints are checked
        (repo / "a.py").write_text(f"{number}\n", encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--author", "A <a.py>", "-m", f"edit {number}")
    history = git_log.read_path_history(repo, "Decision", repo / "a.py")
    assert [c.subject for c in history.commits] == [f"edit {n}" for n in range(6, 0, -1)] + [
        "added"
    ]
    assert {c.email for c in history.commits[:-1]} == {"a.py"}


def test_path_logs_use_a_commit_graphs_changed_path_filters(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Git consults the filters only for pathspecs without magic beyond ``literal``;
    git's own trace says whether it did (and ruled commits out with them)."""
    for number in range(6):
        commit(repo, f"c{number}", {f"d{number}/f.txt": f"{number}\n"})
    git(repo, "commit-graph", "write", "--reachable", "--changed-paths")
    events = tmp_path / "trace.json"
    monkeypatch.setenv("GIT_TRACE2_EVENT", str(events))
    monkeypatch.chdir(repo / "d3")  # git still reads the paths from the top level
    # a folder: git walks to the end and reports (a file's log may be stopped first)
    history = git_log.read_path_history(repo, "Decision", repo / "d1")
    assert [c.subject for c in history.commits] == ["c1"]
    stats = [line for line in events.read_text().splitlines() if '"category":"bloom"' in line]
    assert stats and '"definitely_not":0' not in stats[0], stats


def test_enough_output_stops_the_command(tmp_path: Path) -> None:
    """``finish`` with ``enough``: the command is killed and reaped once the output so
    far answers, and what came so far is returned (here a child that would sleep on)."""
    import subprocess
    import time

    script = "import sys, time; print('x' * 70000 + 'END', end='', flush=True); time.sleep(60)"
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    started = time.monotonic()
    data, stopped = vcs._read_until(proc, lambda out: out.endswith(b"END"))
    assert stopped and data == b"x" * 70000 + b"END"
    assert proc.returncode is not None  # reaped, not left a zombie
    assert time.monotonic() - started < 30
    quick = subprocess.Popen(["git", "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    data, stopped = vcs._read_until(quick, lambda out: False)
    assert not stopped and data.startswith(b"git version")
    quick.wait()


def test_no_git_directory(tmp_path: Path) -> None:
    history = git_log.read_history(tmp_path)
    assert not history.available and history.commits == ()
    assert "not inside a git repository" in history.notes[0]
    with pytest.raises(EnvironmentProblem) as err:
        vcs.resolve_revision(tmp_path, "HEAD")
    assert err.value.exit_code == ENVIRONMENT
    assert git_log.first_added(tmp_path, [tmp_path / "x.md"]) == {}


def test_repository_without_commits(repo: Path) -> None:
    history = git_log.read_history(repo)
    assert history.available and history.empty and history.commits == ()
    assert "no commits yet" in history.notes[0]
    with pytest.raises(NotFound):
        vcs.resolve_revision(repo, "HEAD")
    (repo / "new.md").write_text("x", encoding="utf-8")
    git(repo, "add", "new.md")
    assert worktree.staged_files(repo) == ["new.md"]


def test_shallow_clone_says_how_to_deepen(repo: Path, tmp_path: Path) -> None:
    for n in range(3):
        commit(repo, f"c{n}\n\nDecision: {n + 1}", {"f": str(n)})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    history = git_log.read_history(clone)
    assert history.shallow
    assert [c.subject for c in history.commits] == ["c2"]
    assert any("git fetch --unshallow" in note for note in history.notes)


def test_detached_head(repo: Path) -> None:
    first = commit(repo, "one\n\nDecision: 1", {"f": "1"})
    commit(repo, "two\n\nDecision: 2", {"f": "2"})
    git(repo, "checkout", "-q", "--detach", first)
    history = git_log.read_history(repo)
    assert history.detached and history.head == first
    assert [c.subject for c in history.commits] == ["one"]
    assert any("detached" in note for note in history.notes)


def test_resolve_revision(repo: Path) -> None:
    sha = commit(repo, "one", {"f": "1"})
    assert vcs.resolve_revision(repo, sha[:7]) == sha
    assert vcs.resolve_revision(repo, "HEAD") == sha
    with pytest.raises(NotFound, match="no commit named 'nope'"):
        vcs.resolve_revision(repo, "nope")
    with pytest.raises(NotFound):
        vcs.resolve_revision(repo, "--all")


def test_first_added_follows_renames_in_one_pass(repo: Path) -> None:
    git(repo, "config", "user.name", "Ada Tester")
    os.environ["GIT_COMMITTER_DATE"] = os.environ["GIT_AUTHOR_DATE"] = "2021-01-02T03:04:05Z"
    try:
        commit(repo, "add a", {"docs/d/0001-a.md": "# A\n" + "text\n" * 10})
    finally:
        del os.environ["GIT_COMMITTER_DATE"], os.environ["GIT_AUTHOR_DATE"]
    commit(repo, "add b", {"docs/d/0002-b.md": "# B\n"})
    git(repo, "mv", "docs/d/0001-a.md", "docs/d/0003-a.md")
    commit(repo, "renumber")
    untracked = repo / "docs" / "d" / "0004-c.md"
    untracked.write_text("# C\n", encoding="utf-8")
    moved, b = repo / "docs/d/0003-a.md", repo / "docs/d/0002-b.md"
    found = git_log.first_added(repo, [moved, b, untracked])
    assert found[moved] == 1609556645  # 2021-01-02T03:04:05Z, under its first name
    assert found[b] > found[moved]
    assert untracked not in found


def test_move_uses_git_mv_for_tracked_files(repo: Path) -> None:
    commit(repo, "add", {"d/0001-a.md": "# A\n"})
    worktree.move(repo, repo / "d/0001-a.md", repo / "d/0002-a.md")
    assert (repo / "d/0002-a.md").read_text(encoding="utf-8") == "# A\n"
    assert git(repo, "status", "--porcelain").strip() == "R  d/0001-a.md -> d/0002-a.md"
    loose = repo / "d" / "0005-x.md"
    loose.write_text("# X\n", encoding="utf-8")
    worktree.move(repo, loose, repo / "d/0006-x.md")
    assert (repo / "d/0006-x.md").is_file() and not loose.exists()


def test_move_outside_git_renames(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    worktree.move(tmp_path, tmp_path / "a.md", tmp_path / "b.md")
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "a"


def test_hook_environment_pointing_elsewhere_is_ignored(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(repo, "mine\n\nDecision: 1", {"f": "1"})
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    commit(other, "theirs\n\nDecision: 2", {"g": "1"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    history = git_log.read_history(repo)
    assert [c.subject for c in history.commits] == ["mine"]
    assert history.top == repo.resolve()
    (repo / "staged.txt").write_text("s", encoding="utf-8")
    git_env = {k: os.environ.pop(k) for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    git(repo, "add", "staged.txt")
    os.environ.update(git_env)
    assert worktree.staged_files(repo) == ["staged.txt"]  # the foreign index is not used
    assert os.environ["GIT_DIR"] == str(other / ".git")  # and the environment is restored


def test_inside_a_real_commit_msg_hook(repo: Path) -> None:
    """``git commit -a`` runs the hook with GIT_INDEX_FILE on a temporary index."""
    commit(repo, "base\n\nDecision: 1", {"tracked.py": "1\n"})
    out = repo / ".git" / "hook-out.txt"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from adr_tool.git import log as git_log, worktree\n"
        f"root = Path({str(repo)!r})\n"
        "h = git_log.read_history(root)\n"
        f"Path({str(out)!r}).write_text(repr((worktree.staged_files(root), "
        "[c.subject for c in h.commits])))\n"
    )
    hook = repo / ".git" / "hooks" / "commit-msg"
    hook.write_text(f"#!/bin/sh\nexec {sys.executable} -c {_sh_quote(script)}\n")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    (repo / "tracked.py").write_text("2\n", encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "change\n\nDecision: 2")
    assert out.read_text() == repr((["tracked.py"], ["base"]))


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"
