"""Class 3: nothing from a record reaches the terminal raw. Text output escapes C0 (but
tab and newline), ESC sequences, C1 and bidirectional overrides; JSON keeps the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adr_tool.publish.terminal import terminal_safe
from support import Cli, git

OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
OSC52 = "\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07"
CLEAR = "\x1b[2J\x1b[H"
BIDI = "\u202eexe.txt\u202c\u2066x\u2069"
C1 = "\x9b31m\x85"
RAW = ("\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u202c", "\u2066", "\u2069", "\r", "\x00")


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} reached the terminal"


def test_terminal_safe_escapes_controls_and_keeps_tabs_and_newlines() -> None:
    assert terminal_safe("a\tb\nc") == "a\tb\nc"
    assert terminal_safe(CLEAR) == "\\x1b[2J\\x1b[H"
    assert terminal_safe("\u202eabc") == "\\u202eabc"
    assert terminal_safe("\x9b\x7f\r") == "\\x9b\\x7f\\x0d"
    assert terminal_safe("Zoë 한국어 — ok") == "Zoë 한국어 — ok"


def test_every_ascii_character_is_judged_as_the_full_rule_judges_it() -> None:
    # ASCII text takes a shortcut (one pass in C); each of the 128 characters, alone and
    # inside plain text, must come out as the character-class rule makes it
    from adr_tool.publish.terminal import _UNSAFE, _escape

    for code in range(128):
        for text in (chr(code), f"0001 accepted {chr(code)} title\n"):
            assert terminal_safe(text) == _UNSAFE.sub(_escape, text), repr(text)
    assert terminal_safe("a" * 10_000 + "\x1b") == "a" * 10_000 + "\\x1b"


@pytest.fixture
def hostile(project: Path) -> Path:
    folder = project / "docs" / "decisions"
    tag = '"\\e]52;c;Y3VybA==\\a"'
    (folder / f"0002-a{CLEAR}b.md").write_text(
        f"---\nstatus: proposed\ndate: 2026-11-24\ntags: [{tag}, ok]\n---\n"
        f"# Title {OSC8} {OSC52} {BIDI} {C1}\n\n## Decision Outcome\n\nChosen {CLEAR}.\n",
        encoding="utf-8",
    )
    (folder / "0003-b.md").write_text(
        f"# 3. Nygard {OSC52}\n\nDate: 2026-11-24\n\n## Status\n\nAccepted {BIDI}\n",
        encoding="utf-8",
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", f"subject {OSC8} {BIDI}", "-m", "Decision: 2")
    return project


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("show", "2"),
        ("show", "3"),
        ("check",),
        ("index", "--check"),
        ("digest",),
        ("graph",),
        ("log", "2"),
        ("why", "docs/decisions"),
        ("new", f"x {CLEAR}", "--no-edit"),
    ],
)
def test_text_output_never_carries_control_sequences(
    hostile: Path, run: Cli, args: tuple[str, ...]
) -> None:
    result = run("--no-cache", *args)
    assert result.stdout or result.stderr
    _clean(result.stdout)
    _clean(result.stderr)


def test_json_keeps_the_data_as_is(hostile: Path, run: Cli) -> None:
    listed = json.loads(run("list", "--format", "json").output)
    second = next(r for r in listed if r["number"] == 2)
    assert OSC8 in second["title"] and BIDI in second["title"]
    assert second["tags"][0] == "\x1b]52;c;Y3VybA==\x07"
    assert run("list").output.count("\\x1b") >= 4
