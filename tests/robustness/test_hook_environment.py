"""The same answers from inside a git hook (GIT_DIR, GIT_INDEX_FILE set by git), from a
subdirectory, and from a linked worktree."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from harness import ROOT, adr, git_env

COMMANDS = (
    ("list", "--format", "json"),
    ("show", "2", "--format", "json"),
    ("check", "--format", "json"),
    ("log", "2"),
    ("index", "--check"),
    ("digest",),
    ("graph",),
)


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = git_env(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, env, "init", "-q", "-b", "main")
    assert adr(repo, "init", env=env).returncode == 0
    made = adr(repo, "new", "Use a queue", "--no-edit", env=env)
    assert made.returncode == 0, made.stderr
    (repo / "src").mkdir()
    (repo / "src" / "app.py").write_text("print('hi')\n")
    assert adr(repo, "index", env=env).returncode == 0
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "Start\n\nDecision: 2")
    return repo, env


def answers(cwd: Path, env: dict[str, str]) -> dict[str, tuple[int, str]]:
    out = {}
    top = Path(git(cwd, env, "rev-parse", "--show-toplevel").strip())
    why = ("why", os.path.relpath(top / "src" / "app.py", cwd))  # PATH is relative to cwd
    for args in (*COMMANDS, why):
        result = adr(cwd, *args, env=env)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        shown = "" if args[0] == "index" else result.stdout  # index prints a cwd-relative path
        out[" ".join(args[:1] if args is why else args)] = (result.returncode, shown)
    return out


@pytest.mark.slow
def test_same_answers_in_a_hook_a_subdirectory_and_a_worktree(
    project: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, env = project
    expected = answers(repo, env)
    assert expected["list --format json"][0] == 0
    assert json.loads(expected["list --format json"][1])[1]["title"] == "Use a queue"

    # a subdirectory
    assert answers(repo / "src", env) == expected

    # by hand, as hooks see it: GIT_DIR and GIT_INDEX_FILE set, relative or absolute
    for git_dir in (".git", str(repo / ".git")):
        hooked = dict(env, GIT_DIR=git_dir, GIT_INDEX_FILE=f"{git_dir}/index")
        assert answers(repo, hooked) == expected

    # from a real pre-commit hook, in the main checkout and in a linked worktree
    script = (
        f"#!/bin/sh\nexec {sys.executable} -c "
        f'\'import sys, json; sys.path.insert(0, "{ROOT / "tests" / "robustness"}"); '
        "import test_hook_environment as t, harness, os, pathlib; "
        "env = dict(os.environ); "
        "json.dump(t.answers(pathlib.Path.cwd(), env), "
        f'open("{tmp_path}/" + pathlib.Path.cwd().name + ".json", "w"))\'\n'
    )
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(script)
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    (repo / "src" / "app.py").write_text("print('hello')\n")
    git(repo, env, "commit", "-q", "-am", "Change\n\nDecision: 2")
    in_hook = json.loads((tmp_path / "repo.json").read_text())
    log_before = expected.pop("log 2")
    log_in_hook = in_hook.pop("log 2")
    why_before, why_in_hook = expected.pop("why"), in_hook.pop("why")
    assert {k: tuple(v) for k, v in in_hook.items()} == expected
    assert log_in_hook[0] == log_before[0] == 0 and why_in_hook[0] == why_before[0] == 0

    worktree = tmp_path / "wt"
    git(repo, env, "worktree", "add", "-q", str(worktree), "-b", "side")
    wt_expected = answers(worktree, env)
    assert wt_expected["list --format json"] == answers(repo, env)["list --format json"]
    (worktree / "src" / "app.py").write_text("print('side')\n")
    git(worktree, env, "commit", "-q", "-am", "Side\n\nDecision: 2")
    in_worktree_hook = json.loads((tmp_path / "wt.json").read_text())
    for key in ("list --format json", "show 2 --format json", "check --format json", "graph"):
        assert tuple(in_worktree_hook[key]) == wt_expected[key], key
    assert in_worktree_hook["log 2"][0] == 0
