"""``adr site`` at 1,000 and 10,000 records: cold, current, one record changed (issue 19).

Every figure is a fresh ``python -m adr_tool site`` process with the parse cache warm:

* cold, no memo: the output folder and the site memo deleted first (a fresh clone in CI);
* cold, memo warm: only the output folder deleted (the memo of the last build kept);
* current: nothing changed since the last build;
* one record changed: one record's body edited before each run;
* adr-viewer (``benchmarks/.work/peers``, a separate virtualenv) on the adr-tools corpus
  of the same size, with our cold build on that corpus for the ratio.

Prints median and best wall time, median user and system CPU time (of the process and its
forked worker: creating 10,000 files is system time, which on a shared disk moves far
more than the rest), the highest peak RSS and the load average. ``--code DIR`` times
another checkout's ``adr_tool`` (e.g. ``git archive`` of main unpacked in /tmp).

Usage: ``python benchmarks/site.py [--sizes 1000,10000] [--runs 5] [--code DIR]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from run import clean_env  # noqa: E402

WORK = HERE / ".work"
PEERS = WORK / "peers"
TRASH = WORK / ".trash"  # what a run replaced, deleted only after the last measurement
TARGETS = {10_000: 5.0, 1_000: 1.0}  # seconds, cold
MEMORY_MB = 200


@dataclass
class Row:
    operation: str
    size: int
    times: list[float] = field(default_factory=list)
    user: list[float] = field(default_factory=list)
    system: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def measure(
    operation: str,
    size: int,
    argv: list[str],
    cwd: Path,
    runs: int,
    before: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
) -> Row:
    """Fresh processes; user and system CPU apart (creating 10,000 files is system time,
    and on a shared disk it moves far more than the rest)."""
    row = Row(operation, size)
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        row.times.append(time.perf_counter() - started)
        row.user.append(usage.ru_utime)
        row.system.append(usage.ru_stime)
        row.peaks.append(usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status):
            row.note = "failed"
    return row


def site_memo(repo: Path) -> Callable[[], None]:
    def drop() -> None:
        for path in (repo / ".git" / "adr-cache").glob("site-*.bin"):
            path.unlink()

    return drop


def both(*steps: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        for step in steps:
            step()

    return run


def remove(folder: Path) -> Callable[[], None]:
    """Move ``folder`` into the trash, deleted once everything is measured: on an ext4
    disk without a journal (this machine's), every new file passes over each inode freed
    in its block group in the last one to six minutes (``recently_deleted`` in the
    kernel's inode allocator), so deleting 10,000 pages before each run made the next
    build's files cost up to 20 times more to create than on the same disk left alone."""

    def run() -> None:
        if folder.exists():
            TRASH.mkdir(exist_ok=True)
            folder.rename(Path(tempfile.mkdtemp(dir=TRASH)) / folder.name)

    return run


def edit_one(repo: Path) -> Callable[[], None]:
    """Change one record's body before each run (a different line each time)."""
    record = sorted((repo / "docs" / "decisions").glob("0*.md"))[7]
    original = record.read_text(encoding="utf-8")
    count = [0]

    def run() -> None:
        count[0] += 1
        record.write_text(original + f"\nEdited for the benchmark, run {count[0]}.\n", "utf-8")

    return run


def peer_rows(size: int, runs: int, env: dict[str, str], adr: list[str]) -> list[Row]:
    viewer = PEERS / "bin" / "adr-viewer"
    repo = corpus.make_nygard(size)
    if not viewer.is_file():
        return []
    out = WORK / f"site-out-nygard-{size}"
    subprocess.run([*adr, "list"], cwd=repo, env=env, capture_output=True, check=False)
    html = WORK / f"adr-viewer-{size}.html"
    peer = measure(
        "adr-viewer (adr-tools corpus)",
        size,
        [str(viewer), "--adr-path", "doc/adr", "--output", str(html)],
        repo,
        runs,
        env=env,
    )
    ours = measure(
        "site cold, no memo (adr-tools corpus)",
        size,
        [*adr, "site", "-o", str(out)],
        repo,
        runs,
        before=both(remove(out), site_memo(repo)),
        env=env,
    )
    return [peer, ours]


def rows_for(size: int, runs: int, env: dict[str, str], adr: list[str]) -> list[Row]:
    repo = corpus.make_native(size)
    out = WORK / f"site-out-{size}"
    argv = [*adr, "site", "-o", str(out)]
    subprocess.run([*adr, "list"], cwd=repo, env=env, capture_output=True, check=False)
    edit = edit_one(repo)
    rows = [
        measure(
            "site cold, no memo",
            size,
            argv,
            repo,
            runs,
            before=both(remove(out), site_memo(repo)),
            env=env,
        ),
        measure("site cold, memo warm", size, argv, repo, runs, before=remove(out), env=env),
        measure("site current", size, argv, repo, runs, env=env),
        measure("site one record changed", size, argv, repo, runs, before=edit, env=env),
    ]
    subprocess.run(["git", "checkout", "-q", "--", "docs"], cwd=repo, check=False)
    return rows


def line(row: Row) -> str:
    mb = max(row.peaks) / 1024
    target = TARGETS.get(row.size) if row.operation.startswith("site cold") else None
    notes = [row.note] if row.note else []
    if target is not None:
        notes.append(f"≤ {target:g} s: {'ok' if row.median <= target else 'MISS'}")
    if mb > MEMORY_MB:
        notes.append(f"over {MEMORY_MB} MB")
    user, system = statistics.median(row.user), statistics.median(row.system)
    return (
        f"| {row.operation:<38} | {row.size:>6,} | {row.median:6.2f} s | {min(row.times):6.2f} s"
        f" | {user:6.2f} s | {system:6.2f} s | {mb:6.1f} | {'; '.join(notes)} |"
    )


def create_cost(folder: Path, count: int = 2000) -> float:
    """Microseconds of CPU to create one new, empty file in a fresh folder under
    ``folder``: the floor of a first build, which creates one file per page. On this
    machine's disk it was 30 to 40 µs, and up to 20 times more within minutes of many
    files being deleted near ``folder`` (see :func:`remove`), so it is printed beside the
    figures it explains."""
    scratch = folder / ".create-cost"
    remove(scratch)()
    scratch.mkdir(parents=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        started = time.process_time()
        for number in range(count):
            os.close(os.open(scratch / f"{number}.html", flags, 0o644))
        return (time.process_time() - started) / count * 1e6
    finally:
        remove(scratch)()


def floor_line(size: int) -> str:
    cost = create_cost(WORK)
    return (
        f"creating one new file on this disk: {cost:.0f} µs of CPU, so "
        f"{size:,} pages cost at least {cost * size / 1e6:.2f} s of CPU to create"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, help="time this checkout's adr_tool instead")
    parser.add_argument("--no-peers", action="store_true", help="skip adr-viewer")
    args = parser.parse_args()
    env = clean_env()
    if args.code is not None:
        env["PYTHONPATH"] = str(args.code.resolve())
    adr = [sys.executable, "-m", "adr_tool"]
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(floor_line(max(sizes)))
    print(
        "| operation                              |   size |   median |     best |"
        "     user |   system | peak MB | notes |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for size in sizes:
        for row in rows_for(size, args.runs, env, adr):
            print(line(row), flush=True)
    if not args.no_peers:
        size = min(sizes)
        peers = peer_rows(size, args.runs, env, adr)
        for row in peers:
            print(line(row), flush=True)
        if peers:
            print(f"ours / adr-viewer at {size:,}: {peers[1].median / peers[0].median:.2f}×")
        else:
            print(f"adr-viewer: not installed in {PEERS} (python -m venv {PEERS} &&")
            print(f"  {PEERS}/bin/pip install adr-viewer), so no ratio")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(floor_line(max(sizes)))
    shutil.rmtree(TRASH, ignore_errors=True)  # the next run on this disk pays for it
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
