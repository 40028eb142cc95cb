"""The quick paths of a cold parse give what the plain ones give.

``sections.parse_body`` (headings found by one pattern, sections sliced) against the
line walk ``parse_lines``; ``rationale.has_rationale`` (early exits) against
``has_rationale_slowly``; ``text.split`` (the closing line found with ``str.find``)
against the line-by-line cut it replaced, kept here as the reference.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from adr_tool.errors import ParseError
from adr_tool.records import rationale, sections, text
from tests.support import tiered

PIECES = [
    "Chosen option", "chosen OPTION", "because", "BECAUSE", "becau\u017fe", "we will", "이유",
    "선택한 방안", "TODO", "tbd", "F\u0130XME", "f\u0131xme", "xxx", "...", "…", "{", "}", "{x}",
    "<!--", "-->", "```", "~~~", " ", "\n", "\t", ":", ",", ".", ";", "\u00a0", "\u2028",
    "\x1c", "\x0b", "\x85", "a", "b", "x", "é", "_", "1", "- ", "* ", "> ", "1. ", "#", "# ",
    "## ", "##\t", "### ", "\n# T\n", "\n## S\n", "Consequences", "Decision Outcome",
]  # fmt: skip
body = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@tiered(3000, text=body, first=st.integers(1, 50))
def test_sections_are_cut_as_the_line_walk_cuts_them(text: str, first: int) -> None:
    assert sections.parse_body(text, first) == sections.parse_lines(text, first)


@tiered(3000, text=body)
def test_the_rationale_verdict_is_the_step_by_step_one(text: str) -> None:
    assert rationale.has_rationale(text) == rationale.has_rationale_slowly(text)


def test_a_title_after_a_section_and_a_fenced_heading_are_cut_alike() -> None:
    for case in (
        "## A\n# Title\nx\n## B\ny",
        "# \n# Title\n## A\n",
        "# T\n```\n## not a section\n```\n## S\ntext\n",
        "# T\n## A\n# Second H1\n## B",
        "## A",
        "## A\n",
        "#\n##\n## \n",
    ):
        assert sections.parse_body(case, 3) == sections.parse_lines(case, 3), case


def test_heading_lines_are_found_in_linear_time() -> None:
    """Many marks, many newlines, long heading lines: each costs one step, not a retry."""
    import time

    for case in (
        "\n" * 200_000,
        "\n#" * 100_000,
        "\n##" * 100_000,
        "\n###" * 70_000,
        "\n## " + " " * 200_000 + "#" * 200_000,
        "#" * 200_000,
        ("\n## a" + "\u00a0" * 30) * 5_000,
    ):
        began = time.perf_counter()
        assert sections.parse_body(case, 1) == sections.parse_lines(case, 1)
        assert time.perf_counter() - began < 5


_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def split_by_lines(raw: str) -> tuple[str | None, str, int, int, bool, str]:
    """``text.split`` as it was: every line split out, matched and joined again."""
    norm, bom, newline = text.normalise(raw)
    lines = norm.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None, norm, 1, 1, bom, newline
    for index in range(1, len(lines)):
        if _END.match(lines[index]):
            yaml_text = "\n".join(lines[1:index]) + "\n" if index > 1 else ""
            return yaml_text, "\n".join(lines[index + 1 :]), 2, index + 2, bom, newline
    raise ParseError("unclosed", line=1, key="fm-unclosed")


def cut(function: object, raw: str) -> object:
    try:
        if function is text.split:
            parts = text.split(raw)
            return (
                parts.yaml,
                parts.body,
                parts.yaml_line,
                parts.body_line,
                parts.bom,
                parts.newline,
            )
        return split_by_lines(raw)
    except ParseError as exc:
        return exc.key, exc.line


front = st.lists(
    st.sampled_from(["---", "...", "--", ".", " ", "\t", "\n", "\r\n", "\r", "a: b", "#", "x"]),
    max_size=25,
).map("".join)


@tiered(3000, raw=st.one_of(front, st.just("\ufeff").flatmap(lambda b: front.map(b.__add__))))
def test_front_matter_is_cut_where_the_line_walk_cut_it(raw: str) -> None:
    assert cut(text.split, raw) == cut(split_by_lines, raw)
