"""Fuzzing the core readers: any bytes give a Decision (problems carry a line) or an
AdrError with a path and line; never another exception, never a crash."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st
from strategies import counted, record_bytes, titles, yaml_text

from adr_tool import model
from adr_tool.config import load_settings
from adr_tool.errors import AdrError, ConfigError, ParseError
from adr_tool.model import Decision
from adr_tool.records import formats, frontmatter
from support import tiered


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("fuzz")


def assert_sound(decision: Decision, raw: bytes, path: Path) -> None:
    assert isinstance(decision, Decision)
    assert decision.path == path
    assert isinstance(decision.title, str)
    lines = raw.count(b"\n") + raw.count(b"\r") + 2
    for problem in decision.problems:
        assert problem.message.strip(), problem
        assert isinstance(problem.line, int) and 1 <= problem.line <= lines, (problem, lines)
    # what the CLI does with every record must work on whatever we read
    decision.as_json(path.parent)
    decision.favoured()


@tiered(4000, raw=record_bytes())
@counted
def test_read_any_bytes(scratch: Path, raw: bytes) -> None:
    path = scratch / "0002-fuzzed.md"
    path.write_bytes(raw)
    assert_sound(formats.read(path), raw, path)


@tiered(2000, text=yaml_text)
@counted
def test_frontmatter_load_gives_dict_or_parse_error(text: str) -> None:
    try:
        data = frontmatter.load(text, "x.md", 2)
    except ParseError as exc:
        assert exc.path == "x.md"
        assert isinstance(exc.line, int) and 2 <= exc.line <= text.count("\n") + 3
        assert exc.message
        return
    assert isinstance(data, dict)
    assert all(isinstance(key, str) for key in data)


def _accept(data: MutableMapping[str, Any]) -> None:
    data["status"] = "accepted"


@tiered(1200, raw=record_bytes())
@counted
def test_round_trip_edit_changes_only_status(raw: bytes) -> None:
    text = raw.decode("utf-8", errors="replace").replace("\x00", "")
    try:
        new = frontmatter.edit(text, _accept, "0002-x.md")
    except AdrError as exc:
        assert exc.path == "0002-x.md" and exc.line and exc.line >= 1
        return
    after = formats.parse(Path("0002-x.md"), new)
    assert after.status == "accepted", (text, new)
    before = frontmatter.split(text)
    assert frontmatter.split(new).body == before.body  # the body, byte for byte
    assert frontmatter.split(new).bom == before.bom


@tiered(2500, title=titles, number=st.integers(1, 9999))
@counted
def test_file_names_never_leave_the_folder(title: str, number: int) -> None:
    name = model.record_filename(number, title)
    assert model.FILENAME_RE.match(name), name
    assert Path(name).name == name and "/" not in name and "\\" not in name
    assert not name.startswith(".") and "\x00" not in name
    assert len(name.encode("utf-8")) <= 255


@tiered(600, text=yaml_text)
@counted
def test_config_is_settings_or_config_error(scratch: Path, text: str) -> None:
    root = scratch / "cfg"
    root.mkdir(exist_ok=True)
    config = root / ".adr.yaml"
    config.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        assert str(exc)
        return
    real = root.resolve()
    for path in (settings.directory, settings.index):
        assert path.resolve() == real or real in path.resolve().parents


@tiered(
    400,
    directory=st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            ("../../etc", "..", "/etc", "/", "docs/../../x", "a/../../b", "~", "$HOME")
        ),
    ),
)
@counted
def test_config_directory_contained(scratch: Path, directory: str) -> None:
    root = scratch / "cfgdir"
    root.mkdir(exist_ok=True)
    config = root / ".adr.yaml"
    config.write_text(
        "directory: " + frontmatter.flow(directory) + "\n", encoding="utf-8", errors="surrogatepass"
    )
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        assert "directory" in str(exc)
        return
    real = root.resolve()
    assert real in settings.directory.parents or settings.directory == real


def test_today_is_not_read_by_parsing() -> None:
    """Parsing is pure: the same bytes give the same Decision on any day."""
    text = "---\nstatus: accepted\nreview-by: 2000-01-01\n---\n# T\n"
    first = formats.parse(Path("0001-t.md"), text)
    assert first == formats.parse(Path("0001-t.md"), text)
    assert first.review_by == dt.date(2000, 1, 1).isoformat()
