"""The decision folder: list and load records, take the next number, write atomically."""

from __future__ import annotations

import contextlib
import errno
import gc
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from adr_tool import confine
from adr_tool.config import Settings
from adr_tool.errors import ConfigError, NotFound, ParseError, Refused, UsageError
from adr_tool.model import PENDING, Decision, record_filename

if TYPE_CHECKING:
    from adr_tool.records.cache import ParseCache

NOT_RECORDS = frozenset({"readme.md", "index.md", "template.md", "toc.md"})
TEMP_PREFIX = ".adr-tmp-"
_UNDECODED = re.compile("[\ud800-\udfff]")
STALE_TEMP_SECONDS = 5.0  # older temp files are a killed writer's; younger may be live
_SWEPT: set[str] = set()  # folders this process has swept for a killed writer's temp files


def is_record_name(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(".md") and not lowered.startswith(".") and lowered not in NOT_RECORDS


def stat_all(folder: Path, names: list[str]) -> list[os.stat_result | None]:
    """``os.stat`` of each file of ``folder`` (None where it fails), by name relative to
    the open folder: no path is built or resolved per file."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return [None] * len(names)
    out: list[os.stat_result | None] = []
    stat, append = os.stat, out.append
    try:
        for name in names:
            try:
                append(stat(name, dir_fd=fd))
            except OSError:
                append(None)
    finally:
        os.close(fd)
    return out


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def new_file_mode() -> int:
    """The mode an editor's new file gets: 0o666 less the process umask (mkstemp's 0600
    would hide a new record or index from the rest of a shared group)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _write_temp(folder: Path, text: str, seen: list[str] | None = None) -> Path:
    try:  # encoded once, in C (a pattern scan of a 6 MB index cost 55 ms)
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that was not UTF-8 (surrogateescape) → U+FFFD
        data = _UNDECODED.sub("\ufffd", text).encode("utf-8")
    _sweep_once(folder, seen)
    import tempfile  # only when writing: most runs only read

    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        with contextlib.suppress(OSError):
            os.chmod(name, new_file_mode())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _sweep_once(folder: Path, seen: list[str] | None = None) -> None:
    """One stale-temp sweep per folder per process (a glob of the whole folder per write
    made writing N records quadratic). ``seen``: the temp files a listing of the folder
    just found, so that it is not listed a second time."""
    key = os.path.abspath(folder)
    if key not in _SWEPT:
        _SWEPT.add(key)
        clean_stale_temp_files(folder, min_age=STALE_TEMP_SECONDS, seen=seen)


def atomic_write(path: Path, text: str, *, sync_dir: bool = True) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half.
    ``sync_dir=False`` leaves the folder's fsync to the caller (:func:`atomic_write_all`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _write_temp(path.parent, text)
    try:
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if sync_dir:
        _fsync_dir(path.parent)


def atomic_write_all(items: Iterable[tuple[Path, str]]) -> list[Path]:
    """:func:`atomic_write` each (path, text) in turn, fsyncing each file once and each
    folder once at the end (not once per record); returns the paths written."""
    written: list[Path] = []
    folders: dict[Path, None] = {}
    try:
        for path, text in items:
            atomic_write(path, text, sync_dir=False)
            written.append(path)
            folders[path.parent] = None
    finally:
        for folder in folders:
            _fsync_dir(folder)
    return written


def create_exclusive(path: Path, text: str, seen: list[str] | None = None) -> bool:
    """Create ``path`` with its full content at once; False if the name is taken.
    ``seen``: temp files a listing of the folder just found (see :func:`_sweep_once`)."""
    temp = _write_temp(path.parent, text, seen)
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError as exc:  # pragma: no cover - file systems without hard links
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
            raise
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _fsync_dir(path.parent)
    return True


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An advisory lock on the folder itself (no lock file left behind)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: exclusive create still protects names
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class Memo(Protocol):
    """Somewhere to keep a value derived from every record until one of them changes."""

    def recall(self, key: str) -> str | None: ...
    def remember(self, key: str, value: str) -> None: ...


_number: Callable[[Decision], int] = operator.attrgetter("number")


class Store:
    """The records of one decision folder."""

    def __init__(self, settings: Settings, cache: ParseCache | None = None) -> None:
        self.settings = settings
        self.directory = settings.directory
        self.cache = cache
        self._decisions: list[Decision] | None = None
        # called as progress(done, total) while records are parsed (a bar in the cli)
        self.progress: Callable[[int, int], None] | None = None
        self.skipped: list[str] = []  # symlinked records that lead out of the tree
        self.temps: list[str] | None = None  # temp files the last listing found
        # the listing and one stat per record, taken by current() for load_all() to reuse
        self._listing: tuple[list[str], list[os.stat_result | None]] | None = None

    def paths(self, names: list[str] | None = None) -> list[Path]:
        # pathlib's own fast path for a name from a directory listing (what iterdir uses):
        # a quarter of the cost of ``directory / name`` over 10,000 names
        child = getattr(self.directory, "_make_child_relpath", self.directory.joinpath)
        return [child(name) for name in (self.names() if names is None else names)]

    def names(self) -> list[str]:
        """File names of the records in the folder, sorted (no index, no outside links)."""
        if not self.directory.is_dir():
            return []
        if confine.in_git_dir(self.directory, self.settings.root):
            raise ConfigError(
                f"the decisions folder {self.directory} is inside the git directory; "
                "refusing to read it"
            )
        index = self.settings.index.resolve() if self.settings.index else None
        # resolve() per file costs a dozen syscalls: only symlinks need it
        index_here = index is not None and index.parent == self.directory.resolve()
        root = self.settings.root.resolve()
        out, skipped, temps = [], [], []
        index_name = index.name if index_here and index is not None else None
        with os.scandir(self.directory) as entries:
            for entry in entries:
                name = entry.name
                lowered = name.lower()  # is_record_name, inline: this runs per file
                if not lowered.endswith(".md") or lowered[0] == ".":
                    if name.startswith(TEMP_PREFIX):
                        temps.append(name)
                    continue
                if lowered in NOT_RECORDS or not entry.is_file():
                    continue
                if entry.is_symlink():
                    real = Path(entry.path).resolve()
                    if not confine.allowed(real, root):
                        skipped.append(name)  # never read: outside or in .git
                        continue
                    if index is None or real != index:
                        out.append(name)
                elif name != index_name:
                    out.append(name)
        self.skipped = sorted(skipped)
        self.temps = temps
        return sorted(out)

    def load_all(self) -> list[Decision]:
        """Every record, sorted by number; NotFound when there is no decisions folder
        (reading nothing must not look like reading a clean folder)."""
        if self._decisions is None:
            from adr_tool.records import numbering

            self.require_folder()
            names, stats = self._listing or (None, None)
            paths, report, done = self.paths(names), self.progress, [0]
            parsers: list[Callable[[Path], Decision]] = []

            def read(path: Path) -> Decision:  # the parsers (48 patterns) once one is needed
                if not parsers:
                    from adr_tool.records.formats import read as parse

                    parsers.append(parse)
                if report is not None:
                    done[0] += 1
                    report(done[0], len(paths))
                return parsers[0](path)

            if self.cache is not None:
                decisions = self.cache.load(paths, read, stats)
            else:  # --no-cache: both cores still parse
                from adr_tool.records.parallel import parse_many

                decisions = parse_many(paths, read)
            decisions = numbering.number_records(decisions)  # log4brains ordinals, slug links
            # paths() is in name order and the sort is stable: by (number, name) without
            # computing 10,000 Path.name keys
            self._decisions = sorted(decisions, key=_number)
            # the records live as long as the command: later collections need not
            # rescan them (a third of warm `adr check` at 10,000 was the cyclic GC)
            gc.freeze()
        return self._decisions

    def current(self) -> bool:
        """Whether the parse cache holds every record as it is now, judged by one stat
        per record without loading any: memos (:meth:`recall`) then answer for the
        folder, and a command whose answer is remembered need not load it at all."""
        if self.cache is None:
            return False
        if self._decisions is None and self._listing is None:
            self.require_folder()
            names = self.names()
            self._listing = (names, stat_all(self.directory, names))
            self.cache.current(*self._listing)
        return self.cache.generation is not None

    def recall(self, key: str) -> str | None:
        """A memo for exactly the records of the folder (see :class:`Memo`), once they
        are loaded or :meth:`current`; None without one."""
        if self.cache is None or self.cache.generation is None:
            return None
        return self.cache.recall(key)

    def remember(self, key: str, value: str) -> None:
        if self.cache is not None and self.cache.generation is not None:
            self.cache.remember(key, value)

    def require_folder(self) -> None:
        if self.directory.is_dir():
            return
        settings = self.settings
        where = settings.relative(self.directory)
        named = settings.config_path or next(
            (
                p
                for p in (settings.root / ".adr-dir", settings.root / ".log4brains.yml")
                if p.is_file()
            ),
            None,
        )
        if named is not None:
            raise NotFound(
                f"no decisions folder found: {where} (named by {named.name}) does not exist; "
                "run `adr init` or fix the folder name"
            )
        raise NotFound(
            f"no decisions folder found in {settings.root} (no .adr.yaml, no .adr-dir, "
            "no docs/decisions, docs/adr or doc/adr); run `adr init`"
        )

    def invalidate(self) -> None:
        """The folder changed: forget the records, the listing and the memos' licence."""
        self._decisions = None
        self._listing = None
        if self.cache is not None:
            self.cache.generation = None

    def _only(self, number: int) -> list[Decision] | None:
        """The records numbered ``number``, reading only their files; None when the
        folder needs a whole load to know (log4brains ordinals, links naming slugs)."""
        from adr_tool.records import formats, numbering

        names = self.names()
        if numbering.ordinals(names):
            return None
        read, identity = formats.read, formats.identity
        found = [read(self.directory / n) for n in names if identity(n)[0] == number]
        if any(PENDING in d.extra for d in found):
            return None
        return found

    def get(self, number: int) -> Decision:
        """One record by number. Reads only its own file unless the folder is loaded."""
        matches = None if self._decisions is not None else self._only(number)
        if matches is None:
            matches = [d for d in self.load_all() if d.number == number]
        if not matches:
            raise NotFound(
                f"no record numbered {number} in {self.settings.relative(self.directory)}"
            )
        if len(matches) > 1:
            names = ", ".join(d.path.name for d in matches)
            raise Refused(f"number {number} is taken by {names}; run 'adr renumber' first")
        return matches[0]

    def next_number(self) -> int:
        from adr_tool.records.numbering import next_number

        return next_number(self.names())

    def create(self, title: str, render: Callable[[int], str]) -> Path:
        """Write a new record at the next free number; safe against concurrent creators."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with folder_lock(self.directory):
            for _ in range(1000):
                number = self.next_number()
                path = self.directory / record_filename(number, title)
                self.ensure_inside(path)
                if create_exclusive(path, render(number), self.temps):
                    self.invalidate()
                    return path
        raise Refused("could not find a free record number after 1000 tries")  # pragma: no cover

    def ensure_inside(self, path: Path) -> None:
        folder = self.directory.resolve()
        if path.resolve().parent != folder:
            raise UsageError(f"refusing to write {path}: it is not directly inside {folder}")

    def save(self, decision: Decision, text: str) -> None:
        self.ensure_inside(decision.path)
        atomic_write(decision.path, text)
        self.invalidate()

    def body(self, decision: Decision) -> str:
        """The Markdown after the front matter (the whole file when there is none)."""
        from adr_tool.records import frontmatter

        text = decision.path.read_bytes().decode("utf-8", errors="replace")
        try:
            return frontmatter.split(text, decision.path).body
        except ParseError:
            return frontmatter.normalise(text)[0]

    def read_text(self, decision: Decision) -> str:
        raw = decision.path.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(
                f"{self.settings.relative(decision.path)} is not valid UTF-8; fix it before editing"
            ) from None


def clean_stale_temp_files(
    folder: Path, min_age: float = 0.0, seen: list[str] | None = None
) -> int:
    """Remove temp files a killed writer left behind (at least ``min_age`` seconds old,
    so a writer still at work keeps its own); returns how many. The first write to a folder
    in a process calls this."""
    import time

    removed = 0
    if not folder.is_dir():
        return 0
    cutoff = time.time() - min_age
    if seen is not None:
        stale = [os.path.join(folder, name) for name in seen]
    else:
        with os.scandir(folder) as entries:  # a prefix test per name, not a glob pattern
            stale = [e.path for e in entries if e.name.startswith(TEMP_PREFIX)]
    for name in (n for n in stale if n.endswith(".tmp")):
        with contextlib.suppress(OSError):
            if min_age and os.lstat(name).st_mtime > cutoff:
                continue
            os.unlink(name)
            removed += 1
    return removed
