"""``guard.paths`` globs come from ``.adr.yaml`` (whoever wrote the branch) and run in the
commit-msg hook: they are matched in time linear in the path, with the documented glob
meaning (``**`` crosses folders, ``*`` and ``?`` do not, no ``/``: any folder, a folder:
everything below it)."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from harness import adr, git_env
from hypothesis import strategies as st
from strategies import counted

from adr_tool.checks.guard import Glob, guarded
from support import git, tiered

HOSTILE = "**a**a**a**a**a**a**a**a**a**c"  # the reviewer's: a backtracking regex ran minutes


def reference(pattern: str) -> re.Pattern[str]:
    """The glob as the regex adr used to build (backtracking: small inputs only)."""
    pattern = pattern.strip().lstrip("/")
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] in "*?":
            out.append("[^/]*" if pattern[index] == "*" else "[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?$")


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("src/**", "src/orders/store.py", True),
        ("src/**", "src", False),  # a file named src is no folder
        ("src/**", "srcx/a.py", False),
        ("src/", "src/a.py", True),
        ("/src", "src/a/b.py", True),
        ("*.sql", "db/migrations/1.sql", True),
        ("*.sql", "db/1.sql/x", True),  # a folder named like it: what is below
        ("db/*.sql", "db/migrations/1.sql", False),
        ("db/*.sql", "db/1.sql", True),
        ("db/**/*.sql", "db/1.sql", True),
        ("db/**/*.sql", "db/a/b/1.sql", True),
        ("**/schema.prisma", "schema.prisma", True),
        ("api/?.proto", "api/a.proto", True),
        ("api/?.proto", "api/ab.proto", False),
        ("a?b", "a/b", False),
        ("src/**.py", "src/a/b.py", True),
        ("src/*.py", "src/a/b.py", False),
        ("src/***", "src/a/b", True),
        ("a**b", "xa/yb", False),  # no "/" in the pattern: a file name, "**" inside it
        ("x/a**b", "x/a/y/b", True),
    ],
)
def test_the_documented_globs(pattern: str, path: str, hit: bool) -> None:
    assert Glob(pattern).match(path) is hit
    assert bool(reference(pattern).match(path)) is hit  # the meaning it always had


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        (HOSTILE, "a" * 100_000, False),
        (HOSTILE, "a" * 100_000 + "c", True),
        ("*a" * 2_000 + "c", "a" * 100_000, False),
        ("**/" * 2_000 + "x", "a/" * 50_000 + "b", False),
        ("?*" * 2_000 + "/x", "a" * 100_000, False),
        ("a/**/b/**/c/**/d", "a/" + "b/" * 50_000, False),
    ],
)
def test_hostile_globs_take_linear_time(pattern: str, path: str, hit: bool) -> None:
    start = time.perf_counter()
    assert Glob(pattern).match(path) is hit
    assert time.perf_counter() - start < 2.0  # about 0.1 s; the old regex: hours


def test_many_files_against_many_globs() -> None:
    files = [f"src/module_{i}/file_{i}.py" for i in range(5_000)] + ["db/1.sql"]
    start = time.perf_counter()
    found = guarded(files, ("**/*.sql", "docs/**", HOSTILE, "src/module_4999/*.py"))
    assert found == ["src/module_4999/file_4999.py", "db/1.sql"]
    assert time.perf_counter() - start < 5.0


GLOB_CHARS = st.sampled_from(["a", "b", "/", "*", "**", "**/", "?", ".", " "])
PATH_CHARS = st.sampled_from(["a", "b", "/", "."])


@tiered(
    3_000,
    pieces=st.lists(GLOB_CHARS, max_size=10),
    path=st.lists(PATH_CHARS, max_size=12).map("".join),
)
@counted
def test_glob_means_what_the_old_regex_meant(pieces: list[str], path: str) -> None:
    pattern = "".join(pieces)
    assert Glob(pattern).match(path) is bool(reference(pattern).match(path)), (pattern, path)


def _hook(
    tmp_path: Path, staged: str, message: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    home = tmp_path / "home"
    home.mkdir()
    env = git_env(home)
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    assert adr(root, "init", env=env).returncode == 0
    with (root / ".adr.yaml").open("a", encoding="utf-8") as config:
        config.write(f"guard: {{paths: ['{HOSTILE}']}}\n")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-qm", "init")
    (root / staged).write_text("x\n", encoding="utf-8")
    git(root, "add", staged)
    (tmp_path / "msg").write_text(message, encoding="utf-8")
    start = time.perf_counter()
    done = adr(root, "hook", "commit-msg", str(tmp_path / "msg"), env=env, timeout=30)
    return done, time.perf_counter() - start


def test_the_commit_msg_hook_with_a_hostile_glob_answers_at_once(tmp_path: Path) -> None:
    done, took = _hook(tmp_path, "a" * 60, "Add a file\n")
    assert took < 10, took  # was killed after 30 s (polynomial backtracking)
    assert done.returncode == 0, done.stderr  # no "c": not guarded, the commit goes on
    assert "Traceback" not in done.stderr


def test_the_commit_msg_hook_refuses_a_guarded_file_at_once(tmp_path: Path) -> None:
    done, took = _hook(tmp_path, "a" * 60 + "c", "Add a file\n")
    assert took < 10, took
    assert done.returncode == 1, done.stderr
    assert f"it changes {'a' * 60}c (matched by guard.paths)" in done.stderr
