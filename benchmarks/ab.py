"""Two checkouts of adr, measured side by side in one run: the start-up and warm paths.

On a shared 2-core machine wall times move by ±20 % from one minute to the next, so two
figures taken at different times say little. This script alternates the two versions
run after run (A, B, A, B, …), each on its own copy of the corpora (each version keeps
its own parse cache and memos: one version's code stamp makes the other's stale), and
prints medians and bests of fresh ``python -m adr_tool`` processes. ``--instructions``
adds one callgrind count per command and version (deterministic, whatever the load).

Both versions run with the same interpreter and libraries (this virtualenv); only
``PYTHONPATH`` differs. Their bytecode is compiled first (the machine may set
``PYTHONDONTWRITEBYTECODE``, and an installed package never compiles at run time).

Usage: ``python benchmarks/ab.py --base DIR [--new DIR] [--runs 9] [--instructions]``,
where DIR holds a checkout (``git worktree add /tmp/base main`` makes one).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from run import clean_env  # noqa: E402

PYTHON = sys.executable
DATE = "2026-11-24"
T = TypeVar("T")
INDEX_SETTLE = 2.2  # an index younger than 2 s is judged by reading it, never by stat


class Version:
    def __init__(self, label: str, code: Path, scratch: Path) -> None:
        self.label = label
        self.code = code
        self.env = clean_env()
        self.env["PYTHONPATH"] = str(code)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.repos: dict[str, Path] = {}
        for name, source in (
            ("100", corpus.make_native(100)),
            ("10k", corpus.make_native(10_000)),
        ):
            copy = scratch / f"{label}-{name}"
            shutil.copytree(source, copy, symlinks=True)
            self.repos[name] = copy

    def argv(self, args: list[str]) -> list[str]:
        return [PYTHON, "-m", "adr_tool", *args]

    def run(self, args: list[str], repo: str) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            self.argv(args),
            cwd=self.repos[repo],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"{self.label}: adr {' '.join(args)} failed: {done.stderr!r}")
        return elapsed

    def instructions(self, args: list[str], repo: str) -> int:
        """The callgrind count of the command's own process. A forked child (the GitPython
        half of ``adr check``) is traced too and prints its own total first: only the
        line of the first process valgrind names is the command's."""
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *self.argv(args)],
            cwd=self.repos[repo],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        lines = [line for line in done.stderr.splitlines() if line.startswith("==")]
        if lines:
            main = lines[0].split("==")[1]
            for line in lines:
                if line.startswith(f"=={main}==") and "Collected :" in line:
                    return int(line.split(":")[-1])
        raise SystemExit(f"{self.label}: no callgrind total for adr {' '.join(args)}")

    def warm(self) -> None:
        """Write each index, fill the parse caches and memos, let the indexes settle."""
        for repo in self.repos:
            for args in (["index"], ["list"], ["check"], ["list"], ["check"]):
                self.run(args, repo)


def hook_file(version: Version) -> str:
    return str(sorted((version.repos["100"] / "docs" / "decisions").glob("0001-*.md"))[0])


def new_without_index(version: Version, measure: Callable[[list[str], str], T]) -> Callable[[], T]:
    """``adr new`` at 10,000 with the index moved away (nothing to refresh), undone after;
    ``measure`` is ``version.run`` (seconds) or ``version.instructions``."""
    folder = version.repos["10k"] / "docs" / "decisions"

    def run() -> T:
        index = folder / "README.md"
        away = folder.parent / "README.md.away"
        index.rename(away)
        try:
            return measure(["new", "Bench new", "--no-edit", "--date", DATE], "10k")
        finally:
            for made in folder.glob("*-bench-new.md"):
                made.unlink()
            away.rename(index)

    return run


Case = tuple[str, Callable[[], float], Callable[[], int]]


def cases(version: Version) -> list[Case]:
    """(label, one timed run, one instruction count)."""
    plain = [
        ("adr --help", ["--help"], "100"),
        ("check FILE, 100 records", ["check", hook_file(version)], "100"),
        ("check, 100 records", ["check"], "100"),
        ("list, 10,000", ["list"], "10k"),
        ("index (current), 10,000", ["index"], "10k"),
        ("check, 10,000", ["check"], "10k"),
    ]
    out: list[Case] = [
        (
            label,
            lambda a=args, r=repo: version.run(a, r),
            lambda a=args, r=repo: version.instructions(a, r),
        )
        for label, args, repo in plain
    ]
    out.append(
        (
            "new (no index), 10,000",
            new_without_index(version, version.run),
            new_without_index(version, version.instructions),
        )
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="checkout measured as A")
    parser.add_argument("--new", type=Path, default=HERE.parent, help="checkout measured as B")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--instructions", action="store_true", help="add callgrind counts")
    options = parser.parse_args()
    for code in (options.base, options.new):
        if not (code / "adr_tool" / "__init__.py").is_file():
            parser.error(f"{code}: no adr_tool package there")
        compileall.compile_dir(str(code / "adr_tool"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="adr-ab-") as scratch:
        versions = [
            Version("A", options.base.resolve(), Path(scratch)),
            Version("B", options.new.resolve(), Path(scratch)),
        ]
        for version in versions:
            version.warm()
        time.sleep(INDEX_SETTLE)
        table = {version.label: cases(version) for version in versions}
        times: dict[tuple[str, str], list[float]] = {}
        python: list[float] = []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run([PYTHON, "-c", "pass"], check=True)
            python.append(time.perf_counter() - started)
            for version in versions:
                for label, timed, _ in table[version.label]:
                    times.setdefault((label, version.label), []).append(timed())
        counts: dict[tuple[str, str], int] = {}
        if options.instructions:
            for version in versions:
                for label, _, counted in table[version.label]:
                    counts[(label, version.label)] = counted()
    load = os.getloadavg()[0]
    print(f"A = {options.base}, B = {options.new}; {options.runs} runs, load {load:.1f} at the end")
    print(f"python -c pass: median {statistics.median(python) * 1000:.0f} ms")
    print("| operation | A median / best ms | B median / best ms | B/A | instructions A → B |")
    print("| --- | ---: | ---: | ---: | --- |")
    for label, _, _ in table["A"]:
        a, b = times[(label, "A")], times[(label, "B")]
        ratio = statistics.median(b) / statistics.median(a)
        count = ""
        if (label, "A") in counts:
            count = f"{counts[(label, 'A')] / 1e6:.0f} M → {counts[(label, 'B')] / 1e6:.0f} M"
        print(
            f"| {label} | {statistics.median(a) * 1000:.0f} / {min(a) * 1000:.0f} "
            f"| {statistics.median(b) * 1000:.0f} / {min(b) * 1000:.0f} | {ratio:.2f} | {count} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
