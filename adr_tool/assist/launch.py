"""Start ``adr mcp``: check that the optional SDK is installed (exit 3 with the install
command when it is not), then hand the workspace to :mod:`adr_tool.assist.server`."""

from __future__ import annotations

from adr_tool.assist.workspace import Workspace
from adr_tool.errors import EnvironmentProblem

INSTALL = "pip install 'adr-tool[mcp]'"


def serve(ws: Workspace) -> None:
    try:
        from adr_tool.assist import server
    except ImportError as exc:
        missing = (getattr(exc, "name", None) or "").split(".")[0]
        if missing not in ("mcp", "mcp_types", "pydantic", "anyio"):
            raise
        raise EnvironmentProblem(
            f"adr mcp needs the Model Context Protocol SDK, which is not installed: {INSTALL}"
        ) from None
    server.serve(ws)
