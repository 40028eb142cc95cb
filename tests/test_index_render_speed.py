"""What makes the index render fast must not change what it renders (issue 19).

The context is built in one pass with each distinct value escaped once, the shipped
templates read fields by subscript, and the existing index is read once before a write.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adr_tool.errors import Refused
from adr_tool.publish import fingerprint, index, ownership
from adr_tool.publish.render import Escapes, Renderer, md_cell, md_inline, shipped_templates
from adr_tool.records import packed
from adr_tool.records.store import Store
from test_index import FIXTURE, TODAY, fixture_decisions, fixture_settings

MARKDOWN = st.text(alphabet=st.sampled_from("ab \t\n\u00a0\u2003|`\\<>[]*_#한"), max_size=30)


@given(st.lists(MARKDOWN, max_size=8))
def test_escapes_give_what_md_inline_and_md_cell_give(values: list[str]) -> None:
    escapes = Escapes()
    for value in values * 2:  # the second time from the memo
        assert escapes.inline(value) == md_inline(value)
        assert escapes.cell(value) == md_cell(value)
        assert Escapes.both(value) == (md_inline(value), md_cell(value))


def _attribute_style(template: str) -> str:
    """The shipped index template as a repository's older copy of it reads: ``r.id``
    rather than ``r["id"]``, the favours column as a loop over ``r.favours``."""
    template = template.replace(
        '{{ r["favours_cell"] }}',
        '{% for b in r["favours"] %}`{{ b }}`{{ "<br>" if not loop.last }}{% endfor %}',
    )
    return re.sub(r'\["(\w+)"\]', r".\1", template)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_copy_of_the_template_with_attribute_access_renders_the_same(
    tmp_path: Path, lang: str
) -> None:
    suffix = ".ko.md.j2" if lang == "ko" else ".md.j2"
    folder = tmp_path / "decisions"
    shutil.copytree(FIXTURE, folder)
    (folder / "templates").mkdir()
    for name in ("index" + suffix, "index-rows" + suffix):  # the rows: the template's macros
        shipped = (shipped_templates() / name).read_text(encoding="utf-8")
        copy = _attribute_style(shipped)
        assert '["' not in copy
        (folder / "templates" / name).write_text(copy, encoding="utf-8")
    assert "r.title_cell" in copy
    settings = fixture_settings(lang, folder=folder)
    decisions = Store(settings).load_all()
    ours = index.render_index(settings, decisions, Renderer(None, lang), today=TODAY)
    theirs = index.render_index(
        settings, decisions, Renderer(folder / "templates", lang), today=TODAY
    )
    assert fingerprint.strip_marker(theirs) == fingerprint.strip_marker(ours)
    assert "`development-speed > performance`<br>`" in ours or lang == "ko"


@pytest.mark.parametrize(
    "name", ["index.md.j2", "index.ko.md.j2", "index-rows.md.j2", "index-rows.ko.md.j2"]
)
def test_shipped_index_templates_read_row_fields_by_subscript(name: str) -> None:
    text = (shipped_templates() / name).read_text(encoding="utf-8")
    body = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    assert re.findall(r"\b(?:r|a|c|t|chain\[-1\])\.\w", body) == []


def test_matrix_rows_in_force_first_then_by_side_then_by_number() -> None:
    context = index.index_context(fixture_settings(), fixture_decisions(), today=TODAY)
    assert context["matrix"]
    for block in context["matrix"]:
        keys = [(not r["in_force"], r["side"], r["number"]) for r in block["rows"]]
        assert keys == sorted(keys)
        assert block["in_force"] == sum(1 for r in block["rows"] if r["in_force"])


def test_context_keeps_every_record_row_key_and_adds_the_favours_cell() -> None:
    context = index.index_context(fixture_settings(), fixture_decisions(), today=TODAY)
    row = next(r for r in context["records"] if len(r["favours"]) > 1)
    assert list(row) == [
        "number", "id", "link", "title", "title_cell", "status", "in_force",
        "date", "favours", "favours_cell", "commits",
    ]  # fmt: skip
    assert row["favours_cell"] == "`" + "`<br>`".join(row["favours"]) + "`"
    rows = [r for r in context["records"] if r["favours"]]
    assert rows[0]["favours"] is not rows[1]["favours"]  # each row its own list


def test_render_leaves_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    index.render_index(fixture_settings(), fixture_decisions(), Renderer(None), today=TODAY)
    assert gc.isenabled()
    gc.disable()
    try:
        index.render_index(fixture_settings(), fixture_decisions(), Renderer(None), today=TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- writing: the index on disk is read once ---------------------------------------------


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "decisions"
    shutil.copytree(FIXTURE, folder)
    return folder


def test_write_reads_the_existing_index_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = fixture_settings(folder=_project(tmp_path))
    day = dt.date(2026, 11, 24)
    assert index.write_index(settings, Store(settings), Renderer(None), today=day)
    with settings.index.open("a", encoding="utf-8") as f:
        f.write("edited by hand\n")  # stale: rendered and written again
    reads: list[str] = []
    read_bytes, read_text = Path.read_bytes, Path.read_text

    def counted_bytes(self: Path) -> bytes:
        reads.extend(["bytes"] if self == settings.index else [])
        return read_bytes(self)

    def counted_text(self: Path, *args: Any, **kwargs: Any) -> str:
        reads.extend(["text"] if self == settings.index else [])
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counted_bytes)
    monkeypatch.setattr(Path, "read_text", counted_text)
    assert index.write_index(settings, Store(settings), Renderer(None), today=day)
    assert len(reads) == 1
    monkeypatch.undo()
    assert not index.write_index(settings, Store(settings), Renderer(None), today=day)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"a\r\nb\rc\n", "a\nb\nc\n"),  # as Python's text mode reads it
        (b"\xef\xbb\xbfx\r\n", "\ufeffx\n"),
        (b"\xff not utf-8", ""),
    ],
)
def test_the_bytes_read_for_ownership_decode_as_a_text_read_would(
    tmp_path: Path, raw: bytes, text: str
) -> None:
    path = tmp_path / "README.md"
    path.write_bytes(raw)
    assert index._read(path, tmp_path, raw) == text
    assert index._read(path, tmp_path) == text


def test_refuse_foreign_returns_what_it_read_or_refuses(tmp_path: Path) -> None:
    settings = fixture_settings(folder=_project(tmp_path))
    assert ownership.refuse_foreign(settings) is None  # no index yet
    settings.index.write_text("<!-- Generated by `adr index` -->\nold\n", encoding="utf-8")
    assert ownership.refuse_foreign(settings) == settings.index.read_bytes()
    settings.index.write_text("# Our own README\n", encoding="utf-8")
    with pytest.raises(Refused):
        ownership.refuse_foreign(settings)
    assert ownership.is_generated(settings.index, settings.root) is False


def test_a_file_name_that_was_not_utf8_renders_as_replacement_characters(
    tmp_path: Path,
) -> None:
    folder = _project(tmp_path)
    name = os.fsdecode(b"0012-bad-\xff.md")  # a lone surrogate in the str
    (folder / name).write_text("---\nstatus: accepted\n---\n# Bad name\n", encoding="utf-8")
    settings = fixture_settings(folder=folder)
    text = index.render_index(settings, Store(settings).load_all(), Renderer(None), today=TODAY)
    assert "(0012-bad-\ufffd.md)" in text
    assert not re.search("[\ud800-\udfff]", text)


def test_a_write_turns_lone_surrogates_into_replacement_characters(tmp_path: Path) -> None:
    from adr_tool.records.store import atomic_write

    target = tmp_path / "out.md"
    atomic_write(target, "caf\u00e9 \u2014 " + os.fsdecode(b"bad-\xff") + "\n")
    assert target.read_bytes() == "caf\u00e9 \u2014 bad-\ufffd\n".encode()
    atomic_write(target, "plain\r\nlines\n")  # written as given: no newline translation
    assert target.read_bytes() == b"plain\r\nlines\n"


# --- the fingerprint: computed once per write, links once per render ----------------------


def test_links_in_order_are_the_links_by_path(tmp_path: Path) -> None:
    settings = fixture_settings(folder=_project(tmp_path))
    decisions = Store(settings).load_all()
    odd = replace(decisions[0], path=tmp_path / "other dir" / "0099-ä b%.md")
    deeper = replace(decisions[1], path=settings.directory / "sub" / "0098-x.md")
    records = [*decisions, odd, deeper, decisions[0]]  # a path twice, too
    for where in (settings, index.with_output(settings, tmp_path / "site" / "d.md")):
        by_path = fingerprint.record_links(where, records)
        assert fingerprint.links_in_order(where, records) == [by_path[d.path] for d in records]
    assert fingerprint.links_in_order(settings, [odd]) == ["../other%20dir/0099-ä%20b%25.md"]


def _no_records() -> list[Any]:
    raise AssertionError("the records were loaded")


def test_is_current_given_the_inputs_needs_no_record(tmp_path: Path) -> None:
    settings = fixture_settings(folder=_project(tmp_path))
    decisions = Store(settings).load_all()
    renderer = Renderer(None)
    inputs = fingerprint.inputs_fingerprint(settings, lambda: decisions, renderer, None, TODAY)
    text = index.render_index(settings, decisions, renderer, today=TODAY)
    assert index.render_index(settings, decisions, renderer, today=TODAY, inputs=inputs) == text
    assert f"inputs={inputs} " in text

    def current(on_disk: str, given: str) -> bool:
        return fingerprint.is_current(settings, _no_records, renderer, on_disk, TODAY, inputs=given)

    assert current(text, inputs)
    assert not current(text, "0" * 32)  # other inputs
    assert not current(text.replace("| accepted |", "| rejected |", 1), inputs)  # edited


def test_getter_reads_a_cached_record_as_its_attributes_read() -> None:
    names = ("number", "ref", "title", "status", "tradeoffs", "links", "commits", "review_by")
    get = packed.getter(*names)
    for d in fixture_decisions():
        values, blob = packed.encode(d)
        cached = packed.decode(d.path, values, packed.sections_from(blob) or ())
        assert type(cached) is packed.Packed
        expected = tuple(getattr(d, name) for name in names)
        assert get(cached) == get(d) == expected
    with pytest.raises(ValueError, match="two fields"):
        packed.getter("title")


@pytest.mark.parametrize("stale", ["title", "hand edit", "deleted"])
def test_a_write_computes_the_inputs_fingerprint_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stale: str
) -> None:
    settings = fixture_settings(folder=_project(tmp_path))
    day = dt.date(2026, 11, 24)
    assert index.write_index(settings, Store(settings), Renderer(None), today=day)
    if stale == "title":
        (record,) = settings.directory.glob("0002-*.md")
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("# Use MySQL", "# Use MariaDB", 1), encoding="utf-8")
    elif stale == "hand edit":
        with settings.index.open("a", encoding="utf-8") as f:
            f.write("edited by hand\n")
    else:
        settings.index.unlink()
    calls: list[int] = []
    computed = fingerprint.inputs_fingerprint

    def counted(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        return computed(*args, **kwargs)

    monkeypatch.setattr(index, "inputs_fingerprint", counted)
    assert index.write_index(settings, Store(settings), Renderer(None), today=day)
    assert len(calls) == 1
    written = settings.index.read_text(encoding="utf-8")
    assert ("Use MariaDB" in written) == (stale == "title")
    expected = index.render_index(settings, Store(settings).load_all(), Renderer(None), today=day)
    assert written == expected
