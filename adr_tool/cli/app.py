"""What every command shares: the App (where we run, settings, store, renderer), the one
error wrapper, the lazy group, and the options several commands take. Only the cli
package imports click.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from adr_tool.errors import ENVIRONMENT, USAGE, AdrError, EnvironmentProblem, Exit, UsageError
from adr_tool.publish.terminal import terminal_safe

if TYPE_CHECKING:
    from pathlib import Path

    from adr_tool.config import Settings
    from adr_tool.publish.render import Renderer
    from adr_tool.records.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class AdrGroup(click.Group):
    """The one error wrapper: every expected failure becomes one line on stderr and its
    exit code; commands never call ``sys.exit`` themselves."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exit as exc:
            if exc.message:
                echo(exc.message, err=True, nl=False)
            ctx.exit(exc.exit_code)
        except AdrError as exc:
            echo(f"adr: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except UnicodeError as exc:  # e.g. an argument or file name that is not UTF-8
            echo(
                f"adr: error: text that is not valid UTF-8 cannot be used here ({exc})",
                err=True,
            )
            ctx.exit(USAGE)
        except BrokenPipeError:
            # `adr list | head`: the reader left; stop quietly like other Unix tools
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            ctx.exit(0)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            echo(f"adr: error: {exc.strerror or exc}{where}", err=True)
            ctx.exit(ENVIRONMENT)


class LazyGroup(AdrGroup):
    """A group that knows its commands from a table (name → ``module.attribute`` under
    ``adr_tool.cli``, and the one-line help it lists) and imports a command's module only
    when that command runs or shows its own help: ``adr --help`` and completing a command
    name import no command module. The table's commands are neither hidden nor deprecated
    (the listing does not import them to ask)."""

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module, _, attribute = self.lazy[cmd_name][0].rpartition(".")
            command = getattr(importlib.import_module(f"adr_tool.cli.{module}"), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def load_all(self) -> Mapping[str, click.Command]:
        """Every command, imported (for a typo's suggestions, and for the tests)."""
        ctx = click.Context(self)
        for name in self.lazy:
            self.get_command(ctx, name)
        return self.commands

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.lazy and args[0] not in self.commands:
            self.load_all()  # a typo: click suggests close names from every command
        return super().resolve_command(ctx, args)

    def listed_help(self, name: str, limit: int) -> str:
        """The command's one-line help as ``adr --help`` lists it, without importing it."""
        command = self.commands.get(name) or click.Command(name, help=self.lazy[name][1])
        return command.get_short_help_str(limit)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from gettext import gettext

        names = self.list_commands(ctx)
        if names:  # the column limit click's own listing uses
            limit = formatter.width - 6 - max(len(name) for name in names)
            with formatter.section(gettext("Commands")):  # as click words it
                formatter.write_dl([(name, self.listed_help(name, limit)) for name in names])

    def shell_complete(
        self, ctx: click.Context, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        found = [
            CompletionItem(name, help=self.listed_help(name, 45))
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
        ]
        return found + click.Command.shell_complete(self, ctx, incomplete)


class App:
    """What every command shares: where we run, and lazily the settings and store."""

    def __init__(self, cwd: Path, allow_outside: bool, use_cache: bool = True) -> None:
        self.cwd = cwd
        self.allow_outside = allow_outside
        self.use_cache = use_cache
        self.quiet = False
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from adr_tool.config import discover

            self._settings = discover(self.cwd, allow_outside=self.allow_outside)
        return self._settings

    def store(self) -> Store:
        from adr_tool.records.store import Store

        cache = None
        if self.use_cache:
            from adr_tool.records.cache import ParseCache

            cache = ParseCache.for_settings(self.settings, os.environ)
        return Store(self.settings, cache=cache)

    def renderer(self) -> Renderer:
        from adr_tool.publish.render import Renderer

        settings = self.settings
        return Renderer(settings.directory / "templates", settings.lang, root=settings.root)

    def writable(self, path: Path, what: str = "--output") -> Path:
        """``path`` resolved against the working folder, when writing there cannot be
        sent out of the repository by a symlink it holds (see :mod:`adr_tool.confine`)."""
        from adr_tool import confine
        from adr_tool.config import find_git_root

        target = self.cwd / path
        return confine.require_writable(target, find_git_root(self.cwd) or self.cwd, what)

    def show_path(self, path: Path | str) -> str:
        try:
            return os.path.relpath(path, self.cwd)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(path)

    def show_paths(self, paths: list[Path]) -> list[str]:
        """:meth:`show_path` of each; one ``relpath`` per folder, not per file."""
        folders: dict[str, str] = {}
        out = []
        for path in paths:
            folder, name = os.path.split(path)
            shown = folders.get(folder)
            if shown is None:
                shown = folders[folder] = self.show_path(folder)
            out.append(name if shown == "." else os.path.join(shown, name))
        return out


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


def output_option(help: str) -> Callable[[F], F]:
    """``--output FILE``: where a command writes instead of its usual place."""
    from pathlib import Path

    return click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=help,
    )


def date_option(f: F) -> F:
    return click.option(
        "--date",
        envvar="ADR_DATE",
        metavar="YYYY-MM-DD",
        help="Date to write instead of today (also ADR_DATE).",
    )(f)


force_option = click.option(
    "--force", is_flag=True, help="Allow a transition that is normally refused."
)


def resolve_date(value: str | None) -> str:
    if not value:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--date: {value!r} is not a date in YYYY-MM-DD form") from None


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """The one way text reaches the terminal: control characters from records, paths,
    commits and messages are escaped (JSON goes through :func:`emit_json` as data)."""
    click.echo(terminal_safe(text), err=err, nl=nl)


def emit_json(data: object) -> None:
    import json  # not at import time: `adr --help` does not need it

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def notes(lines: tuple[str, ...] | list[str]) -> None:
    """What limits an answer (shallow clone, no git, …), on stderr."""
    for note in lines:
        echo(f"adr: note: {note}", err=True)


def open_editor(path: Path, *, required: bool = False) -> None:
    """Open $VISUAL/$EDITOR on ``path`` when set and we talk to a terminal."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if editor and (interactive or required):
        try:
            click.edit(filename=str(path), editor=editor)
        except click.ClickException:  # not found, or it exited with an error
            raise EnvironmentProblem(
                f"the editor {editor!r} could not be run; the record is at {path}: "
                "edit it there, or set $VISUAL/$EDITOR to an editor on your PATH"
            ) from None
    elif required:
        raise UsageError(f"set $VISUAL or $EDITOR to edit records (the record is at {path})")


class RecordNumber(click.ParamType):  # type: ignore[type-arg]
    """A record number as a user types it: ``7``, ``0007``, ``ADR-7`` or ``ADR-0007``.

    A bad value is a one-line ``adr: error:`` (not click's usage block), and the shell
    completes the numbers of the records in the folder, with their titles."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from adr_tool.model import parse_ref

        number = parse_ref(value)
        if number is None:
            what = param.human_readable_name if param is not None else "NUMBER"
            raise UsageError(
                f"{what}: {str(value)!r} is not a record number; write 7, 0007 or ADR-7"
            )
        return number

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from adr_tool.cli.complete import record_numbers

        return record_numbers(ctx, incomplete)


RECORD = RecordNumber()


class Progress:
    """A progress bar on stderr for long work, or nothing: the rooms below call it as
    ``progress(done, total)`` and never learn about click."""

    def __init__(self, label: str, enabled: bool, stream: Any = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=self.stream)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress(label: str, *, quiet: bool = False, fmt: str = "text") -> Progress:
    """The bar a command shows: on a terminal only, never with --quiet or in JSON mode."""
    ctx = click.get_current_context(silent=True)
    app = ctx.find_object(App) if ctx is not None else None
    quiet = quiet or bool(app is not None and app.quiet)
    return Progress(label, enabled=not quiet and fmt != "json")


def refresh_index(app: App) -> None:
    """Regenerate the index after a change, when the repository has one (``index.auto``)."""
    settings = app.settings
    if not settings.index_auto or not settings.index.is_file():
        return  # refresh() would do nothing: skip importing the index and its renderer
    from adr_tool.publish.index import refresh

    try:
        from adr_tool.publish.fingerprint import index_day

        refresh(app.settings, app.store(), app.renderer(), today=index_day())
    except AdrError as exc:  # the change itself is done: say why the index was left alone
        from adr_tool.cli.messages import say

        echo(say("not-refreshed", settings.lang, error=str(exc)), err=True)
