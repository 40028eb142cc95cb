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
            sink.add("ADR015", line, f"scope pattern {pattern!r} cannot be read: {reason}")
        if files is None:
            continue
        for pattern in unmatched_patterns(d.scope, files):
            sink.add(
                "ADR020",
                line,
                f"scope pattern {pattern!r} matches no tracked file: fix the path "
                "(relative to the repository root), or remove it if the code is gone",
            )
    if files is not None:
        check_tensions(decisions, files, sinks)


def check_tensions(decisions: Sequence[Decision], files: Files, sinks: dict[Path, Sink]) -> None:
    """ADR021 on the later record of each pair pulling the same files opposite ways."""
    assigned = scope_set(decisions).assign(files)
    for t in find_tensions(decisions, files, assigned):
        sinks[t.second.path].add(
            "ADR021",
            t.second.line_of("tradeoffs"),
            f"trade-off tension with {t.first.id} on {t.axis} over {t.overlap} file(s) such as "
            f"{t.example}: {t.second.id} favours {t.second_side.favours} "
            f"(cost: {t.second_side.cost or '-'}), {t.first.id} favours "
            f"{t.first_side.favours} (cost: {t.first_side.cost or '-'}); link them with "
            f"'adr link {t.second.number} Relates {t.first.number}' once the conflict is "
            "understood, or supersede one",
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
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        Sink(paths[0], frozenset(), out).add(
            "ADR022",
            1,
            f"changed since {branch.ref} under the scope of {names} ({shown}), but no commit "
            f"since then has a '{key}:' trailer naming it: add '{key}: {group[0]}' to a "
            f"commit message, or '{key}: none - <reason>'",
            severity,
        )
