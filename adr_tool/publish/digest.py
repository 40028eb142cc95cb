"""Short Markdown listings of the records: ``adr digest`` and adr-tools' table of contents.

The digest fits the decisions in force into a size budget for AGENTS.md or onboarding;
``toc`` is the bullet list ``adr generate toc`` writes, as adr-tools does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.model import IN_FORCE, Axis, Decision
from adr_tool.publish.index import record_ref
from adr_tool.publish.render import HTML_COMMENT, Renderer, md_inline, url_path

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+(?=[^a-z])")

# --- digest ----------------------------------------------------------------------------


def one_sentence(decision: Decision, limit: int = 300) -> str:
    """The first sentence of the Decision Outcome, without comments or headings."""
    section = decision.section("outcome")
    if section is None:
        return ""
    text = HTML_COMMENT.sub("", section.text)
    lines = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    flat = " ".join(" ".join(lines).split())
    sentence = _SENTENCE_END.split(flat, maxsplit=1)[0] if flat else ""
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


def compact(d: Decision, axes: dict[str, Axis]) -> dict[str, Any]:
    """What a decision *is* in a few lines: the one shape ``adr digest`` and the MCP
    tools share (plain text here; each reader escapes it for its own output)."""
    tradeoffs = []
    for t in d.tradeoffs:
        axis = axes.get(t.axis)
        known = axis is not None and t.favours in axis.sides
        tradeoffs.append(
            {
                "axis": t.axis,
                "favours": t.favours,
                "over": axis.other(t.favours) if axis and known else "",
                "favours_label": axis.side_label(t.favours) if axis and known else t.favours,
                "over_label": axis.side_label(axis.other(t.favours)) if axis and known else "",
                "cost": t.cost,
                "revisit_when": t.revisit_when,
            }
        )
    return {
        "number": d.number,
        "id": d.id,
        "title": d.title,
        "status": d.status,
        "date": d.date,
        "tags": list(d.tags),
        "decision": one_sentence(d),
        "tradeoffs": tradeoffs,
    }


def _digest_entry(settings: Settings, d: Decision, axes: dict[str, Axis]) -> dict[str, Any]:
    short = compact(d, axes)
    tradeoffs = [
        {
            "favours": md_inline(t["favours_label"]),
            "other": md_inline(t["over_label"]),
            "axis": md_inline(t["axis"]),
            "cost": md_inline(t["cost"]),
            "revisit_when": md_inline(t["revisit_when"]),
        }
        for t in short["tradeoffs"]
    ]
    return {
        **record_ref(settings, d),
        "date": md_inline(short["date"]),
        "decision": md_inline(short["decision"]),
        "tradeoffs": tradeoffs,
        "summary": False,
    }


def render_digest(
    settings: Settings,
    decisions: list[Decision],
    renderer: Renderer,
    *,
    statuses: tuple[str, ...] = ("accepted",),
    max_chars: int = 8000,
) -> str:
    """Compact Markdown of the chosen records, shortened oldest first to fit ``max_chars``."""
    axes = {a.name: a for a in settings.localised_axes()}
    chosen = sorted(
        (d for d in decisions if d.status in statuses), key=lambda d: (d.date, d.number)
    )
    entries = [_digest_entry(settings, d, axes) for d in chosen]

    def text(summarised: int, omitted: int) -> str:
        shown = [{**e, "summary": i < summarised} for i, e in enumerate(entries) if i >= omitted]
        context = {
            "entries": list(reversed(shown)),
            "omitted": omitted,
            "statuses": list(statuses),
            "in_force": all(status in IN_FORCE for status in statuses),
            "total": len(entries),
        }
        return renderer.render("digest", context)

    def smallest(fits: Any) -> int | None:
        low, high = 0, len(entries)
        if not fits(high):
            return None
        while low < high:
            middle = (low + high) // 2
            if fits(middle):
                high = middle
            else:
                low = middle + 1
        return low

    summarised = smallest(lambda k: len(text(k, 0)) <= max_chars)
    if summarised is not None:
        return text(summarised, 0)
    omitted = smallest(lambda k: len(text(len(entries), k)) <= max_chars)
    if omitted is None:
        raise UsageError(f"--max-chars {max_chars} is too small for even an empty digest")
    return text(len(entries), omitted)


# --- adr-tools table of contents -------------------------------------------------------


def toc(
    decisions: list[Decision],
    renderer: Renderer,
    *,
    intro: str = "",
    outro: str = "",
    prefix: str = "",
) -> str:
    """``adr generate toc``: adr-tools' bullet list of ``N. Title`` links."""
    records = [
        {
            "label": " ".join(f"{d.number}. {d.title}".split())
            .replace("[", "\\[")
            .replace("]", "\\]"),
            "link": prefix + url_path(d.path.name),
        }
        for d in sorted(decisions, key=lambda d: (d.number, d.path.name))
    ]
    context = {"records": records, "intro": intro.rstrip("\n"), "outro": outro.rstrip("\n")}
    return renderer.render("toc", context)


def read_option_file(cwd: Path, option: str, path: Path | None) -> str:
    """The text of an ``adr generate toc -i/-o`` file (empty when not given)."""
    if path is None:
        return ""
    try:
        return (cwd / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{option}: cannot read {path}: {exc}") from None
