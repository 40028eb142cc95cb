"""The code stamp: a hash of the package's modules by content, remembered under their
stat keys so a warm command does not read a hundred files to compute it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import adr_tool
from adr_tool import stamp
from adr_tool.stamp import code_stamp, stamp_of, user_cache_folder
from support import OLD_NS


def _content_stamp(package: Path) -> str:
    """The stamp by its definition: every module's path and bytes, in path order."""
    digest = hashlib.sha256()
    modules = sorted(
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if "__pycache__" not in p.parts
    )
    for relative in modules:
        digest.update(relative.encode() + b"\0" + (package / relative).read_bytes() + b"\0")
    return digest.hexdigest()[:32]


@pytest.fixture
def package(package_copy: Path) -> Path:
    return package_copy


def test_the_stamp_is_the_hash_of_the_modules_contents(package: Path, tmp_path: Path) -> None:
    expected = _content_stamp(package)
    assert stamp_of(str(package), None) == expected
    assert stamp_of(str(package), str(tmp_path / "memo")) == expected  # computes, remembers
    assert stamp_of(str(package), str(tmp_path / "memo")) == expected  # recalls
    assert code_stamp() == _content_stamp(Path(adr_tool.__file__).resolve().parent)


def test_a_remembered_stamp_is_trusted_while_no_module_changes(
    package: Path, tmp_path: Path
) -> None:
    memo_folder = tmp_path / "memo"
    stamp_of(str(package), str(memo_folder))
    (memo,) = memo_folder.iterdir()
    key, _, remembered = memo.read_text().strip().partition(" ")
    assert remembered == _content_stamp(package)
    # the memo is what answers: a planted stamp under the same stat key comes back
    memo.write_text(f"{key} {'0' * 32}\n")
    assert stamp_of(str(package), str(memo_folder)) == "0" * 32


def test_a_changed_module_is_hashed_again(package: Path, tmp_path: Path) -> None:
    memo_folder = str(tmp_path / "memo")
    before = stamp_of(str(package), memo_folder)
    module = package / "records" / "formats.py"
    module.write_text(module.read_text() + "\n# changed\n")
    os.utime(module, ns=(OLD_NS + 1, OLD_NS + 1))
    after = stamp_of(str(package), memo_folder)
    assert after != before
    assert after == _content_stamp(package)


def test_a_module_changed_just_now_is_not_remembered(package: Path, tmp_path: Path) -> None:
    module = package / "model.py"
    module.write_text(module.read_text() + "\n# fresh\n")  # mtime: now
    memo_folder = tmp_path / "memo"
    assert stamp_of(str(package), str(memo_folder)) == _content_stamp(package)
    assert not memo_folder.exists() or not any(memo_folder.iterdir())


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", b"x" * 10_000, "ключ ÿ\n".encode(), b"k " + b"g" * 32 + b"\n"],
)
def test_a_damaged_memo_is_ignored(package: Path, tmp_path: Path, content: bytes) -> None:
    memo_folder = tmp_path / "memo"
    stamp_of(str(package), str(memo_folder))
    (memo,) = memo_folder.iterdir()
    memo.write_bytes(content)
    assert stamp_of(str(package), str(memo_folder)) == _content_stamp(package)


def test_an_unwritable_memo_folder_only_means_hashing_again(package: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert stamp_of(str(package), str(blocker / "adr")) == _content_stamp(package)


def test_the_user_cache_folder(tmp_path: Path) -> None:
    assert user_cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == str(tmp_path / "adr")
    assert user_cache_folder({"XDG_CACHE_HOME": "relative", "HOME": "/h"}) == "/h/.cache/adr"
    assert user_cache_folder({"HOME": "/h"}) == "/h/.cache/adr"
    assert stamp.RACY_NS == 2_000_000_000
