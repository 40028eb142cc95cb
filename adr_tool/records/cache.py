"""The parse cache: Decisions kept between runs, keyed by file name + size + mtime_ns.

Where: ``<git dir>/adr-cache/`` inside a repository, else ``$XDG_CACHE_HOME/adr`` (or
``~/.cache/adr``). Never inside the decisions folder: if the location would be there,
there is no cache. One file per decisions folder, named by a hash of its path.

Format: ``marshal`` of plain tuples, dicts and strings, behind a magic word, a CRC32 of
the payload and a stamp of the code that parsed it. marshal builds only data; unlike
pickle it never calls constructors or imports modules, so a hostile cache file can give
wrong records at worst, not run code (and whoever can write ``.git/`` can already
install hooks). Anything unexpected (bad magic, CRC, stamp, shape) is ignored and
rebuilt. Files changed in the last two seconds are not cached, so an edit that keeps
size and mtime within one clock tick cannot be missed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import marshal
import os
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from stat import S_ISREG
from typing import Any

from adr_tool.config import Settings
from adr_tool.model import Decision, Link, Problem, RemoteLink, Section, TradeOff
from adr_tool.stamp import code_stamp

FORMAT = 2
MAGIC = b"ADRC"
RACY_NS = 2_000_000_000  # files younger than this are parsed, never cached
PARALLEL_MIN = 500  # from this many records to parse, a second process parses half
NESTED: dict[str, type] = {
    "tradeoffs": TradeOff,
    "links": Link,
    "remote_links": RemoteLink,
    "sections": Section,
    "problems": Problem,
}

MAX_CACHE_BYTES = 256 * 1024 * 1024  # ~140,000 records; anything bigger is not ours
Entry = tuple[int, int, dict[str, Any]]  # size, mtime_ns, encoded decision


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a symlink, FIFO or device) of
    at most ``limit`` bytes; None otherwise. Opening never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return raw if len(raw) <= limit else None


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


DECISION_FIELDS = _names(Decision)
NESTED_FIELDS = {key: _names(cls) for key, cls in NESTED.items()}


def _code_stamp() -> tuple[Any, ...]:
    """Changes whenever the parser or the data model could have changed."""
    shapes = (DECISION_FIELDS, *(NESTED_FIELDS[k] for k in sorted(NESTED_FIELDS)))
    return (FORMAT, sys.version_info[:2], code_stamp(), shapes)


def git_dir(root: Path) -> Path | None:
    """The repository's git directory (``.git`` or where a ``.git`` file points)."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = dot_git.read_text(encoding="utf-8").strip()
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:") :].strip())
                return target if target.is_absolute() else (root / target)
    return None


def cache_folder(settings: Settings, environ: Mapping[str, str]) -> Path | None:
    """``<git dir>/adr-cache``, or the user cache folder outside git (None: no home)."""
    if settings.git_root is not None:
        found = git_dir(settings.git_root)
        if found is not None:
            return found / "adr-cache"
    base = environ.get("XDG_CACHE_HOME") or ""
    if not base or not os.path.isabs(base):
        home = environ.get("HOME") or ""
        if not home:
            try:
                home = str(Path.home())
            except (RuntimeError, KeyError):
                return None
        base = os.path.join(home, ".cache")
    return Path(base) / "adr"


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _fast_build(cls: type) -> bool:
    """Whether instances can be made by filling ``__dict__`` (no slots, no post-init)."""
    return "__slots__" not in cls.__dict__ and not hasattr(cls, "__post_init__")


FAST = all(_fast_build(cls) for cls in (Decision, *NESTED.values()))
ALL_KEYS = frozenset(DECISION_FIELDS)
DECISION_KEYS = ALL_KEYS - {"path"}
NESTED_KEYS = {key: frozenset(fields) for key, fields in NESTED_FIELDS.items()}


def _intern(value: Any) -> Any:
    return sys.intern(value) if type(value) is str and len(value) < 64 else value


def encode(decision: Decision) -> dict[str, Any]:
    """A Decision as a dict of plain values (its ``path`` left out); nested as dicts."""
    if FAST and decision.__dict__.keys() == ALL_KEYS:
        fast = decision.__dict__.copy()
        del fast["path"]
        for name, keys in NESTED_KEYS.items():
            items = tuple(item.__dict__.copy() for item in fast[name])
            if any(item.keys() != keys for item in items):
                break
            fast[name] = items
        else:
            for section in fast["sections"]:
                section["heading"] = _intern(section["heading"])
            return fast
    out: dict[str, Any] = {}
    for name in DECISION_FIELDS:
        value = getattr(decision, name)
        if name == "path":
            continue
        if name in NESTED:
            fields = NESTED_FIELDS[name]
            value = tuple({f: _intern(getattr(item, f)) for f in fields} for item in value)
        elif type(value) is tuple:
            value = tuple(_intern(v) for v in value)
        elif type(value) is dict and name == "key_lines":
            value = {_intern(k): v for k, v in value.items()}
        out[name] = _intern(value)
    return out


def _make(cls: type, values: dict[str, Any]) -> Any:
    if FAST:
        obj: Any = object.__new__(cls)
        object.__setattr__(obj, "__dict__", values)
        return obj
    return cls(**values)  # pragma: no cover - a model with slots or __post_init__


def decode(path: Path, record: dict[str, Any]) -> Decision:
    """The inverse of ``encode``, built in place: ``record`` becomes the Decision's data
    (no second copy of 10,000 records in memory). Raises on any shape it does not expect."""
    if type(record) is not dict or record.keys() != DECISION_KEYS:
        raise ValueError("shape")
    for name, keys in NESTED_KEYS.items():
        items = record[name]
        if type(items) is not tuple:
            raise ValueError("shape")
        for item in items:
            if type(item) is not dict or item.keys() != keys:
                raise ValueError("shape")
        cls = NESTED[name]
        record[name] = tuple([_make(cls, item) for item in items])
    record["path"] = path
    decision: Decision = _make(Decision, record)
    return decision


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC while thousands of acyclic records are built (it rescans them all)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ParseCache:
    """Decisions of one folder, reused while a file's size and mtime_ns stay the same."""

    def __init__(self, file: Path, parallel_min: int = 0) -> None:
        self.file = file
        self.parallel_min = parallel_min or PARALLEL_MIN
        self.hits = 0
        self.misses = 0
        self.writes = 0

    @classmethod
    def for_settings(cls, settings: Settings, environ: Mapping[str, str]) -> ParseCache | None:
        """The cache for ``settings.directory``, or None where a cache must not live."""
        folder = cache_folder(settings, environ)
        if folder is None or _inside(folder, settings.directory):
            return None
        key = hashlib.sha1(str(settings.directory.resolve()).encode("utf-8", "surrogatepass"))
        return cls(folder / f"records-{key.hexdigest()[:16]}.bin")

    def _read(self, stamp: tuple[Any, ...]) -> dict[str, Entry]:
        raw = read_regular(self.file, MAX_CACHE_BYTES)
        if raw is None:
            return {}
        if len(raw) < 8 or raw[:4] != MAGIC:
            return {}
        payload = memoryview(raw)[8:]  # no 18 MB copy at 10,000 records
        if int.from_bytes(raw[4:8], "big") != zlib.crc32(payload):
            return {}
        try:
            data = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return {}
        if not isinstance(data, tuple) or len(data) != 2 or data[0] != stamp:
            return {}
        entries = data[1]
        return entries if isinstance(entries, dict) else {}

    def _write(self, stamp: tuple[Any, ...], entries: dict[str, Entry]) -> None:
        try:
            payload = marshal.dumps((stamp, entries))
        except ValueError:  # a value marshal cannot hold: keep only the records it can
            kept = {}
            for name, entry in entries.items():
                with contextlib.suppress(ValueError):
                    marshal.dumps(entry)
                    kept[name] = entry
            payload = marshal.dumps((stamp, kept))
        blob = MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".adr-cache-", dir=self.file.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                os.replace(temp, self.file)
                self.writes += 1
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp)

    def load(self, paths: list[Path], read: Callable[[Path], Decision]) -> list[Decision]:
        """``read(path)`` for every path, answered from the cache where it is current."""
        stamp = _code_stamp()
        keep: dict[str, tuple[int, int, Decision]] = {}
        out: list[Decision | None] = [None] * len(paths)
        todo: list[tuple[int, Path, os.stat_result | None]] = []
        with gc_paused():  # only here: parsing makes cyclic garbage (ruamel's loaders)
            entries = self._read(stamp)  # unmarshalling 10,000 dicts is acyclic too
            for index, path in enumerate(paths):
                try:
                    info = os.stat(path)
                except OSError:
                    todo.append((index, path, None))
                    continue
                name = path.name
                entry = entries.get(name)
                if entry is not None and (entry[0], entry[1]) == (info.st_size, info.st_mtime_ns):
                    try:
                        decision = decode(path, entry[2])
                    except Exception:  # any malformed entry is a miss, never an error
                        pass
                    else:
                        self.hits += 1
                        out[index] = decision
                        keep[name] = (info.st_size, info.st_mtime_ns, decision)
                        continue
                todo.append((index, path, info))
        self.misses += len(todo)
        parsed = parse_many([path for _, path, _ in todo], read, self.parallel_min)
        changed = False
        racy_after = time.time_ns() - RACY_NS
        for (index, path, stat), decision in zip(todo, parsed, strict=True):
            out[index] = decision
            if stat is not None and stat.st_mtime_ns < racy_after:
                keep[path.name] = (stat.st_size, stat.st_mtime_ns, decision)
                changed = True
        if changed or keep.keys() != entries.keys():
            self._write(stamp, {n: (s, m, encode(d)) for n, (s, m, d) in keep.items()})
        return [d for d in out if d is not None]


def parse_many(
    paths: list[Path], read: Callable[[Path], Decision], parallel_min: int = PARALLEL_MIN
) -> list[Decision]:
    """``read`` every path; from ``parallel_min`` paths up, a forked child reads half.

    The child sends its records back marshalled through a pipe; if anything goes wrong
    (no fork, a crash, a value marshal cannot carry) the parent reads those paths itself.
    """
    if len(paths) < max(parallel_min, 2) or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return [read(path) for path in paths]
    half = len(paths) // 2
    mine, theirs = paths[:half], paths[half:]
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:  # pragma: no cover - out of processes or descriptors
        return [read(path) for path in paths]
    if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
        code = 1
        try:
            os.close(read_end)
            records: list[Any] = [encode(read(path)) for path in theirs]
            try:
                blob = marshal.dumps(records)
            except ValueError:
                records = [r if _marshallable(r) else None for r in records]
                blob = marshal.dumps(records)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    done = [read(path) for path in mine]
    with os.fdopen(read_end, "rb") as pipe:
        blob = pipe.read()
    _, status = os.waitpid(pid, 0)
    received: Any = None
    if status == 0:
        with contextlib.suppress(EOFError, ValueError, TypeError):
            received = marshal.loads(blob)
    if not isinstance(received, list) or len(received) != len(theirs):
        return done + [read(path) for path in theirs]
    for path, record in zip(theirs, received, strict=True):
        decision = None
        if isinstance(record, dict):
            with contextlib.suppress(Exception):
                decision = decode(path, record)
        done.append(decision if decision is not None else read(path))
    return done


def _marshallable(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True
