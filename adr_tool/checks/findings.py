"""What ``adr check`` reports: finding codes and their severities, a finding, what the
rules judge against, and the summary line. Pure data; the rules live in ``rules``.

Codes are stable; the README documents each one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ERROR = "error"
WARNING = "warning"

# code -> (severity, short name). The README table mirrors this.
CODES: dict[str, tuple[str, str]] = {
    "ADR001": (ERROR, "unparseable front matter or unreadable file"),
    "ADR002": (ERROR, "no H1 title"),
    "ADR003": (ERROR, "unknown or missing status"),
    "ADR004": (ERROR, "missing rationale"),
    "ADR005": (ERROR, "no trade-off recorded"),
    "ADR006": (ERROR, "trade-off with unknown axis or side"),
    "ADR007": (ERROR, "trade-off without cost"),
    "ADR008": (ERROR, "duplicate number"),
    "ADR009": (ERROR, "dangling link, supersedes or superseded-by"),
    "ADR010": (ERROR, "one-sided supersession"),
    "ADR011": (ERROR, "file name is not NNNN-slug.md"),
    "ADR012": (ERROR, "stale index"),
    "ADR013": (WARNING, "commit trailer names a missing record"),
    "ADR014": (WARNING, "review-by date has passed"),
    "ADR015": (ERROR, "front matter key has the wrong type"),
    "ADR016": (WARNING, "not understood in a foreign format"),
    "ADR017": (WARNING, "record skipped: it leads outside the working tree"),
}


@dataclass(frozen=True)
class Finding:
    """One problem at one place: ``path:line:col: CODE message``."""

    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class TrailerCommit:
    """A commit whose message names records in a trailer (``Decision: 7``)."""

    sha: str
    summary: str
    refs: tuple[int, ...]
    bad_refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckInputs:
    """Everything outside the records that the rules judge against.

    ``selected``: records whose per-record rules run (None = all).
    ``index_actual``/``index_expected``: the index on disk and as ``adr index`` would
    write it (both None when there is no index file).
    ``commits``: commits carrying decision trailers (None when git is not available).
    """

    today: dt.date
    selected: frozenset[Path] | None = None
    index_actual: str | None = None
    index_expected: str | None = None
    commits: tuple[TrailerCommit, ...] | None = None
    extra_ignore: frozenset[str] = field(default_factory=frozenset)


def severity_of(code: str) -> str:
    return CODES.get(code, (ERROR, ""))[0]


class Sink:
    """Collects findings for one record, with its path and per-record opt-outs."""

    def __init__(self, path: str, ignore: frozenset[str], out: list[Finding]) -> None:
        self.path = path
        self.ignore = ignore
        self.out = out

    def add(self, code: str, line: int, message: str, severity: str | None = None) -> None:
        if code in self.ignore:
            return
        self.out.append(
            Finding(self.path, max(line, 1), 1, code, severity or severity_of(code), message)
        )


def summary(findings: list[Finding], checked: int, strict: bool) -> str:
    """The last line of the text report."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = len(findings) - errors
    if not findings:
        return f"All checks passed ({checked} record{'s' if checked != 1 else ''} checked)."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    tail = "" if errors or strict else " (warnings fail only with --strict)"
    return f"Found {' and '.join(parts)} in {checked} checked records.{tail}"


def failed(findings: list[Finding], strict: bool) -> bool:
    return any(f.severity == ERROR or strict for f in findings)
