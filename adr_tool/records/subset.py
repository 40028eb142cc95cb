"""Front matter in the block style records are written in, read without a YAML library.

A strict subset of YAML: top-level ``key: value`` lines, ``key:`` followed by a block list
whose items are plain values or small ``key: value`` mappings, flow lists ``[a, b]`` and
flow mappings ``{rel: Amends, to: 5}`` of plain values, whole-line and end-of-line
comments, blank lines. A value is a plain word or phrase, a decimal integer, an ISO date
``2015-04-02``, a commit hash, or a quoted string without escapes.

:func:`read` returns exactly what ruamel's safe loader returns for the text (the same
values, types and key order), or None for anything it is not certain about; ruamel stays
the authority for all of YAML. tests/test_frontmatter_subset.py compares the two.
"""

from __future__ import annotations

import datetime as dt
import re

Value = str | int | dt.date | None | list["Value"] | dict[str, "Value"]

# A key line: its indent, a list item's dash, the key (a word YAML reads as a string;
# reserved spellings are refused below) and what follows ``: ``. Linear: the parts
# start with different characters.
_LINE = re.compile(r"( *)(- )?([A-Za-z_][A-Za-z0-9_-]{0,199}):(?: (.*))?")
# A plain value led by one of these with no ``:`` or ``#`` anywhere (so no ``: ``, `` #``
# or trailing ``:``) is a string for certain, unless it is a reserved word.
_PLAIN_LEAD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_FLOW_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,199}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"0|[1-9][0-9]{0,17}")
_HEX = re.compile(r"[0-9a-f]{4,64}")
# Words YAML 1.2 (and 1.1, to be safe) resolves to a boolean or null, in any case.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})
_FLOW_STOP = frozenset("[]{},:#\"'")  # flow indicators, comments and quotes
_ITEM_STOP = _FLOW_STOP - {","}  # what a flow list of plain items has none of
_NO_DIGITS = str.maketrans("", "", "0123456789")


class _Reject(Exception):
    """Raised inside the reader: the text is outside the subset."""


def read(yaml_text: str) -> dict[str, Value] | None:
    """The front matter as ruamel's safe loader reads it, or None outside the subset.

    What it accepts has no alias, tag or anchor (``*``, ``!`` and ``&`` never lead a
    value) and nests five levels at most, so the depth and expansion limits that
    ``frontmatter.load`` applies before ruamel cannot be reached by it.
    """
    if not yaml_text or "\t" in yaml_text or "\\" in yaml_text:
        return None
    if not yaml_text.replace("\n", " ").isprintable():
        return None
    try:
        data = _document(yaml_text.split("\n"), {}, 1)
    except _Reject:
        return None
    return data or None


def read_with_lines(
    yaml_text: str, first_line: int
) -> tuple[dict[str, Value], dict[str, int]] | None:
    """:func:`read`, and the file line of each top-level key (what ``text.key_lines``
    finds in any text the subset accepts: each such line is a ``key:`` line), in one walk."""
    if not yaml_text or "\t" in yaml_text or "\\" in yaml_text:
        return None
    if not yaml_text.replace("\n", " ").isprintable():
        return None
    lines: dict[str, int] = {}
    try:
        data = _document(yaml_text.split("\n"), lines, first_line)
    except _Reject:
        return None
    return (data, lines) if data else None


def _document(lines: list[str], key_lines: dict[str, int], first_line: int) -> dict[str, Value]:
    """The mapping; each top-level key's file line goes into ``key_lines``."""
    data: dict[str, Value] = {}
    pending: str | None = None  # a top-level key with no value on its line yet
    seq: list[Value] | None = None  # the block list under the last key
    dash = 0  # the column of that list's dashes
    item: dict[str, Value] | None = None  # the mapping in the current list item
    for number, line in enumerate(lines, first_line):
        match = _LINE.fullmatch(line)
        if match is None:  # a blank or comment line, a plain list item, or no subset
            text = line.lstrip(" ")
            if not text or text[0] == "#":
                continue
            if text[:2] != "- " or text[2:3] in ("", " "):
                raise _Reject
            seq, dash = _list(data, pending, seq, dash, len(line) - len(text))
            seq.append(_value(text[2:]))
            item = None
            continue
        blanks, dashed, key, rest = match.groups()
        rest = rest.strip(" ") if rest else ""
        if rest[:1] == "#":
            rest = ""  # ``key:  # a comment``: no value on this line
        if len(key) < 6 and key.lower() in _RESERVED:
            raise _Reject  # a key YAML reads as a boolean or null
        if dashed is None and not blanks:  # a top-level key
            if pending is not None and seq is None:
                data[pending] = None
            if key in data:
                raise _Reject
            key_lines[key] = number
            seq, item = None, None
            if rest:
                data[key], pending = _value(rest), None
            else:
                pending = key
            continue
        if dashed is not None:  # ``- key: value`` starts a mapping in the list
            seq, dash = _list(data, pending, seq, dash, len(blanks))
            item = {}
            seq.append(item)
        elif item is None or len(blanks) != dash + 2 or key in item:
            raise _Reject
        if not rest:
            raise _Reject  # a nested block under an item key: ruamel's business
        # ``_value``'s first case inline (no reserved word is this long): most item values
        plain = len(rest) > 5 and rest[0] in _PLAIN_LEAD and ":" not in rest and "#" not in rest
        item[key] = rest if plain else _value(rest)
    if pending is not None and seq is None:
        data[pending] = None
    return data


def _list(
    data: dict[str, Value], pending: str | None, seq: list[Value] | None, dash: int, at: int
) -> tuple[list[Value], int]:
    """The block list a ``- `` line at column ``at`` belongs to, and its dashes' column."""
    if seq is None and pending is not None:
        seq = data[pending] = []
        return seq, at
    if seq is None or at != dash:
        raise _Reject
    return seq, dash


def _value(text: str) -> Value:
    """A value written after ``key: `` (or ``- ``), blanks around it already stripped."""
    if text[0] in _PLAIN_LEAD and ":" not in text and "#" not in text:
        if len(text) < 6 and text.lower() in _RESERVED:
            raise _Reject
        return text
    lead = text[0]
    if lead == '"' or lead == "'":
        end = text.find(lead, 1)
        if end < 0:
            raise _Reject
        _comment_only(text[end + 1 :])
        return text[1:end]
    cut = text.find(" #")
    if cut >= 0:
        text = text[:cut].rstrip(" ")
    if lead == "[":
        if text[-1] != "]":
            raise _Reject
        return _flow_list(text[1:-1])
    if lead == "{":
        if text[-1] != "}":
            raise _Reject
        return _flow_map(text[1:-1])
    return _scalar(text, flow=False)


def _comment_only(tail: str) -> None:
    """What follows a closing quote: blanks, or blanks and a comment."""
    rest = tail.lstrip(" ")
    if rest and (rest[0] != "#" or len(rest) == len(tail)):
        raise _Reject


def _flow_list(inner: str) -> list[Value]:
    """The items of ``[…]``, walked by index (no copy of the rest per item: linear)."""
    if not inner.strip(" "):
        return []
    out: list[Value] = []
    if _ITEM_STOP.isdisjoint(inner):  # plain items only: the walk below, item by item
        for part in inner.split(","):
            item = part.strip(" ")
            if item[:1] in _PLAIN_LEAD and (len(item) > 5 or item.lower() not in _RESERVED):
                out.append(item)  # what ``_scalar`` returns for it
            else:
                out.append(_scalar(item, flow=True))
        return out
    pos, end = _skip_blanks(inner, 0), len(inner)
    while True:
        if inner.startswith("{", pos):
            close = inner.find("}", pos)
            if close < 0:
                raise _Reject
            out.append(_flow_map(inner[pos + 1 : close]))
            pos = _skip_blanks(inner, close + 1)
            if pos == end:
                return out
            if inner[pos] != ",":
                raise _Reject
            pos = _skip_blanks(inner, pos + 1)
            continue
        comma = inner.find(",", pos)
        out.append(_scalar(inner[pos : end if comma < 0 else comma].strip(" "), flow=True))
        if comma < 0:
            return out
        pos = _skip_blanks(inner, comma + 1)


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _flow_map(inner: str) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for part in inner.split(","):
        key, colon, value = part.strip(" ").partition(": ")
        if not colon or _FLOW_KEY.fullmatch(key) is None:
            raise _Reject
        if key in out or key.lower() in _RESERVED:
            raise _Reject
        out[key] = _scalar(value.strip(" "), flow=True)
    return out


def _scalar(text: str, flow: bool) -> Value:
    """A plain scalar on one line: a string, a decimal integer, an ISO date or a hash.

    Only a letter, ``_`` or a digit may lead (YAML's indicators and the characters its
    resolvers key on do not); a leading digit must make one of the numbers proven alike.
    """
    if not text:
        raise _Reject
    lead = text[0]
    if lead.isdigit():
        return _number(text)
    if not (lead.isalpha() or lead == "_"):
        raise _Reject
    if flow:
        if not _FLOW_STOP.isdisjoint(text):
            raise _Reject
    elif ": " in text or text[-1] == ":" or " #" in text:
        raise _Reject
    if text.lower() in _RESERVED:
        raise _Reject
    return text


def _number(text: str) -> Value:
    if _INT.fullmatch(text):
        return int(text)
    if _DATE.fullmatch(text):
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:  # no real day (2026-02-30): text, as the YAML loader keeps it
            return text
    if _HEX.fullmatch(text):
        letters = text.translate(_NO_DIGITS)  # a hash has only digits and a-f
        # ``0b101`` and ``1e5`` are numbers: one letter, ``b`` or ``e``, may make one
        if len(letters) >= 2 or (letters and letters[0] in "acdf"):
            return text
    raise _Reject
