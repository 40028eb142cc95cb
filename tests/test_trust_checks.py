"""Trust II: the hook judges the index, one trailer parser, number clashes before the
merge, hand-written supersession cycles and repeated axes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXED_DATE, Cli, git

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
GOOD = (FIXTURES / "ADR004" / "good" / "0001-store-orders.md").read_text(encoding="utf-8")
NO_RATIONALE = (FIXTURES / "ADR004" / "bad" / "0001-store-orders.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
RECORD = "docs/decisions/0002-store-orders.md"


def hook_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_") or "_NAME" in k or "_EMAIL" in k
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["ADR_DATE"] = FIXED_DATE
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def commit_with_hooks(project: Path, message: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` as a user runs it, with the hooks adr installed."""
    return subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=project,
        env=hook_env(),
        capture_output=True,
        text=True,
    )


# --- 2: the hook checks what will be committed ------------------------------------------


def test_check_staged_judges_the_index_not_the_working_tree(project: Path, run: Cli) -> None:
    assert run("index").exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    record = project / RECORD
    record.write_text(NO_RATIONALE, encoding="utf-8")
    assert run("index").exit_code == 0
    git(project, "add", "-A")
    record.write_text(GOOD, encoding="utf-8")  # fixed only in the working tree
    assert run("index").exit_code == 0
    assert run("check").exit_code == 0  # the working tree is fine ...
    staged = run("check", "--staged", "--format", "json")
    assert staged.exit_code == 1  # ... but the commit would not be
    codes = {(f["path"], f["code"]) for f in json.loads(staged.output)}
    assert (RECORD, "ADR004") in codes
    assert record.read_text(encoding="utf-8") == GOOD  # never touched
    # the other way round: a good staged record passes although the working copy is bad
    git(project, "add", "-A")
    record.write_text(NO_RATIONALE, encoding="utf-8")
    passed = run("check", "--staged")
    assert passed.exit_code == 0, passed.output
    assert passed.output.endswith("All checks passed (2 records checked).\n")


def test_native_hook_refuses_a_record_fixed_only_in_the_working_tree(
    project: Path, run: Cli
) -> None:
    assert run("hook", "install").exit_code == 0
    hook = (project / ".git/hooks/pre-commit").read_text()
    assert "from adr_tool.__main__ import main; main()' check --staged" in hook
    assert run("index").exit_code == 0
    git(project, "add", "-A")
    first = commit_with_hooks(project, "start")
    assert first.returncode == 0, first.stderr
    record = project / RECORD
    record.write_text(NO_RATIONALE, encoding="utf-8")
    assert run("index").exit_code == 0
    git(project, "add", "-A")
    record.write_text(GOOD, encoding="utf-8")
    assert run("index").exit_code == 0  # the index in the working tree matches GOOD
    git(project, "add", "docs/decisions/README.md")
    refused = commit_with_hooks(project, "orders")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert f"{RECORD}:17:1: ADR004 missing rationale" in output
    assert "All checks passed" not in output
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"
    git(project, "add", "-A")
    allowed = commit_with_hooks(project, "orders")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_the_staged_check_judges_coverage_and_scopes_over_the_staged_files(
    project: Path, run: Cli
) -> None:
    """With ``index: {coverage: true}`` the index counts the tracked files: the staged
    check reads them from git's index (its copy of the folder is not a repository), so
    a current index passes the hook, and the scope rules run there as in a full check."""
    config = project / ".adr.yaml"
    config.write_text(config.read_text() + "index: {coverage: true}\n", encoding="utf-8")
    (project / "src").mkdir()
    (project / "src" / "a.py").write_text("x = 1\n", encoding="utf-8")
    scoped = GOOD.replace("---\n", "---\nscope: ['src/**', 'gone/**']\n", 1)
    (project / RECORD).write_text(scoped, encoding="utf-8")
    git(project, "add", "-A")
    assert run("index").exit_code == 0
    assert "| `src/` | 100% |" in (project / "docs/decisions/README.md").read_text()
    git(project, "add", "-A")
    full = run("check", "--format", "json")
    staged = run("check", "--staged", "--format", "json")
    assert staged.exit_code == full.exit_code == 0, staged.output
    expected = [(RECORD, "ADR020", "scope pattern 'gone/**' matches no tracked file")]
    for result in (full, staged):
        found = [(f["path"], f["code"], f["message"][:47]) for f in json.loads(result.output)]
        assert found == expected
    assert run("hook", "install").exit_code == 0
    done = commit_with_hooks(project, "orders")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"


# --- 3: one trailer parser --------------------------------------------------------------

SCISSORS = "# ------------------------ >8 ------------------------\n"
MESSAGES = [
    ("prose then trailer in one paragraph", "Move writes\n\nWe chose this.\nDecision: 7\n", []),
    ("trailer block", "Move writes\n\nWhy.\n\nDecision: 7\n", ["7"]),
    (
        "several trailers",
        "Move writes\n\nDecision: 7\nDecision: 8\nSigned-off-by: A <a@b.c>\n",
        ["7", "8"],
    ),
    ("ADR- spelling", "Move writes\n\nDecision: ADR-7\n", ["ADR-7"]),
    ("lower-case key", "Move writes\n\ndecision: 0007, 8\n", ["0007, 8"]),
    ("mentioned in the body", "Move writes\n\nDecision: 3 is why.\n\nCloses: #4\n", []),
    (
        "comment lines",
        "Move writes\n\nDecision: 7\n# Decision: 9\n# Please enter a message\n",
        ["7"],
    ),
    (
        "scissors of commit -v",
        f"Move writes\n\nDecision: 7\n{SCISSORS}# Keep.\ndiff --git a/x b/x\n+Decision: 9\n",
        ["7"],
    ),
]


@pytest.mark.parametrize(("name", "message", "values"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_the_guard_reads_trailers_as_git_does(
    repo: Path, name: str, message: str, values: list[str]
) -> None:
    from adr_tool.checks.guard import message_trailers
    from adr_tool.git.log import read_history

    assert message_trailers(message, "Decision", repo) == values
    if "#" in message:
        return  # git commit strips comments before they reach history
    (repo / "f.txt").write_text(name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--cleanup=verbatim", "-m", message)
    refs = read_history(repo).commits[0].refs
    parsed = [int(v.split("-")[-1]) for value in values for v in value.split(",")]
    assert list(refs) == parsed  # adr log sees exactly what the guard accepted


def test_the_guard_refuses_a_trailer_git_does_not_see(tmp_path: Path) -> None:
    from adr_tool.checks.guard import commit_msg_problem
    from adr_tool.config import Settings

    settings = Settings(
        root=tmp_path,
        directory=tmp_path / "d",
        index=tmp_path / "d/README.md",
        guard_paths=("src/**",),
    )
    problem = commit_msg_problem(settings, MESSAGES[0][1], ["src/a.py"], {7})
    assert problem is not None and "no 'Decision:' trailer" in problem
    assert commit_msg_problem(settings, MESSAGES[1][1], ["src/a.py"], {7}) is None


# --- 4: number clashes are caught before the merge --------------------------------------


def test_check_base_reports_a_number_the_base_took_meanwhile(project: Path, run: Cli) -> None:
    from adr_tool.checks.clashes import number_clashes
    from adr_tool.config import discover
    from adr_tool.records.store import Store

    config = project / ".adr.yaml"  # both branches would rewrite the index: no merge conflict
    config.write_text(config.read_text(encoding="utf-8") + "index: {auto: false}\n")
    assert run("index").exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    git(project, "checkout", "-q", "-b", "feature")
    assert run("new", "Use Kafka", "--no-edit", "--date", FIXED_DATE).exit_code == 0
    assert (
        run("new", "Partition by tenant", "--no-edit", "-l", "2:Refines:Refined by").exit_code == 0
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "feature records")
    git(project, "checkout", "-q", "main")
    assert run("new", "Use Postgres", "--no-edit", "--date", FIXED_DATE).exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "main record")
    git(project, "checkout", "-q", "feature")
    plain = json.loads(run("check", "--format", "json").output)
    assert [f for f in plain if f["code"] == "ADR017"] == []  # green on its own ...
    result = run("check", "--base", "main")
    assert result.exit_code == 1  # ... but not against what it merges into
    line = next(x for x in result.output.splitlines() if "ADR017" in x)
    assert line == (
        "docs/decisions/0002-use-kafka.md:1:1: ADR017 number 0002 is also taken on main by "
        "0002-use-postgres.md: the merge would give two records 0002; move this one to 0004 "
        "(the next number free on both sides) with 'adr renumber --base main'"
    )
    assert "ADR017" in run("check", "--diff", "main").output
    clashes = number_clashes(discover(project), Store(discover(project)).load_all(), "main")
    assert [(c.decision.path.name, c.theirs, c.next_free) for c in clashes] == [
        ("0002-use-kafka.md", "0002-use-postgres.md", 4)
    ]
    fixed = run("renumber", "--base", "main")
    assert fixed.exit_code == 0, fixed.stderr
    folder = project / "docs/decisions"
    assert (folder / "0004-use-kafka.md").is_file()
    assert "to: 4" in (folder / "0003-partition-by-tenant.md").read_text()
    assert [x for x in run("check", "--base", "main").output.splitlines() if "ADR017" in x] == []
    assert run("index").exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "renumber before merging")
    git(project, "merge", "-q", "--no-edit", "main")
    numbers = sorted(p.name[:4] for p in folder.glob("0*.md"))
    assert numbers == ["0001", "0002", "0003", "0004"]


# --- 10: supersession cycles written by hand, one axis twice ----------------------------


def test_check_reports_a_hand_written_cycle_and_a_repeated_axis(project: Path, run: Cli) -> None:
    folder = project / "docs/decisions"
    for number, older, newer in ((2, 4, 3), (3, 2, 4), (4, 3, 2)):  # 2 ← 3 ← 4 ← 2
        (folder / f"000{number}-r{number}.md").write_text(
            f"---\nstatus: superseded\nsupersedes: [{older}]\n"
            f"superseded-by: [{newer}]\n---\n# R{number}\n"
        )
    (folder / "0005-twice.md").write_text(
        "---\nstatus: proposed\ntradeoffs:\n"
        "  - {axis: scalability-vs-simplicity, favours: simplicity, cost: one node}\n"
        "  - {axis: scalability-vs-simplicity, favours: scalability, cost: more nodes}\n"
        "---\n# Twice\n"
    )
    findings = json.loads(run("check", "--format", "json").output)
    cycles = [
        (f["path"].rsplit("/", 1)[-1], f["message"]) for f in findings if f["code"] == "ADR018"
    ]
    ring = "supersession cycle 0002 → 0003 → 0004 → 0002"
    assert [name for name, _ in cycles] == ["0002-r2.md", "0003-r3.md", "0004-r4.md"]
    assert all(message.startswith(ring) for _, message in cycles)
    twice = [f for f in findings if f["code"] == "ADR019"]
    assert [(f["path"], f["line"]) for f in twice] == [("docs/decisions/0005-twice.md", 3)]
    assert "appears twice" in twice[0]["message"]
    assert {f["code"] for f in findings} <= {"ADR012", "ADR018", "ADR019"}


def test_index_and_check_agree_on_the_day_the_index_is_written_for(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index lists the reviews already due, so it is written for a day: ADR_DATE
    when set, else today, for ``adr index`` and for the stale-index rule alike.
    ``--today`` only moves the day review-by dates are judged against."""
    due = GOOD.replace("---\n", "---\nreview-by: 2099-01-15\n", 1)
    (project / RECORD).write_text(due, encoding="utf-8")
    assert run("index").exit_code == 0
    index_text = (project / "docs/decisions/README.md").read_text()
    assert "Review date passed" not in index_text
    later = run("check", "--today", "2099-02-01", "--format", "json")
    codes = [(f["path"], f["code"]) for f in json.loads(later.output)]
    assert codes == [(RECORD, "ADR014")], later.output  # the review, not a stale index
    monkeypatch.setenv("ADR_DATE", "2099-02-01")
    assert "up to date" not in run("index", "--check").output
    assert run("index").exit_code == 0
    assert (
        "Review date passed (as of 2099-02-01)"
        in (project / "docs/decisions/README.md").read_text()
    )
    assert "up to date" in run("index", "--check").output
    codes = [(f["path"], f["code"]) for f in json.loads(run("check", "--format", "json").output)]
    assert codes == [(RECORD, "ADR014")]
    monkeypatch.setenv("ADR_DATE", "someday")
    bad = run("index")
    assert bad.exit_code == 2 and "ADR_DATE: 'someday' is not a date" in bad.stderr


def test_a_hand_written_readme_in_an_adr_tools_folder_is_not_a_stale_index(
    tmp_path: Path, run: Cli
) -> None:
    """adr-tools folders often keep a README of their own at the place the index would
    go: ``adr check`` does not call it stale (``adr index`` would refuse to replace
    it), and ``adr index --check`` says what ``adr index`` says, with exit 2."""
    folder = tmp_path / "doc" / "adr"
    folder.mkdir(parents=True)
    (tmp_path / ".adr-dir").write_text("doc/adr\n", encoding="utf-8")
    (folder / "0001-use-x.md").write_text(
        "# 1. Use X\n\nDate: 2018-03-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n"
        "## Decision\n\nWe will use X because it keeps the build simple.\n",
        encoding="utf-8",
    )
    readme = folder / "README.md"
    readme.write_text("# Our decisions\n\nSee the records below.\n", encoding="utf-8")
    checked = run("check", "--format", "json", cwd=tmp_path)
    assert checked.exit_code == 0, checked.output
    assert [f["code"] for f in json.loads(checked.output)] == ["ADR005"]
    for argv in (("index", "--check"), ("index",)):
        refused = run(*argv, cwd=tmp_path)
        assert refused.exit_code == 2
        assert "doc/adr/README.md exists and was not written by 'adr index'" in refused.stderr
    assert readme.read_text(encoding="utf-8") == "# Our decisions\n\nSee the records below.\n"


def test_the_native_hook_never_runs_a_repositorys_own_adr_tool(project: Path, run: Cli) -> None:
    """Git runs a hook in the top of the working tree; ``python -m adr_tool`` would have
    imported a repository's ``adr_tool/`` from there instead of the installed adr."""
    fake = project / "adr_tool"
    fake.mkdir()
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "__main__.py").write_text('print("PWNED")\nraise SystemExit(0)\n', encoding="utf-8")
    assert run("index").exit_code == 0
    assert run("hook", "install", "--commit-msg").exit_code == 0
    git(project, "add", "-A")
    done = commit_with_hooks(project, "start")
    assert "PWNED" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"
