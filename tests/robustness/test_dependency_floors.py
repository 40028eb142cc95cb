"""Class 2: no known-vulnerable dependency version is allowed.

The floors are declared in pyproject.toml; ``.ci/floors`` installs exactly these lowest
versions in a second virtualenv and runs this suite there, so the editor test below
runs against the oldest click we admit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from harness import ADR, ROOT, git_env

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None

FLOORS = {"click": (8, 3, 3), "jinja2": (3, 1, 6)}


def _declared() -> dict[str, tuple[int, ...]]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if tomllib is not None:
        deps = tomllib.loads(text)["project"]["dependencies"]
    else:  # pragma: no cover - Python 3.10: the lines are simple enough
        deps = [line.strip().strip('",') for line in text.splitlines() if ">=" in line]
    out = {}
    for dep in deps:
        name, _, version = dep.split(";")[0].partition(">=")
        out[name.strip().lower()] = tuple(int(p) for p in version.strip().split("."))
    return out


def test_floors_exclude_the_vulnerable_releases() -> None:
    declared = _declared()
    for name, floor in FLOORS.items():
        assert declared[name] >= floor, f"{name}>={declared[name]} admits a vulnerable release"


def test_constraints_file_pins_the_declared_floors() -> None:
    pins = (ROOT / ".ci" / "floors.txt").read_text(encoding="utf-8")
    for name, version in _declared().items():
        assert f"{name}=={'.'.join(map(str, version))}".lower() in pins.lower(), name


def test_edit_never_runs_a_record_file_name_through_a_shell(project: Path, tmp_path: Path) -> None:
    record = project / "docs" / "decisions" / "0002-x$(touch pwned)`touch pwned2`.md"
    record.write_text("# X\n\n## Status\n\nProposed\n", encoding="utf-8")
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "%s" "$1" > "${0%/*}/argv.txt"\n')  # builtins only
    editor.chmod(0o755)
    env = git_env(tmp_path) | {"EDITOR": str(editor)}
    result = subprocess.run(
        [*ADR, "edit", "2"], cwd=project, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert not (project / "pwned").exists() and not (project / "pwned2").exists()
    assert os.path.basename((tmp_path / "argv.txt").read_text()) == record.name
