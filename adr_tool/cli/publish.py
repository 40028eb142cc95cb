"""``adr index``, ``graph``, ``digest``, ``site`` and the adr-tools ``generate`` aliases."""

from __future__ import annotations

from pathlib import Path

import click

from adr_tool.cli.app import (
    App,
    echo,
    format_option,
    notes,
    output_option,
    pass_app,
    progress,
)


@click.command(name="index")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the index is stale.")
@output_option("Write here instead of the configured index.")
@click.option(
    "--history",
    is_flag=True,
    help="Also count commits whose trailer names a record (for a published, uncommitted copy).",
)
@click.option("--force", is_flag=True, help="Replace a file at that place that adr did not write.")
@pass_app
def index_(app: App, check: bool, output: Path | None, history: bool, force: bool) -> None:
    """Write the decision index: table, trade-off matrix, chains and graph.

    \b
    Example:
      adr index                # writes docs/decisions/README.md
      adr index --check        # in CI: exit 1 and a diff if it is stale
      adr index --history --output site/decisions.md
    """
    from adr_tool.cli.messages import say
    from adr_tool.errors import Exit
    from adr_tool.publish import index
    from adr_tool.publish.fingerprint import index_day

    settings = index.with_output(app.settings, app.writable(output) if output else None)
    store, renderer, today = app.store(), app.renderer(), index_day()
    if not store.current():  # else what is remembered for these records may answer
        with progress("Reading records") as bar:
            store.progress = bar
            store.load_all()
        store.progress = None
    lang = settings.lang
    counts = None  # the records' own ``commits`` lists: what a committed index shows
    if history:
        from adr_tool.publish.lookups import history_commit_counts

        counts, found_notes = history_commit_counts(settings, store.load_all())
        notes(found_notes)
    shown = app.show_path(settings.index)
    if check:
        diff = index.stale_diff(settings, store, renderer, counts, today=today, label=shown)
        if diff:
            echo("\n".join(diff))
            raise Exit(1, say("stale", lang, path=shown))
        echo(say("fresh", lang, path=shown))
        return
    changed = index.write_index(settings, store, renderer, counts, today=today, force=force)
    echo(say("written" if changed else "fresh", lang, path=shown))


@click.command()
@format_option("mermaid", "dot", "json")
@pass_app
def graph(app: App, fmt: str) -> None:
    """Print the graph of supersessions and links (JSON adds the lean over time).

    \b
    Example:
      adr graph --format dot | dot -Tsvg > decisions.svg
      adr graph --format json | jq .timeline
    """
    from adr_tool.publish.graph import graph as render_graph

    decisions = app.store().load_all()
    echo(render_graph(decisions, fmt, app.settings.localised_axes()), nl=False)


@click.command()
@output_option("Write to this file instead of stdout.")
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
    from adr_tool.publish.digest import render_digest
    from adr_tool.records.store import atomic_write

    text = render_digest(
        app.settings,
        app.store().load_all(),
        app.renderer(),
        statuses=tuple(s.lower() for s in statuses),
        max_chars=max_chars,
    )
    if output is None:
        echo(text, nl=False)
        return
    target = app.writable(output)
    atomic_write(target, text)
    echo(app.show_path(target))


@click.group()
def generate() -> None:
    """adr-tools aliases: a table of contents or a Graphviz graph.

    \b
    Example:
      adr generate toc -p doc/adr/ > doc/adr/toc.md
    """


def read_option_file(app: App, option: str, path: Path | None) -> str:
    from adr_tool.publish.digest import read_option_file as read

    return read(app.cwd, option, path)


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
    from adr_tool.publish.digest import toc

    text = toc(
        app.store().load_all(),
        app.renderer(),
        intro=read_option_file(app, "-i", intro),
        outro=read_option_file(app, "-o", outro),
        prefix=prefix,
    )
    echo(text, nl=False)


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
    from adr_tool.publish.graph import adr_tools_graph

    decisions = app.store().load_all()
    layout = app.settings.layout
    echo(
        adr_tools_graph(decisions, prefix=prefix, extension=extension, layout=layout),
        nl=False,
    )


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write (default: site/ at the repository root); only what changed is written.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Public URL the site is served from; adds canonical links (links stay relative).",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Preview instead: serve the site from memory, rebuild and reload on every save.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="With --serve: the address to listen on (anything but loopback is your call).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="With --serve: the port; 0 picks a free one.",
)
@click.option(
    "--poll", is_flag=True, help="With --serve: look for changes by polling, not OS events."
)
@pass_app
def site(
    app: App,
    output: Path | None,
    base_url: str | None,
    serve: bool,
    host: str,
    port: int,
    poll: bool,
) -> None:
    """Build a static HTML site of the decisions: browsable, searchable, offline.

    \b
    Example:
      adr site                                  # writes site/, open site/index.html
      adr site --output public --base-url https://example.org/adr/
      adr site --serve --port 0                 # live preview on 127.0.0.1, Ctrl-C stops
    """
    if serve:
        _serve(app, output, base_url, host, port, poll)
        return
    from adr_tool.site.build import build_site

    settings = app.settings
    if output is not None:
        target = app.writable(output)
    else:
        target = app.writable(settings.root / "site", "the site folder")
    from adr_tool.cli.messages import plural, say

    store = app.store()
    with progress("Reading records") as bar:
        store.progress = bar
        decisions = store.load_all()
    cache = None
    if app.use_cache:  # the memo lives beside the parse cache
        import os

        from adr_tool.records.cache import cache_folder

        cache = cache_folder(settings, os.environ)
    with progress("Rendering pages") as bar:
        result = build_site(
            settings,
            decisions,
            app.renderer(),
            target,
            base_url=base_url,
            progress=bar,
            cache=cache,
        )
    notes(result.notes)
    count = plural(result.pages, "decision") if settings.lang != "ko" else result.pages
    path = app.show_path(result.output / "index.html")
    if result.whole:
        echo(say("site", settings.lang, path=path, count=count))
    else:
        key = "site-current" if result.current else "site-updated"
        changes = {"written": result.written, "removed": result.removed}
        echo(say(key, settings.lang, path=path, count=count, **changes))


def _serve(
    app: App, output: Path | None, base_url: str | None, host: str, port: int, poll: bool
) -> None:
    import threading

    from adr_tool.errors import UsageError
    from adr_tool.site.serve import Rebuilt, serve_site

    if output is not None or base_url is not None:
        raise UsageError("--serve writes nothing: leave out --output and --base-url")

    def ready(url: str) -> None:
        echo(f"Serving {app.settings.relative(app.settings.directory)} at {url}", err=False)
        echo("Pages reload when a record changes; Ctrl-C stops.")

    def rebuilt(result: Rebuilt) -> None:
        echo(f"rebuilt {len(result.changed)} files in {result.seconds * 1000:.0f} ms")

    def failed(message: str) -> None:
        echo(f"adr: error: {message} (still serving the last good build)", err=True)

    try:
        serve_site(
            app.settings,
            lambda: app.store().load_all(),
            app.renderer(),
            host=host,
            port=port,
            stop=threading.Event(),
            ready=ready,
            rebuilt=rebuilt,
            failed=failed,
            poll=poll,
        )
    except KeyboardInterrupt:
        echo("stopped")
