"""Many plain values as a stream of length-prefixed ``marshal`` blocks, so neither side
holds the whole stream at once (10,000 rendered bodies are 26 MB): between the two
processes of a build, and in the memo's compressed files.

marshal builds only data (strings, numbers, tuples, lists, dicts, None); it never calls
constructors or imports modules. A stream that is cut short, too long or not made of
lists raises ValueError.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

BATCH = 256  # values per block


def blocks(values: Iterable[Any], batch: int = BATCH) -> Iterator[bytes]:
    """``values`` as blocks: a 4-byte length, then a marshalled list of up to ``batch``."""
    block: list[Any] = []
    for value in values:
        block.append(value)
        if len(block) == batch:
            yield _block(block)
            block = []
    if block:
        yield _block(block)


def _block(values: list[Any]) -> bytes:
    data = marshal.dumps(values)
    return len(data).to_bytes(4, "big") + data


def unblock(read: Callable[[int], bytes]) -> Iterator[Any]:
    """The values of a stream of :func:`blocks`, read with ``read(n)`` until it is empty."""
    while head := read(4):
        size = int.from_bytes(head, "big")
        data = read(size)
        if len(head) != 4 or len(data) != size:
            raise ValueError("a block is cut short")
        try:
            values = marshal.loads(data)
        except (EOFError, TypeError) as exc:
            raise ValueError(str(exc)) from None
        if not isinstance(values, list):
            raise ValueError("a block is not a list")
        yield from values


class Inflater:
    """``read(n)`` over zlib-compressed bytes, refusing to inflate past ``limit``."""

    def __init__(self, packed: bytes | memoryview, limit: int) -> None:
        self.engine = zlib.decompressobj()
        self.packed: bytes | memoryview | None = packed  # until first fed to the engine
        self.buffer = b""
        self.left = limit

    def read(self, size: int) -> bytes:
        pieces, have = [self.buffer], len(self.buffer)
        while have < size and not self.engine.eof:
            source = self.packed if self.packed is not None else self.engine.unconsumed_tail
            self.packed = None
            try:
                more = self.engine.decompress(source, max(size - have, 1 << 16))
            except zlib.error as exc:
                raise ValueError(str(exc)) from None
            self.left -= len(more)
            if self.left < 0:
                raise ValueError("inflates past its limit")
            if not more:
                break
            pieces.append(more)
            have += len(more)
        data = b"".join(pieces)
        self.buffer = data[size:]
        return data[:size]

    def finished(self) -> bool:
        """Whether the compressed stream ended, and was read to its end."""
        return self.engine.eof and not self.buffer and not self.engine.unconsumed_tail
