"""adr-tools muscle memory, modelled on adr-tools' documented behaviour, and discovery."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from adr_tool.config import discover
from support import Cli

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
DATE = "1992-01-12"


@pytest.fixture
def adr_tools(repo: Path, run: Cli, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADR_DATE", DATE)
    result = run("init", "--layout", "adr-tools")
    assert result.exit_code == 0, result.output
    assert (repo / ".adr-dir").read_text() == "doc/adr\n"
    return repo / "doc" / "adr"


def new(run: Cli, *args: str) -> str:
    result = run("new", "--no-edit", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_numbering_goes_past_0008_and_0009(adr_tools: Path, run: Cli) -> None:
    for word in ("Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth"):
        new(run, word, "Decision")
    assert new(run, "Tenth", "Decision") == "doc/adr/0010-tenth-decision.md"
    assert new(run, "Eleventh") == "doc/adr/0011-eleventh.md"
    head = (adr_tools / "0009-ninth-decision.md").read_text().split("\n")[:7]
    assert head == ["# 9. Ninth Decision", "", f"Date: {DATE}", "", "## Status", "", "Accepted"]


@pytest.mark.parametrize(
    ("args", "name", "heading"),
    [
        (["Something", "About", "Node.JS"], "0002-something-about-node-js.md",
         "Something About Node.JS"),
        (["Slash/Slash/Slash/"], "0002-slash-slash-slash.md", "Slash/Slash/Slash/"),
        (["--", "-Bar-"], "0002-bar.md", "-Bar-"),
    ],
)  # fmt: skip
def test_slugs_like_adr_tools(
    adr_tools: Path, run: Cli, args: list[str], name: str, heading: str
) -> None:
    assert new(run, *args) == f"doc/adr/{name}"
    assert (adr_tools / name).read_text().startswith(f"# 2. {heading}\n")


def test_new_without_a_title_fails_clearly(adr_tools: Path, run: Cli) -> None:
    result = run("new", "--no-edit")
    assert result.exit_code == 2
    assert "a title is required" in result.stderr
    assert sorted(p.name for p in adr_tools.glob("*.md")) == [
        "0001-record-architecture-decisions.md"
    ]


def test_supersede_two_records(adr_tools: Path, run: Cli) -> None:
    new(run, "First Record")
    new(run, "Second Record")
    assert new(run, "-s", "2", "-s", "3", "Third Record") == "doc/adr/0004-third-record.md"
    third = (adr_tools / "0004-third-record.md").read_text()
    assert (
        "## Status\n\nAccepted\n\nSupercedes [2. First Record](0002-first-record.md)\n\n"
        "Supercedes [3. Second Record](0003-second-record.md)\n\n## Context\n"
    ) in third
    for name in ("0002-first-record.md", "0003-second-record.md"):
        old = (adr_tools / name).read_text()
        assert (
            "## Status\n\nSuperceded by [4. Third Record](0004-third-record.md)\n\n## Context"
            in old
        )
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [(r["number"], r["status"], r["superseded_by"], r["supersedes"]) for r in rows] == [
        (1, "accepted", [], []),
        (2, "superseded", [4], []),
        (3, "superseded", [4], []),
        (4, "accepted", [], [2, 3]),
    ]


def test_link_with_reverse(adr_tools: Path, run: Cli) -> None:
    new(run, "First Record")
    new(run, "-l", "2:Amends:Amended by", "Second Record")
    assert (
        "Accepted\n\nAmends [2. First Record](0002-first-record.md)\n\n## Context"
        in (adr_tools / "0003-second-record.md").read_text()
    )
    assert (
        "Accepted\n\nAmended by [3. Second Record](0003-second-record.md)\n\n## Context"
        in (adr_tools / "0002-first-record.md").read_text()
    )


def test_list_prints_paths_and_walks_up_to_adr_dir(adr_tools: Path, repo: Path, run: Cli) -> None:
    new(run, "Second")
    assert run("list").stdout == (
        "doc/adr/0001-record-architecture-decisions.md\ndoc/adr/0002-second.md\n"
    )
    sub = repo / "src" / "deep"
    sub.mkdir(parents=True)
    assert run("list", cwd=sub).stdout.split("\n")[0] == (
        "../../doc/adr/0001-record-architecture-decisions.md"
    )
    result = run("new", "--no-edit", "From Below", cwd=sub)
    assert result.stdout.strip() == "../../doc/adr/0003-from-below.md"


def test_init_takes_a_positional_dir(repo: Path, run: Cli) -> None:
    result = run("init", "--layout", "adr-tools", "architecture/decisions", "--date", DATE)
    assert result.exit_code == 0, result.output
    assert (repo / ".adr-dir").read_text() == "architecture/decisions\n"
    assert (repo / "architecture/decisions/0001-record-architecture-decisions.md").is_file()
    assert discover(repo / "architecture").directory == repo / "architecture" / "decisions"


def test_project_template_placeholders(adr_tools: Path, run: Cli) -> None:
    (adr_tools / "templates").mkdir()
    (adr_tools / "templates" / "template.md").write_text(
        "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n## Context\n\nHouse context.\n"
    )
    path = new(run, "-s", "1", "Use House Style")
    assert (adr_tools.parent.parent / path).read_text() == (
        f"# 2. Use House Style\n\nDate: {DATE}\n\n## Status\n\nAccepted\n\n"
        "Supercedes [1. Record architecture decisions](0001-record-architecture-decisions.md)"
        "\n\n## Context\n\nHouse context.\n"
    )


def test_doc_adr_with_nygard_records_is_an_adr_tools_repo(repo: Path, run: Cli) -> None:
    shutil.copytree(FIXTURES / "adr-tools", repo / "doc" / "adr")
    settings = discover(repo)
    assert (settings.directory, settings.layout) == (repo / "doc" / "adr", "adr-tools")
    assert run("list").stdout.split("\n")[0] == "doc/adr/0001-record-architecture-decisions.md"
    path = new(run, "-s", "4", "Deploy with Nomad", "--date", DATE)
    assert path == "doc/adr/0005-deploy-with-nomad.md"
    assert (
        "Superceded by [5. Deploy with Nomad]"
        in (repo / "doc/adr/0004-deploy-with-containers.md").read_text()
    )


@pytest.mark.parametrize(
    ("layout", "folder"),
    [("docs/decisions", "docs/decisions"), ("docs/adr", "docs/adr"), ("doc/adr", "doc/adr")],
)
def test_existing_folders_are_found(repo: Path, layout: str, folder: str) -> None:
    (repo / layout).mkdir(parents=True)
    settings = discover(repo / layout)
    assert settings.directory == repo / folder and settings.layout == "native"


def test_log4brains_config_names_the_folder(repo: Path, run: Cli) -> None:
    shutil.copytree(FIXTURES / "log4brains", repo / "docs" / "architecture")
    (repo / "docs" / "adr").mkdir()  # the .log4brains.yml setting wins over defaults
    (repo / ".log4brains.yml").write_text(
        "project:\n  name: shop\n  tz: Europe/Paris\n  adrFolder: ./docs/architecture\n"
    )
    assert discover(repo / "docs").directory == repo / "docs" / "architecture"
    rows = json.loads(run("list", "--format", "json").stdout)
    assert [(r["number"], r["id"], r["status"]) for r in rows][:2] == [
        (1, "20200101-use-log4brains", "accepted"),
        (2, "20200315-queue-emails", "superseded"),
    ]
    (repo / ".log4brains.yml").write_text("project:\n  adrFolder: [1]\n")
    assert run("list").exit_code == 2


@pytest.mark.parametrize("style", ["adr-tools", "madr2", "madr4", "log4brains", "mixed"])
def test_list_index_check_migrate_on_every_style(repo: Path, run: Cli, style: str) -> None:
    shutil.copytree(FIXTURES / style, repo / "docs" / "decisions")
    before = json.loads(run("list", "--format", "json").stdout)
    assert len(before) == len(list((FIXTURES / style).glob("*.md")))
    assert all(r["title"] and r["path"].startswith("docs/decisions/") for r in before)
    for command in (["check"], ["index"]):
        result = run(*command)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
    assert run("migrate", "--write").exit_code == 0
    after = json.loads(run("list", "--format", "json").stdout)
    keep = ("number", "id", "title", "status", "date")
    assert [[r[k] for k in keep] for r in after] == [[r[k] for k in keep] for r in before]
