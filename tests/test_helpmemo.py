"""`adr --help` from its memo: the same text click prints, without importing click, and
never a text made for another width, another version of adr or click, or a damaged file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adr_tool import helpmemo, stamp
from support import OLD_NS

PROBE = (
    "import sys; sys.argv = ['adr', *sys.argv[1:]]\n"
    "from adr_tool.__main__ import main\n"
    "try:\n"
    "    main()\n"
    "finally:\n"
    "    sys.stderr.write('click loaded' if 'click' in sys.modules else 'no click')\n"
)


def _settle() -> None:
    """Wait until adr's and click's modules are older than the racy window (a fresh
    checkout or install is younger, and is then never remembered)."""
    import click

    youngest = max(
        info.st_mtime_ns
        for folder in (stamp.package_folder(), os.path.dirname(click.__file__))
        for _, info in stamp.module_stats(folder)
    )
    wait = (youngest + stamp.RACY_NS - time.time_ns()) / 1e9
    if wait > 0:
        time.sleep(wait + 0.1)


def _run(args: list[str], cache: Path, columns: str = "") -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME")}
    env.pop("COLUMNS", None)
    env["XDG_CACHE_HOME"] = str(cache)
    if columns:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def click_says(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What click itself prints for `adr --help` (an empty cache folder: no memo), per width."""
    _settle()
    said = {}
    for columns in ("", "60", "200"):
        text, loaded = _run(["--help"], tmp_path_factory.mktemp("empty"), columns)
        assert loaded == "click loaded" and text.startswith("Usage: adr [OPTIONS] COMMAND")
        said[columns] = text
    assert said["60"] != said["200"]
    return said


def test_the_second_help_is_the_same_text_without_click(
    click_says: dict[str, str], tmp_path: Path
) -> None:
    first, loaded = _run(["--help"], tmp_path)
    assert (first, loaded) == (click_says[""], "click loaded")
    (memo,) = (tmp_path / "adr").glob("help-*")
    assert memo.stat().st_mode & 0o777 == 0o600
    for args in (["--help"], ["-h"]):
        assert _run(args, tmp_path) == (click_says[""], "no click")


def test_a_text_is_never_served_at_another_width(
    click_says: dict[str, str], tmp_path: Path
) -> None:
    for columns in ("60", "200"):
        _run(["--help"], tmp_path, columns)  # the memo now holds this width's text
        assert _run(["--help"], tmp_path, columns) == (click_says[columns], "no click")
    assert _run(["--help"], tmp_path, "60") == (click_says["60"], "click loaded")


def test_a_damaged_or_foreign_memo_is_replaced(click_says: dict[str, str], tmp_path: Path) -> None:
    _run(["--help"], tmp_path)
    (memo,) = (tmp_path / "adr").glob("help-*")
    for damage in (b"", b"adr-help-1\nnot the key\0\0forged help\n", b"\xff" * 5000):
        memo.write_bytes(damage)
        assert _run(["--help"], tmp_path) == (click_says[""], "click loaded")
    assert _run(["--help"], tmp_path) == (click_says[""], "no click")


def test_a_symlinked_memo_is_not_followed(click_says: dict[str, str], tmp_path: Path) -> None:
    _run(["--help"], tmp_path)
    (memo,) = (tmp_path / "adr").glob("help-*")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(memo.read_bytes().replace(b"Usage: adr", b"Usage: evil"))
    memo.unlink()
    memo.symlink_to(elsewhere)
    assert _run(["--help"], tmp_path) == (click_says[""], "click loaded")
    assert not memo.is_symlink() and b"evil" in elsewhere.read_bytes()


def test_a_closed_pipe_ends_quietly_on_both_paths(tmp_path: Path) -> None:
    """`adr --help | head -0`: exit 1 without a traceback, from click and from the memo."""
    _settle()
    for _ in ("click", "memo"):
        read, write = os.pipe()
        os.close(read)
        done = subprocess.run(
            [sys.executable, "-m", "adr_tool", "--help"],
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
        )
        os.close(write)
        assert (done.returncode, done.stderr) == (1, b"")
    assert list((tmp_path / "adr").glob("help-*"))


def test_only_a_bare_help_request_is_remembered(tmp_path: Path) -> None:
    environ = {"XDG_CACHE_HOME": str(tmp_path)}
    for argv in ([], ["list"], ["--help", "list"], ["list", "--help"], ["--version"]):
        assert helpmemo.help_key(argv, environ) is None


def test_the_key_follows_every_module_and_the_width(package_copy: Path, tmp_path: Path) -> None:
    package = package_copy
    environ = {"XDG_CACHE_HOME": str(tmp_path), "COLUMNS": "100"}
    found = helpmemo.help_key(["--help"], environ, package=str(package))
    assert found is not None
    memo, key = found
    assert helpmemo.help_key(["-h"], environ, package=str(package)) == found
    assert helpmemo.help_key(["-h"], {**environ, "COLUMNS": "99"}, package=str(package)) != found
    assert helpmemo.help_key(["-h"], {**environ, "LANG": "de_DE"}, package=str(package)) != found
    helpmemo.remember(memo, key, "the help\n")
    assert helpmemo.recall(memo, key) == "the help\n"

    module = package / "checks" / "rules.py"
    os.utime(module, ns=(OLD_NS + 1, OLD_NS + 1))  # an edit: a new stat key
    moved = helpmemo.help_key(["--help"], environ, package=str(package))
    assert moved is not None and moved[0] == memo and moved[1] != key
    assert helpmemo.recall(memo, moved[1]) is None

    module.touch()  # changed just now: neither trusted nor remembered
    assert helpmemo.help_key(["--help"], environ, package=str(package)) is None


def test_a_click_that_is_not_a_folder_means_no_memo(
    package_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zipped = tmp_path / "click.zip"
    zipped.write_bytes(b"PK")
    monkeypatch.setattr(helpmemo, "_click_folder", lambda: str(zipped))
    environ = {"XDG_CACHE_HOME": str(tmp_path)}
    assert helpmemo.help_key(["--help"], environ, package=str(package_copy)) is None


def test_a_text_that_is_not_ascii_is_not_remembered(tmp_path: Path) -> None:
    memo = str(tmp_path / "help-x")
    helpmemo.remember(memo, "key", "Entscheidungen über …\n")
    assert not os.path.exists(memo)
