"""The parse cache: hits, invalidation, corruption, where it lives; and lean start-up."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from adr_tool.config import Settings, discover
from adr_tool.model import Decision
from adr_tool.records import cache as cache_mod
from adr_tool.records import formats, packed, parallel
from adr_tool.records.cache import MAGIC, ParseCache, cache_folder
from adr_tool.records.store import Store
from support import modules_after
from tests.conftest import Cli

OLD = 1_600_000_000_000_000_000  # 2020-09-13 in ns: far from "just modified"

RECORD = """---
status: accepted
date: 2026-11-24
tags: [storage]
tradeoffs:
  - axis: performance-vs-development-speed
    favours: development-speed
    cost: p99 latency about 40 ms higher
links:
  - {rel: Amends, to: 1}
owner-team: payments
---
# Store orders in PostgreSQL

## Decision Outcome

Chosen option: "PostgreSQL", because the team knows it.
"""


def age(path: Path, ns: int = OLD) -> None:
    """Give a file an old mtime so the cache does not treat it as just modified."""
    os.utime(path, ns=(ns, ns))


def load(settings: Settings) -> tuple[list[Decision], ParseCache]:
    cache = ParseCache.for_settings(settings, os.environ)
    assert cache is not None
    return Store(settings, cache=cache).load_all(), cache


@pytest.fixture
def folder(project: Path) -> Path:
    path = project / "docs" / "decisions"
    (path / "0002-store-orders-in-postgresql.md").write_text(RECORD, encoding="utf-8")
    for record in path.glob("*.md"):
        age(record)
    return path


@pytest.fixture
def settings(folder: Path, project: Path) -> Settings:
    return discover(project)


def test_second_load_is_served_from_the_cache_with_equal_records(settings: Settings) -> None:
    first, cold = load(settings)
    assert (cold.hits, cold.misses, cold.writes) == (0, len(first), 1)
    second, warm = load(settings)
    assert (warm.hits, warm.misses, warm.writes) == (len(first), 0, 0)
    assert second == first
    record = next(d for d in second if d.number == 2)
    assert record.title == "Store orders in PostgreSQL"
    assert record.tradeoffs[0].favours == "development-speed"
    assert record.links[0].rel == "Amends"
    assert record.extra == {"owner-team": "payments"}
    assert record.key_lines["tradeoffs"] == 5
    assert record.section("outcome") is not None
    assert record.path == settings.directory / "0002-store-orders-in-postgresql.md"


def test_edited_record_gives_the_new_result(settings: Settings, folder: Path) -> None:
    load(settings)
    path = folder / "0002-store-orders-in-postgresql.md"
    # same size, different content, different (still old) mtime
    path.write_text(RECORD.replace("status: accepted", "status: rejected"), encoding="utf-8")
    age(path, OLD + 1)
    decisions, cache = load(settings)
    assert next(d for d in decisions if d.number == 2).status == "rejected"
    assert cache.misses == 1
    again, cache = load(settings)
    assert next(d for d in again if d.number == 2).status == "rejected"
    assert cache.misses == 0


def test_touch_without_change_gives_the_same_result(settings: Settings, folder: Path) -> None:
    before, _ = load(settings)
    age(folder / "0002-store-orders-in-postgresql.md", OLD + 5)
    after, cache = load(settings)
    assert after == before
    assert cache.misses == 1  # re-read once because the mtime moved


def test_deleted_record_is_gone(settings: Settings, folder: Path) -> None:
    load(settings)
    (folder / "0002-store-orders-in-postgresql.md").unlink()
    decisions, cache = load(settings)
    assert [d.number for d in decisions] == [1]
    assert cache.writes == 1  # the entry was dropped from the file too
    _, cache = load(settings)
    assert (cache.hits, cache.misses, cache.writes) == (1, 0, 0)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"garbage",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: MAGIC + raw[4:8] + b"\xff" * (len(raw) - 8),
        lambda raw: b"",
    ],
)
def test_corrupt_cache_file_is_ignored_and_rebuilt(settings: Settings, damage: object) -> None:
    expected, first = load(settings)
    first.file.write_bytes(damage(first.file.read_bytes()))  # type: ignore[operator]
    decisions, cache = load(settings)
    assert decisions == expected
    assert (cache.misses, cache.writes) == (len(expected), 1)
    assert cache.file.read_bytes().startswith(MAGIC)
    _, cache = load(settings)
    assert cache.hits == len(expected)


def test_a_damaged_section_blob_is_read_from_the_record_and_the_cache_dropped(
    settings: Settings,
) -> None:
    expected, first = load(settings)
    raw = first.file.read_bytes()
    first.file.write_bytes(raw[:-7] + b"\x00" * 7)  # the last record's sections blob
    decisions, cache = load(settings)
    assert cache.hits == len(expected)  # the table is intact
    assert [d.sections for d in decisions] == [d.sections for d in expected]
    assert decisions == expected
    assert not cache.file.exists()  # found damaged on use: the next run rebuilds it
    _, cache = load(settings)
    assert (cache.misses, cache.writes) == (len(expected), 1)


def test_sections_are_read_only_when_asked_for(settings: Settings, folder: Path) -> None:
    expected, _ = load(settings)
    decisions, cache = load(settings)
    assert cache.hits == len(expected)
    first = decisions[0]
    assert type(first.sections).__name__ == "Sections"
    assert first.sections._items is None  # type: ignore[attr-defined]
    assert first.rationale is True  # judged at parse time, kept in the table
    assert [s.heading for s in first.sections] == [s.heading for s in expected[0].sections]
    assert first.sections == tuple(expected[0].sections)


def test_cache_from_other_code_is_not_used(settings: Settings) -> None:
    expected, first = load(settings)
    entries, source = first._read(cache_mod._code_stamp())
    assert len(entries) == len(expected) and source is not None
    rows = [
        (name, entry[:4], source.read(*entry[4:6]) or b"", entry[6])
        for name, entry in entries.items()
    ]
    first._write(("an older adr",), rows)
    decisions, cache = load(settings)
    assert decisions == expected
    assert cache.hits == 0


def test_just_modified_files_are_parsed_not_cached(settings: Settings, folder: Path) -> None:
    load(settings)
    path = folder / "0002-store-orders-in-postgresql.md"
    path.write_text(RECORD.replace("storage", "storagx"), encoding="utf-8")  # mtime: now
    for _ in range(2):
        decisions, cache = load(settings)
        assert next(d for d in decisions if d.number == 2).tags == ("storagx",)
        assert cache.misses == 1


def test_values_marshal_cannot_hold_are_parsed_every_time(settings: Settings, folder: Path) -> None:
    path = folder / "0003-with-a-date.md"
    path.write_text("---\nstatus: proposed\nmeeting: 2026-01-02\n---\n# With a date\n")
    age(path)
    first, _ = load(settings)
    second, cache = load(settings)
    record = next(d for d in second if d.number == 3)
    assert str(record.extra["meeting"]) == "2026-01-02"
    assert second == first
    assert cache.misses == 1 and cache.hits == len(second) - 1


def test_cache_lives_in_the_git_dir_never_in_the_decisions_folder(
    settings: Settings, folder: Path, project: Path
) -> None:
    before = sorted(p.name for p in folder.iterdir())
    _, cache = load(settings)
    assert cache.file.parent == project / ".git" / "adr-cache"
    assert cache.file.is_file()
    assert sorted(p.name for p in folder.iterdir()) == before


def test_outside_git_the_user_cache_folder_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "work" / "docs" / "decisions"
    settings = Settings(root=tmp_path / "work", directory=folder, index=folder / "README.md")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    assert cache_folder(settings, env) == tmp_path / "xdg" / "adr"
    assert cache_folder(settings, {"HOME": str(tmp_path / "home")}) == (
        tmp_path / "home" / ".cache" / "adr"
    )
    assert cache_folder(settings, {"XDG_CACHE_HOME": "relative", "HOME": "/h"}) == Path(
        "/h/.cache/adr"
    )


def test_no_cache_when_the_cache_folder_would_be_inside_the_decisions_folder(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    settings = Settings(root=tmp_path, directory=folder, index=folder / "README.md")
    assert ParseCache.for_settings(settings, {"XDG_CACHE_HOME": str(folder)}) is None
    inner = {"XDG_CACHE_HOME": str(folder / "sub")}
    assert ParseCache.for_settings(settings, inner) is None
    assert ParseCache.for_settings(settings, {"XDG_CACHE_HOME": str(tmp_path / "c")}) is not None


def test_gitdir_file_points_at_the_real_git_dir(tmp_path: Path) -> None:
    real = tmp_path / "real-git"
    real.mkdir()
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text(f"gitdir: {real}\n")
    folder = tmp_path / "wt" / "docs" / "decisions"
    settings = Settings(
        root=tmp_path / "wt", directory=folder, index=folder / "R.md", git_root=tmp_path / "wt"
    )
    assert cache_folder(settings, {}) == real / "adr-cache"


def test_cli_no_cache_writes_no_cache_file(project: Path, run: Cli) -> None:
    result = run("--no-cache", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["title"] == "Record architecture decisions"
    assert not (project / ".git" / "adr-cache").exists()
    assert "--no-cache" in run("--help").output


def test_cli_uses_the_cache_and_sees_edits(project: Path, run: Cli) -> None:
    record = next((project / "docs" / "decisions").glob("0001-*.md"))
    age(record)
    assert run("list").exit_code == 0
    assert list((project / ".git" / "adr-cache").glob("records-*.bin"))
    text = record.read_text(encoding="utf-8").replace("status: accepted", "status: rejected")
    record.write_text(text, encoding="utf-8")
    age(record, OLD + 9)
    result = run("list", "--format", "json")
    assert json.loads(result.output)[0]["status"] == "rejected"


@pytest.mark.parametrize("args", [["--help"], ["list"], ["list", "--format", "json"]])
def test_commands_that_need_neither_import_gitpython_or_jinja2(
    project: Path, args: list[str]
) -> None:
    modules, result = modules_after(args, project)
    assert not modules & {"git", "jinja2"}, result.stderr
    if args != ["--help"]:
        assert "Record architecture decisions" in result.stdout


SIMPLE_CASES = [
    "directory: docs/decisions\ntemplate: tradeoff\n",
    "# Settings\ndirectory: doc/adr\ntemplate: madr        # tradeoff | madr\nlang: ko\n",
    "a: b\n\n# c: d\ne_f-g: h.i/j\n",
]
RICH_CASES = [
    "a: yes\n",
    "a: True\n",
    "a: null\n",
    "a: ~\n",
    "a:\n",
    "a: 1\n",
    "a: 2026-01-01\n",
    "a: b\na: c\n",
    "a: 'b'\n",
    "a: [b]\n",
    "a:\n  - b\n",
    " a: b\n",
    "%YAML 1.2\n---\na: b\n",
    "a: b#c\n",
    "a: .inf\n",
    "on: b\n",
    "a: b c\n",
    "a: é\n",
    "a: b\n  c\n",
    "",
]


@pytest.mark.parametrize("text", SIMPLE_CASES + RICH_CASES)
def test_flat_config_fast_path_agrees_with_ruamel(text: str) -> None:
    from adr_tool.records import frontmatter

    simple = frontmatter.simple_mapping(text)
    if text in SIMPLE_CASES:
        assert simple is not None
    else:
        assert simple is None
    if simple is not None:
        assert simple == frontmatter._safe_load(text)
        assert frontmatter.load(text) == simple


def test_default_config_is_read_without_ruamel(project: Path) -> None:
    from adr_tool.records import frontmatter

    text = (project / ".adr.yaml").read_text(encoding="utf-8")
    assert frontmatter.simple_mapping(text) == {
        "directory": "docs/decisions",
        "template": "tradeoff",
        "lang": "en",
    }


def test_parallel_parse_gives_the_same_records(settings: Settings, folder: Path) -> None:
    for number in range(3, 40):
        path = folder / f"{number:04d}-record-{number}.md"
        path.write_text(RECORD.replace("PostgreSQL", f"store {number}"), encoding="utf-8")
        age(path)
    dated = folder / "0040-with-a-date.md"
    dated.write_text("---\nstatus: proposed\nmeeting: 2026-01-02\n---\n# Dated\n")
    age(dated)
    expected = Store(settings).load_all()
    assert len(expected) == 40
    assert parallel.parse_many([d.path for d in expected], formats.read, 10) == (expected)
    cache = ParseCache.for_settings(settings, os.environ)
    assert cache is not None
    cache.parallel_min = 10
    assert Store(settings, cache=cache).load_all() == expected
    assert cache.misses == 40
    again, warm = load(settings)
    assert again == expected
    assert warm.hits == 39  # the record with a date in it cannot be cached


def _store(settings: Settings) -> Store:
    cache = ParseCache.for_settings(settings, os.environ)
    assert cache is not None
    store = Store(settings, cache=cache)
    store.load_all()
    return store


def test_a_memo_lasts_exactly_as_long_as_the_records(settings: Settings, folder: Path) -> None:
    first = _store(settings)  # parses every record and writes a cache of all of them
    first.remember("k", "v")
    assert first.recall("k") == "v"  # the new file holds exactly the records loaded
    second = _store(settings)  # every record from the cache
    assert second.recall("k") == "v"
    second.remember("k", "v1")
    assert _store(settings).recall("k") == "v1"
    path = folder / "0002-store-orders-in-postgresql.md"
    path.write_text(RECORD.replace("storage", "storagx"), encoding="utf-8")
    age(path, OLD + 1_000)
    changed = _store(settings)  # sees the change, writes a new file
    assert changed.recall("k") is None  # a record changed: the memo is gone
    assert _store(settings).recall("k") is None  # and stays gone (a new cache file)
    changed.remember("k", "v2")  # the run that saw the change keeps memos for its file
    assert _store(settings).recall("k") == "v2"


def test_no_memo_while_a_record_is_too_young_to_cache(settings: Settings, folder: Path) -> None:
    _store(settings)
    _store(settings).remember("k", "v")
    assert _store(settings).recall("k") == "v"
    (folder / "0003-new.md").write_text("---\nstatus: proposed\n---\n# New\n")  # mtime: now
    for _ in range(2):
        store = _store(settings)
        assert store.recall("k") is None  # the file is not what the cache holds
        store.remember("k", "wrong")
    assert _store(settings).recall("k") is None


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xff" * 100_000])
def test_a_damaged_memo_file_is_no_memo(settings: Settings, damage: bytes) -> None:
    _store(settings)
    store = _store(settings)
    store.remember("k", "v")
    assert store.cache is not None
    store.cache.memo_file.write_bytes(damage)
    assert _store(settings).recall("k") is None


def test_index_check_answers_from_the_memo_and_still_sees_a_change(
    project: Path, folder: Path, run: Cli
) -> None:
    assert run("index").exit_code == 0
    for _ in range(3):  # cache written, then exact: the fingerprint is remembered
        result = run("index", "--check")
        assert result.exit_code == 0, result.output
    memos = list((project / ".git" / "adr-cache").glob("*.memo"))
    assert len(memos) == 1 and memos[0].stat().st_size > 0
    path = folder / "0002-store-orders-in-postgresql.md"
    path.write_text(RECORD.replace("Store orders", "Keep orders"), encoding="utf-8")
    age(path, OLD + 1_000)
    result = run("index", "--check")
    assert result.exit_code == 1
    assert "+| [0002]" in result.output and "Keep orders" in result.output


def test_a_rewrite_copies_every_other_record_s_sections_intact(
    settings: Settings, folder: Path
) -> None:
    for number in range(3, 9):  # records on both sides of the one that changes
        path = folder / f"{number:04d}-record-{number}.md"
        path.write_text(RECORD.replace("Store orders", f"Store orders {number}"), encoding="utf-8")
        age(path)
    load(settings)
    load(settings)
    changed = folder / "0005-record-5.md"
    changed.write_text(RECORD.replace("the team knows it", "it is known well"), encoding="utf-8")
    age(changed, OLD + 1_000)
    _, rewriting = load(settings)
    assert rewriting.misses == 1 and rewriting.writes == 1
    decisions, warm = load(settings)
    assert warm.hits == len(decisions) == 8
    for decision in decisions:
        fresh = formats.read(decision.path)
        assert tuple(decision.sections) == tuple(fresh.sections), decision.path.name
    outcome = next(d for d in decisions if d.number == 5).section("outcome")
    assert outcome is not None and "it is known well" in outcome.text


def _many(folder: Path, count: int, body: str = "") -> None:
    for number in range(3, count + 1):
        path = folder / f"{number:04d}-record-{number}.md"
        text = RECORD.replace("PostgreSQL", f"store {number}") + body * (number % 7)
        path.write_text(text, encoding="utf-8")
        age(path)


@pytest.mark.parametrize("share", [0.5, 0.1, 0.9])
def test_a_skewed_split_parses_every_record_exactly_once(
    settings: Settings, folder: Path, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many(folder, 60, "\\n## Notes\\n\\nlonger text " * 40)
    expected = Store(settings).load_all()
    paths = [d.path for d in expected]
    sizes = [path.stat().st_size for path in paths]
    monkeypatch.setattr(parallel, "CHILD_SHARE", share)
    here: list[Path] = []

    def read(path: Path) -> Decision:
        here.append(path)
        return formats.read(path)

    parsed = parallel.parse_many_packed(paths, read, 10, sizes)
    assert [one[0] for one in parsed] == expected
    cut = parallel.split_at(sizes, share)
    assert here == paths[:cut]  # the parent read its part once, the child the rest
    for one, path in zip(parsed[cut:], paths[cut:], strict=True):
        assert one[1] is not None and one[2] is not None  # packed by the child, with a CRC
        assert packed.decode_record(path, one[1]) == formats.read(path)
        # the child's records come back as plain Decisions, field for field the parse
        assert type(one[0]) is Decision
        assert vars(one[0]) == {**vars(formats.read(path)), "sections": one[0].sections}
        assert tuple(one[0].sections) == formats.read(path).sections


def test_split_follows_the_bytes_not_the_count() -> None:
    assert parallel.split_at([1] * 10, 0.5) == 5
    assert parallel.split_at([100] + [1] * 99, 0.5) == 1  # one big record: the parent's
    assert parallel.split_at([1] * 99 + [100], 0.5) == 99
    assert parallel.split_at([1, 1], 0.01) == 1  # each side gets a record
    assert parallel.split_at([1, 1], 0.99) == 1


def test_a_cache_written_aside_loads_records_equal_to_a_fresh_parse(
    settings: Settings, folder: Path
) -> None:
    _many(folder, 40)
    expected = Store(settings).load_all()
    cache = ParseCache.for_settings(settings, os.environ)
    assert cache is not None
    cache.parallel_min = 10  # 40 records to write: a forked writer writes them
    assert Store(settings, cache=cache).load_all() == expected
    assert cache.writes == 1  # waits for the writer
    assert cache.file.read_bytes().startswith(MAGIC)
    again, warm = load(settings)
    assert (warm.hits, warm.misses, warm.writes) == (len(expected), 0, 0)
    assert again == expected
    for decision, fresh in zip(again, expected, strict=True):
        assert tuple(decision.sections) == tuple(fresh.sections)


def test_a_second_cache_object_waits_for_the_writer(settings: Settings, folder: Path) -> None:
    _many(folder, 40)
    writing = ParseCache.for_settings(settings, os.environ)
    assert writing is not None
    writing.parallel_min = 10
    expected = Store(settings, cache=writing).load_all()
    store = Store(settings, cache=ParseCache.for_settings(settings, os.environ))
    assert store.load_all() == expected  # every record from the file the writer wrote
    assert store.cache is not None and store.cache.hits == len(expected)
