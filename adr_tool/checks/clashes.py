"""Number clashes before the merge: a record this branch added whose number a different
record added on REF (the branch it will merge into) already uses. Both pass on their own
and collide after the merge; ``adr check --base REF`` says so while it is cheap to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from adr_tool.checks.findings import Finding, Sink
from adr_tool.config import Settings
from adr_tool.model import Decision, format_id, number_from_filename
from adr_tool.records.store import is_record_name


@dataclass(frozen=True)
class Clash:
    """Our record ``decision`` and the file ``theirs`` on ``ref`` share a number;
    ``next_free`` is the number free on both sides that ours should take."""

    decision: Decision
    theirs: str
    ref: str
    next_free: int

    @property
    def number(self) -> int:
        return self.decision.number


def number_clashes(settings: Settings, decisions: list[Decision], ref: str) -> list[Clash]:
    """Records added on this branch whose number a record added on ``ref`` also takes.

    A record that is on both sides, or that was there when the branch began (a rename
    on either side), is no clash; two records on this side with one number are ADR008's.
    Each clash gets its own next free number, counting both sides. Needs git.
    """
    from adr_tool.git import worktree

    theirs, start = worktree.folder_at(settings.root, ref, settings.directory)
    ours = {d.path.name for d in decisions}
    before = set(start)
    added_there: dict[int, list[str]] = {}
    for name in theirs:
        number = number_from_filename(name)
        if number and is_record_name(name) and name not in ours and name not in before:
            added_there.setdefault(number, []).append(name)
    taken = {number_from_filename(n) or 0 for n in theirs} | {d.number for d in decisions}
    next_free = max(taken, default=0) + 1
    out = []
    for decision in sorted(decisions, key=lambda d: (d.number, d.path.name)):
        name = decision.path.name
        if decision.number <= 0 or name in before or name in theirs:
            continue
        if number_from_filename(name) != decision.number:
            continue  # log4brains ordinals are not in file names
        for other in added_there.get(decision.number, [])[:1]:
            out.append(Clash(decision, other, ref, next_free))
            next_free += 1
    return out


def clash_findings(settings: Settings, clashes: list[Clash]) -> list[Finding]:
    """ADR017 for each clash, saying the free number and the command that fixes it."""
    out: list[Finding] = []
    for clash in clashes:
        shown = settings.relative(clash.decision.path)
        Sink(shown, frozenset(), out).say(
            "ADR017",
            1,
            "number-clash",
            id=format_id(clash.number),
            ref=clash.ref,
            theirs=clash.theirs,
            free=format_id(clash.next_free),
        )
    return out
