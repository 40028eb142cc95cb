"""The strict-subset front matter reader (records/subset.py) against ruamel's safe loader.

For every text it accepts, ``subset.read`` must give what ``frontmatter._safe_load`` gives:
the same keys in the same order, the same values and the same type for every leaf.
Anything else it must leave to ruamel (None). Checked on the benchmark corpus, on every
fixture and record in the repository, on a table of edge cases and on generated texts
that mix the accepted shapes with the ones it refuses.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from adr_tool.errors import ParseError
from adr_tool.records import frontmatter, subset
from tests.support import tiered

ROOT = Path(__file__).resolve().parent.parent


def shape(value: Any) -> Any:
    """Values with their types and key order, so that ``1 == True`` or a date equal to a
    string could not pass: what the comparison is made on."""
    if isinstance(value, dict):
        return ("map", [(shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [shape(v) for v in value])
    return (type(value).__name__, value)


def agrees(text: str) -> bool:
    """True when the subset accepted ``text``; fails the test when it disagrees."""
    fast = subset.read(text)
    both = subset.read_with_lines(text, 2)  # the record reader's way in: with key lines
    if fast is None:
        assert both is None, text
        return False
    assert both is not None, text
    assert shape(both[0]) == shape(fast), text
    assert list(both[1].items()) == list(frontmatter.key_lines(text, 2).items()), text
    try:
        slow = frontmatter._safe_load(text)
    except Exception as exc:  # any refusal by ruamel is a disagreement
        raise AssertionError(f"subset read {text!r} but ruamel refused it: {exc}") from None
    assert shape(fast) == shape(slow), text
    assert shape(frontmatter.load(text)) == shape(slow), text
    return True


# --- the benchmark corpus and the repository's own files -----------------------------


def _corpus_texts(count: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    return [corpus._native(entry) for entry in corpus._plan(count, 7)]


def test_every_benchmark_record_is_read_alike_and_accepted() -> None:
    texts = _corpus_texts(1500)
    yamls = [frontmatter.split(text).yaml for text in texts]
    accepted = sum(agrees(y) for y in yamls if y is not None)
    assert accepted == len(texts)  # the benchmark measures the subset, not ruamel


def _repository_front_matters() -> list[tuple[str, str]]:
    found = []
    for folder in ("tests", "docs", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".md", ".yaml", ".yml", ".j2") or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            try:
                yaml = frontmatter.split(text).yaml if path.suffix != ".yaml" else text
            except ParseError:
                continue
            if yaml:
                found.append((str(path.relative_to(ROOT)), yaml))
    return found


def test_every_fixture_and_record_in_the_repository_is_read_alike() -> None:
    found = _repository_front_matters()
    accepted = [name for name, yaml in found if agrees(yaml)]
    assert len(found) > 100
    assert len(accepted) > len(found) // 2, "the subset should cover most real records"
    assert any(name.startswith("docs/decisions/") for name in accepted)


# --- edge cases ------------------------------------------------------------------------

ACCEPTED = [
    "status: accepted\n",
    "a: 2015-02-30\n",  # no real day: text, as the loader keeps it (ADR015 names it)
    "a: b c  \n",
    "a: C#\n",
    "a: R&D\n",
    "a: one * two\n",
    "a: accepted   # a comment\n",
    "a: 'quoted: # here'  # and a comment\n",
    'a: "double \' quote"\n',
    "a: ''\n",
    "a:\nb: c\n",
    "a:  # to come\nb: c\n",
    "tradeoffs: # one per axis\n  - axis: x\n",
    "a:\n",
    "a: 0\n",
    "a: 123456789012345678\n",
    "a: 2015-04-02\n",
    "a: [2015-04-02, 7, x y, _z]\n",
    "a: []\n",
    "a: [ ]\n",
    "a: 9f2c1e4\n",
    "a: 0123abcd\n",
    "a: deadbeef\n",
    "a: http://example.com/x\n",
    "a: key:value\n",
    "a: yes please\n",
    "a: 한국어 값\n",
    "# comment\n\na: b\n   # indented comment\nc: d\n",
    "a:\n- x\n- z\nb: z\n",
    "a:\n  - x\n  # c\n\n  - 5\n",
    "a:\n    - axis: p\n      favours: q\n    - axis: r\n",
    'tradeoffs:\n  - axis: a\n    cost: "x, y"   # what it costs\n    revisit-when: b\n',
    "links: [{rel: Amends, to: 7}, {rel: Relates to, to: 12}]\n",
    "links:\n  - {rel: Amends, to: 5}\n",
    "a:\n  - [x, 1]\n",
    "a: {b: c}\n",
    "scope: [adr_tool/records/*.py, tests/test_x.py]\n",
]

REJECTED = [
    "",
    "# only a comment\n",
    "a: true\n",
    "a: False\n",
    "a: NULL\n",
    "a: ~\n",
    "a: Yes\n",
    "a: off\n",
    "a: n\n",
    "On: x\n",
    "a: [yes]\n",
    "a: 007\n",
    "a: 1_000\n",
    "a: 1e5\n",
    "a: 12e45\n",
    "a: 0b101\n",
    "a: 0x1f\n",
    "a: 1.5\n",
    "a: .5\n",
    "a: -1\n",
    "a: +1\n",
    "a: 12:30\n",
    "a: 2015-4-2\n",
    "a: 2015-04-02 10:00:00\n",
    "a: 1234567890123456789\n",
    "a: 40 ms\n",
    "a: &x b\n",
    "a: *x\n",
    "a: !tag b\n",
    "a: |\n  b\n",
    "a: >\n  b\n",
    "a: b\n  c\n",
    "a: b\n\n  c\n",
    "a: b: c\n",
    "a: b:\n",
    "a: @x\n",
    "a: `x`\n",
    "a: %x\n",
    "a: ?x\n",
    "a: - x\n",
    "a: -x\n",
    "a: 'it''s'\n",
    'a: "esc\\n"\n',
    'a: "x"y\n',
    'a: "x"#y\n',
    "a: 'open\n",
    "a: [x, ]\n",
    "a: [x\n",
    "a: [x] y\n",
    "a: [x: y]\n",
    "a: [x #y]\n",
    "a: {}\n",
    "a: {b}\n",
    "a: {b: c: d}\n",
    "a: {b: c, b: d}\n",
    "a: b\na: c\n",
    "a:\n  - b: c\n    b: d\n",
    "a:\n  b: c\n",
    "a:\n  - b:\n      - c\n",
    "a:\n  - x\n - y\n",
    "a:\n  - x\n    - y\n",
    "a:\n  -  x\n",
    "a:\n  -\n",
    "a:\n  - b: c\n     d: e\n",
    "- a\n",
    " a: b\n",
    "a : b\n",
    "a:b\n",
    "'a': b\n",
    "a\tb: c\n",
    "a: b\tc\n",
    "---\na: b\n",
    "...\n",
    "%YAML 1.1\n---\na: b\n",
    "a: b\u2028c\n",
    "a: b\u00a0c\n",
    "a: \ufeffb\n",
    "a: b\r\n",
    "<<: x\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_edge_cases_read_as_ruamel_reads_them(text: str) -> None:
    assert agrees(text), f"expected the subset to read {text!r}"


@pytest.mark.parametrize("text", REJECTED)
def test_refused_edge_cases_are_left_to_ruamel(text: str) -> None:
    assert subset.read(text) is None


def test_reserved_words_in_every_case_are_left_to_ruamel() -> None:
    for word in ("y", "n", "yes", "no", "on", "off", "true", "false", "null"):
        for spelling in (word, word.upper(), word.title()):
            for text in (f"a: {spelling}\n", f"{spelling}: a\n", f"a: [{spelling}]\n"):
                assert subset.read(text) is None, text


def test_the_limits_still_come_first() -> None:
    big = "a: [" + ", ".join(["word"] * 15000) + "]\n"
    assert subset.read(big) is not None
    with pytest.raises(ParseError) as info:
        frontmatter.load(big)
    assert info.value.key == "fm-too-large"
    with pytest.raises(ParseError) as info:
        frontmatter.load("a: b\n\tc: d\n")
    assert info.value.key == "fm-tab"


def test_a_long_line_is_read_in_linear_time() -> None:
    import time

    for text in (
        "a: " + "x " * 50_000 + "\n",
        "a: [" + "x " * 50_000 + "\n",
        "a: [" + "x," * 30_000 + "x]\n",
        "a: [" + "{b: c}, " * 8_000 + "x]\n",
        "a: " + " #" * 50_000 + "\n",
        "a: {" + "b: " * 30_000 + "}\n",
        "a" * 100_000 + ":\n",
    ):
        started = time.process_time()
        subset.read(text)
        assert time.process_time() - started < 1.0, text[:20]  # quadratic would take minutes


# --- generated texts: accepted shapes, mutated ----------------------------------------

WORDS = ["accepted", "Jin Park", "p99 latency about 40 ms", "x", "_y", "C#", "R&D", "é"]
TRICKY = [
    "y", "N", "yes", "No", "on", "OFF", "true", "False", "null", "Null", "~", "nan", ".inf",
    "0", "7", "007", "1_0", "1e5", "0b1", "0x1f", "0o7", "1.5", "-1", "+2", "12:30",
    "2015-04-02", "2015-02-30", "2015-4-2", "2015-04-02T10:00:00", "9f2c1e4", "12e45",
    "deadbeef", "'q'", "'it''s'", '"d"', '"a\\tb"', '""', "[]", "[a, b]", "[a,]", "{a: b}",
    "{}", "&a x", "*a", "!t x", "|", ">", "%x", "@x", "`x`", "?x", "- x", "-x", "a: b",
    "a:", "a #b", "a#b", "[a] b", "x\ty", "x\u2028y", "x\u00a0y", "<<", "=", "a, b",
]  # fmt: skip


def mostly(safe: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``safe`` fifteen times in sixteen: about half the texts stay inside the subset."""
    return st.integers(0, 15).flatmap(lambda roll: odd if roll == 0 else safe)


value = mostly(
    st.one_of(
        st.sampled_from(WORDS),
        st.integers(0, 10**6).map(str),
        st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat),
        st.sampled_from(["'single: # q'", '"dou ble"', "''", "9f2c1e4", "0123abcd"]),
    ),
    st.one_of(
        st.sampled_from(TRICKY),
        st.integers(10**17, 10**20).map(str),
        st.text(alphabet="ab09ef :#,-[]{}'\"_&*!|>%@`?~.", min_size=1, max_size=8),
    ),
)
key = mostly(
    st.sampled_from(["status", "date", "tags", "revisit-when", "a_b", "x1", "cost", "to"]),
    st.sampled_from(["yes", "On", "null", "a b", "'q'", "-", "1", "<<", "?k", "k:", "y"]),
)
comment = mostly(st.sampled_from(["", "", "  # note", " # a: b [c]"]), st.just("#x"))


@st.composite
def flow(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        pairs = draw(st.lists(st.tuples(key, value), min_size=1, max_size=3, unique_by=first))
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    return "[" + ", ".join(draw(st.lists(st.one_of(value, flow()), max_size=4))) + "]"


def first(pair: tuple[str, str]) -> str:
    return pair[0]


@st.composite
def entry(draw: st.DrawFn, name: str) -> list[str]:
    kind = draw(st.sampled_from(["scalar", "flow", "list", "mappings", "empty"]))
    if kind == "scalar":
        return [f"{name}: {draw(value)}{draw(comment)}"]
    if kind == "flow":
        return [f"{name}: {draw(flow())}{draw(comment)}"]
    if kind == "empty":
        return [f"{name}:{draw(comment)}"]
    dash = " " * draw(st.sampled_from([0, 2, 4]))
    lines = [f"{name}:{draw(comment)}"]
    for _ in range(draw(st.integers(1, 3))):
        if kind == "list":
            lines.append(f"{dash}- {draw(st.one_of(value, flow()))}{draw(comment)}")
            continue
        pairs = draw(st.lists(st.tuples(key, value), min_size=1, max_size=4, unique_by=first))
        lines.append(f"{dash}- {pairs[0][0]}: {pairs[0][1]}")
        lines += [f"{dash}  {k}: {v}{draw(comment)}" for k, v in pairs[1:]]
    return lines


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    names = draw(st.lists(key, min_size=1, max_size=5, unique=True))
    lines = [line for name in names for line in draw(entry(name))]
    for _ in range(draw(mostly(st.just(0), st.just(2)))):  # mutations: indent, insert, append
        at = draw(st.integers(0, len(lines)))
        how = draw(st.sampled_from(["indent", "insert", "append"]))
        if how == "insert":
            extra = ["", "# c", "  # c", "  more", "---", "...", "%TAG x", "\t", "  - x"]
            lines.insert(at, draw(st.sampled_from(extra)))
        elif at < len(lines):
            spaces = " " * draw(st.integers(1, 3))
            tail = draw(st.sampled_from([":", " #", ": x", " ", "\t", "'", "]", ","]))
            lines[at] = spaces + lines[at] if how == "indent" else lines[at] + tail
    return "\n".join(lines) + "\n"


@tiered(2000, text=front_matter())
def test_generated_front_matter_is_read_as_ruamel_reads_it_or_left_to_it(text: str) -> None:
    agrees(text)


def test_the_generator_reaches_both_sides() -> None:
    """The property is only as good as its mix: both outcomes must be common."""
    from hypothesis import Phase, find, settings

    limit = settings(max_examples=500, deadline=None, database=None, phases=[Phase.generate])
    find(front_matter(), lambda t: subset.read(t) is not None and len(t) > 60, settings=limit)
    find(front_matter(), lambda t: subset.read(t) is None, settings=limit)
