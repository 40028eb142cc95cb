"""``adr migrate``: records kept in other styles rewritten into front matter."""

from __future__ import annotations

import click

from adr_tool.cli.app import App, echo, pass_app, progress, refresh_index
from adr_tool.cli.messages import plural


@click.command()
@click.option(
    "--to",
    "target",
    type=click.Choice(["native", "madr"]),
    default="native",
    show_default=True,
    help="native: all metadata in front matter; madr: MADR 4 keys only.",
)
@click.option("--write", is_flag=True, help="Apply the changes (default: show a diff).")
@pass_app
def migrate(app: App, target: str, write: bool) -> None:
    """Rewrite adr-tools, MADR 2 and log4brains records into front matter.

    Prose is kept line for line; only understood metadata moves. Without --write,
    prints a unified diff per file and changes nothing.

    \b
    Example:
      adr migrate              # dry run: the diff
      adr migrate --write      # apply it
    """
    from adr_tool.actions import migrate as migration

    store = app.store()
    with progress("Reading records") as bar:
        store.progress = bar
        plan = migration.plan(store, target)
    for path, reason in plan.skipped:
        echo(f"adr: skipped {app.show_path(path)}: {reason}", err=True)
    if not write:
        for change in plan.changes:
            echo(change.diff(app.settings.relative(change.path)), nl=False)
        echo(
            f"{plural(len(plan.changes), 'record')} would change; run with --write to apply",
            err=True,
        )
        return
    for path in migration.apply(store, plan.changes):
        echo(f"migrated {app.show_path(path)}")
    refresh_index(app)
