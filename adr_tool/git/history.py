"""What ``git log`` tells us, as data: commits, their changes and trailers, and the parser
for the NUL-separated machine format vcs.py asks git for. Pure: no git is run here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from adr_tool.model import parse_ref

RS, US = "\x1e", "\x1f"
FIELDS = 8


@dataclass(frozen=True)
class Change:
    """One file a commit touched: git's status letter, the path, and the old path of a rename."""

    status: str
    path: str
    old_path: str = ""


@dataclass(frozen=True)
class Commit:
    """One commit as read from the log; paths are relative to the repository top level."""

    sha: str
    author: str
    email: str
    date: str
    timestamp: int
    subject: str
    refs: tuple[int, ...] = ()
    changes: tuple[Change, ...] = ()
    parents: tuple[str, ...] = ()
    declined: bool = False  # carries ``Decision: none``
    bad_refs: tuple[str, ...] = ()  # trailer values that name no record number

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def files(self) -> tuple[str, ...]:
        out: list[str] = []
        for change in self.changes:
            if change.old_path:
                out.append(change.old_path)
            out.append(change.path)
        return tuple(out)


@dataclass(frozen=True)
class History:
    """The commits reachable from HEAD (newest first) and what we know about the repo."""

    commits: tuple[Commit, ...] = ()
    available: bool = True
    empty: bool = False
    shallow: bool = False
    detached: bool = False
    head: str = ""
    top: Path | None = None
    notes: tuple[str, ...] = ()
    has_files: bool = False
    boundary: frozenset[str] = frozenset()  # shallow clone: commits whose parents are cut off

    def by_sha(self) -> dict[str, Commit]:
        return {c.sha: c for c in self.commits}

    def find(self, rev: str) -> Commit | None:
        """The commit whose SHA is ``rev`` or starts with it (at least 4 hex digits)."""
        rev = rev.strip().lower()
        if len(rev) < 4:
            return None
        for commit in self.commits:
            if commit.sha.startswith(rev):
                return commit
        return None


def log_format(trailer: str) -> str:
    """The machine format: fields split by US, records started by RS; trailers by git's rules."""
    trailers = f"%(trailers:key={trailer},valueonly,unfold,separator=%x1d)"
    return f"--format=%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%at%x1f{trailers}%x1f%s%x1f"


def parse_trailer_values(raw: str) -> tuple[tuple[int, ...], bool, tuple[str, ...]]:
    """``"7, ADR-0008\\x1dnone"`` → ((7, 8), declined=True, bad=())."""
    refs: list[int] = []
    bad: list[str] = []
    declined = False
    for value in re.split(r"[,\x1d]", raw):
        value = value.strip()
        if not value:
            continue
        if value.split()[0].lower().rstrip(".:;") == "none":
            declined = True
            continue
        number = parse_ref(value)
        if number is None:
            bad.append(value)
        elif number not in refs:
            refs.append(number)
    return tuple(refs), declined, tuple(bad)


def parse_changes(raw: str) -> tuple[Change, ...]:
    tokens = raw.lstrip("\n").split("\0")
    out: list[Change] = []
    i = 0
    while i < len(tokens):
        status = tokens[i].strip()
        if not status:
            i += 1
            continue
        if status[0] in "RC" and i + 2 < len(tokens):
            out.append(Change(status[0], tokens[i + 2], tokens[i + 1]))
            i += 3
        elif i + 1 < len(tokens):
            out.append(Change(status[0], tokens[i + 1]))
            i += 2
        else:
            break
    return tuple(out)


def parse_log(text: str) -> list[Commit]:
    """Parse the output of ``git log -z`` with :func:`log_format` (and maybe --name-status)."""
    commits: list[Commit] = []
    for chunk in text.split(RS):
        header, _, rest = chunk.partition(US + "\0")
        fields = header.split(US, FIELDS - 1)
        if len(fields) != FIELDS:
            continue
        sha, parents, author, email, date, stamp, trailers, subject = fields
        refs, declined, bad = parse_trailer_values(trailers) if trailers else ((), False, ())
        commits.append(
            Commit(
                sha=sha,
                author=author,
                email=email,
                date=date,
                timestamp=int(stamp or 0),
                subject=subject,
                refs=refs,
                changes=parse_changes(rest) if rest else (),
                parents=tuple(parents.split()),
                declined=declined,
                bad_refs=bad,
            )
        )
    return commits


def first_commits(history: History) -> dict[str, Commit]:
    """Path (relative to the top level) → the commit that first added it, across renames.

    A copy (status ``C``, if git was asked to find them) is a new file born in its own
    commit, never the continuation of the file it resembles. A file added in a shallow
    clone's boundary commit is left out: where it was really added is not known.
    """
    born: dict[str, Commit] = {}
    for commit in reversed(history.commits):  # oldest first
        if commit.sha in history.boundary:  # a shallow cut: not where files were added
            continue
        for change in commit.changes:
            if change.status == "R" and change.old_path in born:
                born.setdefault(change.path, born.pop(change.old_path))
            elif change.status in "ARC":
                born.setdefault(change.path, commit)
            elif change.status == "D":
                born.pop(change.path, None)
    return born
