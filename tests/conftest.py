"""Shared fixtures: real git repositories on disk, an initialised project, the CLI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import FIXED_DATE, OLD_NS, Cli, git

# Two tiers. ``pytest`` runs the fast one (about a minute on two cores): every test not
# marked ``slow``, the fuzz properties at a tenth of their examples. ``pytest --full``
# (what .ci/run does) adds the long trials marked ``slow``: each fuzz property at its full
# budget, the SIGKILL and concurrency loops, the pre-commit round-trip. ``-m EXPR`` or a
# test named by its node id (``file.py::test``) selects exactly as asked.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full",
        action="store_true",
        help="run both tiers: the fast tests and the long trials marked slow",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--full") or config.option.markexpr:
        return
    named = {arg.rsplit("::", 1)[1] for arg in config.args if "::" in arg}
    keep, dropped = [], []
    for item in items:
        wanted = item.name in named or getattr(item, "originalname", None) in named
        (dropped if "slow" in item.keywords and not wanted else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header(config: pytest.Config) -> str:
    if config.getoption("--full"):
        return "tiers: fast and slow (--full)"
    return "tiers: fast only (the long trials marked slow run with --full)"


@pytest.fixture(autouse=True)
def clean_git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as if outside any git hook, with a fixed identity and date, and no editor."""
    for name in list(os.environ):
        if name.startswith("GIT_") or name in ("VISUAL", "EDITOR", "ADR_DATE"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ada Tester")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Ada Tester")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "ada@example.com")


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the installed adr_tool package, every module dated long ago (settled)."""
    import shutil

    import adr_tool

    copy = tmp_path / "pkg"
    shutil.copytree(
        Path(adr_tool.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    for path in copy.rglob("*.py"):
        os.utime(path, ns=(OLD_NS, OLD_NS))
    return copy


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh ``git init`` repository with user and signing configured."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Ada Tester")
    git(path, "config", "user.email", "ada@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture
def run(repo: Path) -> Cli:
    return Cli(repo)


@pytest.fixture
def project(repo: Path, run: Cli) -> Iterator[Path]:
    """A repository after ``adr init`` (fixed date)."""
    result = run("init", "--date", FIXED_DATE)
    assert result.exit_code == 0, result.output
    yield repo
