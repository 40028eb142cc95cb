"""Many records parsed on two cores: a forked child parses the later part of the
folder (about :data:`CHILD_SHARE` of its bytes) and sends them back packed as the parse
cache keeps them (``records.packed``), with their blobs' CRCs, while this process parses
the rest; the cache then writes the child's records without packing them again.

While thousands of records are built the cyclic collector is held off (each collection
would walk every record parsed so far); the young generation is collected every
:data:`YOUNG_EVERY` records instead, so cyclic garbage is still freed as it is made.
"""

from __future__ import annotations

import contextlib
import gc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from adr_tool.forked import Forked
from adr_tool.model import Decision
from adr_tool.records.packed import (
    InMemory,
    Record,
    Sections,
    encode,
    gc_paused,
    marshallable,
    unpacked,
)

PARALLEL_MIN = 500  # from this many records to parse, a second process parses some
# the child's share of the bytes to parse: it also packs what it parsed, the parent reads
# the child's records back (measured in instructions at 1,000 and 10,000 records)
CHILD_SHARE = 0.47
YOUNG_EVERY = 256  # records parsed between collections of the young generation

# a record just parsed: the Decision, and its packed form with its blob's CRC when the
# process that parsed it packed it already (None: pack it to write it)
Parsed = tuple[Decision, Record | None, int | None]
# a record packed by the process that parsed it: values, sections blob, the blob's CRC
Kept = tuple[tuple[Any, ...], bytes, int]


def reread(path: Path) -> Decision:
    """A record whose kept sections are damaged, read from its file (the parsers are
    imported only then: a command answered from memos never needs them)."""
    from adr_tool.records.formats import read

    return read(path)


@contextlib.contextmanager
def bulk() -> Iterator[Callable[[], None]]:
    """While thousands of records are parsed, no automatic collection: each would walk
    every record parsed so far, and they all live on. Instead the caller ticks once per
    record, and every :data:`YOUNG_EVERY` ticks the young generation alone is collected,
    so cyclic garbage (ruamel's loaders make some) is still freed as it is made."""
    count = [0]

    def tick() -> None:
        count[0] += 1
        if count[0] % YOUNG_EVERY == 0:
            gc.collect(0)

    with gc_paused():
        yield tick


def parse_many(
    paths: list[Path], read: Callable[[Path], Decision], parallel_min: int = PARALLEL_MIN
) -> list[Decision]:
    """``read`` every path; from ``parallel_min`` paths up, a forked child reads half."""
    return [parsed[0] for parsed in parse_many_packed(paths, read, parallel_min)]


def _read_all(paths: list[Path], read: Callable[[Path], Decision]) -> list[Parsed]:
    with bulk() as tick:
        out: list[Parsed] = []
        for path in paths:
            out.append((read(path), None, None))
            tick()
        return out


def parse_many_packed(
    paths: list[Path],
    read: Callable[[Path], Decision],
    parallel_min: int = PARALLEL_MIN,
    sizes: list[int] | None = None,
) -> list[Parsed]:
    """``read`` every path; from ``parallel_min`` paths up, a forked child reads the
    later ones, about ``CHILD_SHARE`` of the bytes (``sizes``, else by count).

    The child sends its records back packed (``records.packed``) with their blobs' CRCs;
    they come with their packed form, so the cache writes them without packing them
    again, and their sections stay a blob until asked for. A record the child could not
    send is read here.
    """
    if len(paths) < max(parallel_min, 2):
        return _read_all(paths, read)
    cut = split_at(sizes or [1] * len(paths), CHILD_SHARE)
    mine, theirs = paths[:cut], paths[cut:]

    def pack_theirs() -> list[Kept | None]:
        with bulk() as tick:
            out: list[Kept | None] = []
            for path in theirs:
                out.append(_kept(read(path)))
                tick()
            return out

    def accept(value: object) -> list[Kept | None] | None:
        return value if isinstance(value, list) and len(value) == len(theirs) else None

    child = Forked(pack_theirs, accept)
    done = _read_all(mine, read)
    with gc_paused():  # what is built here lives on, acyclic
        for path, kept in zip(theirs, child.result(), strict=True):
            decision = None
            if isinstance(kept, tuple) and len(kept) == 3:
                values, blob, crc = kept
                if type(blob) is bytes and type(crc) is int:
                    with contextlib.suppress(Exception):
                        where = (0, len(blob), crc)
                        decision = unpacked(
                            path, values, Sections(InMemory(blob), where, path, reread)
                        )
            if decision is None:
                done.append((read(path), None, None))
            else:
                done.append((decision, (values, blob), crc))
    return done


def split_at(sizes: list[int], share: float) -> int:
    """Where the child's part of the records starts: it gets about ``share`` of the
    bytes (parsing costs about the same per byte), the parent the records before; both
    get at least one record."""
    total = sum(sizes)
    goal = total * (1 - share)
    done = 0
    for index, size in enumerate(sizes):
        if done + size / 2 > goal:
            return min(max(index, 1), len(sizes) - 1)
        done += size
    return len(sizes) - 1


def _kept(decision: Decision) -> Kept | None:
    values, blob = encode(decision)
    return (values, blob, zlib.crc32(blob)) if marshallable(values) else None
