from __future__ import annotations

from pathlib import Path

import pytest

from adr_tool.config import discover
from adr_tool.errors import ConfigError


def test_default_is_docs_decisions_at_the_git_root(repo: Path) -> None:
    sub = repo / "src" / "orders"
    sub.mkdir(parents=True)
    settings = discover(sub)
    assert settings.root == repo
    assert settings.directory == repo / "docs" / "decisions"
    assert settings.index == repo / "docs" / "decisions" / "README.md"
    assert [a.name for a in settings.axes] == [
        "performance-vs-development-speed",
        "scalability-vs-simplicity",
        "completeness-vs-time-to-market",
    ]


def test_config_found_from_a_subdirectory(repo: Path) -> None:
    (repo / ".adr.yaml").write_text(
        "directory: adr\nlang: ko\n"
        "axes:\n  consistency-vs-availability: [consistency, availability]\n"
        "require: {rationale: [accepted, proposed]}\ngit: {trailer: Refs-ADR}\n"
        "guard: {paths: ['src/**']}\ncheck: {ignore: [ADR014]}\n"
    )
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    settings = discover(sub)
    assert settings.config_path == repo / ".adr.yaml"
    assert settings.directory == repo / "adr"
    assert settings.lang == "ko"
    assert settings.axis("consistency-vs-availability") is not None
    assert len(settings.axes) == 4
    assert settings.require_rationale == ("accepted", "proposed")
    assert settings.require_tradeoff == ("accepted",)
    assert settings.trailer == "Refs-ADR"
    assert settings.guard_paths == ("src/**",)
    assert settings.ignore == ("ADR014",)
    ko = {a.name: a.title for a in settings.localised_axes()}
    assert ko["performance-vs-development-speed"] == "성능 vs 개발 속도"
    assert ko["scalability-vs-simplicity"] == "확장성 vs 단순성"
    assert ko["completeness-vs-time-to-market"] == "완성도 vs 출시 시점"


def test_adr_dir_fallback(repo: Path) -> None:
    (repo / ".adr-dir").write_text("architecture/decisions\n")
    settings = discover(repo)
    assert settings.directory == repo / "architecture" / "decisions"
    assert settings.layout == "adr-tools"
    assert settings.default_status == "accepted"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("directory: 5\n", "directory"),
        ("directory: ../../etc\n", "directory"),
        ("lang: fr\n", "lang"),
        ("statuses: [a, 3]\n", "statuses"),
        ("axes: {x: [only-one]}\n", "axes.x"),
        ("require: [nonsense]\n", "require"),
        ("git: {trailer: 'has space'}\n", "git.trailer"),
        ("colour: blue\n", "colour"),
        ("index: notes.txt\n", "index"),
        ("directory: [\n", "not valid YAML"),
    ],
)
def test_invalid_config_names_the_key(repo: Path, text: str, key: str) -> None:
    (repo / ".adr.yaml").write_text(text)
    with pytest.raises(ConfigError) as info:
        discover(repo)
    assert key in str(info.value)
    assert info.value.exit_code == 2


def test_an_unknown_template_is_named_where_it_was_given(project: Path) -> None:
    """``template:`` in .adr.yaml and ``--template`` fail alike, each error naming the
    place the user wrote the name in."""
    from support import Cli

    run = Cli(project)
    config = project / ".adr.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("template: tradeoff", "template: nope", 1), encoding="utf-8")
    from_config = run("new", "X", "--no-edit")
    assert from_config.exit_code == 2
    assert "template (in .adr.yaml): unknown template 'nope'" in from_config.stderr
    flagged = run("new", "X", "--no-edit", "--template", "nop")
    assert flagged.exit_code == 2 and "--template: unknown template 'nop'" in flagged.stderr
    assert sorted(p.name for p in (project / "docs/decisions").glob("0002-*")) == []
