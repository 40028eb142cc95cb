"""``adr check`` and the git hooks."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from adr_tool.cli.app import (
    App,
    echo,
    emit_json,
    format_option,
    pass_app,
    progress,
    resolve_date,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--diff", "diff_ref", metavar="REF", help="Only records added or changed since REF.")
@click.option(
    "--base",
    "base_ref",
    metavar="REF",
    help="Also report records whose number REF (the branch you merge into) took meanwhile.",
)
@click.option(
    "--staged",
    is_flag=True,
    help="Judge the staged records (what the next commit holds), not the working tree.",
)
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
    base_ref: str | None,
    staged: bool,
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
      adr check --diff origin/main --strict   # also: numbers main took meanwhile
      adr check --base origin/main
      adr check --staged            # what the pre-commit hook runs
    """
    from adr_tool.checks.findings import failed, summary
    from adr_tool.checks.run import run_check
    from adr_tool.errors import Exit

    day = dt.date.fromisoformat(resolve_date(today))
    if staged:
        from adr_tool.checks.staged import run_staged_check
        from adr_tool.errors import UsageError

        if paths or diff_ref or base_ref:
            raise UsageError(
                "--staged checks the whole staged folder; give no PATHS, --diff or --base"
            )
        report = run_staged_check(app.settings, today=day)
    else:
        store = app.store()
        with progress("Reading records", fmt=fmt) as bar:
            store.progress = bar  # run_check starts its git reads, then loads the records
            report = run_check(
                app.settings,
                store,
                today=day,
                paths=[app.cwd / p for p in paths] or None,
                diff_ref=diff_ref,
                renderer=app.renderer,
                base_ref=base_ref,
            )
        store.progress = None
    lang = app.settings.lang
    if fmt == "json":
        emit_json([f.as_json(lang) for f in report.findings])
    else:
        for finding in report.findings:
            echo(finding.text(lang))
        echo(summary(report.findings, report.checked, strict, lang))
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
    """Install a pre-commit hook running 'adr check --staged' (and a commit-msg guard).

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
    existing record, or be 'Decision: none' followed by a reason. A commit changing files
    under the scope of a decision in force without naming one of them gets a warning
    (refused with 'require: {scope-trailer: true}').

    \b
    Example:
      adr hook commit-msg .git/COMMIT_EDITMSG
    """
    from adr_tool.checks.guard import commit_msg_report
    from adr_tool.errors import Exit

    report = commit_msg_report(app.settings, app.store(), app.cwd / message_file)
    if report.problem:
        raise Exit(1, f"adr: {report.problem}")
    if report.warning:
        raise Exit(0, f"adr: warning: {report.warning}")
