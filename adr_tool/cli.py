"""The command line: parse options, call the core, print, exit. Nothing else.

Exit codes: 0 ok, 1 findings or not found, 2 usage or configuration, 3 environment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from adr_tool import __version__
from adr_tool.config import Settings
from adr_tool.errors import ENVIRONMENT, AdrError, UsageError
from adr_tool.model import Decision

F = TypeVar("F", bound=Callable[..., Any])


class AdrGroup(click.Group):
    """Turns every expected failure into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AdrError as exc:
            click.echo(f"adr: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"adr: error: {exc.strerror or exc}{where}", err=True)
            ctx.exit(ENVIRONMENT)


class App:
    """What every command shares: where we run, and lazily the settings and store."""

    def __init__(self, cwd: Path, allow_outside: bool) -> None:
        self.cwd = cwd
        self.allow_outside = allow_outside
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from adr_tool.config import discover

            self._settings = discover(self.cwd, allow_outside=self.allow_outside)
        return self._settings

    def store(self) -> Any:
        from adr_tool.store import Store

        return Store(self.settings)

    def renderer(self) -> Any:
        from adr_tool.render import Renderer

        return Renderer(self.settings.directory / "templates", self.settings.lang)

    def show_path(self, path: Path) -> str:
        try:
            return os.path.relpath(path, self.cwd)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(path)


pass_app = click.make_pass_decorator(App)


def format_option(*choices: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or ("text", "json")),
        default=(choices or ("text",))[0],
        show_default=True,
        help="Output format.",
    )


def date_option(f: F) -> F:
    return click.option(
        "--date",
        envvar="ADR_DATE",
        metavar="YYYY-MM-DD",
        help="Date to write instead of today (also ADR_DATE).",
    )(f)


def resolve_date(value: str | None) -> str:
    if not value:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--date: {value!r} is not a date in YYYY-MM-DD form") from None


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_editor(path: Path, *, required: bool = False) -> None:
    """Open $VISUAL/$EDITOR on ``path`` when set and we talk to a terminal."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if editor and (interactive or required):
        click.edit(filename=str(path), editor=editor)
    elif required:
        raise UsageError("set $VISUAL or $EDITOR to edit records")


@click.group(cls=AdrGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="adr")
@click.option(
    "-C",
    "cwd",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run as if adr was started in this directory.",
)
@click.option(
    "--allow-outside",
    is_flag=True,
    help="Allow a decisions folder outside the repository (e.g. a symlink).",
)
@click.pass_context
def cli(ctx: click.Context, cwd: Path | None, allow_outside: bool) -> None:
    """Record the trade-offs behind your system's design as decision records.

    \b
    Quick start:
      adr init
      adr new "Cache product pages in Redis" --tradeoff performance-vs-development-speed=performance
      adr list
    """
    ctx.obj = App((cwd or Path.cwd()).resolve(), allow_outside)


# --- records: init, new, edit, list, show -------------------------------------------


@cli.command()
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
    """
    from adr_tool.scaffold import initialise

    written = initialise(
        app.cwd,
        directory=directory,
        template=template,
        lang=lang,
        layout=layout,
        date=resolve_date(date),
        allow_outside=app.allow_outside,
    )
    for path in written:
        click.echo(app.show_path(path))


@cli.command()
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
    from adr_tool.lifecycle import LinkRequest, new_decision

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
    click.echo(app.show_path(path))
    if not no_edit:
        open_editor(path)


@cli.command()
@click.argument("number", type=int)
@pass_app
def edit(app: App, number: int) -> None:
    """Open record NUMBER in $VISUAL/$EDITOR.

    \b
    Example:
      EDITOR=vim adr edit 3
    """
    open_editor(app.store().get(number).path, required=True)


def filtered(
    decisions: list[Decision], status: str | None, tag: str | None, axis: str | None
) -> list[Decision]:
    return [
        d
        for d in decisions
        if (status is None or d.status == status.lower())
        and (tag is None or tag in d.tags)
        and (axis is None or any(t.axis == axis for t in d.tradeoffs))
    ]


@cli.command(name="list")
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
    settings = app.settings
    decisions = filtered(app.store().load_all(), status, tag, axis)
    if fmt == "json":
        emit_json([d.as_json(settings.root) for d in decisions])
        return
    for d in decisions:
        sides = f"  [{', '.join(d.favoured())}]" if d.tradeoffs else ""
        click.echo(f"{d.id}  {d.status or '-':<10}  {d.date or '-':<10}  {d.title}{sides}")


@cli.command()
@click.argument("number", type=int)
@format_option("text", "json")
@pass_app
def show(app: App, number: int, fmt: str) -> None:
    """Show record NUMBER with its resolved links.

    \b
    Example:
      adr show 2 --format json
    """
    from adr_tool.views import show_data, show_text

    store = app.store()
    decision = store.get(number)
    if fmt == "json":
        emit_json(show_data(decision, store.load_all(), app.settings.root))
    else:
        click.echo(show_text(decision, store.load_all(), app.settings), nl=False)


# --- lifecycle: status, accept, reject, deprecate, supersede, link, unlink, renumber --


# --- index: index, graph, digest, generate ------------------------------------------


# --- git: log, why -------------------------------------------------------------------


# --- checks and hooks: check, hook ----------------------------------------------------


# --- other formats: migrate ------------------------------------------------------------


# --- site ------------------------------------------------------------------------------


def main() -> None:
    cli(prog_name="adr")
