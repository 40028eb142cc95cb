"""Records as the parse cache keeps them: one tuple of plain values per record, and its
sections as a separate blob read and decoded only when a command asks for them.

``list``, ``index`` and a warm ``check`` never read a section; section texts are most of
a record's bytes, so they stay on disk until used. marshal builds only data (tuples,
strings, numbers, dicts): a damaged or hostile blob can give wrong records at worst,
never run code, and a section blob that fails its checksum is parsed again from the
record file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import marshal
import operator
import os
import sys
import weakref
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from adr_tool.model import (
    DECISION_FIELDS,
    Decision,
    Link,
    Problem,
    RemoteLink,
    Section,
    TradeOff,
    built_decision,
)

NESTED: dict[str, Any] = {  # NamedTuple classes
    "tradeoffs": TradeOff,
    "links": Link,
    "remote_links": RemoteLink,
    "problems": Problem,
}


# A record is one tuple of its field values in this order (``path`` is the file name,
# ``sections`` a blob of its own), nested values as tuples in their classes' field order
# (NamedTuples: a plain tuple of one is its fields in that order).
FIELDS = tuple(f.name for f in dataclasses.fields(Decision) if f.name not in ("path", "sections"))
NESTED_FIELDS = {key: cls._fields for key, cls in NESTED.items()}
NESTED_AT = tuple((FIELDS.index(key), NESTED[key], fields) for key, fields in NESTED_FIELDS.items())
SECTION_FIELDS = Section._fields
EXTRA_AT = FIELDS.index("extra")  # the one field whose values the parser does not type
SHAPES = (FIELDS, SECTION_FIELDS, *(NESTED_FIELDS[k] for k in sorted(NESTED_FIELDS)))

Record = tuple[tuple[Any, ...], bytes]  # field values in FIELDS order, sections blob
Reader = Callable[[Path], Decision]


def _intern(value: Any) -> Any:
    return sys.intern(value) if type(value) is str and len(value) < 64 else value


class BlobFile:
    """An open cache file whose blob region is read on demand (``pread``). The open
    descriptor keeps reading the same bytes even if another process replaces the file."""

    def __init__(self, fd: int, base: int, size: int, path: Path) -> None:
        self.fd = fd
        self.base = base
        self.size = size  # bytes in the blob region
        self.path = path
        self._closer = weakref.finalize(self, os.close, fd)

    def read(self, offset: int, length: int) -> bytes | None:
        if offset < 0 or length < 0 or offset + length > self.size:
            return None
        try:
            data = os.pread(self.fd, length, self.base + offset)
        except OSError:
            return None
        return data if len(data) == length else None

    def discard(self) -> None:
        """A blob failed its check: remove the file (if it is still this one) so that the
        next run rebuilds it."""
        with contextlib.suppress(OSError):
            if os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(self.fd).st_ino:
                os.unlink(self.path)

    def close(self) -> None:
        self._closer()


class InMemory:
    """A blob already in memory (a worker process's record), read like a cache file."""

    def __init__(self, blob: bytes) -> None:
        self.blob = blob

    @staticmethod
    def where(blob: bytes) -> tuple[int, int, int]:
        return 0, len(blob), zlib.crc32(blob)

    def read(self, offset: int, length: int) -> bytes | None:
        return self.blob[offset : offset + length]

    def discard(self) -> None:
        """Nothing on disk to drop."""


class Sections(Sequence[Section]):
    """A record's sections, decoded from the cache file on first use; equal to the tuple
    it stands for. A blob that is missing or fails its CRC is parsed again from the
    record itself, so a damaged cache never shows a record without its text."""

    __slots__ = ("_items", "_path", "_reread", "_source", "_where")

    def __init__(
        self, source: BlobFile | InMemory, where: tuple[int, int, int], path: Path, reread: Reader
    ) -> None:
        self._source = source
        self._where = where  # offset, length, crc32
        self._path = path
        self._reread = reread
        self._items: tuple[Section, ...] | None = None

    def blob(self) -> bytes | None:
        """The blob as stored (for rewriting the cache); None when it cannot be read."""
        offset, length, crc = self._where
        data = self._source.read(offset, length)
        return data if data is not None and zlib.crc32(data) == crc else None

    @property
    def items(self) -> tuple[Section, ...]:
        if self._items is None:
            data = self.blob()
            found = sections_from(data) if data is not None else None
            if found is None:
                self._source.discard()
                found = tuple(self._reread(self._path).sections)
            self._items = found
        return self._items

    @overload
    def __getitem__(self, index: int) -> Section: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Section, ...]: ...
    def __getitem__(self, index: int | slice) -> Section | tuple[Section, ...]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Section]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, Sections)):
            return self.items == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return repr(self.items)


def sections_from(blob: bytes) -> tuple[Section, ...] | None:
    """The sections in a blob; None when it is not what :func:`sections_blob` writes."""
    try:
        rows = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if type(rows) is not tuple:
        return None
    make = Section._make  # checks the length: a row of another shape is a TypeError
    try:
        return tuple([make(r) for r in rows])
    except (TypeError, ValueError):
        return None


def sections_blob(sections: Sequence[Section]) -> bytes:
    if isinstance(sections, Sections):
        kept = sections.blob()
        if kept is not None:
            return kept
    try:  # (heading, line, text, level): the short strings interned, without a call each
        rows = tuple(
            [
                (intern(h) if len(h) < 64 else h, n, intern(t) if len(t) < 64 else t, lv)
                for h, n, t, lv in sections
            ]
        )
    except (TypeError, ValueError):  # a section of another shape: value by value
        rows = tuple([tuple(map(_intern, s)) for s in sections])
    return marshal.dumps(rows)


# one C call for a record's fields, in the order the cache keeps them
_FIELDS_OF = operator.attrgetter(*FIELDS)
_NESTED_AT = tuple(at for at, _, _ in NESTED_AT)
_TYPES = {f.name: f.type for f in dataclasses.fields(Decision)}  # as written: "str", …
_TEXT_AT = tuple(at for at, name in enumerate(FIELDS) if _TYPES[name] == "str")
_NAMES_AT = tuple(at for at, name in enumerate(FIELDS) if _TYPES[name] == "tuple[str, ...]")
intern = sys.intern


def encode(decision: Decision) -> Record:
    """A Decision as plain values (its ``path`` left out): a tuple in ``FIELDS`` order,
    nested values as tuples, and its sections as one marshalled blob. Strings shorter
    than 64 characters are interned (marshal then writes each once)."""
    values = list(_FIELDS_OF(decision))
    for at in _NESTED_AT:
        items = values[at]
        values[at] = tuple([tuple(map(_intern, item)) for item in items]) if items else ()
    # interning changes no value, only which objects hold them: the fields declared
    # ``str`` and ``tuple[str, ...]`` are all that hold strings once nested values are
    # plain tuples (``extra`` is left as it is)
    for at in _TEXT_AT:
        value = values[at]
        if type(value) is str and len(value) < 64:
            values[at] = intern(value)
    for at in _NAMES_AT:  # names, tags, commits, patterns
        value = values[at]
        if value and type(value) is tuple:
            values[at] = tuple([intern(v) if type(v) is str and len(v) < 64 else v for v in value])
    return tuple(values), sections_blob(decision.sections)


def marshallable(values: tuple[Any, ...]) -> bool:
    """Whether marshal can hold a record's values. The parser types every field but
    ``extra`` (what front matter says beyond the known keys: a date, say, cannot be
    kept), so only a non-empty ``extra`` is tried."""
    extra = values[EXTRA_AT]
    if not extra:
        return True
    try:
        marshal.dumps(extra)
    except ValueError:
        return False
    return True


class Packed(Decision):
    """A Decision read from the parse cache, its fields left in the cached tuple: making
    one costs a tuple, not a dict of 26 entries, which is most of a warm load of 10,000
    records. It reads, compares and hashes like the Decision it stands for;
    ``dataclasses.replace`` on it gives a plain Decision."""

    __slots__ = ("_values", "path", "sections")
    _values: tuple[Any, ...]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # dataclasses.replace(...), copy: a plain, complete Decision
            return Decision(*args, **kwargs)
        return object.__new__(cls)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Decision):
            return _compared(self) == _compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(_compared(self))


def _field(at: int) -> property:
    def get(self: Packed) -> Any:
        return self._values[at]

    return property(get)


for _at, _name in enumerate(FIELDS):
    setattr(Packed, _name, _field(_at))
COMPARED = tuple(f.name for f in dataclasses.fields(Decision) if f.compare)


def _compared(decision: Decision) -> tuple[Any, ...]:
    return tuple(getattr(decision, name) for name in COMPARED)


def getter(*names: str) -> Callable[[Decision], tuple[Any, ...]]:
    """A function giving these fields of a record as one tuple: for a record read from
    the cache straight from its tuple in one C call, not one property call per field
    (a render that reads ten fields of 10,000 records spent a tenth of its time there);
    attribute by attribute for any other Decision."""
    if len(names) < 2:
        raise ValueError("getter: name two fields or more (itemgetter of one is no tuple)")
    from_values = operator.itemgetter(*[FIELDS.index(name) for name in names])
    from_attributes = operator.attrgetter(*names)

    def get(decision: Decision) -> tuple[Any, ...]:
        if type(decision) is Packed:
            values: tuple[Any, ...] = from_values(decision._values)
            return values
        found: tuple[Any, ...] = from_attributes(decision)
        return found

    return get


def decode(path: Path, values: tuple[Any, ...], sections: Sequence[Section]) -> Decision:
    """The inverse of ``encode`` (with the sections given). Raises ValueError or
    TypeError on a shape it does not expect."""
    if type(values) is not tuple or len(values) != len(FIELDS):
        raise ValueError("shape")
    built: list[Any] | None = None
    for at, cls, _ in NESTED_AT:
        items = values[at]
        if type(items) is not tuple:
            raise ValueError("shape")
        if items:
            if built is None:
                built = list(values)
            make = cls._make  # a TypeError for an item of another length
            built[at] = tuple([make(i) for i in items])
    decision: Packed = object.__new__(Packed)  # not Packed(): that would run __init__
    object.__setattr__(decision, "_values", values if built is None else tuple(built))
    object.__setattr__(decision, "path", path)
    object.__setattr__(decision, "sections", sections)
    return decision


_PATH_AT = DECISION_FIELDS.index("path")
_SECTIONS_AT = DECISION_FIELDS.index("sections") - 1  # in ``FIELDS`` (no ``path``)


def unpacked(path: Path, values: tuple[Any, ...], sections: Sequence[Section]) -> Decision:
    """``decode``, as a plain Decision (one dict of its fields, as the parser builds it):
    for records a worker process parsed in a cold run, which the rules and the index
    then read field by field, where a :class:`Packed` record pays a property call on
    every read. Raises as ``decode`` does."""
    kept = decode(path, values, sections)._values  # type: ignore[attr-defined]
    ordered = (*kept[:_PATH_AT], path, *kept[_PATH_AT:_SECTIONS_AT], sections, *kept[_SECTIONS_AT:])
    return built_decision(dict(zip(DECISION_FIELDS, ordered, strict=True)))


def decode_record(path: Path, record: Record) -> Decision:
    """A Decision from a whole :data:`Record` (sections decoded now)."""
    values, blob = record
    if type(blob) is not bytes:
        raise ValueError("shape")
    found = sections_from(blob)
    if found is None:
        raise ValueError("shape")
    return decode(path, values, found)


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
