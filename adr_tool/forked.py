"""Work for the second core: run a function in a forked child while the parent goes on,
and take its value back through a pipe as ``marshal`` data (plain tuples, lists, dicts,
strings and numbers; never pickle).

Anything that goes wrong — no ``fork`` on this platform, one core, other threads in the
process, a crash, a value marshal cannot carry — ends with the parent calling the
function itself, so a caller always gets the same answer, only later.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def _threaded() -> bool:
    """Whether other threads run (e.g. ``adr mcp``'s server): a forked child would inherit
    whatever locks they hold, so the work is done here instead."""
    import threading

    return threading.active_count() > 1


class Forked(Generic[T]):
    """``fn()`` started in a forked child; :meth:`result` waits for its value.

    ``accept`` checks what came back (it crossed a process boundary as bytes) and returns
    it typed, or None to have the parent call ``fn`` instead.
    """

    def __init__(self, fn: Callable[[], T], accept: Callable[[object], T | None]) -> None:
        self.fn = fn
        self.accept = accept
        self.pid = 0
        self.read_end = -1
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or _threaded():
            return
        try:
            read_end, write_end = os.pipe()
        except OSError:  # pragma: no cover - out of descriptors
            return
        try:
            pid = os.fork()
        except OSError:  # pragma: no cover - out of processes
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
            code = 1
            try:
                os.close(read_end)
                blob = marshal.dumps(fn())  # type: ignore[arg-type]  # T is plain data
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(blob)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def result(self) -> T:
        if self.pid == 0:
            return self.fn()
        with os.fdopen(self.read_end, "rb") as pipe:
            blob = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        received: object = None
        if status == 0:
            with contextlib.suppress(EOFError, ValueError, TypeError):
                received = marshal.loads(blob)
        value = self.accept(received) if received is not None else None
        return self.fn() if value is None else value
