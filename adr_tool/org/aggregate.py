"""``adr aggregate``: many repositories' decision logs as one, with the organisation's lean.

Every input becomes an export document first (a checkout is exported in a worker
process, an export file is read as it is), then :func:`read_document` turns it into
typed values, checking every field it uses: an export is untrusted input. What cannot be
read is a finding and is skipped; the others are still aggregated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from adr_tool.errors import AdrError
from adr_tool.model import IN_FORCE, REPO_NAME_RE, Axis, parse_remote_ref
from adr_tool.org.export import check_version
from adr_tool.org.sources import Source, is_export, load_checkout, read_export_file
from adr_tool.publish.render import url_path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
WORKERS = 2
POOL_MIN = 4  # fewer checkouts than this are read in this process (no pool start-up)


@dataclass(frozen=True)
class OrgTradeOff:
    axis: str
    favours: str
    cost: str
    revisit_when: str


@dataclass(frozen=True)
class OrgRecord:
    repo: str
    number: int
    title: str
    status: str
    date: str
    path: str
    decision_makers: tuple[str, ...]
    tags: tuple[str, ...]
    scope: tuple[str, ...]
    tradeoffs: tuple[OrgTradeOff, ...]
    links: tuple[tuple[str, str], ...]  # (rel, "repo#N"), supersession included
    commits: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.repo}#{self.number}"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


@dataclass(frozen=True)
class RepoLog:
    name: str
    remote_url: str
    commit: str
    decisions_path: str
    url: str
    axes: tuple[Axis, ...]
    records: tuple[OrgRecord, ...]
    source: str


@dataclass
class Aggregate:
    repos: list[RepoLog] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


class _Doc:
    """Typed reads from one untrusted export document; the first bad field raises."""

    def __init__(self, label: str) -> None:
        self.label = label

    def fail(self, where: str, expected: str) -> AdrError:
        return AdrError(f"{self.label}: {where} must be {expected}")

    def obj(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "an object")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, default: str = "") -> str:
        value = data.get(key, default)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "text")
        return value

    def texts(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "a list of text")
        return tuple(value)

    def items(self, data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", "a list")
        return [self.obj(item, f"{where}.{key}[{i}]") for i, item in enumerate(value)]


def _qualified(value: str, own: str, rename: str) -> str:
    """``repo#N`` with the export's own name replaced by the name it is aggregated under."""
    found = parse_remote_ref(value)
    if found is None:
        return ""
    repo, number = found
    return f"{rename if repo == own else repo}#{number}"


def read_document(data: object, label: str, name: str = "", url: str = "") -> RepoLog:
    """An export document as a RepoLog named ``name`` (default: the export's own name)."""
    doc = _Doc(label)
    top = doc.obj(data, "the document")
    problem = check_version(top.get("schema_version"))
    if problem:
        raise AdrError(f"{label}: {problem}")
    repo = doc.obj(top.get("repository"), "repository")
    own = doc.text(repo, "name", "repository")
    if not REPO_NAME_RE.match(own):
        raise doc.fail("repository.name", "a repository name")
    name = name or own
    axes = []
    for i, item in enumerate(doc.items(top, "axes", "axes")):
        sides = doc.texts(item, "sides", f"axes[{i}]")
        if len(sides) != 2:
            raise doc.fail(f"axes[{i}].sides", "two sides")
        label = doc.text(item, "label", f"axes[{i}]")
        axes.append(Axis(doc.text(item, "name", f"axes[{i}]"), (sides[0], sides[1]), label))
    records = []
    for i, item in enumerate(doc.items(top, "records", "records")):
        where = f"records[{i}]"
        number = item.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise doc.fail(f"{where}.number", "a record number")
        links = [
            (doc.text(x, "rel", f"{where}.links"), doc.text(x, "to", f"{where}.links"))
            for x in doc.items(item, "links", where)
        ]
        links += [("Supersedes", to) for to in doc.texts(item, "supersedes", where)]
        links += [("Superseded by", to) for to in doc.texts(item, "superseded_by", where)]
        tradeoffs = tuple(
            OrgTradeOff(*(doc.text(t, k, f"{where}.tradeoffs") for k in _TRADEOFF_KEYS))
            for t in doc.items(item, "tradeoffs", where)
        )
        records.append(
            OrgRecord(
                repo=name,
                number=number,
                title=doc.text(item, "title", where),
                status=doc.text(item, "status", where).lower(),
                date=doc.text(item, "date", where),
                path=doc.text(item, "path", where),
                decision_makers=doc.texts(item, "decision_makers", where),
                tags=doc.texts(item, "tags", where),
                scope=doc.texts(item, "scope", where),
                tradeoffs=tradeoffs,
                links=tuple((rel, _qualified(to, own, name) or to) for rel, to in links),
                commits=doc.texts(item, "commits", where),
            )
        )
    return RepoLog(
        name=name,
        remote_url=doc.text(repo, "remote_url", "repository"),
        commit=doc.text(repo, "commit", "repository"),
        decisions_path=doc.text(repo, "decisions_path", "repository"),
        url=url,
        axes=tuple(axes),
        records=tuple(sorted(records, key=lambda r: r.number)),
        source=label,
    )


_TRADEOFF_KEYS = ("axis", "favours", "cost", "revisit_when")


def _checkouts(
    sources: list[Source], workers: int, cache_env: Mapping[str, str] | None
) -> list[tuple[dict[str, Any] | None, str]]:
    read = partial(load_checkout, cache_env=dict(cache_env) if cache_env is not None else None)
    if len(sources) < POOL_MIN or workers < 2:
        return [read(s) for s in sources]
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(sources) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(read, sources, chunksize=chunk))


def collect(
    sources: list[Source], workers: int = WORKERS, cache_env: Mapping[str, str] | None = None
) -> Aggregate:
    """Read every source (checkouts in parallel), skip what fails, resolve names and links.

    ``cache_env``: read checkouts through their parse caches (see :func:`load_checkout`).
    """
    result = Aggregate()
    checkouts = [s for s in sources if not is_export(s)]
    loaded = dict(zip(checkouts, _checkouts(checkouts, workers, cache_env), strict=True))
    seen: dict[str, Source] = {}
    for source in sources:
        try:
            if is_export(source):
                data: object = read_export_file(source.path)
            else:
                found, error = loaded[source]
                if found is None:
                    raise AdrError(error)
                data = found
            log = read_document(data, str(source.path), source.name, source.url)
        except AdrError as exc:
            result.findings.append(f"{exc} (skipped)")
            continue
        first = seen.get(log.name)
        if first is not None:
            result.findings.append(
                f"{source.where}repository {log.name!r} is named twice "
                f"({first.path} and {source.path}); the second is skipped"
            )
            continue
        seen[log.name] = source
        result.repos.append(log)
    result.repos.sort(key=lambda r: r.name)
    result.findings += unresolved_links(result.repos)
    result.findings = [printable(f) for f in result.findings]
    return result


def printable(text: str) -> str:
    """``text`` with control characters written as ``\\xNN`` (safe for a terminal)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def unresolved_links(repos: list[RepoLog]) -> list[str]:
    """One finding per link to a repository or record the aggregate does not hold."""
    numbers = {r.name: {rec.number for rec in r.records} for r in repos}
    out = []
    for repo in repos:
        for rec in repo.records:
            for rel, to in rec.links:
                target = parse_remote_ref(to)
                if target is None:
                    out.append(f"{rec.id}: {rel} link to {to!r} is not repo#N")
                elif target[0] not in numbers:
                    out.append(f"{rec.id}: {rel} {to}: no repository named {target[0]!r}")
                elif target[1] not in numbers[target[0]]:
                    out.append(f"{rec.id}: {rel} {to}: {target[0]} has no record {target[1]}")
    return out


def axes_of(repos: list[RepoLog]) -> list[Axis]:
    """Every axis some repository configures or uses, first definition wins, by name."""
    found: dict[str, Axis] = {}
    for repo in repos:
        for axis in repo.axes:
            found.setdefault(axis.name, axis)
    for repo in repos:
        for rec in repo.records:
            for t in rec.tradeoffs:
                sides = t.axis.split("-vs-")
                if t.axis not in found and len(sides) == 2 and all(sides):
                    found[t.axis] = Axis(t.axis, (sides[0], sides[1]))
    return sorted(found.values(), key=lambda a: a.name)


def lean(counts: tuple[int, int], axis: Axis) -> str:
    """Which side ``counts`` (decisions in force per side) lean to: a side, "even" or ""."""
    if counts == (0, 0):
        return ""
    if counts[0] == counts[1]:
        return "even"
    return axis.sides[0] if counts[0] > counts[1] else axis.sides[1]


def matrix(repos: list[RepoLog]) -> list[dict[str, Any]]:
    """Per axis: each repository's decisions in force on each side, and the organisation's."""
    out = []
    for axis in axes_of(repos):
        rows = []
        total = [0, 0]
        for repo in repos:
            counts = [0, 0]
            for rec in repo.records:
                if not rec.in_force:
                    continue
                for t in rec.tradeoffs:
                    if t.axis == axis.name and t.favours in axis.sides:
                        counts[axis.sides.index(t.favours)] += 1
            if counts != [0, 0]:
                rows.append(
                    {
                        "repo": repo.name,
                        "counts": counts,
                        "leans": lean((counts[0], counts[1]), axis),
                    }
                )
            total = [total[0] + counts[0], total[1] + counts[1]]
        out.append(
            {
                "axis": axis.name,
                "title": axis.title,
                "sides": list(axis.sides),
                "repositories": rows,
                "organisation": {"counts": total, "leans": lean((total[0], total[1]), axis)},
            }
        )
    return out


def record_url(repo: RepoLog, rec: OrgRecord) -> str:
    """Where a record can be read: the manifest's URL joined with the record's path."""
    if not repo.url or not rec.path:
        return ""
    return f"{repo.url}/{url_path(rec.path)}".replace("(", "%28").replace(")", "%29")


def as_json(result: Aggregate, link: Callable[[RepoLog, OrgRecord], str] = record_url) -> Any:
    """``adr aggregate --format json``: repositories, records, the matrix, the findings."""
    return {
        "repositories": [
            {
                "name": r.name,
                "remote_url": r.remote_url,
                "commit": r.commit,
                "decisions_path": r.decisions_path,
                "url": r.url,
                "records": [
                    {
                        "id": rec.id,
                        "title": rec.title,
                        "status": rec.status,
                        "date": rec.date,
                        "tags": list(rec.tags),
                        "tradeoffs": [
                            {k: getattr(t, k) for k in _TRADEOFF_KEYS} for t in rec.tradeoffs
                        ],
                        "links": [{"rel": rel, "to": to} for rel, to in rec.links],
                        "url": link(r, rec),
                    }
                    for rec in r.records
                ],
            }
            for r in result.repos
        ],
        "matrix": matrix(result.repos),
        "findings": list(result.findings),
    }
