"""Benchmark the git features on a 100,000-commit history.

Builds (once, cached by version) a repository under ``benchmarks/.work/history-N`` with
``git fast-import``: files spread over folders, some renames, decision records under
``docs/decisions``, and 2% of the commits carrying a ``Decision:`` trailer in one of the
accepted spellings. Then prints the wall time (median of several runs) of:

* ``adr log N`` and ``adr why PATH`` (the installed CLI, in a fresh process each run,
  with and without the history cache under ``.git/``),
* the raw one-pass scan (``git_log.read_history``, in-process, no cache),
* a naive GitPython ``repo.iter_commits()`` loop reading the same facts,

and the ratio naive / one-pass; then ``adr log`` and ``adr why`` again in a clone that
keeps a commit-graph with changed-path filters (``history-N-graph``), with the speed-up.

Usage: ``python benchmarks/git_history.py [--commits 100000] [--runs 5] [--force]``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
VERSION = "1"  # bump when the generated history changes
RECORDS = 40
FOLDERS = 60
FILES_PER_FOLDER = 30
TRAILER_RATE = 0.02
TARGET = 1.5  # seconds, from the issue
SPELLINGS = ("{n}", "{n:04d}", "ADR-{n}", "ADR-{n:04d}")
START = 1_600_000_000  # 2020-09-13, one commit every ten minutes after that

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench Mark",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench Mark",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}
AUTHORS = [
    ("Jin Park", "jin@example.com"),
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Lin Wei", "lin@example.com"),
]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_ENV)
    return env


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=True, env=clean_env()
    )
    return result.stdout.decode("utf-8", "replace")


def record_text(number: int) -> bytes:
    side = ("performance", "development-speed")[number % 2]
    text = (
        "---\n"
        "status: accepted\n"
        "tradeoffs:\n"
        "  - axis: performance-vs-development-speed\n"
        f"    favours: {side}\n"
        f"    cost: cost number {number}\n"
        "---\n"
        f"# Decision number {number}\n\n"
        "## Decision Outcome\n"
        f'Chosen option: "option {number}", because it was measured.\n'
    )
    return text.encode()


def fast_import_stream(commits: int, seed: int = 7) -> bytes:
    """The whole history as one fast-import stream (inline blobs)."""
    rng = random.Random(seed)
    files = [
        f"src/mod{f:02d}/file{i:03d}.py" for f in range(FOLDERS) for i in range(FILES_PER_FOLDER)
    ]
    out: list[bytes] = []

    def commit(index: int, message: str, ops: list[bytes]) -> None:
        name, email = AUTHORS[index % len(AUTHORS)]
        when = START + index * 600
        data = message.encode()
        out.append(b"commit refs/heads/main\n")
        out.append(f"author {name} <{email}> {when} +0000\n".encode())
        out.append(f"committer {name} <{email}> {when} +0000\n".encode())
        out.append(b"data %d\n" % len(data) + data + b"\n")
        out.extend(ops)

    def modify(path: str, content: bytes) -> bytes:
        return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content)

    # Commit 0: config, records and every file.
    ops = [modify(".adr.yaml", b"directory: docs/decisions\n")]
    ops += [
        modify(f"docs/decisions/{n:04d}-decision-number-{n}.md", record_text(n))
        for n in range(1, RECORDS + 1)
    ]
    ops += [modify(path, f"# {path}\n".encode()) for path in files]
    commit(0, "Initial import\n", ops)
    for index in range(1, commits):
        roll = rng.random()
        ops = []
        if roll < 0.003:  # a rename
            victim = rng.randrange(len(files))
            old = files[victim]
            new = old.replace(".py", f"_r{index}.py")
            files[victim] = new
            ops.append(f"R {old} {new}\n".encode())
            subject = f"Rename {old}"
        elif roll < 0.006:  # a record edit
            n = rng.randint(1, RECORDS)
            path = f"docs/decisions/{n:04d}-decision-number-{n}.md"
            ops.append(modify(path, record_text(n) + f"\nEdited in {index}.\n".encode()))
            subject = f"Edit decision {n}"
        else:
            for _ in range(rng.randint(1, 3)):
                path = files[rng.randrange(len(files))]
                ops.append(modify(path, f"# {path}\nchange {index}\n".encode()))
            subject = f"Change {index}: work on {path.split('/')[1]}"
        message = f"{subject}\n\nSome explanation of change {index}.\n"
        if rng.random() < TRAILER_RATE:
            numbers = [rng.randint(1, RECORDS) for _ in range(rng.choice((1, 1, 1, 2)))]
            values = ", ".join(rng.choice(SPELLINGS).format(n=n) for n in numbers)
            message += f"\nDecision: {values}\n"
        commit(index, message, ops)
    out.append(b"done\n")
    return b"".join(out)


def build(commits: int, force: bool = False) -> Path:
    path = WORK / f"history-{commits}"
    stamp = path / ".git" / "adr-bench-version"
    if not force and stamp.is_file() and stamp.read_text() == VERSION:
        return path
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    started = time.perf_counter()
    git(path, "fast-import", "--quiet", "--done", stdin=fast_import_stream(commits))
    git(path, "reset", "-q", "--hard", "main")
    stamp.write_text(VERSION)
    print(f"built {path} ({commits} commits) in {time.perf_counter() - started:.1f} s")
    return path


def with_commit_graph(path: Path) -> Path:
    """A clone of ``path`` that keeps a commit-graph with changed-path filters, as a
    repository maintained with ``git commit-graph write --changed-paths`` does (made once
    per build of ``path``)."""
    graph = path.with_name(path.name + "-graph")
    stamp = graph / ".git" / "adr-bench-version"
    built = (path / ".git" / "adr-bench-version").read_text()
    if stamp.is_file() and stamp.read_text() == built:
        return graph
    shutil.rmtree(graph, ignore_errors=True)
    git(path.parent, "clone", "-q", str(path), str(graph))
    git(graph, "commit-graph", "write", "--reachable", "--changed-paths")
    stamp.write_text(built)
    return graph


def _cpu() -> float:
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (this process and its children) of ``fn``."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu, started = _cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def naive_scan(path: Path, trailer: str = "Decision") -> int:
    """What one would write without thinking: a GitPython Commit object per commit."""
    import re

    import git

    pattern = re.compile(rf"^{trailer}:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
    repo = git.Repo(path)
    linked = 0
    try:
        for c in repo.iter_commits("HEAD"):
            _ = (c.hexsha, c.author.name, c.author.email, c.authored_datetime, c.summary)
            last_paragraph = c.message.strip().split("\n\n")[-1]
            if pattern.search(last_paragraph):
                linked += 1
    finally:
        repo.close()
    return linked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--force", action="store_true", help="rebuild the repository")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    path = build(args.commits, args.force)
    if args.build_only:
        return 0
    sys.path.insert(0, str(HERE.parent))
    from adr_tool.git import log as git_log

    adr = Path(sys.executable).with_name("adr")
    env = clean_env()

    def cli(*words: str, where: Path = path) -> Callable[[], object]:
        command = [str(adr), "-C", str(where), *words]
        return lambda: subprocess.run(command, env=env, check=True, capture_output=True)

    renamed = next(p for p in (path / "src").rglob("*_r*.py"))
    file_arg = renamed.relative_to(path).as_posix()
    rows: list[tuple[str, float]] = []
    measures: list[tuple[str, Callable[[], object]]] = [
        ("adr log 7", cli("log", "7")),
        (f"adr why {file_arg} (renamed file)", cli("why", file_arg)),
        ("adr why src/mod03 (folder)", cli("why", "src/mod03")),
        (
            "one-pass scan, linked commits (in-process)",
            lambda: git_log.read_history(path, linked_only=True),
        ),
        ("one-pass scan, every commit (in-process)", lambda: git_log.read_history(path)),
        ("naive repo.iter_commits() loop", lambda: naive_scan(path)),
    ]
    linked = len(git_log.read_history(path, linked_only=True).commits)
    assert naive_scan(path) == linked, "the naive loop and the scan disagree"
    print(f"repository: {path} ({args.commits} commits, {linked} with a trailer)")
    print(f"median of {args.runs} runs: wall time, CPU time (user+system, with git children)")
    for label, fn in measures:
        seconds, cpu = median_time(fn, args.runs)
        rows.append((label, seconds))
        flag = "" if seconds <= TARGET or label.startswith("naive") else f"  (target {TARGET} s)"
        print(f"  {label:<58} {seconds:7.3f} s  cpu {cpu:7.3f} s{flag}", flush=True)
    naive = rows[-1][1]
    for label, seconds in rows[3:5]:
        print(f"  ratio naive / {label.split(' (')[0]}: {naive / seconds:5.1f}x")
    graph = with_commit_graph(path)
    print("the same history with a commit-graph and changed-path filters:")
    for label, fn in [
        ("adr log 7", cli("log", "7", where=graph)),
        (f"adr why {file_arg} (renamed file)", cli("why", file_arg, where=graph)),
        ("adr why src/mod03 (folder)", cli("why", "src/mod03", where=graph)),
    ]:
        seconds, cpu = median_time(fn, args.runs)
        without = dict(rows)[label]
        print(f"  {label:<58} {seconds:7.3f} s  cpu {cpu:7.3f} s  ({without / seconds:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
