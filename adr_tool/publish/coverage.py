"""Coverage and trade-off tensions: which share of the tracked files decisions in force
govern, the often-changed files none governs, and pairs of decisions that pull the same
code in opposite directions on one axis.

The pure parts (``coverage_rows``, ``find_tensions``) take a tracked-file list; the rest
asks git once per question (``git ls-files``, one ``git log`` for hot spots).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.model import Decision, TradeOff
from adr_tool.publish.govern import any_scope, in_force, safe, scope_set, tracked
from adr_tool.publish.render import md_cell, md_inline
from adr_tool.records.scope import Files

# --- coverage ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderCoverage:
    folder: str
    files: int
    governed: int
    lines: int = 0
    governed_lines: int = 0

    @property
    def share(self) -> int:
        return round(100 * self.governed / self.files) if self.files else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "files": self.files,
            "governed_files": self.governed,
            "lines": self.lines,
            "governed_lines": self.governed_lines,
        }


def top_folder(path: str) -> str:
    head, sep, _ = path.partition("/")
    return head + "/" if sep else "."


def governed_positions(decisions: Sequence[Decision], files: Files) -> dict[int, list[int]]:
    return scope_set(decisions).assign(files)


def coverage_rows(
    files: Files, governed: set[int], lines: Sequence[int] | None = None
) -> list[FolderCoverage]:
    """Per top-level folder (``.`` for files at the root), then the total last."""
    counts: dict[str, list[int]] = {}
    for i, path in enumerate(files.paths):
        row = counts.setdefault(top_folder(path), [0, 0, 0, 0])
        n = lines[i] if lines is not None else 0
        row[0] += 1
        row[2] += n
        if i in governed:
            row[1] += 1
            row[3] += n
    rows = [FolderCoverage(k, *v) for k, v in sorted(counts.items())]
    total = FolderCoverage("total", *(sum(r[i] for r in counts.values()) for i in range(4)))
    return [*rows, total]


def count_lines(root: Path, paths: Sequence[str]) -> list[int]:
    """Lines of each of ``paths`` (tracked text files in the working tree; others 0)."""
    from adr_tool.git import worktree

    counts = worktree.line_counts(root)
    return [counts.get(p, 0) for p in paths]


@dataclass(frozen=True)
class Coverage:
    rows: list[FolderCoverage]
    hot: list[tuple[str, int]]
    months: int
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "folders": [r.as_json() for r in self.rows[:-1]],
            "total": self.rows[-1].as_json(),
            "months": self.months,
            "uncovered_hot_spots": [{"path": p, "changes": n} for p, n in self.hot],
        }


def coverage(
    settings: Settings,
    decisions: Sequence[Decision],
    *,
    today: dt.date,
    months: int = 6,
    top: int = 10,
    lines: bool = True,
) -> Coverage:
    """``adr coverage``: governed share per top-level folder, and uncovered hot spots."""
    from adr_tool.errors import EnvironmentProblem

    names = tracked(settings)
    if names is None:
        raise EnvironmentProblem("adr coverage needs a git repository (it counts tracked files)")
    files = Files(names)
    governed = {i for found in governed_positions(decisions, files).values() for i in found}
    counted = count_lines(settings.root, files.paths) if lines else None
    rows = coverage_rows(files, governed, counted)
    hot, notes = hot_spots(settings, files, governed, today, months, top)
    return Coverage(rows, hot, months, notes)


def hot_spots(
    settings: Settings, files: Files, governed: set[int], today: dt.date, months: int, top: int
) -> tuple[list[tuple[str, int]], tuple[str, ...]]:
    """Tracked files no decision governs, most often changed since ``months`` ago (one log)."""
    from adr_tool.git import log as git_log

    since = (today - dt.timedelta(days=round(30.44 * months))).isoformat()
    history = git_log.read_history(
        settings.root, settings.trailer, files=True, options=(f"--since={since}",)
    )
    if not history.available or history.top is None:
        return [], history.notes
    prefix = _root_prefix(settings.root, history.top)
    counts: Counter[str] = Counter()
    for commit in history.commits:
        for change in commit.changes:
            if change.path.startswith(prefix):
                counts[change.path[len(prefix) :]] += 1
    position = {p: i for i, p in enumerate(files.paths)}
    ranked = sorted(
        ((p, n) for p, n in counts.items() if p in position and position[p] not in governed),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:top], history.notes


def _root_prefix(root: Path, top: Path) -> str:
    try:
        rel = root.resolve().relative_to(top).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


def coverage_text(report: Coverage) -> str:
    lines = [f"{'folder':<30} {'files':>14} {'lines':>20}"]
    for row in report.rows:
        share = f"{row.governed}/{row.files} {row.share:>3}%"
        line_share = round(100 * row.governed_lines / row.lines) if row.lines else 0
        lines_cell = f"{row.governed_lines}/{row.lines} {line_share:>3}%"
        lines.append(f"{safe(row.folder):<30} {share:>14} {lines_cell:>20}")
    lines.append("")
    if report.hot:
        lines.append(f"Uncovered hot spots (most changed in {report.months} months, no decision):")
        lines.extend(f"  {n:>4}  {safe(p)}" for p, n in report.hot)
    else:
        lines.append(f"No uncovered file changed in the last {report.months} months.")
    return "\n".join(lines) + "\n"


# --- trade-off tensions ------------------------------------------------------------------


@dataclass(frozen=True)
class Tension:
    """Two decisions in force, overlapping scopes, opposite sides of one axis, unlinked."""

    first: Decision
    second: Decision
    axis: str
    first_side: TradeOff
    second_side: TradeOff
    overlap: int
    example: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def related(a: Decision, b: Decision) -> bool:
    """A link (any relation, either way) or a supersession between the two."""
    return (
        any(link.to == b.number for link in a.links)
        or any(link.to == a.number for link in b.links)
        or b.number in a.supersedes
        or a.number in b.supersedes
        or b.number in a.superseded_by
        or a.number in b.superseded_by
    )


def find_tensions(
    decisions: Sequence[Decision], files: Files, assigned: dict[int, list[int]]
) -> list[Tension]:
    """Every tension, ordered by the two record numbers and the axis."""
    live = [d for d in in_force(decisions) if d.scope and d.tradeoffs]
    matched = {n: set(found) for n, found in assigned.items() if found}
    by_axis: dict[str, dict[str, list[tuple[Decision, TradeOff]]]] = {}
    for d in live:
        if d.number not in matched:
            continue
        for t in d.tradeoffs:
            by_axis.setdefault(t.axis, {}).setdefault(t.favours, []).append((d, t))
    out = []
    for axis, sides in by_axis.items():
        names = sorted(sides)
        for i, left in enumerate(names):
            for right in names[i + 1 :]:
                for a, ta in sides[left]:
                    for b, tb in sides[right]:
                        if a.number == b.number or related(a, b):
                            continue
                        if matched[a.number].isdisjoint(matched[b.number]):
                            continue
                        both = matched[a.number] & matched[b.number]
                        (a, ta), (b, tb) = sorted(((a, ta), (b, tb)), key=lambda x: x[0].number)
                        out.append(Tension(a, b, axis, ta, tb, len(both), files.paths[min(both)]))
    return sorted(out, key=lambda t: (t.first.number, t.second.number, t.axis))


def tensions_of(settings: Settings, decisions: Sequence[Decision]) -> list[Tension] | None:
    """Tensions over the tracked files; None outside git or when no record has a scope."""
    if not any_scope(decisions):
        return []
    names = tracked(settings)
    if names is None:
        return None
    files = Files(names)
    return find_tensions(decisions, files, governed_positions(decisions, files))


# --- what the index and the site show ------------------------------------------------------


@dataclass(frozen=True)
class Governance:
    """Coverage and tensions as plain data: the index depends on these and nothing else
    from git (file shares from the tracked list only: no line counts, no dates)."""

    coverage: tuple[tuple[str, int, int], ...] = ()  # folder, files, governed; total last
    tensions: tuple[tuple[int, int, str, str, str, str, str, int, str], ...] = ()
    scoped: int = 0
    available: bool = True

    def key(self) -> tuple[Any, ...]:
        return (self.coverage, self.tensions, self.scoped, self.available)


def governance(settings: Settings, decisions: Sequence[Decision]) -> Governance:
    """Coverage per top-level folder and the tensions; empty when no record has a scope."""
    scoped = sum(1 for d in in_force(decisions) if d.scope)
    if not any_scope(decisions):
        return Governance()
    names = tracked(settings)
    if names is None:
        return Governance(scoped=scoped, available=False)
    files = Files(names)
    assigned = governed_positions(decisions, files)
    governed = {i for found in assigned.values() for i in found}
    rows = coverage_rows(files, governed)
    tensions = tuple(
        (
            t.first.number,
            t.second.number,
            t.axis,
            t.first_side.favours,
            t.first_side.cost,
            t.second_side.favours,
            t.second_side.cost,
            t.overlap,
            t.example,
        )
        for t in find_tensions(decisions, files, assigned)
    )
    return Governance(tuple((r.folder, r.files, r.governed) for r in rows), tensions, scoped, True)


def share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def index_sections(
    governed: Governance, refs: dict[Path, dict[str, Any]], by_number: dict[int, Decision]
) -> dict[str, Any]:
    """The index's Coverage and Tensions sections, escaped for GitHub-flavoured Markdown."""
    coverage = [
        {"folder": md_cell(f), "files": n, "governed": g, "share": share(g, n)}
        for f, n, g in governed.coverage
    ]
    tensions = []
    for a, b, axis, side_a, cost_a, side_b, cost_b, overlap, example in governed.tensions:
        if a in by_number and b in by_number:
            tensions.append(
                {
                    "first": refs[by_number[a].path],
                    "second": refs[by_number[b].path],
                    "axis": md_inline(axis),
                    "first_side": md_inline(side_a),
                    "first_cost": md_inline(cost_a or "-"),
                    "second_side": md_inline(side_b),
                    "second_cost": md_inline(cost_b or "-"),
                    "overlap": overlap,
                    "example": f"`{example}`" if "`" not in example else md_inline(example),
                }
            )
    return {
        "scoped": governed.scoped,
        "coverage_available": governed.available,
        "coverage": coverage,
        "tensions": tensions,
    }
