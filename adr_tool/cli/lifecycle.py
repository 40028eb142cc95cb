"""Status changes, supersession, links and ``adr renumber``."""

from __future__ import annotations

import click

from adr_tool.cli.app import (
    RECORD,
    App,
    date_option,
    echo,
    force_option,
    pass_app,
    refresh_index,
    resolve_date,
)
from adr_tool.cli.complete import status_argument


def change_status(app: App, number: int, status: str, force: bool, date: str | None) -> None:
    from adr_tool.actions.status import change_status as change
    from adr_tool.cli.messages import say
    from adr_tool.config import status_label

    lang = app.settings.lang
    done = change(app.store(), number, status, date=resolve_date(date), force=force)
    for finding in done.overridden:
        echo(say("forced", lang, finding=finding.text(lang)), err=True)
    if done.path is None:
        label = status_label(status.lower(), lang)
        echo(say("unchanged", lang, number=number, status=label))
    else:
        refresh_index(app)
        echo(app.show_path(done.path))
    for path in done.retired:
        echo(say("retired", lang, path=app.show_path(path), number=number))


@click.command(name="status")
@click.argument("number", type=RECORD)
@click.argument("status", shell_complete=status_argument)
@force_option
@date_option
@pass_app
def status_(app: App, number: int, status: str, force: bool, date: str | None) -> None:
    """Set the status of record NUMBER (one of the configured statuses) and its date.

    A superseded, rejected or deprecated record is not silently brought back:
    such transitions are refused unless --force is given. A status named in
    'require' (accepted, by default) is refused while the record lacks what it
    requires (rationale, trade-off, cost); --force overrides and says what.
    Accepting a record that supersedes others marks them superseded.

    \b
    Example:
      adr status 4 deprecated --date 2026-12-01
    """
    change_status(app, number, status, force, date)


def status_shortcut(word: str, verb: str) -> click.Command:
    @force_option
    @date_option
    @pass_app
    def command(app: App, number: int, force: bool, date: str | None) -> None:
        change_status(app, number, word, force, date)

    command.__doc__ = f"""Mark record NUMBER as {word} (same as: adr status NUMBER {word}).

    \b
    Example:
      adr {verb} 2
    """
    return click.command(name=verb)(click.argument("number", type=RECORD)(command))


accept = status_shortcut("accepted", "accept")
reject = status_shortcut("rejected", "reject")
deprecate = status_shortcut("deprecated", "deprecate")


@click.command()
@click.argument("old", type=RECORD)
@click.argument("new", type=RECORD)
@force_option
@pass_app
def supersede(app: App, old: int, new: int, force: bool) -> None:
    """Record that NEW supersedes OLD, on both records. Cycles are refused, and so is a
    NEW that is rejected, deprecated or superseded (unless --force).

    \b
    Example:
      adr supersede 2 5
    """
    from adr_tool.actions.lifecycle import supersede as supersede_records

    paths = supersede_records(app.store(), old, new, force=force)
    refresh_index(app)
    for path in paths:
        echo(app.show_path(path))


@click.command()
@click.argument("number", type=RECORD)
@click.argument("relation", nargs=-1)
@click.option("--reverse", default=None, metavar="REL", help="Relation written on the target.")
@click.option("--commit", default=None, metavar="REV", help="Link a git commit instead.")
@click.option("--remove", is_flag=True, help="With --commit: remove the commit link.")
@pass_app
def link(
    app: App,
    number: int,
    relation: tuple[str, ...],
    reverse: str | None,
    commit: str | None,
    remove: bool,
) -> None:
    """Link record NUMBER to record M with relation REL (or to a git commit).

    The adr-tools form `adr link SRC REL TGT REVERSE` works too.

    \b
    Example:
      adr link 3 Amends 1 --reverse "Amended by"
      adr link 3 Amends 1 "Amended by"
      adr link 3 --commit HEAD
    """
    from adr_tool.actions import lifecycle
    from adr_tool.cli.messages import say
    from adr_tool.errors import UsageError

    lang = app.settings.lang
    store = app.store()
    if commit is not None:
        if relation or reverse:
            raise UsageError("--commit links a commit; give no relation or target with it")
        path, sha, changed = lifecycle.link_commit(store, number, commit, remove=remove)
        if changed:
            refresh_index(app)
            echo(app.show_path(path))
        else:
            echo(say("has-commit", lang, number=number, sha=sha[:12]))
        return
    if remove:
        raise UsageError(
            f"--remove goes with --commit; to remove a link use: adr unlink {number} M"
        )
    args = lifecycle.LinkArguments.parse(relation, reverse)
    changed_paths = lifecycle.link(store, number, args.relation, args.target, args.reverse)
    if changed_paths:
        refresh_index(app)
    if not changed_paths:
        echo(say("has-link", lang, number=number))
    for path in changed_paths:
        echo(app.show_path(path))


@click.command()
@click.argument("number", type=RECORD)
@click.argument("other", type=RECORD)
@pass_app
def unlink(app: App, number: int, other: int) -> None:
    """Remove every typed link between records NUMBER and OTHER, both ways.

    \b
    Example:
      adr unlink 3 1
    """
    from adr_tool.actions.lifecycle import unlink as unlink_records

    paths = unlink_records(app.store(), number, other)
    if paths:
        refresh_index(app)
    for path in paths:
        echo(app.show_path(path))


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Before a merge: move the records whose number REF took meanwhile.",
)
@pass_app
def renumber(app: App, dry_run: bool, base: str | None) -> None:
    """Give records that share a number (after a merge) the next free numbers.

    The record added later moves: by the commit that first added it (git history),
    then by name; never by file time, so a rerun makes the same choice. Every reference
    to it in the folder is rewritten; inside git the file is moved with git. It holds
    the folder lock, and a rerun after an interrupted run finishes that run's plan.
    With --base REF it moves, before the merge, the records this branch added whose
    number REF took (what 'adr check --base REF' reports as ADR017).

    \b
    Example:
      adr renumber --dry-run
      adr renumber
      adr renumber --base origin/main
    """
    from adr_tool.actions import renumber as renumbering
    from adr_tool.cli.messages import say

    lang = app.settings.lang
    plan = renumbering.renumber(app.store(), dry_run=dry_run, base=base)
    if not plan.moves:
        echo(say("no-duplicates", lang))
        return
    for note in plan.notes:
        echo(f"adr: note: {note}", err=True)
    prefix = "would-" if dry_run else ""
    for old, new in plan.moves:
        echo(say(f"{prefix}move", lang, old=app.show_path(old), new=app.show_path(new)))
    for path in plan.edited:
        echo(say(f"{prefix}rewrite", lang, path=app.show_path(path)))
    if not dry_run:
        refresh_index(app)
