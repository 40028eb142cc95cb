"""Text for a terminal: what a repository wrote (titles, tags, paths, authors, subjects)
must not drive the terminal. Pure; ``cli.app.echo`` passes every text line through it.
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL and C1 (ESC and CSI start screen clears, OSC 8 links,
# OSC 52 clipboard writes, window titles), line/paragraph separators, and the
# bidirectional marks, embeddings, overrides and isolates that reorder what is shown.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNDECODED = re.compile("[\ud800-\udfff]")  # bytes that were not UTF-8 (surrogateescape)


def undecoded_as_replacement(text: str) -> str:
    """Bytes that were not UTF-8 (kept as lone surrogates) as U+FFFD."""
    return text if text.isascii() else _UNDECODED.sub("\ufffd", text)


# the unsafe characters an ASCII text can hold: C0 but tab and newline, and DEL
_ASCII_UNSAFE = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN``/``\\uNNNN`` instead of
    sent: an ESC sequence arrives as the visible ``\\x1b]52;…``, never as a command.
    A byte that was not UTF-8 (a file name, an argument) is shown as U+FFFD."""
    if text.isascii():
        # the common case, judged in C: a character-class search tries every position
        # (75 M instructions for the 800 KB of `adr list` at 10,000 records)
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_UNSAFE)) == len(raw):
            return text
    return _UNSAFE.sub(_escape, undecoded_as_replacement(text))
