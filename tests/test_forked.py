"""adr_tool.forked: a function's value from a forked child, or from the parent when the
child's value cannot be used."""

from __future__ import annotations

import os

from adr_tool.forked import Forked


def _tuple_of_ints(value: object) -> tuple[int, ...] | None:
    return value if isinstance(value, tuple) and all(type(v) is int for v in value) else None


def test_the_value_comes_from_the_child() -> None:
    parent = os.getpid()
    job = Forked(lambda: (os.getpid(), 7), _tuple_of_ints)
    pid, seven = job.result()
    assert seven == 7
    assert pid != parent  # computed in the child, not here


def test_a_value_the_parent_rejects_is_computed_again_here() -> None:
    parent = os.getpid()
    job = Forked(lambda: (os.getpid(), "not an int"), lambda value: None)
    assert job.result() == (parent, "not an int")


def test_a_value_marshal_cannot_carry_is_computed_here() -> None:
    parent = os.getpid()
    job: Forked[object] = Forked(lambda: (os.getpid(), object()), lambda value: value)
    pid, _ = job.result()  # type: ignore[misc]
    assert pid == parent


def test_a_crashing_child_leaves_the_work_to_the_parent() -> None:
    parent = os.getpid()

    def work() -> tuple[int, ...]:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return (1, 2)

    assert Forked(work, _tuple_of_ints).result() == (1, 2)


def test_no_fork_while_other_threads_run() -> None:
    import threading

    parent, stop = os.getpid(), threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        pid, _ = Forked(lambda: (os.getpid(), 1), _tuple_of_ints).result()
    finally:
        stop.set()
        worker.join()
    assert pid == parent  # done here: a child would inherit the other thread's locks
