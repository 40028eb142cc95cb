"""Class 7: bytes that are not UTF-8 in file names, arguments and record text never
produce a traceback: they are listed with U+FFFD (and a finding), or refused with exit 2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from harness import ADR, git_env

REPLACEMENT = "\ufffd".encode()


@pytest.fixture
def latin1(project: Path) -> Path:
    folder = os.fsencode(project / "docs" / "decisions")
    with open(folder + b"/0002-caf\xe9.md", "wb") as handle:
        handle.write(b"# Caf\xe9 \xff title\n\nDate: 2026-11-24\n\n## Status\n\nAccepted\n")
    with open(folder + b"/0003-ok.md", "wb") as handle:
        handle.write(b"---\nstatus: accepted\ntags: [\xfe]\n---\n# Ok \xc3\n")
    return project


def _adr(cwd: Path, tmp: Path, *args: bytes | str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*ADR, *args], cwd=cwd, env=git_env(tmp), capture_output=True, timeout=60)


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--format", "json"),
        ("show", "2"),
        ("show", "3"),
        ("check",),
        ("check", "--format", "json"),
        ("index",),
        ("graph",),
        ("digest",),
        ("why", b"src/x\xff.py"),
        ("site", "--output", "_site"),
    ],
)
def test_no_traceback_on_bytes_that_are_not_utf8(
    latin1: Path, tmp_path: Path, args: tuple[bytes | str, ...]
) -> None:
    result = _adr(latin1, tmp_path, *args)
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert result.returncode in (0, 1, 2)
    if result.returncode == 2:  # refused: one line
        assert result.stderr.startswith(b"adr: error: ") and result.stderr.count(b"\n") == 1


def test_listed_with_a_replacement_character_and_a_finding(latin1: Path, tmp_path: Path) -> None:
    listed = _adr(latin1, tmp_path, "list")
    assert listed.returncode == 0
    assert b"Caf" + REPLACEMENT in listed.stdout and b"0003" in listed.stdout
    checked = _adr(latin1, tmp_path, "check")
    assert b"ADR001" in checked.stdout and b"not valid UTF-8" in checked.stdout
    _adr(latin1, tmp_path, "index")
    index = (latin1 / "docs" / "decisions" / "README.md").read_bytes()
    index.decode("utf-8")  # the index stays UTF-8
    assert _adr(latin1, tmp_path, "index", "--check").returncode == 0


def test_new_with_a_title_that_is_not_utf8_is_refused(project: Path, tmp_path: Path) -> None:
    before = sorted(os.listdir(project / "docs" / "decisions"))
    result = _adr(project, tmp_path, "new", b"Caf\xe9 title", "--no-edit")
    assert result.returncode == 2
    assert (
        result.stderr
        == b"adr: error: the title is not valid UTF-8; pass it in UTF-8 (check LANG/LC_ALL)\n"
    )
    assert sorted(os.listdir(project / "docs" / "decisions")) == before
