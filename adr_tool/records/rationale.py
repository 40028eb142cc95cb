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
    """True when the section says what was chosen *and why*, in the writer's words."""
    text = rationale_text(section_text)
    if "{" in text:
        text = _BRACES.sub(" ", text)
    text = _PLACEHOLDER_WORDS.sub(" ", text)
    if _ENDS_WITH_BECAUSE.search(text):
        return False  # "Chosen option: "X", because …" with the reason still to write
    words = _WORDS.findall(_SKELETON.sub(" ", text))
    return any(len(w) > 1 or not w.isascii() for w in words)
