"""The site's work split over two processes (``site.fork.split``): every answer in order,
whatever the child does, and a child that never waits for the parent to read."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from adr_tool.site.fork import split

PARENT = os.getpid()


def _value(item: int) -> tuple[int, str]:
    return item, f"page {item} " + "x" * 10_000  # 600 of these: 6 MB through the child


def test_every_answer_comes_back_in_order() -> None:
    items = list(range(600))
    seen: list[str] = []
    result = split(
        items, _value, _value, weights=[1] * 600, minimum=10, meanwhile=lambda: seen.append("m")
    )
    assert result == [_value(i) for i in items]
    assert seen == ["m"]  # meanwhile ran once, here


def test_the_child_finishes_while_the_parent_is_still_busy(tmp_path: Path) -> None:
    """The parent waits, in its own half, for the child to have answered everything: a
    child that could only hand its answers over while the parent reads would never get
    there (it stopped at the first 64 KiB when they went through a pipe)."""
    items = list(range(600))
    marker = tmp_path / "child-done"

    def work(item: int) -> tuple[int, str]:
        if item == items[-1] and os.getpid() != PARENT:
            marker.write_text("done")
        return _value(item)

    waited: list[bool] = []

    def meanwhile() -> None:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        waited.append(marker.exists())

    result = split(items, work, work, weights=[1] * 600, minimum=10, meanwhile=meanwhile)
    assert waited == [True]
    assert result == [_value(i) for i in items]


@pytest.mark.parametrize("failure", ["raises", "unmarshallable", "exits"])
def test_what_the_child_did_not_answer_is_done_again_here(failure: str) -> None:
    items = list(range(100))
    redone: list[int] = []

    def work(item: int) -> object:
        if os.getpid() != PARENT and item == 90:
            if failure == "raises":
                raise RuntimeError("the child breaks")
            if failure == "exits":
                os._exit(0)  # a clean exit with nothing written for the rest
            return object()  # marshal cannot carry it
        return _value(item)

    def redo(item: int) -> object:
        redone.append(item)
        return _value(item)

    result = split(items, work, redo, weights=[1] * 100, minimum=10)
    assert result == [_value(i) for i in items]
    assert redone and redone == sorted(redone) and 90 in redone
    assert all(item >= 50 for item in redone)  # only the child's share


@pytest.mark.parametrize("minimum", [10, 10_000])  # forked, and not
def test_the_caller_learns_how_many_items_this_process_works_on(minimum: int) -> None:
    items = list(range(100))
    here: list[int] = []
    told: list[int] = []

    def work(item: int) -> int:
        if os.getpid() == PARENT:
            here.append(item)
        return item

    result = split(items, work, work, weights=[1] * 100, minimum=minimum, share=told.append)
    assert result == items
    assert told == [len(here)]
    assert (told[0] < 100) == (minimum == 10)
