"""Creating records and changing them: new, supersede, link. All edits are round-trip."""

from __future__ import annotations

import difflib
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adr_tool import frontmatter, inplace
from adr_tool.config import Settings
from adr_tool.errors import AdrError, ConfigError, NotFound, Refused, UsageError
from adr_tool.inplace import Mutation, TextEdit
from adr_tool.inplace import nygard_status_lines as nygard_status_lines
from adr_tool.model import (
    Axis,
    Decision,
    format_id,
    number_from_filename,
    parse_ref,
    record_filename,
)
from adr_tool.render import Renderer
from adr_tool.store import Store


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
    store: Store,
    decision: Decision,
    mutate: Mutation,
    nygard: TextEdit | None,
    bullets: TextEdit | None = None,
    what: str = "this change",
) -> bool:
    """Apply an edit in the record's own format; returns whether the file changed."""
    text = store.read_text(decision)
    new_text = inplace.apply(text, inplace.Edit(mutate, nygard, bullets, what), decision.path)
    if new_text == text:
        return False
    store.save(decision, new_text)
    return True


@dataclass
class Batch:
    """Edits to several records, all computed before any is written."""

    store: Store
    texts: dict[Path, tuple[Decision, str, str]] = field(default_factory=dict)

    def add(self, decision: Decision, edit: inplace.Edit) -> None:
        if decision.path in self.texts:
            _, old, current = self.texts[decision.path]
        else:
            old = current = self.store.read_text(decision)
        current = inplace.apply(current, edit, self.store.settings.relative(decision.path))
        self.texts[decision.path] = (decision, old, current)

    def write(self) -> list[Path]:
        changed = []
        for decision, old, new in self.texts.values():
            if new != old:
                self.store.save(decision, new)
                changed.append(decision.path)
        return changed


def append_ref(data: MutableMapping[str, Any], key: str, number: int) -> None:
    """Add ``number`` to the list under ``key`` (created as a flow list), once."""
    current = data.get(key)
    if current is None:
        data[key] = frontmatter.flow_list([number])
    elif isinstance(current, list):
        if number not in [parse_ref(x) for x in current]:
            current.append(number)
    elif parse_ref(current) != number:
        data[key] = frontmatter.flow_list([current, number])


def append_link(data: MutableMapping[str, Any], rel: str, to: int) -> None:
    links = data.get("links")
    item = frontmatter.flow_map({"rel": rel, "to": to})
    if not isinstance(links, list):
        data["links"] = frontmatter.flow_list([item])
    elif not any(
        isinstance(x, dict) and x.get("rel") == rel and parse_ref(x.get("to")) == to for x in links
    ):
        links.append(item)


def _target(store: Store, target: int) -> tuple[str, str]:
    try:
        decision = store.get(target)
        return decision.path.name, decision.title
    except AdrError:  # a dangling target still gets a readable line
        return f"{format_id(target)}.md", ""


def nygard_link_line(store: Store, rel: str, target: int) -> str:
    name, title = _target(store, target)
    return f"{rel} [{target}. {title}]({name})"


def bullet_link(store: Store, target: int) -> str:
    """``[ADR-0003](0003-title.md)``, as MADR 2 writes links."""
    name, _ = _target(store, target)
    return f"[ADR-{format_id(target)}]({name})"


def _links_to(paragraph: str, target: int) -> bool:
    match = re.search(r"\]\(([^)\s]+)\)\s*$", paragraph)
    return match is not None and number_from_filename(Path(match.group(1)).name) == target


def _spelling(store: Store, word: str) -> str:
    return word.replace("sede", "cede") if store.settings.layout == "adr-tools" else word


def superseded_edit(store: Store, new_number: int) -> inplace.Edit:
    """OLD gets ``status: superseded`` and ``superseded-by: [NEW]`` in its own format."""

    def native(data: MutableMapping[str, Any]) -> None:
        data["status"] = frontmatter.like(data.get("status"), "superseded")
        append_ref(data, "superseded-by", new_number)

    def nygard(text: str) -> str:
        line = nygard_link_line(store, _spelling(store, "Superseded by"), new_number)

        def transform(paragraphs: list[str]) -> list[str]:
            kept = [p for p in paragraphs if not re.match(r"^(accepted|proposed)\b", p, re.I)]
            return kept + ([line] if line not in kept else [])

        return inplace.nygard_status_lines(text, transform)

    def bullets(text: str) -> str:
        return inplace.set_bullet(text, "status", f"superseded by {bullet_link(store, new_number)}")

    return inplace.Edit(native, nygard, bullets, "supersession")


def supersedes_edit(store: Store, old_number: int) -> inplace.Edit:
    """NEW gets ``supersedes: [OLD]``."""
    return link_edit(store, _spelling(store, "Supersedes"), old_number, key="supersedes")


def link_edit(store: Store, rel: str, target: int, key: str = "") -> inplace.Edit:
    def native(data: MutableMapping[str, Any]) -> None:
        if key:
            append_ref(data, key, target)
        else:
            append_link(data, rel, target)

    def nygard(text: str) -> str:
        line = nygard_link_line(store, rel, target)
        return inplace.nygard_status_lines(text, lambda ps: ps + ([line] if line not in ps else []))

    def bullets(text: str) -> str:
        return inplace.add_links_bullet(text, f"{rel} {bullet_link(store, target)}")

    return inplace.Edit(native, nygard, bullets, "a link")


def mark_superseded(store: Store, old: Decision, new_number: int, new_name: str = "") -> None:
    """OLD gets ``status: superseded`` and ``superseded-by: [NEW]`` in its own format."""
    batch = Batch(store)
    batch.add(old, superseded_edit(store, new_number))
    batch.write()


def add_link(store: Store, source: Decision, rel: str, target: int) -> None:
    batch = Batch(store)
    batch.add(source, link_edit(store, rel, target))
    batch.write()


# --- status ---------------------------------------------------------------------------

# (from, to) → why it is refused without --force. Custom statuses have no rules.
REFUSED_TRANSITIONS: dict[tuple[str, str], str] = {
    **{
        ("superseded", to): "it is superseded; supersede its successor instead, or pass --force"
        for to in ("accepted", "proposed", "rejected")
    },
    ("rejected", "accepted"): (
        "it was rejected; propose it again first (adr status {n} proposed), or pass --force"
    ),
    **{
        ("deprecated", to): (
            "it is deprecated; record a new decision (adr new --supersedes {n} ...), "
            "or pass --force"
        )
        for to in ("accepted", "proposed")
    },
    ("accepted", "rejected"): (
        "it was accepted; deprecate or supersede it instead, or pass --force"
    ),
}
FOR_SUPERSEDED = "use 'adr supersede {n} NEW' so both records point at each other, or pass --force"


def current_status(decision: Decision, text: str) -> str:
    if decision.status:
        return decision.status
    kind = inplace.style(text)
    if kind == inplace.NYGARD:
        return inplace.nygard_status_word(text)
    if kind == inplace.BULLETS:
        value = inplace.bullet_value(text, "status") or ""
        return value.split()[0].lower() if value.split() else ""
    return ""


def check_transition(number: int, old: str, new: str, force: bool = False) -> None:
    """Refuse a status change that makes no sense (unless forced)."""
    if force:
        return
    reason = REFUSED_TRANSITIONS.get((old, new))
    if new == "superseded" and old != "superseded":
        reason = FOR_SUPERSEDED
    if reason:
        raise Refused(f"record {number} cannot become {new}: " + reason.format(n=number))


def set_status(
    store: Store, number: int, status: str, *, date: str, force: bool = False
) -> Path | None:
    """Change the status of record ``number`` and its date; None when it already had it."""
    settings = store.settings
    wanted = status.strip().lower()
    if wanted not in settings.statuses:
        raise UsageError(
            f"unknown status {status!r}{suggest(wanted, list(settings.statuses))} "
            f"(configured: {', '.join(settings.statuses)})"
        )
    decision = store.get(number)
    text = store.read_text(decision)
    old = current_status(decision, text)
    if old == wanted:
        return None
    check_transition(number, old, wanted, force)

    def native(data: MutableMapping[str, Any]) -> None:
        data["status"] = frontmatter.like(data.get("status"), wanted)
        data["date"] = frontmatter.like(data.get("date"), date)

    def nygard(text: str) -> str:
        return inplace.set_date_line(inplace.nygard_set_status(text, wanted), date)

    def bullets(text: str) -> str:
        return inplace.set_bullet(inplace.set_bullet(text, "status", wanted), "date", date)

    batch = Batch(store)
    batch.add(decision, inplace.Edit(native, nygard, bullets, "a status"))
    changed = batch.write()
    return changed[0] if changed else None


# --- supersession ------------------------------------------------------------------------


def supersedes_graph(decisions: list[Decision]) -> dict[int, set[int]]:
    """X → {Y…} when X supersedes Y, from both sides of every record."""
    graph: dict[int, set[int]] = {}
    for d in decisions:
        graph.setdefault(d.number, set()).update(d.supersedes)
        for newer in d.superseded_by:
            graph.setdefault(newer, set()).add(d.number)
    return graph


def reaches(graph: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, todo = {start}, [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def check_supersession(store: Store, old: int, new: int) -> None:
    """Refuse self-supersession and any supersession that would close a cycle."""
    if old == new:
        raise Refused(f"record {old} cannot supersede itself")
    if reaches(supersedes_graph(store.load_all()), old, new):
        raise Refused(
            f"record {new} cannot supersede {old}: {old} already supersedes {new} "
            "(directly or through a chain), which would make a cycle"
        )


def supersede(store: Store, old_number: int, new_number: int) -> list[Path]:
    """OLD becomes superseded by NEW; NEW records that it supersedes OLD. Returns changed files."""
    check_supersession(store, old_number, new_number)
    old, new = store.get(old_number), store.get(new_number)
    batch = Batch(store)
    batch.add(old, superseded_edit(store, new_number))
    batch.add(new, supersedes_edit(store, old_number))
    return batch.write()


# --- links ---------------------------------------------------------------------------------


def link(store: Store, source: int, rel: str, target: int, reverse: str = "") -> list[Path]:
    """SOURCE gets ``{rel, to: TARGET}``; TARGET gets ``{reverse, to: SOURCE}`` if asked."""
    rel, reverse = " ".join(rel.split()), " ".join(reverse.split())
    if not rel:
        raise UsageError("a link needs a relation, e.g. adr link 3 Amends 1")
    if source == target:
        raise Refused(f"record {source} cannot link to itself")
    src, tgt = store.get(source), store.get(target)
    batch = Batch(store)
    batch.add(src, link_edit(store, rel, target))
    if reverse:
        batch.add(tgt, link_edit(store, reverse, source))
    return batch.write()


def _drop_links(store: Store, other: int) -> inplace.Edit:
    def native(data: MutableMapping[str, Any]) -> None:
        links = data.get("links")
        if isinstance(links, list):
            for index in reversed(range(len(links))):
                item = links[index]
                if isinstance(item, dict) and parse_ref(item.get("to")) == other:
                    del links[index]
            if not links:
                del data["links"]

    def is_link(paragraph: str) -> bool:
        rel = paragraph.split("[", 1)[0].strip().lower()
        return _links_to(paragraph, other) and not re.match(r"^(supersede|supercede)", rel)

    def nygard(text: str) -> str:
        return inplace.nygard_status_lines(text, lambda ps: [p for p in ps if not is_link(p)])

    def bullets(text: str) -> str:
        return inplace.remove_links_bullets(text, is_link)

    return inplace.Edit(native, nygard, bullets, "a link")


def unlink(store: Store, first: int, second: int) -> list[Path]:
    """Remove every typed link between two records, both ways."""
    a, b = store.get(first), store.get(second)
    batch = Batch(store)
    batch.add(a, _drop_links(store, second))
    batch.add(b, _drop_links(store, first))
    changed = batch.write()
    if not changed:
        raise NotFound(f"records {first} and {second} are not linked")
    return changed


# --- commits -------------------------------------------------------------------------------


def _commits_edit(decision: Decision, sha: str, remove: bool) -> inplace.Edit:
    def native(data: MutableMapping[str, Any]) -> None:
        commits = data.get("commits")
        items = commits if isinstance(commits, list) else ([] if commits is None else [commits])
        matching = [i for i, c in enumerate(items) if sha.startswith(str(c)) and len(str(c)) >= 7]
        if remove:
            if not matching:
                raise NotFound(f"record {decision.number} has no link to commit {sha[:12]}")
            if not isinstance(commits, list) or len(matching) == len(items):
                del data["commits"]
            else:
                for index in reversed(matching):
                    del commits[index]
        elif not matching:
            if isinstance(commits, list):
                commits.append(sha)
            else:
                data["commits"] = frontmatter.flow_list([*items, sha])

    return inplace.Edit(native, None, None, "a commit link")


def add_commit(store: Store, decision: Decision, sha: str) -> bool:
    """Record the full ``sha`` under ``commits:`` (a flow list); False if it was there."""
    batch = Batch(store)
    batch.add(decision, _commits_edit(decision, sha, remove=False))
    return bool(batch.write())


def remove_commit(store: Store, decision: Decision, sha: str) -> bool:
    batch = Batch(store)
    batch.add(decision, _commits_edit(decision, sha, remove=True))
    return bool(batch.write())


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
    supersedes = list(dict.fromkeys(supersedes or []))
    targets = {n: store.get(n) for n in [*supersedes, *(link.target for link in links or [])]}
    for target in supersedes:
        check_supersession(store, target, store.next_number())
    _related_edits(store, targets, supersedes, links or [], store.next_number())  # dry run
    project_template = None if template else settings.directory / "templates" / "template.md"
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
        if project_template is not None and project_template.is_file():
            return fill_project_template(project_template, context)
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
    _related_edits(store, targets, supersedes, links or [], number).write()
    return path


def _related_edits(
    store: Store,
    targets: dict[int, Decision],
    supersedes: list[int],
    links: list[LinkRequest],
    number: int,
) -> Batch:
    """What a new record ``number`` changes in the records it supersedes or links back."""
    batch = Batch(store)
    for target in supersedes:
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
