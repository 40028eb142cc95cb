"""``adr export`` and ``adr aggregate``: beyond one repository."""

from __future__ import annotations

from pathlib import Path

import click

from adr_tool.cli.app import App, echo, emit_json, format_option, output_option, pass_app


@click.command()
@format_option("json")
@click.option("--schema", is_flag=True, help="Print the JSON Schema the export follows.")
@click.option("--name", default=None, help="Repository name for ids (default: remote or folder).")
@output_option("Write to this file instead of stdout.")
@pass_app
def export(app: App, fmt: str, schema: bool, name: str | None, output: Path | None) -> None:
    """The whole decision log as one JSON document of a versioned schema.

    Records carry repository-qualified ids (repo#N); `adr aggregate` reads the file in
    place of a checkout.

    \b
    Example:
      adr export --format json --output decisions.json
      adr export --schema > adr-export.schema.json
    """
    import json

    from adr_tool.org import export as exporter
    from adr_tool.records.store import atomic_write

    if schema:
        echo(exporter.schema_text(), nl=False)
        return
    doc = exporter.export_repository(app.settings, app.store().load_all(), name)
    if output is None:
        emit_json(doc)
        return
    target = app.writable(output)
    atomic_write(target, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    echo(f"{app.show_path(target)} ({len(doc['records'])} records)")


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@format_option("markdown", "json")
@output_option("Write the index to this file instead of stdout.")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write a static site into this folder.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=64),
    default=2,
    show_default=True,
    help="Processes that read checkouts.",
)
@pass_app
def aggregate(
    app: App,
    sources: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    site_dir: Path | None,
    jobs: int,
) -> None:
    """One index (and site) over many repositories, with the organisation's trade-offs.

    SOURCES are checkouts, `adr export` JSON files, or YAML manifests naming them
    (repositories: [{name, path, url}]). A source that cannot be read is reported and
    skipped; any finding makes the exit code 1 after everything else is written.

    \b
    Example:
      adr aggregate ../payments ../search exports/billing.json --output org.md
      adr aggregate repos.yaml --site public/decisions
    """
    import json

    from adr_tool.errors import Exit, UsageError
    from adr_tool.org import aggregate as agg
    from adr_tool.org.publish import render_markdown, write_site
    from adr_tool.org.sources import expand
    from adr_tool.publish.render import Renderer
    from adr_tool.records.store import atomic_write

    if not sources:
        raise UsageError("name at least one checkout, export file or manifest")
    import os

    where = {k: v for k, v in os.environ.items() if k in ("HOME", "XDG_CACHE_HOME")}
    cache_env = where if app.use_cache else None
    result = agg.collect(expand([app.cwd / s for s in sources]), jobs, cache_env)
    renderer = Renderer(None, "en")
    if fmt == "json":
        text = json.dumps(agg.as_json(result), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_markdown(result, renderer)
    if output is None:
        echo(text, nl=False)
    else:
        target = app.writable(output)
        atomic_write(target, text)
        echo(f"{app.show_path(target)} ({len(result.repos)} repositories)", err=True)
    if site_dir is not None:
        written = write_site(result, renderer, app.writable(site_dir, "--site"))
        echo(
            f"{app.show_path(written.output / 'index.html')} ({written.pages} repositories)",
            err=True,
        )
    for finding in result.findings:
        echo(f"adr: {finding}", err=True)
    if result.findings:
        raise Exit(1)
