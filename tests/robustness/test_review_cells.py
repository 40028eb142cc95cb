"""``adr review`` writes a comment a bot posts on the pull request, from text the branch
wrote: a title or file name cannot add cells to the comment's table (every ``|`` in a
cell is escaped, file names too), and no ``@user`` / ``@org/team`` in it pings anyone."""

from __future__ import annotations

import json
import re
from pathlib import Path

from markdown_it import MarkdownIt

from adr_tool.publish.render import md_cell, md_inline
from support import Cli, git

TITLE = "Cache | `performance > development-speed` | scope | src/ok.py | @octocat"
COST = "ask @acme/platform-team | or &#64;octocat"
REVISIT = "@octocat says so (`@in-code` stays)"
FILE = "src/x|y.py"
PING = "src/@mona.py"


def branch(project: Path, run: Cli) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", "init")
    git(project, "checkout", "-qb", "pr")
    made = run(
        "new", TITLE, "--tradeoff", "scalability-vs-simplicity=simplicity",
        "--cost", COST, "--revisit-when", REVISIT, "--scope", "src/**", "--no-edit",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    second = run(
        "new", "Second", "--tradeoff", "scalability-vs-simplicity=simplicity",
        "--cost", "c2", "--revisit-when", "r2", "--scope", "src/**", "--no-edit",
    )  # fmt: skip
    assert second.exit_code == 0, second.stderr
    for number in ("2", "3"):
        assert run("accept", number, "--force").exit_code == 0
    (project / "src").mkdir()
    for name in (FILE, PING):
        (project / name).write_text("x\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "pr")


def cells(row: str) -> list[str]:
    """A GFM table row's cells as GitHub splits them: at each pipe no backslash escapes."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_table_cells_cannot_be_forged(project: Path, run: Cli) -> None:
    branch(project, run)
    result = run("review", "--base", "main")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    rows = [line for line in text.splitlines() if line.startswith("| 0002 ")]
    assert rows == [
        "| 0002 Cache \\| `performance > development-speed` \\| scope \\| src/ok.py \\| "
        "@&#8203;octocat | `simplicity > scalability` | scope | "
        "src/@&#8203;mona.py, src/x\\|y.py |"
    ]
    assert len(cells(rows[0])) == 4  # as many as the header's
    # as a GFM renderer reads it: four cells, the title whole in the first
    html = MarkdownIt("commonmark").enable("table").render(text)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.DOTALL)
    assert body is not None
    trs = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.DOTALL)
    assert len(trs) == 2, trs  # decisions 2 and 3
    found = re.findall(r"<td>(.*?)</td>", trs[0], re.DOTALL)
    assert len(found) == 4, found
    assert found[0].startswith("0002 Cache | <code>performance &gt; development-speed</code>")
    assert found[3] == "src/@\u200bmona.py, src/x|y.py"


def mentions(html: str) -> list[str]:
    """What GitHub would read as mentions: ``@name`` in text outside code."""
    outside = re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)
    return re.findall(r"(?<![\w`])@[A-Za-z0-9][\w/-]*", outside)


def test_no_one_is_mentioned(project: Path, run: Cli) -> None:
    branch(project, run)
    text = run("review", "--base", "main").stdout
    assert "@octocat" not in text and "@acme/platform-team" not in text
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert mentions(html) == []
    assert "&amp;#64;octocat" in html  # an entity for "@" stays text
    # what GitHub shows: the same words, a zero-width space after each @
    assert "revisit when @\u200boctocat says so (<code>@in-code</code> stays)" in html
    assert "(accepted cost: ask @\u200bacme/platform-team | or &amp;#64;octocat)" in html
    # each decision worth re-reading is a bullet of its own (they used to run together)
    assert "or \\&#64;octocat)\n* 0003 Second: revisit when r2 (accepted cost: c2)\n\n" in text
    # the JSON is data: the text as written
    data = json.loads(run("review", "--base", "main", "--format", "json").stdout)
    assert data["governing"][0]["title"] == TITLE
    assert data["governing"][0]["revisit_when"] == [REVISIT]
    assert sorted(data["governing"][0]["files"]) == sorted([FILE, PING])


def test_the_escapers() -> None:
    assert md_cell("a|b `c|d` @e", quiet=True) == "a\\|b `c\\|d` @&#8203;e"
    assert md_inline("a|b `c|d` @e", quiet=True) == "a|b `c|d` @&#8203;e"
    assert md_inline("x\\@y &#64;z", quiet=True) == "x\\\\@&#8203;y \\&#64;z"
    assert md_inline("@e") == "@e"  # only where asked: the index and site are unchanged
