"""``adr which``, ``adr review`` and ``adr coverage``: the decisions that govern code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from adr_tool.cli.app import App, echo, emit_json, format_option, notes, pass_app, resolve_date

today_option = click.option(
    "--today",
    envvar="ADR_DATE",
    metavar="YYYY-MM-DD",
    help="Judge review-by dates (and the months of hot spots) against this day.",
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-history", is_flag=True, help="Only declared scopes; do not read git history.")
@format_option("text", "json")
@pass_app
def which(app: App, paths: tuple[Path, ...], no_history: bool, fmt: str) -> None:
    """The decisions in force that govern each PATH, and how we know.

    [scope]: the record's `scope` patterns match the path. [history]: commits that
    touched the path carry the record's trailer or are listed in its `commits` (weaker).
    Unlike `adr why`, which tells the history of a path (every linked decision, retired
    ones too, with its commits), `adr which` answers what governs the path today.
    Exit 1 when no decision governs any of the paths.

    \b
    Example:
      adr which src/orders/store.py
      adr which src/orders src/billing/api.py --format json
    """
    from adr_tool.errors import Exit
    from adr_tool.publish.govern import which as find
    from adr_tool.publish.govern import which_text

    report = find(
        app.settings,
        app.store().load_all(),
        [(app.cwd / p, str(p)) for p in paths],
        history=not no_history,
    )
    notes(report.notes)
    if fmt == "json":
        emit_json([a.as_json(app.settings.root) for a in report.answers])
    else:
        echo(which_text(report), nl=False)
    if not any(a.governing for a in report.answers):
        raise Exit(1)


@click.command()
@click.option(
    "--base", "base", required=True, metavar="REF", help="The target branch, e.g. origin/main."
)
@click.option("--strict", is_flag=True, help="Exit 1 when a review is due or numbers clash.")
@today_option
@format_option("markdown", "json")
@pass_app
def review(app: App, base: str, strict: bool, today: str | None, fmt: str) -> None:
    """What a pull request changes in terms of decisions, as Markdown for a PR comment.

    The files changed since the merge base with REF, the decisions in force governing
    them (scope and history), those whose review-by date has passed or that name a
    revisit-when condition, the records added or changed, and number clashes with REF.
    Exit 0, unless --strict and a review is due or a number clashes.

    \b
    Example:
      adr review --base origin/main > review.md
      adr review --base origin/main --format json --strict
    """
    from adr_tool.checks.clashes import clash_findings, number_clashes
    from adr_tool.errors import Exit
    from adr_tool.publish.review import review as gather
    from adr_tool.publish.review import review_markdown

    decisions = app.store().load_all()
    found_clashes = number_clashes(app.settings, decisions, base)  # ADR017, as adr check --base
    clashes = [finding.text() for finding in clash_findings(app.settings, found_clashes)]
    found = gather(
        app.settings,
        decisions,
        base,
        today=dt.date.fromisoformat(resolve_date(today)),
        clashes=clashes,
    )
    notes(found.notes)
    if fmt == "json":
        emit_json(found.as_json(app.settings.root))
    else:
        echo(review_markdown(app.settings, app.renderer(), found), nl=False)
    if strict and found.findings:
        raise Exit(1)


@click.command()
@click.option(
    "--months",
    default=6,
    show_default=True,
    type=click.IntRange(1, 120),
    help="Hot spots: changes in this many months.",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(0, 1000),
    help="How many hot spots to list.",
)
@click.option("--no-lines", is_flag=True, help="Count files only; do not read them for lines.")
@today_option
@format_option("text", "json")
@pass_app
def coverage(app: App, months: int, top: int, no_lines: bool, today: str | None, fmt: str) -> None:
    """Share of tracked files (and lines) governed by a decision in force, per folder.

    A file is governed when the `scope` of at least one accepted, not superseded record
    matches it. Then the uncovered hot spots: files no decision governs, most often
    changed in the last --months months (one git log).

    \b
    Example:
      adr coverage
      adr coverage --months 3 --top 20 --format json
    """
    from adr_tool.publish.coverage import coverage as measure
    from adr_tool.publish.coverage import coverage_text

    report = measure(
        app.settings,
        app.store().load_all(),
        today=dt.date.fromisoformat(resolve_date(today)),
        months=months,
        top=top,
        lines=not no_lines,
    )
    notes(report.notes)
    if fmt == "json":
        emit_json(report.as_json())
    else:
        echo(coverage_text(report), nl=False)
