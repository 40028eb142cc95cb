"""Front matter as plain text, no YAML library: cut a record into front matter and body
(keeping its BOM and line endings), find each key's line, read a flat ``key: word``
mapping without a parser, the pieces of text a splice edit keeps or moves, and a
record file's bytes read with plain system calls.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from adr_tool import wording
from adr_tool.errors import ParseError

BOM = "\ufeff"
_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_HEADING = re.compile(r"#{1,6}(?=\s)")  # the marks only: the text is cut in Python


def heading(line: str) -> tuple[int, str] | None:
    """``## Title ##`` → (2, "Title"); None when the line is no ATX heading.

    Closing ``#`` marks and blanks are stripped with str methods, not a pattern:
    ``(.*?)\\s*#*\\s*$`` backtracks cubically on a heading padded with blanks.
    """
    marks = _HEADING.match(line)
    if marks is None:
        return None
    return marks.end(), line[marks.end() :].strip().rstrip("#").rstrip()


class Split(NamedTuple):
    """A record cut into its parts. ``yaml`` is None when there is no front matter."""

    yaml: str | None
    body: str
    yaml_line: int  # 1-based line of the first YAML line in the file
    body_line: int  # 1-based line of the first body line in the file
    bom: bool
    newline: str


def detect_newline(text: str) -> str:
    index = text.find("\n")
    if index > 0 and text[index - 1] == "\r":
        return "\r\n"
    if index < 0 and "\r" in text:
        return "\r"
    return "\n"


def normalise(text: str) -> tuple[str, bool, str]:
    """Strip a BOM and turn any line ending into ``\\n``; report what was there."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    newline = detect_newline(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, bom, newline


def restore(text: str, bom: bool, newline: str) -> str:
    if newline != "\n":
        text = text.replace("\n", newline)
    return (BOM + text) if bom else text


def split(text: str, path: Path | str = "<string>") -> Split:
    """Cut ``text`` into front matter and body. Raises ParseError on an unclosed block.

    The closing line is found with ``str.find`` and both parts are sliced out: the same
    parts as splitting into lines, matching each and joining them again, for less.
    """
    norm, bom, newline = normalise(text)
    first_end = norm.find("\n")
    if not _FENCE.match(norm if first_end < 0 else norm[:first_end]):
        return Split(None, norm, 1, 1, bom, newline)
    end = _closing(norm, first_end) if first_end >= 0 else -1
    if end < 0:
        raise ParseError(wording.say("fm-unclosed", ()), path=path, line=1, key="fm-unclosed")
    yaml_text = norm[first_end + 1 : end + 1]
    after = norm.find("\n", end + 1)
    body = "" if after < 0 else norm[after + 1 :]
    return Split(yaml_text, body, 2, norm.count("\n", 0, end + 1) + 2, bom, newline)


def _closing(norm: str, start: int) -> int:
    """Where the first line after ``start`` that closes front matter begins, less one
    (the newline before it); -1 when no line does."""
    found = -1
    for marker in ("\n---", "\n..."):
        at = norm.find(marker, start, found if found >= 0 else len(norm))
        while at >= 0:
            line_end = norm.find("\n", at + 1)
            if _END.match(norm[at + 1 : line_end if line_end >= 0 else len(norm)]):
                found = at
                break
            at = norm.find(marker, at + 1, found if found >= 0 else len(norm))
    return found


_COMMENT_GAP = re.compile(r"(?<!\s)(\s+)#")  # starts only where a run of blanks starts
_SIMPLE_LINE = re.compile(
    r"^([A-Za-z_][A-Za-z0-9_-]*):(?: +([A-Za-z_][A-Za-z0-9_./-]*))?(?: +#.*)? *$"
)
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def simple_mapping(yaml_text: str) -> dict[str, Any] | None:
    """A flat mapping of ``key: word`` lines and ``#`` comment lines, read without YAML.

    Only text whose every value is a plain word that no YAML version resolves to anything
    but a string; None for anything richer (lists, quotes, numbers, booleans, null, dates,
    duplicate keys, directives, indentation), which then goes to ruamel as before.
    """
    data: dict[str, Any] = {}
    for line in yaml_text.split("\n"):
        if not line or line.startswith("#"):
            continue
        match = _SIMPLE_LINE.match(line)
        if match is None or match.group(2) is None:
            return None
        key, value = match.group(1), match.group(2)
        if key in data or key.lower() in _YAML_WORDS or value.lower() in _YAML_WORDS:
            return None
        data[key] = value
    return data or None


def key_lines(yaml_text: str, first_line: int = 1) -> dict[str, int]:
    """1-based file line of each top-level key, by a cheap scan (no YAML parse)."""
    lines: dict[str, int] = {}
    for offset, line in enumerate(yaml_text.split("\n")):
        if line and line[0] not in " \t#-" and ":" in line:
            key = line.split(":", 1)[0].strip().strip("'\"")
            lines.setdefault(key, first_line + offset)
    return lines


def guess_indent(yaml_text: str) -> tuple[int, int]:
    """(sequence indent, dash offset) used by the file's block lists; default (2, 0)."""
    match = re.search(r"^[^\s#][^\n]*:[ \t]*\n( +)- ", yaml_text, re.MULTILINE)
    if match:
        offset = len(match.group(1))
        return offset + 2, offset
    return 2, 0


def split_tail(lines: list[str]) -> tuple[list[str], list[str]]:
    """A key's lines, and the comment and blank lines that trail its value."""
    end = len(lines)
    while end > 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return lines[:end], lines[end:]


def deleted_tails(
    order: list[str], start: int, old: dict[str, list[str]], new: dict[str, list[str]]
) -> list[str]:
    """Comments that trailed keys the edit deleted (they describe what follows)."""
    out: list[str] = []
    for key in order[start:]:
        if key in new:
            break
        out.extend(split_tail(old[key])[1])
    return out


def keep_comment_gap(old_first: str, new_lines: list[str]) -> list[str]:
    """Keep the spacing before an end-of-line comment that ruamel would normalise."""
    after_quotes = max(old_first.rfind("'"), old_first.rfind('"')) + 1
    match = _COMMENT_GAP.search(old_first, after_quotes)
    if not match or not new_lines:
        return new_lines
    gap, comment = match.group(1), old_first[match.end() - 1 :]
    if not new_lines[0].endswith(comment):
        return new_lines
    head = new_lines[0][: -len(comment)].rstrip()
    return [head + gap + comment, *new_lines[1:]]


def read_bytes(path: Path) -> bytes:
    """A file's bytes with plain ``os.read`` calls: a third of ``Path.read_bytes``'s cost,
    which shows over 10,000 records."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)
