"""The working tree and the index: moving a tracked file, the files staged for the next
commit or changed since a ref, and where git looks for hooks.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from adr_tool.errors import AdrError, EnvironmentProblem, Refused
from adr_tool.git.repo import (
    Repo,
    finish,
    pathspecs,
    require,
    resolve_revision,
    run,
    session,
    start,
)


def move(root: Path, old: Path, new: Path) -> None:
    """Rename ``old`` to ``new``: ``git mv`` when git tracks ``old``, else a plain rename."""
    if new.exists():
        raise Refused(f"cannot move {old.name} to {new}: the target exists")
    with session(root) as (repo, _):
        tracked = False
        if repo is not None:
            try:
                tracked = bool(run(repo, "ls-files", "-z", "--", *pathspecs(repo, [old])))
            except EnvironmentProblem:
                repo = None
        if repo is not None and tracked:
            run(repo, "mv", "--", str(old.resolve()), str(new.resolve()))
            return
    os.rename(old, new)


def staged_files(root: Path) -> list[str]:
    """Files staged for the next commit, relative to ``root`` (those outside it left out).

    In a commit-msg hook of ``git commit -a`` or ``git commit PATH`` git points
    GIT_INDEX_FILE at a temporary index; it is honoured when it lies inside this
    repository's git folder, and ignored otherwise.
    """
    with session(root) as (found, saved):
        repo = require(found, root)
        env = _index_env(repo, saved)
        out = run(repo, "diff", "--cached", "--name-only", "--no-renames", "-z", env=env)
    return _under(root, repo.top, out)


def _index_env(repo: Repo, saved: dict[str, str]) -> dict[str, str] | None:
    """The hook's GIT_INDEX_FILE when it lies inside this repository's git folder."""
    index = saved.get("GIT_INDEX_FILE")
    if index:
        candidate = Path(index) if os.path.isabs(index) else Path.cwd() / index
        with contextlib.suppress(OSError):
            candidate = candidate.resolve()
            if candidate.is_file() and repo.git_dir.resolve() in candidate.parents:
                return {"GIT_INDEX_FILE": str(candidate)}
    return None


def export_staged(root: Path, paths: list[Path], dest: Path) -> list[str]:
    """Write the staged (index) version of the files under ``paths`` into ``dest``, at
    their places relative to the repository top; returns those places. The working tree
    is not read or touched: this is what the next commit will hold."""
    with session(root) as (found, saved):
        repo = require(found, root)
        env = _index_env(repo, saved)
        specs = pathspecs(repo, paths)
        listed = run(repo, "ls-files", "-z", "--cached", "--", *specs, env=env)
        names = [n for n in listed.split("\0") if n]
        if names:
            prefix = str(dest.resolve()) + os.sep
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".lst") as handle:
                handle.write("\0".join(names) + "\0")
                handle.flush()
                run(
                    repo,
                    "checkout-index",
                    f"--prefix={prefix}",
                    "-f",
                    "-z",
                    "--stdin",
                    stdin=handle.name,
                    env=env,
                )
    return names


def changed_files(root: Path, ref: str) -> list[str]:
    """Files added or changed since ``ref``, relative to ``root`` (deleted ones left out).

    Compared with the merge base of ``ref`` and HEAD (what a pull request changes), and
    including staged, unstaged and untracked files: two git processes in all.
    """
    sha = resolve_revision(root, ref)
    with session(root) as (found, _):
        repo = require(found, root)
        base = merge_base(repo, sha) or sha
        out = run(repo, "diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", base)
        out += "\0" + run(repo, "ls-files", "--others", "--exclude-standard", "-z")
    return sorted(set(_under(root, repo.top, out)))


def _under(root: Path, top: Path, names: str) -> list[str]:
    """NUL-separated paths from the top level → relative to ``root`` (others left out)."""
    prefix = _prefix(root, top)
    if prefix is None:
        return []
    cut = len(prefix)
    return [name[cut:] for name in names.split("\0") if name and name.startswith(prefix)]


def _prefix(root: Path, top: Path) -> str | None:
    """``root`` relative to the top level, as a path prefix ("" at the top; None outside)."""
    try:
        rel = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel + "/"


def hooks_dir(root: Path) -> Path:
    """Where git looks for hooks in the repository holding ``root`` (core.hooksPath aware)."""
    with session(root) as (found, _):
        repo = require(found, root)
        out = run(repo, "rev-parse", "--git-path", "hooks").strip()
    path = Path(out)
    return path if path.is_absolute() else repo.top / path


def tracked_files(root: Path) -> list[str]:
    """Every file git tracks (the index), relative to ``root``; one ``git ls-files``.

    A repository without commits still lists what is staged; files outside ``root`` are
    left out.
    """
    with session(root) as (found, _):
        repo = require(found, root)
        out = run(repo, "ls-files", "-z", "--full-name", "--", ":(top)")
    return _under(root, repo.top, out)


def changes_since(root: Path, ref: str) -> tuple[str, list[tuple[str, str, str]]]:
    """What a pull request changes: the merge base of ``ref`` and HEAD, and
    (status letter, path, old path of a rename) for each file changed since it — committed,
    staged, unstaged, and untracked (status ``A``). Paths relative to ``root``.
    """
    from adr_tool.git.history import parse_changes

    sha = resolve_revision(root, ref)
    with session(root) as (found, _):
        repo = require(found, root)
        base = merge_base(repo, sha) or sha
        # both walk the working tree: run them side by side
        started = [
            start(repo, "diff", "--name-status", "-M", "-z", base),
            start(repo, "ls-files", "--others", "--exclude-standard", "-z"),
        ]
        diff, untracked = finish(started[0], "diff"), finish(started[1], "ls-files")
    out: list[tuple[str, str, str]] = []
    for change in parse_changes(diff):
        path = _under(root, repo.top, change.path)
        old = _under(root, repo.top, change.old_path) if change.old_path else []
        if path:
            out.append((change.status, path[0], old[0] if old else ""))
    out += [("A", name, "") for name in _under(root, repo.top, untracked)]
    return base, sorted(set(out), key=lambda c: (c[1], c[0]))


def line_counts(root: Path) -> dict[str, int]:
    """Lines of each tracked text file as it is in the working tree, relative to ``root``
    (binary and empty files left out): one ``git grep --count``, which git runs threaded."""
    with session(root) as (found, _):
        repo = require(found, root)
        try:
            out = run(repo, "grep", "-z", "-I", "--count", "--full-name", "-e", "", "--", ":(top)")
        except EnvironmentProblem:
            raise
        except AdrError:  # git grep exits 1 when nothing matched: no text file at all
            return {}
    counts: dict[str, int] = {}
    prefix = _prefix(root, repo.top)
    if prefix is None:
        return counts
    for line in out.split("\n"):
        name, sep, count = line.rpartition("\0")
        if sep and count.isdigit() and name.startswith(prefix):
            counts[name[len(prefix) :]] = int(count)
    return counts


def folder_at(root: Path, ref: str, folder: Path) -> tuple[list[str], list[str]]:
    """File names directly inside ``folder`` on ``ref`` and at the merge base of ``ref``
    and HEAD (empty when there is none): what the branch merges into, and where it began."""
    sha = resolve_revision(root, ref)
    with session(root) as (found, _):
        repo = require(found, root)
        base = merge_base(repo, sha)
        spec = pathspecs(repo, [folder])[0].rstrip("/") + "/"
        theirs = run(repo, "ls-tree", "-z", "--name-only", sha, "--", spec)
        began = run(repo, "ls-tree", "-z", "--name-only", base, "--", spec) if base else ""
    return _names(theirs), _names(began)


def _names(listing: str) -> list[str]:
    return sorted({name.rsplit("/", 1)[-1] for name in listing.split("\0") if name})


def merge_base(repo: Repo, sha: str) -> str:
    """The merge base of ``sha`` and HEAD (where a branch began); "" when there is none."""
    try:
        return run(repo, "merge-base", sha, "HEAD").strip()
    except AdrError:
        return ""
