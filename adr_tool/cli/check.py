"""``adr check`` and the git hooks."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from adr_tool.cli.app import App, echo, emit_json, format_option, pass_app, resolve_date


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--diff", "diff_ref", metavar="REF", help="Only records added or changed since REF.")
@click.option(
    "--today",
    envvar="ADR_DATE",
    metavar="YYYY-MM-DD",
    help="Judge review-by dates against this day (default today; also ADR_DATE).",
)
@format_option("text", "json")
@pass_app
def check(
    app: App,
    paths: tuple[Path, ...],
    strict: bool,
    diff_ref: str | None,
    today: str | None,
    fmt: str,
) -> None:
    """Lint decision records: rationale, trade-offs, links, numbering, the index.

    PATHS limit the per-record rules to those files; duplicates, dangling links and
    the index are always checked over the whole folder. Exit 0 clean (warnings pass
    unless --strict), 1 findings, 2 usage or configuration error.

    \b
    Example:
      adr check
      adr check docs/decisions/0007-store-orders.md --format json
      adr check --diff origin/main --strict
    """
    from adr_tool.checks.findings import failed, summary
    from adr_tool.checks.run import run_check
    from adr_tool.errors import Exit

    report = run_check(
        app.settings,
        app.store(),
        today=dt.date.fromisoformat(resolve_date(today)),
        paths=[app.cwd / p for p in paths] or None,
        diff_ref=diff_ref,
        renderer=app.renderer,
    )
    if fmt == "json":
        emit_json([f.as_json() for f in report.findings])
    else:
        for finding in report.findings:
            echo(finding.text())
        echo(summary(report.findings, report.checked, strict))
    if failed(report.findings, strict):
        raise Exit(1)


@click.group()
def hook() -> None:
    """Git hooks without the pre-commit framework, and the commit-msg guard.

    \b
    Example:
      adr hook install --commit-msg
    """


@hook.command(name="install")
@click.option("--commit-msg", "commit_msg", is_flag=True, help="Also install the commit-msg guard.")
@click.option("--force", is_flag=True, help="Replace existing hooks (kept as <name>.bak).")
@pass_app
def hook_install(app: App, commit_msg: bool, force: bool) -> None:
    """Install a pre-commit hook running 'adr check' (and a commit-msg guard).

    Never overwrites a hook it did not write unless --force is given; then the old
    hook is kept as <name>.bak.

    \b
    Example:
      adr hook install --commit-msg
    """
    from adr_tool.checks.install import hooks_dir, install

    done = install(hooks_dir(app.settings), sys.executable, commit_msg_hook=commit_msg, force=force)
    for path, backup in done:
        note = f" (previous hook kept as {app.show_path(backup)})" if backup else ""
        echo(f"installed {app.show_path(path)}{note}")


@hook.command(name="commit-msg")
@click.argument("message_file", type=click.Path(path_type=Path))
@pass_app
def hook_commit_msg(app: App, message_file: Path) -> None:
    """Refuse a commit touching guard.paths without a 'Decision:' trailer.

    Git calls this with the file holding the commit message. The trailer must name an
    existing record, or be 'Decision: none' followed by a reason.

    \b
    Example:
      adr hook commit-msg .git/COMMIT_EDITMSG
    """
    from adr_tool.checks.guard import commit_msg
    from adr_tool.errors import Exit

    problem = commit_msg(app.settings, app.store(), app.cwd / message_file)
    if problem:
        raise Exit(1, f"adr: {problem}")
