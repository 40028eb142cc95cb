"""The rules about scopes: patterns that match nothing (ADR020), trade-off tensions
(ADR021), and changes under a decision's scope without a trailer naming it (ADR022).

Pure judgement like ``rules``: the tracked files and the branch's changes arrive in
``CheckInputs``; pathspec is imported (by ``records.scope``) only when a record has a scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from adr_tool.checks.findings import ERROR, WARNING, CheckInputs, Finding, Sink
from adr_tool.config import Settings
from adr_tool.model import Decision, format_id
from adr_tool.publish.coverage import find_tensions
from adr_tool.publish.govern import in_force, scope_set
from adr_tool.records.scope import Files, invalid_patterns, unmatched_patterns


def check_scopes(
    decisions: Sequence[Decision], inputs: CheckInputs, sinks: dict[Path, Sink]
) -> None:
    """ADR015 for a pattern pathspec cannot read, ADR020 for one matching no tracked file."""
    scoped = [d for d in decisions if d.scope]
    if not scoped:
        return
    files = Files(inputs.tracked) if inputs.tracked is not None else None
    for d in scoped:
        if inputs.selected is not None and d.path not in inputs.selected:
            continue
        sink, line = sinks[d.path], d.line_of("scope")
        bad = invalid_patterns(d.scope)
        for pattern, reason in bad:
            sink.say("ADR015", line, "scope-unreadable", pattern=pattern, reason=reason)
        if files is None:
            continue
        for pattern in unmatched_patterns(d.scope, files):
            sink.say("ADR020", line, "scope-unmatched", pattern=pattern)
    if files is not None:
        check_tensions(decisions, files, sinks)


def check_tensions(decisions: Sequence[Decision], files: Files, sinks: dict[Path, Sink]) -> None:
    """ADR021 on the later record of each pair pulling the same files opposite ways."""
    assigned = scope_set(decisions).assign(files)
    for t in find_tensions(decisions, files, assigned):
        sinks[t.second.path].say(
            "ADR021",
            t.second.line_of("tradeoffs"),
            "tension",
            first=t.first.id,
            axis=t.axis,
            overlap=str(t.overlap),
            example=t.example,
            second=t.second.id,
            second_side=t.second_side.favours,
            second_cost=t.second_side.cost or "-",
            first_side=t.first_side.favours,
            first_cost=t.first_side.cost or "-",
            second_number=str(t.second.number),
            first_number=str(t.first.number),
        )


def governed_files(decisions: Sequence[Decision], paths: Sequence[str]) -> dict[str, list[int]]:
    """Changed path → numbers of the decisions in force whose scope covers it."""
    scopes = scope_set(decisions)
    if not scopes:
        return {}
    out = {}
    for path in paths:
        found = scopes.governing(path)
        if found:
            out[path] = found
    return out


def check_branch(
    decisions: Sequence[Decision], settings: Settings, inputs: CheckInputs, out: list[Finding]
) -> None:
    """ADR022: files under a decision's scope changed in the branch, and no commit of it
    names a decision governing them (nor says ``Decision: none`` with a reason)."""
    branch = inputs.branch
    if branch is None or branch.declined:
        return
    groups: dict[tuple[int, ...], list[str]] = {}
    for path, numbers in governed_files(decisions, branch.files).items():
        if not set(numbers) & branch.named:
            groups.setdefault(tuple(numbers), []).append(path)
    severity = ERROR if settings.require_scope_trailer else WARNING
    key = settings.trailer
    live = {d.number for d in in_force(decisions)}
    for group, paths in sorted(groups.items()):
        names = ", ".join(format_id(n) for n in group if n in live)
        words = dict(ref=branch.ref, names=names, shown=", ".join(paths[:3]), key=key)
        words["first"] = str(group[0])
        more = len(paths) - 3
        message = "scope-trailer-more" if more > 0 else "scope-trailer"
        if more > 0:
            words["more"] = str(more)
        Sink(paths[0], frozenset(), out).say("ADR022", 1, message, severity, **words)
