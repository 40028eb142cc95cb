"""Pure data: decisions, trade-offs, links, ids and slugs. No I/O here."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from adr_tool import wording

DEFAULT_STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
IN_FORCE = frozenset({"accepted"})
RETIRED = frozenset({"superseded", "rejected", "deprecated"})
# A successor retires what it supersedes once it is (or was) in force; a proposal does not.
SUPERSEDING = frozenset({"accepted", "deprecated", "superseded"})


def completes_supersession(status: str) -> bool:
    """True when a record with ``status`` has retired the records it supersedes; while it
    is only proposed (or was rejected) they stay in force with a pending successor."""
    return status.strip().lower() in SUPERSEDING


def pending_successors(decision: Decision, decisions: list[Decision]) -> list[Decision]:
    """Records that name ``decision`` under ``supersedes`` but have not retired it yet
    (one it already names under ``superseded-by`` did: it is no longer pending)."""
    return [
        d
        for d in decisions
        if decision.number in d.supersedes
        and d.number != decision.number
        and d.number not in decision.superseded_by
        and not completes_supersession(d.status)
    ]


# Section headings the tool understands, English and Korean, lower-cased.
SECTION_ALIASES: dict[str, frozenset[str]] = {
    "context": frozenset(
        {"context and problem statement", "context", "배경 및 문제 정의", "배경", "맥락"}
    ),
    "options": frozenset({"considered options", "검토한 선택지", "고려한 선택지"}),
    "outcome": frozenset({"decision outcome", "decision", "결정 결과", "결정"}),
    "tradeoffs": frozenset({"trade-offs", "tradeoffs", "트레이드오프"}),
    "consequences": frozenset({"consequences", "결과와 영향", "결과"}),
    "status": frozenset({"status", "상태"}),
    "links": frozenset({"links", "링크"}),
}

SECTION_KINDS = {name: kind for kind, names in SECTION_ALIASES.items() for name in names}
PENDING = "_pending_refs"  # Decision.extra key: log4brains slugs to resolve per folder

_NUMBER_RE = re.compile(r"^(?:adr-)?(\d{1,9})-", re.IGNORECASE)
# ``payments#12``: a record of another repository (names as ``adr aggregate`` gives them)
REPO_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_REMOTE_REF_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]{0,99})#0*(\d{1,9})\s*$")
_REF_RE = re.compile(r"^\s*(?:adr[-_ ]?)?#?0*(\d{1,9})\s*$", re.IGNORECASE)
# [a-z0-9\u00c0-\U0010ffff] written as its complement: the same set, but it compiles in
# 0.2 ms instead of ~10 ms (a range up to U+10FFFF builds a huge charset), on every start.
_SLUG_CHAR = r"[^\x00-\x2f\x3a-\x60\x7b-\xbf]"
FILENAME_RE = re.compile(rf"^\d{{4}}-{_SLUG_CHAR}+(?:-{_SLUG_CHAR}+)*\.md$")


# The small values every command builds are NamedTuples, not frozen dataclasses: Python
# before 3.13 compiles five methods for each dataclass when its module is imported (about
# 1 ms a class, a tenth of a hook run's own start-up), a NamedTuple one (decision 0060).
# They compare as tuples: never mix two kinds of them in one set or dict.


class TradeOff(NamedTuple):
    """One judgement on one axis: which side was favoured and at what cost."""

    axis: str
    favours: str
    cost: str = ""
    revisit_when: str = ""
    line: int = 0

    def as_json(self) -> dict[str, str]:
        return {
            "axis": self.axis,
            "favours": self.favours,
            "cost": self.cost,
            "revisit_when": self.revisit_when,
        }


class Link(NamedTuple):
    """A typed relation to another record, e.g. ``Amends`` → 5."""

    rel: str
    to: int

    def as_json(self) -> dict[str, Any]:
        return {"rel": self.rel, "to": self.to}


class RemoteLink(NamedTuple):
    """A typed relation to a record of another repository, e.g. ``Relates`` → payments#12.

    Single-repository commands keep it but never resolve it; ``adr aggregate`` does.
    """

    rel: str
    repo: str
    to: int

    @property
    def target(self) -> str:
        return f"{self.repo}#{self.to}"

    def as_json(self) -> dict[str, Any]:
        return {"rel": self.rel, "to": self.target}


class Section(NamedTuple):
    """A ``##`` section of the body: heading, 1-based line of the heading, raw text."""

    heading: str
    line: int
    text: str
    level: int = 2

    @property
    def kind(self) -> str | None:
        return SECTION_KINDS.get(self.heading.strip().lower())


class Problem(NamedTuple):
    """Something in a file we could not understand; ``adr check`` reports it."""

    code: str
    message: str
    line: int = 1
    severity: str = "error"
    key: str = ""  # the message id in ``adr_tool.wording`` ("" for plain English text)
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls, code: str, key: str, line: int = 1, /, severity: str = "error", **values: str
    ) -> Problem:
        """A problem worded by message ``key`` (English kept as ``message``)."""
        packed = tuple(values.items())
        return cls(code, wording.say(key, packed), line, severity, key, packed)


class Axis(NamedTuple):
    """A trade-off axis: two sides, and human labels for them."""

    name: str
    sides: tuple[str, str]
    label: str = ""
    side_labels: tuple[str, str] | None = None

    def side_label(self, side: str) -> str:
        if self.side_labels and side in self.sides:
            return self.side_labels[self.sides.index(side)]
        return side.replace("-", " ")

    def other(self, side: str) -> str:
        return self.sides[1] if side == self.sides[0] else self.sides[0]

    @property
    def title(self) -> str:
        return self.label or f"{self.side_label(self.sides[0])} vs {self.side_label(self.sides[1])}"


@dataclass(frozen=True)
class Decision:
    """One decision record, whatever format it was written in."""

    number: int
    path: Path
    title: str
    status: str = ""
    date: str = ""
    decision_makers: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tradeoffs: tuple[TradeOff, ...] = ()
    supersedes: tuple[int, ...] = ()
    superseded_by: tuple[int, ...] = ()
    links: tuple[Link, ...] = ()
    remote_links: tuple[RemoteLink, ...] = ()
    commits: tuple[str, ...] = ()
    review_by: str = ""
    scope: tuple[str, ...] = ()
    # a tuple when parsed; from the parse cache a lazy sequence that decodes the text of
    # its sections on first use (most commands never read them)
    sections: Sequence[Section] = ()
    format: str = "native"
    title_line: int = 0
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    problems: tuple[Problem, ...] = ()
    author: str = ""
    ref: str = ""
    # the Decision Outcome section gives a reason (ADR004), judged once at parse time so
    # that a warm ``adr check`` need not read section texts; None: not judged, or no
    # such section (the rule then looks at ``sections``)
    rationale: bool | None = None

    @property
    def id(self) -> str:
        return record_id(self.number, self.ref)

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    def section(self, kind: str) -> Section | None:
        for section in self.sections:
            if section.kind == kind:
                return section
        return None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def favoured(self, axes: Mapping[str, Axis] | None = None) -> list[str]:
        """Short badges like ``development-speed > performance``, each over the other
        side of its axis in ``axes`` (the configured ones, by name: see :func:`favour_badge`)."""
        return [favour_badge(t, axes) for t in self.tradeoffs]

    def as_json(self, root: Path | None = None) -> dict[str, Any]:
        path = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                path = self.path.relative_to(root)
        return {
            "number": self.number,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "date": self.date,
            "path": path.as_posix(),
            "format": self.format,
            "decision_makers": list(self.decision_makers),
            "tags": list(self.tags),
            "tradeoffs": [t.as_json() for t in self.tradeoffs],
            "supersedes": list(self.supersedes),
            "superseded_by": list(self.superseded_by),
            "links": [link.as_json() for link in self.links],
            "commits": list(self.commits),
            "review_by": self.review_by,
            "scope": list(self.scope),
        }


DECISION_FIELDS = tuple(Decision.__dataclass_fields__)  # in declaration order


def built_decision(values: dict[str, Any]) -> Decision:
    """A Decision whose attributes are ``values``, a dict of every field in
    :data:`DECISION_FIELDS` order (the parser's one call): the frozen dataclass's
    ``__init__`` sets 26 fields through ``object.__setattr__``, about 50 k instructions a
    record, one assignment of the whole dict costs a few hundred. Equal to
    ``Decision(**values)``; the caller passes every field (no default is filled in)."""
    decision = object.__new__(Decision)
    object.__setattr__(decision, "__dict__", values)
    return decision


def favour_badge(tradeoff: TradeOff, axes: Mapping[str, Axis] | None = None) -> str:
    """``development-speed > performance``: the favoured side over the other side of its
    axis. ``axes`` are the configured axes by name (``Settings.axes``), whose sides need
    not be spelled in the name (``cost-vs-reliability: [low-cost, high-reliability]``);
    only an axis not among them is read from its name, ``a-vs-b``. A side that is not
    one of the axis's two is shown alone."""
    axis = axes.get(tradeoff.axis) if axes else None
    sides = axis.sides if axis is not None else tradeoff.axis.split("-vs-")
    favours = tradeoff.favours
    if len(sides) == 2 and favours in sides:
        return f"{favours} > {sides[1] if favours == sides[0] else sides[0]}"
    return favours or tradeoff.axis


def format_id(number: int) -> str:
    return f"{number:04d}"


def record_id(number: int, ref: str) -> str:
    """What a record is called: its own ``ref`` (a log4brains slug, a remote name), else
    its number as ``0007``. :attr:`Decision.id`, for callers holding the two fields."""
    return ref or format_id(number)


def number_from_filename(name: str) -> int | None:
    """``0007-use-x.md`` → 7, ``adr-012-x.md`` → 12; None when the name has no number."""
    match = _NUMBER_RE.match(name)
    return int(match.group(1)) if match else None


def parse_ref(value: object) -> int | None:
    """Read a reference to a record: 7, "7", "0007", "ADR-7", "ADR-0007", "#7"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        match = _REF_RE.match(value)
        if match:
            return int(match.group(1))
    return None


def parse_remote_ref(value: object) -> tuple[str, int] | None:
    """Read ``payments#12`` as ("payments", 12); None for anything else."""
    if not isinstance(value, str):
        return None
    match = _REMOTE_REF_RE.match(value)
    return (match.group(1), int(match.group(2))) if match else None


def slugify(title: str, max_length: int = 60) -> str:
    """A file-name-safe slug for any title; never empty, never a path."""
    text = unicodedata.normalize("NFKC", title).lower()
    out: list[str] = []
    for char in text:
        if char.isalnum() and (char.isascii() or unicodedata.category(char)[0] in "LN"):
            out.append(char)
        else:
            out.append("-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        boundary = cut.rfind("-")
        slug = cut[:boundary] if boundary > max_length // 2 else slug[:max_length].rstrip("-")
    return slug or "decision"


def record_filename(number: int, title: str) -> str:
    return f"{format_id(number)}-{slugify(title)}.md"
