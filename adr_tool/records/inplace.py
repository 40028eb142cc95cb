"""Edit a record in its own format: front matter, a Nygard ``## Status`` section, or
MADR 2 / log4brains metadata bullets. Never converts one into another.

Every function here is pure text in, text out; the caller reads and writes (atomically).
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool.errors import Refused
from adr_tool.records import frontmatter
from adr_tool.records.bodymeta import trailing_link

Mutation = Callable[[MutableMapping[str, Any]], None]
TextEdit = Callable[[str], str]

FRONT_MATTER = "front matter"
NYGARD = "nygard"
BULLETS = "bullets"
PLAIN = "plain"

_STATUS_HEADING = re.compile(r"^##\s+(status|상태)\s*$", re.IGNORECASE)
_LINKS_HEADING = re.compile(r"^##\s+(links|링크)\s*$", re.IGNORECASE)
_BULLET = re.compile(r"([*-][ \t]+)([A-Za-z][\w-]*(?: +[\w-]+)*)([ \t]*:[ \t]*)(.*)")


def _bullet(line: str) -> tuple[str, str, str, str, str] | None:
    """``* Key : value  `` → mark, key, colon, value, trailing blanks (no backtracking)."""
    match = _BULLET.fullmatch(line)
    if match is None:
        return None
    value = match.group(4).rstrip(" \t")
    return match.group(1), match.group(2), match.group(3), value, match.group(4)[len(value) :]


def style(text: str) -> str:
    """Which way ``text`` keeps its metadata: front matter, Nygard, bullets or plain."""
    stripped = text.lstrip(frontmatter.BOM)
    if stripped.startswith("---") and frontmatter.split(text).yaml is not None:
        return FRONT_MATTER
    lines = frontmatter.normalise(text)[0].split("\n")
    if any(_STATUS_HEADING.match(line) for line in lines):
        return NYGARD
    for line in lines:
        if line.startswith("## "):
            break
        match = _bullet(line)
        if match and match[1].strip().lower() == "status":
            return BULLETS
    return PLAIN


@dataclass(frozen=True)
class Edit:
    """One change, spelled for each style; None means the style has no place for it."""

    native: Mutation
    nygard: TextEdit | None = None
    bullets: TextEdit | None = None
    what: str = "this change"


def apply(text: str, edit: Edit, path: Path | str) -> str:
    """The new text of a record after ``edit``, in the record's own style."""
    kind = style(text)
    if kind in (FRONT_MATTER, PLAIN):
        return frontmatter.edit(text, edit.native, path)
    transform = edit.nygard if kind == NYGARD else edit.bullets
    if transform is None:
        raise Refused(
            f"{path}: {edit.what} has no place in a {kind}-style record; "
            "run 'adr migrate --write' to move it to front matter first"
        )
    return transform(text)


# --- Nygard ------------------------------------------------------------------------


def _lines(text: str) -> tuple[list[str], str]:
    newline = frontmatter.detect_newline(text.lstrip(frontmatter.BOM))
    return text.split(newline), newline


def nygard_status_lines(text: str, transform: Callable[[list[str]], list[str]]) -> str:
    """Rewrite the paragraphs of a Nygard ``## Status`` section, keeping everything else.

    The section is rebuilt as one paragraph per item, blank lines between; when the
    paragraphs do not change, the text comes back untouched.
    """
    lines, newline = _lines(text)
    start = next((i for i, line in enumerate(lines) if _STATUS_HEADING.match(line)), None)
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    body = [line for line in lines[start + 1 : end] if line.strip()]
    new_body = transform(body)
    if new_body == body:
        return text
    block = [""]
    for paragraph in new_body:
        block += [paragraph, ""]
    return newline.join(lines[: start + 1] + block + lines[end:])


def is_link_paragraph(paragraph: str) -> bool:
    return trailing_link(paragraph) is not None


def _cased(word: str, like: str) -> str:
    if like.islower():
        return word.lower()
    if like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:]


def nygard_set_status(text: str, status: str) -> str:
    """Replace the status word paragraph (keeping its capitalisation style)."""

    def transform(paragraphs: list[str]) -> list[str]:
        for index, paragraph in enumerate(paragraphs):
            if not is_link_paragraph(paragraph) and not paragraph.lstrip().startswith("<!--"):
                out = list(paragraphs)
                out[index] = _cased(status, paragraph.strip())
                return out
        return [_cased(status, "Accepted"), *paragraphs]

    return nygard_status_lines(text, transform)


def nygard_status_word(text: str) -> str:
    found: list[str] = []

    def transform(paragraphs: list[str]) -> list[str]:
        for paragraph in paragraphs:
            if not is_link_paragraph(paragraph) and not paragraph.lstrip().startswith("<!--"):
                found.append(paragraph.strip().split()[0].strip(".,:;").lower())
                break
        return paragraphs

    nygard_status_lines(text, transform)
    return found[0] if found else ""


def set_date_line(text: str, date: str) -> str:
    """Replace the value of the first ``Date:`` line (Nygard) in place."""
    lines, newline = _lines(text)
    for index, line in enumerate(lines):
        match = re.match(r"(Date:[ \t]*)\S", line, re.IGNORECASE)
        if match:
            lines[index] = match.group(1) + date + line[len(line.rstrip(" \t")) :]
            return newline.join(lines)
        if line.startswith("## "):
            break
    return text


# --- MADR 2 / log4brains bullets ---------------------------------------------------------


def bullet_value(text: str, key: str) -> str | None:
    lines, _ = _lines(text)
    for line in lines:
        if line.startswith("## "):
            break
        match = _bullet(line)
        if match and match[1].strip().lower() == key.lower():
            return match[3]
    return None


def set_bullet(text: str, key: str, value: str) -> str:
    """Replace the value of the ``* Key: value`` bullet above the first ``##``; no-op if absent."""
    lines, newline = _lines(text)
    for index, line in enumerate(lines):
        if line.startswith("## "):
            break
        match = _bullet(line)
        if match and match[1].strip().lower() == key.lower():
            lines[index] = match[0] + match[1] + match[2] + value + match[4]
            return newline.join(lines)
    return text


def _links_section(lines: list[str]) -> tuple[int, int] | None:
    start = next((i for i, line in enumerate(lines) if _LINKS_HEADING.match(line)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return start, end


def add_links_bullet(text: str, item: str) -> str:
    """Add ``* item`` to the ``## Links`` section (created at the end when missing), once."""
    lines, newline = _lines(text)
    bounds = _links_section(lines)
    marker = "*"
    if bounds is None:
        while lines and lines[-1] == "":
            lines.pop()
        return newline.join([*lines, "", "## Links", "", f"{marker} {item}", ""])
    start, end = bounds
    bullets = [i for i in range(start + 1, end) if re.match(r"^[*-][ \t]", lines[i])]
    if bullets:
        marker = lines[bullets[0]][0]
    if any(lines[i][1:].strip() == item for i in bullets):
        return text
    if bullets:
        at = bullets[-1] + 1
        new = [f"{marker} {item}"]
    else:
        at = start + 1
        new = ["", f"{marker} {item}"]
    return newline.join(lines[:at] + new + lines[at:])


def remove_links_bullets(text: str, drop: Callable[[str], bool]) -> str:
    """Remove the ``## Links`` bullets whose text makes ``drop`` true."""
    lines, newline = _lines(text)
    bounds = _links_section(lines)
    if bounds is None:
        return text
    start, end = bounds
    section = [
        line
        for line in lines[start + 1 : end]
        if not (re.match(r"^[*-][ \t]", line) and drop(line[1:].strip()))
    ]
    if len(section) == end - start - 1:
        return text
    if any(line.strip() for line in section):
        return newline.join(lines[: start + 1] + section + lines[end:])
    rest = lines[:start] + lines[end:]  # the section is empty now: remove it
    if end == len(lines):
        while rest and rest[-1] == "":
            rest.pop()
        rest.append("")
    return newline.join(rest)
