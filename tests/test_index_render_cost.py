"""The cheaper ways the index is rendered give what the plain ones gave (issue 19)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adr_tool.model import Decision, Link, format_id
from adr_tool.publish import fingerprint, graph, index
from adr_tool.publish.fingerprint import inputs_fingerprint, links_in_order, strip_marker
from adr_tool.publish.graph import _MERMAID_CODES, _MERMAID_WORDS, edges, mermaid, mermaid_text
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store
from test_index import FIXTURE, TODAY, fixture_settings

LABELS = st.text(alphabet=st.sampled_from('ab #"<>`&%;\t\nstyleclassDef한'), max_size=40)


def _translated(value: str) -> str:
    """``mermaid_text`` as one simultaneous ``str.translate``, as it was written first."""
    text = " ".join(value.split()).translate(str.maketrans(_MERMAID_CODES))
    for word, code in _MERMAID_WORDS.items():
        text = text.replace(word, code)
    return text


@given(LABELS)
def test_mermaid_text_replaces_as_one_translate_would(value: str) -> None:
    assert mermaid_text(value) == _translated(value)


def test_mermaid_text_codes_a_hash_once() -> None:
    assert mermaid_text('#5 "a" <b> 100%') == "#35;5 #quot;a#quot; #lt;b#gt; 100#37;"


def _former_mermaid(decisions: list[Decision], connected_only: bool) -> str:
    """``mermaid`` as it was written before it stopped keeping a name per record."""
    links = edges(decisions)
    ids = {d.number: f"adr{d.number}" for d in decisions}
    wanted = {n for e in links for n in (e.source, e.target)}
    lines = ["flowchart LR"]
    for d in decisions:
        if d.number in ids and (not connected_only or d.number in wanted):
            label = mermaid_text(f"{d.id}. {d.title or '(no title)'} ({d.status or '?'})")
            lines.append(f'  {ids.pop(d.number)}["{label}"]')
            wanted.discard(d.number)
    for missing in sorted(wanted - set(ids)):
        lines.append(f'  adr{missing}["{format_id(missing)} (missing)"]')
    for e in links:
        arrow = "-->" if e.rel == "supersedes" else "-.->"
        lines.append(f'  adr{e.source} {arrow}|"{mermaid_text(e.rel)}"| adr{e.target}')
    return "\n".join(lines) + "\n"


NUMBERS = st.integers(min_value=1, max_value=8)
RECORDS = st.lists(
    st.builds(
        lambda number, title, old, new, to: Decision(
            number=number,
            path=Path(f"{number:04d}-{title}.md"),
            title=title,
            status="accepted",
            supersedes=tuple(old),
            superseded_by=tuple(new),
            links=tuple(Link("Amends" if n % 2 else "Amended by", n) for n in to),
        ),
        NUMBERS,
        st.sampled_from(["a", "b #1", "", "style <x>"]),
        st.lists(NUMBERS, max_size=2),
        st.lists(NUMBERS, max_size=1),
        st.lists(st.integers(min_value=1, max_value=12), max_size=2),
    ),
    max_size=8,
)


@given(RECORDS, st.booleans())
def test_mermaid_shows_what_it_showed_before(decisions: list[Decision], connected: bool) -> None:
    # duplicate numbers, links to numbers no record has, records linked to nothing
    expected = _former_mermaid(decisions, connected)
    assert mermaid(decisions, connected_only=connected) == expected
    assert mermaid(decisions, connected_only=connected, links=edges(decisions)) == expected


def _chain(count: int) -> list[Decision]:
    """``count`` records, each superseding the one before: a graph of ``count`` nodes."""
    folder = FIXTURE.resolve()
    return [
        Decision(
            number=n,
            path=folder / f"{n:04d}-x.md",
            title=f"Decision {n} " + "word " * 40,
            status="accepted" if n == count else "superseded",
            supersedes=(n - 1,) if n > 1 else (),
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [3, 400])
def test_a_graph_cut_short_only_when_too_big_to_show(count: int) -> None:
    settings, decisions = fixture_settings(), _chain(count)
    whole = index.index_context(settings, decisions, today=TODAY)
    cut = index.index_context(settings, decisions, today=TODAY, whole_graph=False)
    assert whole["mermaid"] == mermaid(decisions, connected_only=True)
    assert whole["mermaid_too_big"] is cut["mermaid_too_big"] is (count == 400)
    if count == 400:
        assert len(whole["mermaid"]) > len(cut["mermaid"]) > graph.MERMAID_MAX_CHARS
        del whole["mermaid"], cut["mermaid"]
    assert cut == whole


def test_a_repository_template_gets_the_whole_graph_however_big(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "index.md.j2").write_text("{{ mermaid }}", encoding="utf-8")
    settings, decisions = fixture_settings(), _chain(400)
    text = index.render_index(settings, decisions, Renderer(folder), today=TODAY)
    assert strip_marker(text) == mermaid(decisions, connected_only=True)
    shipped = index.render_index(settings, decisions, Renderer(None), today=TODAY)
    assert "The graph is too large to show here" in shipped


def test_the_fingerprint_tells_apart_what_a_repr_told_apart() -> None:
    settings, renderer = fixture_settings(), Renderer(None)
    decisions = _chain(3)

    def of(records: list[Decision]) -> str:
        return inputs_fingerprint(settings, lambda: records, renderer, None, TODAY)

    first = of(decisions)
    assert of(list(decisions)) == first
    changes = [
        replace(decisions[0], title=decisions[0].title + "\0"),
        replace(decisions[0], title="\udcff"),  # a byte that was not UTF-8
        replace(decisions[0], supersedes=(2**40,)),
        replace(decisions[0], status=""),
    ]
    seen = {first} | {of([change, *decisions[1:]]) for change in changes}
    assert len(seen) == 1 + len(changes)


def test_a_write_works_out_the_links_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "decisions"
    shutil.copytree(FIXTURE, folder)
    settings = fixture_settings(folder=folder)
    calls: list[int] = []

    def counted(*args: Any) -> list[str]:
        calls.append(1)
        return links_in_order(*args)

    monkeypatch.setattr(index, "links_in_order", counted)
    monkeypatch.setattr(fingerprint, "links_in_order", counted)
    assert index.write_index(settings, Store(settings), Renderer(None), today=TODAY)
    assert len(calls) == 1
    written = settings.index.read_text(encoding="utf-8")
    assert written == index.render_index(
        settings, Store(settings).load_all(), Renderer(None), today=TODAY
    )
