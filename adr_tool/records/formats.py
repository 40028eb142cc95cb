"""Readers that turn a record file, whatever its style, into a Decision.

One reader, detected per file (a folder may mix styles): front matter (native, MADR 3/4,
site keys only), adr-tools / Nygard (``# N. Title``, ``Date:``, ``## Status``), MADR 1–2 and
log4brains bullet metadata, ``## Links`` sections. Front matter wins over the body.

Never raises on bad content: what cannot be understood becomes a Problem on the
Decision, which ``adr check`` reports with its path and line.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from adr_tool.errors import ParseError
from adr_tool.model import (
    PENDING,
    SECTION_KINDS,
    Decision,
    Link,
    Problem,
    Section,
    built_decision,
    number_from_filename,
)
from adr_tool.records import bodymeta, frontmatter, subset
from adr_tool.records.fields import Fields
from adr_tool.records.rationale import has_rationale
from adr_tool.records.sections import parse_body
from adr_tool.records.text import read_bytes

CODE_UNPARSEABLE = "ADR001"
CODE_NOT_UNDERSTOOD = bodymeta.CODE_NOT_UNDERSTOOD
# Front matter this short is within ``frontmatter.load``'s size limit whatever its
# characters (four UTF-8 bytes at most each), so the subset reader may read it directly.
_SMALL = frontmatter.MAX_FRONT_MATTER // 4


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
        "scope",
    }
)
# Front matter keys that make a record's metadata "front matter first" (else: site keys).
_METADATA_KEYS = NATIVE_KEYS - {"commits", "review-by", "tradeoffs", "scope"}


class Scan(NamedTuple):
    """A parsed record plus what ``adr migrate`` needs: which body lines were metadata."""

    decision: Decision
    consumed: dict[str, list[int]]
    front_keys: frozenset[str] = frozenset()
    slug_lines: frozenset[int] = frozenset()  # relations naming a log4brains slug
    raw_status: str = ""  # the status as written in the body


def identity(name: str) -> tuple[int, str]:
    """Number and ref from a file name; log4brains names get number 0 and their slug."""
    if bodymeta.log4brains_date(name) is not None:
        return 0, name[:-3]
    return number_from_filename(name) or 0, ""


def dedupe(items: list[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def scan(path: Path, text: str) -> Scan:
    """Read any supported style into a Decision, keeping track of the metadata lines."""
    decision, meta, data = _scan(path, text)
    return Scan(
        decision,
        meta.consumed,
        frozenset(data),
        frozenset(line for _, _, target, line in meta.relations if isinstance(target, str)),
        meta.raw.get("status", ""),
    )


def _scan(path: Path, text: str) -> tuple[Decision, bodymeta.BodyMeta, dict[str, Any]]:
    """:func:`scan`'s work; :func:`parse` keeps only the Decision."""
    name = path.name
    log4brains = bodymeta.log4brains_date(name)
    number, ref = (0, name[:-3]) if log4brains is not None else identity(name)
    problems: list[Problem] = []
    try:
        parts = frontmatter.split(text, path)
        yaml_text, body, body_line = parts.yaml, parts.body, parts.body_line
    except ParseError as exc:
        problems.append(_parse_problem(exc))
        yaml_text, body, body_line = None, frontmatter.normalise(text)[0], 1
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if yaml_text is not None:
        simple = subset.read_with_lines(yaml_text, 2) if len(yaml_text) <= _SMALL else None
        if simple is not None:  # what ``key_lines`` and ``load`` give, in one walk
            data, lines = simple
        else:
            lines = frontmatter.key_lines(yaml_text, 2)
            try:
                data = frontmatter.load(yaml_text, path, 2)
            except ParseError as exc:
                problems.append(_parse_problem(exc))
    title, title_line, sections = parse_body(body, body_line)
    # each section's kind once: ``Section.kind`` (headings come stripped from parse_body)
    kinds = [SECTION_KINDS.get(section.heading.lower()) for section in sections]
    fields = Fields(data, lines)
    known = frozenset([k for k, v in data.items() if v not in (None, "", [])])
    if "deciders" in known:
        known = known | {"decision-makers"}
    head = _head_lines(body, body_line, title_line, sections)
    meta = bodymeta.scan(head, body_line, title_line, sections, known, kinds)
    # ``Fields`` is asked only of keys the front matter has (others give ``()`` or ``""``
    # there), in the order that words its problems as before
    pending: list[tuple[str, str, str, int]] = []
    supersedes: list[int] = []  # by the body's relations; front matter's are put first
    superseded_by_refs: list[int] = []
    links: list[Link] = list(fields.links()) if "links" in data else []
    fm_status, fm_superseded = "", None
    if "status" in data:
        fm_status, fm_superseded, _ = bodymeta.read_status(fields.text("status"))
    relations = meta.relations
    if fm_superseded is not None:
        status_line = lines.get("status", 1)
        relations = [*relations, ("superseded-by", "Superseded by", fm_superseded, status_line)]
    for kind, rel, target, line in relations:
        if isinstance(target, str):
            pending.append((kind, rel, target, line))
        elif kind == "links":
            links.append(Link(rel, target))
        elif kind == "supersedes":
            supersedes.append(target)
        else:
            superseded_by_refs.append(target)
    values = meta.values
    status = fm_status or values.get("status", "")
    superseded_by = _refs(fields, "superseded-by", superseded_by_refs)
    superseded = superseded_by or any(p[0] == "superseded-by" for p in pending)
    if superseded and not fm_status and status in ("", "accepted", "proposed"):
        status = "superseded"
    if not status and log4brains is not None:
        status = "accepted"  # log4brains: a record without a status is accepted

    date = fields.date("date") if "date" in data else values.get("date", "")
    key_lines = {**meta.lines, **lines}
    extra = {k: v for k, v in data.items() if k not in NATIVE_KEYS}
    if pending:
        extra[PENDING] = tuple(pending)
    outcome = sections[kinds.index("outcome")].text if "outcome" in kinds else None
    decision = built_decision(
        {  # every field, in order: see built_decision
            "number": number,
            "path": path,
            "title": title,
            "status": status,
            "date": date or (log4brains or ""),
            "decision_makers": _names(fields, values, "decision-makers", "deciders"),
            "consulted": _names(fields, values, "consulted"),
            "informed": _names(fields, values, "informed"),
            "tags": fields.names("tags") if "tags" in data else _names(fields, values, "tags"),
            "tradeoffs": fields.tradeoffs() if "tradeoffs" in data else (),
            "supersedes": _refs(fields, "supersedes", supersedes),
            "superseded_by": superseded_by,
            "links": dedupe(links) if links else (),
            "remote_links": dedupe(list(fields.remote)) if fields.remote else (),
            "commits": fields.texts("commits") if "commits" in data else (),
            "review_by": fields.text("review-by") if "review-by" in data else "",
            "scope": fields.patterns("scope") if "scope" in data else (),
            "sections": sections,
            "format": _format(data, meta, log4brains is not None, yaml_text is not None),
            "title_line": title_line,
            "key_lines": key_lines,
            "extra": extra,
            "problems": tuple(problems + fields.problems + meta.problems),
            "author": "",
            "ref": ref,
            "rationale": None if outcome is None else has_rationale(outcome),
        }
    )
    return decision, meta, data


def _refs(fields: Fields, key: str, found: list[int]) -> tuple[int, ...]:
    """Front matter's references under ``key``, then the body's, once each."""
    items = [*fields.refs(key), *found] if key in fields.data else found
    return dedupe(items) if items else ()


def _names(fields: Fields, values: dict[str, str], key: str, alias: str = "") -> tuple[str, ...]:
    """A list of names: from front matter when it has the key (or its alias), else from
    the body's metadata lines (one name a line)."""
    data = fields.data
    if key in data or (alias and alias in data):
        return fields.texts(key, alias) if alias else fields.texts(key)
    value = values.get(key, "")
    return tuple([v for v in value.split("\n") if v]) if value else ()


def _head_lines(body: str, first: int, title_line: int, sections: tuple[Section, ...]) -> list[str]:
    """The body's lines as far as ``bodymeta`` reads them (to the first heading after the
    title, which is at or before the first section), the rest left in one piece."""
    if sections and title_line < sections[0].line:
        return body.split("\n", sections[0].line - first + 1)
    return body.split("\n")


def _format(data: dict[str, Any], meta: bodymeta.BodyMeta, log4brains: bool, fm: bool) -> str:
    """Which style a record is written in; lifecycle edits follow it."""
    if not _METADATA_KEYS.isdisjoint(data):
        return "native"
    if meta.status_section:
        return "nygard"
    if meta.bullets or meta.values:
        return "log4brains" if log4brains else "madr2"
    return "native" if fm else "markdown"


def parse(path: Path, text: str) -> Decision:
    """Read any supported record style; never raises on bad content."""
    try:
        return _scan(path, text)[0]
    except (ValueError, TypeError, RecursionError, AttributeError, IndexError) as exc:
        number, ref = identity(path.name)
        problem = Problem.of(CODE_UNPARSEABLE, "unreadable-record", reason=str(exc))
        return Decision(number, path, "", problems=(problem,), ref=ref)


def read(path: Path) -> Decision:
    """Read and parse a file; unreadable bytes become a problem, not an exception."""
    try:
        raw = read_bytes(path)
    except OSError as exc:
        number, ref = identity(path.name)
        return Decision(
            number,
            path,
            "",
            problems=(Problem.of(CODE_UNPARSEABLE, "unreadable", reason=str(exc.strerror)),),
            ref=ref,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("utf-8", errors="replace")
        decision = parse(path, text)
        problem = Problem.of(CODE_UNPARSEABLE, "not-utf8", line)
        return _with_problem(decision, problem)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _with_problem(
            parse(path, text.replace("\x00", "")),
            Problem.of(CODE_UNPARSEABLE, "nul-bytes", line),
        )
    return parse(path, text)


def _parse_problem(exc: ParseError) -> Problem:
    """ADR001 for front matter that cannot be read, worded as the error was."""
    line = exc.line or 1
    return Problem(CODE_UNPARSEABLE, exc.message, line, "error", exc.key, exc.values)


def _with_problem(decision: Decision, problem: Problem) -> Decision:
    return replace(decision, problems=(*decision.problems, problem))
