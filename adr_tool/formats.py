"""Readers that turn a record file, whatever its style, into a Decision.

Never raises on bad content: what cannot be understood becomes a Problem on the
Decision, which ``adr check`` reports with its path and line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from adr_tool import frontmatter
from adr_tool.errors import ParseError
from adr_tool.model import (
    Decision,
    Link,
    Problem,
    Section,
    TradeOff,
    number_from_filename,
    parse_ref,
)

H1_NUMBER = re.compile(r"^\s*\d+\.\s+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LINK_TARGET = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_SUPERSEDED_BY = re.compile(r"^superse[dc]ed\s+by\b[:\s]*(.*)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^Date:\s*(\S.*?)\s*$", re.IGNORECASE)

CODE_UNPARSEABLE = "ADR001"
CODE_BAD_FIELD = "ADR015"


def parse_body(body: str, first_line: int) -> tuple[str, int, tuple[Section, ...]]:
    """Title (first H1, ``N. `` stripped), its line, and the ``##`` sections of a body."""
    title, title_line = "", 0
    sections: list[Section] = []
    current: tuple[str, int, int] | None = None
    buffer: list[str] = []
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            level, text = len(heading.group(1)), heading.group(2)
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


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return None


def _text_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    if isinstance(value, list):
        out = [_text(v) for v in value]
        if any(v is None for v in out):
            return None
        return tuple(v for v in out if v)
    return None


def _ref_list(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[int] = []
    for item in items:
        number = parse_ref(item)
        if number is None and isinstance(item, str):
            number = _ref_from_link(item)
        if number is None:
            return None
        out.append(number)
    return tuple(out)


def _ref_from_link(text: str) -> int | None:
    target = _MD_LINK_TARGET.search(text)
    if target:
        return number_from_filename(Path(target.group(1)).name)
    match = re.search(r"(?:adr[-_ ]?)?0*(\d{1,9})\b", text, re.IGNORECASE)
    return int(match.group(1)) if match else None


class _Fields:
    """Collects typed values from front matter, turning wrong types into problems."""

    def __init__(self, data: dict[str, Any], lines: dict[str, int]) -> None:
        self.data = data
        self.lines = lines
        self.problems: list[Problem] = []

    def bad(self, key: str, expected: str) -> None:
        self.problems.append(
            Problem(CODE_BAD_FIELD, f"'{key}' must be {expected}", self.lines.get(key, 1))
        )

    def text(self, *keys: str) -> str:
        for key in keys:
            if key in self.data:
                value = _text(self.data[key])
                if value is None:
                    self.bad(key, "a single value")
                    return ""
                return value
        return ""

    def texts(self, *keys: str) -> tuple[str, ...]:
        for key in keys:
            if key in self.data:
                value = _text_list(self.data[key])
                if value is None:
                    self.bad(key, "a list of names")
                    return ()
                return value
        return ()

    def refs(self, key: str) -> tuple[int, ...]:
        value = _ref_list(self.data.get(key))
        if value is None:
            self.bad(key, "a list of record numbers, e.g. [3, 5]")
            return ()
        return value

    def tradeoffs(self) -> tuple[TradeOff, ...]:
        raw = self.data.get("tradeoffs")
        if raw is None:
            return ()
        line = self.lines.get("tradeoffs", 1)
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.bad("tradeoffs", "a list of {axis, favours, cost, revisit-when} items")
            return ()
        out = []
        for item in raw:
            values = {k: _text(item.get(k)) for k in ("axis", "favours", "cost", "revisit-when")}
            if any(v is None for v in values.values()):
                self.bad("tradeoffs", "a list of items whose values are plain text")
                continue
            out.append(
                TradeOff(
                    axis=values["axis"] or "",
                    favours=values["favours"] or "",
                    cost=values["cost"] or "",
                    revisit_when=values["revisit-when"] or "",
                    line=line,
                )
            )
        return tuple(out)

    def links(self) -> tuple[Link, ...]:
        raw = self.data.get("links")
        if raw is None:
            return ()
        out = []
        for item in raw if isinstance(raw, list) else [raw]:
            to = parse_ref(item.get("to")) if isinstance(item, dict) else None
            rel = _text(item.get("rel")) if isinstance(item, dict) else None
            if to is None or not rel:
                self.bad("links", "a list of {rel: Amends, to: 5} items")
                return ()
            out.append(Link(rel, to))
        return tuple(out)


NATIVE_KEYS = frozenset(
    {
        "status",
        "date",
        "decision-makers",
        "deciders",
        "consulted",
        "informed",
        "tags",
        "tradeoffs",
        "supersedes",
        "superseded-by",
        "links",
        "commits",
        "review-by",
    }
)


def _status(raw_status: str) -> tuple[str, tuple[int, ...]]:
    """``accepted`` → ("accepted", ()); ``superseded by ADR-0012`` → ("superseded", (12,))."""
    text = raw_status.strip()
    match = _SUPERSEDED_BY.match(text)
    if match:
        ref = _ref_from_link(match.group(1)) if match.group(1) else None
        return "superseded", ((ref,) if ref is not None else ())
    word = text.split()[0] if text.split() else ""
    return word.strip(".,:;").lower(), ()


def parse_native(path: Path, text: str, number: int) -> Decision:
    problems: list[Problem] = []
    try:
        parts = frontmatter.split(text, path)
    except ParseError as exc:
        problems.append(Problem(CODE_UNPARSEABLE, exc.message, exc.line or 1))
        norm = frontmatter.normalise(text)[0]
        title, title_line, sections = parse_body(norm, 1)
        return Decision(
            number, path, title, title_line=title_line, sections=sections, problems=tuple(problems)
        )
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if parts.yaml is not None:
        lines = frontmatter.key_lines(parts.yaml, parts.yaml_line)
        try:
            data = frontmatter.load(parts.yaml, path, parts.yaml_line)
        except ParseError as exc:
            problems.append(Problem(CODE_UNPARSEABLE, exc.message, exc.line or 1))
    title, title_line, sections = parse_body(parts.body, parts.body_line)
    fields = _Fields(data, lines)
    status, superseded_by = _status(fields.text("status"))
    superseded_by = fields.refs("superseded-by") or superseded_by
    decision = Decision(
        number=number,
        path=path,
        title=title,
        status=status,
        date=fields.text("date"),
        decision_makers=fields.texts("decision-makers", "deciders"),
        consulted=fields.texts("consulted"),
        informed=fields.texts("informed"),
        tags=fields.texts("tags"),
        tradeoffs=fields.tradeoffs(),
        supersedes=fields.refs("supersedes"),
        superseded_by=superseded_by,
        links=fields.links(),
        commits=fields.texts("commits"),
        review_by=fields.text("review-by"),
        sections=sections,
        format="native" if parts.yaml is not None else "markdown",
        title_line=title_line,
        key_lines=lines,
        extra={k: v for k, v in data.items() if k not in NATIVE_KEYS},
        problems=tuple(problems + fields.problems),
    )
    return decision


def parse_nygard(path: Path, text: str, number: int) -> Decision:
    """adr-tools / Nygard: ``# N. Title``, ``Date:`` line, ``## Status`` section."""
    norm = frontmatter.normalise(text)[0]
    title, title_line, sections = parse_body(norm, 1)
    date = ""
    key_lines: dict[str, int] = {}
    for offset, line in enumerate(norm.split("\n")):
        match = _DATE_LINE.match(line)
        if match:
            date = _nygard_date(match.group(1))
            key_lines["date"] = offset + 1
            break
    status = ""
    supersedes: list[int] = []
    superseded_by: list[int] = []
    links: list[Link] = []
    status_section = next((s for s in sections if s.kind == "status"), None)
    if status_section is not None:
        key_lines["status"] = status_section.line
        paragraphs = [p.strip() for p in status_section.text.split("\n") if p.strip()]
        for paragraph in paragraphs:
            if paragraph.startswith("<!--"):
                continue
            rel, target = _status_link(paragraph)
            if target is not None and rel:
                lowered = rel.lower()
                if lowered in ("supersedes", "supercedes"):
                    supersedes.append(target)
                elif lowered in ("superseded by", "superceded by"):
                    superseded_by.append(target)
                else:
                    links.append(Link(rel, target))
            elif not status:
                status = _status(paragraph)[0]
    if superseded_by and status in ("", "accepted", "proposed"):
        status = "superseded"
    return Decision(
        number=number,
        path=path,
        title=title,
        status=status,
        date=date,
        supersedes=tuple(supersedes),
        superseded_by=tuple(superseded_by),
        links=tuple(links),
        sections=sections,
        format="nygard",
        title_line=title_line,
        key_lines=key_lines,
    )


def _status_link(paragraph: str) -> tuple[str, int | None]:
    """``Superseded by [3. X](0003-x.md)`` → ("Superseded by", 3)."""
    match = re.match(r"^(.*?)\s*\[[^\]]*\]\(([^)\s]+)\)\s*$", paragraph)
    if not match:
        return "", None
    return match.group(1).strip(), number_from_filename(Path(match.group(2)).name)


def _nygard_date(value: str) -> str:
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value)
    if match:
        day, month, year = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return value


def detect(text: str) -> str:
    """Which reader a file needs: ``native`` (front matter) or ``nygard``."""
    stripped = text.lstrip("\ufeff")
    if stripped.startswith("---"):
        return "native"
    head = stripped[:4000]
    if re.search(r"^##\s+(Status|상태)\s*$", head, re.MULTILINE | re.IGNORECASE):
        return "nygard"
    return "native"


def parse(path: Path, text: str) -> Decision:
    """Read any supported record style; never raises on bad content."""
    number = number_from_filename(path.name)
    fmt = detect(text)
    if fmt == "nygard":
        decision = parse_nygard(path, text, number or 0)
    else:
        decision = parse_native(path, text, number or 0)
    return decision


def read(path: Path) -> Decision:
    """Read and parse a file; unreadable bytes become a problem, not an exception."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Decision(
            number_from_filename(path.name) or 0,
            path,
            "",
            problems=(Problem(CODE_UNPARSEABLE, f"cannot read: {exc.strerror}"),),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("utf-8", errors="replace")
        decision = parse(path, text)
        problem = Problem(CODE_UNPARSEABLE, "file is not valid UTF-8", line)
        return _with_problem(decision, problem)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _with_problem(
            parse(path, text.replace("\x00", "")),
            Problem(CODE_UNPARSEABLE, "file contains NUL bytes", line),
        )
    return parse(path, text)


def _with_problem(decision: Decision, problem: Problem) -> Decision:
    from dataclasses import replace

    return replace(decision, problems=(*decision.problems, problem))
