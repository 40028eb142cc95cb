"""Does a Decision Outcome section give a reason? Pure text analysis for ADR004, done
once when a record is parsed (the verdict is kept with it in the parse cache).

Guidance comments, placeholders (``TODO``, ``{…}``, ``…``), list marks and the template's
own sentence skeleton ("Chosen option: …, because …") do not count; the writer's words do.
"""

from __future__ import annotations

import re

from adr_tool.records.text import heading

# Guidance, placeholders and the sentence skeleton do not count as a rationale.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BRACES = re.compile(r"\{[^{}]*\}")
_PLACEHOLDER_WORDS = re.compile(r"\b(?:TODO|TBD|FIXME|XXX)\b|…|\.\.\.", re.IGNORECASE)
_SKELETON = re.compile(r"chosen option|because|we will|선택한 방안|선택한 옵션|이유", re.IGNORECASE)
_ENDS_WITH_BECAUSE = re.compile(r"(?:\bbecause|이유)[\s:,.;]*\Z", re.IGNORECASE)
_WORDS = re.compile(r"[^\W_]+")
# A word of two letters or more, or of one letter outside ASCII: what ``_WORDS`` must find.
_WORD = re.compile(r"[^\W_]{2}|[^\W_\x00-\x7f]")
# In ASCII text the placeholders cannot match without one of these (lower-cased).
_PLACEHOLDER_HINTS = ("todo", "tbd", "fixme", "xxx", "...")
_LIST_MARK = re.compile(r"^\s*(?:[-*+>]|\d+[.)])\s+")
_MARK_STARTS = frozenset("-*+>0123456789")
_STOP_SUBSECTIONS = frozenset(
    {"consequences", "confirmation", "pros and cons of the options", "결과", "결과와 영향", "확인"}
)


def rationale_text(section_text: str) -> str:
    """The prose of a Decision Outcome section that could be a rationale."""
    text = _COMMENT.sub("", section_text) if "<!--" in section_text else section_text
    kept: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        found = None if in_fence or line[:1] != "#" else heading(line)
        if found and found[0] >= 3:
            if found[1].lower() in _STOP_SUBSECTIONS:
                break
            continue
        if stripped[:1] in _MARK_STARTS:  # only then can a list mark lead the line
            stripped = _LIST_MARK.sub("", line).strip()
        kept.append(stripped)
    return " ".join(k for k in kept if k)


def has_rationale(section_text: str) -> bool:
    """True when the section says what was chosen *and why*, in the writer's words.

    Read as: drop braces and placeholders; a trailing "because" means no reason; drop the
    sentence skeleton; look for a word. Done with early exits (the skeleton's gaps are
    searched in turn, the "because" only at the end, placeholders only when a hint of one
    is in ASCII text): the same verdict as :func:`has_rationale_slowly`, a fraction of
    the cost, which counts on a cold run over 10,000 records.
    """
    text = rationale_text(section_text)
    if "{" in text:
        text = _BRACES.sub(" ", text)
    if not text.isascii() or _hinted(text.lower()):
        text = _PLACEHOLDER_WORDS.sub(" ", text)
    if _ends_with_because(text):
        return False
    start = 0
    for skeleton in _SKELETON.finditer(text):
        if _WORD.search(text, start, skeleton.start()):
            return True
        start = skeleton.end()
    return _WORD.search(text, start) is not None


def _hinted(lowered: str) -> bool:
    """Whether one of ``_PLACEHOLDER_HINTS`` is in the lower-cased text (lowered once)."""
    return (
        "todo" in lowered
        or "tbd" in lowered
        or "fixme" in lowered
        or "xxx" in lowered
        or "..." in lowered
    )


def _ends_with_because(text: str) -> bool:
    """``_ENDS_WITH_BECAUSE.search(text)``, tried only where a match can start: the word
    must end where the trailing blanks and ``:,.;`` begin (``str.isspace`` is what
    ``\\s`` matches)."""
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in ":,.;"):
        end -= 1  # one step per character: linear however blanks and marks alternate
    return _ENDS_WITH_BECAUSE.search(text, max(0, end - 10)) is not None


def has_rationale_slowly(section_text: str) -> bool:
    """:func:`has_rationale` step by step over the whole text: the reference in tests."""
    text = rationale_text(section_text)
    if "{" in text:
        text = _BRACES.sub(" ", text)
    text = _PLACEHOLDER_WORDS.sub(" ", text)
    if _ENDS_WITH_BECAUSE.search(text):
        return False  # "Chosen option: "X", because …" with the reason still to write
    words = _WORDS.findall(_SKELETON.sub(" ", text))
    return any(len(w) > 1 or not w.isascii() for w in words)
