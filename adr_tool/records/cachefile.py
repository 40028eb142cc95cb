"""Files beside the parse cache: bounded reads, whole-or-nothing writes (also from a
forked writer, while the command goes on), and the memo file — values derived from every
record (a fingerprint, a whole answer), valid only for the cache generation (the token of
one cache write) they were made under.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path

from adr_tool.confine import read_regular
from adr_tool.forked import Forked

MAX_MEMO_BYTES = 16 * 1024 * 1024  # a whole answer (the list of 10,000 records: 1.1 MB)
MAX_MEMOS = 16
MAX_MEMO_VALUE = 4 * 1024 * 1024


def write_atomic(path: Path, *parts: bytes) -> bool:
    """Write a cache file whole or not at all; False when it could not be written."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing: most runs only read

        fd, temp = tempfile.mkstemp(prefix=".adr-cache-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.writelines(parts)
            os.replace(temp, path)
            return True
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return False


def read_memos(path: Path, generation: str) -> dict[str, str]:
    """The memos kept in ``path`` for ``generation``; none for another generation or for
    anything not of the expected shape (the file is data, not trusted to be well formed)."""
    raw = read_regular(path, MAX_MEMO_BYTES)
    with contextlib.suppress(EOFError, ValueError, TypeError):
        data = marshal.loads(raw) if raw else None
        if isinstance(data, tuple) and len(data) == 2 and data[0] == generation:
            memos = data[1]
            if isinstance(memos, dict) and all(
                type(k) is str and type(v) is str for k, v in memos.items()
            ):
                return memos
    return {}


def write_memos(path: Path, generation: str, memos: dict[str, str]) -> dict[str, str]:
    """Keep the newest memos that fit (at most :data:`MAX_MEMOS`, :data:`MAX_MEMO_BYTES`
    in all); returns what was kept."""
    kept: dict[str, str] = {}
    room = MAX_MEMO_BYTES - 1024
    for name, text in reversed(list(memos.items())[-MAX_MEMOS:]):  # newest first
        room -= 4 * (len(name) + len(text))  # at most 4 bytes per character
        if room < 0:
            break
        kept[name] = text
    kept = dict(reversed(kept.items()))
    write_atomic(path, marshal.dumps((generation, kept)))
    return kept


class Writer:
    """``write()`` in a forked child while this process goes on (decision 0056): after a
    cold load, packing and writing thousands of records is done on the second core while
    the command judges or renders them. No second process (one core, threads, no fork):
    written here and now. :meth:`wait` is whether the file was written; a child that
    failed is replaced by writing here."""

    def __init__(self, write: Callable[[], bool]) -> None:
        self.job = Forked(write, lambda value: value if isinstance(value, bool) else None)
        self.written: bool | None = None
        if self.job.pid == 0:
            self.wait()

    def wait(self) -> bool:
        if self.written is None:
            self.written = self.job.result()
        return self.written


WRITING: dict[Path, Writer] = {}  # cache files a forked writer of this process writes


@atexit.register
def _settle_all() -> None:
    """The command is over: wait for its writers, so the cache is whole when it exits."""
    while WRITING:
        WRITING.popitem()[1].wait()
