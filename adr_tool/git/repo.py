"""Git access: the only module that imports GitPython, and only inside functions.

History is read with one ``git log`` per question, in a NUL-separated machine format, with
the trailers parsed by git itself (``%(trailers:key=…)``): never one process or one
``Commit`` object per commit. Library exceptions are translated here into AdrError.
The output is parsed by history.py, which also holds the Commit and History values.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool.errors import AdrError, EnvironmentProblem, NotFound

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
class Repo:
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


def _open(root: Path) -> Repo | None:
    """The work-tree repository containing ``root``; None outside git (or a bare repo)."""
    git = _git_module()
    try:
        handle = git.Repo(str(root), search_parent_directories=True)
    except (git.exc.InvalidGitRepositoryError, git.exc.NoSuchPathError):
        return None
    if handle.working_tree_dir is None:
        return None
    return Repo(
        handle=handle,
        top=Path(handle.working_tree_dir).resolve(),
        git_dir=Path(handle.git_dir),
        common_dir=Path(handle.common_dir),
    )


@contextlib.contextmanager
def session(root: Path) -> Iterator[tuple[Repo | None, dict[str, str]]]:
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


def run(repo: Repo, *args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
    """Run one git command in ``repo`` and return its stdout (decoded, never raising on
    bytes); ``stdin`` names a file whose bytes are fed to the command."""
    git = _git_module()
    try:
        if stdin is None:
            out = repo.handle.git.execute(_command(*args), stdout_as_string=False, env=env)
        else:
            with open(stdin, "rb") as feed:
                out = repo.handle.git.execute(
                    _command(*args), stdout_as_string=False, env=env, istream=feed
                )
    except git.exc.GitCommandNotFound:
        raise EnvironmentProblem(NO_GIT) from None
    except git.exc.GitCommandError as exc:
        raise _failure(args[0], exc) from None
    data: bytes = out if isinstance(out, bytes) else str(out).encode()
    return data.decode("utf-8", "replace")


def start(repo: Repo, *args: str) -> Any:
    """Start one git command without waiting for it (see :func:`finish`)."""
    git = _git_module()
    try:
        return repo.handle.git.execute(_command(*args), as_process=True)
    except git.exc.GitCommandNotFound:
        raise EnvironmentProblem(NO_GIT) from None


def finish(process: Any, name: str, enough: Callable[[bytearray], bool] | None = None) -> str:
    """The stdout of a command :func:`start` started, once it exits (AdrError if it
    failed). ``enough`` is asked after each piece of output whether what came so far
    answers the question (it is handed the growing buffer itself: keep your own place in
    it); when it says so, the command is stopped and what came so far is returned."""
    git = _git_module()
    if enough is not None:
        data, stopped = _read_until(process.proc, enough)
        if stopped:
            return data.decode("utf-8", "replace")
    else:
        data = process.proc.stdout.read()
    errors = process.proc.stderr.read()
    try:
        process.wait()
    except git.exc.GitCommandError as exc:
        exc.stderr = exc.stderr or errors
        raise _failure(name, exc) from None
    return bytes(data).decode("utf-8", "replace")


def _read_until(proc: Any, enough: Callable[[bytearray], bool]) -> tuple[bytes, bool]:
    """All of ``proc``'s stdout, or what came before ``enough`` said it was enough (then
    the process is killed and reaped: its exit status says nothing of the answer)."""
    out = bytearray()
    fd = proc.stdout.fileno()
    while chunk := os.read(fd, 1 << 16):
        out += chunk
        if enough(out):  # the whole output so far, not copied
            proc.kill()
            proc.stdout.close()
            proc.stderr.close()
            proc.wait()
            return bytes(out), True
    return bytes(out), False


def verify(repo: Repo, *args: str) -> str:
    """``git rev-parse --verify --quiet ARGS``; "" when git says there is no such object."""
    try:
        return run(repo, "rev-parse", "--verify", "--quiet", *args).strip()
    except EnvironmentProblem:
        raise
    except AdrError:
        return ""


def repo_state(repo: Repo) -> tuple[str, bool, bool]:
    """(HEAD sha or "" when there is no commit yet, detached, shallow)."""
    head = verify(repo, "HEAD")
    return head, bool(repo.handle.head.is_detached), (repo.common_dir / "shallow").is_file()


def pathspecs(repo: Repo, paths: Sequence[str | Path]) -> list[str]:
    """Literal pathspecs from the top level; an absolute path outside the work tree is refused.

    Git runs in the top level (GitPython's working folder for the repository), so no
    ``top`` magic is needed, and none is given: git consults a commit-graph's
    changed-path filters only for pathspecs whose sole magic is ``literal``, and with
    them a path-limited log of a large history takes about half the time."""
    out = []
    for path in paths:
        p = Path(path)
        if p.is_absolute():
            try:
                p = p.resolve().relative_to(repo.top)
            except ValueError:
                raise NotFound(f"{path}: outside the repository {repo.top}") from None
        out.append(":(literal)" + (p.as_posix() if str(p) not in ("", ".") else "."))
    return out


def require(repo: Repo | None, root: Path) -> Repo:
    if repo is None:
        raise EnvironmentProblem(f"{root} is {NOT_A_REPO.split(':')[0]}")
    return repo


def resolve_revision(root: Path, rev: str) -> str:
    """The full SHA of the commit ``rev`` names (NotFound if none; exit 3 outside git)."""
    with session(root) as (found, _):
        repo = require(found, root)
        sha = verify(repo, "--end-of-options", rev + "^{commit}")
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
            raise NotFound(f"no commit named {rev!r} in {repo.top}")
        return sha


_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]{0,30}://)[^@/]{0,500}@", re.IGNORECASE)


def _remote(repo: Repo) -> str:
    try:
        reader = repo.handle.config_reader()
        sections = [s for s in reader.sections() if s.startswith('remote "')]
        preferred = [s for s in sections if s == 'remote "origin"'] or sections
        for section in preferred:
            url = str(reader.get_value(section, "url", default="")).strip()
            if url:
                return _USERINFO.sub(r"\1", url)
    except (OSError, ValueError, KeyError, configparser.Error):  # unreadable: no remote
        return ""
    return ""


def identity(root: Path) -> tuple[str, str]:
    """(HEAD's SHA or "", the fetch URL of ``origin`` or else the first remote, without
    any user:password part, or ""): one ``git rev-parse``; "" and "" outside git."""
    with session(root) as (repo, _):
        if repo is None:
            return "", ""
        return verify(repo, "HEAD"), _remote(repo)
