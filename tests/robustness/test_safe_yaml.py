"""Safe YAML: no tag is ever constructed, alias bombs and deep nesting are refused
before they cost memory or stack, and front matter has a size limit."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path
from typing import Any

import pytest
from harness import ADR, git_env

from adr_tool.errors import ParseError
from adr_tool.records import formats, frontmatter

FM = "---\nstatus: accepted\n"
BOMB = (
    "---\nstatus: proposed\n"
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9)
    )
    + "---\n# Billion laughs\n\n## Decision Outcome\n\nChosen option: x, because y.\n"
)


def load_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        frontmatter.load(text, "r.md", 2)
    assert info.value.path == "r.md" and info.value.line and info.value.line >= 2
    return info.value


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.check_output [[touch, {marker}]]",
        "!!python/object/apply:builtins.open ['{marker}', 'w']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!custom {{path: {marker}}}",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    ],
)
def test_tags_are_refused_never_constructed(tmp_path: Path, value: str) -> None:
    marker = tmp_path / "PWNED"
    text = f"status: accepted\nx: {value.format(marker=marker)}\n"
    error = load_error(text)
    assert "tag" in error.message or "constructor" in error.message
    edited = "---\n" + text + "---\n# T\n"
    with pytest.raises(ParseError):
        frontmatter.edit(edited, lambda data: data.update(status="rejected"), "r.md")
    assert not marker.exists()


def test_tag_in_a_record_is_a_finding_with_line_and_runs_nothing(project: Path, run: Any) -> None:
    marker = project / "PWNED"
    record = project / "docs" / "decisions" / "0002-tagged.md"
    record.write_text(
        f"---\nstatus: accepted\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n# T\n"
    )
    for args in (("list",), ("show", "2"), ("check",), ("index",), ("accept", "2")):
        run(*args)
    assert not marker.exists()
    result = run("check", "--format", "json")
    findings = [f for f in json.loads(result.stdout) if f["path"].endswith("0002-tagged.md")]
    assert any(f["code"] == "ADR001" and f["line"] == 3 and "tag" in f["message"] for f in findings)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    error = load_error(BOMB.split("---\n")[1])
    assert f"{frontmatter.MAX_EXPANSION:,} nodes" in error.message


def test_expansion_limit_boundary() -> None:
    # one anchor of 1,000 scalars used n times: about 1,000 * n nodes
    anchor = "a: &a [" + ", ".join(["x"] * 999) + "]\n"
    small = anchor + "b: [" + ", ".join(["*a"] * 90) + "]\n"
    big = anchor + "b: [" + ", ".join(["*a"] * 110) + "]\n"
    assert len(frontmatter.load(small)["b"]) == 90
    load_error(big)
    # a long string repeated is text too: 64 characters count as one node
    text = "a: &a " + "x" * 6400 + "\nb: [" + ", ".join(["*a"] * 2000) + "]\n"
    load_error(text)


def test_self_reference_and_deep_nesting_are_refused() -> None:
    assert "itself" in load_error("a: &a [1, *a]\n").message
    assert "itself" in load_error("a: &a {b: *a}\n").message
    limit = frontmatter.MAX_DEPTH
    ok = "x: " + "[" * (limit - 1) + "]" * (limit - 1) + "\n"
    assert frontmatter.load(ok)["x"] is not None
    assert "deeper" in load_error("x: " + "[" * limit + "]" * limit + "\n").message
    chain = "x0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n" for i in range(1, limit + 2))
    assert "deeper" in load_error(chain).message


def test_front_matter_size_limit() -> None:
    limit = frontmatter.MAX_FRONT_MATTER
    fits = "cost: " + "x" * (limit - 20) + "\n"
    assert frontmatter.load(fits)["cost"].startswith("x")
    error = load_error("cost: " + "x" * limit + "\n")
    assert f"{limit // 1024} KiB" in error.message


def test_limits_apply_to_records_and_config(tmp_path: Path) -> None:
    record = tmp_path / "0002-bomb.md"
    record.write_text(BOMB)
    decision = formats.read(record)
    assert any("nodes through aliases" in p.message for p in decision.problems)


def _capped() -> None:
    cap = 768 * 1024 * 1024  # address space: a bomb expanded would need far more
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "json"),  # one in the fast tier, every command in the slow one
        *(
            pytest.param(args, marks=pytest.mark.slow)
            for args in (
                ("show", "2", "--format", "json"),
                ("accept", "2"),
                ("index",),
                ("migrate",),
                ("list", "--format", "json"),
            )
        ),
    ],
)
def test_bomb_in_a_subprocess_with_memory_cap(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Run the real tool under RLIMIT_AS: the bomb is refused, memory never explodes."""
    repo = tmp_path / "repo"
    repo.mkdir()
    env = git_env(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
    subprocess.run([*ADR, "init"], cwd=repo, env=env, check=True, capture_output=True)
    record = repo / "docs" / "decisions" / "0002-bomb.md"
    record.write_text(BOMB)
    before = record.read_bytes()
    result = subprocess.run(
        [*ADR, *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_capped,
    )
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert record.read_bytes() == before
    if args[0] == "check":
        found = [f for f in json.loads(result.stdout) if f["path"].endswith("0002-bomb.md")]
        assert any("through aliases" in f["message"] and f["line"] == 2 for f in found)
    if args[0] == "accept":
        assert "through aliases" in result.stderr
