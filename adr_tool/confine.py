"""Reads stay inside the working tree: a file the repository names (a record, a template
and what it includes, the index) is resolved, symlinks followed, and refused when it
lands outside the tree or anywhere in the git directory. Pure path logic; no reading.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path

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
