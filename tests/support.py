"""Helpers the tests import by name (fixtures live in conftest.py).

A separate module, because tests/robustness has a conftest.py of its own and two
modules named ``conftest`` cannot both be imported by that name.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from adr_tool.cli import cli

FIXED_DATE = "2026-11-24"

# Debian's Chromium, headless and offline: this machine's network is closed, so the
# background services would only fail (the flags the browser tests launch it with).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def git(cwd: Path, *args: str) -> str:
    """Run real git in ``cwd`` and return its stdout."""
    result = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return result.stdout


@dataclass(frozen=True)
class Run:
    """One in-process run of ``adr``: what it printed on each stream, and how it exited.

    ``output`` is stdout alone (never mixed with stderr), so a test that looks for an
    error message must look in ``stderr``, where the tool promises to put it.
    """

    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        return self.stdout


@dataclass
class Cli:
    """Runs ``adr`` in-process in a given directory."""

    cwd: Path

    def __call__(self, *args: str, cwd: Path | None = None, input: str | None = None) -> Run:
        result: Result = CliRunner().invoke(
            cli, ["-C", str(cwd or self.cwd), *args], input=input, catch_exceptions=False
        )
        return Run(result.exit_code, result.stdout, result.stderr, result.exception)
