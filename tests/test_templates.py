"""Golden files for every record template, in English and Korean.

Regenerate with ``UPDATE_GOLDEN=1 pytest tests/test_templates.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adr_tool.actions.create import LinkRequest, new_decision
from adr_tool.config import DEFAULT_AXES, Settings
from adr_tool.publish.render import Renderer, shipped_templates
from adr_tool.records import frontmatter
from adr_tool.records.formats import parse
from adr_tool.records.store import Store

GOLDEN = Path(__file__).parent / "golden" / "records"


def make(tmp_path: Path, template: str, lang: str) -> str:
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    settings = Settings(root=tmp_path, directory=folder, index=folder / "README.md", lang=lang)
    store = Store(settings)
    (folder / "0001-use-a-queue.md").write_text("---\nstatus: accepted\n---\n# Use a queue\n")
    (folder / "0002-old-cache.md").write_text("---\nstatus: accepted\n---\n# Old cache\n")
    path = new_decision(
        settings,
        store,
        Renderer(folder / "templates", lang),
        title="Cache product pages in Redis",
        date="2026-11-24",
        template=template,
        tradeoffs=["performance-vs-development-speed=performance"],
        tags=["caching", "web: edge"],
        supersedes=[2],
        links=[LinkRequest(1, "Amends", "Amended by")],
    )
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("template", ["tradeoff", "madr", "nygard"])
def test_template_golden(tmp_path: Path, template: str, lang: str) -> None:
    text = make(tmp_path, template, lang)
    golden = GOLDEN / f"{template}.{lang}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("template", ["tradeoff", "madr", "nygard"])
def test_rendered_record_parses_back(tmp_path: Path, template: str, lang: str) -> None:
    text = make(tmp_path, template, lang)
    decision = parse(tmp_path / "0003-cache-product-pages-in-redis.md", text)
    assert decision.problems == ()
    assert decision.title == "Cache product pages in Redis"
    assert decision.number == 3
    assert decision.date == "2026-11-24"
    assert decision.supersedes == (2,)
    assert [(link.rel, link.to) for link in decision.links] == [("Amends", 1)]
    if template != "nygard":
        assert decision.status == "proposed"
        assert decision.tags == ("caching", "web: edge")
    if template == "tradeoff":
        assert [(t.axis, t.favours) for t in decision.tradeoffs] == [
            ("performance-vs-development-speed", "performance")
        ]
        assert decision.section("tradeoffs") is not None
        assert decision.section("outcome") is not None


def test_korean_headings_and_axis_labels(tmp_path: Path) -> None:
    text = make(tmp_path, "tradeoff", "ko")
    assert "## 결정 결과" in text
    assert "## 트레이드오프" in text
    assert "성능 vs 개발 속도" in text
    # keys stay English so every tool can read them
    assert "\nstatus: proposed\n" in text and "\ntradeoffs:\n" in text


def test_every_template_front_matter_is_valid_yaml(tmp_path: Path) -> None:
    for template in ("tradeoff", "madr"):
        for lang in ("en", "ko"):
            folder = tmp_path / template / lang
            folder.mkdir(parents=True)
            text = make(folder, template, lang)
            parts = frontmatter.split(text)
            assert parts.yaml is not None
            assert frontmatter.load(parts.yaml)["status"] == "proposed"


def test_repository_override_wins(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "decisions"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "tradeoff.md.j2").write_text(
        "---\nstatus: {{ status }}\n---\n# {{ title }}\n\nOurs: {{ number }}\n"
    )
    renderer = Renderer(folder / "templates", "en")
    out = renderer.render("tradeoff", {"status": "proposed", "title": "T", "number": 4})
    assert out == "---\nstatus: proposed\n---\n# T\n\nOurs: 4\n"
    # the Korean lookup still prefers the repository's generic file over the shipped ko one
    out_ko = Renderer(folder / "templates", "ko").render(
        "tradeoff", {"status": "proposed", "title": "T", "number": 4}
    )
    assert "Ours: 4" in out_ko


def test_user_data_is_data_not_template_code(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "decisions"
    folder.mkdir(parents=True)
    settings = Settings(root=tmp_path, directory=folder, index=folder / "README.md")
    path = new_decision(
        settings,
        Store(settings),
        Renderer(folder / "templates"),
        title="{{ 7 * 7 }} {% raw %}",
        date="2026-11-24",
        tags=["{{ config }}"],
    )
    text = path.read_text()
    assert "# {{ 7 * 7 }} {% raw %}" in text
    assert "49" not in text
    assert parse(path, text).tags == ("{{ config }}",)


def test_shipped_templates_found() -> None:
    names = {p.name for p in shipped_templates().iterdir()}
    for template in ("tradeoff", "madr", "nygard"):
        assert f"{template}.md.j2" in names and f"{template}.ko.md.j2" in names
    assert len(DEFAULT_AXES) == 3


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where compiled shipped templates are kept, in a user cache folder of this test's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "adr" / "templates"


def test_compiled_shipped_templates_are_kept_and_give_the_same_record(
    tmp_path: Path, kept: Path
) -> None:
    first = make(tmp_path / "a", "tradeoff", "en")
    entries = sorted(kept.iterdir())
    assert entries, "the compiled template was not kept"
    assert oct(kept.stat().st_mode & 0o777) == "0o700"
    second = make(tmp_path / "b", "tradeoff", "en")  # compiled code read back
    assert second == first == (GOLDEN / "tradeoff.en.md").read_text(encoding="utf-8")
    for entry in entries:  # damaged entries are compiled again, never trusted
        entry.write_bytes(entry.read_bytes()[:40])
    assert make(tmp_path / "c", "tradeoff", "en") == first


def test_a_template_cache_folder_others_can_write_is_not_used(tmp_path: Path, kept: Path) -> None:
    kept.mkdir(parents=True)
    kept.chmod(0o777)  # anyone could plant compiled code here
    golden = (GOLDEN / "tradeoff.en.md").read_text(encoding="utf-8")
    assert make(tmp_path / "a", "tradeoff", "en") == golden
    assert list(kept.iterdir()) == []


def test_a_repository_template_is_never_kept_compiled(tmp_path: Path, kept: Path) -> None:
    folder = tmp_path / "docs" / "decisions" / "templates"
    folder.mkdir(parents=True)
    (folder / "tradeoff.md.j2").write_text("---\nstatus: {{ status }}\n---\n# {{ title }}\n")
    renderer = Renderer(folder, "en")
    assert renderer.render("tradeoff", {"status": "proposed", "title": "T"}).endswith("# T\n")
    assert not kept.exists() or list(kept.iterdir()) == []
