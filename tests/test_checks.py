"""adr check: one fixture per rule (and its clean twin), the CLI, --diff, import cost."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adr_tool.checks import rules as checks
from adr_tool.checks.findings import CODES, CheckInputs, TrailerCommit, failed
from adr_tool.config import Settings
from adr_tool.records import formats
from adr_tool.records.rationale import has_rationale
from support import FIXED_DATE, Cli, git

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
TODAY = dt.date.fromisoformat(FIXED_DATE)
# Rules whose fixture needs inputs from outside the folder (index render, git history,
# tracked files, a branch's changes): tests/test_govern.py runs ADR020-ADR022's,
# tests/test_trust_checks.py ADR017's (a base branch).
OUTSIDE = {"ADR012", "ADR013", "ADR017", "ADR020", "ADR021", "ADR022"}
PURE_CODES = sorted(p.name for p in FIXTURES.iterdir() if p.name not in OUTSIDE)


def load(folder: Path) -> tuple[Settings, list[formats.Decision]]:
    settings = Settings(root=folder, directory=folder, index=folder / "README.md")
    decisions = [formats.read(p) for p in sorted(folder.glob("*.md")) if p.name != "README.md"]
    return settings, decisions


def codes_for(folder: Path) -> list[str]:
    settings, decisions = load(folder)
    findings = checks.run(decisions, settings, CheckInputs(today=TODAY))
    return [f.code for f in findings]


def test_every_code_has_a_fixture_and_a_readme_row() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for code in CODES:
        if code not in ("ADR016", "ADR023"):  # decided by the reader / the folder listing
            assert (FIXTURES / code / "bad").is_dir(), code
            assert (FIXTURES / code / "good").is_dir(), code
        assert f"| `{code}` |" in readme, code


@pytest.mark.parametrize("code", PURE_CODES)
def test_fixture_triggers_exactly_its_code(code: str) -> None:
    found = codes_for(FIXTURES / code / "bad")
    assert found and set(found) == {code}, found


@pytest.mark.parametrize("code", PURE_CODES)
def test_clean_twin_has_no_findings(code: str) -> None:
    assert codes_for(FIXTURES / code / "good") == []


def test_messages_say_where_and_what_to_write() -> None:
    settings, decisions = load(FIXTURES / "ADR004" / "bad")
    (finding,) = checks.run(decisions, settings, CheckInputs(today=TODAY))
    assert finding.text() == (
        "0001-store-orders.md:17:1: ADR004 missing rationale: "
        'write \'Chosen option: "…", because …\' under "## Decision Outcome"'
    )
    settings, decisions = load(FIXTURES / "ADR010" / "bad")
    (finding,) = checks.run(decisions, settings, CheckInputs(today=TODAY))
    assert finding.path == "0001-use-mysql.md"
    assert "add 'superseded-by: [2]'" in finding.message
    settings, decisions = load(FIXTURES / "ADR011" / "bad")
    (finding,) = checks.run(decisions, settings, CheckInputs(today=TODAY))
    assert "rename it to 0001-store-orders.md" in finding.message


def test_a_name_that_starts_with_its_number_is_told_how_to_rename(project: Path, run: Cli) -> None:
    """``0013.md`` and ``0012_under.md`` do start with a number: ADR011 names the file
    to rename them to, not 'has no record number'."""
    folder = project / "docs" / "decisions"
    first = next(folder.glob("0001-*.md")).read_text(encoding="utf-8")
    (folder / "0013.md").write_text(first, encoding="utf-8")
    (folder / "0012_under.md").write_text(first, encoding="utf-8")
    found = json.loads(run("check", "--format", "json").output)
    named = sorted((f["path"], f["message"]) for f in found if f["code"] == "ADR011")
    assert named == [
        (
            "docs/decisions/0012_under.md",
            "file name '0012_under.md' is not NNNN-slug.md: rename it to 0012-under.md",
        ),
        (
            "docs/decisions/0013.md",
            "file name '0013.md' is not NNNN-slug.md: "
            "rename it to 0013-record-architecture-decisions.md",
        ),
    ]


def test_review_by_is_a_warning_that_depends_on_today() -> None:
    settings, decisions = load(FIXTURES / "ADR014" / "bad")
    early = checks.run(decisions, settings, CheckInputs(today=dt.date(2019, 12, 31)))
    assert early == []
    (finding,) = checks.run(decisions, settings, CheckInputs(today=TODAY))
    assert finding.severity == "warning"
    assert not failed([finding], strict=False)
    assert failed([finding], strict=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<!-- Write the decision as one sentence -->\n",
        "<!-- unclosed guidance\n\nstill a comment",
        'Chosen option: "{title of option 1}", because {justification}',
        "TODO",
        "…",
        "* TBD\n",
        'Chosen option: "PostgreSQL", because ...',
        'Chosen option: "PostgreSQL", because …\n\n### Consequences\n\n* Good, because fast\n',
        '선택한 방안: "…", 이유: …',
    ],
)
def test_placeholder_outcomes_are_not_a_rationale(text: str) -> None:
    assert not has_rationale(text)


@pytest.mark.parametrize(
    "text",
    [
        'Chosen option: "PostgreSQL", because the team already runs it.',
        'Chosen option: "PostgreSQL", because\nit is reviewed with the code.',
        "We will use PostgreSQL for orders.",
        '<!-- guidance -->\nChosen option: "Redis", because reads dominate.',
        '선택한 방안: "PostgreSQL", 이유: 팀이 이미 운영하고 있다.',
    ],
)
def test_written_outcomes_are_a_rationale(text: str) -> None:
    assert has_rationale(text)


def test_rationale_only_required_for_configured_statuses() -> None:
    settings, decisions = load(FIXTURES / "ADR004" / "bad")
    proposed = [
        formats.parse(d.path, d.path.read_text().replace("accepted", "proposed")) for d in decisions
    ]
    assert checks.run(proposed, settings, CheckInputs(today=TODAY)) == []


def test_record_and_repo_opt_outs(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    shutil.copytree(FIXTURES / "ADR005" / "bad", folder)
    record = folder / "0001-store-orders.md"
    record.write_text(
        record.read_text().replace(
            "status: accepted", "status: accepted\nadr-check: {ignore: [ADR005]}"
        )
    )
    assert codes_for(folder) == []
    shutil.copytree(FIXTURES / "ADR007" / "bad", tmp_path / "e")
    settings, decisions = load(tmp_path / "e")
    settings = Settings(
        root=settings.root, directory=settings.directory, index=settings.index, ignore=("ADR007",)
    )
    assert checks.run(decisions, settings, CheckInputs(today=TODAY)) == []


def test_foreign_format_names_and_missing_tradeoffs_are_warnings(tmp_path: Path) -> None:
    (tmp_path / "adr-012-use-kafka.md").write_text(
        "# 12. Use Kafka\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n"
        "## Context\n\nEvents.\n\n## Decision\n\nWe will use Kafka for order events.\n\n"
        "## Consequences\n\nOps work.\n",
        encoding="utf-8",
    )
    settings, decisions = load(tmp_path)
    findings = checks.run(decisions, settings, CheckInputs(today=TODAY))
    assert {(f.code, f.severity) for f in findings} == {
        ("ADR005", "warning"),
        ("ADR011", "warning"),
    }
    assert "rename it to 0012-use-kafka.md" in " ".join(f.message for f in findings)


def test_selected_limits_per_record_rules_but_not_repo_wide_ones() -> None:
    folder = FIXTURES / "ADR008" / "bad"
    settings, decisions = load(folder)
    both = checks.run(decisions, settings, CheckInputs(today=TODAY, selected=frozenset()))
    assert sorted(f.code for f in both) == ["ADR008", "ADR008"]


def test_trailers_naming_missing_records() -> None:
    settings, decisions = load(FIXTURES / "ADR013" / "bad")
    commits = (
        TrailerCommit("a" * 40, "Use the new store", (1,)),
        TrailerCommit("b" * 40, "Cache pages", (1, 12), ("soon",)),
    )
    findings = checks.run(decisions, settings, CheckInputs(today=TODAY, commits=commits))
    assert [f.code for f in findings] == ["ADR013", "ADR013"]
    assert all(f.severity == "warning" for f in findings)
    text = " ".join(f.message for f in findings)
    assert "bbbbbbbbbb ('Cache pages') has 'Decision: 12' but there is no record 0012" in text
    assert "'Decision: soon', which names no record" in text


# --- the command ---------------------------------------------------------------------


def write_folder(project: Path, code: str, kind: str) -> Path:
    folder = project / "docs" / "decisions"
    for path in folder.glob("0*.md"):
        path.unlink()
    for path in (FIXTURES / code / kind).iterdir():
        shutil.copy(path, folder / path.name)
    return folder


def refresh_index(project: Path) -> None:
    result = Cli(project)("index")
    assert result.exit_code == 0, result.output


def test_cli_text_output_and_exit_code(project: Path, run: Cli) -> None:
    write_folder(project, "ADR004", "bad")
    refresh_index(project)
    result = run("check", "--today", FIXED_DATE)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("docs/decisions/0001-store-orders.md:17:1: ADR004 missing rationale")
    assert lines[-1] == "Found 1 error in 1 record checked."


def test_cli_clean_project_passes(project: Path, run: Cli) -> None:
    result = run("check", "--today", FIXED_DATE)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("All checks passed (1 record checked)")


def test_cli_json_schema(project: Path, run: Cli) -> None:
    write_folder(project, "ADR014", "bad")
    refresh_index(project)
    result = run("check", "--format", "json", "--today", FIXED_DATE)
    assert result.exit_code == 0  # a warning alone does not fail
    data = json.loads(result.output)
    assert isinstance(data, list) and len(data) == 1
    (item,) = data
    assert set(item) == {"path", "line", "col", "code", "severity", "message"}
    assert item["path"] == "docs/decisions/0001-store-orders.md"
    assert (item["line"], item["col"], item["code"], item["severity"]) == (
        10,
        1,
        "ADR014",
        "warning",
    )
    assert isinstance(item["message"], str) and "2020-01-01" in item["message"]
    strict = run("check", "--strict", "--format", "json", "--today", FIXED_DATE)
    assert strict.exit_code == 1 and json.loads(strict.output) == data


def test_cli_stale_index(project: Path, run: Cli) -> None:
    write_folder(project, "ADR012", "bad")
    shutil.copy(FIXTURES / "ADR012" / "bad" / "README.md", project / "docs/decisions/README.md")
    result = run("check", "--format", "json", "--today", FIXED_DATE)
    assert [f["code"] for f in json.loads(result.output)] == ["ADR012"]
    assert json.loads(result.output)[0]["path"] == "docs/decisions/README.md"
    refresh_index(project)
    assert run("check", "--today", FIXED_DATE).exit_code == 0
    (project / "docs/decisions/README.md").unlink()  # no index: the rule is off
    assert run("check", "--today", FIXED_DATE).exit_code == 0


def test_cli_paths_limit_per_record_rules(project: Path, run: Cli) -> None:
    folder = write_folder(project, "ADR008", "bad")
    shutil.copy(FIXTURES / "ADR004" / "bad" / "0001-store-orders.md", folder)
    refresh_index(project)
    result = run("check", "docs/decisions/0002-cache-pages.md", "--format", "json")
    codes = sorted(f["code"] for f in json.loads(result.output))
    assert codes == ["ADR008", "ADR008"]  # ADR004 in 0001 is not this file's problem
    result = run("check", "--format", "json")
    assert "ADR004" in {f["code"] for f in json.loads(result.output)}


def test_cli_usage_errors(project: Path, run: Cli) -> None:
    result = run("check", "no-such-file.md")
    assert result.exit_code == 2
    assert "no-such-file.md: no such file or folder" in result.stderr
    assert run("check", "--today", "someday").exit_code == 2
    (project / ".adr.yaml").write_text("check: {ignore: 5}\n")
    bad = run("check")
    assert bad.exit_code == 2
    assert "adr: error: ignore: must be a list" in bad.stderr


def test_cli_trailer_rule_on_a_real_repo(project: Path, run: Cli) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Start the log\n\nDecision: 1")
    (project / "src.txt").write_text("x\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Cache pages\n\nDecision: 12")
    refresh_index(project)  # the index counts linked commits, so it moved on too
    result = run("check", "--today", FIXED_DATE)
    assert result.exit_code == 0  # a warning: history cannot be rewritten
    assert "ADR013" in result.output and "'Decision: 12'" in result.output
    assert run("check", "--strict").exit_code == 1
    # a PATHS run (what pre-commit does) does not read the history
    only = run("check", "docs/decisions/0001-record-architecture-decisions.md")
    assert "ADR013" not in only.output


def test_cli_diff_checks_changed_records_and_repo_wide_rules(project: Path, run: Cli) -> None:
    folder = write_folder(project, "ADR004", "bad")
    shutil.copy(FIXTURES / "ADR007" / "bad" / "0001-store-orders.md", folder / "0002-other.md")
    refresh_index(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Two records")
    base = git(project, "rev-parse", "HEAD").strip()
    assert run("check", "--diff", base).exit_code == 0  # nothing changed since base
    record = folder / "0002-other.md"
    record.write_text(record.read_text().replace("Orders need", "Orders really need"))
    git(project, "checkout", "-q", "-b", "topic")
    git(project, "commit", "-q", "-am", "Touch 0002")
    (folder / "0003-new.md").write_text(
        (FIXTURES / "ADR006" / "bad" / "0001-store-orders.md").read_text()
        + "\n"  # untracked, still a change
    )
    (folder / "0002-duplicate.md").write_text(
        (FIXTURES / "ADR002" / "good" / "0001-store-orders.md").read_text()
    )
    git(project, "add", "docs/decisions/0002-duplicate.md")
    git(project, "commit", "-q", "-m", "A duplicate")
    refresh_index(project)
    result = run("check", "--diff", "main", "--format", "json")
    found = {(f["path"].rsplit("/", 1)[-1], f["code"]) for f in json.loads(result.output)}
    assert ("0002-other.md", "ADR007") in found
    assert ("0003-new.md", "ADR006") in found
    assert ("0002-duplicate.md", "ADR008") in found
    assert ("0002-other.md", "ADR008") in found
    assert not any(name == "0001-store-orders.md" for name, _ in found)  # unchanged ADR004
    assert run("check", "--diff", "no-such-ref").exit_code == 1


def test_check_outside_git_imports_neither_gitpython_nor_jinja2(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "decisions"
    shutil.copytree(FIXTURES / "ADR004" / "good", folder)
    code = (
        "import sys\n"
        "from adr_tool.cli import cli\n"
        "try:\n"
        "    cli(['check'], prog_name='adr')\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('git', 'jinja2')))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.stdout.splitlines()[-2:] == ["exit 0", "[]"], out.stdout + out.stderr


def test_rationale_message_follows_the_record_language() -> None:
    settings, decisions = load(FIXTURES / "ADR004" / "bad")
    korean = Settings(
        root=settings.root, directory=settings.directory, index=settings.index, lang="ko"
    )
    (finding,) = checks.run(decisions, korean, CheckInputs(today=TODAY))
    assert "'선택한 방안: \"…\", 이유: …'" in finding.message


def test_each_settings_object_is_judged_by_its_own_policy() -> None:
    """The statuses policy is remembered for the settings object last asked about (by
    identity): settings that differ, or an equal copy, are each judged by their own."""
    import dataclasses

    settings, decisions = load(FIXTURES / "ADR004" / "bad")
    strict = checks.run(decisions, settings, CheckInputs(today=TODAY))
    assert "ADR004" in [f.code for f in strict]
    lenient = dataclasses.replace(settings, require_rationale=())
    assert "ADR004" not in [
        f.code for f in checks.run(decisions, lenient, CheckInputs(today=TODAY))
    ]
    again = dataclasses.replace(lenient, require_rationale=settings.require_rationale)
    assert checks.run(decisions, again, CheckInputs(today=TODAY)) == strict
    assert checks.run(decisions, settings, CheckInputs(today=TODAY)) == strict


def test_a_record_s_sink_is_made_without_a_lookup_and_joins_when_it_reports() -> None:
    """``judge_records`` hands each record a sink without hashing its path; the sink
    joins the mapping at its first finding, so later rules report through the same one,
    and a clean folder looks up no path at all."""
    settings, decisions = load(FIXTURES / "ADR009" / "bad")
    out: list[checks.Finding] = []
    sinks = checks.Sinks(decisions, settings, out)
    quiet, loud = sinks.of(decisions[0]), sinks.of(decisions[-1])
    assert len(sinks) == 0 and sinks._by_path is None
    loud.say("ADR009", 3, "link-dangling", key="links", id="0099")
    assert dict(sinks) == {decisions[-1].path: loud} and quiet is not loud
    assert sinks[decisions[-1].path] is loud and sinks._by_path is None
    assert [(f.code, f.line) for f in out] == [("ADR009", 3)]
    assert out[0].path == settings.relative(decisions[-1].path)
    _, clean = load(FIXTURES / "ADR009" / "good")
    assert checks.judge_records(clean, settings, TODAY).findings == ()
