"""Rules about the shape of what was written by hand: supersession that goes round in a
circle (ADR018), and one trade-off axis named twice in one record (ADR019). Pure.
"""

from __future__ import annotations

from pathlib import Path

from adr_tool.checks.findings import Sink
from adr_tool.model import Decision, format_id


def supersession_cycles(decisions: list[Decision]) -> list[list[int]]:
    """Groups of records that supersede each other in a circle (each sorted), found in
    linear time (Tarjan's strongly connected components, without recursion)."""
    graph: dict[int, set[int]] = {}
    for d in decisions:
        if d.number <= 0 or not (d.supersedes or d.superseded_by):
            continue  # adds no edge; a record others point at gets its node from them
        graph.setdefault(d.number, set()).update(n for n in d.supersedes if n > 0)
        for newer in d.superseded_by:
            if newer > 0:
                graph.setdefault(newer, set()).add(d.number)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    cycles: list[list[int]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[int, list[int]]] = [(root, sorted(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph.get(node, ()):
                    cycles.append(sorted(group))
    return sorted(cycles)


def check_cycles(decisions: list[Decision], sinks: dict[Path, Sink]) -> None:
    by_number = {d.number: d for d in decisions}
    for group in supersession_cycles(decisions):
        ring = " → ".join(format_id(n) for n in [*group, group[0]])
        for number in group:
            decision = by_number.get(number)
            if decision is None:
                continue
            key = "supersedes" if decision.supersedes else "superseded-by"
            line = decision.key_lines.get(key) or decision.line_of("status")
            sinks[decision.path].say("ADR018", line, "cycle", ring=ring)


def check_repeated_axes(decision: Decision, sink: Sink) -> None:
    seen: set[str] = set()
    for tradeoff in decision.tradeoffs:
        if tradeoff.axis in seen:
            line = tradeoff.line or decision.line_of("tradeoffs")
            sink.say("ADR019", line, "axis-twice", axis=tradeoff.axis)
        seen.add(tradeoff.axis)
