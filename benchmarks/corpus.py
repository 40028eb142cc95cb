"""Generate realistic decision corpora for the benchmarks.

Two kinds, each in its own git repository under ``benchmarks/.work/``:

* ``native-N``: ``.adr.yaml`` + ``docs/decisions`` with N records in the default
  ``tradeoff`` format: front matter with status, date, decision-makers, tags, one or two
  trade-offs, supersession pairs, typed links and commit references, and a body with
  every section of the template and a real rationale.
* ``nygard-N``: ``.adr-dir`` + ``doc/adr`` with N adr-tools records (``# N. Title``,
  ``Date:``, ``## Status`` with ``Superseded by``/``Supersedes``/``Amends`` lines).

The content is deterministic (seeded), so two runs measure the same bytes.
Usage: ``python benchmarks/corpus.py [--sizes 100,1000,10000] [--force]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
VERSION = "3"  # bump when the generated content changes
SIZES = (100, 1_000, 10_000)

AXES = {
    "performance-vs-development-speed": ("performance", "development-speed"),
    "scalability-vs-simplicity": ("scalability", "simplicity"),
    "completeness-vs-time-to-market": ("completeness", "time-to-market"),
}
SUBJECTS = [
    "orders", "payments", "search", "catalogue", "sessions", "invoices", "shipping",
    "notifications", "audit log", "recommendations", "pricing", "inventory", "identity",
]  # fmt: skip
CHOICES = [
    ("PostgreSQL", "MySQL", "DynamoDB"),
    ("Redis", "Memcached", "an in-process LRU"),
    ("Kafka", "RabbitMQ", "SQS"),
    ("gRPC", "REST over JSON", "GraphQL"),
    ("a modular monolith", "microservices", "serverless functions"),
    ("OpenSearch", "PostgreSQL full-text search", "Typesense"),
]
VERBS = ["Store", "Cache", "Queue", "Serve", "Index", "Partition", "Replicate", "Batch"]
PEOPLE = ["Jin Park", "Ada Lovelace", "Grace Hopper", "Lin Wei", "Sam Okafor", "Mia Rossi"]
TAGS = ["storage", "api", "latency", "cost", "security", "ops", "data", "frontend"]
STATUS_WEIGHTS = [("accepted", 70), ("proposed", 15), ("rejected", 5), ("deprecated", 5)]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench Mark",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench Mark",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")


def _status(rng: random.Random) -> str:
    total = sum(w for _, w in STATUS_WEIGHTS)
    pick = rng.randrange(total)
    for status, weight in STATUS_WEIGHTS:
        if pick < weight:
            return status
        pick -= weight
    return "accepted"  # pragma: no cover


def _plan(n: int, seed: int) -> list[dict[str, object]]:
    """Titles, statuses, dates, supersession and links shared by both corpus kinds."""
    rng = random.Random(seed)
    plan: list[dict[str, object]] = []
    for number in range(1, n + 1):
        subject = rng.choice(SUBJECTS)
        options = rng.choice(CHOICES)
        chosen = rng.choice(options)
        title = f"{rng.choice(VERBS)} {subject} with {chosen} (#{number})"
        year = 2015 + (number * 10 // max(n, 1))
        plan.append(
            {
                "number": number,
                "title": title,
                "subject": subject,
                "options": options,
                "chosen": chosen,
                "status": "accepted" if number == 1 else _status(rng),
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "supersedes": [],
                "superseded_by": [],
                "links": [],
                "rng": random.Random(seed * 100_003 + number),
            }
        )
    # about one record in ten supersedes an older one; one in seven amends one
    for entry in plan[1:]:
        number = int(str(entry["number"]))
        rng_local: random.Random = entry["rng"]  # type: ignore[assignment]
        if number > 5 and rng_local.random() < 0.1:
            old = plan[rng_local.randrange(1, number - 1)]
            if not old["superseded_by"] and old["status"] == "accepted":
                old["status"] = "superseded"
                old["superseded_by"].append(number)  # type: ignore[attr-defined]
                entry["supersedes"].append(old["number"])  # type: ignore[attr-defined]
                entry["status"] = "accepted"
        if number > 3 and rng_local.random() < 0.15:
            target = rng_local.randrange(1, number)
            entry["links"].append(("Amends", target))  # type: ignore[attr-defined]
    return plan


def _flow(values: list[object]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _native(entry: dict[str, object]) -> str:
    rng: random.Random = entry["rng"]  # type: ignore[assignment]
    options = list(entry["options"])  # type: ignore[call-overload]
    chosen, subject = entry["chosen"], entry["subject"]
    axes = rng.sample(sorted(AXES), k=rng.choice((1, 1, 2)))
    lines = ["---", f"status: {entry['status']}", f"date: {entry['date']}"]
    lines.append(f"decision-makers: [{', '.join(rng.sample(PEOPLE, 2))}]")
    lines.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
    lines.append("tradeoffs:")
    for axis in axes:
        side = rng.choice(AXES[axis])
        lines += [
            f"  - axis: {axis}",
            f"    favours: {side}",
            f"    cost: {subject} p99 latency about {rng.randint(5, 90)} ms above a tuned setup",
            f"    revisit-when: {subject} volume passes {rng.randint(1, 50)},000/s",
        ]
    if entry["supersedes"]:
        lines.append(f"supersedes: {_flow(entry['supersedes'])}")  # type: ignore[arg-type]
    if entry["superseded_by"]:
        lines.append(f"superseded-by: {_flow(entry['superseded_by'])}")  # type: ignore[arg-type]
    if entry["links"]:
        lines.append("links:")
        for rel, to in entry["links"]:  # type: ignore[attr-defined]
            lines.append(f"  - {{rel: {rel}, to: {to}}}")
    if rng.random() < 0.3:
        lines.append(f"commits: [{rng.getrandbits(160):040x}]")
    if rng.random() < 0.1:
        lines.append(f"review-by: 20{rng.randint(27, 30)}-0{rng.randint(1, 9)}-01")
    lines.append("---")
    others = [o for o in options if o != chosen]
    body = f"""# {entry["title"]}

## Context and Problem Statement

The {subject} service handles about {rng.randint(100, 9000)} requests per second at peak and
the current design shows its limits: p99 latency is {rng.randint(80, 900)} ms and the on-call
rota has seen {rng.randint(1, 12)} incidents this quarter. Which {subject} design should we use?

## Decision Drivers

* latency under peak load
* what the team already knows how to operate
* cost at three times today's volume

## Change Scenarios

* Load triples within a year: {chosen} copes by adding capacity; {others[0]} needs a redesign.
* The team halves: {chosen} keeps the number of moving parts small.

## Considered Options

* {chosen}
* {others[0]}
* {others[1]}

## Decision Outcome

Chosen option: "{chosen}", because it meets the latency budget for {subject} with the
skills the team already has, and it leaves a clear path to scale out later.

## Trade-offs

We accept a higher latency ceiling than a tuned {others[0]} setup would give, because the team
can ship and operate {chosen} now. Reopen when the volume signal in the front matter fires.

## Consequences

* Good, because on-call load drops.
* Bad, because {others[0]} expertise in the team fades.

## Confirmation

A load test at three times peak passes the latency budget before the rollout completes.
"""
    return "\n".join(lines) + "\n" + body


def _nygard(entry: dict[str, object], titles: dict[int, str]) -> str:
    rng: random.Random = entry["rng"]  # type: ignore[assignment]
    number, title = entry["number"], entry["title"]
    status_lines = []
    for old in entry["supersedes"]:  # type: ignore[attr-defined]
        status_lines.append(f"Supercedes [{old}. {titles[old]}]({old:04d}-{slug(titles[old])}.md)")
    for rel, to in entry["links"]:  # type: ignore[attr-defined]
        status_lines.append(f"{rel} [{to}. {titles[to]}]({to:04d}-{slug(titles[to])}.md)")
    if entry["superseded_by"]:
        new = entry["superseded_by"][0]  # type: ignore[index]
        status_lines.insert(
            0, f"Superceded by [{new}. {titles[new]}]({new:04d}-{slug(titles[new])}.md)"
        )
    else:
        status_lines.insert(0, str(entry["status"]).capitalize())
    year, month, day = str(entry["date"]).split("-")
    status_block = "\n\n".join(status_lines)
    compared = ", ".join(str(o) for o in entry["options"])  # type: ignore[attr-defined]
    return f"""# {number}. {title}

Date: {year}-{month}-{day}

## Status

{status_block}

## Context

The {entry["subject"]} service needs a design that holds at {rng.randint(100, 9000)} requests
per second; the team compared {compared}.

## Decision

We will use {entry["chosen"]} for {entry["subject"]}.

## Consequences

Operations get simpler; we give up some peak performance.
"""


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"):
        env.pop(name, None)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _commit_all(repo: Path) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", "corpus")


def _fresh_repo(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    _git(path, "init", "-q", "-b", "main")
    _git(path, "config", "commit.gpgsign", "false")
    _git(path, "config", "user.name", "Bench Mark")
    _git(path, "config", "user.email", "bench@example.com")


def make_native(n: int, *, force: bool = False, seed: int = 7) -> Path:
    """``.work/native-N``: an initialised repo with N native records; reused if current."""
    repo = WORK / f"native-{n}"
    stamp = repo / ".corpus-version"
    if not force and stamp.is_file() and stamp.read_text() == VERSION:
        return repo
    _fresh_repo(repo)
    (repo / ".adr.yaml").write_text("directory: docs/decisions\ntemplate: tradeoff\n")
    folder = repo / "docs" / "decisions"
    folder.mkdir(parents=True)
    for entry in _plan(n, seed):
        name = f"{entry['number']:04d}-{slug(str(entry['title']))}.md"
        (folder / name).write_text(_native(entry), encoding="utf-8")
    _commit_all(repo)
    stamp.write_text(VERSION)
    return repo


def make_nygard(n: int, *, force: bool = False, seed: int = 11) -> Path:
    """``.work/nygard-N``: an adr-tools layout (``.adr-dir`` → ``doc/adr``) with N records."""
    repo = WORK / f"nygard-{n}"
    stamp = repo / ".corpus-version"
    if not force and stamp.is_file() and stamp.read_text() == VERSION:
        return repo
    _fresh_repo(repo)
    (repo / ".adr-dir").write_text("doc/adr\n")
    folder = repo / "doc" / "adr"
    folder.mkdir(parents=True)
    plan = _plan(n, seed)
    titles = {int(str(e["number"])): str(e["title"]) for e in plan}
    for entry in plan:
        name = f"{entry['number']:04d}-{slug(str(entry['title']))}.md"
        (folder / name).write_text(_nygard(entry, titles), encoding="utf-8")
    _commit_all(repo)
    stamp.write_text(VERSION)
    return repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--force", action="store_true", help="Regenerate even if current.")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(make_native(size, force=args.force))
        print(make_nygard(size, force=args.force))


if __name__ == "__main__":
    main()
