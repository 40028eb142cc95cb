"""Class 1: reads stay inside the working tree. A record, a repository template (and
whatever it includes) or the index that resolves outside the tree or into the git
directory is never read: records are skipped with an ADR023 warning, templates and the
index stop the command with one line and exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from harness import SECRET

from support import Cli


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text


def test_record_symlinked_into_git_dir_is_skipped_with_a_warning(leaky: Path, run: Cli) -> None:
    folder = leaky / "docs" / "decisions"
    os.symlink("../../.git/config", folder / "0002-leak.md")
    os.symlink("/etc/hostname", folder / "0003-outside.md")
    shown = run("show", "2")
    assert shown.exit_code == 1 and "no record numbered 2" in shown.stderr
    _no_secret(shown.stdout, shown.stderr)
    listed = run("list", "--format", "json")
    assert [r["number"] for r in json.loads(listed.output)] == [1]
    checked = run("check", "--format", "json")
    found = json.loads(checked.output)
    warnings = [f for f in found if f["code"] == "ADR023"]
    assert sorted(Path(f["path"]).name for f in warnings) == ["0002-leak.md", "0003-outside.md"]
    assert all(f["severity"] == "warning" for f in warnings)
    site = run("site", "--output", str(leaky / "_site"))
    assert site.exit_code == 0, site.stderr
    for page in (leaky / "_site").rglob("*"):
        if page.is_file():
            _no_secret(page.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("target", ["/proc/self/environ", "../../../.git/config"])
def test_template_override_that_leaves_the_tree_is_refused(
    leaky: Path, run: Cli, target: str
) -> None:
    templates = leaky / "docs" / "decisions" / "templates"
    templates.mkdir()
    os.symlink(target, templates / "index.md.j2")
    result = run("index", "--check")
    assert result.exit_code == 2
    assert result.stderr.startswith("adr: error: template ") and result.stderr.count("\n") == 1
    assert "outside the working tree" in result.stderr
    _no_secret(result.stdout, result.stderr)


def test_an_include_that_leaves_the_tree_is_refused(leaky: Path, run: Cli) -> None:
    templates = leaky / "docs" / "decisions" / "templates"
    templates.mkdir()
    (templates / "index.md.j2").write_text('{% include "part.md.j2" %}\n', encoding="utf-8")
    os.symlink("/proc/self/environ", templates / "part.md.j2")
    result = run("index")
    assert result.exit_code == 2 and "part.md.j2" in result.stderr
    _no_secret(result.stdout, result.stderr)
    assert not (leaky / "docs" / "decisions" / "README.md").read_text().count(SECRET)


def test_index_symlinked_out_of_the_tree_is_not_diffed(leaky: Path, run: Cli) -> None:
    index = leaky / "docs" / "decisions" / "README.md"
    index.unlink()
    os.symlink("/proc/self/environ", index)
    result = run("index", "--check")
    assert result.exit_code == 2 and "index" in result.stderr
    _no_secret(result.stdout, result.stderr)


def test_config_naming_the_git_directory_is_refused(leaky: Path, run: Cli) -> None:
    (leaky / ".git" / "info" / "leak.md").write_text(f"token {SECRET}\n", encoding="utf-8")
    (leaky / ".adr.yaml").write_text("index: .git/info/leak.md\n", encoding="utf-8")
    checked = run("index", "--check")
    assert checked.exit_code == 2 and "outside the working tree" in checked.stderr
    _no_secret(checked.stdout, checked.stderr)
    (leaky / ".adr.yaml").write_text("directory: .git/info\n", encoding="utf-8")
    (leaky / ".git" / "info" / "0001-leak.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    listed = run("list")
    assert listed.exit_code == 2 and "inside the git directory" in listed.stderr
    _no_secret(listed.stdout, listed.stderr)
