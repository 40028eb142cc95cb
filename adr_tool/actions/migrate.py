"""``adr migrate``: rewrite records kept in other styles into front matter, keeping prose.

Only lines the reader fully understood (status, date, people, tags, record links) move
into front matter; every other line stays where it was. A converted record converts to
itself, so a second run changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adr_tool.errors import Refused, UsageError
from adr_tool.model import Decision, format_id
from adr_tool.records import formats, frontmatter
from adr_tool.records.formats import Scan
from adr_tool.records.sections import H1_NUMBER
from adr_tool.records.store import Store, atomic_write_all

TARGETS = ("native", "madr")
# Front matter keys each target writes, in the order the native format uses.
KEYS = {
    "native": (
        "status",
        "date",
        "decision-makers",
        "consulted",
        "informed",
        "tags",
        "supersedes",
        "superseded-by",
        "links",
    ),
    "madr": ("status", "date", "decision-makers", "consulted", "informed"),
}
_FOLDABLE = frozenset({"status", "links"})  # sections dropped once they hold nothing


@dataclass(frozen=True)
class Change:
    """One record's text before and after conversion."""

    path: Path
    before: str
    after: str

    def diff(self, label: str) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{label}",
            tofile=f"b/{label}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def convert(path: Path, text: str, to: str = "native") -> str:
    """The record in ``text`` rewritten for ``to``; ``text`` itself when nothing moves."""
    if to not in TARGETS:
        raise UsageError(f"--to: unknown target {to!r} (choose {', '.join(TARGETS)})")
    scan = formats.scan(path, text)
    keys = KEYS[to]
    drop = {
        line
        for key, lines in scan.consumed.items()
        if key in keys
        for line in lines
        if line not in scan.slug_lines or key == "status"
    }
    if not drop:
        return text
    norm, bom, newline = frontmatter.normalise(text)
    lines = norm.split("\n")
    decision = scan.decision
    if decision.title_line and H1_NUMBER.search(lines[decision.title_line - 1][2:]):
        heading = lines[decision.title_line - 1]
        lines[decision.title_line - 1] = "# " + H1_NUMBER.sub("", heading[2:], count=1)
    for section in decision.sections:
        if section.kind not in _FOLDABLE:
            continue
        end = section.line + len(section.text.split("\n"))
        body = range(section.line + 1, end + 1)
        if all(n in drop or not lines[n - 1].strip() for n in body if n <= len(lines)):
            drop.update(range(section.line, min(end, len(lines)) + 1))
    for number in sorted(drop):  # a comment on a metadata line stays where it was
        comments = html_comments(lines[number - 1]) if number <= len(lines) else ""
        if comments:
            lines[number - 1] = comments
            drop.discard(number)
    kept = "\n".join(_remove(lines, drop))
    if norm.endswith("\n") and not kept.endswith("\n"):
        kept += "\n"
    rebuilt = frontmatter.restore(kept, bom, newline)
    values = _values(scan, to)
    return frontmatter.edit(rebuilt, lambda data: _fill(data, values, scan), path)


def html_comments(line: str) -> str:
    """The ``<!-- … -->`` comments in ``line``, joined by a space (linear scan)."""
    found = []
    start = line.find("<!--")
    while start != -1:
        end = line.find("-->", start + 4)
        if end == -1:
            found.append(line[start:].rstrip())  # a comment that goes on to later lines
            break
        found.append(line[start : end + 3])
        start = line.find("<!--", end + 3)
    return " ".join(found)


def _remove(lines: list[str], drop: set[int]) -> list[str]:
    """Drop the given 1-based lines without leaving doubled blank lines behind."""
    out: list[str] = []
    removed_since = False
    for number, line in enumerate(lines, start=1):
        if number in drop:
            removed_since = True
            continue
        blank = not line.strip()
        if blank and removed_since and (not out or not out[-1].strip()):
            continue
        out.append(line)
        removed_since = False
    return out


def _values(scan: Scan, to: str) -> dict[str, Any]:
    """Front matter values for the keys ``to`` writes, in native order."""
    d: Decision = scan.decision
    status: Any = d.status
    slug_status = scan.raw_status and d.status == "superseded" and not d.superseded_by
    if slug_status:
        status = scan.raw_status  # "superseded by [slug](slug.md)": resolved per folder
    elif to == "madr" and d.status == "superseded" and d.superseded_by:
        status = f"superseded by ADR-{format_id(d.superseded_by[0])}"
    date: Any = d.date
    with contextlib.suppress(ValueError):
        date = dt.date.fromisoformat(d.date)
    values: dict[str, Any] = {
        "status": status,
        "date": date,
        "decision-makers": list(d.decision_makers),
        "consulted": list(d.consulted),
        "informed": list(d.informed),
        "tags": list(d.tags),
        "supersedes": list(d.supersedes),
        "superseded-by": list(d.superseded_by),
        "links": [frontmatter.flow_map({"rel": x.rel, "to": x.to}) for x in d.links]
        + [frontmatter.flow_map({"rel": x.rel, "to": x.target}) for x in d.remote_links],
    }
    return {k: values[k] for k in KEYS[to] if values[k] not in ("", [], None)}


def _fill(data: MutableMapping[str, Any], values: dict[str, Any], scan: Scan) -> None:
    for key, value in values.items():
        if key in scan.front_keys or (key == "decision-makers" and "deciders" in data):
            continue
        data[key] = frontmatter.flow_list(value) if isinstance(value, list) else value


def plan(
    store: Store, to: str = "native", progress: Callable[[int, int], None] | None = None
) -> Plan:
    """What ``adr migrate`` would change in the store's folder; writes nothing."""
    result = Plan()
    decisions = store.load_all()
    for done, decision in enumerate(decisions, 1):
        if progress is not None:
            progress(done, len(decisions))
        if any(p.code == formats.CODE_UNPARSEABLE for p in decision.problems):
            result.skipped.append((decision.path, decision.problems[0].message))
            continue
        try:
            text = store.read_text(decision)
        except Refused as exc:
            result.skipped.append((decision.path, exc.message))
            continue
        after = convert(decision.path, text, to)
        if after != text:
            result.changes.append(Change(decision.path, text, after))
    return result


def apply(store: Store, changes: list[Change]) -> list[Path]:
    """Write every change atomically; refuse a file that changed since it was planned."""
    for change in changes:
        if change.path.read_bytes().decode("utf-8", "replace") != change.before:
            raise Refused(f"{change.path.name} changed while migrating; run adr migrate again")
    for change in changes:
        store.ensure_inside(change.path)
    written = atomic_write_all((change.path, change.after) for change in changes)
    store.invalidate()
    return written
