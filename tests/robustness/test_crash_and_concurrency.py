"""Crash safety (SIGKILL at random moments: the target is the old or the new file, never
a mix; stale temp files go away on the next write) and concurrent writers (no number
taken twice, no file lost, no edit lost, a valid index)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from harness import ADR, adr, git_env

from adr_tool.records.store import STALE_TEMP_SECONDS, TEMP_PREFIX

TRIALS = 100
SIZE = 256 * 1024  # big enough that a kill often lands inside a write

# Each child warms up first (its imports, a first write, the page cache), then times one
# round of its loop and prints "ready SECONDS". The parent kills it at a random moment
# within a few rounds of that figure, so the kills land inside the loop's writes however
# loaded the machine is, never during the child's start-up.
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from adr_tool.records.store import atomic_write
    target, size = Path(sys.argv[1]), int(sys.argv[2])
    i = int(target.read_text().split()[1])
    def write():
        global i
        i += 1
        atomic_write(target, f"version {i}\\n" + "x" * size + f"\\nend {i}\\n")
    write()
    start = time.perf_counter()
    write()
    print("ready", time.perf_counter() - start, i, flush=True)
    while True:
        write()
    """
)

EDITOR = textwrap.dedent(
    """
    import os, sys, time
    from adr_tool.cli import cli
    root, ready = sys.argv[1], sys.stdout
    sys.stdout = open(os.devnull, "w")  # what the commands print: only "ready" goes out
    def edit(*args):
        cli.main(["-C", root, "--no-cache", *args], standalone_mode=False)
    edit("accept", "2", "--force")  # the warm-up: every import an edit needs
    start = time.perf_counter()
    edit("status", "2", "proposed", "--force")
    print("ready", 2 * (time.perf_counter() - start), file=ready, flush=True)
    while True:
        edit("accept", "2", "--force")
        edit("status", "2", "proposed", "--force")
    """
)


def complete(text: str, size: int) -> bool:
    """Whether ``text`` is one whole version written by WRITER."""
    lines = text.split("\n")
    if len(lines) != 4 or not lines[0].startswith("version ") or lines[3] != "":
        return False
    number = lines[0].split()[1]
    return lines[1] == "x" * size and lines[2] == f"end {number}"


def kill_at_random(
    args: list[str], env: dict[str, str], rng: random.Random, rounds: float
) -> list[str]:
    """Start ``args``, wait for its "ready SECONDS ...", SIGKILL it within ``rounds``
    rounds of its loop; return what it said when ready."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    ready = proc.stdout.readline().split()
    if ready[:1] == [b"ready"]:
        time.sleep(rng.uniform(0, rounds * float(ready[1])))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    errors = proc.stderr.read() if proc.stderr else b""
    if proc.stderr is not None:
        proc.stderr.close()
    assert ready[:1] == [b"ready"], (ready, errors)
    return [word.decode() for word in ready]


def age_temp_files(folder: Path) -> list[Path]:
    """Make leftovers look old enough to be a dead writer's (the cleanup's threshold)."""
    stale = list(folder.glob(TEMP_PREFIX + "*"))
    past = time.time() - STALE_TEMP_SECONDS - 60
    for path in stale:
        os.utime(path, (past, past))
    return stale


@pytest.mark.slow
def test_sigkill_during_atomic_write_leaves_old_or_new(tmp_path: Path) -> None:
    rng = random.Random(9)
    env = git_env(tmp_path)
    target = tmp_path / "0002-target.md"
    target.write_text(f"version 0\n{'x' * SIZE}\nend 0\n")
    moved = 0
    for _ in range(TRIALS):
        ready = kill_at_random(
            [sys.executable, "-c", WRITER, str(target), str(SIZE)], env, rng, rounds=4
        )
        text = target.read_text()
        assert complete(text, SIZE), text[:40] + " ... " + text[-40:]
        moved += int(text.split()[1]) > int(ready[2])
    assert moved > TRIALS // 2, moved  # most kills landed after the loop had written
    left = age_temp_files(tmp_path)
    from adr_tool.records.store import atomic_write

    atomic_write(target, "version 1\n" + "x" * SIZE + "\nend 1\n")  # the next run
    assert not list(tmp_path.glob(TEMP_PREFIX + "*")), left
    print(f"atomic_write: {TRIALS} SIGKILLs, {len(left)} temp files left and cleaned")


@pytest.mark.slow
def test_sigkill_during_status_edits_leaves_a_whole_record(tmp_path: Path) -> None:
    rng = random.Random(11)
    env = git_env(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
    assert adr(repo, "init", env=env).returncode == 0
    made = adr(repo, "new", "Crash me", "--no-edit", env=env)
    assert made.returncode == 0, made.stderr
    record = repo / made.stdout.strip()
    body = record.read_text().split("---\n", 2)[2]
    versions = set()
    for _ in range(TRIALS):
        kill_at_random([sys.executable, "-c", EDITOR, str(repo)], env, rng, rounds=1.5)
        text = record.read_text()
        head, rest = text.split("---\n", 2)[1:]
        assert rest == body, text  # the body survives every kill, byte for byte
        status = [line for line in head.splitlines() if line.startswith("status:")]
        assert status in (["status: accepted"], ["status: proposed"]), text
        versions.add(status[0])
    assert len(versions) == 2
    left = age_temp_files(record.parent)
    # --force: the template record has no rationale yet (the accept gate is tested elsewhere)
    for args in (("accept", "2", "--force"), ("status", "2", "proposed", "--force")):
        assert adr(repo, *args, env=env).returncode == 0
    assert not list(record.parent.glob(TEMP_PREFIX + "*"))
    assert adr(repo, "check", "--format", "json", env=env).returncode in (0, 1)
    print(f"adr status: {TRIALS} SIGKILLs, {len(left)} temp files left and cleaned")


def spawn_all(
    repo: Path, commands: list[list[str]], env: dict[str, str]
) -> list[tuple[int, str, str]]:
    procs = [
        subprocess.Popen(
            [*ADR, *args],
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        out.append((proc.returncode, stdout, stderr))
    return out


@pytest.fixture
def repo_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = git_env(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
    assert adr(repo, "init", env=env).returncode == 0
    return repo, env


@pytest.mark.slow
@pytest.mark.parametrize("writers", [8, 32])
def test_concurrent_new_takes_distinct_numbers(
    repo_env: tuple[Path, dict[str, str]], writers: int
) -> None:
    repo, env = repo_env
    results = spawn_all(repo, [["new", f"Parallel {i}", "--no-edit"] for i in range(writers)], env)
    assert all(code == 0 for code, _, _ in results), [r for r in results if r[0]]
    paths = [repo / stdout.strip() for _, stdout, _ in results]
    numbers = sorted(int(p.name[:4]) for p in paths)
    assert numbers == list(range(2, writers + 2))
    folder = repo / "docs" / "decisions"
    records = sorted(p.name for p in folder.glob("0*.md"))
    assert len(records) == writers + 1
    titles = {
        json.dumps(r["title"])
        for r in json.loads(adr(repo, "list", "--format", "json", env=env).stdout)
    }
    assert titles >= {json.dumps(f"Parallel {i}") for i in range(writers)}
    assert not list(folder.glob(TEMP_PREFIX + "*"))


@pytest.mark.slow
def test_concurrent_accepts_on_different_records_all_survive(
    repo_env: tuple[Path, dict[str, str]],
) -> None:
    repo, env = repo_env
    for i in range(8):
        assert adr(repo, "new", f"Record {i}", "--no-edit", env=env).returncode == 0
    results = spawn_all(repo, [["accept", str(n), "--force"] for n in range(2, 10)], env)
    assert all(code == 0 for code, _, _ in results), results
    listed = json.loads(adr(repo, "list", "--format", "json", env=env).stdout)
    assert {r["number"]: r["status"] for r in listed} == {n: "accepted" for n in range(1, 10)}


@pytest.mark.slow
def test_concurrent_index_writes_a_valid_index(repo_env: tuple[Path, dict[str, str]]) -> None:
    repo, env = repo_env
    for i in range(5):
        adr(repo, "new", f"Indexed {i}", "--no-edit", env=env)
    results = spawn_all(repo, [["index"]] * 8, env)
    assert all(code == 0 for code, _, _ in results), results
    assert adr(repo, "index", "--check", env=env).returncode == 0
    index = (repo / "docs" / "decisions" / "README.md").read_text()
    assert all(f"Indexed {i}" in index for i in range(5))
    assert not list((repo / "docs" / "decisions").glob(TEMP_PREFIX + "*"))


@pytest.mark.slow
def test_concurrent_links_to_one_record_lose_no_edit(
    repo_env: tuple[Path, dict[str, str]],
) -> None:
    """Eight processes add a reverse link to the same record: all eight are kept."""
    repo, env = repo_env
    for i in range(9):
        assert adr(repo, "new", f"Linked {i}", "--no-edit", env=env).returncode == 0
    commands = [
        ["--no-cache", "link", str(n), "Amends", "2", "--reverse", "Amended by"]
        for n in range(3, 11)
    ]
    results = spawn_all(repo, commands, env)
    assert all(code == 0 for code, _, _ in results), results
    shown = json.loads(adr(repo, "show", "2", "--format", "json", env=env).stdout)
    links = shown.get("links", [])
    targets = sorted(link.get("to", link.get("number")) for link in links if "Amended" in str(link))
    assert targets == list(range(3, 11)), links
