"""A status change that agrees with the checks: moving a record into a status named in
``require`` runs the rules that status needs first, and accepting a successor completes
the supersession that ``adr new --supersedes`` left pending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from adr_tool import wording
from adr_tool.actions.lifecycle import (
    Batch,
    check_transition,
    current_status,
    set_status,
    superseded_edit,
)
from adr_tool.checks.findings import ERROR, Finding, Sink
from adr_tool.config import status_label
from adr_tool.errors import NotFound, Refused
from adr_tool.model import Decision, completes_supersession, format_id
from adr_tool.records.store import Store

# What ``require`` asks of a status: a rationale (ADR004), a trade-off (ADR005) whose axis
# and side are known (ADR006) and whose cost is written (ADR007).
GATED = frozenset({"ADR004", "ADR005", "ADR006", "ADR007"})


@dataclass(frozen=True)
class StatusChange:
    """What ``adr status`` did: the record written (None when it had the status already),
    the findings ``--force`` overrode, and the predecessors it retired."""

    path: Path | None
    overridden: list[Finding] = field(default_factory=list)
    retired: list[Path] = field(default_factory=list)


def required_findings(
    store: Store, decision: Decision, status: str, today: dt.date
) -> list[Finding]:
    """The errors ``adr check`` would report once ``decision`` has ``status``."""
    settings = store.settings
    wanted = status.lower()
    needed = {s.lower() for s in (*settings.require_rationale, *settings.require_tradeoff)}
    if wanted not in needed:
        return []
    from adr_tool.checks.rules import check_record, record_ignores

    out: list[Finding] = []
    sink = Sink(settings.relative(decision.path), record_ignores(decision), out)
    check_record(replace(decision, status=status), settings, today, sink)
    ignored = set(settings.ignore)
    return [f for f in out if f.code in GATED and f.severity == ERROR and f.code not in ignored]


def gated(lang: str, number: int, status: str, found: list[Finding]) -> str:
    """Why a status change is refused, in ``lang``, with the findings that stand in its way."""
    findings = "\n".join(f"  {f.text(lang)}" for f in found)
    values = wording.pack(
        number=str(number), status=status, label=status_label(status, lang), findings=findings
    )
    return wording.say("status-gated", values, lang)


def change_status(
    store: Store, number: int, status: str, *, date: str, force: bool = False
) -> StatusChange:
    """``adr status N STATUS``: refuse (unless ``force``) a record that would fail the
    checks of its new status; then write it and complete pending supersessions."""
    wanted = status.strip().lower()
    decision = store.get(number)
    old = current_status(decision, store.read_text(decision))
    changing = old != wanted and wanted in store.settings.statuses
    day = dt.date.fromisoformat(date)
    if changing:
        check_transition(number, old, wanted, force)
        found = [] if force else required_findings(store, decision, wanted, day)
        if found:
            raise Refused(gated(store.settings.lang, number, wanted, found))
    completes = completes_supersession(wanted)
    if completes:
        predecessors(store, decision)  # refuse before writing anything
    path = set_status(store, number, status, date=date, force=force)
    # with --force the findings only explain what was overridden: judged after the write
    overridden = required_findings(store, decision, wanted, day) if changing and force else []
    retired = complete_supersessions(store, number) if completes else []
    return StatusChange(path, overridden, retired)


def predecessors(store: Store, decision: Decision) -> list[Decision]:
    """The records ``decision`` supersedes that do not say so yet (a missing one is
    left to ADR009; a number taken twice is refused: which one is meant?)."""
    out = []
    for old in decision.supersedes:
        try:
            target = store.get(old)
        except NotFound:
            continue
        except Refused:
            raise Refused(
                f"record {format_id(decision.number)} supersedes {old}, but that number is "
                "taken twice; run 'adr renumber' first (nothing was changed)"
            ) from None
        if decision.number not in target.superseded_by:
            out.append(target)
    return out


def complete_supersessions(store: Store, number: int) -> list[Path]:
    """Mark the records that ``number`` supersedes as superseded by it (those that do not
    say so yet); returns the files changed."""
    store.invalidate()
    batch = Batch(store)
    for target in predecessors(store, store.get(number)):
        batch.add(target, superseded_edit(store, number))
    return batch.write()
