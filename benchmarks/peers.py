"""The peers of issue 19, side by side with adr in one run, on the same adr-tools corpus.

adr-tools (bash, from ``../shared/peers/adr-tools/src``), adr-log (npm) and adr-viewer and
pyadr (pip) do a part of what adr does each; this script times the part each does against
ours, alternating in one run so that both see the same machine, on a copy of the Nygard
corpus (``corpus.py``: an adr-tools layout). A peer that is not installed is skipped and
said so. Install them where the script looks::

    python3 -m venv benchmarks/.work/peers
    benchmarks/.work/peers/bin/pip install pyadr adr-viewer
    npm install --prefix benchmarks/.work/peers/node adr-log

Usage: ``python benchmarks/peers.py [--sizes 1000,10000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from run import ADR, DATE, ROOT, clean_env, timed  # noqa: E402

PEERS = HERE / ".work" / "peers"
ADR_TOOLS = ROOT.parent / "shared" / "peers" / "adr-tools" / "src"
TITLE = "Benchmark decision"

Step = Callable[[], None]


def median_of(
    argv: list[str], cwd: Path, runs: int, before: Step | None = None, after: Step | None = None
) -> tuple[float, int]:
    """Median wall seconds and the exit codes' maximum over ``runs`` fresh processes."""
    env = clean_env()
    env["PATH"] = f"{ADR_TOOLS}:{PEERS / 'node' / 'node_modules' / '.bin'}:{env['PATH']}"
    times, worst = [], 0
    for _ in range(runs):
        if before:
            before()
        elapsed, _, code, _ = timed(argv, cwd, env)
        if after:
            after()
        times.append(elapsed)
        worst = max(worst, code)
    return statistics.median(times), worst


def pairs(repo: Path, out: Path) -> list[tuple[str, list[str] | None, list[str], Step | None]]:
    """(what, the peer's command or None when it is not installed, ours, cleanup)."""
    folder = repo / "doc" / "adr"
    index = folder / "README.md"

    def drop_new() -> None:
        for path in folder.glob("*-benchmark-decision.md"):
            path.unlink()

    def drop_index() -> None:
        index.unlink(missing_ok=True)

    def drop_site() -> None:
        shutil.rmtree(out, ignore_errors=True)
        for memo in (repo / ".git" / "adr-cache").glob("site-*"):
            memo.unlink()

    adr_tools = ADR_TOOLS / "adr"
    adr_log = PEERS / "node" / "node_modules" / ".bin" / "adr-log"
    viewer = PEERS / "bin" / "adr-viewer"
    pyadr = PEERS / "bin" / "pyadr"
    have = lambda path, argv: argv if path.exists() else None  # noqa: E731
    ours_new = [*ADR, "new", TITLE, "--no-edit", "--date", DATE]
    return [
        ("help", have(adr_tools, [str(adr_tools), "help"]), [*ADR, "--help"], None),
        ("list", have(adr_tools, [str(adr_tools), "list"]), [*ADR, "list"], None),
        ("new", have(adr_tools, [str(adr_tools), "new", TITLE]), ours_new, drop_new),
        (
            "index: written afresh",
            have(adr_log, [str(adr_log), "-d", "doc/adr"]),
            [*ADR, "index"],
            drop_index,
        ),
        ("index: pyadr toc", have(pyadr, [str(pyadr), "toc"]), [*ADR, "index"], drop_index),
        (
            "site: first build",
            have(viewer, [str(viewer), "--adr-path", "doc/adr", "--output", f"{out}.html"]),
            [*ADR, "site", "-o", str(out)],
            drop_site,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    compileall.compile_dir(str(ROOT / "adr_tool"), quiet=1)
    print("| what | records | peer | peer median | ours median | peer / ours |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="adr-peers-") as scratch:
        for size in (int(s) for s in options.sizes.split(",")):
            repo = Path(scratch) / f"nygard-{size}"
            shutil.copytree(corpus.make_nygard(size), repo, symlinks=True)
            out = Path(scratch) / f"site-{size}"
            for _ in range(2):  # the parse cache and the memos, as a warm repository has them
                subprocess.run([*ADR, "list"], cwd=repo, capture_output=True, check=False)
            for what, theirs, ours, cleanup in pairs(repo, out):
                before = cleanup if what.startswith(("index", "site")) else None
                after = cleanup if what == "new" else None
                mine, _ = median_of(ours, repo, options.runs, before, after)
                if theirs is None:
                    print(f"| {what} | {size:,} | not installed | – | {mine * 1000:.0f} ms | – |")
                    continue
                runs = options.runs if size < 10_000 or "site" not in what else 1
                peer, code = median_of(theirs, repo, runs, before, after)
                name = Path(theirs[0]).name
                shown = f"{peer * 1000:.0f} ms" + (f" (exit {code})" if code else "")
                print(
                    f"| {what} | {size:,} | {name} | {shown} | {mine * 1000:.0f} ms "
                    f"| {peer / mine:.2f} |"
                )
            if (repo / "doc" / "adr" / "index.md").exists():
                (repo / "doc" / "adr" / "index.md").unlink()  # pyadr's, if it wrote one
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
