"""Benchmark the decisions-that-govern-code commands (issue 17).

Builds (once, cached by version) repositories under ``benchmarks/.work/govern-F`` with
``git fast-import``: F tracked files in ``svcNN/modMM/`` folders, 1,000 accepted records
each with a ``scope`` (a folder with ``**``, some with a negation, some a file glob in any
folder), 400 later commits touching a few files each (a tenth with a ``Decision:``
trailer), and a ``feature`` branch whose last commit changes 500 files. Then prints the
median wall time and CPU time (user+system, git children included) of a fresh
``python -m adr_tool`` process (as a hook or CI job runs it), with the package's bytecode
compiled first (as an installed package has it):

* ``adr which FILE`` in the 20,000-file repository, warm parse cache (target ≤ 200 ms),
  and with ``--no-history``;
* ``adr coverage`` over 50,000 tracked files (target ≤ 2 s), and with ``--no-lines``;
* ``adr review --base main`` on the 500-file diff (target ≤ 1 s).

Usage: ``python benchmarks/govern.py [--runs 5] [--force] [--which-only]``
(``--which-only``: build and measure only the 20,000-file repository's ``adr which`` rows).
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
VERSION = "1"
DECISIONS = 1000
COMMITS = 400
DIFF = 500
START = 1_780_000_000  # 2026-05-28; later commits every hour, inside the 6-month window
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench Mark",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench Mark",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def paths(files: int) -> list[str]:
    out = []
    for i in range(files):
        svc, mod = i % 50, (i // 50) % 20
        out.append(f"svc{svc:02d}/mod{mod:02d}/f{i}.py")
    return out


def record(n: int) -> str:
    svc, mod = (n - 1) % 50, ((n - 1) // 50) % 20
    if n % 10 == 0:
        scope = f"['svc{svc:02d}/**/f{n}*.py']"
    elif n % 7 == 0:
        scope = f"[svc{svc:02d}/mod{mod:02d}/**, '!svc{svc:02d}/mod{mod:02d}/f1*.py']"
    else:
        scope = f"[svc{svc:02d}/mod{mod:02d}/**]"
    return (
        "---\nstatus: accepted\ndate: 2026-05-01\n"
        f"scope: {scope}\n"
        "tradeoffs:\n  - axis: performance-vs-development-speed\n"
        "    favours: development-speed\n    cost: slower hot path\n"
        "    revisit-when: p99 above 200 ms\n---\n"
        f'# Decision {n}\n\n## Decision Outcome\nChosen option: "x", because y.\n'
    )


def blob(text: str) -> bytes:
    data = text.encode()
    return b"data %d\n%s\n" % (len(data), data)


def commit(ref: str, when: int, message: str, parent: str | None) -> bytes:
    head = f"commit {ref}\ncommitter Bench Mark <bench@example.com> {when} +0000\n".encode()
    out = head + blob(message)
    if parent:
        out += f"from {parent}\n".encode()
    return out


def build(files: int, force: bool) -> Path:
    repo = WORK / f"govern-{files}"
    stamp = repo / ".bench-version"
    if repo.exists() and not force and stamp.is_file() and stamp.read_text() == VERSION:
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
    rng = random.Random(files)
    names = paths(files)
    stream = [commit("refs/heads/main", START, "Initial import", None)]
    stream.append(b"deleteall\n")
    stream += [
        b"M 644 inline %s\n%s" % (p.encode(), blob("x = 1\n" * rng.randint(3, 30))) for p in names
    ]
    stream.append(b"M 644 inline .adr.yaml\n" + blob("directory: docs/decisions\n"))
    for n in range(1, DECISIONS + 1):
        stream.append(
            b"M 644 inline docs/decisions/%04d-decision-%d.md\n%s" % (n, n, blob(record(n)))
        )
    for c in range(COMMITS):
        trailer = f"\n\nDecision: {rng.randint(1, DECISIONS)}" if c % 10 == 0 else ""
        stream.append(
            commit("refs/heads/main", START + 3600 * (c + 1), f"Change {c}{trailer}", None)
        )
        for p in rng.sample(names[: files // 4], 3):
            stream.append(b"M 644 inline %s\n%s" % (p.encode(), blob(f"x = {c}\n")))
    stream.append(
        commit("refs/heads/feature", START + 3600 * (COMMITS + 2), "Feature", "refs/heads/main")
    )
    for p in rng.sample(names, DIFF):
        stream.append(b"M 644 inline %s\n%s" % (p.encode(), blob("changed\n")))
    subprocess.run(
        ["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=repo, check=True, env=env
    )
    subprocess.run(["git", "checkout", "-q", "-f", "feature"], cwd=repo, check=True, env=env)
    stamp.write_text(VERSION)
    return repo


def timed(repo: Path, args: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds (user+system of the process and its git children)."""
    cmd = [sys.executable, "-m", "adr_tool", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(cmd, cwd=repo, capture_output=True, env=env)  # warm the parse cache
    times, cpu = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        stderr = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        cpu.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(args)} failed: {stderr.decode()[-500:]}")
    return statistics.median(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--which-only", action="store_true", help="the adr which rows only")
    options = parser.parse_args()
    compileall.compile_dir(HERE.parent / "adr_tool", quiet=1)  # stale bytecode is not start-up
    small = build(20_000, options.force)
    target_file = paths(20_000)[1234]
    rows = [
        ("adr which FILE (20,000 files, 1,000 scopes)", small, ["which", target_file], 0.2),
        ("adr which FILE --no-history", small, ["which", target_file, "--no-history"], 0.2),
    ]
    if not options.which_only:
        big = build(50_000, options.force)
        rows += [
            ("adr coverage (50,000 files)", big, ["coverage"], 2.0),
            ("adr coverage --no-lines (50,000 files)", big, ["coverage", "--no-lines"], 2.0),
            ("adr review --base main (500-file diff)", big, ["review", "--base", "main"], 1.0),
        ]
    print(f"load average {os.getloadavg()[0]:.2f}, {options.runs} runs, medians")
    print(f"{'operation':<48} {'wall':>9} {'CPU':>9}  target")
    for name, repo, args, target in rows:
        took, cpu = timed(repo, args, options.runs)
        verdict = "ok" if took <= target else f"MISS +{(took - target) * 1000:.0f} ms"
        shown = f"{took * 1000:>6.0f} ms {cpu * 1000:>6.0f} ms"
        print(f"{name:<48} {shown}  ≤ {target * 1000:.0f} ms {verdict}")


if __name__ == "__main__":
    main()
