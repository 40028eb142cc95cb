"""Class 1, the files that say where everything else is, and where output goes: a
symlinked ``.adr-dir``, ``.adr.yaml``, ``.log4brains.yml``, site asset or output folder
cannot read a secret into an error, a log or a published site, nor send a write out of
the repository. Each stops the command with one line and exit 2, quoting nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from harness import SECRET

from support import Cli, git


def _tree_text(folder: Path) -> str:
    return "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()
    )


def test_a_site_asset_symlinked_into_git_dir_is_not_copied(leaky: Path, run: Cli) -> None:
    assets = leaky / "docs" / "decisions" / "templates" / "site" / "assets"
    assets.mkdir(parents=True)
    os.symlink("../../../../../.git/config", assets / "site.css")
    built = run("site", "--output", "out")
    assert built.exit_code == 2
    assert "site.css resolves outside the working tree or into the git directory" in built.stderr
    assert SECRET not in built.stdout + built.stderr
    out = leaky / "out"
    assert not out.exists() or SECRET not in _tree_text(out)
    (assets / "site.css").unlink()
    (assets / "site.css").write_text("body { color: teal }\n", encoding="utf-8")
    os.symlink("site.css", assets / "site.js")  # a link inside the tree is the tree's own
    assert run("site", "--output", "out").exit_code == 0
    assert (out / "assets" / "site.css").read_text() == "body { color: teal }\n"


@pytest.mark.parametrize("target", [".git/config", "/proc/self/environ", "outside"])
def test_a_symlinked_adr_dir_is_not_read(
    repo: Path, run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    git(repo, "config", "http.extraheader", f"AUTHORIZATION: bearer {SECRET}")
    monkeypatch.setenv("ADR_LEAK_PROBE", SECRET)
    outside = tmp_path / "credentials"
    outside.write_text(f"https://bob:{SECRET}@example.com\n", encoding="utf-8")
    os.symlink(str(outside) if target == "outside" else target, repo / ".adr-dir")
    for argv in (("check",), ("list",), ("index", "--check")):
        result = run(*argv)
        assert result.exit_code == 2, (argv, result.stderr)
        assert ".adr-dir" in result.stderr and "refusing to read it" in result.stderr
        assert SECRET not in result.stdout + result.stderr


def test_a_symlinked_config_is_not_read(repo: Path, run: Cli, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(f"directory: {SECRET}\n", encoding="utf-8")
    os.symlink(outside, repo / ".adr.yaml")
    result = run("check")
    assert result.exit_code == 2 and "refusing to read it" in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_a_committed_output_symlink_cannot_send_the_site_out(
    project: Path, run: Cli, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    os.symlink(victim, project / "public")
    os.symlink(tmp_path / "victim2", project / "site")
    for argv in (("site", "--output", "public"), ("--no-cache", "site")):
        refused = run(*argv)
        assert refused.exit_code == 2, refused.stderr
        assert "through a symlink; refusing to write there" in refused.stderr
    assert list(victim.iterdir()) == [] and not (tmp_path / "victim2").exists()
    index = run("index", "--output", "public/decisions.md")
    assert index.exit_code == 2 and list(victim.iterdir()) == []
    chosen = tmp_path / "chosen"  # a folder the user names outside the tree is theirs
    assert run("site", "--output", str(chosen)).exit_code == 0
    assert (chosen / "index.html").is_file()


def test_a_record_symlinked_to_a_device_is_never_read(tmp_path: Path) -> None:
    """Deciding whether doc/adr holds adr-tools records reads the first record's head:
    a symlink to /dev/zero must not be read (it never ends)."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    folder = tmp_path / "doc" / "adr"
    folder.mkdir(parents=True)
    os.symlink("/dev/zero", folder / "0001-x.md")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "adr_tool", "-C", str(tmp_path), "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 30
    assert done.returncode == 0 and "Traceback" not in done.stderr
