"""``adr log`` and ``adr why``: decisions and the commits that carry them out."""

from __future__ import annotations

from pathlib import Path

import click

from adr_tool.cli.app import RECORD, App, echo, emit_json, format_option, notes, pass_app


@click.command(name="log")
@click.argument("number", type=RECORD)
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
    from adr_tool.publish import trace
    from adr_tool.publish.lookups import record_log

    found = record_log(app.settings, app.store().load_all(), number)
    notes(found.notes)
    if fmt == "json":
        emit_json(trace.log_json(found.decision, found.entries, found.missing, app.settings.root))
    else:
        echo(trace.log_text(found.decision, found.entries, found.missing), nl=False)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@format_option("text", "json")
@pass_app
def why(app: App, path: Path, fmt: str) -> None:
    """Decisions linked to the commits that touched PATH, newest first.

    Follows renames; a folder gives the decisions of every file under it. Each decision
    comes with its status, favoured sides and cost, and its successor if superseded.
    This is the history of the path; `adr which PATH` answers which decisions in force
    govern it today (declared scope, and this history as the weaker source).

    \b
    Example:
      adr why src/orders/store.py
      adr why src/orders --format json
    """
    from adr_tool.publish import trace
    from adr_tool.publish.lookups import path_decisions

    found = path_decisions(app.settings, app.store().load_all(), app.cwd / path, str(path))
    notes(found.notes)
    if fmt == "json":
        emit_json(trace.why_json(found.entries, app.settings.root))
        return
    if not found.entries and not found.empty:
        echo(
            f"adr: note: no decision is linked to the {found.commits} commit(s) that touched"
            f" {path}",
            err=True,
        )
    axes = {a.name: a for a in app.settings.axes}
    echo(trace.why_text(found.entries, axes), nl=False)
