"""Helpers the tests import by name (fixtures live in conftest.py).

A separate module, because tests/robustness has a conftest.py of its own and two
modules named ``conftest`` cannot both be imported by that name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from adr_tool.cli import cli

FIXED_DATE = "2026-11-24"
OLD_NS = 1_700_000_000_000_000_000  # a file time in 2023: long settled

# Debian's Chromium, headless and offline: this machine's network is closed, so the
# background services would only fail (the flags the browser tests launch it with).
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


# Set by .ci/run: a test whose external tool is missing fails instead of skipping, so CI
# can never pass by silently leaving out the browser, Mermaid or Graphviz tests.
REQUIRE_ALL = "ADR_TEST_REQUIRE_ALL"


def missing_tool(what: str, install: str) -> None:
    """Skip the calling test (fail it under ADR_TEST_REQUIRE_ALL=1), naming what to install."""
    reason = f"{what} ({install})"
    if os.environ.get(REQUIRE_ALL, "") not in ("", "0"):
        pytest.fail(f"{reason}; {REQUIRE_ALL}=1 makes a missing tool an error", pytrace=False)
    pytest.skip(reason)


def tool(command: str, what: str, install: str) -> Path:
    """The program ``command`` found on PATH, or skip (fail) the calling test."""
    found = shutil.which(command)
    if found is None:
        missing_tool(f"{what} is not on PATH", install)
    return Path(str(found))


def dot() -> Path:
    return tool("dot", "Graphviz's dot", "apt-get install graphviz")


def chromium() -> Path:
    return tool("chromium", "Chromium", "apt-get install chromium")


def mermaid_js() -> Path:
    """mermaid.min.js from npm, named by ADR_MERMAID_JS (.ci/run installs and sets it)."""
    value = os.environ.get("ADR_MERMAID_JS", "")
    install = (
        "npm install --prefix .ci/node mermaid@12, then set ADR_MERMAID_JS="
        ".ci/node/node_modules/mermaid/dist/mermaid.min.js"
    )
    if not value:
        missing_tool("Mermaid: ADR_MERMAID_JS is not set", install)
    if not Path(value).is_file():
        missing_tool(f"Mermaid: ADR_MERMAID_JS={value} is not a file", install)
    return Path(value)


def tiered(full: int, **strategies: Any) -> Callable[[Callable[..., None]], Any]:
    """A fuzz property in both tiers: ``@tiered(4000, raw=record_bytes())`` in place of
    ``@given(raw=record_bytes())`` makes ``test_x`` with a tenth of the examples (the fast
    tier) and adds ``test_x_full`` with all ``full`` of them, marked ``slow``, to the module.

    ``full`` is the count under hypothesis's default of 100 examples; a profile with more
    (``HYPOTHESIS_PROFILE=local`` in tests/robustness) scales both.
    """
    from hypothesis import HealthCheck, given, settings

    default = settings.default
    scale = (default.max_examples if default else 100) / 100
    relaxed = [*(default.suppress_health_check if default else ()), HealthCheck.too_slow]

    def made(prop: Callable[..., None], examples: int) -> Any:
        limit = settings(
            max_examples=max(1, int(examples * scale)),
            deadline=None,  # a shared machine: no timing assertions
            suppress_health_check=relaxed,
        )
        return limit(given(**strategies)(prop))

    def both(prop: Callable[..., None]) -> Any:
        module = sys.modules[prop.__module__]
        setattr(module, f"{prop.__name__}_full", pytest.mark.slow(made(prop, full)))
        return made(prop, max(10, full // 10))

    return both


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


IMPORTS = """
import sys
sys.argv = ["adr", *sys.argv[1:]]
from adr_tool.cli import main
try:
    main()
except SystemExit:
    pass
print("MODULES=" + ",".join(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(args: list[str], cwd: Path) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules a fresh ``adr ARGS`` process has imported when it ends."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    (line,) = [x for x in done.stderr.splitlines() if x.startswith("MODULES=")]
    return set(line.removeprefix("MODULES=").split(",")), done
