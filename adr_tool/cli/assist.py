"""``adr mcp``: the decision log as a Model Context Protocol server for assistants."""

from __future__ import annotations

import click

from adr_tool.cli.app import App, pass_app


@click.command(name="mcp")
@click.option(
    "--allow-write",
    is_flag=True,
    help="Also offer propose_decision and link_commit (writes inside the decisions folder).",
)
@pass_app
def mcp(app: App, allow_write: bool) -> None:
    """Serve the decision log to a coding assistant over stdio (Model Context Protocol).

    Read-only unless --allow-write. Needs the extra: pip install 'adr-tool[mcp]'.
    An assistant's client starts this command itself; see the README for its settings.

    \b
    Example:
      adr mcp                      # in a client's config: {"command": "adr", "args": ["mcp"]}
      adr -C ~/src/shop mcp --allow-write
    """
    from adr_tool.assist.launch import serve
    from adr_tool.assist.workspace import Workspace

    settings = app.settings
    serve(Workspace(settings, app.store, app.renderer, allow_write=allow_write))
