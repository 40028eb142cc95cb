"""Reads stay inside the working tree: a file the repository names (a record, a template
and what it includes, the index) is resolved, symlinks followed, and refused when it
lands outside the tree or anywhere in the git directory. Path logic, and one bounded
read (:func:`read_regular`, :func:`read_inside`) for files the repository names.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from adr_tool.errors import ConfigError


def _gitdir_file(dot_git: Path) -> list[Path]:
    """Where a ``.git`` file (a worktree, a submodule) points, and its common dir."""
    out: list[Path] = []
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = dot_git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            gitdir = (target if target.is_absolute() else dot_git.parent / target).resolve()
            out.append(gitdir)
            common = gitdir / "commondir"
            if common.is_file():
                named = Path(common.read_text(encoding="utf-8").strip())
                out.append((named if named.is_absolute() else gitdir / named).resolve())
    return out


@lru_cache(maxsize=16)
def git_dirs(root: Path) -> tuple[Path, ...]:
    """The resolved git directories of the working tree at ``root``."""
    dot_git = root / ".git"
    if dot_git.is_file():
        return tuple(_gitdir_file(dot_git))
    return (dot_git.resolve(),)


def in_git_dir(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, is in a git directory of the tree at ``root``
    (``.git``, a worktree's gitdir or common dir, or any nested ``.git``)."""
    top = root.resolve()
    real = path.resolve()
    if (real == top or top in real.parents) and ".git" in real.relative_to(top).parts:
        return True
    return any(real == g or g in real.parents for g in git_dirs(top))


def allowed(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, is inside ``root`` and not in a git dir."""
    top = root.resolve()
    real = path.resolve()
    if real != top and top not in real.parents:
        return False
    return not in_git_dir(real, top)


def require(path: Path, root: Path, what: str) -> Path:
    """``path`` when :func:`allowed`; otherwise a ConfigError (exit 2) naming it."""
    if not allowed(path, root):
        raise ConfigError(
            f"{what} {path} resolves outside the working tree or into the git directory; "
            "refusing to read it"
        )
    return path


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes (never a
    symlink, a device or a FIFO, whose read would not end); None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return os.pread(fd, info.st_size, 0)  # not a buffer of ``limit`` bytes
    except OSError:
        return None
    finally:
        os.close(fd)


def read_inside(path: Path, root: Path, what: str, limit: int) -> bytes:
    """The bytes of ``path`` when it is :func:`allowed` and :func:`read_regular` can
    read it; otherwise a ConfigError (exit 2) naming it. The error never quotes the
    file: what it holds may be a secret the repository pointed at."""
    data = read_regular(require(path, root, what).resolve(), limit)
    if data is None:
        raise ConfigError(
            f"{what} {path}: cannot read it as a regular file of at most {limit} bytes"
        )
    return data


def require_writable(path: Path, root: Path, what: str) -> Path:
    """``path`` (absolute, symlinks not resolved) when a write there lands where its name
    says: a path inside the working tree by name must stay inside it, and out of the git
    directory, once symlinks are followed, so a symlink the repository holds (a committed
    ``site`` or ``public`` pointing elsewhere) cannot send a write out. A path named
    outside the tree is the user's own choice. ConfigError (exit 2) otherwise."""
    top = root.resolve()
    named = Path(os.path.abspath(path))
    if named != top and top not in named.parents:
        return path
    if not allowed(named, top):  # resolve() follows each link on the way, missing tail or not
        raise ConfigError(
            f"{what} {path} leads outside the working tree or into the git directory "
            "through a symlink; refusing to write there"
        )
    return path
