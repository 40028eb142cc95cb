"""Class 4: every pattern over record text runs in time linear in the line length.

Each record puts a line of 100,000 spaces or tabs, followed by a character, in a place
a parser looks at: headings, Nygard status lines, MADR bullets, link lines, ``Chosen
option``, sub-headings of the outcome, dates. Each command must take under 2 s of this
process's CPU time (CPU, not wall time: a loaded machine must not fail the test; a
quadratic pattern over a 100,000-character line would take minutes of CPU).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from support import Cli

WIDE = 100_000
LIMIT = 2.0

# Where parsers look; {pad} is the long run of blanks, then a character follows.
PLACES = [
    "# a{pad}b",
    "# a{pad}b #",
    "## a{pad}b",
    "## Status{pad}x",
    "### a{pad}b",
    "###### a{pad}b #{pad}#",
    "Accepted{pad}x",
    "Superseded by{pad}[2. B](0002-b.md){pad}x",
    "Supersedes{pad}[2. B](0002-b.md){pad}x",
    "Amended by:{pad}[2. B](0002-b.md){pad}.",
    "* Status:{pad}accepted{pad}x",
    "* **Status**{pad}:{pad}accepted{pad}x",
    "- Date:{pad}2026-01-01{pad}x",
    "Date:{pad}2026-01-01{pad}x",
    "* Deciders:{pad}a{pad},{pad}b",
    "* {pad}a{pad}:{pad}b{pad}x",
    "[x](0002-b.md){pad}x",
    'Chosen option:{pad}"A",{pad}because{pad}x',
    'Chosen option: "A", because{pad}:{pad}x',
    "because{pad},{pad}x",
    "<!--{pad}x",
    "{pad}x",
    "1.{pad}x",
    "-{pad}x",
    "{{{pad}x",
]


def _record(pad: str) -> str:
    lines = [line.format(pad=pad) for line in PLACES]
    body = "\n".join(lines)
    return (
        f"# 1. A{pad}x\n\nDate: 2026-01-01\n\n## Status\n\n{body}\n\n## Context\n\n{body}\n\n"
        f"## Decision Outcome\n\n{body}\n\n## Links\n\n{body}\n"
    )


def _madr(pad: str) -> str:
    body = "\n".join(line.format(pad=pad) for line in PLACES)
    return (
        f"# B{pad}x\n\n* Status: accepted{pad}x\n* Date: 2026-01-01{pad}x\n\n"
        f"## Context and Problem Statement\n\n{body}\n\n"
        f"## Decision Outcome\n\n{body}\n\n### Consequences{pad}#\n\n{body}\n"
    )


@pytest.mark.parametrize("blank", [" ", "\t"], ids=["spaces", "tabs"])
def test_long_blank_runs_parse_in_linear_time(project: Path, run: Cli, blank: str) -> None:
    folder = project / "docs" / "decisions"
    pad = blank * WIDE
    (folder / "0002-b.md").write_text(_record(pad), encoding="utf-8")
    (folder / "0003-c.md").write_text(_madr(pad), encoding="utf-8")
    commands = [
        ("--no-cache", "list"),
        ("--no-cache", "check"),
        ("--no-cache", "check", str(folder / "0002-b.md")),
        ("--no-cache", "show", "2"),
        ("--no-cache", "show", "3"),
        ("--no-cache", "index"),
        ("--no-cache", "digest"),
        ("--no-cache", "graph"),
    ]
    timings = {}
    for args in commands:
        started = time.process_time()
        result = run(*args)
        timings[" ".join(args[1:2])] = elapsed = time.process_time() - started
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert elapsed < LIMIT, f"adr {' '.join(args)} took {elapsed:.1f} s"
    listed = run("--no-cache", "list", "--format", "json")
    assert "B" in listed.output
