"""Numbers for a whole folder: log4brains records have no number in their name, so each
gets a stable ordinal; links naming their slugs resolve once every record is read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from adr_tool.model import PENDING, Decision, Link, Problem, number_from_filename

# The record parsers (formats, bodymeta) are imported by the functions that need them:
# `adr new` takes the next number from the names alone and parses nothing.

# over the names each led by NUL (no file name holds one; a literal first character
# lets the search skip ahead): model.number_from_filename's pattern at the start of a
# name, and a name that may be log4brains-dated
_NUMBERED = re.compile(r"\0(?:adr-)?(\d{1,9})-", re.IGNORECASE)
_MAYBE_DATED = re.compile(r"\0\d{8}-")


def ordinals(names: list[str]) -> dict[str, int]:
    """A stable number for each log4brains name (``YYYYMMDD-slug.md``) in a folder.

    Ordered by date prefix, then name; each takes the smallest number that no numbered
    file (``NNNN-slug.md``) holds, so adding a numbered record never renumbers them.
    """
    if not _MAYBE_DATED.search("\0" + "\0".join(names)):
        return {}  # most folders: no name to number, no need to read every number
    from adr_tool.records import bodymeta
    from adr_tool.records.formats import identity

    dated = [n for n in names if bodymeta.log4brains_date(n) is not None]
    if not dated:
        return {}
    taken = {identity(n)[0] for n in names} - {0}
    out: dict[str, int] = {}
    candidate = 1
    for name in sorted(dated):
        while candidate in taken:
            candidate += 1
        out[name] = candidate
        taken.add(candidate)
    return out


def next_number(names: list[str]) -> int:
    """The next free record number in a folder holding ``names``."""
    joined = "\0" + "\0".join(names)
    if not _MAYBE_DATED.search(joined):  # most folders: one pass in C, not 10,000 calls
        return max(map(int, _NUMBERED.findall(joined)), default=0) + 1
    from adr_tool.records import bodymeta

    highest, dated = 0, False
    for name in names:  # one pass: identity() and ordinals() each read every name
        if bodymeta.log4brains_date(name) is not None:
            dated = True
        else:
            highest = max(highest, number_from_filename(name) or 0)
    if dated:
        highest = max([highest, *ordinals(names).values()])
    return highest + 1


def number_records(decisions: list[Decision]) -> list[Decision]:
    """Give log4brains records their ordinals and resolve links that name slugs."""
    numbers = ordinals([d.path.name for d in decisions])
    if not numbers and not any(PENDING in d.extra for d in decisions):
        return decisions
    numbered = [replace(d, number=numbers.get(d.path.name, d.number)) for d in decisions]
    by_slug = {d.path.name[:-3]: d.number for d in numbered if d.path.name.endswith(".md")}
    return [_resolve(d, by_slug) for d in numbered]


def _resolve(decision: Decision, by_slug: dict[str, int]) -> Decision:
    from adr_tool.records.formats import CODE_NOT_UNDERSTOOD, dedupe

    pending = decision.extra.get(PENDING)
    if not pending:
        return decision
    supersedes, superseded_by = list(decision.supersedes), list(decision.superseded_by)
    links, problems = list(decision.links), list(decision.problems)
    for kind, rel, slug, line in pending:
        number = by_slug.get(slug)
        if number is None:
            problems.append(
                Problem.of(CODE_NOT_UNDERSTOOD, "body-slug", line, "warning", slug=slug)
            )
        elif kind == "supersedes":
            supersedes.append(number)
        elif kind == "superseded-by":
            superseded_by.append(number)
        else:
            links.append(Link(rel, number))
    extra = {k: v for k, v in decision.extra.items() if k != PENDING}
    return replace(
        decision,
        supersedes=dedupe(supersedes),
        superseded_by=dedupe(superseded_by),
        links=dedupe(links),
        problems=tuple(problems),
        extra=extra,
    )
