"""The command line: the ``adr`` group and its commands, one module per family; the
only click importer. May import every room below it.

Commands parse options, call one function of the rooms below, and print; every
expected failure leaves through the error wrapper in :mod:`adr_tool.cli.app`.
Exit codes: 0 ok, 1 findings or not found, 2 usage or configuration, 3 environment.
"""

from __future__ import annotations

import click

from adr_tool.cli.app import App, LazyGroup

# Every command: name → (``module.attribute`` under adr_tool.cli, the one-line help that
# `adr --help` lists). A command's module is imported only when it runs or shows its own
# help, so `adr --help` and the hooks' commands do not import every family (decision 52).
# tests/test_cli_lazy.py ties this table to the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("records.init", "Set up .adr.yaml, the decisions folder, record 0001 and the index."),
    "new": ("records.new", "Create the next decision record and print its path."),
    "edit": ("records.edit", "Open record NUMBER in $VISUAL/$EDITOR."),
    "list": ("records.list_", "One line per record: number, status, date, title, favoured sides."),
    "show": ("records.show", "Show record NUMBER (7, 0007 or ADR-7) with its resolved links."),
    "status": (
        "lifecycle.status_",
        "Set the status of record NUMBER (one of the configured statuses) and its date.",
    ),
    "accept": (
        "lifecycle.accept",
        "Mark record NUMBER as accepted (same as: adr status NUMBER accepted).",
    ),
    "reject": (
        "lifecycle.reject",
        "Mark record NUMBER as rejected (same as: adr status NUMBER rejected).",
    ),
    "deprecate": (
        "lifecycle.deprecate",
        "Mark record NUMBER as deprecated (same as: adr status NUMBER deprecated).",
    ),
    "supersede": ("lifecycle.supersede", "Record that NEW supersedes OLD, on both records."),
    "link": (
        "lifecycle.link",
        "Link record NUMBER to record M with relation REL (or to a git commit).",
    ),
    "unlink": (
        "lifecycle.unlink",
        "Remove every typed link between records NUMBER and OTHER, both ways.",
    ),
    "renumber": (
        "lifecycle.renumber",
        "Give records that share a number (after a merge) the next free numbers.",
    ),
    "index": (
        "publish.index_",
        "Write the decision index: table, trade-off matrix, chains and graph.",
    ),
    "graph": (
        "publish.graph",
        "Print the graph of supersessions and links (JSON adds the lean over time).",
    ),
    "digest": (
        "publish.digest",
        "Compact Markdown of decisions in force, for AGENTS.md or onboarding.",
    ),
    "generate": (
        "publish.generate",
        "adr-tools aliases: a table of contents or a Graphviz graph.",
    ),
    "log": ("history.log_", "Commits that carry out decision NUMBER, newest first."),
    "why": ("history.why", "Decisions linked to the commits that touched PATH, newest first."),
    "which": ("govern.which", "The decisions in force that govern each PATH, and how we know."),
    "review": (
        "govern.review",
        "What a pull request changes in terms of decisions, as Markdown for a PR comment.",
    ),
    "coverage": (
        "govern.coverage",
        "Share of tracked files (and lines) governed by a decision in force, per folder.",
    ),
    "check": (
        "check.check",
        "Lint decision records: rationale, trade-offs, links, numbering, the index.",
    ),
    "hook": (
        "check.hook",
        "Git hooks without the pre-commit framework, and the commit-msg guard.",
    ),
    "migrate": (
        "migrate.migrate",
        "Rewrite adr-tools, MADR 2 and log4brains records into front matter.",
    ),
    "site": (
        "publish.site",
        "Build a static HTML site of the decisions: browsable, searchable, offline.",
    ),
    "mcp": (
        "assist.mcp",
        "Serve the decision log to a coding assistant over stdio (Model Context Protocol).",
    ),
    "export": ("org.export", "The whole decision log as one JSON document of a versioned schema."),
    "aggregate": (
        "org.aggregate",
        "One index (and site) over many repositories, with the organisation's trade-offs.",
    ),
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", prog_name="adr", package_name="adr-tool")
@click.option(
    "-C",
    "cwd",
    type=click.Path(exists=True, file_okay=False),  # a str: pathlib is not needed for --help
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
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress bars (they show on a terminal only)."
)
@click.pass_context
def cli(
    ctx: click.Context, cwd: str | None, allow_outside: bool, no_cache: bool, quiet: bool
) -> None:
    """Record the trade-offs behind your system's design as decision records.

    \b
    Quick start:
      adr init
      adr new "Cache product pages in Redis" --tradeoff performance-vs-development-speed=performance
      adr list
    """
    from pathlib import Path

    ctx.obj = App(Path(cwd or Path.cwd()).resolve(), allow_outside, use_cache=not no_cache)
    ctx.obj.quiet = quiet


def help_text() -> str:
    """What ``adr --help`` prints: click's rendering of the group's help, for its memo."""
    with cli.make_context("adr", [], resilient_parsing=True) as ctx:
        return ctx.get_help() + "\n"


def main() -> None:
    import gc

    try:
        cli(prog_name="adr")
    finally:
        # The process ends here: the collections Python runs while it shuts down would
        # walk every module, class and object the command loaded (10-15 ms once GitPython
        # is in), only to free memory the exit returns anyway.
        gc.freeze()
