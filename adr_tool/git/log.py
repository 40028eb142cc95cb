"""Reading history: one ``git log`` per question, in a NUL-separated machine format with
the trailers parsed by git itself, handed to :mod:`adr_tool.git.history` to parse.
Never one process or one ``Commit`` object per commit.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from adr_tool.errors import EnvironmentProblem
from adr_tool.git.history import Commit, History, first_commits, log_format, parse_log
from adr_tool.git.repo import (
    NO_COMMITS,
    NO_GIT,
    NOT_A_REPO,
    SHALLOW,
    Repo,
    finish,
    pathspecs,
    repo_state,
    session,
    start,
)


def _history(
    repo: Repo, state: tuple[str, bool, bool], commits: list[Commit], has_files: bool
) -> History:
    head, detached, shallow = state
    boundary: frozenset[str] = frozenset()
    if shallow:
        with contextlib.suppress(OSError):
            text = (repo.common_dir / "shallow").read_text(encoding="ascii", errors="replace")
            boundary = frozenset(text.split())
    notes = []
    if shallow:
        notes.append(SHALLOW)
    if detached:
        notes.append(f"HEAD is detached at {head[:7]}: reading the history of that commit")
    return History(
        commits=tuple(commits),
        shallow=shallow,
        detached=detached,
        head=head,
        top=repo.top,
        notes=tuple(notes),
        has_files=has_files,
        boundary=boundary,
    )


@dataclass(frozen=True)
class Query:
    """One ``git log`` to run: see :func:`read_history` for the meaning of each field."""

    paths: tuple[str, ...] | None = None
    files: bool | None = None
    linked_only: bool = False
    revs: tuple[str, ...] = ("HEAD",)
    single: bool = False  # ``paths`` is one file: stop at the commit that added it
    options: tuple[str, ...] = ()  # adr's own options for this log (``--no-walk``, …)

    def args(self, repo: Repo, trailer: str) -> list[str]:
        args = ["log", "-z", "--no-color", log_format(trailer)]
        if self.files or (self.files is None and self.paths is not None):
            args += ["--name-status", "-M"]
        if self.linked_only:  # a cheap superset; git's trailer parser decides
            args += ["--regexp-ignore-case", f"--grep=^{trailer}"]
        # revisions may come from a record (its ``commits``): never read as options
        args += [*self.options, "--end-of-options", *self.revs]
        if self.paths is not None:
            args += ["--", *pathspecs(repo, self.paths)]
        return args


_SHA_LIKE = re.compile(r"[0-9a-fA-F]{4,64}")


def looks_like_sha(value: str) -> bool:
    """Whether ``value`` (a record's ``commits`` item) can name a commit by its hash: the
    only revisions a record may hand to git (and never as an option)."""
    return _SHA_LIKE.fullmatch(value) is not None


def read_history(
    root: Path,
    trailer: str = "Decision",
    paths: list[str] | None = None,
    *,
    files: bool | None = None,
    linked_only: bool = False,
    revs: Sequence[str] = ("HEAD",),
    single: bool = False,
    options: Sequence[str] = (),
) -> History:
    """The commits reachable from HEAD, newest first, in ONE ``git log`` invocation.

    ``paths`` limits the log to commits touching those paths (absolute, or relative to
    the repository top level). ``files`` lists each commit's changed files
    (``--name-status`` with rename detection); by default only for a path-limited log,
    because listing the files of every commit costs a tree diff per commit (renames are
    detected, copies never: see :func:`read_path_history`). ``linked_only`` keeps only
    commits whose message has a line starting with the trailer key (git's ``--grep``), a
    superset of those with the trailer; the trailers themselves are always parsed by git's rules.
    ``single``: ``paths`` is one file, and its history ends with the commit that added it
    (git is stopped there instead of walking on to the first commit).
    Outside git, without git, or with no commits the History says so in
    ``available``/``empty`` and ``notes`` instead of raising.
    """
    query = Query(
        tuple(paths) if paths is not None else None,
        files,
        linked_only,
        tuple(revs),
        single,
        tuple(options),
    )
    return read_histories(root, trailer, [query])[0]


def read_histories(root: Path, trailer: str, queries: Sequence[Query]) -> list[History]:
    """Run several ``git log`` queries at the same time (one process each); same order."""
    with session(root) as (repo, _):
        if repo is None:
            return [History(available=False, notes=(NOT_A_REPO,)) for _ in queries]
        try:
            found = repo_state(repo)
            if not found[0]:
                return [History(empty=True, top=repo.top, notes=(NO_COMMITS,)) for _ in queries]
            commands = [q.args(repo, trailer) for q in queries]
            started = [start(repo, *args) for args in commands]
            births = [_born_in_file(repo, q) for q in queries]
            texts = [
                finish(p, "log", None if rel is None else _Added(rel))
                for p, rel in zip(started, births, strict=True)
            ]
        except EnvironmentProblem:
            return [History(available=False, notes=(NO_GIT,)) for _ in queries]
        out = []
        for text, args, rel in zip(texts, commands, births, strict=True):
            commits = parse_log(text)
            if rel is not None:
                commits = _since_added(commits, rel)
            out.append(_history(repo, found, commits, "--name-status" in args))
        return out


def _born_in_file(repo: Repo, query: Query) -> str | None:
    """For a query of one file's history: that file's path from the top level."""
    if not query.single or query.paths is None or len(query.paths) != 1:
        return None
    path = Path(query.paths[0])
    if not path.is_absolute():  # as :func:`pathspecs` reads it: from the top level
        return path.as_posix()
    try:
        return path.resolve().relative_to(repo.top).as_posix()
    except ValueError:
        return None


class _Added:
    """Whether a one-file ``git log --name-status -z`` has come to the commit that added
    the file: the log need not walk the rest of the history (git walks it to the root).

    ``A NUL path NUL`` in the output is only a hint (a hostile author name and e-mail
    could spell it); the output so far is parsed to confirm it. After a few hints that
    were not, the whole log is read: a history cannot make the check quadratic."""

    HINTS = 4

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.needle = b"A\0" + os.fsencode(rel) + b"\0"
        self.at = 0  # where the next search starts
        self.hints = 0

    def __call__(self, out: bytearray) -> bool:
        while self.hints < self.HINTS:
            found = out.find(self.needle, self.at)
            if found < 0:
                self.at = max(self.at, len(out) - len(self.needle))
                return False
            self.at = found + 1
            if found == 0 or out[found - 1] not in b"\0\n":
                continue
            self.hints += 1
            commits = parse_log(bytes(out).decode("utf-8", "replace"))
            if any(_adds(commit, self.rel) for commit in commits):
                return True
        return False


def path_query(path: Path) -> Query:
    """The first log of :func:`read_path_history`, to run beside other queries."""
    path = path.resolve()
    return Query((str(path),), files=True, single=path.is_file())


def read_path_history(
    root: Path, trailer: str, path: Path, first: History | None = None
) -> History:
    """The commits that touched ``path`` (a file or a folder), following renames, newest first.

    Renames are followed, copies never: a record made from the same template as an older
    one is not that record's past (``git log --follow`` would say it is, because it
    looks for copies too). One path-limited log sees the path; for a file it stops at
    the commit that added it. A file (or, for a folder, a file in it) that was moved in
    from elsewhere is found by looking at the commits that added them (one
    ``git log --no-walk`` for all of them, with rename detection only) and followed
    further back with one path-limited log per such rename commit. Each log of one file
    stops at the commit that added it. ``first``: what :func:`path_query` found, when
    the caller ran it beside its own queries.
    """
    query = path_query(path)
    single = query.single
    history = first or read_histories(root, trailer, [query])[0]
    if not history.available or history.empty or history.top is None:
        return history
    commits = list(history.commits)
    seen = {c.sha for c in commits}
    pending = _added_in(commits)
    for _ in range(8):  # rename chains deeper than this are not followed
        if not pending:
            break
        moves = _renames_of(root, trailer, pending)
        pending = {}
        for sha, olds in sorted(moves.items()):
            one = single and len(olds) == 1
            revs = (f"{sha}^",)
            older = read_history(root, trailer, sorted(olds), revs=revs, single=one).commits
            fresh = [c for c in older if c.sha not in seen]
            seen.update(c.sha for c in fresh)
            commits.extend(fresh)
            pending.update(_added_in(fresh))
    commits.sort(key=lambda c: -c.timestamp)
    return replace(history, commits=tuple(commits))


def _since_added(commits: list[Commit], rel: str) -> list[Commit]:
    """A file's commits (newest first) down to the one that added it: an older file of
    the same name, deleted before this one was made, is another file."""
    out = []
    for commit in commits:
        out.append(commit)
        if _adds(commit, rel):
            break
    return out


def _adds(commit: Commit, rel: str) -> bool:
    """Whether ``commit`` added the file ``rel`` (or renamed another file to it)."""
    return any(c.path == rel and c.status in "AR" for c in commit.changes)


def _added_in(commits: list[Commit]) -> dict[str, set[str]]:
    """sha → paths the commit added (candidates for a move from outside the folder)."""
    out: dict[str, set[str]] = {}
    for commit in commits:
        if not commit.parents:
            continue
        added = {c.path for c in commit.changes if c.status == "A"}
        if added:
            out[commit.sha] = added
    return out


def _renames_of(root: Path, trailer: str, added: dict[str, set[str]]) -> dict[str, set[str]]:
    """For commits that added files: which of those files were renamed from elsewhere."""
    walk = ("--no-walk=unsorted",)
    history = read_history(root, trailer, files=True, revs=tuple(added), options=walk)
    moves: dict[str, set[str]] = {}
    for commit in history.commits:
        for change in commit.changes:
            if change.status == "R" and change.path in added.get(commit.sha, set()):
                moves.setdefault(commit.sha, set()).add(change.old_path)
    return moves


def first_added(root: Path, paths: list[Path]) -> dict[Path, int | None]:
    """Epoch seconds of the commit that first added each path (following renames).

    One path-limited ``git log`` over the folders holding ``paths``; a path git never saw
    is left out of the result. In a shallow clone a path that is already there at the cut
    maps to None: when it was added is unknown. Outside git the result is empty. In the
    middle of a merge the branch being merged (MERGE_HEAD) is read too: a file it brings
    was added when its branch added it, the same answer as once the merge is committed.
    """
    if not paths:
        return {}
    folders = sorted({str(p.resolve().parent) for p in paths})
    revs = ("HEAD", "MERGE_HEAD")  # MERGE_HEAD exists only while merging: ignored else
    history = read_history(
        root, paths=folders, files=True, revs=revs, options=("--ignore-missing",)
    )
    if not history.available or history.top is None:
        return {}
    born = first_commits(history)
    cut = {
        change.path
        for commit in history.commits
        if commit.sha in history.boundary
        for change in commit.changes
    }
    out: dict[Path, int | None] = {}
    for path in paths:
        with contextlib.suppress(ValueError):
            rel = path.resolve().relative_to(history.top).as_posix()
            if rel in born:
                out[path] = born[rel].timestamp
            elif rel in cut:
                out[path] = None
    return out
