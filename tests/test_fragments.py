"""The index rows kept beside the parse cache (decision 0062): reused only while a
record's shown fields, the rows template and the code are as they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
import shutil
import zlib
from pathlib import Path

import pytest

from adr_tool.config import Settings
from adr_tool.model import Decision
from adr_tool.publish import fingerprint, fragments, index
from adr_tool.publish.render import Renderer, shipped_templates
from adr_tool.records.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "index"
TODAY = dt.date(2026, 11, 24)


def settings_for(folder: Path, lang: str = "en") -> Settings:
    folder = folder.resolve()
    return Settings(root=folder.parent, directory=folder, index=folder / "README.md", lang=lang)


def decisions(settings: Settings) -> list[Decision]:
    return Store(settings).load_all()


def render(
    settings: Settings, records: list[Decision], rows: Path | None, renderer: Renderer | None = None
) -> str:
    renderer = renderer or Renderer(None, settings.lang)
    text = index.render_index(settings, records, renderer, today=TODAY, rows=rows)
    return fingerprint.strip_marker(text)


def kept(rows: Path) -> dict[tuple[object, ...], fragments.Rows]:
    raw = rows.read_bytes()
    assert raw[:4] == fragments.MAGIC
    stamp, keys, rows = marshal.loads(raw[fragments.HEAD :])
    assert isinstance(stamp, bytes) and len(keys) == len(rows)
    return dict(zip(keys, rows, strict=True))


def write_kept(rows: Path, found: dict[tuple[object, ...], fragments.Rows]) -> None:
    stamp = marshal.loads(rows.read_bytes()[fragments.HEAD :])[0]
    fragments.save(rows, stamp, list(found), list(found.values()))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_kept_rows_give_the_text_a_fresh_render_gives(tmp_path: Path, lang: str) -> None:
    settings = settings_for(FIXTURE, lang)
    records = decisions(settings)
    expected = render(settings, records, None)
    rows = tmp_path / "records.rows"
    assert render(settings, records, rows) == expected  # rendered and kept
    assert len(kept(rows)) == len(records)
    assert render(settings, records, rows) == expected  # joined from what was kept


def test_kept_rows_are_used_when_the_record_is_unchanged(tmp_path: Path) -> None:
    settings = settings_for(FIXTURE)
    records = decisions(settings)
    rows = tmp_path / "records.rows"
    render(settings, records, rows)
    found = kept(rows)
    first = next(key for key in found if key[0] == records[0].number)
    table, *rest = found[first]
    found[first] = (table.replace("|", "| marked", 1), *rest)  # type: ignore[assignment]
    write_kept(rows, found)
    assert "| marked" in render(settings, records, rows)


def test_a_changed_record_is_rendered_again_and_its_old_rows_dropped(tmp_path: Path) -> None:
    settings = settings_for(FIXTURE)
    records = decisions(settings)
    rows = tmp_path / "records.rows"
    render(settings, records, rows)
    changed = [
        dataclasses.replace(d, title="A new | title", status="deprecated") if i == 0 else d
        for i, d in enumerate(records)
    ]
    expected = render(settings, changed, None)
    assert "A new \\| title" in expected
    assert render(settings, changed, rows) == expected
    found = kept(rows)
    assert len(found) == len(records)  # the old key is gone: no stale entry kept
    assert sum(1 for key in found if key[3] == "A new | title") == 1
    assert render(settings, records, rows) == render(settings, records, None)


def test_rows_are_found_when_records_moved(tmp_path: Path) -> None:
    settings = settings_for(FIXTURE)
    records = decisions(settings)
    rows = tmp_path / "records.rows"
    render(settings, records, rows)
    found = kept(rows)
    third = next(key for key in found if key[0] == records[2].number)
    table, *rest = found[third]
    found[third] = (table.replace("|", "| marked", 1), *rest)  # type: ignore[assignment]
    write_kept(rows, found)
    fewer = records[:1] + records[2:]  # the second record removed: the third moves up
    assert "| marked" in render(settings, fewer, rows)  # its kept rows found elsewhere
    assert len(kept(rows)) == len(fewer)  # the removed record's rows are dropped
    assert "| marked" in render(settings, records, rows)  # and found again in its place


def test_a_changed_rows_template_is_used_not_the_kept_rows(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    shutil.copytree(FIXTURE, folder)
    settings = settings_for(folder)
    records = decisions(settings)
    rows = tmp_path / "records.rows"
    shipped = Renderer(None, "en")
    render(settings, records, rows, shipped)
    (folder / "templates").mkdir()
    source = (shipped_templates() / "index-rows.md.j2").read_text(encoding="utf-8")
    (folder / "templates" / "index-rows.md.j2").write_text(
        source.replace("* [{{", "* ours [{{"), encoding="utf-8"
    )
    theirs = Renderer(folder / "templates", "en", root=folder.parent)
    text = render(settings, records, rows, theirs)
    assert "* ours [" in text
    assert text == render(settings, records, None, theirs)
    # and the fingerprint tells the two templates apart
    inputs = [
        fingerprint.inputs_fingerprint(settings, lambda: records, r, None, TODAY)
        for r in (shipped, theirs)
    ]
    assert inputs[0] != inputs[1]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw[:100] + bytes([raw[100] ^ 1]) + raw[101:],  # one bit flipped
        lambda raw: b"garbage",
        lambda raw: b"",
    ],
)
def test_a_damaged_file_is_read_as_empty(tmp_path: Path, damage: object) -> None:
    settings = settings_for(FIXTURE)
    records = decisions(settings)
    rows = tmp_path / "records.rows"
    expected = render(settings, records, rows)
    rows.write_bytes(damage(rows.read_bytes()))  # type: ignore[operator]
    assert render(settings, records, rows) == expected
    assert len(kept(rows)) == len(records)  # written whole again


def test_entries_of_another_shape_with_a_good_checksum_are_rendered_again(tmp_path: Path) -> None:
    settings = settings_for(FIXTURE)
    records = decisions(settings)
    rows = tmp_path / "records.rows"
    expected = render(settings, records, rows)
    found = kept(rows)
    for key in list(found)[:3]:
        found[key] = (1, 2)  # type: ignore[assignment]
    stamp = marshal.loads(rows.read_bytes()[fragments.HEAD :])[0]
    payload = marshal.dumps((stamp, list(found), list(found.values())))
    rows.write_bytes(fragments.MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload)
    assert render(settings, records, rows) == expected


def test_rows_kept_under_another_language_are_not_used(tmp_path: Path) -> None:
    rows = tmp_path / "records.rows"
    english = settings_for(FIXTURE)
    render(english, decisions(english), rows)
    korean = settings_for(FIXTURE, "ko")
    assert render(korean, decisions(korean), rows) == render(korean, decisions(korean), None)


def test_the_index_command_keeps_rows_beside_the_parse_cache(project: Path) -> None:
    from support import Cli

    cli = Cli(project)
    for title in ("First", "Second"):
        assert cli("new", title, "--no-edit").exit_code == 0
    assert cli("index").exit_code == 0
    found = list((project / ".git" / "adr-cache").glob("*.rows"))
    records = [p for p in (project / "docs" / "decisions").glob("0*.md")]
    assert len(records) == 3  # with the first record `adr init` wrote
    assert len(found) == 1 and len(kept(found[0])) == 3
