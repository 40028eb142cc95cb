"""Creating records: ``adr new`` (template filling, then the edits it makes to the records
it supersedes or links back) and the first record ``adr init`` writes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from adr_tool import confine
from adr_tool.config import Settings
from adr_tool.errors import ConfigError, UsageError
from adr_tool.model import (
    Axis,
    Decision,
    completes_supersession,
    format_id,
    number_from_filename,
    record_filename,
)
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store

if TYPE_CHECKING:
    from adr_tool.actions.lifecycle import Batch

# actions.lifecycle (and through it the front matter editor, the body parsers and
# difflib) is imported only for a record that supersedes or links another, or to word
# an error: `adr new` of a plain record needs none of it (≈ 8 ms of its start-up). The
# requests are NamedTuples, not frozen dataclasses: 1 M instructions to build, not 3.8 M
# (decision 60).


class LinkRequest(NamedTuple):
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


class TradeoffRequest(NamedTuple):
    """One ``--tradeoff``: ``AXIS=SIDE``, then ``; cost=…; revisit-when=…`` (decision 0032)."""

    spec: str
    cost: str = ""
    revisit_when: str = ""

    @classmethod
    def parse(cls, text: str) -> TradeoffRequest:
        """A ``;`` starts a field only before ``cost=`` or ``revisit-when=``, so a cost
        may itself contain semicolons."""
        head, *rest = _FIELD.split(text)
        values = {"cost": "", "revisit-when": ""}
        for key, value in zip(rest[::2], rest[1::2], strict=True):
            values["cost" if key == "cost" else "revisit-when"] = " ".join(value.split())
        return cls(head.strip(), values["cost"], values["revisit-when"])


_FIELD = re.compile(r";[ \t]*(cost|revisit-when|revisit)[ \t]*=")


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
        from adr_tool.actions.lifecycle import suggest

        raise UsageError(
            f"--tradeoff: unknown axis {axis_name!r}{suggest(axis_name, names)} "
            f"(known: {', '.join(names)}; add your own under 'axes' in .adr.yaml)"
        )
    if side not in axis.sides:
        from adr_tool.actions.lifecycle import suggest

        raise UsageError(
            f"--tradeoff: {axis.name} has no side {side!r}{suggest(side, list(axis.sides))} "
            f"(sides: {axis.sides[0]}, {axis.sides[1]})"
        )
    return axis, side


def new_decision(
    settings: Settings,
    store: Store,
    renderer: Renderer,
    *,
    title: str,
    date: str,
    status: str | None = None,
    template: str | None = None,
    tradeoffs: list[str | TradeoffRequest] | None = None,
    tags: list[str] | None = None,
    supersedes: list[int] | None = None,
    links: list[LinkRequest] | None = None,
    scope: list[str] | None = None,
) -> Path:
    """Render and write the next record; link back the records it links to.

    The records it supersedes are marked superseded only when the new record's status
    retires them (accepted, as in an adr-tools folder); a proposal leaves them in force
    with a pending successor, and ``adr accept`` completes the supersession."""
    title = " ".join(title.split())
    if not title:
        raise UsageError('a title is required, e.g. adr new "Store orders in PostgreSQL"')
    if any("\ud800" <= char <= "\udfff" for char in title):
        raise UsageError("the title is not valid UTF-8; pass it in UTF-8 (check LANG/LC_ALL)")
    status = status or settings.default_status
    if status not in settings.statuses:
        from adr_tool.actions.lifecycle import suggest

        raise UsageError(
            f"--status: unknown status {status!r}{suggest(status, list(settings.statuses))}"
        )
    axes = settings.localised_axes()
    requests = [TradeoffRequest.parse(t) if isinstance(t, str) else t for t in tradeoffs or []]
    chosen = [(*parse_tradeoff(r.spec, axes), r) for r in requests]
    scope = _scope_patterns(scope or [], template or settings.template)
    supersedes = list(dict.fromkeys(supersedes or []))
    targets = {n: store.get(n) for n in [*supersedes, *(link.target for link in links or [])]}
    retires = completes_supersession(status)
    link_lines: list[str] = []
    if supersedes or links:
        from adr_tool.actions.lifecycle import check_supersession, nygard_link_line, spelling

        for target in supersedes:
            check_supersession(store, target, store.next_number())
        # dry run, with the supersession edits even when they wait for acceptance: a
        # record that cannot take them is refused now, before a number is taken
        _related_edits(store, targets, supersedes, links or [], store.next_number(), True)
        link_lines = [
            nygard_link_line(store, spelling(settings, "Supersedes"), n) for n in supersedes
        ] + [nygard_link_line(store, link.rel, link.target) for link in links or []]
    project_template = None if template else settings.directory / "templates" / "template.md"
    named_by = "--template" if template else "template (in .adr.yaml)"  # for an error
    template = template or settings.template
    base_context: dict[str, Any] = {
        "title": title,
        "date": date,
        "status": status,
        "tags": list(tags or []),
        "scope": scope,
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
                "cost": request.cost,
                "revisit_when": request.revisit_when,
            }
            for axis, side, request in chosen
        ],
    }

    def render(number: int) -> str:
        context = {**base_context, "number": number, "id": format_id(number)}
        if project_template is not None and project_template.is_file():
            return fill_project_template(
                confine.require(project_template, settings.root, "template"), context
            )
        custom = Path(template) if template.endswith(".j2") else None
        if custom is not None:
            return renderer.render_file(settings.root / custom, context)
        if template not in ("tradeoff", "madr", "nygard"):
            from adr_tool.actions.lifecycle import suggest

            raise UsageError(
                f"{named_by}: unknown template {template!r}"
                f"{suggest(template, ['tradeoff', 'madr', 'nygard'])}"
            )
        return renderer.render(template, context)

    render(0)  # fail on a bad template before taking a number
    path = store.create(title, render)
    number = number_from_filename(path.name) or 0
    if supersedes or links:
        _related_edits(store, targets, supersedes, links or [], number, retires).write()
    return path


def _scope_patterns(patterns: list[str], template: str) -> list[str]:
    """``--scope`` values: stripped, each readable by pathspec, front matter needed."""
    from adr_tool.records.scope import invalid_patterns

    out = list(dict.fromkeys(p.strip() for p in patterns if p.strip()))
    if not out:
        return []
    if template == "nygard":
        raise UsageError(
            "--scope: the nygard template has no front matter to hold a scope; "
            "use --template tradeoff or madr"
        )
    for pattern, reason in invalid_patterns(out):
        raise UsageError(f"--scope {pattern!r}: not a gitignore-style pattern ({reason})")
    return out


def _related_edits(
    store: Store,
    targets: dict[int, Decision],
    supersedes: list[int],
    links: list[LinkRequest],
    number: int,
    retires: bool,
) -> Batch:
    """What a new record ``number`` changes in the records it supersedes or links back."""
    from adr_tool.actions.lifecycle import Batch, link_edit, superseded_edit

    batch = Batch(store)
    for target in supersedes if retires else ():  # a proposal leaves them in force
        batch.add(targets[target], superseded_edit(store, number))
    for request in links:
        if request.reverse:
            batch.add(targets[request.target], link_edit(store, request.reverse, number))
    return batch


def fill_project_template(path: Path, context: dict[str, Any]) -> str:
    """adr-tools' ``<dir>/templates/template.md``: NUMBER, TITLE, DATE and STATUS are
    replaced once per line, then link lines go at the end of the Status section."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"template: cannot read {path}: {exc}") from None
    values = {
        "NUMBER": str(context["number"]),
        "TITLE": context["title"],
        "DATE": context["date"],
        "STATUS": str(context["status"]).capitalize(),
    }
    lines = text.split("\n")
    for index, line in enumerate(lines):
        for key, value in values.items():
            line = line.replace(key, value, 1)
        lines[index] = line
    status = next((i for i, x in enumerate(lines) if re.match(r"^##\s+Status\s*$", x)), None)
    if status is not None and context["link_lines"]:
        end = next((i for i in range(status + 1, len(lines)) if lines[i].startswith("##")), None)
        at = len(lines) if end is None else end
        block = [x for line in context["link_lines"] for x in (line, "")]
        if end is None and lines[-1] == "":
            at, block = at - 1, ["", *block[:-1]]
        lines[at:at] = block
    return "\n".join(lines)


def first_record(settings: Settings, renderer: Renderer, date: str) -> tuple[str, str]:
    """File name and text of record 0001, "Record architecture decisions"."""
    name = "first-record.nygard" if settings.layout == "adr-tools" else "first-record"
    return record_filename(1, "Record architecture decisions"), renderer.render(
        name, {"date": date}
    )
