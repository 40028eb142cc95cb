"""Benchmark ``adr aggregate``: many repositories at once (issue 22's target: 200
repositories × 50 records in at most 10 s on the project's 2-core machine).

Builds ``.work/org-R-N``: R git repositories of N native records each (the corpus of
``corpus.py``, one seed per repository, every fifth record linking to a record of the
next repository), a manifest naming them, and each repository's ``adr export``. Then
times fresh ``python -m adr_tool`` processes, as a CI job runs them:

* ``aggregate`` over the R checkouts (read in 2 worker processes) → Markdown index, cold
  (``--no-cache``: every record parsed, as in a fresh clone) and with warm parse caches;
* the same with ``--site``;
* ``aggregate`` over the R export files (the "each repository publishes its export" path).

Before timing, one untimed run warms the repositories' parse caches.

Usage: ``python benchmarks/org.py [--repos 200] [--records 50] [--runs 3] [--force]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import WORK, _commit_all, _fresh_repo, _native, _plan, slug

VERSION = "1"
TARGET_S = 10.0


def build(repos: int, records: int, force: bool) -> Path:
    base = WORK / f"org-{repos}-{records}"
    stamp = base / ".corpus-version"
    if not force and stamp.is_file() and stamp.read_text() == VERSION:
        return base
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    lines = ["repositories:"]
    for i in range(repos):
        name = f"r{i:03d}"
        repo = base / name
        _fresh_repo(repo)
        folder = repo / "docs" / "decisions"
        folder.mkdir(parents=True)
        for entry in _plan(records, seed=1000 + i):
            text = _native(entry)
            number = int(str(entry["number"]))
            if number % 5 == 0:  # a link to the next repository's record of the same number
                other = f"r{(i + 1) % repos:03d}#{number}"
                text = text.replace(
                    "\ntradeoffs:", f'\nlinks:\n  - {{rel: Relates, to: "{other}"}}\ntradeoffs:', 1
                )
            (folder / f"{number:04d}-{slug(str(entry['title']))}.md").write_text(text, "utf-8")
        _commit_all(repo)
        lines.append(
            f"  - {{name: {name}, path: {name}, url: 'https://git.example.com/acme/{name}/blob/main'}}"
        )
    (base / "repos.yaml").write_text("\n".join(lines) + "\n")
    exports = base / "exports"
    exports.mkdir()
    for i in range(repos):
        name = f"r{i:03d}"
        adr(base / name, "export", "--output", str(exports / f"{name}.json"))
    stamp.write_text(VERSION)
    return base


def adr(cwd: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of adr and its workers) of one fresh run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "adr_tool", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"adr {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    base = build(args.repos, args.records, args.force)
    print(f"corpus: {base} ({time.perf_counter() - started:.1f} s to build or check)")
    exports = sorted(str(p) for p in (base / "exports").glob("*.json"))
    with tempfile.TemporaryDirectory() as out:
        cases = {
            "checkouts → index, cold (--no-cache)": [
                "--no-cache", "aggregate", "repos.yaml", "--output", f"{out}/a.md",
            ],
            "checkouts → index, warm parse caches": [
                "aggregate", "repos.yaml", "--output", f"{out}/b.md",
            ],
            "checkouts → index + site, warm": [
                "aggregate", "repos.yaml", "--output", f"{out}/c.md", "--site", f"{out}/site",
            ],
            "export files → index + site": [
                "aggregate", *exports, "--output", f"{out}/d.md", "--site", f"{out}/site2",
            ],
        }  # fmt: skip
        adr(base, "aggregate", "repos.yaml", "--output", f"{out}/warm.md")  # warm the caches
        total = args.repos * args.records
        print(f"\n{args.repos} repositories × {args.records} records = {total} records")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"{'operation':<38} {'median':>8} {'min':>8} {'CPU':>8} {'CPU/2':>7}  target")
        for label, argv in cases.items():
            runs = [adr(base, *argv) for _ in range(args.runs)]
            median = statistics.median(wall for wall, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            verdict = "ok" if median <= TARGET_S else f"MISS +{median - TARGET_S:.1f} s"
            print(
                f"{label:<38} {median:>7.2f}s {min(w for w, _ in runs):>7.2f}s {cpu:>7.2f}s"
                f" {cpu / 2:>6.2f}s  ≤ {TARGET_S:.0f} s {verdict}"
            )
        print("CPU/2: the wall time two idle cores need at best (the work is split over two)")


if __name__ == "__main__":
    main()
