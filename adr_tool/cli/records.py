"""``adr init``, ``new``, ``edit``, ``list`` and ``show``."""

from __future__ import annotations

from pathlib import Path

import click

from adr_tool.cli.app import (
    RECORD,
    App,
    date_option,
    echo,
    emit_json,
    format_option,
    notes,
    open_editor,
    pass_app,
    refresh_index,
    resolve_date,
)
from adr_tool.cli.complete import axes, statuses, tags, tradeoff_pairs


@click.command()
@click.argument("dir_arg", metavar="[DIR]", required=False, default=None)
@click.option("--dir", "directory", default=None, help="Decisions folder (default docs/decisions).")
@click.option(
    "--template",
    type=click.Choice(["tradeoff", "madr", "nygard"]),
    default=None,
    help="Record template for new decisions.",
)
@click.option("--lang", type=click.Choice(["en", "ko"]), default="en", show_default=True)
@click.option(
    "--layout",
    type=click.Choice(["native", "adr-tools"]),
    default="native",
    show_default=True,
    help="adr-tools writes .adr-dir and Nygard records, as adr-tools does.",
)
@click.option(
    "--force", is_flag=True, help="Replace an index file in the folder that adr did not write."
)
@date_option
@pass_app
def init(
    app: App,
    dir_arg: str | None,
    directory: str | None,
    template: str | None,
    lang: str,
    layout: str,
    force: bool,
    date: str | None,
) -> None:
    """Set up .adr.yaml, the decisions folder, record 0001 and the index.

    \b
    Example:
      adr init --dir docs/decisions --lang en
      adr init --layout adr-tools doc/architecture/decisions
    """
    from adr_tool.actions.scaffold import initialise
    from adr_tool.errors import UsageError

    if dir_arg and directory and dir_arg != directory:
        raise UsageError(f"give the folder once: DIR {dir_arg!r} or --dir {directory!r}")
    written = initialise(
        app.cwd,
        directory=directory or dir_arg,
        template=template,
        lang=lang,
        layout=layout,
        date=resolve_date(date),
        allow_outside=app.allow_outside,
        force=force,
    )
    for path in written:
        echo(app.show_path(path))
    from adr_tool.cli.messages import next_steps

    echo(next_steps(lang))


@click.command()
@click.argument("title", nargs=-1)
@click.option(
    "-s", "--supersedes", type=RECORD, multiple=True, metavar="N", help="Supersede record N."
)
@click.option(
    "-l",
    "--link",
    "links",
    multiple=True,
    metavar="N:REL[:REVERSE]",
    help='Link to record N, e.g. "3:Amends:Amended by".',
)
@click.option(
    "--tradeoff",
    "tradeoffs",
    multiple=True,
    metavar="AXIS=SIDE[; cost=…; revisit-when=…]",
    shell_complete=tradeoff_pairs,
    help="Favoured side of an axis, with its cost and revisit signal (repeatable).",
)
@click.option("--cost", default=None, help="Cost of the one --tradeoff given.")
@click.option("--revisit-when", default=None, help="Signal to revisit the one --tradeoff given.")
@click.option("--tag", "tags", multiple=True, shell_complete=tags, help="Tag (repeatable).")
@click.option(
    "--scope",
    "scope",
    multiple=True,
    metavar="PATTERN",
    help="Code the decision governs: a gitignore-style pattern from the repository root.",
)
@click.option(
    "--status", default=None, shell_complete=statuses, help="Initial status (default from config)."
)
@click.option("--template", default=None, help="tradeoff, madr, nygard or a .j2 path.")
@click.option("--no-edit", is_flag=True, help="Do not open $VISUAL/$EDITOR.")
@click.option(
    "--ask/--no-ask",
    default=None,
    help="Ask for the trade-off (default: on a terminal when no --tradeoff is given).",
)
@date_option
@pass_app
def new(
    app: App,
    title: tuple[str, ...],
    supersedes: tuple[int, ...],
    links: tuple[str, ...],
    tradeoffs: tuple[str, ...],
    cost: str | None,
    revisit_when: str | None,
    tags: tuple[str, ...],
    scope: tuple[str, ...],
    status: str | None,
    template: str | None,
    no_edit: bool,
    ask: bool | None,
    date: str | None,
) -> None:
    """Create the next decision record and print its path.

    Each --tradeoff names the side favoured on an axis; its cost and the signal to
    revisit go after it (`AXIS=SIDE; cost=…; revisit-when=…`), or in --cost and
    --revisit-when when there is one trade-off. On a terminal without options, adr asks.

    \b
    Example:
      adr new "Cache product pages in Redis" \\
          --tradeoff performance-vs-development-speed=performance \\
          --cost "a second store to run" --revisit-when "cache hit rate under 80%"
      adr new "Store orders in PostgreSQL" --tradeoff \\
          "scalability-vs-simplicity=simplicity; cost=one primary; revisit-when=1,000 writes/s"
      adr new "Cache product pages" --tradeoff performance-vs-development-speed=performance \\
          --scope 'src/catalog/**'
      adr new -s 2 "Use PostgreSQL instead of MySQL"
    """
    import sys

    from adr_tool.actions.create import LinkRequest, TradeoffRequest, new_decision
    from adr_tool.cli.messages import say
    from adr_tool.cli.prompts import ask_tradeoffs
    from adr_tool.errors import UsageError

    requests = [TradeoffRequest.parse(spec) for spec in tradeoffs]
    if cost is not None or revisit_when is not None:
        if len(requests) != 1:
            raise UsageError(
                "--cost and --revisit-when go with exactly one --tradeoff; for several, write "
                "--tradeoff 'AXIS=SIDE; cost=…; revisit-when=…' for each"
            )
        only = requests[0]
        requests = [
            TradeoffRequest(
                only.spec,
                " ".join((cost or only.cost).split()),
                " ".join((revisit_when or only.revisit_when).split()),
            )
        ]
    if ask is None:
        ask = sys.stdin.isatty() and not requests and not no_edit
    settings = app.settings
    if ask:
        if not title:
            title = (click.prompt(say("ask-title", settings.lang), err=True),)
        requests = requests or ask_tradeoffs(settings.localised_axes(), settings.lang)
    path = new_decision(
        settings,
        app.store(),
        app.renderer(),
        title=" ".join(title),
        date=resolve_date(date),
        status=status,
        template=template,
        tradeoffs=list(requests),
        tags=list(tags),
        supersedes=list(supersedes),
        links=[LinkRequest.parse(spec) for spec in links],
        scope=list(scope),
    )
    refresh_index(app)
    echo(app.show_path(path))
    if not no_edit:
        open_editor(path)
    if status is not None:  # asked for a status that needs a rationale: say what is missing
        _missing_for(app, path, status)


def _missing_for(app: App, path: Path, status: str) -> None:
    """What ``adr check`` will report of a record created with ``status`` (as written, or
    as the editor left it): the record stands, as the user asked, with a note per finding."""
    import datetime as dt

    from adr_tool.actions.status import required_findings
    from adr_tool.cli.messages import say
    from adr_tool.model import format_id, number_from_filename
    from adr_tool.records.store import Store

    number = number_from_filename(path.name)
    if number is None:
        return
    settings = app.settings
    store = Store(settings)  # afresh: the editor may have changed the file
    decision = store.get(number)
    for finding in required_findings(store, decision, status, dt.date.today()):
        echo(
            say(
                "born-failing",
                settings.lang,
                id=format_id(number),
                status=status,
                finding=finding.text(settings.lang),
            ),
            err=True,
        )


@click.command()
@click.argument("number", type=RECORD)
@pass_app
def edit(app: App, number: int) -> None:
    """Open record NUMBER in $VISUAL/$EDITOR.

    \b
    Example:
      EDITOR=vim adr edit 3
    """
    open_editor(app.store().get(number).path, required=True)


@click.command(name="list")
@click.option(
    "--status",
    "status",
    multiple=True,
    shell_complete=statuses,
    help="Only records with this status (repeatable: any of them).",
)
@click.option(
    "--tag",
    "tag",
    multiple=True,
    shell_complete=tags,
    help="Only records with this tag (repeatable: any of them).",
)
@click.option(
    "--axis",
    "axis",
    multiple=True,
    shell_complete=axes,
    help="Only records with a trade-off on this axis (repeatable: any of them).",
)
@format_option("text", "json")
@pass_app
def list_(
    app: App, status: tuple[str, ...], tag: tuple[str, ...], axis: tuple[str, ...], fmt: str
) -> None:
    """One line per record: number, status, date, title, favoured sides.

    \b
    Example:
      adr list --status accepted --status proposed --format json
    """
    from adr_tool.publish.views import check_filters, list_answer

    settings = app.settings
    check_filters(settings, status, axis)
    query = (status, tag, axis, fmt)
    text, found = list_answer(settings, app.store(), query, app.show_paths, str(app.cwd))
    notes(found)
    if fmt == "json":
        click.echo(text)  # data, not terminal text: JSON escapes what it must
    elif text:
        echo(text)  # one write, not one per record


@click.command()
@click.argument("number", type=RECORD)
@click.option("--raw", is_flag=True, help="Print the file as it is, guidance comments included.")
@format_option("text", "json")
@pass_app
def show(app: App, number: int, raw: bool, fmt: str) -> None:
    """Show record NUMBER (7, 0007 or ADR-7) with its resolved links.

    Template guidance (HTML comments) is left out; --raw prints the file itself.

    \b
    Example:
      adr show 2 --format json
      adr show ADR-2 --raw
    """
    from adr_tool.publish.lookups import with_git_dates
    from adr_tool.publish.views import show_data, show_text, without_guidance

    store = app.store()
    if raw:
        echo(store.read_text(store.get(number)), nl=False)
        return
    dated = with_git_dates(app.settings, [store.get(number)])
    notes(dated.notes)
    decision = dated.decisions[0]
    if fmt == "json":
        emit_json(show_data(decision, store.load_all(), app.settings.root))
    else:
        body = without_guidance(store.body(decision))
        text = show_text(decision, store.load_all(), app.settings, body)
        echo(text, nl=False)
