"""Listing the decisions folder: which entries are records, which are skipped (symlinks
out of the tree) and which are a killed writer's temporary files, for every kind of entry
a folder can hold."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest

from adr_tool.config import discover
from adr_tool.records.store import TEMP_PREFIX, Store


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".adr.yaml").write_text("directory: docs/decisions\n")
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    return folder


def test_every_kind_of_entry_is_judged_as_the_walk_judges_it(folder: Path, tmp_path: Path) -> None:
    files = [
        "0001-a.md",
        "0002-B.MD",
        "0003-c.Md",
        "0004-d.mD",
        "0005-e.markdown",
        "0006-f.md.bak",
        "notes.txt",
        ".hidden.md",
        "README.md",
        "Readme.MD",
        "index.md",
        "TOC.md",
        "template.md",
        "x\nnewline.md",
        "ünïcödé-Ω.md",
        "\u212aeep.md",  # KELVIN SIGN: lowers to an ASCII k
        f"{TEMP_PREFIX}123-4.md",
        f"{TEMP_PREFIX}99",
        "md",
        ".md",
        "a.md ",
    ]
    for name in files:
        (folder / name).write_text("# x\n")
    (folder / "sub.md").mkdir()  # a folder named like a record
    (folder / f"{TEMP_PREFIX}dir").mkdir()
    (folder / "0007-inside.md").symlink_to(folder / "0001-a.md")
    (folder / "0008-to-index.md").symlink_to(folder / "README.md")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text("# out\n")
    (folder / "0009-outside.md").symlink_to(outside)
    (folder / "0010-dangling.md").symlink_to(folder / "missing.md")
    (folder / "0011-to-folder.md").symlink_to(folder / "sub.md")
    (folder / f"{TEMP_PREFIX}link").symlink_to(folder / "0001-a.md")
    with contextlib.suppress(AttributeError, OSError):  # a system without FIFOs
        os.mkfifo(folder / "0012-fifo.md")
    raw = os.fsencode(folder) + b"/0013-\xff-undecodable.md"
    with open(raw, "w") as handle:
        handle.write("# x\n")

    store = Store(discover(tmp_path))
    assert store.names() == sorted(
        [
            "0001-a.md",
            "0002-B.MD",
            "0003-c.Md",
            "0004-d.mD",
            "x\nnewline.md",
            "ünïcödé-Ω.md",
            "\u212aeep.md",
            "0007-inside.md",  # a symlink inside the tree
            "0013-\udcff-undecodable.md",
        ]
    )
    assert store.skipped == ["0009-outside.md"]  # never read
    assert sorted(store.temps or []) == [
        f"{TEMP_PREFIX}123-4.md",
        f"{TEMP_PREFIX}99",
        f"{TEMP_PREFIX}dir",
        f"{TEMP_PREFIX}link",
    ]


def test_a_folder_of_plain_records_is_listed_sorted(folder: Path, tmp_path: Path) -> None:
    for number in range(300, 0, -1):
        (folder / f"{number:04d}-r.md").write_text("# x\n")
    (folder / "README.md").write_text("index\n")
    store = Store(discover(tmp_path))
    assert store.names() == [f"{n:04d}-r.md" for n in range(1, 301)]
    assert store.skipped == [] and store.temps == []
