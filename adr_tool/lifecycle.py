"""Creating records and changing them: new, supersede, link. All edits are round-trip."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool import frontmatter
from adr_tool.config import Settings
from adr_tool.errors import AdrError, UsageError
from adr_tool.model import Axis, Decision, format_id, number_from_filename, record_filename
from adr_tool.render import Renderer
from adr_tool.store import Store

Mutation = Callable[[MutableMapping[str, Any]], None]


@dataclass(frozen=True)
class LinkRequest:
    """``--link N:REL[:REVERSE]``: link the new record to N with REL (and N back with REVERSE)."""

    target: int
    rel: str
    reverse: str = ""

    @classmethod
    def parse(cls, spec: str) -> LinkRequest:
        parts = [p.strip() for p in spec.split(":")]
        if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[1]:
            raise UsageError(
                f"--link {spec!r}: expected N:REL or N:REL:REVERSE, e.g. 3:Amends:Amended by"
            )
        return cls(int(parts[0]), parts[1], parts[2] if len(parts) == 3 else "")


def suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def parse_tradeoff(spec: str, axes: tuple[Axis, ...]) -> tuple[Axis, str]:
    """Validate ``AXIS=SIDE`` against the vocabulary, with a did-you-mean hint."""
    axis_name, sep, side = (p.strip() for p in spec.partition("="))
    names = [a.name for a in axes]
    if not sep or not axis_name or not side:
        raise UsageError(
            f"--tradeoff {spec!r}: expected AXIS=SIDE, e.g. {names[0]}={axes[0].sides[1]}"
            if axes
            else f"--tradeoff {spec!r}: expected AXIS=SIDE"
        )
    axis = next((a for a in axes if a.name == axis_name), None)
    if axis is None:
        raise UsageError(
            f"--tradeoff: unknown axis {axis_name!r}{suggest(axis_name, names)} "
            f"(known: {', '.join(names)}; add your own under 'axes' in .adr.yaml)"
        )
    if side not in axis.sides:
        raise UsageError(
            f"--tradeoff: {axis.name} has no side {side!r}{suggest(side, list(axis.sides))} "
            f"(sides: {axis.sides[0]}, {axis.sides[1]})"
        )
    return axis, side


def edit_record(
    store: Store, decision: Decision, mutate: Mutation, nygard: Callable[[str], str]
) -> bool:
    """Apply an edit in the record's own format; returns whether the file changed."""
    text = store.read_text(decision)
    if decision.format == "nygard":
        new_text = nygard(text)
    else:
        new_text = frontmatter.edit(text, mutate, decision.path)
    if new_text == text:
        return False
    store.save(decision, new_text)
    return True


def append_ref(data: MutableMapping[str, Any], key: str, number: int) -> None:
    """Add ``number`` to the list under ``key`` (created as a flow list), once."""
    current = data.get(key)
    if current is None:
        data[key] = frontmatter.flow_list([number])
    elif isinstance(current, list):
        if number not in current:
            current.append(number)
    else:
        data[key] = frontmatter.flow_list([current, number] if current != number else [number])


def append_link(data: MutableMapping[str, Any], rel: str, to: int) -> None:
    links = data.get("links")
    item = frontmatter.flow_map({"rel": rel, "to": to})
    if not isinstance(links, list):
        data["links"] = frontmatter.flow_list([item])
    elif not any(isinstance(x, dict) and x.get("rel") == rel and x.get("to") == to for x in links):
        links.append(item)


def nygard_status_lines(text: str, transform: Callable[[list[str]], list[str]]) -> str:
    """Rewrite the paragraphs of a Nygard ``## Status`` section, keeping everything else."""
    newline = frontmatter.detect_newline(text)
    lines = text.split(newline)
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"^##\s+(status|상태)\s*$", line, re.I)),
        None,
    )
    if start is None:
        return text
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    body = [line for line in lines[start + 1 : end] if line.strip()]
    new_body = transform(body)
    block = [""]
    for paragraph in new_body:
        block += [paragraph, ""]
    return newline.join(lines[: start + 1] + block + lines[end:])


def nygard_link_line(store: Store, rel: str, target: int) -> str:
    try:
        decision = store.get(target)
        name, title = decision.path.name, decision.title
    except AdrError:  # a dangling target still gets a readable line
        name, title = f"{format_id(target)}.md", ""
    return f"{rel} [{target}. {title}]({name})"


def mark_superseded(store: Store, old: Decision, new_number: int, new_name: str = "") -> None:
    """OLD gets ``status: superseded`` and ``superseded-by: [NEW]`` in its own format."""

    def native(data: MutableMapping[str, Any]) -> None:
        data["status"] = "superseded"
        append_ref(data, "superseded-by", new_number)

    def nygard(text: str) -> str:
        spelling = "Superceded by" if store.settings.layout == "adr-tools" else "Superseded by"
        line = nygard_link_line(store, spelling, new_number)

        def transform(paragraphs: list[str]) -> list[str]:
            kept = [p for p in paragraphs if not re.match(r"^(accepted|proposed)\b", p, re.I)]
            return kept + ([line] if line not in kept else [])

        return nygard_status_lines(text, transform)

    edit_record(store, old, native, nygard)


def add_link(store: Store, source: Decision, rel: str, target: int) -> None:
    def nygard(text: str) -> str:
        line = nygard_link_line(store, rel, target)
        return nygard_status_lines(text, lambda ps: ps + ([line] if line not in ps else []))

    edit_record(store, source, lambda data: append_link(data, rel, target), nygard)


def new_decision(
    settings: Settings,
    store: Store,
    renderer: Renderer,
    *,
    title: str,
    date: str,
    status: str | None = None,
    template: str | None = None,
    tradeoffs: list[str] | None = None,
    tags: list[str] | None = None,
    supersedes: list[int] | None = None,
    links: list[LinkRequest] | None = None,
) -> Path:
    """Render and write the next record; mark superseded and linked records."""
    title = " ".join(title.split())
    if not title:
        raise UsageError('a title is required, e.g. adr new "Store orders in PostgreSQL"')
    status = status or settings.default_status
    if status not in settings.statuses:
        raise UsageError(
            f"--status: unknown status {status!r}{suggest(status, list(settings.statuses))}"
        )
    axes = settings.localised_axes()
    chosen = [parse_tradeoff(spec, axes) for spec in tradeoffs or []]
    targets = {
        n: store.get(n) for n in [*(supersedes or []), *(link.target for link in links or [])]
    }
    template = template or settings.template
    link_lines = [
        nygard_link_line(store, "Supercedes" if settings.layout == "adr-tools" else "Supersedes", n)
        for n in supersedes or []
    ] + [nygard_link_line(store, link.rel, link.target) for link in links or []]
    base_context: dict[str, Any] = {
        "title": title,
        "date": date,
        "status": status,
        "tags": list(tags or []),
        "supersedes": list(supersedes or []),
        "links": [{"rel": link.rel, "to": link.target} for link in links or []],
        "link_lines": link_lines,
        "lang": settings.lang,
        "axes": [
            {
                "name": a.name,
                "sides": list(a.sides),
                "label": a.title,
                "side_labels": [a.side_label(s) for s in a.sides],
            }
            for a in axes
        ],
        "tradeoffs": [
            {
                "axis": axis.name,
                "favours": side,
                "other": axis.other(side),
                "axis_label": axis.title,
                "favours_label": axis.side_label(side),
                "other_label": axis.side_label(axis.other(side)),
            }
            for axis, side in chosen
        ],
    }

    def render(number: int) -> str:
        context = {**base_context, "number": number, "id": format_id(number)}
        custom = Path(template) if template.endswith(".j2") else None
        if custom is not None:
            return renderer.render_file(settings.root / custom, context)
        if template not in ("tradeoff", "madr", "nygard"):
            raise UsageError(
                f"--template: unknown template {template!r}"
                f"{suggest(template, ['tradeoff', 'madr', 'nygard'])}"
            )
        return renderer.render(template, context)

    render(0)  # fail on a bad template before taking a number
    path = store.create(title, render)
    number = number_from_filename(path.name) or 0
    for target in supersedes or []:
        mark_superseded(store, targets[target], number)
    for link in links or []:
        if link.reverse:
            add_link(store, targets[link.target], link.reverse, number)
    return path


def first_record(settings: Settings, renderer: Renderer, date: str) -> tuple[str, str]:
    """File name and text of record 0001, "Record architecture decisions"."""
    name = "first-record.nygard" if settings.layout == "adr-tools" else "first-record"
    return record_filename(1, "Record architecture decisions"), renderer.render(
        name, {"date": date}
    )
