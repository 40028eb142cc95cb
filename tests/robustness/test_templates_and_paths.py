"""User data is data in every template; repository templates run in jinja2's sandbox;
no title, slug, link, config value or symlink reads or writes outside the repository."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from strategies import counted, titles

from adr_tool.cli import cli
from adr_tool.config import discover
from adr_tool.errors import ConfigError
from support import tiered

EVIL = '{{ 7*7 }} {% if true %}X{% endif %} <script>alert(1)</script> | a | `b` ]] "q" -->'


def adr(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["-C", str(root), *args], catch_exceptions=True, env={"ADR_DATE": "2026-11-24"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def test_user_data_is_rendered_as_data(project: Path) -> None:
    made = adr(project, "new", EVIL, "--tag", "{{ tag }}", "--no-edit")
    assert made.exit_code == 0, made.output
    path = project / made.stdout.strip()
    text = path.read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in text and "49" not in text.split("---")[-1].split("\n")[0]
    text = text.replace("status: proposed", "status: accepted").replace(
        "tradeoffs: []",
        "tradeoffs:\n  - {axis: scalability-vs-simplicity, favours: simplicity, "
        "cost: \"{{ config }} {% raw %} <b>| x |</b>\", revisit-when: '{{ 1+1 }}'}",
    )
    path.write_text(text, encoding="utf-8")
    shown = json.loads(adr(project, "show", "2", "--format", "json").stdout)
    assert shown["title"] == EVIL
    assert adr(project, "index").exit_code == 0
    index = (project / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in index and "49 " not in index and "\nX " not in index
    assert "{{ config }}" in index or "&#123;" in index or "\\{" in index
    # every table row keeps the header's number of cells: user pipes are escaped
    for table in re.findall(r"((?:^\|.*\|[ \t]*\n)+)", index, re.MULTILINE):
        rows = table.strip("\n").split("\n")
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, rows
    for fmt in ("mermaid", "dot"):
        graph = adr(project, "graph", "--format", fmt).stdout
        for line in graph.splitlines():
            if "0002" in line:  # the label may show the text, but never end the string early
                label = re.search(r"\[\"(.*)\"\]|label=\"(.*?)\"(?:,|\])", line)
                assert label is not None, line
                inner = label.group(1) or label.group(2) or ""
                assert not re.search(r'(?<!\\)"', inner), line
    digest = adr(project, "digest").stdout
    assert "{{ 7*7 }}" in digest or EVIL not in digest


ESCAPES = (
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ self._TemplateReference__context }}{{ ''.__class__.__base__ }}",
    "{% set x = namespace() %}{{ x.__class__.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('touch PWNED').read() }}",
)


@pytest.mark.parametrize("source", ESCAPES)
@pytest.mark.parametrize("name", ["tradeoff.md.j2", "index.md.j2"])
def test_repository_templates_are_sandboxed(project: Path, source: str, name: str) -> None:
    override = project / "docs" / "decisions" / "templates"
    override.mkdir(exist_ok=True)
    (override / name).write_text(source + "\n# T\n", encoding="utf-8")
    result = (
        adr(project, "new", "Sandboxed", "--no-edit")
        if name.startswith("trade")
        else adr(project, "index")
    )
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line]
    assert len(errors) == 1 and errors[0].startswith("adr: error: template"), result.stderr
    assert "unsafe" in errors[0] or "not safely" in errors[0] or "undefined" in errors[0]
    assert not (project / "PWNED").exists() and not Path("PWNED").exists()
    assert not list((project / "docs" / "decisions").glob("0002-*"))


@tiered(60, title=titles)
@counted
def test_any_title_makes_one_file_inside_the_folder(project: Path, title: str) -> None:
    folder = project / "docs" / "decisions"
    before = {p for p in project.rglob("*") if ".git" not in p.parts}
    result = adr(project, "new", "--no-edit", "--", title)
    after = {p for p in project.rglob("*") if ".git" not in p.parts}
    created = after - before
    if result.exit_code == 0:
        assert len(created) == 1, created
        (path,) = created
        assert path.parent == folder and re.match(r"^\d{4}-[^/\\]+\.md$", path.name)
        path.unlink()
    else:
        assert not created
        assert result.stderr.startswith("adr: error:")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("directory", "../../etc"),
        ("directory", "/etc"),
        ("directory", "docs/../../outside"),
        ("index", "../README.md"),
        ("index", "/tmp/adr-index.md"),
        ("template", "../evil.md.j2"),
        ("template", "/etc/passwd.j2"),
    ],
)
def test_config_values_cannot_leave_the_repository(repo: Path, key: str, value: str) -> None:
    (repo / ".adr.yaml").write_text(f"{key}: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=key):
        discover(repo)
    result = adr(repo, "list")
    assert result.exit_code == 2 and f"adr: error: {key}" in result.stderr


def test_adr_dir_cannot_leave_the_repository(repo: Path) -> None:
    (repo / ".adr-dir").write_text("../../etc\n", encoding="utf-8")
    assert adr(repo, "list").exit_code == 2


@pytest.mark.parametrize("with_config", [True, False])
def test_decisions_folder_symlinked_outside_is_refused(
    repo: Path, tmp_path: Path, with_config: bool
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "0001-secret.md").write_text("---\nstatus: accepted\n---\n# Secret\n")
    (repo / "docs").mkdir()
    (repo / "docs" / "decisions").symlink_to(outside, target_is_directory=True)
    if with_config:
        (repo / ".adr.yaml").write_text("directory: docs/decisions\n")
    for args in (("list",), ("show", "1"), ("new", "X", "--no-edit"), ("index",)):
        result = adr(repo, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "outside the repository" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["0001-secret.md"]
    allowed = adr(repo, "--allow-outside", "list", "--format", "json")
    assert [r["title"] for r in json.loads(allowed.stdout)] == ["Secret"]


def test_record_symlink_leaving_the_repository_is_not_read(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\nstatus: accepted\n---\n# Top secret\n\nhunter2\n")
    folder = project / "docs" / "decisions"
    (folder / "0002-leak.md").symlink_to(secret)
    inside = folder / "0003-inside.md"
    (project / "notes.md").write_text("---\nstatus: proposed\n---\n# Inside\n")
    inside.symlink_to(project / "notes.md")
    listed = json.loads(adr(project, "list", "--format", "json").stdout)
    assert [r["title"] for r in listed] == ["Record architecture decisions", "Inside"]
    assert adr(project, "show", "2").exit_code == 1
    for args in (("index",), ("digest",), ("graph",), ("check",)):
        assert "hunter2" not in adr(project, *args).output
    assert "hunter2" not in (folder / "README.md").read_text()


def test_index_symlink_is_replaced_not_followed(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim.md"
    target.write_text("precious\n")
    index = project / "docs" / "decisions" / "README.md"
    index.unlink()
    index.symlink_to(target)
    adr(project, "index")
    assert target.read_text() == "precious\n"


def test_record_paths_in_json_are_inside_the_repository(project: Path) -> None:
    adr(project, "new", "../../../escape", "--no-edit")
    for record in json.loads(adr(project, "list", "--format", "json").stdout):
        assert not os.path.isabs(record["path"]) and ".." not in Path(record["path"]).parts


def test_the_plain_environment_only_when_every_template_is_shipped(tmp_path: Path) -> None:
    from jinja2.sandbox import SandboxedEnvironment

    from adr_tool.publish.render import Renderer

    folder = tmp_path / "templates"
    assert not isinstance(Renderer(folder).env, SandboxedEnvironment)  # no folder
    folder.mkdir()
    assert not isinstance(Renderer(folder).env, SandboxedEnvironment)  # an empty one
    (folder / "notes.txt").write_text("anything the repository puts here")
    assert isinstance(Renderer(folder).env, SandboxedEnvironment)
    assert isinstance(Renderer(None).sandbox, SandboxedEnvironment)


@pytest.mark.parametrize("source", ESCAPES[:2])
def test_a_template_named_in_the_config_is_always_sandboxed(project: Path, source: str) -> None:
    (project / "mine.md.j2").write_text(source + "\n# T\n", encoding="utf-8")
    config = project / ".adr.yaml"
    text = re.sub(r"(?m)^template: \S+", "template: mine.md.j2", config.read_text("utf-8"))
    assert "template: mine.md.j2" in text
    config.write_text(text, encoding="utf-8")
    result = adr(project, "new", "Sandboxed", "--no-edit")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("adr: error: template"), result.stderr
    assert not (project / "PWNED").exists()
    assert not list((project / "docs" / "decisions").glob("0002-*"))


def test_a_template_folder_leading_outside_is_sandboxed_not_listed(tmp_path: Path) -> None:
    from jinja2.sandbox import SandboxedEnvironment

    from adr_tool.publish.render import Renderer

    outside, tree = tmp_path / "outside", tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    (tree / "templates").symlink_to(outside)  # an empty folder, but not the repository's
    renderer = Renderer(tree / "templates", root=tree)
    assert renderer.repository_templates()
    assert isinstance(renderer.env, SandboxedEnvironment)
