"""Run every benchmark and print one table: operation × size → median wall time, peak RSS.

Each CLI measurement starts a fresh ``adr`` process (as a hook or CI job does), so times
include interpreter start-up and imports. Peak memory is the median of the child's own
max RSS (``os.wait4``). "warm" runs with the parse cache current and the folder unchanged
(its answer may come from a memo, decision 0057); "no memo" keeps the cache but not the
memos (the records are loaded); "1 touched" changes one record's mtime before each run
(the run after an edit); "cold" deletes the cache first (the first run after a clone or a
checkout of many records, which also writes the cache).

Usage: ``benchmarks/run [--quick] [--runs N] [--sizes 100,1000,10000] [--adr-tools DIR]``.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PYTHON = sys.executable
ADR = [PYTHON, "-m", "adr_tool"]
DATE = "2026-11-24"
TARGETS = {  # (operation, size) → seconds, from issues 8 and 19
    ("adr --help", 0): 0.100,
    ("adr check (warm)", 100): 0.150,
    ("adr check FILE (hook)", 100): 0.120,
    ("adr list (warm)", 10_000): 0.25,
    ("adr index (current)", 10_000): 0.25,
    ("adr index (render)", 10_000): 0.5,
    ("adr check (warm)", 10_000): 0.35,
    ("adr check (cold)", 10_000): 1.5,
    ("adr index (cold)", 10_000): 1.5,
    ("adr new (no index)", 10_000): 0.150,
}
MEMORY_TARGET_MB = 200
HEADER = "| operation                | size   | median ms | CPU ms  | peak MB | notes |"


@dataclass
class Row:
    operation: str
    size: int
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def peak_kb(self) -> int:
        return int(statistics.median(self.peaks)) if self.peaks else 0

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    return env


def timed(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, int, int, float]:
    """Wall seconds, peak RSS in KiB, exit code and CPU seconds of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env or clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, int(usage.ru_maxrss), proc.returncode, usage.ru_utime + usage.ru_stime


def measure(
    operation: str,
    size: int,
    argv: list[str],
    cwd: Path,
    runs: int,
    before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
) -> Row:
    row = Row(operation, size)
    codes = set()
    for _ in range(runs):
        if before:
            before()
        elapsed, peak, code, cpu = timed(argv, cwd, env)
        if after:
            after()
        row.times.append(elapsed)
        row.cpu.append(cpu)
        row.peaks.append(peak)
        codes.add(code)
    if codes - {0}:
        row.note = f"exit {sorted(codes)}"
    return row


def has_command(name: str, cwd: Path) -> bool:
    code = timed([*ADR, name, "--help"], cwd)[2]
    return code == 0


def drop_cache(repo: Path) -> Callable[[], None]:
    def run() -> None:
        shutil.rmtree(repo / ".git" / "adr-cache", ignore_errors=True)

    return run


def drop_memos(repo: Path) -> Callable[[], None]:
    """Keep the parse cache, forget the memos: a warm run that must load the records."""

    def run() -> None:
        for memo in (repo / ".git" / "adr-cache").glob("*.memo"):
            memo.unlink()

    return run


def touch_one(folder: Path) -> Callable[[], None]:
    """Change one record's mtime (to 5 s ago, so the cache may keep it): the run after
    an edit parses that record and rewrites the cache; it can use no memo (it keeps its
    own for the next run)."""
    record = sorted(folder.glob("0*.md"))[len(list(folder.glob("0*.md"))) // 2]

    def run() -> None:
        moment = time.time_ns() - 5_000_000_000
        os.utime(record, ns=(moment, moment))

    return run


def copy_remover(path: Path) -> Callable[[], None]:
    def run() -> None:
        path.unlink(missing_ok=True)

    return run


def imports_of(args: list[str], cwd: Path) -> tuple[float, list[str]]:
    """Import time of adr_tool.cli (ms) and which heavy modules a command imports."""
    code = (
        "import sys; sys.argv=['adr', *sys.argv[1:]]\n"
        "from adr_tool.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code, *args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    heavy: set[str] = set()
    cli_ms = 0.0
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not match:
            continue
        name = match.group(4)
        top = name.split(".")[0]
        if top in ("git", "jinja2", "ruamel", "markdown_it"):
            heavy.add(top)
        if name == "adr_tool.cli":
            cli_ms = int(match.group(2)) / 1000
    return cli_ms, sorted(heavy)


def yaml_ratio(repo: Path, count: int) -> list[str]:
    """In-process: round-trip load vs the C safe loader on the same front matter."""
    from ruamel.yaml import YAML

    from adr_tool.records import frontmatter

    folder = repo / "docs" / "decisions"
    texts = []
    for path in sorted(folder.glob("0*.md"))[:count]:
        split = frontmatter.split(path.read_text(encoding="utf-8"))
        if split.yaml:
            texts.append(split.yaml)

    def bench(fn: Callable[[str], object]) -> float:
        best = []
        for _ in range(3):
            started = time.perf_counter()
            for text in texts:
                fn(text)
            best.append(time.perf_counter() - started)
        return min(best) / len(texts) * 1e6

    def round_trip(text: str) -> object:
        yaml = YAML(typ="rt")
        return yaml.load(text)

    def safe_default(text: str) -> object:
        return YAML(typ="safe", pure=False).load(text)

    ours = bench(lambda t: frontmatter.load(t))
    rt = bench(round_trip)
    safe = bench(safe_default)
    return [
        f"front matter of {len(texts)} records, µs per record (best of 3):",
        f"  frontmatter.load (C safe loader, direct)  {ours:8.1f}",
        f"  YAML(typ='safe') per call                  {safe:8.1f}   ({safe / ours:.1f}x ours)",
        f"  YAML(typ='rt') round-trip                  {rt:8.1f}   ({rt / ours:.1f}x ours)",
    ]


def adr_tools_rows(tools: Path, sizes: list[int], runs: int, max_size: int) -> list[Row]:
    src = tools / "src"
    rows: list[Row] = []
    env = clean_env()
    env["PATH"] = f"{src}{os.pathsep}{env.get('PATH', '')}"
    for size in sizes:
        if size > max_size:
            continue
        repo = corpus.make_nygard(size)
        n = max(1, min(runs, 3 if size >= 1000 else runs))
        for op, args in (("toc", ["generate", "toc"]), ("list", ["list"])):
            theirs = measure(f"adr-tools {op}", size, [str(src / "adr"), *args], repo, n, env=env)
            ours_args = ["generate", "toc"] if op == "toc" else ["list"]
            ours = measure(f"ours {op} (nygard)", size, [*ADR, *ours_args], repo, runs)
            if ours.median == ours.median and ours.median > 0:
                theirs.note = f"{theirs.median / ours.median:.1f}x ours" + (
                    f"; {n} runs" if n != runs else ""
                )
            rows += [theirs, ours]
    return rows


def adr_tools_startup_rows(tools: Path, runs: int) -> list[Row]:
    """Issue 19's peers: adr-tools' `adr help` against our --help, and `adr new` in a
    Nygard folder of 10,000 records (the new record removed after each run)."""
    src = tools / "src"
    env = clean_env()
    env["PATH"] = f"{src}{os.pathsep}{env.get('PATH', '')}"
    repo = corpus.make_nygard(10_000)
    folder = repo / "doc" / "adr"

    def remove_new() -> None:
        for path in folder.glob("10001-*.md"):
            path.unlink()

    title = "Benchmark decision"
    ours_new = [*ADR, "new", title, "--no-edit", "--date", DATE]
    pairs = [
        ("help", [str(src / "adr"), "help"], [*ADR, "--help"], None),
        ("list", [str(src / "adr"), "list"], [*ADR, "list"], None),
        ("new", [str(src / "adr"), "new", title], ours_new, remove_new),
    ]
    rows: list[Row] = []
    for op, theirs_argv, ours_argv, after in pairs:
        theirs = measure(f"adr-tools {op}", 10_000, theirs_argv, repo, runs, after=after, env=env)
        ours = measure(f"ours {op} (nygard)", 10_000, ours_argv, repo, runs, after=after)
        if ours.median > 0:
            theirs.note = f"{theirs.median / ours.median:.1f}x ours"
        rows += [theirs, ours]
    return rows


def fmt_row(row: Row, target: float | None) -> str:
    mb = row.peak_kb / 1024
    verdict = ""
    if target is not None:
        verdict = "ok" if row.median <= target else f"MISS +{(row.median - target) * 1000:.0f} ms"
        verdict = f"target {target * 1000:.0f} ms: {verdict}"
    if mb > MEMORY_TARGET_MB:
        verdict += f" MEM over {MEMORY_TARGET_MB} MB"
    size = f"{row.size:,}" if row.size else "-"
    note = "; ".join(x for x in (verdict, row.note) if x)
    wall, cpu = row.median * 1000, row.cpu_median * 1000
    return f"| {row.operation:<24} | {size:>6} | {wall:9.0f} | {cpu:7.0f} | {mb:7.1f} | {note} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 records, 3 runs.")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (≥5)")
    parser.add_argument("--sizes", default=None, help="comma-separated record counts")
    peer = ROOT.parent / "shared" / "peers" / "adr-tools"
    parser.add_argument(
        "--adr-tools", type=Path, default=peer if (peer / "src" / "adr").is_file() else None,
        metavar="DIR",
    )  # fmt: skip
    parser.add_argument("--adr-tools-max", type=int, default=1000, metavar="N")
    parser.add_argument("--commits", type=int, default=None, help="history size (100,000)")
    parser.add_argument("--skip-git", action="store_true")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([100, 1_000] if args.quick else list(corpus.SIZES))
    )
    commits = args.commits or (10_000 if args.quick else 100_000)

    # as installed: stale bytecode (PYTHONDONTWRITEBYTECODE) would time the compiler
    compileall.compile_dir(ROOT / "adr_tool", quiet=1)
    print(f"adr benchmarks: {runs} runs per cell, sizes {sizes}, python {sys.version.split()[0]}")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    repos = {size: corpus.make_native(size) for size in sizes}
    small = repos[min(sizes)]
    rows: list[Row] = []
    rows.append(measure("python -c pass", 0, [PYTHON, "-c", "pass"], small, runs))
    rows.append(measure("adr --help", 0, [*ADR, "--help"], small, runs))
    over = (rows[-1].median - rows[-2].median) * 1000  # issue 19: within 60 ms of python
    rows[-1].note = f"{over:.0f} ms over python -c pass (issue 19: ≤ 60)"
    commands = {name: has_command(name, small) for name in ("check", "index")}
    for size in sizes:
        repo = repos[size]
        folder = repo / "docs" / "decisions"
        index_file = folder / "README.md"
        index_file.unlink(missing_ok=True)  # a corpus keeps no index until `adr index` below
        measure("warm-up", size, [*ADR, "list"], repo, 1)
        rows.append(measure("adr list (warm)", size, [*ADR, "list"], repo, runs))
        rows.append(
            measure("adr list (no memo)", size, [*ADR, "list"], repo, runs, before=drop_memos(repo))
        )
        rows.append(
            measure(
                "adr list (1 touched)", size, [*ADR, "list"], repo, runs, before=touch_one(folder)
            )
        )
        rows.append(
            measure("adr list (cold)", size, [*ADR, "list"], repo, runs, before=drop_cache(repo))
        )
        rows.append(measure("adr list --no-cache", size, [*ADR, "--no-cache", "list"], repo, runs))

        def remove_new(folder: Path = folder, size: int = size) -> None:
            for path in folder.glob(f"{size + 1:04d}-*.md"):
                path.unlink()

        new_argv = [*ADR, "new", "Benchmark decision", "--no-edit", "--date", DATE]
        measure("warm-up", size, [*ADR, "list"], repo, 1)
        rows.append(measure("adr new (no index)", size, new_argv, repo, runs, after=remove_new))
        if commands["index"]:
            argv = [*ADR, "index"]
            measure("warm-up", size, argv, repo, 1)  # writes the index and the memo
            time.sleep(2.1)  # as in a repository: the index was not written a moment ago
            measure("warm-up", size, argv, repo, 1)
            rows.append(measure("adr index (current)", size, argv, repo, runs))
            rows.append(
                measure("adr index (no memo)", size, argv, repo, runs, before=drop_memos(repo))
            )
            copy = repo / "docs" / "bench-index.md"  # untracked, removed below
            render = [*ADR, "index", "--output", str(copy)]
            rows.append(
                measure("adr index (render)", size, render, repo, runs, before=copy_remover(copy))
            )
            rows.append(
                measure("adr index (cold)", size, argv, repo, runs, before=drop_cache(repo))
            )
        if commands["check"]:  # with the index current, as in a repository that keeps one
            argv = [*ADR, "check"]
            measure("warm-up", size, argv, repo, 2)
            rows.append(measure("adr check (warm)", size, argv, repo, runs))
            rows.append(
                measure("adr check (no memo)", size, argv, repo, runs, before=drop_memos(repo))
            )
            rows.append(
                measure("adr check (1 touched)", size, argv, repo, runs, before=touch_one(folder))
            )
            rows.append(
                measure("adr check (cold)", size, argv, repo, runs, before=drop_cache(repo))
            )
        first = sorted(folder.glob("0001-*.md"))
        if commands["check"] and first:  # what the pre-commit hook runs: the staged files
            hook = [*ADR, "check", str(first[0])]
            rows.append(measure("adr check FILE (hook)", size, hook, repo, runs))
        if index_file.is_file():  # the index is refreshed with the new record (index.auto)
            measure("warm-up", size, [*ADR, "list"], repo, 1)
            rows.append(
                measure("adr new (with index)", size, new_argv, repo, runs, after=remove_new)
            )
        index_file.unlink(missing_ok=True)
        (repo / "docs" / "bench-index.md").unlink(missing_ok=True)
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=False)

    print()
    print(HEADER)
    print("| ------------------------ | -----: | --------: | ------: | ------: | ----- |")
    for row in rows:
        print(fmt_row(row, TARGETS.get((row.operation, row.size))))

    print("\ngrowth (marginal cost per record between sizes; linear when the two agree):")
    ops = sorted({r.operation for r in rows if r.size and r.times}, key=lambda o: o)
    for op in ops:
        cells = {r.size: r for r in rows if r.operation == op and r.times}
        parts = []
        ordered = sorted(cells)
        for low, high in itertools.pairwise(ordered):
            dt = (cells[high].median - cells[low].median) / (high - low) * 1e6
            dm = (cells[high].peak_kb - cells[low].peak_kb) / (high - low)
            parts.append(f"{low:,}→{high:,}: {dt:6.1f} µs, {dm:5.1f} KiB")
        if parts:
            print(f"  {op:<22} " + " | ".join(parts))

    print("\nimports (python -X importtime; heavy = git, jinja2, ruamel, markdown_it):")
    time.sleep(2.1)  # no record modified within the cache's racy window (RACY_NS)
    timed([*ADR, "list"], small)  # the parse cache is current for the next lines
    hook_file = str(sorted((small / "docs" / "decisions").glob("0001-*.md"))[0])
    for cmd in (["--help"], ["list"], ["check"], ["check", hook_file], ["new", "--help"]):
        cli_ms, heavy = imports_of(cmd, small)
        shown = " ".join(c if not c.endswith(".md") else "FILE" for c in cmd)
        print(f"  adr {shown:<12} adr_tool.cli {cli_ms:5.1f} ms  heavy: {heavy or 'none'}")

    print("\nruamel round-trip vs safe loading:")
    for line in yaml_ratio(repos[max(sizes)], 1000):
        print("  " + line)

    print("\nadr-tools comparison (same Nygard corpus):")
    if args.adr_tools is None:
        print("  skipped: pass --adr-tools DIR (a checkout of npryce/adr-tools; its src/ holds")
        print("  the bash scripts) to compare `adr generate toc` and `adr list`.")
    elif not (args.adr_tools / "src" / "adr").is_file():
        print(f"  skipped: {args.adr_tools}/src/adr not found")
    else:
        print(HEADER)
        for row in adr_tools_rows(args.adr_tools, sizes, runs, args.adr_tools_max):
            print(fmt_row(row, None))
        if max(sizes) >= 10_000:
            for row in adr_tools_startup_rows(args.adr_tools, runs):
                print(fmt_row(row, None))

    print(f"\ngit: one-pass git log vs iter_commits ({commits:,} commits, git_history.py):")
    if args.skip_git:
        print("  skipped (--skip-git)")
    else:
        history = HERE / "git_history.py"
        result = subprocess.run(
            [PYTHON, str(history), "--commits", str(commits), "--runs", str(runs)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        out = (result.stdout + result.stderr).strip() or "(no output)"
        for line in out.splitlines():
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
