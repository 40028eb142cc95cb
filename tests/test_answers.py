"""Whole answers kept for an unchanged folder: ``Store.current`` judges the folder by one
stat per record against the cache's snapshot; ``list``, ``index`` and ``check`` then
answer from memos without loading a record, and never after anything they read changed.
"""

# ruff: noqa: F811 - the folder and settings fixtures come from test_cache

from __future__ import annotations

import json
import marshal
import os
from pathlib import Path

import pytest

from adr_tool.checks.findings import Finding
from adr_tool.checks.rules import Verdict
from adr_tool.checks.run import recalled, remembered
from adr_tool.config import Settings
from adr_tool.records.cache import ParseCache
from adr_tool.records.store import Store
from tests.conftest import Cli
from tests.test_cache import OLD, RECORD, age, folder, settings  # noqa: F401 - fixtures

NO_RATIONALE = """---
status: accepted
date: 2026-11-25
tradeoffs:
  - axis: performance-vs-development-speed
    favours: performance
    cost: a second service to run
---
# Cache prices in Redis

## Decision Outcome

TODO
"""


def store_of(settings: Settings) -> Store:
    cache = ParseCache.for_settings(settings, os.environ)
    assert cache is not None
    return Store(settings, cache=cache)


def warm(settings: Settings) -> None:
    """Two loads: the first writes the cache, the second finds it exact."""
    for _ in range(2):
        store_of(settings).load_all()


def refuse_to_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Store) -> object:
        raise AssertionError("the records were loaded")

    monkeypatch.setattr(Store, "load_all", refuse)


# --- the snapshot ---------------------------------------------------------------------


def test_current_by_stat_alone_and_memos_before_any_load(settings: Settings) -> None:
    assert not store_of(settings).current()  # no cache yet
    warm(settings)
    store = store_of(settings)
    assert store.current()
    store.remember("k", "v")  # allowed: the folder is exactly what the cache holds
    assert store_of(settings).recall("k") is None  # another store has not looked yet
    again = store_of(settings)
    assert again.current() and again.recall("k") == "v"
    assert len(again.load_all()) == 2  # the listing current() took is reused


@pytest.mark.parametrize("change", ["edit", "touch", "add", "remove", "rename", "index-file"])
def test_any_change_to_the_folder_ends_the_snapshot(
    settings: Settings, folder: Path, change: str
) -> None:
    warm(settings)
    store = store_of(settings)
    assert store.current()
    store.remember("k", "v")
    record = folder / "0002-store-orders-in-postgresql.md"
    if change == "edit":  # same mtime, other size
        record.write_text(RECORD.replace("40 ms", "400 ms"), encoding="utf-8")
        age(record)
    elif change == "touch":
        age(record, OLD + 1_000)
    elif change == "add":
        (folder / "0003-new.md").write_text(RECORD, encoding="utf-8")
        age(folder / "0003-new.md")
    elif change == "remove":
        record.unlink()
    elif change == "rename":
        record.rename(folder / "0002-keep-orders.md")
    else:  # the index is not a record: writing it changes nothing here
        (folder / "README.md").write_text("hand-written\n", encoding="utf-8")
    later = store_of(settings)
    expected = change == "index-file"
    assert later.current() is expected
    assert (later.recall("k") == "v") is expected
    if not expected:
        warm(settings)  # loads that see the change make a new snapshot, with no memo
        assert store_of(settings).current() and store_of(settings).recall("k") is None


def test_a_store_that_wrote_forgets_its_snapshot(settings: Settings, folder: Path) -> None:
    warm(settings)
    store = store_of(settings)
    assert store.current()
    store.invalidate()
    assert store.recall("k") is None and store.cache is not None
    assert store.cache.generation is None


# --- list ---------------------------------------------------------------------------------


def test_list_answers_without_loading_and_follows_every_change(
    run: Cli, folder: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [run("list").output for _ in range(3)]
    assert first[0] == first[1] == first[2]
    assert "Store orders in PostgreSQL" in first[0]
    with monkeypatch.context() as patched:
        refuse_to_load(patched)
        assert run("list").output == first[0]  # from the memo
    json_first = [run("list", "--format", "json").output for _ in range(2)]
    with monkeypatch.context() as patched:
        refuse_to_load(patched)
        remembered_json = run("list", "--format", "json").output
    assert json.loads(remembered_json) == json.loads(json_first[0])
    record = folder / "0002-store-orders-in-postgresql.md"
    record.write_text(RECORD.replace("Store orders", "Keep orders"), encoding="utf-8")
    age(record, OLD + 1_000)
    assert "Keep orders in PostgreSQL" in run("list").output
    config = project / ".adr.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("lang: en", "lang: ko"))
    korean = run("list").output
    assert "승인됨" in korean and "accepted" not in korean


def test_the_run_after_an_edit_remembers_its_answer(
    run: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(2):
        run("list")
    record = folder / "0002-store-orders-in-postgresql.md"
    record.write_text(RECORD.replace("Store orders", "Keep orders"), encoding="utf-8")
    age(record, OLD + 1_000)
    after = run("list").output  # loads, parses the one record, writes the cache
    assert "Keep orders in PostgreSQL" in after
    with monkeypatch.context() as patched:
        refuse_to_load(patched)
        assert run("list").output == after  # the next run: from the memo
    young = folder / "0003-young.md"  # written just now: too young to cache
    young.write_text(RECORD.replace("Store orders", "Young"), encoding="utf-8")
    assert "Young" in run("list").output
    with monkeypatch.context() as patched:
        refuse_to_load(patched)
        with pytest.raises(AssertionError, match="the records were loaded"):
            run("list")  # a record not in the cache: no memo can hold


def test_list_with_git_dates_is_not_remembered(run: Cli, folder: Path) -> None:
    undated = RECORD.replace("date: 2026-11-24\n", "")
    (folder / "0002-store-orders-in-postgresql.md").write_text(undated, encoding="utf-8")
    age(folder / "0002-store-orders-in-postgresql.md")
    for _ in range(3):
        run("list")
    memos = list((folder.parent.parent / ".git" / "adr-cache").glob("*.memo"))
    assert all(b"list:" not in memo.read_bytes() for memo in memos)


# --- check ----------------------------------------------------------------------------------


def test_check_findings_from_the_memo_equal_the_rules_and_follow_a_fix(
    run: Cli, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = folder / "0003-cache-prices-in-redis.md"
    broken.write_text(NO_RATIONALE, encoding="utf-8")
    age(broken)
    run("index")
    age(folder / "README.md")
    outputs = [run("check", "--format", "json") for _ in range(3)]
    assert {r.exit_code for r in outputs} == {1}
    assert outputs[0].output == outputs[1].output == outputs[2].output
    codes = [f["code"] for f in json.loads(outputs[0].output)]
    assert codes == ["ADR004"]
    with monkeypatch.context() as patched:
        refuse_to_load(patched)  # the records' verdict and the index are both remembered
        assert run("check", "--format", "json").output == outputs[0].output
    broken.write_text(NO_RATIONALE.replace("TODO", RATIONALE), encoding="utf-8")
    age(broken, OLD + 1_000)
    result = run("check", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output) == []


RATIONALE = 'Chosen option: "Redis", because reads dominate.'


def test_a_verdict_survives_its_memo_and_a_damaged_memo_is_none() -> None:
    finding = Finding("docs/d/0003-x.md", 4, 1, "ADR004", "error", "no", "rationale", (("a", "b"),))
    verdict = Verdict((finding,), frozenset({1, 3}), False, 2)
    assert recalled(remembered(verdict)) == verdict
    for damaged in ["", "[]", "{}", "[[], [1], false]", '[[["p", "x", 1]], [], false, 1]', "null"]:
        assert recalled(damaged) is None
    assert recalled('[[], ["1"], false, 2]') is None  # numbers must be numbers
    assert recalled("[" * 200_000 + "]" * 200_000) is None  # deeper than Python recurses


# --- the index, judged by its stat --------------------------------------------------------


def seen_keys(project: Path) -> list[bytes]:
    memos = list((project / ".git" / "adr-cache").glob("*.memo"))
    return [line for m in memos for line in [m.read_bytes()] if b"index-seen:" in line]


def test_an_index_seen_current_is_not_read_again_until_it_changes(
    run: Cli, folder: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("index").exit_code == 0
    index = folder / "README.md"
    assert run("index", "--check").exit_code == 0
    assert not seen_keys(project)  # written just now: judged by its text, not its stat
    age(index)
    for _ in range(3):
        assert run("index", "--check").exit_code == 0
    assert seen_keys(project)
    real_read = Path.read_text

    def no_index_read(self: Path, *args: object, **kwargs: object) -> str:
        assert self != index, "the index was read"
        return real_read(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_text", no_index_read)
        assert run("index", "--check").exit_code == 0
        assert run("index").output.endswith("is up to date\n")
    index.write_text(index.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")
    age(index, OLD + 1_000)
    result = run("index", "--check")
    assert result.exit_code == 1 and "edited by hand" in result.output


def test_a_tampered_json_answer_never_reaches_the_terminal_raw(run: Cli, project: Path) -> None:
    for record in (project / "docs" / "decisions").glob("*.md"):
        age(record)
    fresh = run("list", "--format", "json").output
    assert run("list", "--format", "json").output == fresh
    (memo,) = (project / ".git" / "adr-cache").glob("*.memo")
    generation, memos = marshal.loads(memo.read_bytes())
    (key,) = [k for k in memos if k.startswith("list:") and "'json'" in k]
    memos[key] = '[{"title": "\x1b]52;c;cGF5bG9hZA==\x07"}]'
    memo.write_bytes(marshal.dumps((generation, memos)))
    shown = run("list", "--format", "json").output
    assert "\x1b" not in shown and shown == fresh
