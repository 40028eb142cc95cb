"""The command line: the ``adr`` group and its commands, one module per family; the
only click importer. May import every room below it.

Commands parse options, call one function of the rooms below, and print; every
expected failure leaves through the error wrapper in :mod:`adr_tool.cli.app`.
Exit codes: 0 ok, 1 findings or not found, 2 usage or configuration, 3 environment.
"""

from __future__ import annotations

from pathlib import Path

import click

from adr_tool.cli import assist, check, govern, history, lifecycle, migrate, org, publish, records
from adr_tool.cli.app import AdrGroup, App


@click.group(cls=AdrGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", prog_name="adr", package_name="adr-tool")
@click.option(
    "-C",
    "cwd",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
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
    ctx: click.Context, cwd: Path | None, allow_outside: bool, no_cache: bool, quiet: bool
) -> None:
    """Record the trade-offs behind your system's design as decision records.

    \b
    Quick start:
      adr init
      adr new "Cache product pages in Redis" --tradeoff performance-vs-development-speed=performance
      adr list
    """
    ctx.obj = App((cwd or Path.cwd()).resolve(), allow_outside, use_cache=not no_cache)
    ctx.obj.quiet = quiet


for command in (
    records.init,
    records.new,
    records.edit,
    records.list_,
    records.show,
    lifecycle.status_,
    lifecycle.accept,
    lifecycle.reject,
    lifecycle.deprecate,
    lifecycle.supersede,
    lifecycle.link,
    lifecycle.unlink,
    lifecycle.renumber,
    publish.index_,
    publish.graph,
    publish.digest,
    publish.generate,
    history.log_,
    history.why,
    govern.which,
    govern.review,
    govern.coverage,
    check.check,
    check.hook,
    migrate.migrate,
    publish.site,
    assist.mcp,
    org.export,
    org.aggregate,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="adr")
