"""``adr check --staged``: judge what the next commit will hold (the index), not the
working tree. The staged decisions folder, index and configuration are written into a
temporary folder by git (``checkout-index``); the user's files are never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from adr_tool.checks.run import CheckReport, run_check
from adr_tool.config import Settings, load_settings
from adr_tool.errors import EnvironmentProblem
from adr_tool.records.store import Store


def rerooted(settings: Settings, top: Path, copy: Path) -> Settings:
    """``settings`` with every path moved from the repository ``top`` into ``copy``."""

    def move(path: Path) -> Path:
        return copy / path.resolve().relative_to(top)

    return dataclasses.replace(
        settings,
        root=move(settings.root),
        directory=move(settings.directory),
        index=move(settings.index),
        config_path=move(settings.config_path) if settings.config_path else None,
        git_root=None,  # trailers in history are for a full run; the guard sees new ones
        # the scope rules and the index's coverage: the files of the next commit, which
        # are what git's index lists
        tracked_root=settings.root,
    )


def run_staged_check(settings: Settings, *, today: dt.date) -> CheckReport:
    """Every rule over the staged records; findings name the same paths as a normal run."""
    from adr_tool.git import worktree
    from adr_tool.git.repo import session

    if settings.git_root is None:
        raise EnvironmentProblem("--staged needs a git repository: there is no index to read")
    with session(settings.root) as (found, _):
        if found is None:
            raise EnvironmentProblem("--staged needs a git repository: there is no index to read")
        top = found.top
    wanted = [settings.directory, settings.index]
    if settings.config_path is not None:
        wanted.append(settings.config_path)
    with tempfile.TemporaryDirectory(prefix="adr-staged-") as tmp:
        copy = Path(tmp).resolve()
        staged = set(worktree.export_staged(settings.root, wanted, copy))
        moved = rerooted(settings, top, copy)
        if settings.config_path is not None and moved.config_path is not None:
            rel = settings.config_path.resolve().relative_to(top).as_posix()
            if rel in staged:  # the configuration as it will be committed
                moved = dataclasses.replace(
                    load_settings(moved.config_path, None),
                    git_root=None,
                    tracked_root=settings.root,
                )
        moved.directory.mkdir(parents=True, exist_ok=True)  # nothing staged: nothing to judge

        def renderer() -> object:
            from adr_tool.publish.render import Renderer

            return Renderer(moved.directory / "templates", moved.lang, root=moved.root)

        return run_check(moved, Store(moved), today=today, renderer=renderer)
