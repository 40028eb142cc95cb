"""Class 5: bounded YAML. Merge keys are counted by the expansion bound before the
constructor builds anything, and any front matter of at most 64 KB is loaded or refused
in under a second."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import strategies as st

from adr_tool.errors import ParseError
from adr_tool.records import frontmatter
from support import Cli, tiered

LIMIT = 1.0


def chained_merges(steps: int) -> str:
    """Each mapping merges the previous one twice: 2**steps keys once built."""
    lines = ["a0: &a0 {x: 1, y: 2}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], z{i}: 1}}" for i in range(1, steps)]
    return "\n".join(lines) + "\n"


def _timed_load(text: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        frontmatter.load(text, "r.md", 2)
        loaded = True
    except ParseError:
        loaded = False
    return time.perf_counter() - started, loaded


def test_chained_merge_keys_are_refused_before_they_are_built() -> None:
    text = chained_merges(20)  # about 700 bytes
    assert len(text) < 800
    elapsed, loaded = _timed_load(text)
    assert not loaded
    assert elapsed < LIMIT, f"{elapsed:.2f} s"
    try:
        frontmatter.load(text, "r.md", 2)
    except ParseError as exc:
        assert "expands to more than" in exc.message


def test_a_small_merge_still_loads() -> None:
    data = frontmatter.load("base: &b {x: 1}\nthis: {<<: *b, y: 2}\n", "r.md", 2)
    assert data["this"] == {"x": 1, "y": 2}


def test_adr_list_survives_a_merge_bomb_in_a_record(project: Path, run: Cli) -> None:
    record = project / "docs" / "decisions" / "0002-bomb.md"
    record.write_text(f"---\nstatus: proposed\n{chained_merges(24)}---\n# Bomb\n", "utf-8")
    started = time.perf_counter()
    result = run("--no-cache", "list")
    assert time.perf_counter() - started < 5 * LIMIT
    assert "0001" in result.output
    checked = run("--no-cache", "check", "--format", "json")
    assert "expands to more than" in checked.output


@st.composite
def alias_heavy_yaml(draw: st.DrawFn) -> str:
    """Anchors over scalars, lists and maps; later entries alias and merge earlier ones."""
    lines: list[str] = []
    count = draw(st.integers(1, 40))
    for i in range(count):
        earlier = [f"*a{j}" for j in range(i)]
        kind = draw(st.sampled_from(["scalar", "list", "merge", "nest"] if earlier else ["scalar"]))
        if kind == "scalar":
            value = "x" * draw(st.integers(0, 3000))
        elif kind == "list":
            value = "[" + ", ".join(draw(st.lists(st.sampled_from(earlier), max_size=60))) + "]"
        elif kind == "merge":
            merged = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=8))
            value = "{<<: [" + ", ".join(merged) + f"], k{i}: {i}}}"
        else:
            value = "{" + ", ".join(f"n{j}: {a}" for j, a in enumerate(earlier[-5:])) + "}"
        lines.append(f"a{i}: &a{i} {value}")
    text = "\n".join(lines) + "\n"
    return text[: frontmatter.MAX_FRONT_MATTER]


@tiered(60, text=alias_heavy_yaml())
def test_any_front_matter_up_to_64_kb_loads_or_is_refused_within_a_second(text: str) -> None:
    elapsed, _ = _timed_load(text)
    assert elapsed < LIMIT, f"{elapsed:.2f} s for {len(text)} bytes"
