"""Hooks: the commit-msg guard, native git hooks, and the real pre-commit framework."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from adr_tool.checks import guard, install
from adr_tool.config import Settings
from support import FIXED_DATE, Cli, git, tool

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "checks"
BIN = Path(sys.executable).parent
GOOD = (FIXTURES / "ADR004" / "good" / "0001-store-orders.md").read_text(encoding="utf-8")
NO_RATIONALE = (FIXTURES / "ADR004" / "bad" / "0001-store-orders.md").read_text(encoding="utf-8")


def settings(tmp_path: Path, guard: tuple[str, ...] = ("src/**",)) -> Settings:
    return Settings(
        root=tmp_path, directory=tmp_path / "d", index=tmp_path / "d/README.md", guard_paths=guard
    )


# --- commit-msg logic ----------------------------------------------------------------


def test_trailers_come_from_the_last_paragraph_without_comments(tmp_path: Path) -> None:
    message = (
        "Subject\n\nDecision: 3 is mentioned in the body\n\nDecision: 7, ADR-0008\n"
        "Signed-off-by: A <a@example.com>\n# Decision: 9\n"
        "# ------------------------ >8 ------------------------\nDecision: 10\n"
    )
    assert guard.message_trailers(message, "Decision", tmp_path) == ["7, ADR-0008"]
    assert guard.message_trailers("Only a subject\n", "Decision", tmp_path) == []


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("src/**", "src/orders/store.py", True),
        ("src/**", "srcx/a.py", False),
        ("src/", "src/a.py", True),
        ("*.sql", "db/migrations/1.sql", True),
        ("db/*.sql", "db/migrations/1.sql", False),
        ("**/schema.prisma", "schema.prisma", True),
        ("api/?.proto", "api/a.proto", True),
    ],
)
def test_guard_globs(pattern: str, path: str, hit: bool) -> None:
    assert bool(guard.guarded([path], (pattern,))) is hit


def test_commit_msg_rules(tmp_path: Path) -> None:
    s = settings(tmp_path)
    staged = ["src/orders/store.py", "README.md"]

    def judge(message: str, files: list[str] = staged) -> str | None:
        return guard.commit_msg_problem(s, message, files, {1, 2, 7})

    assert judge("Docs only\n", ["README.md"]) is None
    refused = judge("Move writes\n")
    assert refused is not None
    assert "it changes src/orders/store.py (matched by guard.paths)" in refused
    assert "no 'Decision:' trailer" in refused
    assert "\n    Decision: 7\n" in refused and "Decision: none - <reason>" in refused
    assert judge("Move writes\n\nDecision: 7\n") is None
    assert judge("Move writes\n\ndecision: ADR-0002, 1\n") is None
    missing = judge("Move writes\n\nDecision: 12\n")
    assert missing is not None and "names record 0012, which does not exist in d" in missing
    unreadable = judge("Move writes\n\nDecision: soon\n")
    assert unreadable is not None and "cannot read 'soon'" in unreadable
    bare = judge("Move writes\n\nDecision: none\n")
    assert bare is not None and "needs a reason after 'none'" in bare
    assert judge("Move writes\n\nDecision: none - only a rename\n") is None
    assert guard.commit_msg_problem(settings(tmp_path, ()), "x", staged, set()) is None


def test_hook_script_prefers_the_installing_python() -> None:
    script = install.hook_script("/opt/my env/bin/python", 'hook commit-msg "$1"')
    assert script.startswith("#!/bin/sh\n" + install.HOOK_MARKER)
    assert "py='/opt/my env/bin/python'\n" in script
    run = f'exec "$py" -c {shlex.quote(install.RUN_ADR)} hook commit-msg "$1"; fi\n'
    assert run in script
    assert script.endswith('exec adr hook commit-msg "$1"\n')


# --- real commits --------------------------------------------------------------------


def hook_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_") or "_NAME" in k or "_EMAIL" in k
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["ADR_DATE"] = FIXED_DATE
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    return env


def commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def refresh_index(repo: Path) -> None:
    subprocess.run(
        [str(BIN / "adr"), "index"], cwd=repo, check=True, capture_output=True, text=True
    )


def guard_project(project: Path) -> None:
    with (project / ".adr.yaml").open("a", encoding="utf-8") as handle:
        handle.write("guard: {paths: ['src/**']}\n")


def exercise(project: Path, env: dict[str, str]) -> None:
    """The story both hook flavours must tell: refuse, explain, then let the fix through."""
    refresh_index(project)
    first = commit(project, env, "Start the decision log")
    assert first.returncode == 0, first.stdout + first.stderr

    record = project / "docs/decisions/0002-store-orders.md"
    record.write_text(NO_RATIONALE, encoding="utf-8")
    refresh_index(project)
    refused = commit(project, env, "Store orders in PostgreSQL")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "docs/decisions/0002-store-orders.md:17:1: ADR004 missing rationale" in output
    assert 'write \'Chosen option: "…", because …\' under "## Decision Outcome"' in output
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"

    record.write_text(GOOD, encoding="utf-8")
    refresh_index(project)
    fixed = commit(project, env, "Store orders in PostgreSQL")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr

    (project / "src").mkdir()
    (project / "src/orders.py").write_text("ORDERS = []\n", encoding="utf-8")
    blocked = commit(project, env, "Keep orders in a list")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "it changes src/orders.py (matched by guard.paths)" in output
    assert "    Decision: 7" in output
    wrong = commit(project, env, "Keep orders in a list\n\nDecision: 9")
    assert wrong.returncode != 0
    assert "names record 0009, which does not exist" in wrong.stdout + wrong.stderr
    allowed = commit(project, env, "Keep orders in a list\n\nDecision: 2")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert git(project, "log", "-1", "--format=%(trailers:key=Decision,valueonly)").strip() == "2"


@pytest.mark.slow
def test_native_hooks_refuse_then_allow(project: Path, run: Cli, tmp_path: Path) -> None:
    guard_project(project)
    result = run("hook", "install", "--commit-msg")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "installed .git/hooks/pre-commit",
        "installed .git/hooks/commit-msg",
    ]
    assert os.access(project / ".git/hooks/commit-msg", os.X_OK)
    exercise(project, hook_env(tmp_path))
    again = run("hook", "install")  # our own hook is simply updated
    assert again.exit_code == 0 and "previous hook" not in again.output


def test_install_never_overwrites_a_foreign_hook_without_force(project: Path, run: Cli) -> None:
    hook = project / ".git/hooks/pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    refused = run("hook", "install")
    assert refused.exit_code == 1
    assert "pre-commit already exists; rerun with --force" in refused.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    forced = run("hook", "install", "--force")
    assert forced.exit_code == 0
    assert "(previous hook kept as .git/hooks/pre-commit.bak)" in forced.output
    assert (project / ".git/hooks/pre-commit.bak").read_text() == "#!/bin/sh\necho mine\n"
    assert install.HOOK_MARKER in hook.read_text()


def test_the_backup_of_a_foreign_hook_is_never_written_through_a_symlink(
    project: Path, run: Cli, tmp_path: Path
) -> None:
    """With core.hooksPath in the tree, the repository can plant ``pre-commit.bak`` as a
    symlink out of it: the old hook is kept beside it instead, and a hooks folder that is
    itself a symlink out of the tree is refused."""
    outside = tmp_path / "outside"
    outside.mkdir()
    hooks = project / ".githooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text("#!/bin/sh\necho theirs\n", encoding="utf-8")
    (hooks / "pre-commit.bak").symlink_to(outside / "planted.sh")
    git(project, "config", "core.hooksPath", ".githooks")
    forced = run("hook", "install", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert list(outside.iterdir()) == []
    assert (hooks / "pre-commit.bak.1").read_text() == "#!/bin/sh\necho theirs\n"
    git(project, "config", "core.hooksPath", "linked")
    (project / "linked").symlink_to(outside)
    refused = run("hook", "install")
    assert refused.exit_code == 2 and "through a symlink" in refused.stderr
    assert list(outside.iterdir()) == []


def test_install_honours_core_hooks_path(project: Path, run: Cli) -> None:
    git(project, "config", "core.hooksPath", "tools/hooks")
    assert run("hook", "install").exit_code == 0
    assert (project / "tools/hooks/pre-commit").is_file()


def test_install_outside_git_is_an_environment_error(tmp_path: Path, run: Cli) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    result = run("hook", "install", cwd=outside)
    assert result.exit_code == 3
    assert result.stderr.startswith("adr: error:")


# --- the pre-commit framework ---------------------------------------------------------


def manifest() -> list[dict[str, object]]:
    data = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_every_hook_entry_is_a_real_adr_command() -> None:
    entries = [str(h["entry"]) for h in manifest()]
    config = YAML(typ="safe").load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries += [
        str(h["entry"])
        for r in config["repos"]
        for h in r["hooks"]
        if str(h["entry"]).startswith("adr ")
    ]
    assert {h["id"] for h in manifest()} == {"adr-check", "adr-index", "adr-commit-msg"}
    for entry in entries:
        words = shlex.split(entry)
        assert words[0] == "adr"
        result = subprocess.run(
            [str(BIN / "adr"), *words[1:], "--help"], capture_output=True, text=True
        )
        assert result.returncode == 0, (entry, result.stderr)
        assert f"Usage: adr {' '.join(words[1:])}" in result.stdout


def test_manifest_and_config_validate() -> None:
    pre_commit = str(BIN / "pre-commit")
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [pre_commit, command, str(ROOT / name)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """A local git clone-alike of this repository's hook manifest.

    The shipped hooks use ``language: python`` (pre-commit installs adr-tool from the
    repository); with no network in tests, the copy runs the installed ``adr`` from PATH
    instead (``language: unsupported``). Ids, entries, files, stages are the shipped ones.
    """
    source = tmp_path / "hook-source"
    source.mkdir()
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert text.count("language: python") == len(manifest())
    (source / ".pre-commit-hooks.yaml").write_text(
        text.replace("language: python", "language: unsupported"), encoding="utf-8"
    )
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "-A")
    git(
        source, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "hooks"
    )
    return source, git(source, "rev-parse", "HEAD").strip()


@pytest.mark.slow
def test_pre_commit_framework_refuses_then_allows(project: Path, tmp_path: Path) -> None:
    if shutil.which("pre-commit", path=str(BIN)) is None:  # pragma: no cover
        pytest.fail("pre-commit is part of the test extra; install '.[test]'")
    tool("bash", "bash, which pre-commit's hook scripts run,", "apt-get install bash")
    source, rev = hook_repository(tmp_path)
    (project / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {source}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: adr-check\n"
        "      - id: adr-index\n"
        "      - id: adr-commit-msg\n",
        encoding="utf-8",
    )
    guard_project(project)
    env = hook_env(tmp_path)
    installed = subprocess.run(
        [str(BIN / "pre-commit"), "install", "-t", "pre-commit", "-t", "commit-msg"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    exercise(project, env)

    # adr-index: a record changed without regenerating the index fails the commit once,
    # leaves the regenerated index behind, and the next commit goes through.
    record = project / "docs/decisions/0002-store-orders.md"
    record.write_text(
        GOOD.replace("# Store orders in PostgreSQL", "# Store all orders in PostgreSQL")
    )
    stale = commit(project, env, "Retitle 0002")
    assert stale.returncode != 0
    out = stale.stdout + stale.stderr
    assert "hook id: adr-index" in out and "files were modified by this hook" in out
    again = commit(project, env, "Retitle 0002")
    assert again.returncode == 0, again.stdout + again.stderr
