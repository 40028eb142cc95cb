"""Hypothesis profiles for the robustness suite, and the figure it reports.

Profiles: ``ci`` (default) and ``local`` (``HYPOTHESIS_PROFILE=local``, ten times as many
examples). Each fuzz property names its number of examples "under ci" with
``support.tiered``: a tenth of it runs in the fast tier, all of it in the slow tier
(``pytest --full``), and the profile scales both.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import SECRET
from hypothesis import HealthCheck, settings
from strategies import EXAMPLES

from support import git

_BASE = settings(
    deadline=None,  # a shared 2-core machine: no timing assertions
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.large_base_example,
    ],
    print_blob=True,
)
settings.register_profile("ci", _BASE, max_examples=100)
settings.register_profile("local", _BASE, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def leaky(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with :data:`harness.SECRET` in its git config (as actions/checkout keeps
    a token) and in the environment, committed."""
    git(project, "config", "http.extraheader", f"AUTHORIZATION: bearer {SECRET}")
    monkeypatch.setenv("ADR_LEAK_PROBE", SECRET)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "init")
    return project


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not EXAMPLES:
        return
    total = sum(EXAMPLES.values())
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    terminalreporter.write_sep("-", f"robustness: {total:,} hypothesis examples ({profile})")
    for name, count in sorted(EXAMPLES.items()):
        terminalreporter.write_line(f"  {count:>7,}  {name}")
