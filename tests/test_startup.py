"""Start-up: `adr` runs inside git hooks, so what a command imports is part of its cost.

The group lists its commands from a static table (decision 52); these tests tie the table
to the commands themselves, and check in fresh processes which modules a command
imports (content, not timing: the figures are in benchmarks/README.md).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

import adr_tool.cli
from adr_tool.cli import COMMANDS, cli
from support import OLD_NS, modules_after

COMMAND_FAMILIES = {"records", "lifecycle", "publish", "history", "govern", "check"}
COMMAND_FAMILIES |= {"migrate", "assist", "org"}
HEAVY = ("git", "jinja2", "ruamel", "markdown_it", "mcp")


def top_level_commands() -> dict[str, tuple[str, click.Command]]:
    """Every command defined in a cli module that is not a subcommand of a group:
    name → (``module.attribute``, the command)."""
    found: dict[str, tuple[str, click.Command]] = {}
    subcommands: set[int] = set()
    for info in pkgutil.iter_modules(adr_tool.cli.__path__):
        module = importlib.import_module(f"adr_tool.cli.{info.name}")
        for attribute, value in vars(module).items():
            if isinstance(value, click.Group):
                subcommands.update(id(c) for c in value.commands.values())
            if isinstance(value, click.Command) and value is not cli:
                assert value.name is not None
                found.setdefault(value.name, (f"{info.name}.{attribute}", value))
    return {name: entry for name, entry in found.items() if id(entry[1]) not in subcommands}


def test_the_table_names_every_command_where_it_lives_with_its_own_help() -> None:
    commands = top_level_commands()
    assert sorted(COMMANDS) == sorted(commands)
    for name, (where, summary) in COMMANDS.items():
        location, command = commands[name]
        assert where == location, name
        assert summary == command.get_short_help_str(limit=10_000), name
        assert not command.hidden and not command.deprecated, name  # the listing assumes so
        assert cli.get_command(click.Context(cli), name) is command
    assert set(cli.load_all()) == set(COMMANDS)


@pytest.mark.parametrize("columns", ["80", "200", "50"])
def test_help_lists_the_commands_as_the_loaded_commands_would(tmp_path: Path, columns: str) -> None:
    """Listed from the table, and listed after every command is loaded (each from its own
    help, as click lists them): the same text at any terminal width."""

    def listing(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", f"import sys; sys.argv = ['adr', '--help']\n{code}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": columns},
        ).stdout

    lazy = listing("from adr_tool.cli import main; main()")
    loaded = listing("from adr_tool.cli import cli, main; cli.load_all(); main()")
    assert "Commands:\n  accept " in lazy
    assert "  which      The decisions in force that" in lazy
    assert lazy == loaded


def test_help_imports_no_command_module_and_no_heavy_library(tmp_path: Path) -> None:
    modules, done = modules_after(["--help"], tmp_path)
    assert "Commands:" in done.stdout
    assert "adr_tool.cli.app" in modules
    assert not {f"adr_tool.cli.{family}" for family in COMMAND_FAMILIES} & modules
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    assert sorted(m for m in modules if m.startswith("adr_tool")) == [
        "adr_tool",
        "adr_tool.cli",
        "adr_tool.cli.app",
        "adr_tool.errors",
        "adr_tool.publish",
        "adr_tool.publish.terminal",
    ]


def test_a_command_imports_its_own_family_only(tmp_path: Path) -> None:
    modules, done = modules_after(["which", "--help"], tmp_path)
    assert "adr which [OPTIONS] PATHS..." in done.stdout
    assert "adr_tool.cli.govern" in modules
    assert not {f"adr_tool.cli.{family}" for family in COMMAND_FAMILIES - {"govern"}} & modules


def test_a_mistyped_command_is_told_the_close_names(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "adr_tool", "lst"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Error: No such command 'lst'. Did you mean 'list'?" in done.stderr


def test_completing_a_command_name_shows_its_help_through_the_shell_protocol(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "_ADR_COMPLETE": "zsh_complete", "COMP_WORDS": "adr s", "COMP_CWORD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "adr_tool"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout.split("\n") == [
        "plain",
        "show",
        "Show record NUMBER (7, 0007 or ADR-7) with...",
        "plain",
        "site",
        "Build a static HTML site of the decisions:...",
        "plain",
        "status",
        "Set the status of record NUMBER (one of...",
        "plain",
        "supersede",
        "Record that NEW supersedes OLD, on both...",
        "",
    ]


def test_check_of_a_file_imports_neither_gitpython_nor_jinja2(project: Path) -> None:
    (record,) = (project / "docs" / "decisions").glob("0001-*.md")
    modules, done = modules_after(["check", str(record)], project)
    assert "All checks passed (1 record checked)." in done.stdout, done.stderr
    assert "adr_tool.checks.run" in modules
    assert not [m for m in modules if m.split(".")[0] in ("git", "jinja2")]
    # OpenSSL's start-up (hashlib) costs more than the check itself: blake2 is built in
    # (coverage, when CI measures this subprocess, loads hashlib itself)
    if "coverage" not in modules:
        assert "hashlib" not in modules and "_hashlib" not in modules


def test_check_of_a_cached_file_imports_no_record_parser(project: Path) -> None:
    """The hook's run on a warm folder: every record comes from the parse cache, so the
    parsers (and the 48 patterns they compile at import) are not loaded; an edited
    record brings them back for itself."""
    folder = project / "docs" / "decisions"
    for path in folder.iterdir():  # settled: a file changed within 2 s is never trusted
        os.utime(path, ns=(OLD_NS, OLD_NS))
    (record,) = folder.glob("0001-*.md")
    first, done = modules_after(["check", str(record)], project)
    assert "adr_tool.records.formats" in first, done.stderr  # parsed, then cached
    modules, again = modules_after(["check", str(record)], project)
    assert "All checks passed (1 record checked)." in again.stdout, again.stderr
    assert not {"adr_tool.records.formats", "adr_tool.records.bodymeta"} & modules
    record.write_text(record.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    edited, done = modules_after(["check", str(record)], project)
    assert "adr_tool.records.formats" in edited, done.stderr


def test_new_imports_neither_gitpython_nor_ruamel(project: Path) -> None:
    """Without an index to refresh (that parses the new record), `adr new` renders its
    template and takes a number: no record is parsed, no YAML library is loaded."""
    (project / "docs" / "decisions" / "README.md").unlink()
    modules, done = modules_after(
        ["new", "Cache pages", "--no-edit", "--date", "2026-11-24"], project
    )
    assert done.stdout.strip() == "docs/decisions/0002-cache-pages.md", done.stderr
    text = (project / done.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith("---\nstatus: proposed\ndate: 2026-11-24\n")
    assert "\ntags: []\n" in text
    assert "jinja2" in modules  # the template is rendered
    assert not [m for m in modules if m.split(".")[0] in ("git", "ruamel", "pathspec")]
    # a record that supersedes and links nothing needs neither the editing of other
    # records nor the parsers: the next number comes from the names alone
    parsers = {"adr_tool.records.formats", "adr_tool.records.bodymeta", "difflib"}
    assert not parsers & modules
    assert "adr_tool.actions.lifecycle" not in modules


def test_new_that_supersedes_still_marks_the_old_record(project: Path) -> None:
    """The lazily imported edit still runs: an accepted successor retires record 1."""
    (project / "docs" / "decisions" / "README.md").unlink()
    _, done = modules_after(
        ["new", "Cache pages", "-s", "1", "--status", "accepted", "--no-edit"], project
    )
    assert done.returncode == 0, done.stderr
    (old,) = (project / "docs" / "decisions").glob("0001-*.md")
    assert "superseded-by: [2]" in old.read_text(encoding="utf-8")


def test_which_of_a_file_under_a_folder_scope_does_not_compile_patterns(project: Path) -> None:
    folder = project / "src" / "orders"
    folder.mkdir(parents=True)
    (folder / "store.py").write_text("x = 1\n", encoding="utf-8")
    (record,) = (project / "docs" / "decisions").glob("0001-*.md")
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\ntags:", "\nscope: [src/orders/**]\ntags:", 1), "utf-8")
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(["git", "commit", "-qm", "Orders"], cwd=project, check=True)

    modules, done = modules_after(["which", "src/orders/store.py", "--no-history"], project)
    assert done.stdout.splitlines()[:2] == [
        "src/orders/store.py",
        "  0001  Record architecture decisions  [scope]",
    ], done.stderr
    assert not [m for m in modules if m.split(".")[0] in ("git", "pathspec", "jinja2")]
    modules, done = modules_after(["which", "src/orders/store.py"], project)
    assert "  0001  Record architecture decisions  [scope]" in done.stdout, done.stderr
    assert "git" in modules and "pathspec" not in modules  # history asks git


def test_the_exit_does_not_collect_what_the_command_loaded(tmp_path: Path) -> None:
    """Python's collections at shutdown would walk every module and object a command
    loaded; main() moves them out of the collector's reach as the command ends."""
    code = (
        "import gc, sys\n"
        "sys.argv = ['adr', '--help']\n"
        "from adr_tool.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    print('frozen', gc.get_freeze_count() > 1000, 'tracked', len(gc.get_objects()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    frozen, tracked = done.stdout.splitlines()[-1].rsplit(" tracked ", 1)
    assert frozen == "frozen True" and int(tracked) < 100, done.stdout


def test_a_list_answered_from_its_memo_imports_no_parser(project: Path) -> None:
    """An unchanged folder is answered from the parse cache's memo (decision 57): the
    record parsers are not even imported."""
    for path in (project / "docs" / "decisions").iterdir():
        os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)  # settled: cached, trusted
    first, done = modules_after(["list"], project)
    assert "adr_tool.records.formats" in first, done.stderr  # parsed again, cached
    modules_after(["list"], project)  # loaded from the cache: the answer is remembered
    modules, again = modules_after(["list"], project)
    assert again.stdout == done.stdout and "0001" in again.stdout
    parsers = ("formats", "bodymeta", "rationale", "sections", "numbering")
    assert not [m for m in modules if m.rsplit(".", 1)[-1] in parsers], sorted(modules)
