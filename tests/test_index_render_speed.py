"""What makes the index render fast must not change what it renders (issue 19).

The context is built in one pass with each distinct value escaped once.
"""

from __future__ import annotations

import gc

from hypothesis import given
from hypothesis import strategies as st

from adr_tool.publish import index
from adr_tool.publish.render import Escapes, Renderer, md_cell, md_inline
from test_index import TODAY, fixture_decisions, fixture_settings

MARKDOWN = st.text(alphabet=st.sampled_from("ab \t\n\u00a0\u2003|`\\<>[]*_#한"), max_size=30)


@given(st.lists(MARKDOWN, max_size=8))
def test_escapes_give_what_md_inline_and_md_cell_give(values: list[str]) -> None:
    escapes = Escapes()
    for value in values * 2:  # the second time from the memo
        assert escapes.inline(value) == md_inline(value)
        assert escapes.cell(value) == md_cell(value)
        assert Escapes.both(value) == (md_inline(value), md_cell(value))


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
