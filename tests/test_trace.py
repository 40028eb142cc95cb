"""``adr log``, ``adr why``, dates from history and commit counts, in real repositories."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from adr_tool.config import discover
from adr_tool.git import log as git_log
from adr_tool.publish import trace
from adr_tool.records.store import Store
from support import Cli, git

RECORD_2 = "docs/decisions/0002-store-orders-in-postgresql.md"


def commit(repo: Path, message: str, files: dict[str, str] | None = None, when: str = "") -> str:
    for name, text in (files or {}).items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        git(repo, "commit", "-q", "--allow-empty", "-m", message)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def history_repo(project: Path, run: Cli) -> dict[str, str]:
    """Records 1-3 (3 supersedes 2) and a small history linked by trailers."""
    for title in ("Store orders in PostgreSQL", "Store orders in DynamoDB"):
        args = ["new", title, "--no-edit", "--date", "2026-11-24"]
        args += ["--tradeoff", "performance-vs-development-speed=development-speed"]
        assert run(*args).exit_code == 0
    assert run("supersede", "2", "3").exit_code == 0
    shas = {"records": commit(project, "Add records", when="2026-01-01T10:00:00Z")}
    shas["store"] = commit(
        project,
        "Store orders\n\nDecision: ADR-0002",
        {"src/orders/store.py": "def save():\n    pass\n" * 8},
        when="2026-01-02T10:00:00Z",
    )
    git(project, "mv", "src/orders/store.py", "src/orders/repository.py")
    shas["rename"] = commit(project, "Rename store", when="2026-01-03T10:00:00Z")
    shas["tune"] = commit(
        project,
        "Tune\n\nSee Decision: 1 in the body, not a trailer.\n\nDecision: 0003",
        {"src/orders/repository.py": "def save():\n    pass\n" * 8 + "# tuned\n"},
        when="2026-01-04T10:00:00Z",
    )
    shas["other"] = commit(
        project, "Other work", {"src/billing.py": "x = 1\n"}, when="2026-01-05T10:00:00Z"
    )
    return shas


def test_log_lists_trailers_explicit_commits_and_record_changes(
    project: Path, run: Cli, history_repo: dict[str, str]
) -> None:
    record = project / RECORD_2
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace("status:", f"commits: ['{history_repo['other'][:10]}']\nstatus:", 1), "utf-8"
    )
    commit(project, "Link record 2", when="2026-01-06T10:00:00Z")
    result = run("log", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "0002. Store orders in PostgreSQL"
    subjects = [line.split("  ")[3] for line in lines[1:]]
    assert subjects == ["Link record 2", "Other work", "Store orders", "Add records"]
    assert lines[1].endswith("[record file]")
    assert lines[2].endswith("[explicit]")
    assert lines[3].startswith(history_repo["store"][:7] + "  2026-01-02  Ada Tester  ")
    assert lines[3].endswith("[trailer]")
    data = json.loads(run("log", "2", "--format", "json").output)
    assert data["number"] == 2
    assert [c["via"] for c in data["linked_commits"]] == [
        ["record file"],
        ["explicit"],
        ["trailer"],
        ["record file"],
    ]
    assert data["linked_commits"][2]["sha"] == history_repo["store"]


def test_log_of_a_missing_record(project: Path, run: Cli, history_repo: dict[str, str]) -> None:
    result = run("log", "42")
    assert result.exit_code == 1
    assert "no such record: 0042" in result.stderr
    assert "Traceback" not in result.output


def test_why_follows_renames_and_points_at_the_successor(
    project: Path, run: Cli, history_repo: dict[str, str]
) -> None:
    result = run("why", "src/orders/repository.py")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("0003  proposed  Store orders in DynamoDB") < out.index("0002  superseded")
    assert "superseded by 0003 Store orders in DynamoDB (proposed)" in out
    assert "favours development-speed over performance" in out
    assert history_repo["store"][:7] in out  # the commit made under the old name
    assert "0001" not in out  # named only in the body of a message
    assert "Other work" not in out
    folder = json.loads(run("why", "src", "--format", "json").output)
    assert [d["number"] for d in folder] == [3, 2]
    assert folder[1]["successors"] == [
        {"number": 3, "title": "Store orders in DynamoDB", "status": "proposed"}
    ]
    assert folder[1]["linked_commits"][0]["sha"] == history_repo["store"]


def test_why_links_explicit_commits_and_missing_records(project: Path, run: Cli) -> None:
    sha = commit(project, "Add lib", {"lib/a.py": "a"}, when="2026-02-01T00:00:00Z")
    commit(project, "Touch lib\n\nDecision: 77", {"lib/a.py": "b"}, when="2026-02-02T00:00:00Z")
    record = project / "docs/decisions/0001-record-architecture-decisions.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("status:", f"commits: [{sha}]\nstatus:", 1), "utf-8")
    result = run("why", "lib/a.py")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "0077  (no such record)"
    assert "0001  accepted  Record architecture decisions" in result.output
    assert "Add lib" in result.output


def test_why_of_an_unknown_path(project: Path, run: Cli) -> None:
    commit(project, "Init")
    result = run("why", "no/such/file.py")
    assert result.exit_code == 1
    assert "no commit ever touched it" in result.stderr


def test_dates_and_authors_come_from_git_when_missing(project: Path, run: Cli) -> None:
    path = project / "docs/decisions/0002-undated.md"
    path.write_text("---\nstatus: accepted\n---\n# Undated\n", encoding="utf-8")
    commit(project, "Add undated", when="2025-05-06T07:08:09Z")
    listed = json.loads(run("list", "--format", "json").output)
    assert listed[1]["date"] == "2025-05-06"
    assert listed[0]["date"] == "2026-11-24"  # front matter wins
    shown = run("show", "2").output
    assert "status: accepted    date: 2025-05-06" in shown
    assert "author: Ada Tester" in shown
    assert json.loads(run("show", "2", "--format", "json").output)["author"] == "Ada Tester"
    settings = discover(project)
    history = git_log.read_history(project, paths=[str(settings.directory)])
    filled = trace.fill_from_history(Store(settings).load_all(), history)
    assert (filled[1].date, filled[1].author) == ("2025-05-06", "Ada Tester")


def test_commit_counts_and_records_without_commits(
    project: Path, history_repo: dict[str, str]
) -> None:
    decisions = Store(discover(project)).load_all()
    history = git_log.read_history(project, linked_only=True)
    assert trace.commit_counts(decisions, history) == {1: 0, 2: 1, 3: 1}


def test_outside_git(tmp_path: Path) -> None:
    run = Cli(tmp_path)
    assert run("init", "--date", "2026-11-24").exit_code == 0
    result = run("log", "1")
    assert result.exit_code == 3
    assert result.stderr.strip().startswith("adr: error: not inside a git repository")
    assert run("why", ".").exit_code == 3
    listed = run("list")
    assert listed.exit_code == 0 and "Record architecture decisions" in listed.output


def test_repository_without_commits(project: Path, run: Cli) -> None:
    result = run("log", "1")
    assert result.exit_code == 0
    assert "adr: note: the repository has no commits yet" in result.stderr
    assert "no linked commits" in result.output


def test_shallow_clone_notes_the_partial_history(
    project: Path, history_repo: dict[str, str], tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{project}", str(clone))
    result = Cli(clone)("log", "3")
    assert result.exit_code == 0, result.output
    assert "git fetch --unshallow" in result.stderr
    lines = result.output.splitlines()[1:]
    assert [line.split("  ")[3:] for line in lines] == [["Tune", "[trailer]"]]


def test_index_gets_the_commit_counts(
    project: Path, run: Cli, history_repo: dict[str, str]
) -> None:
    # the committed index depends on the files only: trailers do not make it stale
    assert run("index").exit_code == 0
    index = (project / "docs/decisions/README.md").read_text(encoding="utf-8")
    assert "commits |" not in index
    assert run("index", "--check").exit_code == 0
    # a published copy may count the trailers from history
    assert run("index", "--history", "--output", "published.md").exit_code == 0
    published = (project / "published.md").read_text(encoding="utf-8")
    assert "commits |" in published
