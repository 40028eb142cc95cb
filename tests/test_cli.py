"""CLI wiring for init / new / list / show / edit: exit codes, messages, files on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adr_tool.records.formats import read
from support import FIXED_DATE, Cli


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_init_writes_config_folder_first_record(project: Path, run: Cli) -> None:
    first = project / "docs" / "decisions" / "0001-record-architecture-decisions.md"
    decision = read(first)
    assert decision.status == "accepted"
    assert decision.date == FIXED_DATE
    assert decision.tradeoffs[0].cost
    assert (project / ".adr.yaml").read_text().startswith("# Settings for `adr`")


def test_init_refuses_to_overwrite(project: Path, run: Cli) -> None:
    before = files(project)
    result = run("init")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("adr: error: .adr.yaml already exists")
    assert len(result.stderr.strip().splitlines()) == 1
    assert files(project) == before


def test_init_refuses_a_folder_that_holds_records(repo: Path, run: Cli) -> None:
    folder = repo / "docs" / "decisions"
    folder.mkdir(parents=True)
    (folder / "0001-mine.md").write_text("# Mine\n")
    result = run("init")
    assert result.exit_code == 1
    assert "already holds records" in result.stderr
    assert not (repo / ".adr.yaml").exists()
    assert (folder / "0001-mine.md").read_text() == "# Mine\n"


def test_init_korean(repo: Path, run: Cli) -> None:
    assert run("init", "--lang", "ko", "--date", FIXED_DATE).exit_code == 0
    result = run("new", "캐시 전략", "--no-edit", "--date", FIXED_DATE)
    assert result.output.strip() == "docs/decisions/0002-캐시-전략.md"
    text = (repo / "docs" / "decisions" / "0002-캐시-전략.md").read_text()
    assert "## 결정 결과" in text


def test_new_prints_path_and_marks_superseded(project: Path, run: Cli) -> None:
    result = run("new", "Use", "MySQL", "--no-edit", "--date", FIXED_DATE)
    assert result.exit_code == 0, result.output
    # created accepted, the new record retires the old one at once (a proposal would not)
    args = ["--supersedes", "2", "--status", "accepted", "Use PostgreSQL"]
    result = run("new", *args, "--no-edit", "--date", FIXED_DATE)
    assert result.output == "docs/decisions/0003-use-postgresql.md\n"
    shown = json.loads(run("show", "2", "--format", "json").output)
    assert shown["status"] == "superseded"
    assert shown["superseded_by"] == [3]
    assert shown["resolved_links"] == [{"rel": "Superseded by", "to": 3, "title": "Use PostgreSQL"}]
    text = run("show", "3").output
    assert "Supersedes: 0002. Use MySQL" in text


def test_new_with_link_and_reverse(project: Path, run: Cli) -> None:
    result = run("new", "-l", "1:Amends:Amended by", "Shorter records", "--no-edit")
    assert result.exit_code == 0, result.output
    assert json.loads(run("show", "1", "--format", "json").output)["links"] == [
        {"rel": "Amended by", "to": 2}
    ]
    assert json.loads(run("show", "2", "--format", "json").output)["links"] == [
        {"rel": "Amends", "to": 1}
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["new", "--no-edit"], 2, "a title is required"),
        (
            ["new", "X", "--tradeoff", "performance-vs-dev-speed=performance", "--no-edit"],
            2,
            "did you mean 'performance-vs-development-speed'?",
        ),
        (
            ["new", "X", "--tradeoff", "scalability-vs-simplicity=simple", "--no-edit"],
            2,
            "did you mean 'simplicity'?",
        ),
        (["new", "X", "--tradeoff", "nonsense", "--no-edit"], 2, "expected AXIS=SIDE"),
        (["new", "X", "--status", "acepted", "--no-edit"], 2, "did you mean 'accepted'?"),
        (["new", "X", "--supersedes", "9", "--no-edit"], 1, "no record numbered 9"),
        (["new", "X", "--link", "1-Amends", "--no-edit"], 2, "expected N:REL"),
        (["new", "X", "--template", "fancy", "--no-edit"], 2, "unknown template 'fancy'"),
        (["new", "X", "--date", "24/11/2026", "--no-edit"], 2, "not a date"),
        (["show", "42"], 1, "no record numbered 42"),
        (["edit", "42"], 1, "no record numbered 42"),
    ],
)
def test_errors_are_one_line_and_leave_no_file(
    project: Path, run: Cli, args: list[str], code: int, message: str
) -> None:
    before = files(project)
    result = run(*args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("adr: error: ")
    assert message in lines[0]
    assert files(project) == before


def test_unreadable_config_is_a_config_error(project: Path, run: Cli) -> None:
    (project / ".adr.yaml").write_text("directory: [unclosed\n")
    result = run("list")
    assert result.exit_code == 2
    assert "not valid YAML" in result.stderr and ".adr.yaml" in result.stderr


def test_list_filters_and_json(project: Path, run: Cli) -> None:
    run(
        "new",
        "Cache pages",
        "--tradeoff",
        "performance-vs-development-speed=performance",
        "--tag",
        "cache",
        "--no-edit",
        "--date",
        FIXED_DATE,
    )
    text = run("list").output.splitlines()
    assert text[1] == (
        "0002  proposed    2026-11-24  Cache pages  [performance > development-speed]"
    )
    assert [
        d["number"] for d in json.loads(run("list", "--tag", "cache", "--format", "json").output)
    ] == [2]
    assert (
        json.loads(run("list", "--status", "accepted", "--format", "json").output)[0]["number"] == 1
    )
    listed = json.loads(
        run("list", "--axis", "performance-vs-development-speed", "--format", "json").output
    )
    assert [d["title"] for d in listed] == ["Cache pages"]
    for key in (
        "number",
        "title",
        "status",
        "date",
        "path",
        "tags",
        "tradeoffs",
        "supersedes",
        "superseded_by",
        "links",
    ):
        assert key in listed[0]
    assert listed[0]["path"] == "docs/decisions/0002-cache-pages.md"


def test_list_tag_and_axis_repeat_as_any_of_them(project: Path, run: Cli) -> None:
    """Like --status, a repeated --tag or --axis keeps the records with any of them (a
    second value used to replace the first without a word)."""
    for title, tag, axis in (
        ("Api", "api", "performance-vs-development-speed=performance"),
        ("Ops", "ops", "scalability-vs-simplicity=simplicity"),
        ("Other", "x", "completeness-vs-time-to-market=time-to-market"),
    ):
        made = run("new", title, "--tag", tag, "--tradeoff", axis, "--no-edit")
        assert made.exit_code == 0, made.stderr

    def numbers(*args: str) -> list[int]:
        return [d["number"] for d in json.loads(run("list", *args, "--format", "json").output)]

    assert numbers("--tag", "api", "--tag", "ops") == [2, 3]
    assert numbers("--tag", "ops", "--tag", "api") == [2, 3]
    both = ("--axis", "scalability-vs-simplicity", "--axis", "completeness-vs-time-to-market")
    assert numbers(*both) == [1, 3, 4]  # 0001 favours time to market
    assert numbers(*both, "--tag", "x") == [4]
    bad = run("list", "--axis", "scalability-vs-simplicity", "--axis", "nope")
    assert bad.exit_code == 2 and "--axis: unknown axis 'nope'" in bad.stderr


def test_dangerous_titles_stay_inside_the_folder(project: Path, run: Cli) -> None:
    for title in ("../../etc/passwd", '-- "-Bar-"', "/abs/path", "..", "a\\b"):
        result = run("new", "--no-edit", "--", title)
        assert result.exit_code == 0, result.output
        created = (project / result.output.strip()).resolve()
        assert created.parent == (project / "docs" / "decisions").resolve()
    assert not (project.parent / "etc").exists()


def test_editor_opened_only_when_asked_and_set(
    project: Path, run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\necho '<!-- edited -->' >> \"$1\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    run("new", "Not interactive")  # CliRunner's stdin is not a terminal: no editor
    assert "edited" not in (project / "docs/decisions/0002-not-interactive.md").read_text()
    assert run("edit", "2").exit_code == 0
    assert "<!-- edited -->" in (project / "docs/decisions/0002-not-interactive.md").read_text()
    monkeypatch.delenv("EDITOR")
    result = run("edit", "2")
    assert result.exit_code == 2 and "set $VISUAL or $EDITOR" in result.stderr


def test_version_and_help_examples(run: Cli) -> None:
    assert run("--version").output.startswith("adr, version ")
    for command in ("init", "new", "list", "show", "edit"):
        assert "Example:" in run(command, "--help").output


def installed_adr() -> str:
    found = shutil.which("adr", path=str(Path(sys.executable).parent))
    assert found, "the adr console script is not installed next to this Python"
    return found


@pytest.mark.slow
def test_concurrent_new_takes_distinct_numbers(project: Path) -> None:
    adr = installed_adr()
    procs = [
        subprocess.Popen(
            [adr, "new", f"Parallel decision {i}", "--no-edit"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    names = sorted(Path(out.strip()).name for out, _ in outputs)
    numbers = sorted(int(n[:4]) for n in names)
    assert numbers == list(range(2, 10))
    on_disk = sorted(p.name for p in (project / "docs" / "decisions").glob("00*.md"))
    assert len(on_disk) == 9
    assert not list((project / "docs" / "decisions").glob(".adr-tmp-*"))


def test_installed_command_runs_as_a_user_would(repo: Path) -> None:
    adr = installed_adr()
    env = {**os.environ, "ADR_DATE": FIXED_DATE}
    subprocess.run([adr, "init"], cwd=repo, check=True, env=env, capture_output=True)
    out = subprocess.run(
        [
            adr,
            "new",
            "Cache product pages in Redis",
            "--tradeoff",
            "performance-vs-development-speed=performance",
            "--no-edit",
        ],
        cwd=repo,
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert out == "docs/decisions/0002-cache-product-pages-in-redis.md\n"
    listed = json.loads(
        subprocess.run(
            [adr, "list", "--format", "json"], cwd=repo, check=True, capture_output=True, text=True
        ).stdout
    )
    assert listed[1]["tradeoffs"][0] == {
        "axis": "performance-vs-development-speed",
        "favours": "performance",
        "cost": "",
        "revisit_when": "",
    }
    bad = subprocess.run([adr, "show", "99"], cwd=repo, capture_output=True, text=True)
    assert bad.returncode == 1
    assert bad.stderr.startswith("adr: error: no record numbered 99")
    assert "Traceback" not in bad.stderr


def test_new_removes_a_dead_writers_temp_file_but_not_a_live_ones(project: Path) -> None:
    folder = project / "docs" / "decisions"
    dead, live = folder / ".adr-tmp-dead.tmp", folder / ".adr-tmp-live.tmp"
    dead.write_text("half a record")
    live.write_text("a writer at work")
    past = time.time() - 3600
    os.utime(dead, (past, past))
    env = {**os.environ, "ADR_DATE": FIXED_DATE}
    done = subprocess.run(
        [sys.executable, "-m", "adr_tool", "new", "Sweep", "--no-edit"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not dead.exists()  # found by the listing that took the next number
    assert live.read_text() == "a writer at work"
    assert [p.name for p in folder.glob(".adr-tmp-*")] == [live.name]
