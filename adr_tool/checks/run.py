"""What ``adr check`` gathers before the rules judge: the records to check, the index
on disk and as it should be, trailers in history, files changed since a ref.

``rules`` judges; this module reads. Git is reached only through ``adr_tool.git``,
imported when a rule needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from adr_tool import confine
from adr_tool.checks import rules as checks
from adr_tool.checks.findings import (
    BranchChanges,
    CheckInputs,
    Finding,
    Sink,
    TrailerCommit,
)
from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.forked import Forked
from adr_tool.model import Decision
from adr_tool.records.store import Store

if TYPE_CHECKING:
    from adr_tool.git.history import History


class CheckReport(NamedTuple):
    findings: list[Finding]
    checked: int


def run_check(
    settings: Settings,
    store: Store,
    *,
    today: dt.date,
    paths: list[Path] | None = None,
    diff_ref: str | None = None,
    renderer: Callable[[], Any] | None = None,
    base_ref: str | None = None,
) -> CheckReport:
    """Load the folder, gather the outside inputs and run every rule.

    Git is read (once) only in a repository and only when a rule needs it: trailers
    (ADR013) come from commits since ``diff_ref`` when given, from the whole history
    when no PATHS are given, and are not read for a PATHS run (what pre-commit does on
    every commit; the commit-msg guard covers new trailers). With ``base_ref`` (or
    ``diff_ref``) records added here whose number REF took meanwhile are reported
    (ADR017). The stale-index rule compares with what ``adr index`` writes, which
    depends on the files only, never on git, and on the day it is written for
    (ADR_DATE or today, as ``adr index`` writes it; ``today`` judges review-by dates).
    """
    ignored = set(settings.ignore)
    want_trailers = "ADR013" not in ignored and (diff_ref is not None or not paths)
    trailers = None
    if want_trailers and settings.git_root is not None:
        # GitPython's import and the log walk take the second core while this one reads
        # the records
        trailers = Forked(lambda: trailer_rows(settings, diff_ref), accept_rows)
    selected = None
    whole = not paths and diff_ref is None  # the whole folder: what the records say is kept
    key = "check:" + repr((settings, today.isoformat()))
    verdict = recalled(store.recall(key)) if whole and store.current() else None
    if verdict is None:
        decisions = store.load_all()
        selected = select(decisions, paths) if paths else None
        if diff_ref is not None:
            changed = changed_records(settings, decisions, diff_ref)
            selected = changed if selected is None else selected & changed
        verdict = checks.judge_records(decisions, settings, today, selected)
        if whole:
            store.remember(key, remembered(verdict))
    want_index = "ADR012" not in ignored and renderer is not None and settings.index.is_file()
    commits = None
    if trailers is not None:
        available, rows = trailers.result()
        commits = tuple(TrailerCommit(*row) for row in rows) if available else None
    tracked = None
    if verdict.scoped and not {"ADR020", "ADR021"} <= ignored:
        tracked = tracked_files(settings)
    branch = None
    if verdict.scoped and diff_ref is not None and "ADR022" not in ignored:
        branch = branch_changes(settings, diff_ref)
    actual = expected = None
    if want_index and renderer is not None:
        actual, expected = index_texts(settings, store, renderer())
    inputs = CheckInputs(
        today=today,
        selected=selected,
        commits=commits,
        index_actual=actual,
        index_expected=expected,
        tracked=tracked,
        branch=branch,
    )
    findings = checks.finish(verdict, store.load_all, settings, inputs)
    against = base_ref or diff_ref
    if against is not None and "ADR017" not in ignored:  # numbers REF took meanwhile
        from adr_tool.checks.clashes import clash_findings, number_clashes

        clashes = number_clashes(settings, store.load_all(), against)
        found = clash_findings(settings, clashes)
        findings = sorted([*findings, *found], key=lambda f: (f.path, f.line, f.col, f.code))
    if "ADR023" not in ignored:
        for name in store.skipped:
            where = settings.relative(settings.directory / name)
            Sink(where, frozenset(), findings).say("ADR023", 1, "symlink-outside", name=name)
    checked = verdict.judged if selected is None else len(selected)
    return CheckReport(findings, checked)


def remembered(verdict: checks.Verdict) -> str:
    """``verdict`` as a memo (JSON: a handful of findings in a clean folder)."""
    import json

    rows = [[*f[:7], [list(v) for v in f.values]] for f in verdict.findings]
    return json.dumps([rows, sorted(verdict.numbers), verdict.scoped, verdict.judged])


def recalled(memo: str | None) -> checks.Verdict | None:
    """The verdict :func:`remembered` kept, or None for anything not of its shape (the
    memo file is data only, but not trusted to be well formed)."""
    if memo is None:
        return None
    import json

    try:
        rows, numbers, scoped, count = json.loads(memo)
        findings = tuple(
            Finding(p, ln, col, code, sev, msg, key, tuple((str(k), str(v)) for k, v in vals))
            for p, ln, col, code, sev, msg, key, vals in rows
        )
        if not all(type(n) is int for n in numbers) or type(count) is not int:
            return None
        if not all(_well_formed(f) for f in findings):
            return None
        return checks.Verdict(findings, frozenset(numbers), scoped is True, count)
    except (ValueError, TypeError, RecursionError):  # a hostile nesting too
        return None


def _well_formed(finding: Finding) -> bool:
    f = finding
    texts = (f.path, f.code, f.severity, f.message, f.key)
    return all(type(t) is str for t in texts) and type(f.line) is int and type(f.col) is int


def select(decisions: list[Decision], paths: list[Path]) -> frozenset[Path]:
    """The records named by PATHS (files or folders); other files are skipped."""
    # a record's path is its (resolved) folder plus its name, so only the few PATHS need
    # resolving: the folder part fully, the name not (a record may itself be a symlink)
    known = {d.path for d in decisions}
    chosen: set[Path] = set()
    for given in paths:
        if not given.exists():
            raise UsageError(f"{given}: no such file or folder")
        if given.is_dir():
            folder = given.resolve()
            chosen.update(p for p in known if folder == p.parent or folder in p.parents)
            continue
        path = given.absolute().parent.resolve() / given.name
        if path in known:
            chosen.add(path)
    return frozenset(chosen)


def changed_records(settings: Settings, decisions: list[Decision], ref: str) -> frozenset[Path]:
    from adr_tool.git import worktree

    changed = {
        (settings.root / name).resolve() for name in worktree.changed_files(settings.root, ref)
    }
    return frozenset(d.path for d in decisions if d.path.resolve() in changed)


def tracked_files(settings: Settings) -> tuple[str, ...] | None:
    """The tracked files for the scope rules; None outside git."""
    from adr_tool.publish.govern import tracked

    found = tracked(settings)
    return tuple(found) if found is not None else None


def branch_changes(settings: Settings, ref: str) -> BranchChanges | None:
    """Files changed since the merge base with ``ref`` and the trailers of ``ref..HEAD``."""
    if settings.git_root is None:
        return None
    from adr_tool.git import log as git_log
    from adr_tool.git import worktree

    files = worktree.changed_files(settings.root, ref)
    history = git_log.read_history(settings.root, settings.trailer, revs=(f"{ref}..HEAD",))
    named = frozenset(n for c in history.commits for n in c.refs)
    return BranchChanges(ref, tuple(files), named, any(c.declined for c in history.commits))


def read_linked(settings: Settings, since: str | None) -> History | None:
    """Commits linked to records (one ``git log``); None outside a git repository."""
    if settings.git_root is None:
        return None
    from adr_tool.git import log as git_log

    revs = (f"{since}..HEAD",) if since else ("HEAD",)
    history = git_log.read_history(settings.root, settings.trailer, linked_only=True, revs=revs)
    return history if history.available else None


Row = tuple[str, str, tuple[int, ...], tuple[str, ...]]  # a TrailerCommit as plain data


def trailer_rows(settings: Settings, since: str | None) -> tuple[bool, tuple[Row, ...]]:
    """Commits since ``since`` (all when None) that name records in a trailer, as plain
    rows a worker process can send back; False when there is no history to read."""
    commits = trailer_commits(read_linked(settings, since))
    if commits is None:
        return False, ()
    return True, tuple((c.sha, c.summary, c.refs, c.bad_refs) for c in commits)


def accept_rows(value: object) -> tuple[bool, tuple[Row, ...]] | None:
    """``trailer_rows``' value back from a worker, if it has that shape."""
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bool)):
        return None
    rows = value[1]
    if not isinstance(rows, tuple):
        return None
    for row in rows:
        if not (
            isinstance(row, tuple)
            and len(row) == 4
            and isinstance(row[0], str)
            and isinstance(row[1], str)
            and isinstance(row[2], tuple)
            and isinstance(row[3], tuple)
        ):
            return None
    return value[0], rows


def trailer_commits(history: History | None) -> tuple[TrailerCommit, ...] | None:
    """Commits that name records in a trailer; None without history (the rule is off)."""
    if history is None:
        return None
    return tuple(
        TrailerCommit(c.sha, c.subject, c.refs, c.bad_refs)
        for c in history.commits
        if c.refs or c.bad_refs
    )


def index_texts(settings: Settings, store: Store, renderer: Any) -> tuple[str | None, str | None]:
    """The index as it is on disk and as ``adr index`` would write it now (for its own
    day: ADR_DATE or today); neither when its fingerprint shows it was written from these
    very inputs."""
    from adr_tool.publish import fingerprint

    today = fingerprint.index_day()

    governed = fingerprint.index_governance(settings, store.load_all)
    if fingerprint.seen_current(settings, store, renderer, today, None, governed):
        return None, None  # the very file an earlier run found current: not read
    try:
        confine.require(settings.index, settings.root, "index")
        actual = settings.index.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        where = settings.relative(settings.index)
        raise UsageError(f"{where}: cannot read: {exc.strerror}") from None
    actual = actual.lstrip("\ufeff").replace("\r\n", "\n")
    from adr_tool.publish.ownership import carries_mark

    if not carries_mark(actual):  # a hand-written README: not an index adr keeps
        return None, None
    records = store.load_all
    if fingerprint.is_current(settings, records, renderer, actual, today, None, governed, store):
        return None, None  # written from these very inputs: nothing to compare
    from adr_tool.publish import index  # only a stale index is rendered

    expected = index.render_index(settings, records(), renderer, None, today, governed, store)
    return fingerprint.strip_marker(actual), fingerprint.strip_marker(expected)
