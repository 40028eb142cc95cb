"""Issue 18: the path from "I found this tool" to "my team uses it in every pull request".

One test group per point of the issue: trade-offs from the command line (2), an index
that stays fresh (3), errors a user can act on (4), completion (5), Korean throughout (6),
``show`` without guidance (7), the acceptance date (8) and progress bars (9). The README
guide (1) is executed by tests/test_readme.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from ruamel.yaml import YAML

from adr_tool.cli import cli
from adr_tool.cli.app import Progress
from adr_tool.config import discover
from adr_tool.records.store import Store
from support import FIXED_DATE, Cli, git

DIR = Path("docs/decisions")
AXIS = "performance-vs-development-speed"
ROOT = Path(__file__).resolve().parent.parent


def record(project: Path, number: int) -> str:
    (path,) = (project / DIR).glob(f"{number:04d}-*.md")
    return path.read_text(encoding="utf-8")


# --- 2. trade-offs without hand-editing YAML -----------------------------------------------


def test_new_takes_cost_and_revisit_when_inside_the_tradeoff(project: Path, run: Cli) -> None:
    spec = (
        "scalability-vs-simplicity=simplicity; cost=one primary only; revisit-when=1,000 writes/s"
    )
    result = run("new", "Store orders in PostgreSQL", "--tradeoff", spec, "--no-edit")
    assert result.exit_code == 0, result.stderr
    (t,) = Store(discover(project)).get(2).tradeoffs
    assert (t.axis, t.favours, t.cost, t.revisit_when) == (
        "scalability-vs-simplicity",
        "simplicity",
        "one primary only",
        "1,000 writes/s",
    )


def test_cost_options_go_with_the_one_tradeoff(project: Path, run: Cli) -> None:
    result = run(
        "new", "Cache pages", "--tradeoff", f"{AXIS}=performance",
        "--cost", "a second store: to run", "--revisit-when", "hit rate < 80%", "--no-edit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (t,) = Store(discover(project)).get(2).tradeoffs
    assert (t.cost, t.revisit_when) == ("a second store: to run", "hit rate < 80%")
    two = run(
        "new", "X", "--tradeoff", f"{AXIS}=performance",
        "--tradeoff", "scalability-vs-simplicity=simplicity", "--cost", "c", "--no-edit",
    )  # fmt: skip
    assert two.exit_code == 2
    assert "--cost and --revisit-when go with exactly one --tradeoff" in two.stderr
    bad = run("new", "Y", "--tradeoff", f"{AXIS}=performance; price=1", "--no-edit")
    assert bad.exit_code == 2 and "has no side 'performance; price=1'" in bad.stderr
    semi = f"{AXIS}=performance; cost=one store; two ops; revisit-when=p99 > 50 ms; at peak"
    assert run("new", "Z", "--tradeoff", semi, "--no-edit").exit_code == 0
    (t,) = Store(discover(project)).get(3).tradeoffs
    assert (t.cost, t.revisit_when) == ("one store; two ops", "p99 > 50 ms; at peak")


def test_new_asks_for_title_axis_side_cost_and_revisit(project: Path, run: Cli) -> None:
    answers = "Cache product pages\nbogus\n" + f"{AXIS}\nperformance\n"
    answers += "a second store to run\ncache hit rate under 80%\nn\n"
    result = run("new", "--ask", "--no-edit", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "Axis this decision moves along" in result.stderr
    assert "Side favoured on performance-vs-development-speed" in result.stderr
    assert result.stdout.strip() == "docs/decisions/0002-cache-product-pages.md"
    (t,) = Store(discover(project)).get(2).tradeoffs
    assert (t.favours, t.cost, t.revisit_when) == (
        "performance",
        "a second store to run",
        "cache hit rate under 80%",
    )


def test_the_template_asks_for_the_cost_once(project: Path, run: Cli) -> None:
    run("new", "A", "--tradeoff", f"{AXIS}=performance", "--no-edit")
    text = record(project, 2)
    front, body = text.split("\n---\n", 1)
    assert "cost" in front
    assert "Put both in `cost`" not in body
    assert "costs you" not in body
    assert "front matter" in body  # the body says where the cost lives instead


# --- 3. the index stays fresh ----------------------------------------------------------


def test_every_change_leaves_a_current_index(project: Path, run: Cli) -> None:
    steps = [
        ("new", "Use MySQL", "--tradeoff", f"{AXIS}=development-speed; cost=slower", "--no-edit"),
        ("new", "Use PostgreSQL", "--no-edit"),
        ("accept", "2", "--force"),  # the template has no rationale yet
        ("status", "3", "rejected"),
        ("link", "3", "Amends", "2"),
        ("unlink", "3", "2"),
        ("new", "Use Kafka", "--no-edit"),
        ("supersede", "2", "4"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.stderr)
        fresh = run("index", "--check")
        assert fresh.exit_code == 0, (step, fresh.stdout)
    assert "Use Kafka" in (project / DIR / "README.md").read_text()


def test_renumber_leaves_a_current_index(project: Path, run: Cli) -> None:
    run("new", "One", "--no-edit")
    twin = project / DIR / "0002-twin.md"
    twin.write_text("---\nstatus: proposed\ndate: 2026-11-24\n---\n# Twin\n", encoding="utf-8")
    assert run("renumber").exit_code == 0
    assert run("index", "--check").exit_code == 0
    assert "Twin" in (project / DIR / "README.md").read_text()


def test_index_auto_off_leaves_the_index_alone(project: Path, run: Cli) -> None:
    with (project / ".adr.yaml").open("a", encoding="utf-8") as config:
        config.write("index: {auto: false}\n")
    before = (project / DIR / "README.md").read_text()
    assert run("new", "Quiet", "--no-edit").exit_code == 0
    assert (project / DIR / "README.md").read_text() == before
    assert run("index", "--check").exit_code == 1


def test_no_index_file_means_none_is_created(repo: Path, run: Cli) -> None:
    assert run("new", "First", "--no-edit").exit_code == 0
    assert not (repo / DIR / "README.md").exists()


def test_first_commit_after_a_change_passes_the_hook(project: Path, run: Cli) -> None:
    """The native pre-commit hook (adr check, stale index included) passes as it is."""
    assert run("hook", "install").exit_code == 0
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Adopt adr")
    run("new", "Cache", "--tradeoff", f"{AXIS}=performance; cost=a store", "--no-edit")
    path = next((project / DIR).glob("0002-*.md"))
    text = path.read_text().replace(
        "## Decision Outcome\n",
        '## Decision Outcome\n\nChosen option: "Redis", because it is fast.\n',
    )
    path.write_text(text)
    assert run("accept", "2").exit_code == 0
    git(project, "add", "-A")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["git", "commit", "-q", "-m", "Cache pages", "-m", "Decision: 2"],
        cwd=project, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_hook_manifest_keeps_check_and_index_out_of_commit_msg() -> None:
    hooks = {
        h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    for hook_id in ("adr-check", "adr-index"):
        stages = hooks[hook_id]["stages"]
        assert "pre-commit" in stages and "commit-msg" not in stages
    assert hooks["adr-commit-msg"]["stages"] == ["commit-msg"]


# --- 4. errors a user can act on ---------------------------------------------------------


def test_unknown_filter_values_exit_2_with_a_suggestion(project: Path, run: Cli) -> None:
    status = run("list", "--status", "acepted")
    assert status.exit_code == 2
    assert status.stderr.startswith("adr: error: --status: unknown status 'acepted'")
    assert "did you mean 'accepted'?" in status.stderr
    axis = run("list", "--axis", "performance-vs-dev-speed")
    assert axis.exit_code == 2
    assert f"did you mean '{AXIS}'?" in axis.stderr
    assert run("list", "--axis", "bogus").stderr.count("\n") == 1


def test_repeated_status_means_any_of_them(project: Path, run: Cli) -> None:
    run("new", "Draft", "--no-edit")
    run("new", "Turned down", "--no-edit")
    run("reject", "3")
    listed = run("list", "--status", "accepted", "--status", "proposed").stdout
    assert "0001" in listed and "0002" in listed and "0003" not in listed


def test_show_takes_the_trailer_form_and_refuses_junk_in_one_line(project: Path, run: Cli) -> None:
    for ref in ("ADR-1", "ADR-0001", "0001", "1"):
        shown = run("show", ref)
        assert shown.exit_code == 0 and "Record architecture decisions" in shown.stdout
    bad = run("show", "abc")
    assert bad.exit_code == 2
    assert bad.stderr == (
        "adr: error: NUMBER: 'abc' is not a record number; write 7, 0007 or ADR-7\n"
    )
    assert run("accept", "ADR-1").exit_code == 0


def test_a_missing_editor_names_the_record_and_a_hint(
    project: Path, run: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    result = run("edit", "1")
    assert result.exit_code == 3
    assert "0001-record-architecture-decisions.md" in result.stderr
    assert "set $VISUAL/$EDITOR" in result.stderr
    assert "Errno" not in result.stderr and result.stderr.count("\n") == 1


def test_a_yaml_error_in_the_config_names_the_file(project: Path, run: Cli) -> None:
    with (project / ".adr.yaml").open("a", encoding="utf-8") as config:
        config.write("axes: [a, b\n")
    result = run("list")
    assert result.exit_code == 2
    assert ".adr.yaml:" in result.stderr
    assert "the configuration is not valid YAML" in result.stderr
    assert "front matter" not in result.stderr


def test_plurals_are_right(project: Path, run: Cli, tmp_path: Path) -> None:
    assert "All checks passed (1 record checked)." in run("check").stdout
    site = run("site", "--output", str(tmp_path / "site"))
    assert site.stdout.endswith("(1 decision)\n")


def test_init_ends_with_the_next_three_commands(repo: Path, run: Cli) -> None:
    out = run("init").stdout.splitlines()
    steps = [line.strip() for line in out[out.index("Next:") + 1 :]]
    commands = [s.split()[0] for s in steps if not s.startswith("--")]
    assert commands == ["adr", "adr", "git"]
    assert steps[0].startswith("adr new") and steps[-2] == "adr accept 2"
    assert '-m "Decision: 2"' in steps[-1]


# --- 5. completion ----------------------------------------------------------------------


def complete(project: Path, words: list[str], incomplete: str) -> list[tuple[str, str]]:
    completer = ShellComplete(cli, {}, "adr", "_ADR_COMPLETE")
    items = completer.get_completions(["-C", str(project), *words], incomplete)
    return [(item.value, item.help or "") for item in items]


def test_completion_of_numbers_statuses_axes_pairs_and_tags(project: Path, run: Cli) -> None:
    run("new", "Cache pages", "--tag", "caching", "--tag", "web", "--no-edit")
    assert complete(project, ["show"], "") == [
        ("1", "Record architecture decisions"),
        ("2", "Cache pages"),
    ]
    assert complete(project, ["accept"], "ADR-2") == [("2", "Cache pages")]
    assert [v for v, _ in complete(project, ["status", "2"], "de")] == ["deprecated"]
    assert [v for v, _ in complete(project, ["list", "--status"], "")][:2] == [
        "proposed",
        "accepted",
    ]
    assert [v for v, _ in complete(project, ["list", "--axis"], "sc")] == [
        "scalability-vs-simplicity"
    ]
    assert [v for v, _ in complete(project, ["new", "--tradeoff"], "perf")] == [
        f"{AXIS}=performance",
        f"{AXIS}=development-speed",
    ]
    assert [v for v, _ in complete(project, ["list", "--tag"], "")] == ["caching", "process", "web"]


def test_completion_through_the_shell_protocol(project: Path) -> None:
    """What bash sees: the installed ``adr`` answering _ADR_COMPLETE=bash_complete."""
    adr = Path(sys.executable).parent / "adr"
    env = {
        **os.environ,
        "_ADR_COMPLETE": "bash_complete",
        "COMP_WORDS": "adr show ",
        "COMP_CWORD": "2",
    }
    out = subprocess.run([str(adr)], cwd=project, env=env, capture_output=True, text=True)
    assert out.stdout.splitlines() == ["plain,1"]


# --- 6. Korean all the way --------------------------------------------------------------


@pytest.fixture
def korean(repo: Path, run: Cli) -> Path:
    assert run("init", "--lang", "ko", "--date", FIXED_DATE).exit_code == 0
    return repo


def test_korean_statuses_in_list_index_and_site(korean: Path, run: Cli, tmp_path: Path) -> None:
    result = run("new", "주문을 PostgreSQL에 저장", "--no-edit")
    assert result.stdout.strip() == "docs/decisions/0002-주문을-postgresql에-저장.md"
    listed = run("list").stdout
    assert "승인됨" in listed and "제안됨" in listed and "accepted" not in listed
    index = (korean / DIR / "README.md").read_text()
    assert "승인됨 1건" in index and "제안됨 1건" in index
    assert "status: proposed" in record(korean, 2)  # front matter keywords stay English
    run("site", "--output", str(tmp_path / "site"))
    home = (tmp_path / "site" / "index.html").read_text()
    assert "승인됨" in home


def test_korean_check_and_cli_messages(korean: Path, run: Cli) -> None:
    already = run("accept", "1")
    assert already.stdout == "1번 결정은 이미 승인됨 상태입니다. 바뀐 것이 없습니다\n"
    run("new", "근거 없는 결정", "--no-edit")
    run("accept", "2", "--force")  # accepted without the rationale the checks want
    report = run("check").stdout
    assert "ADR004 근거 누락:" in report
    assert report.splitlines()[-1].startswith("기록 2건에서 오류")


def test_cost_is_one_word_in_korean() -> None:
    korean = [p for p in (ROOT / "templates").rglob("*") if ".ko." in p.name]
    assert korean
    for path in korean:
        assert "비용" not in path.read_text(encoding="utf-8"), path


# --- 7. show without guidance -----------------------------------------------------------


def test_show_hides_guidance_and_raw_shows_the_file(project: Path, run: Cli) -> None:
    run("new", "Cache pages", "--tradeoff", f"{AXIS}=performance", "--no-edit")
    shown = run("show", "2").stdout
    assert "<!--" not in shown and "## Decision Outcome" in shown
    assert "\n\n\n" not in shown
    raw = run("show", "2", "--raw").stdout
    assert raw == record(project, 2)
    assert "<!--" in raw


# --- 8. the acceptance date -------------------------------------------------------------


def test_accept_keeps_the_date_and_records_when(project: Path, run: Cli) -> None:
    run("new", "Cache pages", "--no-edit", "--date", "2026-11-01")
    assert run("accept", "2", "--date", "2026-11-20", "--force").exit_code == 0
    text = record(project, 2)
    assert "date: 2026-11-01\naccepted: 2026-11-20\n" in text
    shown = run("show", "2").stdout.splitlines()
    assert shown[1].startswith("status: accepted") and "date: 2026-11-01" in shown[1]
    assert shown[2] == "accepted: 2026-11-20"
    assert json.loads(run("show", "2", "--format", "json").stdout)["accepted"] == "2026-11-20"
    assert run("deprecate", "2", "--date", "2026-12-01").exit_code == 0
    assert "date: 2026-12-01\naccepted: 2026-11-20\n" in record(project, 2)


# --- 9. progress ------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only() -> None:
    screen = Terminal()
    with Progress("Rendering pages", enabled=True, stream=screen) as bar:
        for done in range(1, 51):
            bar(done, 50)
    assert "Rendering pages" in screen.getvalue() and "100%" in screen.getvalue()
    pipe = io.StringIO()
    with Progress("Rendering pages", enabled=True, stream=pipe) as bar:
        bar(1, 50)
    assert pipe.getvalue() == ""
    quiet = Terminal()
    with Progress("Rendering pages", enabled=False, stream=quiet) as bar:
        bar(1, 50)
    assert quiet.getvalue() == ""


def test_long_work_reports_progress(project: Path, run: Cli, tmp_path: Path) -> None:
    from adr_tool.actions import migrate
    from adr_tool.publish.render import Renderer
    from adr_tool.site.build import build_site

    for n in range(3):
        run("new", f"Record {n}", "--no-edit")
    settings = discover(project)
    seen: list[tuple[int, int]] = []
    store = Store(settings)
    store.progress = lambda done, total: seen.append((done, total))
    decisions = store.load_all()
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    seen.clear()
    migrate.plan(Store(settings), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (4, 4)
    seen.clear()
    renderer = Renderer(settings.directory / "templates")
    build_site(
        settings, decisions, renderer, tmp_path / "out", with_git=False,
        progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    assert seen[-1] == (4, 4)


def test_no_progress_output_when_not_a_terminal(project: Path, run: Cli, tmp_path: Path) -> None:
    for args in (("index",), ("site", "--output", str(tmp_path / "s")), ("-q", "migrate")):
        result = run(*args)
        assert result.exit_code == 0
        assert "%" not in result.stderr and "Reading records" not in result.stderr


def test_korean_prompts(korean: Path, run: Cli) -> None:
    answers = f"캐시 도입\n{AXIS}\nperformance\n저장소가 하나 늘어남\n적중률 80% 미만\nn\n"
    result = run("new", "--ask", "--no-edit", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "제목" in result.stderr and "이 결정이 걸친 축" in result.stderr
    assert "개발 속도보다 성능을(를) 택한 대가" in result.stderr
    (t,) = Store(discover(korean)).get(2).tradeoffs
    assert t.cost == "저장소가 하나 늘어남"


def test_progress_is_off_in_json_mode_and_with_quiet() -> None:
    from adr_tool.cli.app import progress

    assert progress("Reading records", fmt="json").enabled is False
    assert progress("Reading records", quiet=True).enabled is False
