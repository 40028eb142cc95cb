"""Work split over two processes: a forked child takes the last part of the items and
sends its results back through a pipe in marshalled blocks (as the parse cache does for a
cold read, there in one piece).

Results must be plain data (strings, numbers, tuples, None). If anything goes wrong in
the child (no fork, a crash, a value marshal cannot carry, a short answer) the parent
does that part itself, so the outcome never depends on the child.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from adr_tool.site import marshalled

Item = TypeVar("Item")


def split(
    items: Sequence[Item],
    work: Callable[[Item], Any],
    redo: Callable[[Item], Any],
    *,
    weights: Sequence[int],
    minimum: int,
    meanwhile: Callable[[], None] = lambda: None,
    extra: int = 0,
) -> list[Any]:
    """``[work(item) for item in items]``, and ``meanwhile()`` in this process. From
    ``minimum`` items up, on two or more cores, a forked child takes items from the end
    until it has half of the work (``weights`` per item, ``extra`` for ``meanwhile``).
    ``redo`` is called for an item the child was given but did not answer for."""
    if len(items) < max(minimum, 2) or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        meanwhile()
        return [work(item) for item in items]
    cut, theirs_weight, half = len(items), 0, (sum(weights) + extra) / 2
    while cut > 1 and theirs_weight + weights[cut - 1] <= half:
        cut -= 1
        theirs_weight += weights[cut]
    mine, theirs = items[:cut], items[cut:]
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:  # pragma: no cover - out of processes or descriptors
        meanwhile()
        return [work(item) for item in items]
    if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                for block in marshalled.blocks(work(item) for item in theirs):
                    pipe.write(block)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        meanwhile()
        done = [work(item) for item in mine]
    except BaseException:  # stop the child: its half is of no use now
        os.kill(pid, signal.SIGKILL)
        os.close(read_end)
        os.waitpid(pid, 0)
        raise
    received: list[Any] = []
    with os.fdopen(read_end, "rb") as pipe, contextlib.suppress(ValueError):
        received.extend(marshalled.unblock(pipe.read))  # block by block, never whole
    _, status = os.waitpid(pid, 0)
    if status != 0 or len(received) != len(theirs):
        return done + [redo(item) for item in theirs]
    return done + received
