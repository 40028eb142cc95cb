"""Class 6: git output cannot forge or crash history. Author names and subjects may hold
RS, US, GS and other control bytes; the reader frames fields with NUL and validates SHAs
and timestamps, so a hostile commit can neither break a command nor invent a commit."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from support import Cli, git

FAKE = "f" * 40


def _hostile_commit(repo: Path, name: str, subject: str, path: str) -> str:
    (repo / path).write_text(subject[:10] + "\n", encoding="utf-8")
    git(repo, "add", path)
    env = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name}
    subprocess.run(
        ["git", "commit", "-q", "-m", subject, "-m", "Decision: 1"],
        cwd=repo, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return git(repo, "rev-parse", "HEAD").strip()


FORGED_NAME = f"Eve\x1e{FAKE}\x1f\x1fMallory\x1fm@x\x1f2020-01-01T00:00:00Z\x1f1\x1f\x1f"
FORGED_SUBJECT = f"Harmless\x1e{FAKE}\x1f\x1fX\x1fx@x\x1fnot-a-date\x1fNaN\x1f1\x1fforged\x1f"


def test_hostile_authors_and_subjects_neither_crash_nor_forge(project: Path, run: Cli) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "init")
    real = [
        _hostile_commit(project, FORGED_NAME, "plain subject", "a.txt"),
        _hostile_commit(project, "Ada Tester", FORGED_SUBJECT, "b.txt"),
        _hostile_commit(project, "Bob\x1d\x01\x7f", "tabs\tand \x1d GS", "c.txt"),
    ]
    logged = run("log", "1", "--format", "json")
    assert logged.exit_code == 0, logged.stderr
    entries = {c["sha"]: c for c in json.loads(logged.output)["linked_commits"]}
    shas = list(entries)
    assert FAKE not in shas and not any(s.startswith("fffffff") for s in shas)
    assert set(real) <= set(shas)
    assert entries[real[0]]["author"] == FORGED_NAME.strip()
    assert "Harmless" in entries[real[1]]["subject"]
    why = run("why", "a.txt", "--format", "json")
    assert why.exit_code == 0, why.stderr
    assert (FAKE not in why.output and "0001" in why.output) or '"number": 1' in why.output
    text = run("log", "1")
    assert text.exit_code == 0
    assert not any(line.lstrip().startswith("fffffff") for line in text.output.split("\n"))
    checked = run("check")
    assert checked.exception is None or isinstance(checked.exception, SystemExit)
    site = run("site", "--output", str(project / "_site"))
    assert site.exit_code == 0, site.stderr
