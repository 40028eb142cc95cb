"""Work split over two processes: a forked child takes the last part of the items and
sends its results back in marshalled blocks through an unlinked temporary file, read
once the child has finished (a pipe would stop it whenever the parent is not reading).

Results must be plain data (strings, numbers, tuples, None). If anything goes wrong in
the child (no fork, a crash, a value marshal cannot carry, a short answer) the parent
does that part itself, so the outcome never depends on the child.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
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
    share: Callable[[int], None] = lambda count: None,
) -> list[Any]:
    """``[work(item) for item in items]``, and ``meanwhile()`` in this process. From
    ``minimum`` items up, on two or more cores, a forked child takes items from the end
    until it has half of the work (``weights`` per item, ``extra`` for ``meanwhile``).
    ``redo`` is called for an item the child was given but did not answer for.
    ``share(count)`` is told, before any work, how many items this process works on
    (what its progress can be counted against)."""
    if len(items) < max(minimum, 2) or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        share(len(items))
        meanwhile()
        return [work(item) for item in items]
    cut, theirs_weight, half = len(items), 0, (sum(weights) + extra) / 2
    while cut > 1 and theirs_weight + weights[cut - 1] <= half:
        cut -= 1
        theirs_weight += weights[cut]
    mine, theirs = items[:cut], items[cut:]
    # the child's answers go to an unlinked file, read once it has finished: through a
    # pipe read after this half, the child stopped at the first 64 KiB and the build
    # took this half's time plus almost all of the other's
    try:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - the with below closes it
    except OSError:  # pragma: no cover - no temporary space
        meanwhile()
        return [work(item) for item in items]
    with spool:
        try:
            pid = os.fork()
        except OSError:  # pragma: no cover - out of processes
            meanwhile()
            return [work(item) for item in items]
        if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
            code = 1
            try:
                for block in marshalled.blocks(work(item) for item in theirs):
                    spool.write(block)
                spool.flush()
                code = 0
            finally:
                os._exit(code)
        try:
            share(len(mine))
            meanwhile()
            done = [work(item) for item in mine]
        except BaseException:  # stop the child: its half is of no use now
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        received: list[Any] = []
        if status == 0:
            spool.seek(0)
            with contextlib.suppress(ValueError):
                received.extend(marshalled.unblock(spool.read))  # block by block
    if status != 0 or len(received) != len(theirs):
        return done + [redo(item) for item in theirs]
    return done + received
