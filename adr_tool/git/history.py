"""What ``git log`` tells us, as data: commits, their changes and trailers, and the parser
for the NUL-separated machine format vcs.py asks git for. Pure: no git is run here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from adr_tool.model import parse_ref

FIELDS = 8  # sha, parents, author, email, ISO date, timestamp, trailers, subject
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_STATUS = re.compile(r"[ACDMRTUXB][0-9]{0,3}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:+-]{8,14}Z?")
_STAMP = re.compile(r"-?[0-9]{1,12}")


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
    """The machine format for ``git log -z``: every field ends with NUL, the one byte no
    author name, subject or trailer can hold, so a commit's text cannot move a field
    boundary. Trailer values are parsed by git's rules and joined by GS."""
    trailers = f"%(trailers:key={trailer},valueonly,unfold,separator=%x1d)"
    return f"--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%at%x00{trailers}%x00%s%x00"


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


def _valid(fields: list[str]) -> bool:
    """A header git could have written: real SHAs, an ISO date, a number of seconds."""
    sha, parents, _, _, date, stamp = fields[:6]
    return (
        _SHA.fullmatch(sha) is not None
        and all(_SHA.fullmatch(p) for p in parents.split(" ") if p)
        and (not date or _DATE.fullmatch(date) is not None)
        and _STAMP.fullmatch(stamp) is not None
    )


def _changes(tokens: list[str], i: int) -> tuple[tuple[Change, ...], int]:
    """The ``--name-status -z`` entries from ``tokens[i]`` up to the next commit's SHA."""
    out: list[Change] = []
    while i < len(tokens):
        status = tokens[i].lstrip("\n")
        if not status:
            i += 1
            continue
        if _STATUS.fullmatch(status) is None:
            break
        if status[0] in "RC" and i + 2 < len(tokens):
            out.append(Change(status[0], tokens[i + 2], tokens[i + 1]))
            i += 3
        elif status[0] not in "RC" and i + 1 < len(tokens):
            out.append(Change(status[0], tokens[i + 1]))
            i += 2
        else:
            i = len(tokens)
    return tuple(out), i


def parse_changes(raw: str) -> tuple[Change, ...]:
    """The entries of ``git diff --name-status -z`` (renames as old and new path)."""
    return _changes(raw.split("\0"), 0)[0]


def parse_log(text: str) -> list[Commit]:
    """Parse ``git log -z`` with :func:`log_format` (and maybe ``--name-status``).

    Fields and file names are NUL-terminated; a commit is FIELDS fields and the empty
    token ``-z`` adds, then its changes. A header that does not validate (SHA, date,
    timestamp) is skipped token by token, never turned into a commit.
    """
    tokens = text.split("\0")
    commits: list[Commit] = []
    i = 0
    while i + FIELDS <= len(tokens):
        fields = tokens[i : i + FIELDS]
        fields[0] = fields[0].lstrip("\n")
        if not _valid(fields):
            i += 1
            continue
        sha, parents, author, email, date, stamp, trailers, subject = fields
        changes, i = _changes(tokens, i + FIELDS)
        refs, declined, bad = parse_trailer_values(trailers) if trailers else ((), False, ())
        commits.append(
            Commit(
                sha=sha,
                author=author,
                email=email,
                date=date,
                timestamp=int(stamp),
                subject=subject,
                refs=refs,
                changes=changes,
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
