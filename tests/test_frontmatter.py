"""frontmatter: split, load and the round-trip edit (an edit changes only its key)."""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import example
from hypothesis import strategies as st

from adr_tool.errors import ParseError
from adr_tool.records import frontmatter
from support import tiered

BODY = "# Title\n\nBody with --- and key: value lines\n---\n"

# --- split / load -------------------------------------------------------------------


def test_split_without_front_matter_keeps_the_whole_text_as_body() -> None:
    parts = frontmatter.split("# Title\n\nText\n")
    assert parts.yaml is None
    assert parts.body == "# Title\n\nText\n"


def test_split_reports_lines_bom_and_crlf() -> None:
    text = "\ufeff---\r\nstatus: accepted\r\n---\r\n# T\r\n"
    parts = frontmatter.split(text)
    assert parts.yaml == "status: accepted\n"
    assert (parts.yaml_line, parts.body_line) == (2, 4)
    assert parts.bom and parts.newline == "\r\n"
    assert parts.body == "# T\n"


def test_split_refuses_an_unclosed_block_with_its_line() -> None:
    with pytest.raises(ParseError) as info:
        frontmatter.split("---\nstatus: x\n# no end\n", "r.md")
    assert info.value.line == 1
    assert "never closed" in str(info.value)


def test_load_keeps_unknown_keys_and_reads_dates() -> None:
    data = frontmatter.load("status: accepted\nx-team: payments\ndate: 2026-11-24\n")
    assert data == {"status": "accepted", "x-team": "payments", "date": dt.date(2026, 11, 24)}


def test_load_names_the_line_of_bad_yaml() -> None:
    with pytest.raises(ParseError) as info:
        frontmatter.load("status: ok\ntags: [a, b\n", "r.md", first_line=2)
    assert info.value.line is not None and info.value.line >= 3


def test_load_refuses_tabs_and_non_mappings() -> None:
    with pytest.raises(ParseError, match="tab"):
        frontmatter.load("tags:\n\t- a\n")
    with pytest.raises(ParseError, match="mapping"):
        frontmatter.load("- a\n- b\n")


# --- edit: unit cases ------------------------------------------------------------------


def set_key(key: str, value: Any) -> Any:
    def mutate(data: MutableMapping[str, Any]) -> None:
        data[key] = value

    return mutate


def test_edit_keeps_comments_quotes_order_and_body() -> None:
    text = (
        "---\n# who decided\nzeta: 'odd order'   # kept\nstatus: \"proposed\"  # status\n"
        "tags:\n  - a   # first\n  - b\n# trailing note about date\ndate: 2026-11-24\n"
        "---\n" + BODY
    )
    out = frontmatter.edit(text, set_key("status", "accepted"))
    assert out == text.replace('"proposed"', '"accepted"')


def test_edit_of_a_date_keeps_it_unquoted() -> None:
    text = "---\ndate: 2026-11-24\n---\n# T\n"
    date = frontmatter.like(frontmatter.load("date: 2026-11-24")["date"], "2026-12-01")
    assert frontmatter.edit(text, set_key("date", date)) == "---\ndate: 2026-12-01\n---\n# T\n"


def test_like_keeps_quote_style() -> None:
    data: dict[str, Any] = {}

    def capture(d: MutableMapping[str, Any]) -> None:
        data["old"] = d["status"]
        d["status"] = frontmatter.like(d["status"], "accepted")

    out = frontmatter.edit("---\nstatus: 'proposed'\n---\n", capture)
    assert out == "---\nstatus: 'accepted'\n---\n"


def test_edit_keeps_crlf_and_bom() -> None:
    text = "\ufeff---\r\nstatus: proposed # c\r\nx: 1\r\n---\r\n# T\r\n\r\nBody\r\n"
    out = frontmatter.edit(text, set_key("status", "accepted"))
    assert out == text.replace("proposed", "accepted")


def test_edit_without_front_matter_adds_a_block_and_keeps_the_body() -> None:
    text = "# Title\n\nBody\n"
    out = frontmatter.edit(text, set_key("status", "accepted"))
    assert out == "---\nstatus: accepted\n---\n# Title\n\nBody\n"
    assert frontmatter.edit(text, lambda d: None) == text


def test_edit_that_changes_nothing_returns_the_same_text() -> None:
    text = "---\nstatus:   accepted    # odd spacing\n---\n"
    assert frontmatter.edit(text, set_key("status", "accepted")) is text


def test_new_key_goes_after_trailing_comments_without_copying_them() -> None:
    text = "---\nstatus: a\ntradeoffs: []\n# a hint for authors\n#   - axis: x\n---\n# T\n"
    out = frontmatter.edit(text, set_key("links", frontmatter.flow_list([1])))
    assert (
        out == "---\nstatus: a\ntradeoffs: []\n# a hint for authors\n#   - axis: x\n"
        "links: [1]\n---\n# T\n"
    )


def test_deleting_a_key_keeps_the_comment_that_followed_it() -> None:
    text = "---\na: 1\nlinks: [{rel: X, to: 2}]\n# about b\nb: 2\n---\n"
    out = frontmatter.edit(text, lambda d: d.pop("links"))
    assert out == "---\na: 1\n# about b\nb: 2\n---\n"


def test_appending_to_a_flow_list_of_maps_keeps_flow_style() -> None:
    text = "---\nlinks: [{rel: Amends, to: 5}]  # why\nz: 1\n---\n"

    def mutate(d: MutableMapping[str, Any]) -> None:
        d["links"].append(frontmatter.flow_map({"rel": "Amended by", "to": 7}))

    out = frontmatter.edit(text, mutate)
    assert out == "---\nlinks: [{rel: Amends, to: 5}, {rel: Amended by, to: 7}]  # why\nz: 1\n---\n"


def test_edit_raises_parse_error_on_bad_yaml() -> None:
    with pytest.raises(ParseError):
        frontmatter.edit("---\na: [1\n---\n", set_key("a", 2), "r.md")


# --- edit: the property ------------------------------------------------------------------

RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
plain_word = st.from_regex(r"[a-z][a-z0-9-]{0,7}", fullmatch=True).filter(
    lambda w: w not in RESERVED
)
plain_text = st.lists(plain_word, min_size=1, max_size=3).map(" ".join)
quoted_text = st.text(alphabet="abc XYZ:#,-[]{}", min_size=0, max_size=12)
comment = st.text(alphabet="abc xyz-:#'\"", min_size=0, max_size=12).map(lambda c: "#" + c)


@dataclass(frozen=True)
class Entry:
    """One top-level key as text: its line(s), then trailing comment/blank lines."""

    key: str
    head: str
    tail: str

    @property
    def text(self) -> str:
        return self.head + self.tail


@st.composite
def scalar(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "single", "double", "int", "date"]))
    if kind == "plain":
        return draw(plain_text)
    if kind == "single":
        return "'" + draw(quoted_text).replace("'", "''") + "'"
    if kind == "double":
        return '"' + draw(quoted_text).replace("\\", "").replace('"', "") + '"'
    if kind == "int":
        return str(draw(st.integers(0, 9999)))
    return draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))).isoformat()


@st.composite
def entry(draw: st.DrawFn, key: str) -> Entry:
    kind = draw(st.sampled_from(["scalar", "flow", "block", "map", "empty-list"]))
    eol = draw(st.one_of(st.just(""), comment.map(lambda c: " " * draw(st.integers(1, 3)) + c)))
    if kind == "scalar":
        head = f"{key}: {draw(scalar())}{eol}\n"
    elif kind == "flow":
        items = draw(st.lists(st.one_of(plain_word, st.integers(0, 99).map(str)), max_size=4))
        head = f"{key}: [{', '.join(items)}]{eol}\n"
    elif kind == "empty-list":
        head = f"{key}: []{eol}\n"
    elif kind == "map":
        head = f"{key}: {{rel: {draw(plain_word)}, to: {draw(st.integers(1, 99))}}}{eol}\n"
    else:
        indent = " " * draw(st.sampled_from([0, 2, 4]))
        items = draw(st.lists(scalar(), min_size=1, max_size=3))
        head = f"{key}:{eol}\n" + "".join(f"{indent}- {item}\n" for item in items)
    tail = "".join(
        draw(st.lists(st.one_of(comment.map(lambda c: c + "\n"), st.just("\n")), max_size=2))
    )
    return Entry(key, head, tail)


KEYS = ["zeta", "status", "date", "x-team", "links", "alpha", "supersedes", "review-by", "tags"]


@st.composite
def document(draw: st.DrawFn) -> tuple[str, list[Entry], str]:
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    entries = [draw(entry(key)) for key in keys]
    preamble = "".join(draw(st.lists(comment.map(lambda c: c + "\n"), max_size=2)))
    return preamble, entries, BODY


@st.composite
def edit_case(draw: st.DrawFn) -> tuple[str, list[Entry], str, int, Any, str]:
    preamble, entries, body = draw(document())
    target = draw(st.integers(0, len(entries)))  # len(entries): add a new key
    value = draw(
        st.one_of(
            plain_text.filter(lambda v: v not in KEYS),
            st.integers(100000, 999999),
            st.lists(st.integers(1, 99), min_size=1, max_size=3).map(frontmatter.flow_list),
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return preamble, entries, body, target, value, bom + newline


def render(preamble: str, entries: list[Entry], body: str) -> str:
    return "---\n" + preamble + "".join(e.text for e in entries) + "---\n" + body


@tiered(300, case=edit_case())
@example(("", [Entry("a", "a: 1\n", "# hint\n")], BODY, 1, 5, "\n"))
@example(  # ruamel once re-emitted this as "date: a x-team: a" (the comment ate a newline)
    (
        "",
        [
            Entry("zeta", "zeta: #\n- ''\n", ""),
            Entry("status", "status: []\n", ""),
            Entry("date", "date: a\n", ""),
            Entry("x-team", "x-team: a\n", ""),
        ],
        BODY,
        0,
        frontmatter.flow_list([1]),
        "\n",
    )
)
def test_editing_one_key_leaves_every_other_byte_identical(
    case: tuple[str, list[Entry], str, int, Any, str],
) -> None:
    preamble, entries, body, target, value, style = case
    bom, newline = ("\ufeff", style[1:]) if style.startswith("\ufeff") else ("", style)
    source = render(preamble, entries, body)
    text = bom + source.replace("\n", newline)
    key = entries[target].key if target < len(entries) else "new-key"

    out = frontmatter.edit(text, set_key(key, value))

    assert out.startswith(bom) and (bom or not out.startswith("\ufeff"))
    lf = out[len(bom) :].replace(newline, "\n")
    assert "\r" not in lf
    before = "---\n" + preamble + "".join(e.text for e in entries[:target])
    after_entries = entries[target + 1 :]
    after = "".join(e.text for e in after_entries) + "---\n" + body
    assert lf.startswith(before)
    assert lf.endswith(after)
    middle = lf[len(before) : len(lf) - len(after)]
    if target < len(entries):
        assert middle.endswith(entries[target].tail)  # comments after the value stay
    expected = frontmatter.load(frontmatter.split(source).yaml or "")
    expected[key] = list(value) if isinstance(value, list) else value
    assert frontmatter.load(frontmatter.split(lf).yaml or "") == expected


# --- the yaml filter: plain words are written without ruamel, exactly as ruamel would ----

WORDS = st.one_of(
    st.text(alphabet="aAyYnNoOfFtTlLeE19-_ :#'.", max_size=7),
    st.sampled_from(["yes", "No", "ON", "off", "True", "FALSE", "null", "Null", "y", "N"]),
    st.sampled_from(["proposed", "accepted", "x-1", "e", "nan", "inf", "a" * 201]),
)


@tiered(500, value=st.one_of(WORDS, st.lists(WORDS, max_size=3)))
def test_flow_writes_words_as_ruamel_does(value: object) -> None:
    assert frontmatter.flow(value) == frontmatter.dumped(value)


def test_flow_of_words_does_not_load_ruamel() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from adr_tool.records.frontmatter import flow\n"
        "print(flow('proposed'), flow([]), flow(('a', 'b-c')), flow('no'))\n"
        "print('ruamel.yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines() == ["proposed [] [a, b-c] no", "True"], done.stderr
    code = code.replace(", flow('no')", "")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines() == ["proposed [] [a, b-c]", "False"], done.stderr
