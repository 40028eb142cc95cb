"""The test suite's own rules: the two tiers, and tests whose external tool is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from support import REQUIRE_ALL, tool

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "tests/robustness/test_fuzz_core.py"


def collected(*args: str) -> list[str]:
    """The node ids ``pytest --collect-only`` selects from SAMPLE with ``args``."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if "::" in line]


@pytest.mark.slow
def test_default_run_is_the_fast_tier_and_full_adds_the_slow_one() -> None:
    crash = "tests/robustness/test_crash_and_concurrency.py"
    named = f"{crash}::test_concurrent_new_takes_distinct_numbers"
    fast = collected(SAMPLE, named)
    assert f"{SAMPLE}::test_read_any_bytes" in fast
    assert not [node for node in fast if node.endswith("_full")]
    assert f"{named}[8]" in fast  # a slow test asked for by name runs
    everything = collected(SAMPLE, "--full")
    assert f"{SAMPLE}::test_read_any_bytes_full" in everything
    added = set(everything) - set(fast)
    assert added and all(node.endswith("_full") for node in added)
    assert set(fast) - set(everything) == {f"{named}[8]", f"{named}[32]"}


def test_a_missing_tool_skips_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ALL, raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        tool("adr-test-no-such-program", "The frobnicator", "apt-get install frob")
    assert str(skipped.value) == "The frobnicator is not on PATH (apt-get install frob)"


def test_a_missing_tool_fails_when_every_tool_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_ALL, "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        tool("adr-test-no-such-program", "The frobnicator", "apt-get install frob")
    assert "(apt-get install frob)" in str(failed.value)
    assert f"{REQUIRE_ALL}=1" in str(failed.value)


def test_a_tool_on_path_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    program = tmp_path / "frob"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tool("frob", "The frobnicator", "apt-get install frob") == program
