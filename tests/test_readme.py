"""The README is part of the product: its command reference must match the CLI, and
the guide at its top runs as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
from ruamel.yaml import YAML

from adr_tool.cli import cli
from support import tool

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
cli.load_all()  # the group imports a command's module on first use; these tests read them all


def commands() -> list[str]:
    names = []
    for name, command in sorted(cli.commands.items()):
        if isinstance(command, click.Group):
            names.extend(f"{name} {sub}" for sub in sorted(command.commands))
        else:
            names.append(name)
    return names


def test_every_command_is_documented_with_an_example() -> None:
    headings = re.findall(r"^### (.+)$", README, re.MULTILINE)
    documented = " ".join(headings)
    for name in commands():
        assert f"adr {name.split()[0]}" in documented, f"README has no section for adr {name}"
        assert re.search(rf"^adr {re.escape(name)}\b", README, re.MULTILINE), (
            f"README has no example line starting with 'adr {name}'"
        )


def test_every_command_help_has_an_example() -> None:
    ctx = click.Context(cli, info_name="adr")
    for name in commands():
        parts = name.split()
        command: click.Command = cli
        for part in parts:
            assert isinstance(command, click.Group)
            command = command.commands[part]
        assert "Example" in (command.help or ""), f"adr {name} --help has no example"
    assert ctx.info_name == "adr"


def test_documented_options_exist() -> None:
    """Every `adr CMD --option` in the README's examples is a real option of CMD."""
    for line in re.findall(r"^adr [^\n]+$", README, re.MULTILINE):
        words = line.split("#")[0].split()
        command: click.Command = cli
        for word in words[1:]:
            if isinstance(command, click.Group) and word in command.commands:
                command = command.commands[word]
            else:
                break
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        known |= {"--help", "-h"}
        for word in words:
            option = word.split("=")[0]
            if option.startswith("--") and option not in known and command is not cli:
                raise AssertionError(f"README example uses unknown option {option}: {line}")


# --- the guide: every shell block runs, every YAML block parses ---------------------------

GUIDE = README.split("\n## Reference\n", 1)[0]
BLOCK = re.compile(r"(?:<!-- snippet: ([^>\n]*) -->\n)?```(\w+)\n(.*?)\n```", re.DOTALL)
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Snippet:
    marker: str
    lang: str
    body: str


def snippets(text: str) -> list[Snippet]:
    return [Snippet(m[1] or "", m[2], m[3]) for m in BLOCK.finditer(text)]


def adr_lines(text: str) -> list[str]:
    """The ``adr …`` commands in a block (comments and line continuations handled)."""
    joined = text.replace("\\\n", " ")
    lines = [line.split(" #")[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line.startswith("adr ")]


def assert_real_command(line: str) -> None:
    """``adr NAME [SUB] --opt …``: NAME exists (or is a command still to come, §4 of the
    spec, on another branch) and every --option is one of its options."""
    words = shlex.split(line.replace("$", ""))
    command: click.Command = cli
    for word in words[1:]:
        if isinstance(command, click.Group) and word in command.commands:
            command = command.commands[word]
        elif word.startswith("-"):
            break
    assert command is not cli, f"not a command: {line}"
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for word in words:
        if word.startswith("--"):
            assert word.split("=")[0] in known, f"unknown option in: {line}"


def test_the_guide_runs_in_a_fresh_repository(repo: Path, tmp_path: Path) -> None:
    """Steps 1-7 of "Five minutes with adr", as a new user would type them."""
    bash = tool("bash", "bash (the guide's shell)", "apt-get install bash")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env |= {"ADR_DATE": "2026-11-24", "HOME": str(tmp_path)}
    outputs: list[str] = []
    ran = 0
    for snippet in snippets(GUIDE):
        kind, _, argument = snippet.marker.partition(" ")
        if snippet.lang == "markdown" and kind == "rationale":
            (record,) = (repo / "docs" / "decisions").glob(f"{int(argument):04d}-*.md")
            text = record.read_text(encoding="utf-8")
            heading = "## Decision Outcome\n"
            record.write_text(text.replace(heading, f"{heading}\n{snippet.body}\n", 1))
            continue
        if snippet.lang != "sh" or kind in ("install", "quick-start"):
            continue
        if kind == "skip-until":  # commands of SPEC §4 that other branches bring
            names = re.findall(r"adr (\w+)", argument)
            if not all(name in cli.commands for name in names):
                for line in adr_lines(snippet.body):
                    assert line.split()[1] in [*names, *cli.commands], line
                continue
        if kind == "pull-request":  # the branch a pull request merges into
            origin = tmp_path / "origin.git"
            for command, cwd in (
                (["git", "init", "-q", "--bare", str(origin)], tmp_path),
                (["git", "remote", "add", "origin", str(origin)], repo),
                (["git", "push", "-q", "origin", "HEAD:main"], repo),
                (["git", "fetch", "-q", "origin"], repo),
            ):
                subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        if kind == "code-change":
            code = repo / argument
            code.parent.mkdir(parents=True, exist_ok=True)
            code.write_text("PAGE_CACHE = 'redis://localhost:6379/0'\n", encoding="utf-8")
        done = subprocess.run(
            [str(bash), "-euo", "pipefail", "-c", snippet.body],
            cwd=repo, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, f"{snippet.body}\n{done.stdout}\n{done.stderr}"
        outputs.append(done.stdout)
        print(f"$ {snippet.body}\n{done.stdout}{done.stderr}")
        ran += 1
    assert ran >= 5
    story = "\n".join(outputs)
    assert "adr new" in outputs[0] and "adr accept 2" in outputs[0]  # init's next steps
    assert "docs/decisions/0002-cache-product-pages-in-redis.md" in outputs[1]
    record = next((repo / "docs" / "decisions").glob("0002-*.md")).read_text()
    assert "cost: a second store to run and keep warm" in record
    assert "accepted: 2026-11-24" in record and 'Chosen option: "Redis' in record
    assert "scope: [src/pages/**]" in record
    assert "0002  Cache product pages in Redis  [scope, history]" in story
    assert "All checks passed" in story
    why = outputs[3]
    assert "0002" in why and "Cache product pages in Redis" in why
    assert "performance" in why and "a second store to run and keep warm" in why
    assert "<!--" not in why  # adr show hides the guidance
    assert (repo / ".git" / "hooks" / "commit-msg").is_file()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True)
    assert status.stdout.decode().strip() == ""  # the index went into the commit
    check = subprocess.run(
        [str(BIN / "adr"), "index", "--check"], cwd=repo, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout


def test_the_install_commands_name_this_package() -> None:
    (install,) = [s for s in snippets(GUIDE) if s.marker == "install"]
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "adr-tool"' in project and 'adr = "adr_tool.__main__:main"' in project
    for line in install.body.splitlines():
        words = shlex.split(line.split(" #")[0])
        assert words[0] in ("pipx", "pip", "git") and words[1] in ("install", "clone")
        for word in words[2:]:
            if word.startswith("git+"):
                assert re.fullmatch(r"git\+https://[\w./-]+\.git@[\w.-]+", word), word
    assert "not on PyPI" in GUIDE


def test_every_yaml_block_parses_and_runs_real_commands() -> None:
    blocks = [s for s in snippets(README) if s.lang == "yaml"]
    assert len(blocks) >= 4
    for block in blocks:
        YAML(typ="safe").load(block.body)
    (config,) = [s for s in blocks if s.marker == "pre-commit"]
    hooks = YAML(typ="safe").load(config.body)["repos"][0]["hooks"]
    assert {h["id"] for h in hooks} == {"adr-check", "adr-index", "adr-commit-msg"}
    for hook in hooks:
        assert hook["language"] == "system"
        assert_real_command(hook["entry"])
        for stage in hook.get("stages", []):
            assert stage in {"pre-commit", "commit-msg", "pre-push", "manual"}
    for ci in (s for s in blocks if s.marker == "ci"):
        lines = adr_lines(ci.body.replace("- run: ", "").replace("- adr ", "adr "))
        assert len(lines) == 2
        for line in lines:
            assert_real_command(line)


def test_the_site_workflow_carries_the_memo_and_builds_on_pushes_only() -> None:
    (block,) = [s for s in snippets(README) if s.marker == "site-ci"]
    workflow = YAML(typ="safe").load(block.body)
    assert set(workflow["on"]) == {"push"}  # never a pull request's cache into the site
    steps = workflow["jobs"]["build"]["steps"]
    (cache,) = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    assert cache["with"]["path"] == ".git/adr-cache"
    runs = [s["run"] for s in steps if "run" in s]
    (site,) = [r for r in runs if r.startswith("adr ")]
    assert_real_command(site)
    assert "site --output public" in site
    assert steps.index(cache) < [s.get("run") for s in steps].index(site)


def test_no_yaml_block_pins_a_revision_that_does_not_exist() -> None:
    for block in (s for s in snippets(README) if s.lang == "yaml"):
        for rev in re.findall(r"^\s*rev:\s*(\S+)", block.body, re.MULTILINE):
            found = subprocess.run(
                ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                cwd=ROOT, capture_output=True,
            )  # fmt: skip
            assert found.returncode == 0, f"rev {rev} does not exist in this repository"


def test_every_guide_command_is_real() -> None:
    for snippet in snippets(GUIDE):
        if snippet.lang != "sh":
            continue
        coming = re.findall(r"adr (\w+)", snippet.marker)
        for line in adr_lines(snippet.body):
            if line.split()[1] not in coming or line.split()[1] in cli.commands:
                assert_real_command(line)


def test_the_quick_start_is_two_commands_and_ci_runs_its_tests() -> None:
    """The quick start: one command installs and uses adr, one installs and runs the
    tests; .ci/run runs that same test command (with both tiers and coverage)."""
    (quick,) = [s for s in snippets(README) if s.marker == "quick-start"]
    commands = [line for line in quick.body.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert "adr -C" in commands[0] and "init" in commands[0] and "list" in commands[0]
    test_command = commands[1].split("&&")[-1].strip()
    assert test_command == ".venv/bin/python -m pytest -q"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"{test_command} -p no:cacheprovider --full" in ci
