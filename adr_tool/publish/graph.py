"""The decision graph: supersessions and links as edges, chains, Mermaid, DOT and JSON.

Also adr-tools' own DOT for ``adr generate graph``. Every label is escaped here for the
place it lands in (Mermaid label, DOT string), so a title can never change the shape of
the output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from adr_tool.errors import UsageError
from adr_tool.model import RETIRED, Axis, Decision, format_id, record_id
from adr_tool.publish.lean import known_axes, timeline_json
from adr_tool.records.packed import getter

GRAPH_FORMATS = ("mermaid", "dot", "json")

# --- escaping ------------------------------------------------------------------------


_MERMAID_CODES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "&": "#amp;",
    # Mermaid reads ``%%{...}%%`` as a directive anywhere in the text, before parsing:
    # an unclosed one swallows the rest of the graph, a closed one changes its config.
    "%": "#37;",
}
# Replaced one after another, "#" first: every code holds a "#" and no other character
# of the table, so this gives what one simultaneous str.translate gives (which, with
# codes longer than a character, costs seven times as much per label).
_MERMAID_STEPS = tuple(sorted(_MERMAID_CODES.items(), key=lambda pair: pair[0] != "#"))
# Mermaid drops the last ";" of a line matching /style.*:\S*#.*;/ (same for classDef)
# before it decodes entity codes, which garbles the label: break the keyword instead.
_MERMAID_WORDS = {"style": "#115;tyle", "classDef": "#99;lassDef"}


def mermaid_text(value: object) -> str:
    """Text for a quoted Mermaid label: entity codes for anything Mermaid reads itself."""
    text = " ".join(str(value).split())
    for char, code in _MERMAID_STEPS:
        if char in text:
            text = text.replace(char, code)
    for word, code in _MERMAID_WORDS.items():
        text = text.replace(word, code)
    return text


def dot_text(value: object) -> str:
    return " ".join(str(value).split()).replace("\\", "\\\\").replace('"', '\\"')


# --- graph -----------------------------------------------------------------------------


class Edge(NamedTuple):
    """One relation between two records: a tuple, made in a third of a frozen
    dataclass's time (there is one per supersession and link)."""

    source: int
    target: int
    rel: str


_RELATED = getter("number", "supersedes", "superseded_by", "links")
_LABELLED = getter("number", "ref", "title", "status")


def node_ids(decisions: Iterable[Decision]) -> dict[int, str]:
    """``adr7`` for record 7: safe in Mermaid and DOT whatever the title."""
    return {d.number: f"adr{d.number}" for d in decisions}


def edges(decisions: list[Decision]) -> list[Edge]:
    """Supersessions (new → old) and links, without the echo a reverse link leaves.

    A link whose relation ends in " by" (``Amended by``) is dropped when the other
    record already links back (``Amends``): the graph shows each relation once.
    """
    found: set[tuple[int, int, str]] = set()
    for number, supersedes, superseded_by, links in map(_RELATED, decisions):
        if supersedes or superseded_by or links:  # most records relate to none
            found.update([(number, old, "supersedes") for old in supersedes])
            found.update([(new, number, "supersedes") for new in superseded_by])
            found.update([(number, link.to, link.rel) for link in links])
    passive = {rel: _passive(rel) for rel in {rel for _, _, rel in found}}
    forward = {(s, t) for s, t, rel in found if not passive[rel]}
    kept = [e for e in found if not (passive[e[2]] and (e[1], e[0]) in forward)]
    return list(map(Edge._make, sorted(kept)))


def _passive(rel: str) -> bool:
    return rel.lower().endswith(" by")


def mermaid(
    decisions: list[Decision],
    *,
    connected_only: bool = False,
    links: list[Edge] | None = None,
    limit: int | None = None,
) -> str:
    """The graph in Mermaid; ``links`` are ``edges(decisions)`` when the caller has them.

    With ``limit``, a text longer than that is cut short as soon as it is (at a line's
    end): for a caller that shows no graph that long and only asks whether it is.
    """
    links = edges(decisions) if links is None else links
    wanted = {n for e in links for n in (e.source, e.target)}  # not shown yet
    drawn: set[int] = set()  # the first record with a number is its node
    lines = ["flowchart LR"]
    most = sys.maxsize if limit is None else limit
    size = len(lines[0]) + 1  # of the text so far (the "(missing)" lines uncounted)
    for number, ref, title, status in map(_LABELLED, decisions):
        if number in wanted if connected_only else number not in drawn:
            drawn.add(number)
            wanted.discard(number)
            ident = record_id(number, ref)
            label = mermaid_text(f"{ident}. {title or '(no title)'} ({status or '?'})")
            lines.append(line := f'  adr{number}["{label}"]')  # as node_ids()
            size += len(line) + 1
            if size > most:
                return "\n".join(lines) + "\n"
    if wanted:  # left: the ends of links to a number no record has (or not connected)
        wanted.difference_update([number for number, _, _, _ in map(_LABELLED, decisions)])
    for missing in sorted(wanted):
        lines.append(f'  adr{missing}["{format_id(missing)} (missing)"]')
    rels: dict[str, str] = {}  # each relation's label, escaped once
    for e in links:
        rel = e.rel
        arrow = "-->" if rel == "supersedes" else "-.->"
        shown = rels.get(rel)
        if shown is None:
            shown = rels[rel] = mermaid_text(rel)
        lines.append(line := f'  adr{e.source} {arrow}|"{shown}"| adr{e.target}')
        size += len(line) + 1
        if size > most:
            break
    return "\n".join(lines) + "\n"


def dot(decisions: list[Decision]) -> str:
    lines = ["digraph decisions {", "  rankdir=LR;", "  node [shape=box];"]
    for d in decisions:
        label = dot_text(f"{d.id}. {d.title or '(no title)'} ({d.status or '?'})")
        style = ", style=dashed" if d.status in RETIRED else ""
        lines.append(f'  adr{d.number} [label="{label}", URL="{dot_text(d.path.name)}"{style}];')
    for e in edges(decisions):
        style = "" if e.rel == "supersedes" else ", style=dashed"
        lines.append(f'  adr{e.source} -> adr{e.target} [label="{dot_text(e.rel)}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph(decisions: list[Decision], fmt: str, axes: Sequence[Axis] = ()) -> str:
    """The decision graph as Mermaid, Graphviz DOT or JSON (which also carries the lean
    over time per axis, ``timeline``: see ``publish.lean``)."""
    if fmt == "mermaid":
        return mermaid(decisions)
    if fmt == "dot":
        return dot(decisions)
    if fmt == "json":
        data = {
            "nodes": [
                {
                    "id": f"adr{d.number}",
                    "number": d.number,
                    "title": d.title,
                    "status": d.status,
                    "file": d.path.name,
                }
                for d in decisions
            ],
            "edges": [{"from": e.source, "to": e.target, "rel": e.rel} for e in edges(decisions)],
            "timeline": timeline_json(known_axes(axes, decisions), decisions),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    raise UsageError(f"--format: {fmt!r} is not one of {', '.join(GRAPH_FORMATS)}")


def chains(decisions: list[Decision], links: list[Edge] | None = None) -> list[list[int]]:
    """Every supersession path from a record nothing supersedes to the current one
    (``links``: ``edges(decisions)`` when the caller has them)."""
    newer: dict[int, set[int]] = {}
    for e in edges(decisions) if links is None else links:
        if e.rel == "supersedes":
            newer.setdefault(e.target, set()).add(e.source)
    older = {n for targets in newer.values() for n in targets}
    out: list[list[int]] = []

    def walk(path: list[int]) -> None:
        following = sorted(n for n in newer.get(path[-1], ()) if n not in path)
        if not following or len(out) >= 1000:
            out.append(path)
        for n in following:
            walk([*path, n])

    for start in sorted(set(newer) - older):
        walk([start])
    return out


# --- adr-tools -------------------------------------------------------------------------


def adr_tools_graph(
    decisions: list[Decision], *, prefix: str = "", extension: str = ".html", layout: str = ""
) -> str:
    """``adr generate graph``: adr-tools' DOT, dotted edges in number order, links labelled."""
    ordered = sorted(decisions, key=lambda d: (d.number, d.path.name))
    supersedes, superseded_by = (
        ("Supercedes", "Superceded by")
        if layout == "adr-tools"
        else ("Supersedes", "Superseded by")
    )
    lines = ["digraph {", "  node [shape=plaintext];"]
    previous: int | None = None
    for d in ordered:
        url = dot_text(prefix + Path(d.path.name).stem + extension)
        lines.append(f'  _{d.number} [label="{dot_text(f"{d.number}. {d.title}")}"; URL="{url}"]')
        if previous is not None and previous != d.number:
            lines.append(f'  _{previous} -> _{d.number} [style="dotted"];')
        previous = d.number
        relations = [(supersedes, n) for n in d.supersedes]
        relations += [(superseded_by, n) for n in d.superseded_by]
        relations += [(link.rel, link.to) for link in d.links]
        for rel, target in relations:
            lines.append(f'  _{d.number} -> _{target} [label="{dot_text(rel)}"]')
    lines.append("}")
    return "\n".join(lines) + "\n"


MERMAID_MAX_CHARS = 40_000  # the index's graph: GitHub refuses bigger Mermaid sources


def index_graph(
    decisions: list[Decision], ref: Callable[[int], dict[str, Any] | None], limit: int | None
) -> dict[str, Any]:
    """The index's supersession chains (each record as ``ref(number)`` shows it; None:
    left out) and its Mermaid graph, stopped near ``limit`` characters (None: whole)."""
    graph_edges = edges(decisions)  # one pass for the chains and the graph
    rows = [[r for r in map(ref, path) if r is not None] for path in chains(decisions, graph_edges)]
    text = mermaid(decisions, connected_only=True, links=graph_edges, limit=limit)
    return {
        "chains": [row for row in rows if len(row) > 1],
        "mermaid": text if text.count("\n") > 1 else "",
        "mermaid_too_big": len(text) > MERMAID_MAX_CHARS,
    }
