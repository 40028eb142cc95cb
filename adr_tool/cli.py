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

from adr_tool.config import Settings
from adr_tool.errors import ENVIRONMENT, AdrError, EnvironmentProblem, UsageError
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
        except BrokenPipeError:
            # `adr list | head`: the reader left; stop quietly like other Unix tools
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            ctx.exit(0)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            click.echo(f"adr: error: {exc.strerror or exc}{where}", err=True)
            ctx.exit(ENVIRONMENT)


class App:
    """What every command shares: where we run, and lazily the settings and store."""

    def __init__(self, cwd: Path, allow_outside: bool, use_cache: bool = True) -> None:
        self.cwd = cwd
        self.allow_outside = allow_outside
        self.use_cache = use_cache
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from adr_tool.config import discover

            self._settings = discover(self.cwd, allow_outside=self.allow_outside)
        return self._settings

    def store(self) -> Any:
        from adr_tool.store import Store

        cache = None
        if self.use_cache:
            from adr_tool.cache import ParseCache

            cache = ParseCache.for_settings(self.settings, os.environ)
        return Store(self.settings, cache=cache)

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
@click.version_option(None, "--version", prog_name="adr", package_name="adr-tool")
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
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every record afresh; do not read or write the parse cache.",
)
@click.pass_context
def cli(ctx: click.Context, cwd: Path | None, allow_outside: bool, no_cache: bool) -> None:
    """Record the trade-offs behind your system's design as decision records.

    \b
    Quick start:
      adr init
      adr new "Cache product pages in Redis" --tradeoff performance-vs-development-speed=performance
      adr list
    """
    ctx.obj = App((cwd or Path.cwd()).resolve(), allow_outside, use_cache=not no_cache)


# --- records: init, new, edit, list, show -------------------------------------------


@cli.command()
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
    from adr_tool.scaffold import initialise

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
    from adr_tool.create import LinkRequest, new_decision

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
    decisions = with_git_dates(app, filtered(app.store().load_all(), status, tag, axis))
    if fmt == "json":
        emit_json([d.as_json(settings.root) for d in decisions])
        return
    for d in decisions:
        if settings.layout == "adr-tools":  # adr-tools prints one path per line
            click.echo(app.show_path(d.path))
            continue
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
    decision = with_git_dates(app, [store.get(number)])[0]
    if fmt == "json":
        emit_json(show_data(decision, store.load_all(), app.settings.root))
    else:
        text = show_text(decision, store.load_all(), app.settings, store.body(decision))
        click.echo(text, nl=False)


# --- lifecycle: status, accept, reject, deprecate, supersede, link, unlink, renumber --


def change_status(app: App, number: int, status: str, force: bool, date: str | None) -> None:
    from adr_tool.lifecycle import set_status

    path = set_status(app.store(), number, status, date=resolve_date(date), force=force)
    if path is None:
        click.echo(f"record {number} is already {status.lower()}; nothing changed")
    else:
        click.echo(app.show_path(path))


force_option = click.option(
    "--force", is_flag=True, help="Allow a transition that is normally refused."
)


@cli.command(name="status")
@click.argument("number", type=int)
@click.argument("status")
@force_option
@date_option
@pass_app
def status_(app: App, number: int, status: str, force: bool, date: str | None) -> None:
    """Set the status of record NUMBER (one of the configured statuses) and its date.

    A superseded, rejected or deprecated record is not silently brought back:
    such transitions are refused unless --force is given.

    \b
    Example:
      adr status 4 deprecated --date 2026-12-01
    """
    change_status(app, number, status, force, date)


def status_shortcut(word: str, verb: str) -> None:
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
    cli.command(name=verb)(click.argument("number", type=int)(command))


status_shortcut("accepted", "accept")
status_shortcut("rejected", "reject")
status_shortcut("deprecated", "deprecate")


@cli.command()
@click.argument("old", type=int)
@click.argument("new", type=int)
@pass_app
def supersede(app: App, old: int, new: int) -> None:
    """Record that NEW supersedes OLD, on both records. Cycles are refused.

    \b
    Example:
      adr supersede 2 5
    """
    from adr_tool.lifecycle import supersede as supersede_records

    for path in supersede_records(app.store(), old, new):
        click.echo(app.show_path(path))


@cli.command()
@click.argument("number", type=int)
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
    from adr_tool import lifecycle

    store = app.store()
    if commit is not None:
        if relation or reverse:
            raise UsageError("--commit links a commit; give no relation or target with it")
        from adr_tool.vcs import resolve_revision

        sha = resolve_revision(app.settings.git_root or app.settings.root, commit)
        decision = store.get(number)
        change = lifecycle.remove_commit if remove else lifecycle.add_commit
        if change(store, decision, sha):
            click.echo(app.show_path(decision.path))
        else:
            click.echo(f"record {number} already links commit {sha[:12]}; nothing changed")
        return
    if remove:
        raise UsageError(
            f"--remove goes with --commit; to remove a link use: adr unlink {number} M"
        )
    if len(relation) not in (2, 3) or not relation[1].isdigit():
        raise UsageError("expected: adr link N REL M [--reverse REL], e.g. adr link 3 Amends 1")
    if len(relation) == 3 and reverse is not None:
        raise UsageError("give the reverse relation once: as --reverse or as the 4th argument")
    back = reverse if reverse is not None else (relation[2] if len(relation) == 3 else "")
    changed = lifecycle.link(store, number, relation[0], int(relation[1]), back)
    if not changed:
        click.echo(f"record {number} already has that link; nothing changed")
    for path in changed:
        click.echo(app.show_path(path))


@cli.command()
@click.argument("number", type=int)
@click.argument("other", type=int)
@pass_app
def unlink(app: App, number: int, other: int) -> None:
    """Remove every typed link between records NUMBER and OTHER, both ways.

    \b
    Example:
      adr unlink 3 1
    """
    from adr_tool.lifecycle import unlink as unlink_records

    for path in unlink_records(app.store(), number, other):
        click.echo(app.show_path(path))


@cli.command()
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@pass_app
def renumber(app: App, dry_run: bool) -> None:
    """Give records that share a number (after a merge) the next free numbers.

    The record added later (by git history, else file time) moves; every reference to
    it in the folder is rewritten. Inside git the file is moved with git.

    \b
    Example:
      adr renumber --dry-run
      adr renumber
    """
    from adr_tool import renumber as renumbering

    store = app.store()
    plan = renumbering.plan(store)
    if not plan.moves:
        click.echo("no duplicate numbers; nothing to do")
        return
    for note in plan.notes:
        click.echo(f"adr: note: {note}", err=True)
    prefix = "would " if dry_run else ""
    for old, new in plan.moves:
        click.echo(f"{prefix}move {app.show_path(old)} -> {app.show_path(new)}")
    for path in plan.edited:
        click.echo(f"{prefix}rewrite {app.show_path(path)}")
    if not dry_run:
        renumbering.apply(store, plan)


# --- index: index, graph, digest, generate ------------------------------------------


def index_commit_counts(app: App, history: bool) -> dict[int, int] | None:
    """Linked commits per record for the commits column.

    None means the records' own ``commits`` lists only: what a committed index shows.
    With ``history`` the trailers in git are counted too (for a published copy).
    """
    if not history:
        return None
    from adr_tool import trace, vcs

    settings = app.settings
    found = vcs.read_history(settings.root, settings.trailer, linked_only=True)
    if not found.available:
        raise EnvironmentProblem("--history needs a git repository")
    git_notes(found)
    return trace.commit_counts(app.store().load_all(), found)


@cli.command(name="index")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the index is stale.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of the configured index.",
)
@click.option(
    "--history",
    is_flag=True,
    help="Also count commits whose trailer names a record (for a published, uncommitted copy).",
)
@pass_app
def index_(app: App, check: bool, output: Path | None, history: bool) -> None:
    """Write the decision index: table, trade-off matrix, chains and graph.

    \b
    Example:
      adr index                # writes docs/decisions/README.md
      adr index --check        # in CI: exit 1 and a diff if it is stale
      adr index --history --output site/decisions.md
    """
    from adr_tool import index

    settings = index.with_output(app.settings, app.cwd / output if output else None)
    store, renderer, today = app.store(), app.renderer(), dt.date.today()
    counts = index_commit_counts(app, history)
    shown = app.show_path(settings.index)
    if check:
        diff = index.stale_diff(settings, store, renderer, counts, today=today, label=shown)
        if diff:
            click.echo("\n".join(diff))
            click.echo(f"adr: {shown} is out of date; run 'adr index'", err=True)
            click.get_current_context().exit(1)
        click.echo(f"{shown} is up to date")
        return
    changed = index.write_index(settings, store, renderer, counts, today=today)
    click.echo(f"{shown} {'written' if changed else 'is up to date'}")


@cli.command()
@format_option("mermaid", "dot", "json")
@pass_app
def graph(app: App, fmt: str) -> None:
    """Print the graph of supersessions and links.

    \b
    Example:
      adr graph --format dot | dot -Tsvg > decisions.svg
    """
    from adr_tool.graph import graph as render_graph

    click.echo(render_graph(app.store().load_all(), fmt), nl=False)


@cli.command()
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of stdout.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    default=("accepted",),
    show_default=True,
    help="Statuses to include (repeatable).",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=8000,
    show_default=True,
    help="Size budget; the oldest decisions are summarised first.",
)
@pass_app
def digest(app: App, output: Path | None, statuses: tuple[str, ...], max_chars: int) -> None:
    """Compact Markdown of decisions in force, for AGENTS.md or onboarding.

    \b
    Example:
      adr digest --max-chars 4000 --output docs/decisions-digest.md
    """
    from adr_tool.digest import render_digest
    from adr_tool.store import atomic_write

    text = render_digest(
        app.settings,
        app.store().load_all(),
        app.renderer(),
        statuses=tuple(s.lower() for s in statuses),
        max_chars=max_chars,
    )
    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write(app.cwd / output, text)
    click.echo(app.show_path(app.cwd / output))


@cli.group()
def generate() -> None:
    """adr-tools aliases: a table of contents or a Graphviz graph.

    \b
    Example:
      adr generate toc -p doc/adr/ > doc/adr/toc.md
    """


def read_option_file(app: App, option: str, path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return (app.cwd / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{option}: cannot read {path}: {exc}") from None


@generate.command(name="toc")
@click.option("-i", "intro", type=click.Path(path_type=Path), help="Markdown file put first.")
@click.option("-o", "outro", type=click.Path(path_type=Path), help="Markdown file put last.")
@click.option("-p", "prefix", default="", help="Prefix for every link.")
@pass_app
def generate_toc(app: App, intro: Path | None, outro: Path | None, prefix: str) -> None:
    """Markdown list of all records, as adr-tools writes it (-i intro, -o outro files).

    \b
    Example:
      adr generate toc -i intro.md -o outro.md -p doc/adr/
    """
    from adr_tool.digest import toc

    text = toc(
        app.store().load_all(),
        app.renderer(),
        intro=read_option_file(app, "-i", intro),
        outro=read_option_file(app, "-o", outro),
        prefix=prefix,
    )
    click.echo(text, nl=False)


@generate.command(name="graph")
@click.option("-p", "prefix", default="", help="Prefix for every node's URL.")
@click.option("-e", "extension", default=".html", show_default=True, help="Link extension.")
@pass_app
def generate_graph(app: App, prefix: str, extension: str) -> None:
    """Graphviz DOT of all records as adr-tools draws it.

    \b
    Example:
      adr generate graph -e .md | dot -Tsvg > graph.svg
    """
    from adr_tool.graph import adr_tools_graph

    decisions = app.store().load_all()
    layout = app.settings.layout
    click.echo(
        adr_tools_graph(decisions, prefix=prefix, extension=extension, layout=layout),
        nl=False,
    )


# --- git: log, why -------------------------------------------------------------------


def git_notes(history: Any) -> None:
    """Print what limits the history (shallow clone, detached HEAD, no git) on stderr."""
    for note in history.notes:
        click.echo(f"adr: note: {note}", err=True)


def needs_history(history: Any) -> None:
    if not history.available:
        raise EnvironmentProblem(history.notes[0] if history.notes else "git is not available")


def with_git_dates(app: App, decisions: list[Decision]) -> list[Decision]:
    """Fill missing dates and authors from the commit that added each record (git)."""
    if all(d.date for d in decisions):
        return decisions
    from adr_tool import trace, vcs

    settings = app.settings
    history = vcs.read_history(settings.root, settings.trailer, [str(settings.directory)])
    git_notes(history)
    return trace.fill_from_history(decisions, history)


@cli.command(name="log")
@click.argument("number", type=int)
@format_option("text", "json")
@pass_app
def log_(app: App, number: int, fmt: str) -> None:
    """Commits that carry out decision NUMBER, newest first.

    Commits whose message has a `Decision: N` trailer, the commits listed in the record's
    `commits`, and the commits that added or changed the record file (marked as such).

    \b
    Example:
      git commit -m "Move orders to PostgreSQL" -m "Decision: ADR-0007"
      adr log 7
    """
    from adr_tool import trace, vcs

    settings = app.settings
    decision = trace.find_decision(
        number, app.store().load_all(), settings.relative(settings.directory)
    )
    queries = [vcs.Query(linked_only=True), vcs.Query(paths=(str(decision.path),), follow=True)]
    if decision.commits:
        revs = ("--no-walk=unsorted", "--ignore-missing", *decision.commits)
        queries.append(vcs.Query(revs=revs))
    histories = vcs.read_histories(settings.root, settings.trailer, queries)
    linked, record = histories[0], histories[1]
    needs_history(linked)
    git_notes(linked)
    explicit = histories[2] if len(histories) > 2 else None
    entries, missing = trace.log_entries(decision, linked, record, explicit)
    if fmt == "json":
        emit_json(trace.log_json(decision, entries, missing, settings.root))
    else:
        click.echo(trace.log_text(decision, entries, missing), nl=False)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@format_option("text", "json")
@pass_app
def why(app: App, path: Path, fmt: str) -> None:
    """Decisions linked to the commits that touched PATH, newest first.

    Follows renames; a folder gives the decisions of every file under it. Each decision
    comes with its status, favoured sides and cost, and its successor if superseded.

    \b
    Example:
      adr why src/orders/store.py
      adr why src/orders --format json
    """
    from adr_tool import trace, vcs
    from adr_tool.errors import NotFound

    settings = app.settings
    target = (app.cwd / path).resolve()
    history = vcs.read_path_history(settings.root, settings.trailer, target)
    needs_history(history)
    git_notes(history)
    if history.top is not None and not target.is_relative_to(history.top):
        raise NotFound(f"{path}: outside the repository {history.top}")
    if not history.commits and not target.exists() and not history.empty:
        raise NotFound(f"{path}: no such file, and no commit ever touched it")
    entries = trace.why_entries(app.store().load_all(), history)
    if fmt == "json":
        emit_json(trace.why_json(entries, settings.root))
        return
    if not entries and not history.empty:
        count = len(history.commits)
        click.echo(
            f"adr: note: no decision is linked to the {count} commit(s) that touched {path}",
            err=True,
        )
    click.echo(trace.why_text(entries), nl=False)


# --- checks and hooks: check, hook ----------------------------------------------------


@cli.command()
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
    from adr_tool import checks
    from adr_tool.hooks import run_check

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
            click.echo(finding.text())
        click.echo(checks.summary(report.findings, report.checked, strict))
    if checks.failed(report.findings, strict):
        sys.exit(1)


@cli.group()
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
    from adr_tool.hooks import hooks_dir, install

    done = install(hooks_dir(app.settings), sys.executable, commit_msg_hook=commit_msg, force=force)
    for path, backup in done:
        note = f" (previous hook kept as {app.show_path(backup)})" if backup else ""
        click.echo(f"installed {app.show_path(path)}{note}")


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
    from adr_tool.hooks import commit_msg

    problem = commit_msg(app.settings, app.store(), app.cwd / message_file)
    if problem:
        click.echo(f"adr: {problem}", err=True, nl=False)
        sys.exit(1)


# --- other formats: migrate ------------------------------------------------------------


@cli.command()
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
    from adr_tool import migrate as migration

    store = app.store()
    plan = migration.plan(store, target)
    for path, reason in plan.skipped:
        click.echo(f"adr: skipped {app.show_path(path)}: {reason}", err=True)
    if not write:
        for change in plan.changes:
            click.echo(change.diff(app.settings.relative(change.path)), nl=False)
        click.echo(
            f"{len(plan.changes)} record(s) would change; run with --write to apply", err=True
        )
        return
    for path in migration.apply(store, plan.changes):
        click.echo(f"migrated {app.show_path(path)}")


# --- site ------------------------------------------------------------------------------


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write (default: site/ at the repository root). It is replaced whole.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Public URL the site is served from; adds canonical links (links stay relative).",
)
@pass_app
def site(app: App, output: Path | None, base_url: str | None) -> None:
    """Build a static HTML site of the decisions: browsable, searchable, offline.

    \b
    Example:
      adr site                                  # writes site/, open site/index.html
      adr site --output public --base-url https://example.org/adr/
    """
    from adr_tool.site import build_site

    settings = app.settings
    target = (app.cwd / output) if output is not None else settings.root / "site"
    result = build_site(settings, app.store().load_all(), app.renderer(), target, base_url=base_url)
    for note in result.notes:
        click.echo(f"adr: note: {note}", err=True)
    click.echo(f"{app.show_path(result.output / 'index.html')} ({result.pages} decisions)")


def main() -> None:
    cli(prog_name="adr")
