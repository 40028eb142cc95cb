"""Changing records in place: status, supersession, typed links and commit links.

Each change is spelled for every record style (see inplace.py) and applied through a
:class:`Batch`, so a change to several records is computed in full before any is written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.errors import AdrError, NotFound, Refused, UsageError
from adr_tool.model import RETIRED, Decision, format_id, number_from_filename, parse_ref
from adr_tool.records import frontmatter, inplace
from adr_tool.records.bodymeta import trailing_link
from adr_tool.records.store import Store


def suggest(word: str, choices: list[str]) -> str:
    """A "; did you mean 'x'?" hint naming the closest of ``choices`` (empty if none is close)."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass
class Batch:
    """Edits to several records, all computed before any is written."""

    store: Store
    texts: dict[Path, tuple[Decision, str, str]] = field(default_factory=dict)
    edits: dict[Path, list[inplace.Edit]] = field(default_factory=dict)

    def add(self, decision: Decision, edit: inplace.Edit) -> None:
        if decision.path in self.texts:
            _, old, current = self.texts[decision.path]
        else:
            old = current = self.store.read_text(decision)
        current = inplace.apply(current, edit, self.store.settings.relative(decision.path))
        self.texts[decision.path] = (decision, old, current)
        self.edits.setdefault(decision.path, []).append(edit)

    def write(self) -> list[Path]:
        """Write under the folder lock. A record another process changed since we read it
        gets our edits again on top of its new text: no lost update between two writers."""
        from adr_tool.records.store import folder_lock

        changed = []
        with folder_lock(self.store.directory):
            for decision, old, new in self.texts.values():
                current = self.store.read_text(decision)
                if current != old:
                    new = current
                    where = self.store.settings.relative(decision.path)
                    for edit in self.edits[decision.path]:
                        new = inplace.apply(new, edit, where)
                if new != current:
                    self.store.save(decision, new)
                    changed.append(decision.path)
        return changed

    @classmethod
    def one(cls, store: Store, decision: Decision, edit: inplace.Edit) -> list[Path]:
        """Apply one edit to one record; the changed files (none when nothing changed)."""
        batch = cls(store)
        batch.add(decision, edit)
        return batch.write()


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
    found = trailing_link(paragraph)
    return found is not None and number_from_filename(Path(found).name) == target


def spelling(settings: Settings, word: str) -> str:
    """adr-tools writes "Supercedes"/"Superceded by"; keep its spelling in its folders."""
    return word.replace("sede", "cede") if settings.layout == "adr-tools" else word


def superseded_edit(store: Store, new_number: int) -> inplace.Edit:
    """OLD gets ``status: superseded`` and ``superseded-by: [NEW]`` in its own format."""

    def native(data: MutableMapping[str, Any]) -> None:
        data["status"] = frontmatter.like(data.get("status"), "superseded")
        append_ref(data, "superseded-by", new_number)

    def nygard(text: str) -> str:
        line = nygard_link_line(store, spelling(store.settings, "Superseded by"), new_number)

        def transform(paragraphs: list[str]) -> list[str]:
            kept = [p for p in paragraphs if not re.match(r"^(accepted|proposed)\b", p, re.I)]
            return kept + ([line] if line not in kept else [])

        return inplace.nygard_status_lines(text, transform)

    def bullets(text: str) -> str:
        return inplace.set_bullet(text, "status", f"superseded by {bullet_link(store, new_number)}")

    return inplace.Edit(native, nygard, bullets, "supersession")


def supersedes_edit(store: Store, old_number: int) -> inplace.Edit:
    """NEW gets ``supersedes: [OLD]``."""
    return link_edit(store, spelling(store.settings, "Supersedes"), old_number, key="supersedes")


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
        if wanted == "accepted" and data.get("date"):  # decision 0033: keep when proposed
            value = frontmatter.like(data.get("accepted") or data.get("date"), date)
            insert = getattr(data, "insert", None)  # ruamel's map: put it after `date`
            if "accepted" not in data and insert is not None:
                insert(list(data).index("date") + 1, "accepted", value)
            else:
                data["accepted"] = value
        else:
            data["date"] = frontmatter.like(data.get("date"), date)

    def nygard(text: str) -> str:
        return inplace.set_date_line(inplace.nygard_set_status(text, wanted), date)

    def bullets(text: str) -> str:
        return inplace.set_bullet(inplace.set_bullet(text, "status", wanted), "date", date)

    changed = Batch.one(store, decision, inplace.Edit(native, nygard, bullets, "a status"))
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
    """Refuse self-supersession, any supersession that would close a cycle, and any at
    all when ``superseded`` is not a configured status (exit 2)."""
    if "superseded" not in store.settings.statuses:
        raise UsageError(
            "'superseded' is not one of the configured statuses "
            f"({', '.join(store.settings.statuses)}): add it to 'statuses' in .adr.yaml"
        )
    if old == new:
        raise Refused(f"record {old} cannot supersede itself")
    if reaches(supersedes_graph(store.load_all()), old, new):
        raise Refused(
            f"record {new} cannot supersede {old}: {old} already supersedes {new} "
            "(directly or through a chain), which would make a cycle"
        )


def supersede(store: Store, old_number: int, new_number: int, *, force: bool = False) -> list[Path]:
    """OLD becomes superseded by NEW; NEW records that it supersedes OLD (changed files).
    Refused as :func:`check_supersession` says, and, unless ``force``, when NEW is
    itself retired: a rejected, deprecated or superseded record cannot take over."""
    check_supersession(store, old_number, new_number)
    old, new = store.get(old_number), store.get(new_number)
    successor = current_status(new, store.read_text(new))
    recorded = new_number in old.superseded_by and old_number in new.supersedes
    if successor in RETIRED and not force and not recorded:  # a rerun changes nothing
        raise Refused(
            f"record {new_number} cannot supersede {old_number}: it is {successor}, so "
            f"nothing would be left in force; accept {new_number} first, or pass --force"
        )
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
    return bool(Batch.one(store, decision, _commits_edit(decision, sha, remove=False)))


def remove_commit(store: Store, decision: Decision, sha: str) -> bool:
    return bool(Batch.one(store, decision, _commits_edit(decision, sha, remove=True)))


def link_commit(
    store: Store, number: int, rev: str, *, remove: bool = False
) -> tuple[Path, str, bool]:
    """``adr link N --commit REV``: resolve REV with git, add (or remove) it on record N.

    Returns the record's path, the full SHA, and whether the record changed.
    """
    from adr_tool.git.repo import resolve_revision

    settings = store.settings
    sha = resolve_revision(settings.git_root or settings.root, rev)
    decision = store.get(number)
    change = remove_commit if remove else add_commit
    return decision.path, sha, change(store, decision, sha)


@dataclass(frozen=True)
class LinkArguments:
    """What ``adr link N REL M [REVERSE]`` asks for, in either of its spellings."""

    relation: str
    target: int
    reverse: str

    @classmethod
    def parse(cls, words: Sequence[str], reverse: str | None) -> LinkArguments:
        if len(words) not in (2, 3) or not words[1].isdigit():
            raise UsageError("expected: adr link N REL M [--reverse REL], e.g. adr link 3 Amends 1")
        if len(words) == 3 and reverse is not None:
            raise UsageError("give the reverse relation once: as --reverse or as the 4th argument")
        back = reverse if reverse is not None else (words[2] if len(words) == 3 else "")
        return cls(words[0], int(words[1]), back)
