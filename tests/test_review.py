"""``adr review --base REF`` in real repositories, and the README's CI snippets that post it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from ruamel.yaml import YAML

from support import Cli, git
from test_govern import commit_all, record, write

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def branch(project: Path, run: Cli) -> None:
    """main: records 2 (src/orders, review-by passed) and 3 (lib); feature: changes."""
    write(
        project,
        {"src/orders/store.py": "a\n", "src/orders/old.py": "o\n", "lib/util.py": "u\n"},
    )
    record(
        project,
        2,
        "Store orders in Postgres",
        scope=["src/orders/**"],
        extra="review-by: 2026-01-01",
    )
    record(project, 3, "Keep helpers small", scope=["lib/**"])
    git(project, "add", "-A")
    assert run("index").exit_code == 0
    commit_all(project, "Base")
    git(project, "checkout", "-q", "-b", "feature")
    write(project, {"src/orders/store.py": "changed\n"})
    git(project, "rm", "-q", "src/orders/old.py")
    git(project, "mv", "lib/util.py", "lib/helpers.py")
    record(project, 4, "Cache pages", scope=["web/**"])
    commit_all(project, "Feature work")
    write(project, {"notes.txt": "untracked\n"})


def test_review_json_lists_changes_governing_and_records(project: Path, run: Cli) -> None:
    branch(project, run)
    result = run("review", "--base", "main", "--format", "json", "--today", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.output)
    changes = {(c["status"], c["path"], c["old_path"]) for c in data["changed_files"]}
    assert ("D", "src/orders/old.py", "") in changes
    assert ("R", "lib/helpers.py", "lib/util.py") in changes
    assert ("A", "notes.txt", "") in changes  # untracked counts as added
    governing = {d["number"]: d for d in data["governing"]}
    assert governing[2]["files"] == ["src/orders/old.py", "src/orders/store.py"]
    assert governing[2]["review_due"] == "2026-01-01"
    assert governing[2]["revisit_when"] == ["orders pass 1,000/s"]
    assert governing[3]["files"] == ["lib/helpers.py"] and governing[3]["via"] == ["scope"]
    assert [(r["change"], r["number"]) for r in data["records"]] == [("added", 4)]
    assert data["number_clashes"] == [] and data["findings"] == 1


def test_review_markdown_and_strict(project: Path, run: Cli) -> None:
    branch(project, run)
    result = run("review", "--base", "main", "--today", "2026-11-30")
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("<!-- adr review -->\n### Architecture decisions for this change")
    assert "| 0002 Store orders in Postgres | `development-speed > performance` | scope |" in text
    assert (
        "* **Review due**: 0002 Store orders in Postgres, review-by 2026-01-01 has passed." in text
    )
    assert "revisit when orders pass 1,000/s (accepted cost: more code to write)" in text
    assert "* added: 0004 Cache pages (accepted), docs/decisions/0004-cache-pages.md" in text
    strict = run("review", "--base", "main", "--strict", "--today", "2026-11-30")
    assert strict.exit_code == 1
    early = run("review", "--base", "main", "--strict", "--today", "2025-12-01")
    assert early.exit_code == 0 and "Review due" not in early.output


def test_review_history_source_and_bad_ref(project: Path, run: Cli) -> None:
    write(project, {"src/api.py": "a\n"})
    record(project, 2, "Version the API", scope=None)
    commit_all(project, "API\n\nDecision: 2")
    git(project, "checkout", "-q", "-b", "feature")
    write(project, {"src/api.py": "b\n"})
    commit_all(project, "Change the API")
    data = json.loads(run("review", "--base", "main", "--format", "json").output)
    assert [(d["number"], d["via"]) for d in data["governing"]] == [(2, ["history"])]
    bad = run("review", "--base", "no-such-branch")
    assert bad.exit_code == 1 and "no commit named 'no-such-branch'" in bad.stderr


def _snippets() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)


def _review_lines(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for value in node.values():
            found += _review_lines(value)
    elif isinstance(node, list):
        for value in node:
            found += _review_lines(value)
    elif isinstance(node, str) and "adr review" in node:
        found.append(node)
    return found


def test_readme_ci_snippets_are_yaml_that_run_a_real_review(project: Path, run: Cli) -> None:
    docs = [YAML(typ="safe").load(text) for text in _snippets()]
    github = next(d for d in docs if isinstance(d, dict) and "review" in (d.get("jobs") or {}))
    gitlab = next(d for d in docs if isinstance(d, dict) and "adr-review" in d)
    steps = github["jobs"]["review"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # the merge base needs the history
    assert github["permissions"]["pull-requests"] == "write"
    assert any("gh pr comment" in s.get("run", "") for s in steps)
    assert gitlab["adr-review"]["variables"]["GIT_DEPTH"] == "0"
    assert any("merge_requests" in line for line in gitlab["adr-review"]["script"])
    lines = _review_lines(github) + _review_lines(gitlab)
    assert len(lines) == 2
    branch(project, run)
    for line in lines:
        words = shlex.split(line.split(">")[0])
        assert words[:2] == ["adr", "review"]
        args = [re.sub(r"^origin/\$\w+$", "main", w) for w in words[2:]]
        result = run("review", *args)
        assert result.exit_code == 0, (line, result.stderr)
        assert "### Architecture decisions for this change" in result.output


def test_clashes_handed_in_are_shown_and_count_as_findings(project: Path, run: Cli) -> None:
    import datetime as dt

    from adr_tool.config import discover
    from adr_tool.publish.render import Renderer
    from adr_tool.publish.review import review, review_markdown
    from adr_tool.records.store import Store

    branch(project, run)
    settings = discover(project)
    decisions = Store(settings).load_all()
    clash = "0004 is also 0004-other.md on main"
    found = review(settings, decisions, "main", today=dt.date(2025, 12, 1), clashes=[clash])
    assert found.findings == 1 and found.as_json(project)["number_clashes"] == [clash]
    text = review_markdown(settings, Renderer(None), found)
    assert "#### Number clashes with `main`\n\n* 0004 is also 0004-other.md on main\n" in text
