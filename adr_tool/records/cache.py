"""The parse cache: Decisions kept between runs, keyed by file name, size, mtime_ns and
inode — one ``stat`` per record, the record file is not opened.

Where: ``<git dir>/adr-cache/`` inside a repository, else ``$XDG_CACHE_HOME/adr`` (or
``~/.cache/adr``). Never inside the decisions folder: if the location would be there,
there is no cache. One file per decisions folder, named by a hash of its path.

Format 4 (decision 0014): a 40-byte header (magic word, CRC32 of the table, the table's
length, a digest of every record's stat key and the code stamp — the *snapshot* — and
the token that names this write), the table — ``marshal`` of the code stamp and one
compact entry per record (stat key, a tuple of field values, where its sections lie) —
then the section blobs,
each with its own CRC32, read only when a command asks for a record's sections
(``records.packed``). marshal builds only data; unlike pickle it never calls
constructors or imports modules, so a hostile cache file can give wrong records at
worst, not run code (and whoever can write ``.git/`` can already install hooks).
Anything unexpected (bad magic, CRC, stamp, shape) is ignored and rebuilt. Files changed
in the last two seconds are not cached, so an edit that keeps size and mtime within one
clock tick cannot be missed.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from stat import S_ISREG
from typing import Any, cast

from adr_tool import hashes
from adr_tool.config import Settings
from adr_tool.model import Decision
from adr_tool.records import packed
from adr_tool.records.cachefile import (
    MAX_MEMO_VALUE,
    WRITING,
    Writer,
    read_memos,
    write_atomic,
    write_memos,
)
from adr_tool.records.packed import (
    BlobFile,
    Sections,
    decode,
    encode,
    gc_paused,
    marshallable,
)
from adr_tool.records.parallel import PARALLEL_MIN, Parsed, parse_many_packed, reread
from adr_tool.stamp import code_stamp, user_cache_folder

FORMAT = 4  # 3: one tuple per record, sections in a blob decoded on use, inode; 4: snapshot
MAGIC = b"ADRC"
RACY_NS = 2_000_000_000  # files younger than this are parsed, never cached

MAX_CACHE_BYTES = 256 * 1024 * 1024  # ~140,000 records; anything bigger is not ours
HEADER = 40  # magic, CRC32 of the table, the table's length, snapshot (16), token (8)
# size, mtime_ns, inode, field values, and where the sections blob lies: offset, length, CRC
Entry = tuple[int, int, int, tuple[Any, ...], int, int, int]
# a record to write: name, (size, mtime_ns, inode, values), its blob, the blob's CRC if known
Row = tuple[str, tuple[int, int, int, tuple[Any, ...]], bytes, int | None]


def snapshot(stamp: tuple[Any, ...], names: Sequence[str], *columns: Sequence[int]) -> bytes:
    """A digest of the code stamp and every record's stat key (name; ``columns``: sizes,
    ``mtime_ns``, inodes), in name order: equal for the folder and a cache file only when
    the file holds exactly the folder's records, each unchanged, for this code. Numbers
    go in as machine words: marshalling 10,000 key tuples cost more than the stats."""
    digest = hashes.blake2b(marshal.dumps(stamp, 2), digest_size=16)
    digest.update(len(names).to_bytes(8, "big"))
    digest.update("\0".join(names).encode("utf-8", "surrogateescape"))  # no name holds NUL
    for kind, values in zip("qqQ", columns, strict=True):
        try:
            digest.update(array(kind, values).tobytes())
        except OverflowError:  # an inode wider than 64 bits
            digest.update(marshal.dumps(list(values), 2))
    return digest.digest()


def _code_stamp() -> tuple[Any, ...]:
    """Changes whenever the parser or the data model could have changed."""
    return (FORMAT, sys.version_info[:2], code_stamp(), packed.SHAPES)


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
    folder = user_cache_folder(environ)
    return Path(folder) if folder is not None else None


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


class ParseCache:
    """Decisions of one folder, reused while a file's size and mtime_ns stay the same."""

    def __init__(self, file: Path, parallel_min: int = 0) -> None:
        self.file = file
        self.parallel_min = parallel_min or PARALLEL_MIN
        self.hits = 0
        self.misses = 0
        self._writes = 0
        self.kept = 0  # records in the file this object last wrote
        self._writer: Writer | None = None  # a forked process writing this cache file
        self.token = ""  # names the records a cache file holds (new at every write)
        # the token, when this run's records are exactly the file's: memos are valid
        self.generation: str | None = None
        self._memo_copy: tuple[str, dict[str, str]] | None = None  # (generation, memos)

    @property
    def writes(self) -> int:
        """Cache files this object wrote (a forked writer's once it has finished)."""
        self.settle()
        return self._writes

    def settle(self) -> None:
        """Wait for the process writing this cache file, if one still is: anything that
        reads the file (a load, a snapshot) sees it whole and written."""
        pending = WRITING.pop(self.file, None)
        if pending is not None:
            pending.wait()
        if self._writer is not None:
            if self._writer.wait():
                self._writes += 1
            self._writer = None

    @classmethod
    def for_settings(cls, settings: Settings, environ: Mapping[str, str]) -> ParseCache | None:
        """The cache for ``settings.directory``, or None where a cache must not live."""
        folder = cache_folder(settings, environ)
        if folder is None or _inside(folder, settings.directory):
            return None
        key = hashes.sha1(str(settings.directory.resolve()).encode("utf-8", "surrogatepass"))
        return cls(folder / f"records-{key.hexdigest()[:16]}.bin")

    def _open(self) -> tuple[int, os.stat_result, bytes] | None:
        """The cache file, open (never through a symlink), its stat and its header."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.file, flags)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if S_ISREG(info.st_mode) and info.st_size <= MAX_CACHE_BYTES:
                head = os.pread(fd, HEADER, 0)
                if len(head) == HEADER and head[:4] == MAGIC:
                    return fd, info, head
        except OSError:
            pass
        os.close(fd)
        return None

    def current(self, names: list[str], stats: list[os.stat_result | None]) -> bool:
        """Whether the cache file holds exactly these records (sorted names and their
        stats), each unchanged, judged by the stats alone without reading its table:
        memos are then valid before (or instead of) loading the records."""
        self.settle()  # a file this process is still writing: wait for it
        if None in stats:
            return False
        opened = self._open()
        if opened is None:
            return False
        fd, _, head = opened
        os.close(fd)
        known = cast("list[os.stat_result]", stats)  # None is ruled out above
        sizes = [info.st_size for info in known]
        mtimes = [info.st_mtime_ns for info in known]
        inodes = [info.st_ino for info in known]
        if head[16:32] != snapshot(_code_stamp(), names, sizes, mtimes, inodes):
            return False
        self.token = self.generation = head[32:40].hex()
        return True

    def _read(self, stamp: tuple[Any, ...]) -> tuple[dict[str, Entry], BlobFile | None]:
        """The table of a cache file written by this code, and the open file its section
        blobs are read from; nothing when the file is missing, foreign or damaged."""
        opened = self._open()
        if opened is None:
            return {}, None
        fd, info, head = opened
        source = None
        try:
            length = int.from_bytes(head[8:16], "big")
            if HEADER + length > info.st_size:
                return {}, None
            table = os.pread(fd, length, HEADER)
            if len(table) != length or int.from_bytes(head[4:8], "big") != zlib.crc32(table):
                return {}, None
            data = marshal.loads(table)
            if not isinstance(data, tuple) or len(data) != 2 or data[0] != stamp:
                return {}, None
            entries = data[1]
            if not isinstance(entries, dict):
                return {}, None
            self.token = head[32:40].hex()
            source = BlobFile(fd, HEADER + length, info.st_size - HEADER - length, self.file)
            return entries, source
        except (OSError, EOFError, ValueError, TypeError):
            return {}, None
        finally:
            if source is None:
                os.close(fd)

    def _write(self, stamp: tuple[Any, ...], rows: list[Row]) -> bool:
        """Write the table and the blobs: a row's CRC is the one its blob was kept with,
        or computed (None) for a record just parsed. Rows come marshallable (see
        ``packed.marshallable``); should one not be, each is tried and what marshal
        cannot hold is left out (it is parsed on every run). True when the file was
        written; its token is then ``self.token`` and ``self.kept`` how many records
        it holds."""
        try:
            entries, region = _layout(rows)
            payload = marshal.dumps((stamp, entries))
        except ValueError:
            entries, region = _layout([row for row in rows if _marshals(row[1][3])])
            payload = marshal.dumps((stamp, entries))
        names = sorted(entries)
        keys = [entries[name] for name in names]
        header = b"".join(
            [
                MAGIC,
                zlib.crc32(payload).to_bytes(4, "big"),
                len(payload).to_bytes(8, "big"),
                snapshot(
                    stamp,
                    names,
                    [key[0] for key in keys],
                    [key[1] for key in keys],
                    [key[2] for key in keys],
                ),
                token := os.urandom(8),
            ]
        )
        if not write_atomic(self.file, header, payload, *region):
            return False
        self.token, self.kept = token.hex(), len(entries)
        return True

    def load(
        self,
        paths: list[Path],
        read: Callable[[Path], Decision],
        stats: list[os.stat_result | None] | None = None,
    ) -> list[Decision]:
        """``read(path)`` for every path, answered from the cache where it is current:
        same name, size, mtime_ns and inode (one ``stat``, or the one given in ``stats``;
        the file is not opened)."""
        self.settle()
        stamp = _code_stamp()
        hits: dict[str, Decision] = {}
        out: list[Decision | None] = [None] * len(paths)
        todo: list[tuple[int, Path, os.stat_result | None]] = []
        with gc_paused():  # only here: parsing makes cyclic garbage (ruamel's loaders)
            entries, source = self._read(stamp)  # unmarshalling 10,000 tuples is acyclic
            stat = os.stat
            for index, path in enumerate(paths):
                if stats is not None:
                    info = stats[index]
                else:
                    try:
                        info = stat(path)
                    except OSError:
                        info = None
                if info is None:
                    todo.append((index, path, None))
                    continue
                name = path.name
                entry = entries.get(name)
                if (
                    source is not None
                    and entry is not None
                    and entry[0] == info.st_size
                    and entry[1] == info.st_mtime_ns
                    and entry[2] == info.st_ino
                ):
                    try:
                        where = (entry[4], entry[5], entry[6])
                        decision = decode(path, entry[3], Sections(source, where, path, reread))
                    except Exception:  # any malformed entry is a miss, never an error
                        pass
                    else:
                        out[index] = hits[name] = decision
                        continue
                todo.append((index, path, info))
            # what was just built lives as long as the command: out of the collector's
            # reach before it is switched on again (else its first pass walks it all)
            gc.freeze()
        self.hits += len(hits)
        self.misses += len(todo)
        sizes = [info.st_size if info is not None else 0 for _, _, info in todo]
        parsed = parse_many_packed([path for _, path, _ in todo], read, self.parallel_min, sizes)
        fresh: dict[str, tuple[os.stat_result, Parsed]] = {}
        racy_after = time.time_ns() - RACY_NS
        for (index, path, known), one in zip(todo, parsed, strict=True):
            out[index] = one[0]
            if known is not None and known.st_mtime_ns < racy_after:
                fresh[path.name] = (known, one)
        if fresh or hits.keys() != entries.keys():
            self.generation = None  # a snapshot taken before this load no longer holds

            def rewrite() -> bool:
                with gc_paused():  # packing builds nothing that lives on
                    return self._rewrite(stamp, entries, hits, fresh, source)

            if len(fresh) < self.parallel_min:
                written = rewrite()
                self._writes += written
                if written and self.kept == len(paths):
                    # the new file holds every record as loaded here: this run's memos
                    # hold for it, so the run after an edit is answered from them
                    self.generation = self.token
            else:  # thousands to pack: a forked writer packs and writes while we go on
                self._writer = WRITING[self.file] = Writer(rewrite)  # (memos: next run)
        elif not todo and self.token:
            self.generation = self.token
        return [d for d in out if d is not None]

    # --- memos: values derived from every record, valid while no record changes --------

    @property
    def memo_file(self) -> Path:
        return self.file.with_suffix(".memo")

    def _memos(self) -> dict[str, str]:
        if self.generation is None:
            return {}
        if self._memo_copy is None or self._memo_copy[0] != self.generation:
            self._memo_copy = (self.generation, read_memos(self.memo_file, self.generation))
        return self._memo_copy[1]

    def recall(self, key: str) -> str | None:
        """What :meth:`remember` kept under ``key`` for exactly these records, if anything."""
        return self._memos().get(key)

    def remember(self, key: str, value: str) -> None:
        """Keep ``value`` for as long as the records stay as they are (a few keys at most;
        a memo never outlives a change to any record)."""
        if self.generation is None or len(value) > MAX_MEMO_VALUE:
            return
        memos = dict(self._memos())
        memos.pop(key, None)
        memos[key] = value
        kept = write_memos(self.memo_file, self.generation, memos)
        self._memo_copy = (self.generation, kept)

    def _rewrite(
        self,
        stamp: tuple[Any, ...],
        entries: dict[str, Entry],
        hits: dict[str, Decision],
        fresh: dict[str, tuple[os.stat_result, Parsed]],
        source: BlobFile | None,
    ) -> bool:
        """A new file of the hits (their blobs copied as they lie, from one read of the
        old region) and the records just parsed; True when it was written."""
        region = source.read(0, source.size) if source is not None and hits else None
        rows: list[Row] = []
        for name, decision in hits.items():
            entry = entries[name]
            if region is not None:
                blob, crc = region[entry[4] : entry[4] + entry[5]], entry[6]
            else:  # pragma: no cover - the open cache file could not be read again
                blob, crc = packed.sections_blob(decision.sections), None
            rows.append((name, entry[:4], blob, crc))
        for name, (info, (decision, record, crc)) in fresh.items():
            if record is None:
                record = encode(decision)
                if not marshallable(record[0]):
                    continue
            values, blob = record
            rows.append((name, (info.st_size, info.st_mtime_ns, info.st_ino, values), blob, crc))
        return self._write(stamp, rows)


def _layout(rows: list[Row]) -> tuple[dict[str, Entry], list[bytes]]:
    """The table's entries and the blob region for ``rows``, in order."""
    entries: dict[str, Entry] = {}
    region: list[bytes] = []
    offset = 0
    crc32 = zlib.crc32
    for name, (size, mtime, inode, values), blob, crc in rows:
        length = len(blob)
        entries[name] = (
            size,
            mtime,
            inode,
            values,
            offset,
            length,
            crc32(blob) if crc is None else crc,
        )
        region.append(blob)
        offset += length
    return entries, region


def _marshals(values: tuple[Any, ...]) -> bool:
    try:
        marshal.dumps(values)
    except ValueError:
        return False
    return True
