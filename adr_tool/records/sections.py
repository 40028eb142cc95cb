"""A record's body cut into its title (the first H1) and its ``##`` sections.

Headings inside fenced code blocks do not count. Most bodies are cut by finding their
heading lines with one pattern and slicing between them; the line-by-line walk is kept
for bodies with code fences and other rare layouts, and as the reference the tests
compare with.
"""

from __future__ import annotations

import re

from adr_tool.model import Section
from adr_tool.records.text import heading

H1_NUMBER = re.compile(r"^\s*\d+\.\s+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# An H1 or H2 line after a newline: ``#`` or ``##`` before a blank other than a newline
# (``heading``'s marks; ``###`` backs off to ``##`` and ``#`` and fails), then the rest of
# the line. Linear: each part stops at a character the next cannot start with.
_HEADING_LINE = re.compile(r"\n(##?)(?=[^\S\n])([^\n]*)")
# ``Section(heading, line, text)`` without the NamedTuple's Python-level ``__new__``: one
# C call (the same tuple of the same class), made for every section of every record
_section = tuple.__new__


def parse_body(body: str, first_line: int) -> tuple[str, int, tuple[Section, ...]]:
    """Title (first H1, ``N. `` stripped), its line, and the ``##`` sections of a body.

    Only the H1 and H2 lines are looked at (found by one pattern, ``_HEADING_LINE``), and
    each section's text is sliced out of the body. A body with a code fence is walked line by
    line (:func:`parse_lines`), as is the rare H1 title that comes after a section.
    """
    if ("`" in body and "```" in body) or ("~" in body and "~~~" in body):
        return parse_lines(body, first_line)  # (one character first: memchr is quickest)
    title, title_line = "", 0
    sections: list[Section] = []
    current: tuple[str, int, int] | None = None  # heading, line, where its text starts
    line, counted = 0, 0
    # matched in "\n" + body: a match's start is the body index of its marks, its end
    # the body index just past the heading line's newline
    for match in _HEADING_LINE.finditer("\n" + body):
        marks, rest = match.groups()
        start, end = match.span()
        line += body.count("\n", counted, start)
        counted = start
        text = rest.strip().rstrip("#").rstrip()  # as ``heading``
        if len(marks) == 2:
            if current is not None:
                heading_text, heading_line, begin = current
                sections.append(
                    _section(Section, (heading_text, heading_line, body[begin : start - 1], 2))
                )
            current = (text, first_line + line, end)
        elif not title:
            if current is not None:
                return parse_lines(body, first_line)  # the title inside a section
            title, title_line = H1_NUMBER.sub("", text).strip(), first_line + line
    if current is not None:
        sections.append(_section(Section, (current[0], current[1], body[current[2] :], 2)))
    return title, title_line, tuple(sections)


def parse_lines(body: str, first_line: int) -> tuple[str, int, tuple[Section, ...]]:
    """:func:`parse_body`, one line at a time: the reference, and the rare layouts."""
    title, title_line = "", 0
    sections: list[Section] = []
    current: tuple[str, int, int] | None = None
    buffer: list[str] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if ("`" in line or "~" in line) and _FENCE.match(line):
            in_fence = not in_fence
        # a heading starts with its marks (see ``heading``): test one character first
        found = None if in_fence or line[:1] != "#" else heading(line)
        if found and found[0] <= 2:
            level, text = found
            if level == 1 and not title:
                title, title_line = H1_NUMBER.sub("", text).strip(), first_line + offset
                continue
            if level == 2:
                if current is not None:
                    sections.append(Section(current[0], current[1], "\n".join(buffer), current[2]))
                current, buffer = (text, first_line + offset, level), []
                continue
        if current is not None:
            buffer.append(line)
    if current is not None:
        sections.append(Section(current[0], current[1], "\n".join(buffer), current[2]))
    return title, title_line, tuple(sections)
