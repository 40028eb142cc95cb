"""The questions commands ask of git history: a record's log, the decisions behind a
path, dates and authors from the commit that added each record, linked-commit counts.

Each function reads history once (through ``adr_tool.git``) and hands it to the pure
functions of :mod:`adr_tool.publish.trace`; what limits the answer comes back as notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from adr_tool.config import Settings
from adr_tool.errors import EnvironmentProblem, NotFound
from adr_tool.git.history import History
from adr_tool.model import Decision
from adr_tool.publish import trace


def _require(history: History) -> None:
    if not history.available:
        raise EnvironmentProblem(history.notes[0] if history.notes else "git is not available")


@dataclass(frozen=True)
class Dated:
    decisions: list[Decision]
    notes: tuple[str, ...] = ()


def with_git_dates(settings: Settings, decisions: list[Decision]) -> Dated:
    """Fill missing dates and authors from the commit that added each record (git)."""
    if all(d.date for d in decisions):
        return Dated(decisions)
    from adr_tool.git import log as git_log

    history = git_log.read_history(settings.root, settings.trailer, [str(settings.directory)])
    return Dated(trace.fill_from_history(decisions, history), history.notes)


def history_commit_counts(
    settings: Settings, decisions: list[Decision]
) -> tuple[dict[int, int], tuple[str, ...]]:
    """Linked commits per record, counting trailers in git as well as ``commits`` lists."""
    from adr_tool.git import log as git_log

    found = git_log.read_history(settings.root, settings.trailer, linked_only=True)
    if not found.available:
        raise EnvironmentProblem("--history needs a git repository")
    return trace.commit_counts(decisions, found), found.notes


@dataclass(frozen=True)
class RecordLog:
    decision: Decision
    entries: list[trace.LogEntry]
    missing: list[str]
    notes: tuple[str, ...] = ()


def record_log(settings: Settings, decisions: list[Decision], number: int) -> RecordLog:
    """``adr log N``: trailers, the record's ``commits`` and the commits to its file."""
    from adr_tool.git import log as git_log

    decision = trace.find_decision(number, decisions, settings.relative(settings.directory))
    queries = [git_log.Query(linked_only=True), git_log.path_query(decision.path)]
    named = tuple(c for c in decision.commits if git_log.looks_like_sha(c))  # never an option
    if named:
        options = ("--no-walk=unsorted", "--ignore-missing")
        queries.append(git_log.Query(revs=named, options=options))
    # all at once: the trailer log walks the whole history, the record's from its birth
    histories = git_log.read_histories(settings.root, settings.trailer, queries)
    linked = histories[0]
    _require(linked)
    explicit = histories[2] if len(histories) > 2 else None
    # the record's own file from the commit that added it, across renames, never copies
    root, trailer = settings.root, settings.trailer
    record = git_log.read_path_history(root, trailer, decision.path, first=histories[1])
    entries, missing = trace.log_entries(decision, linked, record, explicit)
    return RecordLog(decision, entries, missing, linked.notes)


@dataclass(frozen=True)
class PathDecisions:
    entries: list[trace.WhyEntry]
    commits: int
    empty: bool
    notes: tuple[str, ...] = field(default=())


def path_decisions(
    settings: Settings, decisions: list[Decision], target: Path, shown: str
) -> PathDecisions:
    """``adr why PATH``: the decisions linked to the commits that touched ``target``."""
    from adr_tool.git import log as git_log

    target = target.resolve()
    history = git_log.read_path_history(settings.root, settings.trailer, target)
    _require(history)
    if history.top is not None and not target.is_relative_to(history.top):
        raise NotFound(f"{shown}: outside the repository {history.top}")
    if not history.commits and not target.exists() and not history.empty:
        raise NotFound(f"{shown}: no such file, and no commit ever touched it")
    entries = trace.why_entries(decisions, history)
    return PathDecisions(entries, len(history.commits), history.empty, history.notes)
