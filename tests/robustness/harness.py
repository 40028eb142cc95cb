"""Helpers for robustness tests that run the real ``adr`` in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADR = [sys.executable, "-m", "adr_tool"]
# planted in git's config and the environment by the ``leaky`` fixture: no output may hold it
SECRET = "ghp_SECRETTOKEN1234"


def git_env(home: Path) -> dict[str, str]:
    """A clean environment for subprocesses: no hook variables, a fixed identity."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Ada Tester",
        GIT_AUTHOR_EMAIL="ada@example.com",
        GIT_COMMITTER_NAME="Ada Tester",
        GIT_COMMITTER_EMAIL="ada@example.com",
        HOME=str(home),
        ADR_DATE="2026-11-24",
        PYTHONPATH=str(ROOT),
    )
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    return env


def adr(
    cwd: Path, *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the real ``adr`` (``python -m adr_tool``) as a user would."""
    return subprocess.run(
        [*ADR, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
