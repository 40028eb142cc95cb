"""Git access: the only module that imports GitPython, and only inside functions.

History is read with one ``git log`` per question, in a NUL-separated machine format, with
the trailers parsed by git itself (``%(trailers:key=…)``): never one process or one
``Commit`` object per commit. Library exceptions are translated here into AdrError.
The output is parsed by history.py, which also holds the Commit and History values.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from adr_tool.errors import AdrError, EnvironmentProblem, NotFound, Refused
from adr_tool.history import Change, Commit, History, log_format, parse_log

# Variables a running hook (or a user) may set that would point git somewhere other than
# the repository we were asked about. They are removed while we run git.
LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_LITERAL_PATHSPECS",
    "GIT_GLOB_PATHSPECS",
    "GIT_NOGLOB_PATHSPECS",
    "GIT_ICASE_PATHSPECS",
)
NOT_A_REPO = "not inside a git repository: git features (log, why, dates from history) are off"
NO_GIT = "git is not installed or not on PATH: git features are off"
NO_COMMITS = "the repository has no commits yet: there is no history to read"
SHALLOW = (
    "this is a shallow clone: the history is partial and older commits are missing; "
    "run 'git fetch --unshallow' to deepen it"
)


@dataclass(frozen=True)
class _Repo:
    handle: Any  # git.Repo
    top: Path
    git_dir: Path
    common_dir: Path


@contextlib.contextmanager
def _scrubbed_env() -> Iterator[dict[str, str]]:
    """Run git as if no hook had pointed GIT_DIR/GIT_INDEX_FILE elsewhere; yield the removed."""
    saved = {name: os.environ.pop(name) for name in LOCATION_VARS if name in os.environ}
    try:
        yield saved
    finally:
        os.environ.update(saved)


def _git_module() -> Any:
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    try:
        import git
    except ImportError as exc:  # pragma: no cover - GitPython is a dependency
        raise EnvironmentProblem(f"GitPython cannot be used: {exc}") from None
    return git


def _open(root: Path) -> _Repo | None:
    """The work-tree repository containing ``root``; None outside git (or a bare repo)."""
    git = _git_module()
    try:
        handle = git.Repo(str(root), search_parent_directories=True)
    except (git.exc.InvalidGitRepositoryError, git.exc.NoSuchPathError):
        return None
    if handle.working_tree_dir is None:
        return None
    return _Repo(
        handle=handle,
        top=Path(handle.working_tree_dir).resolve(),
        git_dir=Path(handle.git_dir),
        common_dir=Path(handle.common_dir),
    )


@contextlib.contextmanager
def _session(root: Path) -> Iterator[tuple[_Repo | None, dict[str, str]]]:
    """Open the repository at ``root`` with a scrubbed environment; close it afterwards."""
    with _scrubbed_env() as saved:
        repo = _open(root)
        try:
            yield repo, saved
        finally:
            if repo is not None:
                repo.handle.close()


def _command(*args: str) -> list[str]:
    git = _git_module()
    return [
        git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git",
        "-c",
        "log.follow=false",
        "-c",
        "log.showSignature=false",
        "-c",
        "core.quotePath=false",
        *args,
    ]


def _failure(name: str, exc: Any) -> AdrError:
    stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else str(exc.stderr or "")
    detail = stderr.strip().replace("stderr: ", "").strip("'\n ").splitlines()
    return AdrError(f"git {name} failed: {detail[-1] if detail else exc}")


def _run(repo: _Repo, *args: str, env: dict[str, str] | None = None) -> str:
    """Run one git command in ``repo`` and return its stdout (decoded, never raising on bytes)."""
    git = _git_module()
    try:
        out = repo.handle.git.execute(_command(*args), stdout_as_string=False, env=env)
    except git.exc.GitCommandNotFound:
        raise EnvironmentProblem(NO_GIT) from None
    except git.exc.GitCommandError as exc:
        raise _failure(args[0], exc) from None
    data: bytes = out if isinstance(out, bytes) else str(out).encode()
    return data.decode("utf-8", "replace")


def _start(repo: _Repo, *args: str) -> Any:
    """Start one git command without waiting for it (see :func:`_finish`)."""
    git = _git_module()
    try:
        return repo.handle.git.execute(_command(*args), as_process=True)
    except git.exc.GitCommandNotFound:
        raise EnvironmentProblem(NO_GIT) from None


def _finish(process: Any, name: str) -> str:
    git = _git_module()
    data = process.proc.stdout.read()
    errors = process.proc.stderr.read()
    try:
        process.wait()
    except git.exc.GitCommandError as exc:
        exc.stderr = exc.stderr or errors
        raise _failure(name, exc) from None
    return bytes(data).decode("utf-8", "replace")


def _verify(repo: _Repo, *args: str) -> str:
    """``git rev-parse --verify --quiet ARGS``; "" when git says there is no such object."""
    try:
        return _run(repo, "rev-parse", "--verify", "--quiet", *args).strip()
    except EnvironmentProblem:
        raise
    except AdrError:
        return ""


def _state(repo: _Repo) -> tuple[str, bool, bool]:
    """(HEAD sha or "" when there is no commit yet, detached, shallow)."""
    head = _verify(repo, "HEAD")
    return head, bool(repo.handle.head.is_detached), (repo.common_dir / "shallow").is_file()


def _pathspecs(repo: _Repo, paths: Sequence[str | Path]) -> list[str]:
    """Literal pathspecs from the top level; an absolute path outside the work tree is refused."""
    out = []
    for path in paths:
        p = Path(path)
        if p.is_absolute():
            try:
                p = p.resolve().relative_to(repo.top)
            except ValueError:
                raise NotFound(f"{path}: outside the repository {repo.top}") from None
        out.append(":(top,literal)" + (p.as_posix() if str(p) not in ("", ".") else ""))
    return out


def _history(
    repo: _Repo, state: tuple[str, bool, bool], commits: list[Commit], has_files: bool
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
    follow: bool = False
    linked_only: bool = False
    revs: tuple[str, ...] = ("HEAD",)

    def args(self, repo: _Repo, trailer: str) -> list[str]:
        args = ["log", "-z", "--no-color", log_format(trailer)]
        if self.files or (self.files is None and self.paths is not None):
            args += ["--name-status", "-M"]
        if self.follow:
            args.append("--follow")
        if self.linked_only:  # a cheap superset; git's trailer parser decides
            args += ["--regexp-ignore-case", f"--grep=^{trailer}"]
        args += self.revs
        if self.paths is not None:
            args += ["--", *_pathspecs(repo, self.paths)]
        return args


def read_history(
    root: Path,
    trailer: str = "Decision",
    paths: list[str] | None = None,
    *,
    files: bool | None = None,
    follow: bool = False,
    linked_only: bool = False,
    revs: Sequence[str] = ("HEAD",),
) -> History:
    """The commits reachable from HEAD, newest first, in ONE ``git log`` invocation.

    ``paths`` limits the log to commits touching those paths (absolute, or relative to
    the repository top level). ``files`` lists each commit's changed files
    (``--name-status`` with rename detection); by default only for a path-limited log,
    because listing the files of every commit costs a tree diff per commit. ``follow``
    follows one file across renames. ``linked_only`` keeps only commits whose message
    has a line starting with the trailer key (git's ``--grep``), a superset of those with
    the trailer; the trailers themselves are always parsed by git's rules.
    Outside git, without git, or with no commits the History says so in
    ``available``/``empty`` and ``notes`` instead of raising.
    """
    query = Query(
        tuple(paths) if paths is not None else None, files, follow, linked_only, tuple(revs)
    )
    return read_histories(root, trailer, [query])[0]


def read_histories(root: Path, trailer: str, queries: Sequence[Query]) -> list[History]:
    """Run several ``git log`` queries at the same time (one process each); same order."""
    with _session(root) as (repo, _):
        if repo is None:
            return [History(available=False, notes=(NOT_A_REPO,)) for _ in queries]
        try:
            state = _state(repo)
            if not state[0]:
                return [History(empty=True, top=repo.top, notes=(NO_COMMITS,)) for _ in queries]
            commands = [q.args(repo, trailer) for q in queries]
            started = [_start(repo, *args) for args in commands]
            texts = [_finish(p, "log") for p in started]
        except EnvironmentProblem:
            return [History(available=False, notes=(NO_GIT,)) for _ in queries]
        return [
            _history(repo, state, parse_log(text), "--name-status" in args)
            for text, args in zip(texts, commands, strict=True)
        ]


def read_path_history(root: Path, trailer: str, path: Path) -> History:
    """The commits that touched ``path`` (a file or a folder), following renames, newest first.

    A file is followed with ``--follow``. For a folder one path-limited log sees the renames
    inside it; files moved in from outside are found by looking at the commits that added
    them (one ``git log --no-walk`` for all of them) and followed further back with one
    path-limited log per such rename commit.
    """
    path = path.resolve()
    history = read_history(root, trailer, [str(path)], follow=path.is_file())
    if not history.available or history.empty or path.is_file():
        return history
    seen = {c.sha for c in history.commits}
    commits = list(history.commits)
    pending = _added_in(commits)
    for _ in range(8):  # rename chains deeper than this are not followed
        if not pending:
            break
        moves = _renames_of(root, trailer, pending)
        pending = {}
        for sha, olds in sorted(moves.items()):
            older = read_history(root, trailer, sorted(olds), revs=(f"{sha}^",))
            fresh = [c for c in older.commits if c.sha not in seen]
            seen.update(c.sha for c in fresh)
            commits.extend(fresh)
            pending.update(_added_in(fresh))
    commits.sort(key=lambda c: -c.timestamp)
    return replace(history, commits=tuple(commits))


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
    history = read_history(root, trailer, files=True, revs=("--no-walk=unsorted", *added))
    moves: dict[str, set[str]] = {}
    for commit in history.commits:
        for change in commit.changes:
            if change.status == "R" and change.path in added.get(commit.sha, set()):
                moves.setdefault(commit.sha, set()).add(change.old_path)
    return moves


def _require(repo: _Repo | None, root: Path) -> _Repo:
    if repo is None:
        raise EnvironmentProblem(f"{root} is {NOT_A_REPO.split(':')[0]}")
    return repo


def resolve_revision(root: Path, rev: str) -> str:
    """The full SHA of the commit ``rev`` names (NotFound if none; exit 3 outside git)."""
    with _session(root) as (found, _):
        repo = _require(found, root)
        sha = _verify(repo, "--end-of-options", rev + "^{commit}")
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
            raise NotFound(f"no commit named {rev!r} in {repo.top}")
        return sha


def first_added(root: Path, paths: list[Path]) -> dict[Path, int]:
    """Epoch seconds of the commit that first added each path (following renames).

    One path-limited ``git log`` over the folders holding ``paths``; a path git never saw
    is left out of the result. Outside git the result is empty.
    """
    if not paths:
        return {}
    folders = sorted({str(p.resolve().parent) for p in paths})
    history = read_history(root, paths=folders, files=True)
    if not history.available or history.top is None:
        return {}
    top = history.top
    born: dict[str, int] = {}
    for commit in reversed(history.commits):  # oldest first
        for change in commit.changes:
            _note_birth(born, change, commit.timestamp)
    out: dict[Path, int] = {}
    for path in paths:
        with contextlib.suppress(ValueError):
            rel = path.resolve().relative_to(top).as_posix()
            if rel in born:
                out[path] = born[rel]
    return out


def _note_birth(born: dict[str, int], change: Change, when: int) -> None:
    """Keep ``born`` (path → time first added) true after ``change``; renames keep the age."""
    if change.status in "RC" and change.old_path in born:
        born.setdefault(change.path, born[change.old_path])
    elif change.status in "ARC":
        born.setdefault(change.path, when)
    elif change.status == "D":
        born.pop(change.path, None)


def move(root: Path, old: Path, new: Path) -> None:
    """Rename ``old`` to ``new``: ``git mv`` when git tracks ``old``, else a plain rename."""
    if new.exists():
        raise Refused(f"cannot move {old.name} to {new}: the target exists")
    with _session(root) as (repo, _):
        tracked = False
        if repo is not None:
            try:
                tracked = bool(_run(repo, "ls-files", "-z", "--", *_pathspecs(repo, [old])))
            except EnvironmentProblem:
                repo = None
        if repo is not None and tracked:
            _run(repo, "mv", "--", str(old.resolve()), str(new.resolve()))
            return
    os.rename(old, new)


def staged_files(root: Path) -> list[str]:
    """Files staged for the next commit, relative to ``root`` (those outside it left out).

    In a commit-msg hook of ``git commit -a`` or ``git commit PATH`` git points
    GIT_INDEX_FILE at a temporary index; it is honoured when it lies inside this
    repository's git folder, and ignored otherwise.
    """
    with _session(root) as (found, saved):
        repo = _require(found, root)
        env = None
        index = saved.get("GIT_INDEX_FILE")
        if index:
            candidate = Path(index) if os.path.isabs(index) else Path.cwd() / index
            with contextlib.suppress(OSError):
                candidate = candidate.resolve()
                if candidate.is_file() and repo.git_dir.resolve() in candidate.parents:
                    env = {"GIT_INDEX_FILE": str(candidate)}
        out = _run(repo, "diff", "--cached", "--name-only", "--no-renames", "-z", env=env)
    return _under(root, repo.top, out)


def changed_files(root: Path, ref: str) -> list[str]:
    """Files added or changed since ``ref``, relative to ``root`` (deleted ones left out).

    Compared with the merge base of ``ref`` and HEAD (what a pull request changes), and
    including staged, unstaged and untracked files: two git processes in all.
    """
    sha = resolve_revision(root, ref)
    with _session(root) as (found, _):
        repo = _require(found, root)
        try:
            base = _run(repo, "merge-base", sha, "HEAD").strip() or sha
        except AdrError:
            base = sha
        out = _run(repo, "diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", base)
        out += "\0" + _run(repo, "ls-files", "--others", "--exclude-standard", "-z")
    return sorted(set(_under(root, repo.top, out)))


def _under(root: Path, top: Path, names: str) -> list[str]:
    """NUL-separated paths from the top level → relative to ``root`` (others left out)."""
    base = root.resolve()
    files: list[str] = []
    for name in names.split("\0"):
        if name:
            with contextlib.suppress(ValueError):
                files.append((top / name).relative_to(base).as_posix())
    return files


def hooks_dir(root: Path) -> Path:
    """Where git looks for hooks in the repository holding ``root`` (core.hooksPath aware)."""
    with _session(root) as (found, _):
        repo = _require(found, root)
        out = _run(repo, "rev-parse", "--git-path", "hooks").strip()
    path = Path(out)
    return path if path.is_absolute() else repo.top / path
