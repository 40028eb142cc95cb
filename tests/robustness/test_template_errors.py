"""A repository's template can fail however it likes — raise any exception, ask for a
huge string, list or integer — and adr says so in one line naming the template (exit 2),
never a traceback; nothing is written. ``*`` and ``**`` are bounded in the sandbox as
jinja2 bounds ``range``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from harness import adr as adr_process
from harness import git_env

from adr_tool.cli import cli
from adr_tool.publish.render import MAX_INT_BITS, MAX_REPEAT

FAILING = [
    ("{{ 1/0 }}", 1, "ZeroDivisionError: division by zero"),
    ('x\n{{ "a" * "b" }}', 2, "TypeError: can't multiply sequence by non-int"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}\n\n{{ f(1) }}", None, "RecursionError"),
    ("{{ 10 ** 4400 }}", 1, "ValueError: Exceeds the limit"),  # too long to print
    ('{{ "%d" % "x" }}', 1, "TypeError: %d format"),
    # too big to build: refused before anything is built
    ("{{ ('x' * 2000000) | length }}", 1, "'*' would build 2,000,000 items or characters"),
    ("{{ ((range(100)|list) * 20000) | length }}", 1, "'*' would build 2,000,000 items"),
    ("{{ (2 ** 200000) > 0 }}", 1, "'**' would build up to 400,000 bits, over adr's limit"),
    (
        "{% set ns = namespace(x=3) %}{% for i in range(20) %}{% set ns.x = ns.x * ns.x %}"
        "{% endfor %}{{ ns.x > 0 }}",
        1,
        "'*' would build up to 103,874 bits",  # 3 ** 2 ** 15, squared
    ),
]


def adr(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        cli, ["-C", str(root), *args], catch_exceptions=True, env={"ADR_DATE": "2026-11-24"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def one_error_line(result: Result, template: Path, line: int | None, why: str) -> None:
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    where = f"{template}:{line}" if line else f"{template}"
    assert lines[0].startswith(f"adr: error: template {where}"), (lines[0], where)
    assert why in lines[0], lines[0]


@pytest.mark.parametrize(("source", "line", "why"), FAILING)
def test_a_failing_index_template_is_one_line(
    project: Path, source: str, line: int | None, why: str
) -> None:
    index = project / "docs" / "decisions" / "README.md"
    before = index.read_bytes()
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    template = folder / "index.md.j2"
    template.write_text(source + "\n", encoding="utf-8")
    one_error_line(adr(project, "index", "--check"), template, line, why)
    one_error_line(adr(project, "index"), template, line, why)
    assert index.read_bytes() == before


def test_a_failing_included_template_is_named(project: Path) -> None:
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    (folder / "index.md.j2").write_text('top\n{% include "part.md.j2" %}\n', encoding="utf-8")
    (folder / "part.md.j2").write_text("a\nb\n{{ 1 % 0 }}\n", encoding="utf-8")
    one_error_line(adr(project, "index"), folder / "part.md.j2", 3, "ZeroDivisionError")
    (folder / "index.md.j2").write_text('top\n{% include "nope.md.j2" %}\n', encoding="utf-8")
    one_error_line(adr(project, "index"), folder / "index.md.j2", 2, "'nope.md.j2' not found")


def test_a_failing_rows_template_is_named(project: Path) -> None:
    """The shipped index imports ``index-rows.md.j2``, and adr calls its macros itself
    (decision 0062): a repository's rows template fails in one line too."""
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    shipped = (Path(__file__).parents[2] / "templates" / "index-rows.md.j2").read_text("utf-8")
    rows = folder / "index-rows.md.j2"
    broken = shipped.replace("{% macro unlinked(r) %}", "{% macro unlinked(r) %}\n{{ 1/0 }}", 1)
    broken = broken.replace('| {{ r["status"] }} | {{ r["date"] }}', "| {{ r.status.x.y }}", 1)
    rows.write_text(broken, encoding="utf-8")
    result = adr(project, "index")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith(f"adr: error: template {rows}"), result.stderr


@pytest.mark.parametrize(("source", "line", "why"), FAILING[:2] + FAILING[5:6])
def test_a_failing_record_template_is_one_line(
    project: Path, source: str, line: int | None, why: str
) -> None:
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    (folder / "tradeoff.md.j2").write_text(source + "\n", encoding="utf-8")
    one_error_line(adr(project, "new", "Made", "--no-edit"), folder / "tradeoff.md.j2", line, why)
    assert not list((project / "docs" / "decisions").glob("0002-*"))


def test_a_failing_template_named_in_the_config_is_one_line(project: Path) -> None:
    (project / "mine.md.j2").write_text("# T\n\n{{ 1/0 }}\n", encoding="utf-8")
    config = project / ".adr.yaml"
    text = re.sub(r"(?m)^template: \S+", "template: mine.md.j2", config.read_text("utf-8"))
    config.write_text(text, encoding="utf-8")
    result = adr(project, "new", "Made", "--no-edit")
    one_error_line(result, project / "mine.md.j2", 3, "ZeroDivisionError: division by zero")


def test_the_bounds_are_where_they_say(project: Path) -> None:
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    template = folder / "index.md.j2"
    fits = (
        f"{{{{ ('x' * {MAX_REPEAT}) | length }}}} {{{{ ([0, 1] * {MAX_REPEAT // 2}) | length }}}}"
        f" {{{{ (2 ** {MAX_INT_BITS // 2 - 1}) > 0 }}}} {{{{ (-1) ** 10 ** 30 }}}}"
        " {{ 2 ** -2 }} {{ 1.5 ** 2 }} {{ [1] * -3 }} {{ 3 * 'ab' }}\n"
    )
    template.write_text(fits, encoding="utf-8")
    assert adr(project, "index").exit_code == 0
    text = (project / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    assert text.startswith(f"{MAX_REPEAT} {MAX_REPEAT} True 1 0.25 2.25 [] ababab\n")
    template.write_text(f"{{{{ 'x' * {MAX_REPEAT + 1} }}}}\n", encoding="utf-8")
    one_error_line(adr(project, "index"), template, 1, f"{MAX_REPEAT + 1:,} items")


def test_shipped_templates_render_the_same_in_the_bounded_sandbox(project: Path) -> None:
    """Any file in the template folder puts every template in the sandbox."""
    assert adr(project, "new", "Cache pages", "--no-edit").exit_code == 0
    assert adr(project, "index").exit_code == 0
    plain = (project / "docs" / "decisions" / "README.md").read_bytes()
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a template\n", encoding="utf-8")
    assert adr(project, "index").exit_code == 0
    assert (project / "docs" / "decisions" / "README.md").read_bytes() == plain
    assert adr(project, "digest").exit_code == 0


def test_the_real_command_prints_one_line(tmp_path: Path, project: Path) -> None:
    folder = project / "docs" / "decisions" / "templates"
    folder.mkdir()
    (folder / "index.md.j2").write_text("{{ 1/0 }}\n", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    done = adr_process(project, "index", "--check", env=git_env(home))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"adr: error: template {folder / 'index.md.j2'}:1 failed: "
        "ZeroDivisionError: division by zero"
    ]
    shutil.rmtree(folder)
    assert adr_process(project, "index", "--check", env=git_env(home)).returncode == 0
