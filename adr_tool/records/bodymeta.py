"""Metadata written in the body of a record rather than in front matter.

adr-tools / Nygard keep it in a ``## Status`` section and a ``Date:`` line; MADR 1–2 and
log4brains keep it in a bullet list between the H1 and the first ``##`` heading, and
links in a ``## Links`` section. Pure functions over lines: no I/O, never raise.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath

from adr_tool.model import Problem, Section, number_from_filename, parse_ref

CODE_NOT_UNDERSTOOD = "ADR016"

# Keys of body metadata lines (lower-cased) → the native front matter key.
META_KEYS: dict[str, str] = {
    "status": "status",
    "상태": "status",
    "date": "date",
    "날짜": "date",
    "일자": "date",
    "deciders": "decision-makers",
    "decision-makers": "decision-makers",
    "decision makers": "decision-makers",
    "결정자": "decision-makers",
    "consulted": "consulted",
    "informed": "informed",
    "tags": "tags",
    "태그": "tags",
}
STATUS_ALIASES: dict[str, str] = {
    "superceded": "superseded",
    "제안": "proposed",
    "제안됨": "proposed",
    "승인": "accepted",
    "승인됨": "accepted",
    "채택": "accepted",
    "채택됨": "accepted",
    "거부": "rejected",
    "거부됨": "rejected",
    "기각": "rejected",
    "기각됨": "rejected",
    "폐기": "deprecated",
    "폐기됨": "deprecated",
    "대체됨": "superseded",
}
SUPERSEDES = frozenset({"supersedes", "supercedes", "대체함"})
SUPERSEDED_BY = frozenset({"superseded by", "superceded by", "대체됨"})

Target = int | str  # a record number, or a log4brains slug resolved later
LOG4BRAINS_NAME = re.compile(r"^(\d{4})(\d{2})(\d{2})-(.+)\.md$", re.IGNORECASE)

_META_LINE = re.compile(
    r"^\s*(?:[*+-]\s+)?(?:\*\*|__)?(?P<key>[^:*_\[\]`\s][^:*_\[\]`]{0,39}?)(?:\*\*|__)?\s*:"
    r"(?:\*\*|__)?(?P<value>.*)"
)
_COMMENT = re.compile(r"<!--.*?-->")
_LINK_LINE = re.compile(
    r"^(?P<rel>[^\[\]]*)\[(?P<text>[^\]]*)\]"
    r"\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)(?P<rest>.*)"
)
_SUPERSEDED_BY = re.compile(r"^supe[rs]+[cs]eded\s+by\b\s*:?\s*(.*)$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,2}\s")
_LIST_ITEM = re.compile(r"[*+-]\s+")
_EMPHASIS = "*_`'\"[]()"


def log4brains_date(name: str) -> str | None:
    """``20201016-use-x.md`` → ``2020-10-16``; None when the name is not log4brains style."""
    if name[8:9] != "-":  # YYYYMMDD-: most names are not dated, skip the pattern
        return None
    match = LOG4BRAINS_NAME.match(name)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()[:3])).isoformat()
    except ValueError:
        return None


_DATES = (  # compiled once: ``re.match`` with a string looks its pattern up per call
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b"), (0, 1, 2)),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})\b"), (0, 1, 2)),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b"), (2, 1, 0)),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), (2, 1, 0)),
)
_LINKED = re.compile(r"\[[^\[\]]*\]\(([^)\s]+)")
_NUMBERED = re.compile(r"(?<!\d)(?:adr[-_ ]?)?0*(\d{1,9})\b", re.IGNORECASE)
_PURE_TARGET = re.compile(r"\s*(\[[^\]]*\]\([^)]*\)|\S+)\s*\.?")
_STATUS_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_BULLET = re.compile(r"^\s{0,3}[*+-]\s")
_SEPARATORS = re.compile(r"[,;]")


def read_date(value: str) -> str | None:
    """``2016-02-12``, ``12/02/2016`` (adr-tools' old DD/MM/YYYY), ``2016/02/12`` → ISO."""
    text = value.strip().strip(_EMPHASIS).strip()
    for pattern, order in _DATES:
        match = pattern.match(text)
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]]).isoformat()
            except ValueError:
                return None
    return None


def target_of(text: str) -> Target | None:
    """The record a reference names: ``[3. X](0003-x.md)`` → 3, ``ADR-0012`` → 12, or a slug."""
    link = _LINKED.search(text)
    if link:
        return _link_target(link.group(1))
    number = parse_ref(text.strip().strip(_EMPHASIS))
    if number is not None:
        return number
    match = _NUMBERED.search(text)
    return int(match.group(1)) if match else None


_TRAILING_LINK = re.compile(r"^\s*\)([^)\s]+)\(\][^\]]*\[")


def trailing_link(text: str) -> str | None:
    """The target of the ``[text](target)`` that ends ``text`` (blanks aside), or None.

    Matched on the reversed text, anchored at its start, so that a paragraph of many
    ``[`` or blanks costs one pass instead of a backtracking search from every position.
    """
    match = _TRAILING_LINK.match(text[::-1])
    return match.group(1)[::-1] if match else None


def _link_target(target: str) -> Target | None:
    if "://" in target or target.startswith(("#", "mailto:")):
        return None
    name = PurePosixPath(target.split("#", 1)[0]).name
    if not name.lower().endswith(".md"):
        return None
    if log4brains_date(name) is not None:
        return name[:-3]
    number = number_from_filename(name)
    return number if number is not None else parse_ref(name[:-3])


def read_status(text: str) -> tuple[str, Target | None, bool]:
    """Status word, the record it is superseded by, and whether the text held nothing else."""
    word = text.strip()
    if word.isascii() and word.isalpha():  # ``accepted``: what the steps below make of it
        word = word.lower()
        return STATUS_ALIASES.get(word, word), None, True
    clean = _COMMENT.sub("", text).strip().strip(_EMPHASIS.replace("[", "")).strip()
    match = _SUPERSEDED_BY.match(clean)
    if match:
        rest = match.group(1)
        target = target_of(rest) if rest else None
        pure = not rest or bool(_PURE_TARGET.fullmatch(rest))
        return "superseded", target, pure
    words = _STATUS_WORD.findall(clean)
    if not words:
        return "", None, not clean
    word = words[0].lower()
    rest = clean[clean.lower().find(word) + len(word) :].strip(" \t.,:;!*_")
    pure = not rest or read_date(rest.removeprefix("on ").removeprefix("since ")) is not None
    return STATUS_ALIASES.get(word, word), None, pure


def relation(rel: str) -> str:
    """``supersedes`` / ``superseded-by`` / ``links`` for a link line's relation text."""
    key = " ".join(rel.lower().strip(" :").split())
    if key in SUPERSEDES:
        return "supersedes"
    if key in SUPERSEDED_BY:
        return "superseded-by"
    return "links"


class BodyMeta:
    """What the body says: values by native key, the lines that said it, links, problems.

    A plain class, filled in as the body is read (no dataclass: see decision 0060)."""

    __slots__ = (
        "bullets",
        "consumed",
        "lines",
        "problems",
        "raw",
        "relations",
        "status_section",
        "values",
    )

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.raw: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.consumed: dict[str, list[int]] = {}
        self.relations: list[tuple[str, str, Target, int]] = []
        self.problems: list[Problem] = []
        self.status_section = False
        self.bullets = False

    def take(self, key: str, line: int) -> None:
        self.consumed.setdefault(key, []).append(line)

    def warn(self, key: str, line: int, /, **values: str) -> None:
        """ADR016 worded by message ``key`` (see ``adr_tool.wording``)."""
        self.problems.append(Problem.of(CODE_NOT_UNDERSTOOD, key, line, "warning", **values))


def scan(
    body_lines: list[str],
    first_line: int,
    title_line: int,
    sections: tuple[Section, ...],
    known: frozenset[str] = frozenset(),
    kinds: list[str | None] | None = None,
) -> BodyMeta:
    """Read the metadata lines of a body. ``first_line`` is the file line of body line 0.

    Keys in ``known`` (already set by front matter) are left alone in the body. ``kinds``:
    each section's ``kind``, when the caller has them already.
    """
    meta = BodyMeta()
    _preamble(meta, body_lines, first_line, title_line, known)
    if kinds is None:
        kinds = [section.kind for section in sections]
    for section, kind in zip(sections, kinds, strict=True):
        if kind == "status":
            meta.status_section = True
            known_status = "status" in known or "status" in meta.values
            _status_section(meta, section.text.split("\n"), section.line + 1, known_status)
        elif kind == "links":
            _links_section(meta, section.text.split("\n"), section.line + 1)
    return meta


def _preamble(
    meta: BodyMeta, lines: list[str], first_line: int, title_line: int, known: frozenset[str]
) -> None:
    """Bullets and ``Key: value`` lines between the H1 and the first ``##`` heading."""
    start = title_line - first_line + 1 if title_line else 0
    in_comment = False
    for offset in range(max(start, 0), len(lines)):
        line = lines[offset]
        if not line:
            continue  # (what the steps below make of an empty line, inside a comment or not)
        if line[0] == "#" and _HEADING.match(line):
            break
        if "<!--" in line and "-->" not in line:
            in_comment = True
        if in_comment:
            in_comment = "-->" not in line
            continue
        match = _META_LINE.match(line) if ":" in line else None  # it needs a ``:``
        if not match:
            continue
        key = META_KEYS.get(" ".join(match.group("key").lower().split()))
        if key is None or key in meta.values or key in known:
            continue
        value = _COMMENT.sub("", match.group("value")).strip().strip("*_").strip()
        number = first_line + offset
        if _BULLET.match(line) or match.group(0).lstrip().startswith(("**", "__")):
            meta.bullets = True
        if _accept(meta, key, value, number):
            meta.take(key, number)


def _accept(meta: BodyMeta, key: str, value: str, line: int) -> bool:
    """Record one metadata value; False (and a warning) when it cannot be understood."""
    if not value:
        return False
    if key == "date":
        date = read_date(value)
        if date is None:
            meta.warn("body-date", line, value=value)
            return False
        meta.values["date"], meta.lines["date"] = date, line
        return True
    if key == "status":
        status, superseded_by, pure = read_status(value)
        if not status:
            meta.warn("body-status", line, value=value)
            return False
        meta.values["status"], meta.lines["status"], meta.raw["status"] = status, line, value
        if superseded_by is not None:
            meta.relations.append(("superseded-by", "Superseded by", superseded_by, line))
        return pure
    items = [v.strip().strip("*_") for v in _SEPARATORS.split(value.strip("[]"))]
    if key == "tags" and len(items) == 1:
        items = value.strip("[]").split()
    meta.values[key] = "\n".join(i.lstrip("#") for i in items if i)
    meta.lines[key] = line
    return True


def _status_section(meta: BodyMeta, lines: list[str], first: int, status_known: bool) -> None:
    """adr-tools: the first paragraph is the status; link lines are relations."""
    in_comment = False
    for offset, line in enumerate(lines):
        number = first + offset
        text = line.strip()
        if "<!--" in text and "-->" not in text:
            in_comment = True
        if in_comment or not text or text.startswith("<!--"):
            in_comment = in_comment and "-->" not in text
            continue
        if "[" in text and _relation_line(meta, text, number):  # (a link line has a ``[``)
            continue
        if status_known:
            continue
        status_known = True
        status, superseded_by, pure = read_status(text)
        if not status:
            meta.warn("body-status-section", number, start=text[:40])
            continue
        meta.values["status"], meta.lines["status"], meta.raw["status"] = status, number, text
        if superseded_by is not None:
            meta.relations.append(("superseded-by", "Superseded by", superseded_by, number))
        if pure:
            meta.take("status", number)


def _links_section(meta: BodyMeta, lines: list[str], first: int) -> None:
    for offset, line in enumerate(lines):
        if line.strip():
            _relation_line(meta, line.strip(), first + offset)


def _relation_line(meta: BodyMeta, text: str, line: int) -> bool:
    """``Supersedes [1. X](0001-x.md)`` and the like; True when the line was a relation."""
    match = _LINK_LINE.match(text)
    if not match:
        return False
    href = match.group("target")
    if "://" in href or href.startswith(("#", "mailto:")):
        return False
    target = _link_target(href)
    if target is None:
        meta.warn("body-link", line, href=href)
        return False
    rel = _LIST_ITEM.sub("", match.group("rel").strip(), count=1).strip(" \t:-*") or "Relates to"
    kind = relation(rel)
    meta.relations.append((kind, rel, target, line))
    if not _COMMENT.sub("", match.group("rest")).strip():
        meta.take(kind, line)
    return True
