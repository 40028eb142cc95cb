"""Decisions that govern code: ``scope``, ``adr which``, ``adr coverage``, tensions and the
scope-trailer rule, in real git repositories."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from adr_tool.model import Decision
from adr_tool.records import formats
from adr_tool.records.scope import Files, ScopeSet, invalid_patterns, literal_prefix
from support import Cli, git

DAY = "2026-11-24"
AXIS = "performance-vs-development-speed"


def record(
    repo: Path,
    number: int,
    title: str,
    *,
    scope: list[str] | None = None,
    favours: str = "development-speed",
    status: str = "accepted",
    extra: str = "",
    cost: str = "more code to write",
) -> Path:
    """A complete native record written straight to disk."""
    lines = ["---", f"status: {status}", f"date: {DAY}"]
    if scope is not None:
        lines.append("scope: " + json.dumps(scope))
    lines += [
        "tradeoffs:",
        f"  - axis: {AXIS}",
        f"    favours: {favours}",
        f"    cost: {cost}",
        "    revisit-when: orders pass 1,000/s",
    ]
    lines += [extra] if extra else []
    lines += [
        "---",
        f"# {title}",
        "",
        "## Decision Outcome",
        'Chosen option: "this", because it is simple.',
        "",
    ]
    slug = title.lower().replace(" ", "-")
    path = repo / "docs" / "decisions" / f"{number:04d}-{slug}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


CODE = {
    "src/orders/store.py": "a\nb\nc\n",
    "src/orders/gen/model.py": "x\n",
    "src/billing/api.py": "y\n",
    "lib/util.py": "u\n",
    "README.md": "readme\n",
}


@pytest.fixture
def governed(project: Path, run: Cli) -> Path:
    """Record 2 governs src/orders (minus generated code); 3 governs every .py file."""
    write(project, CODE)
    record(project, 2, "Store orders in Postgres", scope=["src/orders/**", "!src/orders/gen/**"])
    record(project, 3, "Tune python code", scope=["**/*.py"], favours="development-speed")
    git(project, "add", "-A")
    assert run("index").exit_code == 0
    commit_all(project, "Code and decisions")
    return project


# --- the record and the matcher ---------------------------------------------------------


def test_scope_is_read_and_shown_in_json(governed: Path, run: Cli) -> None:
    data = json.loads(run("list", "--format", "json").output)
    assert data[1]["scope"] == ["src/orders/**", "!src/orders/gen/**"]
    assert data[0]["scope"] == []


def test_scope_of_the_wrong_type_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "0001-x.md"
    decision = formats.parse(path, "---\nstatus: accepted\nscope: {a: 1}\n---\n# X\n")
    assert decision.scope == ()
    (problem,) = [p for p in decision.problems if p.code == "ADR015"]
    assert "'scope' must be a list" in problem.message and problem.line == 3
    single = formats.parse(path, "---\nscope: src/**\n---\n# X\n")
    assert single.scope == ("src/**",)


def test_double_star_and_negation_follow_gitignore() -> None:
    files = Files(["src/a.py", "src/gen/b.py", "src/gen/c.txt", "srcx/d.py", "lib/x/e.sql"])
    scopes = ScopeSet([(1, ["src/**", "!src/gen/**"]), (2, ["**/*.sql"]), (3, ["*.py"])])
    got = {n: [files.paths[i] for i in found] for n, found in scopes.assign(files).items()}
    assert got == {
        1: ["src/a.py"],
        2: ["lib/x/e.sql"],
        3: ["src/a.py", "src/gen/b.py", "srcx/d.py"],
    }
    assert scopes.governing("src/gen/b.py") == [3]
    assert literal_prefix("src/orders/**/*.py") == "src/orders"
    assert literal_prefix("*.py") is None and literal_prefix("**/x/y") is None
    assert invalid_patterns(["src/**", "!"]) == [("!", "Invalid git pattern: '!'")]


def test_a_folder_scope_matches_as_pathspec_would_without_compiling_it() -> None:
    from adr_tool.records.scope import Scope, _spec, folder_only

    assert folder_only("src/orders/**") == "src/orders" == folder_only("/src/orders/**")
    for pattern in ("**", "src/*/x/**", "src/**/", "!src/**", "./src/**", "src/../x/**"):
        assert folder_only(pattern) is None, pattern
    assert folder_only("a b/**") is None and folder_only("src//x/**") is None
    paths = ["src/orders", "src/orders/", "src/orders/a.py", "src/orders/x/b.py", "src/ordersx/c"]
    paths += ["x/src/orders/d", "src", "", "./src/orders/e", "/src/orders/f", "SRC/orders/g"]
    for patterns in (["src/orders/**"], ["/src/orders/**", "docs/**"], [".github/**"]):
        scope = Scope(1, patterns)
        assert scope.folders is not None
        assert not scope.match("src/ordersx/c") and scope._spec is None  # not compiled
        for path in paths:
            assert scope.match(path) == bool(_spec(patterns).match_file(path)), (patterns, path)
    assert Scope(1, ["src/**", "!src/gen/**"]).folders is None  # a negation: pathspec decides


def test_new_writes_the_scope_and_refuses_a_bad_one(project: Path, run: Cli) -> None:
    result = run("new", "Cache pages", "--scope", "src/catalog/**", "--scope", "!*.gen.py")
    assert result.exit_code == 0, result.stderr
    text = (project / result.output.strip()).read_text(encoding="utf-8")
    assert "scope: [src/catalog/**, '!*.gen.py']" in text
    parsed = formats.parse(project / result.output.strip(), text)
    assert parsed.scope == ("src/catalog/**", "!*.gen.py")
    bad = run("new", "Other", "--scope", "!")
    assert bad.exit_code == 2 and "--scope '!'" in bad.stderr
    nygard = run("new", "Third", "--scope", "src/**", "--template", "nygard")
    assert nygard.exit_code == 2 and "no front matter" in nygard.stderr


# --- adr which --------------------------------------------------------------------------


def test_which_marks_scope_and_history(governed: Path, run: Cli) -> None:
    record(governed, 4, "Bill through Stripe", scope=None)
    commit_all(governed, "Record 4")
    write(governed, {"src/billing/api.py": "changed\n"})
    commit_all(governed, "Bill\n\nDecision: 4")
    result = run("which", "src/billing/api.py", "src/orders/store.py", "--format", "json")
    assert result.exit_code == 0, result.stderr
    billing, orders = json.loads(result.output)
    assert billing["path"] == "src/billing/api.py"
    assert [(d["number"], d["via"]) for d in billing["decisions"]] == [
        (3, ["scope"]),
        (4, ["history"]),
    ]
    assert billing["decisions"][1]["linked_commits"][0]["subject"] == "Bill"
    assert [(d["number"], d["via"]) for d in orders["decisions"]] == [
        (2, ["scope"]),
        (3, ["scope"]),
    ]
    text = run("which", "src/orders/gen/model.py").output
    assert "0003  Tune python code  [scope]" in text and "0002" not in text


def test_which_follows_renames_and_knows_deleted_and_untracked(governed: Path, run: Cli) -> None:
    record(governed, 4, "Keep helpers small", scope=None)
    commit_all(governed, "Record 4")
    write(governed, {"lib/util.py": "linked\n"})
    commit_all(governed, "Helpers\n\nDecision: 4")
    git(governed, "mv", "lib/util.py", "lib/helpers.py")
    commit_all(governed, "Rename helpers")
    renamed = json.loads(run("which", "lib/helpers.py", "--format", "json").output)[0]
    assert [(d["number"], d["via"]) for d in renamed["decisions"]] == [
        (3, ["scope"]),
        (4, ["history"]),
    ]
    git(governed, "rm", "-q", "src/orders/store.py")
    commit_all(governed, "Drop store")
    deleted = run("which", "src/orders/store.py", "--no-history")
    assert deleted.exit_code == 0 and "0002  Store orders in Postgres  [scope]" in deleted.output
    write(governed, {"src/orders/new.py": "untracked\n"})
    untracked = run("which", "src/orders/new.py", "--format", "json")
    assert [d["number"] for d in json.loads(untracked.output)[0]["decisions"]] == [2, 3]


def test_which_a_folder_and_what_governs_nothing(governed: Path, run: Cli) -> None:
    folder = json.loads(run("which", "src/orders", "--format", "json").output)[0]
    assert [d["number"] for d in folder["decisions"]] == [2, 3]
    none = run("which", "README.md")
    assert none.exit_code == 1
    assert "no decision in force governs this path" in none.output
    outside = run("which", "../elsewhere.py")
    assert outside.exit_code == 1 and "outside the repository" in outside.stderr


@pytest.fixture
def excluded(project: Path) -> Path:
    """Record 2 governs src/orders but not its generated code; record 3 likewise, except
    the one generated file kept by hand, which it takes back."""
    write(project, {"src/orders/a.py": "a\n", "src/orders/generated/g.py": "g\n"})
    write(project, {"src/orders/generated/keep.py": "k\n", "README.md": "r\n"})
    record(project, 2, "Orders", scope=["src/orders/**", "!src/orders/generated/**"])
    hand = ["src/orders/**", "!src/orders/generated/**", "src/orders/generated/keep.py"]
    record(project, 3, "Hand kept code", scope=hand)
    commit_all(project, "Code and decisions")
    return project


def numbers(run: Cli, *paths: str) -> list[list[int]]:
    """The decision numbers ``adr which --no-history --format json`` names for each path."""
    answers = json.loads(run("which", "--no-history", "--format", "json", *paths).output)
    return [[d["number"] for d in answer["decisions"]] for answer in answers]


def test_which_a_folder_its_scope_excludes_is_governed_by_nothing(project: Path, run: Cli) -> None:
    """``!src/orders/generated/**`` excludes the folder's only file, so the folder too,
    as ``adr coverage`` counts it: the same answer as for the file, never 0002."""
    write(project, {"src/orders/a.py": "a\n", "src/orders/generated/g.py": "g\n"})
    record(project, 2, "Orders", scope=["src/orders/**", "!src/orders/generated/**"])
    commit_all(project, "Code and decisions")
    folder = run("which", "--no-history", "src/orders/generated")
    assert folder.exit_code == 1, folder.stderr
    assert folder.output == "src/orders/generated\n  no decision in force governs this path\n"
    file = run("which", "--no-history", "src/orders/generated/g.py")
    assert file.exit_code == 1
    assert file.output == "src/orders/generated/g.py\n  no decision in force governs this path\n"
    as_json = run("which", "--no-history", "--format", "json", "src/orders/generated")
    assert as_json.exit_code == 1
    assert json.loads(as_json.output) == [{"path": "src/orders/generated", "decisions": []}]
    assert numbers(run, "src/orders", "src/orders/a.py", ".") == [[2], [2], [2]]


def test_which_a_folder_names_the_decisions_of_the_files_it_governs(
    excluded: Path, run: Cli
) -> None:
    """In src/orders/generated, 3 governs keep.py and 2 governs nothing: the folder
    names 3 alone, as its files do; each file's own answer is unchanged."""
    assert numbers(run, "src/orders/generated") == [[3]]
    files = ["src/orders/generated/g.py", "src/orders/generated/keep.py", "src/orders/a.py"]
    assert numbers(run, *files) == [[], [3], [2, 3]]
    assert numbers(run, "src/orders", ".", "src") == [[2, 3], [2, 3], [2, 3]]
    text = run("which", "--no-history", "src/orders/generated").output
    assert "0003  Hand kept code  [scope]" in text and "0002" not in text


def test_which_a_folder_with_no_tracked_file_is_matched_as_a_folder(
    excluded: Path, run: Cli
) -> None:
    """Untracked folders have no files to go by: the folder itself is matched, as a
    folder, so ``x/**`` governs ``x`` and ``!x/**`` excludes it as it excludes its files."""
    record(excluded, 4, "Payments", scope=["src/payments/**"])
    write(excluded, {"src/payments/pay.py": "p\n", "src/orders/vendor/v.py": "v\n"})
    (excluded / "src" / "orders" / "empty").mkdir()
    record(excluded, 5, "Vendored", scope=["src/**", "!src/orders/vendor/**"])
    folders = ["src/payments", "src/orders/vendor", "src/orders/empty"]
    assert numbers(run, *folders) == [[4, 5], [2, 3], [2, 3, 5]]
    assert numbers(run, "src/payments/pay.py", "src/orders/vendor/v.py") == [[4, 5], [2, 3]]


def test_governing_below_agrees_with_coverage_for_every_folder() -> None:
    """What governs a folder is exactly what governs at least one file under it, with
    the matching ``adr coverage`` uses (``assign``), negations and re-inclusions too."""
    files = Files(
        [
            "README.md",
            "src/a.py",
            "src/gen/b.py",
            "src/gen/c.txt",
            "src/gen/keep/d.py",
            "src/gen/keep/skip/e.py",
            "src/gen-x/f.py",
            "srcx/g.py",
            "lib/x/h.sql",
        ]
    )
    scopes = ScopeSet(
        [
            (1, ["src/**", "!src/gen/**"]),
            (2, ["**/*.sql"]),
            (3, ["src/**", "!src/gen/**", "src/gen/keep/**", "!src/gen/keep/skip/**"]),
            (4, ["src/gen/*.txt", "lib/**"]),
            (5, ["src/gen/keep/skip"]),
            (6, ["!src/**"]),
        ]
    )
    assigned = {n: [files.paths[i] for i in found] for n, found in scopes.assign(files).items()}
    folders = {"", "sr", "src/orders", "src/gen/keep/skip/e.py"}
    folders.update(p.rsplit("/", n)[0] for p in files.paths for n in (1, 2, 3) if "/" in p)
    for folder in sorted(folders):
        expected = [
            n
            for n, paths in assigned.items()
            if any(not folder or p == folder or p.startswith(folder + "/") for p in paths)
        ]
        assert scopes.governing_below(files, folder) == expected, folder
    assert scopes.governing_below(files, "src/gen") == [3, 4, 5]
    assert scopes.governing_below(files, "src/gen/keep/skip") == [5]
    assert scopes.governing_below(files, "src/orders") == []
    assert files.within("src/gen") == [range(4, 8)] and files.within("sr") == []
    assert files.within("src") == [range(2, 8)] and files.within("") == [range(0, 9)]


def test_which_leaves_out_retired_decisions(governed: Path, run: Cli) -> None:
    record(governed, 5, "Replace the store", scope=["src/orders/**"], extra="supersedes: [2]")
    path = next((governed / "docs" / "decisions").glob("0002-*.md"))
    text = path.read_text(encoding="utf-8").replace("status: accepted", "status: superseded")
    path.write_text(text.replace("---\n#", "superseded-by: [5]\n---\n#"), encoding="utf-8")
    found = json.loads(run("which", "src/orders/store.py", "--format", "json").output)[0]
    assert [d["number"] for d in found["decisions"]] == [3, 5]


def test_which_in_a_shallow_clone(governed: Path, run: Cli, tmp_path: Path) -> None:
    commit_all(governed, "Second\n\nDecision: 2")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{governed}", str(clone))
    result = Cli(clone)("which", "src/orders/store.py")
    assert result.exit_code == 0
    assert "shallow clone" in result.stderr
    assert "0002  Store orders in Postgres  [scope]" in result.output


# --- coverage ---------------------------------------------------------------------------


def test_coverage_per_folder_lines_and_hot_spots(governed: Path, run: Cli) -> None:
    for n in range(3):
        write(governed, {"README.md": f"readme {n}\n"})
        commit_all(governed, f"Docs {n}")
    result = run("coverage", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.output)
    src = next(f for f in data["folders"] if f["folder"] == "src/")
    assert (src["files"], src["governed_files"]) == (3, 3)
    assert (src["lines"], src["governed_lines"]) == (5, 5)
    root = next(f for f in data["folders"] if f["folder"] == ".")
    assert root["governed_files"] == 0
    assert data["uncovered_hot_spots"][0] == {"path": "README.md", "changes": 4}
    assert all(not h["path"].startswith("src/") for h in data["uncovered_hot_spots"])
    text = run("coverage", "--no-lines").output
    assert "src/" in text and "3/3 100%" in text and "Uncovered hot spots" in text


def test_coverage_needs_git(tmp_path: Path) -> None:
    (tmp_path / "docs" / "decisions").mkdir(parents=True)
    env_cli = Cli(tmp_path)
    old = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    try:
        result = env_cli("coverage")
    finally:
        if old is None:
            os.environ.pop("GIT_CEILING_DIRECTORIES", None)
    assert result.exit_code == 3 and "needs a git repository" in result.stderr


# --- tensions, unmatched patterns, the index --------------------------------------------


def test_tension_is_a_warning_until_linked(governed: Path, run: Cli) -> None:
    record(governed, 4, "Make orders fast", scope=["src/orders/*.py"], favours="performance")
    result = run("check", "--format", "json")
    tensions = [f for f in json.loads(result.output) if f["code"] == "ADR021"]
    assert len(tensions) == 2  # 4 against 2 and against 3
    first = tensions[0]
    assert first["severity"] == "warning" and first["path"].endswith("0004-make-orders-fast.md")
    assert (
        "cost: more code to write" in first["message"] and "src/orders/store.py" in first["message"]
    )
    assert run("link", "4", "Relates", "2").exit_code == 0
    assert run("link", "3", "Amends", "4").exit_code == 0
    after = json.loads(run("check", "--format", "json").output)
    assert not [f for f in after if f["code"] == "ADR021"]


def test_pattern_matching_no_tracked_file_is_a_warning(governed: Path, run: Cli) -> None:
    record(governed, 4, "Old module", scope=["src/gone/**", "src/orders/store.py"])
    found = [f for f in json.loads(run("check", "--format", "json").output)]
    codes = [(f["code"], f["message"]) for f in found if f["path"].endswith("0004-old-module.md")]
    assert codes == [
        (
            "ADR020",
            "scope pattern 'src/gone/**' matches no tracked file: fix the path (relative to "
            "the repository root), or remove it if the code is gone",
        )
    ]


def test_index_leaves_coverage_out_unless_asked(governed: Path, run: Cli) -> None:
    """By default the committed index does not depend on the tracked files (decision 0046)."""
    text = (governed / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    assert "## Coverage" not in text and "## Tensions" not in text
    write(governed, {"src/new.py": "n\n"})
    git(governed, "add", "src/new.py")
    assert run("index", "--check").exit_code == 0
    assert "All checks passed" in run("check").output


def test_index_shows_coverage_and_tensions(governed: Path, run: Cli) -> None:
    config = governed / ".adr.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "index: {coverage: true}\n")
    record(governed, 4, "Make orders fast", scope=["src/orders/*.py"], favours="performance")
    assert run("index").exit_code == 0
    text = (governed / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    assert "## Coverage" in text and "| `src/` | 100% |" in text
    assert "| **total** | " in text
    assert "## Tensions" in text
    assert "[0002](0002-store-orders-in-postgres.md) favours development-speed" in text
    assert run("index", "--check").exit_code == 0
    write(governed, {"src/new.py": "n\n"})
    git(governed, "add", "src/new.py")  # tracked files are an input of the index
    assert run("index", "--check").exit_code == 1


def test_index_without_scopes_has_no_coverage_section(project: Path, run: Cli) -> None:
    assert run("index").exit_code == 0
    text = (project / "docs" / "decisions" / "README.md").read_text(encoding="utf-8")
    assert "## Coverage" not in text and "## Tensions" not in text


# --- the scope-trailer rule -------------------------------------------------------------


def test_branch_changing_governed_files_needs_a_trailer(governed: Path, run: Cli) -> None:
    git(governed, "checkout", "-q", "-b", "feature")
    write(governed, {"src/orders/store.py": "changed\n"})
    commit_all(governed, "Change the store")
    found = json.loads(run("check", "--diff", "main", "--format", "json").output)
    (rule,) = [f for f in found if f["code"] == "ADR022"]
    assert rule["path"] == "src/orders/store.py" and rule["severity"] == "warning"
    assert "under the scope of 0002, 0003" in rule["message"]
    assert run("check", "--diff", "main").exit_code == 0  # a warning only
    (governed / ".adr.yaml").write_text(
        (governed / ".adr.yaml").read_text() + "require: {scope-trailer: true}\n"
    )
    strict = run("check", "--diff", "main")
    assert strict.exit_code == 1 and "ADR022" in strict.output
    commit_all(governed, "Follow up\n\nDecision: 3")
    fixed = json.loads(run("check", "--diff", "main", "--format", "json").output)
    assert not [f for f in fixed if f["code"] == "ADR022"]


def test_commit_msg_guard_warns_or_refuses(governed: Path, run: Cli, tmp_path: Path) -> None:
    write(governed, {"src/orders/store.py": "changed\n"})
    git(governed, "add", "src/orders/store.py")
    message = tmp_path / "MSG"
    message.write_text("Change the store\n")
    warned = run("hook", "commit-msg", str(message))
    assert warned.exit_code == 0
    assert "adr: warning: this commit changes src/orders/store.py" in warned.stderr
    message.write_text("Change the store\n\nDecision: 2\n")
    assert run("hook", "commit-msg", str(message)).stderr == ""
    (governed / ".adr.yaml").write_text(
        (governed / ".adr.yaml").read_text() + "require: {scope-trailer: true}\n"
    )
    message.write_text("Change the store\n")
    refused = run("hook", "commit-msg", str(message))
    assert refused.exit_code == 1 and "commit refused" in refused.stderr
    message.write_text("Change the store\n\nDecision: none - only a comment\n")
    assert run("hook", "commit-msg", str(message)).exit_code == 0


def test_scoped_decision_model_default() -> None:
    assert Decision(1, Path("x.md"), "X").scope == ()


FIXTURES = Path(__file__).parent / "fixtures" / "checks"
TRACKED = ("src/orders/store.py", "src/orders/model.py", "lib/util.py")


def fixture_codes(code: str, kind: str) -> list[str]:
    from adr_tool.checks import rules
    from adr_tool.checks.findings import BranchChanges, CheckInputs
    from adr_tool.config import Settings

    folder = FIXTURES / code / kind
    settings = Settings(root=folder, directory=folder, index=folder / "README.md")
    decisions = [formats.read(p) for p in sorted(folder.glob("*.md"))]
    named = frozenset({1}) if kind == "good" else frozenset()
    branch = BranchChanges("main", ("src/orders/store.py", "lib/util.py"), named)
    inputs = CheckInputs(
        today=dt.date(2026, 11, 24),
        tracked=TRACKED,
        branch=branch if code == "ADR022" else None,
    )
    return [f.code for f in rules.run(decisions, settings, inputs)]


@pytest.mark.parametrize("code", ["ADR020", "ADR021", "ADR022"])
def test_scope_rule_fixtures(code: str) -> None:
    assert set(fixture_codes(code, "bad")) == {code}
    assert fixture_codes(code, "good") == []


def test_crafted_patterns_cannot_stall_matching() -> None:
    """Patterns come from pull requests: matching stays linear (re2), and without re2
    the patterns Python's backtracking engine could stall on are refused."""
    import time

    from adr_tool.records import scope

    assert scope.backend() == "re2"  # google-re2 is a dependency
    crafted = ["*a" * 12 + "*b", "**/x/**/y/**/z*z*z*q"]
    paths = ["a" * 250, "a/" * 2000 + "c", "x/" * 1000 + "y/" * 1000 + "z" * 250]
    start = time.perf_counter()
    scopes = ScopeSet([(1, crafted)])
    assert [scopes.governing(p) for p in paths] == [[], [], []]
    assert time.perf_counter() - start < 5  # backtracking would take hours
    with pytest.raises(scope.ScopeError, match="too many wildcards"):
        scope._spec(["*a*a*a*b"], "simple")
    plain = scope._spec(["src/**/*.py", "!src/gen/**"], "simple")
    assert plain.match_file("src/a/b.py") and not plain.match_file("src/gen/c.py")


def test_site_home_shows_coverage_and_tensions(governed: Path, run: Cli) -> None:
    record(governed, 4, "Make orders fast", scope=["src/orders/*.py"], favours="performance")
    result = run("site", "--output", "out/site")
    assert result.exit_code == 0, result.stderr
    home = (governed / "out" / "site" / "index.html").read_text(encoding="utf-8")
    assert '<section aria-labelledby="coverage-heading" id="coverage">' in home
    assert '<th scope="row">src/</th>' in home and "<td>3 / 3</td>" in home
    tensions = home[home.index('id="tensions"') :]
    assert 'href="decisions/0002-store-orders-in-postgres.html">0002</a>' in tensions
    assert "<code>src/orders/store.py</code>" in tensions
