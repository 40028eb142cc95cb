"""Fix duplicate record numbers after a merge: the record added later moves to the next
free number, and every reference to it in the folder is rewritten in place.

Numeric references (``supersedes: [8]``) are ambiguous once two records share 8; a
reference is taken to mean the record that links back to the referrer, else the one on
the referrer's own side of the merge (moved with moved, kept with kept), and the plan
notes every guess.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adr_tool.errors import Refused
from adr_tool.model import Decision, format_id, number_from_filename, parse_ref
from adr_tool.records import frontmatter, inplace
from adr_tool.records.store import Store, atomic_write, atomic_write_all

REF_KEYS = ("supersedes", "superseded-by")
_NAME = re.compile(r"^(\d+)(-.*)$")


@dataclass
class Plan:
    """What ``adr renumber`` will do: moves, rewritten files, and notes for the user."""

    moves: list[tuple[Path, Path]] = field(default_factory=list)
    texts: dict[Path, tuple[str, str]] = field(default_factory=dict)  # path → (old, new)
    notes: list[str] = field(default_factory=list)

    @property
    def edited(self) -> list[Path]:
        return [path for path, (old, new) in self.texts.items() if old != new]


def added_times(store: Store, decisions: list[Decision]) -> dict[Path, float | None]:
    """When each file was first added, by git history: a rule that cannot change between
    runs (file times can). Uncommitted files count as newest; outside git every file
    counts the same (the name decides). None: committed before a shallow clone's cut."""
    paths = [d.path for d in decisions]
    times: dict[Path, float | None] = {}
    git_root = store.settings.git_root
    if git_root is not None:
        from adr_tool.git.log import first_added

        found = first_added(git_root, paths)
        times.update({Path(p): None if t is None else float(t) for p, t in found.items()})
    for path in paths:
        if path not in times:  # not committed yet: newer than anything committed
            times[path] = float("inf") if git_root is not None else 0.0
    return times


def _order(group: list[Decision], times: dict[Path, float | None]) -> list[Decision]:
    """Oldest first: history, then name. A record already there at a shallow clone's cut
    is older than any added after it; two such records cannot be told apart."""
    unknown = [d for d in group if times[d.path] is None]
    if len(unknown) > 1:
        names = " and ".join(d.path.name for d in unknown)
        raise Refused(
            f"cannot tell which of {names} was added first: this is a shallow clone and "
            "both were added before its cut; run 'git fetch --unshallow' and rerun "
            "'adr renumber' (nothing was changed)"
        )

    def key(d: Decision) -> tuple[float, str]:
        added = times[d.path]
        return (float("-inf") if added is None else added, d.path.name)

    return sorted(group, key=key)


def plan(store: Store) -> Plan:
    """Work out moves and rewrites without touching a file."""
    decisions = [  # only numbers that come from NNNN- file names can be renumbered
        d
        for d in store.load_all()
        if d.number > 0 and number_from_filename(d.path.name) == d.number
    ]
    groups: dict[int, list[Decision]] = {}
    for d in decisions:
        groups.setdefault(d.number, []).append(d)
    duplicates = {n: g for n, g in groups.items() if len(g) > 1}
    result = Plan()
    if not duplicates:
        return result
    times = added_times(store, [d for g in duplicates.values() for d in g])
    next_free = max(groups) + 1
    renamed: dict[Path, int] = {}  # old path → new number
    kept: dict[int, Decision] = {}
    for number in sorted(duplicates):
        ordered = _order(duplicates[number], times)
        kept[number] = ordered[0]
        for mover in ordered[1:]:
            renamed[mover.path] = next_free
            next_free += 1
    new_number = {d.path: renamed.get(d.path, d.number) for d in decisions}
    for path, number in renamed.items():
        match = _NAME.match(path.name)
        rest = match.group(2) if match else "-" + path.name
        result.moves.append((path, path.with_name(format_id(number) + rest)))
    names = {old.name: new.name for old, new in result.moves}

    def resolve(referrer: Decision, ref: int, how: str) -> int:
        """The new number of what ``referrer`` meant by ``ref`` (written under ``how``:
        a key, or ``link:<relation>``)."""
        if ref not in duplicates:
            return ref
        moving = referrer.path in renamed

        def score(candidate: Decision) -> int:
            if not _points_at(candidate, referrer.number):
                return 0
            if _answers(candidate, referrer.number, how):
                return 3  # it links back the matching way (Amends ↔ Amended by)
            if referrer.number not in duplicates:
                return 2  # an unambiguous link back
            return 1 if (candidate.path in renamed) == moving else 0

        ranked = sorted(duplicates[ref], key=score, reverse=True)
        best = [c for c in ranked if score(c) == score(ranked[0])]
        if len(best) == 1:
            return new_number[best[0].path]
        side = [c for c in best if (c.path in renamed) == moving]
        choice = side[0] if len(side) == 1 else kept[ref]
        result.notes.append(
            f"{referrer.path.name}: reference to {ref} is ambiguous; "
            f"taken as {choice.path.name}, please check"
        )
        return new_number[choice.path]

    for decision in decisions:
        text = store.read_text(decision)
        refs = {*decision.supersedes, *decision.superseded_by, *(x.to for x in decision.links)}
        mentions = any(name in text for name in names)
        if decision.path not in renamed and not refs & duplicates.keys() and not mentions:
            continue  # nothing here can point at a moved record: skip the YAML round trip
        new_text = rewrite(text, decision, functools.partial(resolve, decision), names)
        if decision.path in renamed:
            new_text = _renumber_h1(new_text, decision.number, renamed[decision.path])
        result.texts[decision.path] = (text, new_text)
    return result


def _answers(candidate: Decision, number: int, how: str) -> bool:
    """Whether ``candidate`` points back at ``number`` the way a reference written under
    ``how`` expects: ``supersedes`` by ``superseded-by`` and the other way round, a link
    by a link of the paired relation."""
    if how == "supersedes":
        return number in candidate.superseded_by
    if how == "superseded-by":
        return number in candidate.supersedes
    rel = how.removeprefix("link:")
    return how.startswith("link:") and any(
        link.to == number and _stem(link.rel) == _stem(rel) for link in candidate.links
    )


def _stem(relation: str) -> str:
    """``Amends`` and ``Amended by`` both give ``amend``; ``Relates``/``Related by``
    ``relat``: a relation and its reverse as adr-tools names them share a stem."""
    words = " ".join(relation.lower().split()).removesuffix(" by")
    return re.sub(r"(?:ed|es|s|d)$", "", words)


def _points_at(decision: Decision, number: int) -> bool:
    return (
        number in decision.supersedes
        or number in decision.superseded_by
        or any(link.to == number for link in decision.links)
    )


def _restyle(value: Any, number: int) -> Any:
    """``number`` written the way ``value`` was: 8 → 10, "0008" → "0010", "ADR-8" → "ADR-10"."""
    if isinstance(value, str):
        match = re.search(r"\d+", value)
        if match:
            digits = match.group(0)
            new = str(number).zfill(len(digits)) if digits.startswith("0") else str(number)
            return frontmatter.like(value, value[: match.start()] + new + value[match.end() :])
    return number


def _rewrite_value(value: Any, resolve: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str) and any(old in value for old in names):
        return frontmatter.like(value, _rewrite_links(value, names))
    ref = parse_ref(value)
    if ref is None:
        return value
    new = resolve(ref)
    return value if new == ref else _restyle(value, new)


Resolve = Callable[[int, str], int]  # a reference and where it is written → its number


def _bound(resolve: Resolve, how: str) -> Callable[[int], int]:
    return lambda ref: resolve(ref, how)


def rewrite(text: str, decision: Decision, resolve: Resolve, names: dict[str, str]) -> str:
    """References in front matter (round-trip) and Markdown links in the body."""

    def native(data: MutableMapping[str, Any]) -> None:
        for key in REF_KEYS:
            value = data.get(key)
            under = _bound(resolve, key)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    new = _rewrite_value(item, under, names)
                    if new != item:
                        value[index] = new
            elif value is not None:
                new = _rewrite_value(value, under, names)
                if new != value:
                    data[key] = new
        status = data.get("status")
        if isinstance(status, str):
            new_status = _rewrite_links(status, names)
            if new_status != status:
                data["status"] = frontmatter.like(status, new_status)
        links = data.get("links")
        for item in links if isinstance(links, list) else []:
            if isinstance(item, MutableMapping) and "to" in item:
                under = _bound(resolve, f"link:{item.get('rel', '')}")
                new = _rewrite_value(item["to"], under, names)
                if new != item["to"]:
                    item["to"] = new

    if inplace.style(text) == inplace.FRONT_MATTER:
        text = frontmatter.edit(text, native, decision.path)
        offset = body_offset(text)
    else:
        offset = 0
    return text[:offset] + _rewrite_links(text[offset:], names)


def body_offset(text: str) -> int:
    """Index in ``text`` where the body starts (after the closing front matter fence)."""
    position = 0
    for index, line in enumerate(text.splitlines(keepends=True)):
        bare = line.lstrip(frontmatter.BOM).rstrip("\r\n")
        position += len(line)
        if index > 0 and re.match(r"^(?:---|\.\.\.)[ \t]*$", bare):
            return position
    return 0


def _rewrite_links(text: str, names: dict[str, str]) -> str:
    """``[8. X](0008-x.md)`` → ``[10. X](0010-x.md)`` for every renamed file."""
    for old, new in names.items():
        text = _rewrite_link(text, old, new)
    return text


def _rewrite_link(text: str, old: str, new: str) -> str:
    old_n, new_n = number_from_filename(old), number_from_filename(new)
    inline = re.compile(r"\[([^\[\]]*)\]\(((?:[^()\s]*/)?)" + re.escape(old) + r"((?:#[^)\s]*)?\))")

    def fix(match: re.Match[str]) -> str:
        label = _relabel(match.group(1), old_n, new_n)
        return f"[{label}]({match.group(2)}{new}{match.group(3)}"

    def fix_reference(match: re.Match[str]) -> str:
        return match.group(1) + new

    text = inline.sub(fix, text)
    reference = re.compile(
        r"^([ \t]*\[[^\]]+\]:[ \t]*(?:[^\s]*/)?)" + re.escape(old) + r"(?=[#\s]|$)",
        re.MULTILINE,
    )
    return reference.sub(fix_reference, text)


def _relabel(label: str, old: int | None, new: int | None) -> str:
    """``8. Title`` → ``10. Title``; ``ADR-0008`` → ``ADR-0010``; other labels unchanged."""
    if old is None or new is None:
        return label
    match = re.match(r"^((?:ADR[-_ ]?)?)(0*" + str(old) + r")(?!\d)", label, re.IGNORECASE)
    if not match:
        return label
    digits = match.group(2)
    number = str(new).zfill(len(digits)) if digits.startswith("0") else str(new)
    return match.group(1) + number + label[match.end() :]


def _renumber_h1(text: str, old: int, new: int) -> str:
    """A Nygard ``# 8. Title`` in the moved file itself becomes ``# 10. Title``."""
    return re.sub(
        r"^(#[ \t]+)0*" + str(old) + r"(\.[ \t])",
        lambda m: m.group(1) + str(new) + m.group(2),
        text,
        count=1,
        flags=re.MULTILINE,
    )


def plan_against(store: Store, ref: str) -> Plan:
    """Move the records this branch added whose number ``ref`` took meanwhile (ADR017)
    to the next numbers free on both sides, before the merge; a reference to such a
    number in this folder means this branch's record (REF's is not here yet)."""
    from adr_tool.checks.clashes import number_clashes

    decisions = store.load_all()
    clashes = number_clashes(store.settings, decisions, ref)
    result = Plan()
    renamed = {c.decision.path: c.next_free for c in clashes}
    new_numbers = {c.number: c.next_free for c in clashes}
    for path, number in renamed.items():
        match = _NAME.match(path.name)
        rest = match.group(2) if match else "-" + path.name
        result.moves.append((path, path.with_name(format_id(number) + rest)))
        result.notes.append(f"{path.name}: number taken on {ref}; moving to {format_id(number)}")
    names = {old.name: new.name for old, new in result.moves}
    for decision in decisions:
        text = store.read_text(decision)
        refs = {*decision.supersedes, *decision.superseded_by, *(x.to for x in decision.links)}
        mentions = any(name in text for name in names)
        if decision.path not in renamed and not refs & new_numbers.keys() and not mentions:
            continue
        new_text = rewrite(text, decision, lambda n, _how: new_numbers.get(n, n), names)
        if decision.path in renamed:
            new_text = _renumber_h1(new_text, decision.number, renamed[decision.path])
        result.texts[decision.path] = (text, new_text)
    return result


# --- applying a plan: under the folder lock, through a journal ---------------------------

JOURNAL = ".adr-renumber.json"  # a dot name: never read as a record


def renumber(store: Store, *, dry_run: bool = False, base: str | None = None) -> Plan:
    """Plan and apply under the folder lock (an ``adr new`` beside it waits). A journal
    written before the first change lets a rerun after a kill finish the same plan."""
    from adr_tool.records.store import folder_lock

    store.directory.mkdir(parents=True, exist_ok=True)
    with folder_lock(store.directory):
        pending = read_journal(store)
        if pending is not None:
            pending.notes.insert(0, "finishing the 'adr renumber' that was interrupted")
            if not dry_run:
                finish(store, pending)
            return pending
        store.invalidate()
        result = plan_against(store, base) if base else plan(store)
        if not dry_run and result.moves:
            begin(store, result)
            finish(store, result)
        return result


def begin(store: Store, result: Plan) -> None:
    """Write the journal (the moves and every new text), then the new texts in place."""
    journal = {
        "moves": [[old.name, new.name] for old, new in result.moves],
        "texts": {path.name: result.texts[path][1] for path in result.edited},
    }
    atomic_write(store.directory / JOURNAL, json.dumps(journal, ensure_ascii=False))
    for path in result.edited:
        store.ensure_inside(path)
    atomic_write_all((path, result.texts[path][1]) for path in result.edited)
    store.invalidate()


def finish(store: Store, result: Plan) -> None:
    """Make sure every text is written and every move made, then drop the journal.
    Each step checks what is on disk first, so running it twice does no harm."""
    moved = dict(result.moves)
    for path in result.edited:
        text = result.texts[path][1]
        target = path if path.exists() else moved.get(path, path)
        if target.exists() and target.read_text(encoding="utf-8") != text:
            store.ensure_inside(target)
            atomic_write(target, text)
    for old, new in result.moves:
        if old.exists() and not new.exists():
            move(store, old, new)
    (store.directory / JOURNAL).unlink(missing_ok=True)
    store.invalidate()


def read_journal(store: Store) -> Plan | None:
    """The plan an interrupted run left behind; None when there is none."""
    path = store.directory / JOURNAL
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        folder = store.directory
        moves = [(folder / str(a), folder / str(b)) for a, b in data["moves"]]
        texts = {folder / str(k): ("", str(v)) for k, v in data["texts"].items()}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Refused(
            f"{store.settings.relative(path)} is left from an interrupted 'adr renumber' but "
            f"cannot be read ({exc}); check the folder with 'adr check', then delete it"
        ) from None
    for old, new in moves:
        store.ensure_inside(old)
        store.ensure_inside(new)
    return Plan(moves=moves, texts=texts)


def move(store: Store, old: Path, new: Path) -> None:
    """Move a record inside the folder: ``git mv`` when git tracks it, else a rename."""
    from adr_tool.git.worktree import move as move_file

    store.ensure_inside(new)
    move_file(store.settings.root, old, new)
