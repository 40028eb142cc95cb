"""Class 8: the parse cache is read only from a regular file of bounded size.
Class 9: files are created with the user's umask, like any editor's."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
from pathlib import Path

import pytest
from harness import ADR, git_env

from adr_tool.config import discover
from adr_tool.records.cache import MAX_CACHE_BYTES, ParseCache
from adr_tool.records.store import Store
from support import FIXED_DATE, git


def _cache(project: Path) -> ParseCache:
    cache = ParseCache.for_settings(discover(project), os.environ)
    assert cache is not None
    return cache


def _old(project: Path) -> None:
    for record in (project / "docs" / "decisions").glob("*.md"):
        os.utime(record, ns=(1_600_000_000 * 10**9,) * 2)


def test_cache_that_is_a_fifo_is_ignored_not_waited_on(project: Path, tmp_path: Path) -> None:
    _old(project)
    cache = _cache(project)
    cache.file.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(cache.file)
    result = subprocess.run(
        [*ADR, "list"], cwd=project, env=git_env(tmp_path), capture_output=True, text=True,
        timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0001" in result.stdout
    assert stat.S_ISREG(cache.file.lstat().st_mode)  # rebuilt as a regular file


def test_cache_symlink_is_not_followed(project: Path, tmp_path: Path) -> None:
    _old(project)
    cache = _cache(project)
    Store(discover(project), cache=cache).load_all()
    elsewhere = tmp_path / "planted.bin"
    elsewhere.write_bytes(cache.file.read_bytes())
    cache.file.unlink()
    cache.file.symlink_to(elsewhere)
    again = _cache(project)
    decisions = Store(discover(project), cache=again).load_all()
    assert [d.number for d in decisions] == [1]
    assert again.hits == 0 and again.misses == 1  # the planted entries were not used


def test_huge_cache_file_is_ignored_and_rebuilt(project: Path, tmp_path: Path) -> None:
    _old(project)
    cache = _cache(project)
    Store(discover(project), cache=cache).load_all()
    with open(cache.file, "r+b") as handle:
        handle.truncate(4 * MAX_CACHE_BYTES)  # 1 GiB, sparse: costs no disk
    cap = 768 * 1024 * 1024  # reading the file whole would need more than this

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    result = subprocess.run(
        [*ADR, "list"], cwd=project, env=git_env(tmp_path), capture_output=True, text=True,
        preexec_fn=limit, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0001" in result.stdout
    assert cache.file.stat().st_size < 1_000_000  # rebuilt
    again = _cache(project)
    Store(discover(project), cache=again).load_all()
    assert (again.hits, again.misses) == (1, 0)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_new_files_follow_the_umask(repo: Path, tmp_path: Path, mask: int, mode: int) -> None:
    def adr(*args: str) -> None:
        result = subprocess.run(
            [*ADR, *args], cwd=repo, env=git_env(tmp_path), capture_output=True, text=True,
            preexec_fn=lambda: os.umask(mask), timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    adr("init", "--date", FIXED_DATE)
    adr("new", "Use a queue", "--no-edit")
    adr("index")
    folder = repo / "docs" / "decisions"
    created = [repo / ".adr.yaml", folder / "0002-use-a-queue.md", folder / "README.md"]
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in created}
    assert modes == {p.name: oct(mode) for p in created}
    record = folder / "0002-use-a-queue.md"
    record.chmod(0o600)
    git(repo, "add", "-A")
    adr("accept", "2", "--force")  # the bare template: the rules would refuse it
    assert "accepted" in record.read_text(encoding="utf-8")
    assert stat.S_IMODE(record.stat().st_mode) == 0o600  # a rewrite keeps the file's mode
