"""The linter behind ``adr check``: pure judgement over loaded records.

``run(decisions, settings, inputs)`` returns findings and nothing else: no files are
read, no git is asked. What the rules need from outside (today's date, the index as it
is and as it should be, commit trailers) arrives in ``CheckInputs``.

Codes are stable; the README documents each one. Every message says what to write; its
words, in each language, are in ``adr_tool.wording`` (``sink.say(code, line, id, ...)``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from adr_tool.checks import shape
from adr_tool.checks.findings import (
    ERROR,
    WARNING,
    CheckInputs,
    Finding,
    Sink,
)
from adr_tool.config import Settings
from adr_tool.model import (
    FILENAME_RE,
    RETIRED,
    Decision,
    completes_supersession,
    format_id,
    number_from_filename,
    record_filename,
)
from adr_tool.records.rationale import has_rationale

NATIVE_FORMATS = frozenset({"native"})


def record_ignores(decision: Decision) -> frozenset[str]:
    """Codes a record opts out of with ``adr-check: {ignore: [ADR005]}``."""
    block = decision.extra.get("adr-check")
    if not isinstance(block, dict):
        return frozenset()
    raw = block.get("ignore", ())
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        return frozenset()
    return frozenset(str(code).strip().upper() for code in raw)


class Sinks(dict[Path, Sink]):
    """The sink of each record, made when a rule first reports on it: a clean folder of
    10,000 records makes none, and hashes none of their paths (a path's first hash
    builds its string: most of a rule's cost per record)."""

    def __init__(self, decisions: list[Decision], settings: Settings, out: list[Finding]) -> None:
        super().__init__()
        self.decisions = decisions
        self._by_path: dict[Path, Decision] | None = None
        self.settings = settings
        self.out = out
        self.prefix = settings.root.as_posix().rstrip("/") + "/"

    def __missing__(self, path: Path) -> Sink:
        if self._by_path is None:
            self._by_path = {d.path: d for d in self.decisions}
        sink = self[path] = RecordSink(self, self._by_path[path])
        return sink

    def of(self, decision: Decision) -> Sink:
        """The sink of a record in hand, without looking it up: it joins this mapping
        when it first reports (later rules then add to the same sink)."""
        return RecordSink(self, decision)


class RecordSink(Sink):
    """A record's sink that works out its shown path and opt-outs on its first finding."""

    def __init__(self, sinks: Sinks, decision: Decision) -> None:
        super().__init__("", frozenset(), sinks.out)
        self.sinks = sinks
        self.decision: Decision | None = decision

    def prepare(self) -> None:
        if self.decision is not None:  # the first finding: where it is shown, what it skips
            path, prefix = self.decision.path, self.sinks.prefix
            shown = path.as_posix()
            if shown.startswith(prefix):
                self.path = shown[len(prefix) :]
            else:
                self.path = self.sinks.settings.relative(path)
            self.ignore = record_ignores(self.decision)
            self.sinks.setdefault(self.decision.path, self)
            self.decision = None


class Verdict(NamedTuple):
    """What the records alone say (the rules that read nothing else), and what the
    other rules need to know of them without the records themselves."""

    findings: tuple[Finding, ...]
    numbers: frozenset[int]
    scoped: bool  # some record has a scope: the scope rules need the records
    judged: int  # how many records


def run(decisions: list[Decision], settings: Settings, inputs: CheckInputs) -> list[Finding]:
    """All findings for the folder, sorted by path, line and code."""
    verdict = judge_records(decisions, settings, inputs.today, inputs.selected)
    return finish(verdict, lambda: decisions, settings, inputs)


def judge_records(
    decisions: list[Decision],
    settings: Settings,
    today: dt.date,
    selected: frozenset[Path] | None = None,
) -> Verdict:
    """The per-record rules (for the ``selected`` records) and those across records."""
    out: list[Finding] = []
    sinks = Sinks(decisions, settings, out)
    for decision in decisions:
        if selected is None or decision.path in selected:
            check_record(decision, settings, today, sinks.of(decision))
    check_numbers(decisions, sinks)
    check_references(decisions, sinks, settings)
    shape.check_cycles(decisions, sinks)
    numbers = frozenset(d.number for d in decisions)
    return Verdict(tuple(out), numbers, any(d.scope for d in decisions), len(decisions))


def finish(
    verdict: Verdict,
    records: Callable[[], list[Decision]],
    settings: Settings,
    inputs: CheckInputs,
) -> list[Finding]:
    """``verdict`` and the rules that judge against git and the index, sorted; the
    records are asked for only when some record has a scope."""
    out = list(verdict.findings)
    check_index(settings, inputs, out)
    check_trailers(verdict.numbers, settings, inputs, out)
    if verdict.scoped:  # the scope rules, imported only when needed
        from adr_tool.checks import scoped

        decisions = records()
        scoped.check_scopes(decisions, inputs, Sinks(decisions, settings, out))
        scoped.check_branch(decisions, settings, inputs, out)
    ignored = set(settings.ignore) | set(inputs.extra_ignore)
    kept = [f for f in out if f.code not in ignored]
    return sorted(kept, key=lambda f: (f.path, f.line, f.col, f.code, f.message))


# --- per-record rules -------------------------------------------------------------


def check_record(decision: Decision, settings: Settings, today: dt.date, sink: Sink) -> None:
    for problem in decision.problems:
        sink.add(
            problem.code,
            problem.line,
            problem.message,
            problem.severity,
            problem.key,
            problem.values,
        )
    check_filename(decision, sink)
    if not decision.title:
        nygard = decision.format == "nygard"
        sink.say("ADR002", _h1_line(decision), "title-nygard" if nygard else "title")
    if any(p.code == "ADR001" for p in decision.problems):
        return  # the metadata could not be read: the rules below would only add noise
    statuses, need_rationale, need_tradeoff = _policy(settings)
    status = decision.status.lower()
    if status not in statuses:
        _unknown_status(decision, settings, sink)
    if status in need_rationale:
        check_rationale(decision, settings, sink)
    if status in need_tradeoff and not decision.tradeoffs:
        _no_tradeoff(decision, settings, sink)
    check_tradeoffs(decision, settings, status in need_tradeoff, sink)
    shape.check_repeated_axes(decision, sink)
    check_review_by(decision, today, sink)


Policy = tuple[frozenset[str], frozenset[str], frozenset[str]]
_LAST_POLICY: list[tuple[Settings, Policy]] = []  # the settings last asked about, by identity


def _policy(settings: Settings) -> Policy:
    """Statuses, and the statuses that need a rationale and a trade-off, lower-cased once
    per run rather than once per record. Remembered for the settings object last asked
    about: an identity test, where a cache keyed by the settings hashed all their fields
    (a dozen paths among them) for every record."""
    if not _LAST_POLICY or _LAST_POLICY[0][0] is not settings:
        _LAST_POLICY[:] = [(settings, _policy_of(settings))]
    return _LAST_POLICY[0][1]


def _policy_of(settings: Settings) -> Policy:
    return (
        frozenset(_lower(settings.statuses)),
        frozenset(_lower(settings.require_rationale)),
        frozenset(_lower(settings.require_tradeoff)),
    )


def _lower(values: Iterable[str]) -> set[str]:
    return {v.lower() for v in values}


def _h1_line(decision: Decision) -> int:
    if decision.sections:
        return decision.sections[0].line
    if decision.key_lines:
        return max(decision.key_lines.values()) + 2
    return 1


def _unknown_status(decision: Decision, settings: Settings, sink: Sink) -> None:
    allowed = ", ".join(settings.statuses)
    where = "-nygard" if decision.format == "nygard" else ""
    line = decision.line_of("status")
    if not decision.status:
        default = settings.default_status
        sink.say("ADR003", line, f"status-missing{where}", default=default, allowed=allowed)
        return
    sink.say("ADR003", line, f"status-unknown{where}", status=decision.status, allowed=allowed)


def check_filename(decision: Decision, sink: Sink) -> None:
    name = decision.path.name
    if FILENAME_RE.match(name):
        return
    lead = re.match(r"\d+", name)  # 0013.md and 0012_slug.md start with their number too
    number = number_from_filename(name) or (int(lead.group(0)) if lead else None)
    rest = re.sub(r"^(?:adr-)?\d+[-_]?", "", decision.path.stem, flags=re.IGNORECASE)
    suggestion = record_filename(number, rest or decision.title) if number else ""
    if suggestion == name:
        return  # numbers past 9999 take a fifth digit
    if number is None:
        sink.say("ADR011", 1, "name-unnumbered", name=name)
        return
    severity = ERROR if decision.format in NATIVE_FORMATS else WARNING  # others still read
    sink.say("ADR011", 1, "name-shape", severity, name=name, suggestion=suggestion)


def check_rationale(decision: Decision, settings: Settings, sink: Sink) -> None:
    if decision.rationale:  # judged when the record was parsed
        return
    section = decision.section("outcome")
    nygard = decision.format == "nygard"
    heading = section.heading if section else ("Decision" if nygard else "Decision Outcome")
    if settings.lang == "ko" and not nygard:
        sentence = '선택한 방안: "…", 이유: …'
        if section is None:
            heading = "결정 결과"
    elif nygard:
        sentence = "We will …, because …"
    else:
        sentence = 'Chosen option: "…", because …'
    if section is None:
        line = decision.title_line or 1
        sink.say("ADR004", line, "rationale-section", heading=heading, sentence=sentence)
    elif decision.rationale is False or not has_rationale(section.text):
        sink.say("ADR004", section.line, "rationale-sentence", heading=heading, sentence=sentence)


def _no_tradeoff(decision: Decision, settings: Settings, sink: Sink) -> None:
    axis = settings.axes[0] if settings.axes else None
    example = (
        f"{{axis: {axis.name}, favours: {axis.sides[0]}|{axis.sides[1]}, cost: …}}"
        if axis
        else "{axis: …, favours: …, cost: …}"
    )
    if decision.format not in NATIVE_FORMATS:
        line = decision.line_of("status") or decision.title_line
        sink.say("ADR005", line, "tradeoff-no-place", WARNING, status=decision.status)
        return
    line = decision.key_lines.get("tradeoffs") or decision.line_of("status")
    axes = ", ".join(a.name for a in settings.axes)
    sink.say("ADR005", line, "tradeoff-missing", status=decision.status, example=example, axes=axes)


def check_tradeoffs(decision: Decision, settings: Settings, need_cost: bool, sink: Sink) -> None:
    for tradeoff in decision.tradeoffs:
        line = tradeoff.line or decision.line_of("tradeoffs")
        axis = settings.axis(tradeoff.axis)
        if axis is None:
            known = ", ".join(a.name for a in settings.axes)
            sink.say("ADR006", line, "axis-unknown", axis=tradeoff.axis, known=known)
            continue
        if tradeoff.favours not in axis.sides:
            first, second = axis.sides
            sink.say(
                "ADR006",
                line,
                "side-unknown",
                favours=tradeoff.favours,
                axis=axis.name,
                first=first,
                second=second,
            )
            continue
        if need_cost and not tradeoff.cost.strip():
            other = axis.other(tradeoff.favours)
            favours = tradeoff.favours
            sink.say("ADR007", line, "cost-missing", axis=axis.name, favours=favours, other=other)


def check_review_by(decision: Decision, today: dt.date, sink: Sink) -> None:
    if not decision.review_by or decision.status.lower() in RETIRED:
        return
    line = decision.line_of("review-by")
    try:
        review_by = dt.date.fromisoformat(decision.review_by[:10])
    except ValueError:
        sink.say("ADR015", line, "review-by-date", value=decision.review_by)
        return
    if review_by < today:
        sink.say("ADR014", line, "review-by-passed", date=review_by.isoformat())


# --- repo-wide rules ----------------------------------------------------------------


def check_numbers(decisions: list[Decision], sinks: dict[Path, Sink]) -> None:
    by_number: dict[int, list[Decision]] = defaultdict(list)
    for decision in decisions:
        if decision.number > 0:
            by_number[decision.number].append(decision)
    for number, group in by_number.items():
        if len(group) < 2:
            continue
        for decision in group:
            others = ", ".join(d.path.name for d in group if d is not decision)
            sinks[decision.path].say(
                "ADR008", 1, "number-twice", id=format_id(number), others=others
            )


def check_references(
    decisions: list[Decision], sinks: dict[Path, Sink], settings: Settings
) -> None:
    by_number = {d.number: d for d in decisions if d.number > 0}
    superseded = "superseded" in _lower(settings.statuses)
    for decision in decisions:  # a record's sink is looked up only to report
        nygard = decision.format == "nygard"
        refs: list[tuple[str, int]] = [("supersedes", n) for n in decision.supersedes]
        refs += [("superseded-by", n) for n in decision.superseded_by]
        refs += [("links", link.to) for link in decision.links]
        for key, target in refs:
            if target not in by_number:
                line = decision.line_of("status" if nygard else key)
                message = "link-dangling-nygard" if nygard else "link-dangling"
                sinks[decision.path].say("ADR009", line, message, key=key, id=format_id(target))
        _check_back_references(decision, by_number, sinks)
        if decision.superseded_by and superseded and decision.status.lower() != "superseded":
            ids = ", ".join(format_id(n) for n in decision.superseded_by)
            line = decision.line_of("status")
            if decision.status:
                sinks[decision.path].say(
                    "ADR010", line, "superseded-status", ids=ids, status=decision.status
                )
            else:
                sinks[decision.path].say("ADR010", line, "superseded-status-empty", ids=ids)


def _check_back_references(
    decision: Decision, by_number: dict[int, Decision], sinks: dict[Path, Sink]
) -> None:
    """ADR010 on the records ``decision`` supersedes (or is superseded by) that do not say so."""
    sides = ((decision.supersedes, "superseded-by"), (decision.superseded_by, "supersedes"))
    for targets, back_key in sides:
        if back_key == "superseded-by" and not completes_supersession(decision.status):
            continue  # a proposed successor: the older record stays in force until accepted
        for target in targets:
            other = by_number.get(target)
            if other is None:
                continue
            back = other.superseded_by if back_key == "superseded-by" else other.supersedes
            if decision.number in back:
                continue
            nygard = "-nygard" if other.format == "nygard" else ""
            sinks[other.path].say(
                "ADR010",
                other.key_lines.get(back_key) or other.line_of("status"),
                f"unsaid-{back_key}{nygard}",
                name=decision.path.name,
                number=str(decision.number),
                title=decision.title,
            )


def check_index(settings: Settings, inputs: CheckInputs, out: list[Finding]) -> None:
    actual, expected = inputs.index_actual, inputs.index_expected
    if actual is None or expected is None or actual == expected:
        return
    line = _first_difference(actual, expected)
    Sink(settings.relative(settings.index), frozenset(), out).say(
        "ADR012", line, "index-stale", line=str(line)
    )


def _first_difference(actual: str, expected: str) -> int:
    a, b = actual.splitlines(), expected.splitlines()
    for number, (left, right) in enumerate(zip(a, b, strict=False), start=1):
        if left != right:
            return number
    return min(len(a), len(b)) + 1


def check_trailers(
    numbers: frozenset[int], settings: Settings, inputs: CheckInputs, out: list[Finding]
) -> None:
    if inputs.commits is None:
        return
    sink = Sink(settings.relative(settings.directory), frozenset(), out)
    key = settings.trailer
    for commit in inputs.commits:
        sha, summary = commit.sha[:10], commit.summary[:60]
        for ref in commit.refs:
            if ref not in numbers:
                sink.say(
                    "ADR013",
                    1,
                    "trailer-missing",
                    sha=sha,
                    summary=summary,
                    key=key,
                    ref=str(ref),
                    id=format_id(ref),
                )
        for value in commit.bad_refs:
            sink.say("ADR013", 1, "trailer-bad", sha=sha, summary=summary, key=key, value=value)
