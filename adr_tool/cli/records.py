"""``adr init``, ``new``, ``edit``, ``list`` and ``show``."""

from __future__ import annotations

import click

from adr_tool.cli.app import (
    App,
    date_option,
    echo,
    emit_json,
    format_option,
    notes,
    open_editor,
    pass_app,
    resolve_date,
)


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
@date_option
@pass_app
def init(
    app: App,
    dir_arg: str | None,
    directory: str | None,
    template: str | None,
    lang: str,
    layout: str,
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
    )
    for path in written:
        echo(app.show_path(path))


@click.command()
@click.argument("title", nargs=-1)
@click.option(
    "-s", "--supersedes", type=int, multiple=True, metavar="N", help="Supersede record N."
)
@click.option(
    "-l",
    "--link",
    "links",
    multiple=True,
    metavar="N:REL[:REVERSE]",
    help='Link to record N, e.g. "3:Amends:Amended by".',
)
@click.option("--tradeoff", "tradeoffs", multiple=True, metavar="AXIS=SIDE", help="Favoured side.")
@click.option("--tag", "tags", multiple=True, help="Tag (repeatable).")
@click.option("--status", default=None, help="Initial status (default from config).")
@click.option("--template", default=None, help="tradeoff, madr, nygard or a .j2 path.")
@click.option("--no-edit", is_flag=True, help="Do not open $VISUAL/$EDITOR.")
@date_option
@pass_app
def new(
    app: App,
    title: tuple[str, ...],
    supersedes: tuple[int, ...],
    links: tuple[str, ...],
    tradeoffs: tuple[str, ...],
    tags: tuple[str, ...],
    status: str | None,
    template: str | None,
    no_edit: bool,
    date: str | None,
) -> None:
    """Create the next decision record and print its path.

    \b
    Example:
      adr new "Cache product pages in Redis" \\
          --tradeoff performance-vs-development-speed=performance --tag caching
      adr new -s 2 "Use PostgreSQL instead of MySQL"
    """
    from adr_tool.actions.create import LinkRequest, new_decision

    path = new_decision(
        app.settings,
        app.store(),
        app.renderer(),
        title=" ".join(title),
        date=resolve_date(date),
        status=status,
        template=template,
        tradeoffs=list(tradeoffs),
        tags=list(tags),
        supersedes=list(supersedes),
        links=[LinkRequest.parse(spec) for spec in links],
    )
    echo(app.show_path(path))
    if not no_edit:
        open_editor(path)


@click.command()
@click.argument("number", type=int)
@pass_app
def edit(app: App, number: int) -> None:
    """Open record NUMBER in $VISUAL/$EDITOR.

    \b
    Example:
      EDITOR=vim adr edit 3
    """
    open_editor(app.store().get(number).path, required=True)


@click.command(name="list")
@click.option("--status", default=None, help="Only records with this status.")
@click.option("--tag", default=None, help="Only records with this tag.")
@click.option("--axis", default=None, help="Only records with a trade-off on this axis.")
@format_option("text", "json")
@pass_app
def list_(app: App, status: str | None, tag: str | None, axis: str | None, fmt: str) -> None:
    """One line per record: number, status, date, title, favoured sides.

    \b
    Example:
      adr list --status accepted --format json
    """
    from adr_tool.publish.lookups import with_git_dates
    from adr_tool.publish.views import filtered, list_line

    settings = app.settings
    dated = with_git_dates(settings, filtered(app.store().load_all(), status, tag, axis))
    notes(dated.notes)
    if fmt == "json":
        emit_json([d.as_json(settings.root) for d in dated.decisions])
        return
    for d in dated.decisions:
        # adr-tools prints one path per line
        echo(app.show_path(d.path) if settings.layout == "adr-tools" else list_line(d))


@click.command()
@click.argument("number", type=int)
@format_option("text", "json")
@pass_app
def show(app: App, number: int, fmt: str) -> None:
    """Show record NUMBER with its resolved links.

    \b
    Example:
      adr show 2 --format json
    """
    from adr_tool.publish.lookups import with_git_dates
    from adr_tool.publish.views import show_data, show_text

    store = app.store()
    dated = with_git_dates(app.settings, [store.get(number)])
    notes(dated.notes)
    decision = dated.decisions[0]
    if fmt == "json":
        emit_json(show_data(decision, store.load_all(), app.settings.root))
    else:
        text = show_text(decision, store.load_all(), app.settings, store.body(decision))
        echo(text, nl=False)
