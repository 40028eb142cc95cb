"""Fuzzing every reading command in-process: hostile records in the decisions folder give
output, findings with a path and a line, or one ``adr: error:`` line; never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from harness import git_env
from hypothesis import strategies as st
from strategies import counted, record_bytes

from adr_tool.cli import cli
from support import tiered

FINDING = re.compile(r"^(?P<path>[^\n:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) \S")
NAMES = ("0002-fuzzed.md", "0003-fuzzed-too.md", "0002-same-number.md", "not-numbered.md")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One initialised repository for a whole module: examples overwrite its records."""
    root = tmp_path_factory.mktemp("cli") / "repo"
    root.mkdir()
    env = git_env(root.parent)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=env, check=True)
    result = invoke(root, "init", "--date", "2026-11-24")
    assert result.exit_code == 0, result.output
    yield root


def invoke(root: Path, *args: str) -> Result:
    runner = CliRunner()
    env = {"ADR_DATE": "2026-11-24", "VISUAL": "", "EDITOR": ""}
    return runner.invoke(cli, ["-C", str(root), *args], catch_exceptions=True, env=env)


def assert_clean(result: Result, args: tuple[str, ...]) -> None:
    """A result, or an expected failure reported in one line: nothing else is allowed."""
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), (args, repr(exc), result.output)
    assert "Traceback" not in result.output, (args, result.output)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.output)
    errors = [line for line in result.stderr.splitlines() if line.startswith("adr: error:")]
    if result.exit_code != 0 and errors:
        assert len(errors) == 1, result.stderr


def write_records(root: Path, records: list[bytes]) -> None:
    folder = root / "docs" / "decisions"
    for name in NAMES:
        (folder / name).unlink(missing_ok=True)
    for name, raw in zip(NAMES, records, strict=False):
        (folder / name).write_bytes(raw)


def assert_findings(result: Result) -> None:
    """``check --format json``: every finding names a file and a line in it."""
    if result.exit_code not in (0, 1):
        return
    for finding in json.loads(result.stdout):
        assert finding["path"] and isinstance(finding["line"], int) and finding["line"] >= 1
        assert finding["code"] and finding["message"]


READERS = (
    ("list",),
    ("list", "--format", "json"),
    ("show", "2"),
    ("show", "3", "--format", "json"),
    ("check", "--format", "json"),
    ("check", "docs/decisions/0002-fuzzed.md"),
)
WRITERS = (
    ("index",),
    ("index", "--check"),
    ("graph",),
    ("digest",),
    ("migrate",),
)


@tiered(150, records=st.lists(record_bytes(), min_size=1, max_size=3), no_cache=st.booleans())
@counted
def test_reading_commands_survive_any_record(
    folder: Path, records: list[bytes], no_cache: bool
) -> None:
    write_records(folder, records)
    for args in READERS:
        full = ("--no-cache", *args) if no_cache else args
        result = invoke(folder, *full)
        assert_clean(result, full)
        if args[0] == "check" and "json" in args:
            assert_findings(result)
        if args == ("list", "--format", "json") and result.exit_code == 0:
            assert isinstance(json.loads(result.stdout), list)


@tiered(100, records=st.lists(record_bytes(), min_size=1, max_size=2))
@counted
def test_index_graph_digest_migrate_survive_any_record(folder: Path, records: list[bytes]) -> None:
    write_records(folder, records)
    before = {p.name: p.read_bytes() for p in (folder / "docs" / "decisions").glob("0*.md")}
    for args in WRITERS:
        assert_clean(invoke(folder, *args), args)
    after = {p.name: p.read_bytes() for p in (folder / "docs" / "decisions").glob("0*.md")}
    assert before == after  # migrate without --write, index and friends never touch records


@tiered(100, raw=record_bytes(), verb=st.sampled_from(("accept", "reject", "deprecate")))
@counted
def test_status_edits_survive_any_record(folder: Path, raw: bytes, verb: str) -> None:
    write_records(folder, [raw])
    path = folder / "docs" / "decisions" / NAMES[0]
    result = invoke(folder, verb, "2")
    assert_clean(result, (verb, "2"))
    if result.exit_code != 0:
        assert path.read_bytes() == raw  # a refused edit leaves the file as it was
    assert not list(path.parent.glob(".adr-tmp-*"))


def _corpus() -> dict[str, bytes]:
    mb = 1024 * 1024
    fm = "---\nstatus: accepted\n"
    return {
        "empty": b"",
        "only-bom": b"\xef\xbb\xbf",
        "nul-bytes": b"---\nstatus: acc\x00epted\n---\n# T\x00itle\n",
        "invalid-utf8": b"---\nstatus: accepted\n---\n# Caf\xe9 \xff\xfe\n",
        "surrogates": b"---\nstatus: \xed\xa0\x80\n---\n# S\n",
        "random-bytes": bytes(range(256)) * 20,
        "crlf-bom": b"\xef\xbb\xbf---\r\nstatus: accepted\r\n---\r\n# Windows\r\n",
        "cr-only": b"---\rstatus: accepted\r---\r# Old Mac\r",
        "mixed-endings": b"---\r\nstatus: accepted\n---\r# Mixed\r\n## Status\n",
        "unterminated": (fm + "# never closed\n").encode(),
        "tabs": b"---\nstatus: accepted\ntags:\n\t- x\n---\n# Tabs\n",
        "duplicate-keys": (fm + "status: rejected\n---\n# Dup\n").encode(),
        "1mb-body-line": (fm + "---\n# Long\n" + "x" * mb + "\n").encode(),
        "1mb-front-matter-line": (fm + "cost: " + "y" * mb + "\n---\n# Long FM\n").encode(),
        "1mb-title": ("---\n---\n# " + "t" * mb + "\n").encode(),
        "huge-front-matter": (
            fm + "".join(f"k{i}: v\n" for i in range(20_000)) + "---\n# B\n"
        ).encode(),
        "huge-list": (fm + "tags: [" + ", ".join(["t"] * 15_000) + "]\n---\n# L\n").encode(),
        "huge-block-list": (fm + "tags:\n" + "  - t\n" * 10_000 + "---\n# L\n").encode(),
        "deep-flow": (fm + "x: " + "[" * 100_000 + "\n---\n# D\n").encode(),
        "deep-block": (fm + "x:\n" + "- " * 20_000 + "y\n---\n# D\n").encode(),
        "deep-map": (fm + "x: " + "{a: " * 20_000 + "\n---\n# D\n").encode(),
        "python-tag": (
            fm + "x: !!python/object/apply:os.system ['touch PWNED']\n---\n# T\n"
        ).encode(),
        "unknown-tag": (fm + "x: !unknown {a: 1}\n---\n# T\n").encode(),
        "self-alias": (fm + "links: &l [*l]\n---\n# A\n").encode(),
        "nygard-garbage": (
            b"# 1. T\n\n## Status\n\nSuperseded by [x](../../../../etc/passwd)\n\x00\n"
        ),
        "many-headings": ("# T\n" + "## Status\n" * 50_000).encode(),
        "many-fences": ("# T\n" + "```\n" * 50_000).encode(),
        "html-and-jinja": (
            b"---\nstatus: accepted\ndecision-makers: ['{{ 7*7 }}', '<script>x</script>']\n"
            b"tradeoffs:\n  - {axis: '{% raw %}', favours: '| a | b |', cost: '</td>\"]'}\n"
            b"---\n# {{ ''.__class__ }} | <b>x</b> `y`\n"
        ),
    }


CORPUS = _corpus()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_through_every_command(folder: Path, name: str) -> None:
    """Fixed nasty files (1 MB lines, 64 KiB+ front matter, 100,000 brackets...)."""
    raw = CORPUS[name]
    write_records(folder, [raw, raw])
    for args in (*READERS, *WRITERS, ("accept", "2")):
        assert_clean(invoke(folder, "--no-cache", *args), args)
    assert not (folder / "PWNED").exists()
    assert not (folder / "docs" / "decisions" / "PWNED").exists()


def test_fifo_and_folder_named_like_records_are_not_read(folder: Path) -> None:
    """A FIFO would block a reader forever; a directory is not a record."""
    decisions = folder / "docs" / "decisions"
    write_records(folder, [])
    fifo = decisions / "0004-fifo.md"
    os.mkfifo(fifo)
    (decisions / "0005-folder.md").mkdir()
    try:
        for args in READERS:
            assert_clean(invoke(folder, *args), args)
        listed = json.loads(invoke(folder, "list", "--format", "json").stdout)
        assert {r["number"] for r in listed} == {1}
    finally:
        fifo.unlink()
        (decisions / "0005-folder.md").rmdir()
