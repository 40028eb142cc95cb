"""Hypothesis strategies for hostile decision records, and the example counter.

Every strategy here produces *bytes*, because that is what a record on disk is: text
that may not be UTF-8, may carry a BOM, NUL bytes, any line ending, tabs, unterminated
front matter, duplicate keys, wrong types for every key, aliases, tags, deep nesting or
huge lists. ``counted`` wraps a test so the session can report how many examples ran.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from adr_tool.records.formats import NATIVE_KEYS

EXAMPLES: Counter[str] = Counter()
F = TypeVar("F", bound=Callable[..., Any])


def counted(test: F) -> F:
    """Count every call of a hypothesis test body (one call = one example run)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        EXAMPLES[test.__name__] += 1
        return test(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


KEYS = (*sorted(NATIVE_KEYS), "title", "x-team")

# YAML fragments that are legal, illegal, dangerous or just odd as a value.
NASTY_VALUES = (
    "accepted",
    "Accepted",
    "superseded by ADR-0012",
    "superseded by [3. X](0003-x.md)",
    "2026-11-24",
    "2026-13-45",
    "2026-11-24T10:00:00Z",
    "~",
    "null",
    "yes",
    "0x1F",
    "0o17",
    ".inf",
    "-.nan",
    "1e400",
    "-7",
    "99999999999999999999999",
    "''",
    '""',
    "'unterminated",
    '"bad \\q escape"',
    "[unclosed",
    "{unclosed: 1",
    "]",
    "}",
    "[1, [2, [3, [4]]]]",
    "{a: {b: {c: {d: e}}}}",
    "[{rel: Amends, to: 5}]",
    "[{rel: Amends, to: -1}]",
    "[{rel: 7, to: Amends}]",
    "[{axis: performance-vs-development-speed, favours: performance, cost: 40 ms}]",
    "[{axis: [1], favours: {a: b}, cost: 2026-01-01}]",
    "[[a], [b]]",
    "!!python/object/apply:os.system ['touch PWNED-by-yaml']",
    "!!python/object/new:os.system [touch PWNED-by-yaml]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!custom 1",
    "!<tag:example.com,2026:x> 1",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!timestamp 2001-12-14",
    "!!float abc",
    "!!int abc",
    "&anchor [1, 2]",
    "*undefined",
    "&self [*self]",
    "|\n  literal block\n  text",
    ">-\n  folded\n  text",
    "|\n\tlab",
    "- a\n- b",
    "\n  - a\n  - b",
    "\n  nested: {deep: [1, 2]}",
    "? complex\n: key",
    "<<: {a: 1}",
    "a: b: c",
    "'{{ 7 * 7 }}'",
    "'{% raw %}x'",
    "<script>alert(1)</script>",
    "'| pipe | in | cell |'",
    "'```'",
    "'-->'",
    "'\\u0000'",
)

_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates().map(lambda d: d.isoformat()),
)
_json_value = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


# Deep and long values; the truly huge ones (1 MB lines, 10,000-item lists, 64 KiB+
# front matter) are in the fixed corpus of test_fuzz_cli.py, run once per command.
_structural = st.sampled_from(
    (
        "[" * 33 + "]" * 33,
        "[" * 3000,
        "{a: " * 200,
        "\n" + "".join("  " * i + "- \n" for i in range(40)),
        "- " * 300 + "x",
        "[" + "1, " * 300 + "1]",
        "[" + ", ".join(f"item-{i}" for i in range(200)) + "]",
        "&a [x, x, x, x, x, x, x, x, x, x]",
        "[*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    )
)

values = st.one_of(
    st.sampled_from(NASTY_VALUES),
    _json_value.map(_json),
    st.text(max_size=40),
    _structural,
)

keys = st.one_of(
    st.sampled_from(KEYS), st.text(max_size=12), st.sampled_from(("", "-", "? x", "[a]", "&k"))
)

_heading = st.sampled_from(
    (
        "## Context and Problem Statement",
        "## Decision Outcome",
        "## Decision",
        "## Trade-offs",
        "## Status",
        "## Consequences",
        "## Links",
        "## 상태",
        "```",
        "<!-- comment",
        "-->",
        "Date: 2016-02-12",
        "Date: 12/02/2016",
        "* Status: accepted",
        "- Status: superseded by [ADR-0001](0001-x.md)",
        "Superseded by [3. Three](0003-three.md)",
        "Amends [../../../etc/passwd](../../../etc/passwd)",
        'Chosen option: "{{ x }}", because {% raw %} <b>bold</b> | pipe |',
        "",
    )
)

body = st.builds(
    lambda title, lines: (f"# {title}\n" if title is not None else "") + "\n".join(lines) + "\n",
    st.one_of(st.none(), st.text(max_size=40), st.sampled_from(("1. Numbered", "{{ 7*7 }}"))),
    st.lists(st.one_of(_heading, st.text(max_size=60)), max_size=12),
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A front matter block: duplicate keys, any value, maybe tabs, maybe never closed."""
    pairs = draw(st.lists(st.tuples(keys, values), max_size=10))
    lines = [f"{key}: {value}" for key, value in pairs]
    if draw(st.booleans()) and lines:  # a tab or a stray line somewhere
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(
            at, draw(st.sampled_from(("\tstatus: accepted", "  \t- x", "# comment", "...")))
        )
    opener = draw(st.sampled_from(("---", "---", "--- ", "---x", "----")))
    closer = draw(st.sampled_from(("---", "---", "...", "", "--- # c")))
    block = "\n".join([opener, *lines])
    return block + ("\n" + closer + "\n" if closer else "\n")


record_text = st.builds(lambda fm, b: fm + b, st.one_of(front_matter(), st.just("")), body)

_ENDINGS = ("\n", "\r\n", "\r")


@st.composite
def _endings(draw: st.DrawFn, text: str) -> str:
    choice = draw(st.sampled_from(("keep", "crlf", "cr", "mixed")))
    if choice == "keep":
        return text
    if choice in ("crlf", "cr"):
        return text.replace("\n", "\r\n" if choice == "crlf" else "\r")
    parts = text.split("\n")
    out = parts[0]
    for part in parts[1:]:
        out += draw(st.sampled_from(_ENDINGS)) + part
    return out


@st.composite
def _byte_mutations(draw: st.DrawFn, raw: bytes) -> bytes:
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(
            st.sampled_from(("nul", "invalid", "truncate", "random", "dup-line", "tab", "bom"))
        )
        at = draw(st.integers(0, len(raw)))
        if kind == "nul":
            raw = raw[:at] + b"\x00" + raw[at:]
        elif kind == "invalid":
            bad = draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80")))
            raw = raw[:at] + bad + raw[at:]
        elif kind == "truncate":
            raw = raw[:at]
        elif kind == "random":
            raw = raw[:at] + draw(st.binary(max_size=16)) + raw[at:]
        elif kind == "dup-line":
            lines = raw.split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            raw = b"\n".join(lines)
        elif kind == "tab":
            raw = raw[:at] + b"\t" + raw[at:]
        else:
            raw = b"\xef\xbb\xbf" + raw
    return raw


@st.composite
def record_bytes(draw: st.DrawFn) -> bytes:
    """Mostly almost-valid records, then mangled; sometimes pure noise or nothing."""
    kind = draw(st.sampled_from(("record",) * 8 + ("binary", "text", "empty")))
    if kind == "binary":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    if kind == "empty":
        return draw(st.sampled_from((b"", b"\n", b"\xef\xbb\xbf", b"---", b"---\n", b"---\n---")))
    text = draw(_endings(draw(record_text)))
    if draw(st.booleans()):
        text = "\ufeff" + text
    return draw(_byte_mutations(text.encode("utf-8", "surrogatepass")))


yaml_text = st.one_of(
    st.builds(
        lambda pairs: "\n".join(f"{k}: {v}" for k, v in pairs) + "\n",
        st.lists(st.tuples(keys, values), max_size=8),
    ),
    st.text(max_size=200),
)

titles = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        (
            "../../etc/passwd",
            "..",
            ".",
            "/",
            "/etc/passwd",
            "a/b\\c",
            "C:\\Windows\\system32",
            "con",
            "NUL",
            "\x00",
            " ",
            "-",
            "{{ ''.__class__.__mro__ }}",
            "{% for x in range(10**9) %}{% endfor %}",
            "<img src=x onerror=alert(1)>",
            "a | b | c",
            "```",
            "\u202e\u2066evil",
            "ｆｕｌｌｗｉｄｔｈ／ｓｌａｓｈ",
            "x" * 500,
        )
    ),
)
