"""``lang: ko`` all the way: every finding ``adr check`` can report in a plain repository
reads in Korean (text and JSON) while English output stays as it was, and the commands
that change records refuse and report in Korean too. Real repositories, real git."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from adr_tool.checks.findings import CODES
from support import FIXED_DATE, Cli, git

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
DIR = "docs/decisions"
HANGUL = re.compile(r"[가-힣]")
# Four English words in a row, outside what a message quotes: a sentence left untranslated.
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){3,}")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([^()]*\)")


def configure(repo: Path, lang: str) -> None:
    (repo / ".adr.yaml").write_text(f"directory: {DIR}\nlang: {lang}\n", encoding="utf-8")


def copy_fixture(repo: Path, code: str, kind: str = "bad") -> Path:
    folder = repo / DIR
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((FIXTURES / code / kind).iterdir()):
        shutil.copy(path, folder / path.name)
    return folder


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


# --- how each finding is produced: set up the repository, return the check arguments ----

Setup = Callable[[Path], list[str]]


def fixture_only(code: str) -> Setup:
    def setup(repo: Path) -> list[str]:
        copy_fixture(repo, code)
        return ["--today", FIXED_DATE]

    return setup


def unclosed_front_matter(repo: Path) -> list[str]:
    copy_fixture(repo, "ADR004", "good")
    (repo / DIR / "0002-open.md").write_text("---\nstatus: accepted\n\n# Open\n")
    return []


def trailer_without_record(repo: Path) -> list[str]:
    copy_fixture(repo, "ADR013")
    commit_all(repo, "Cache pages\n\nDecision: 12")
    return []


def foreign_date(repo: Path) -> list[str]:
    (repo / DIR).mkdir(parents=True)
    (repo / DIR / "0003-use-redis.md").write_text(
        "# 3. Use Redis\n\nDate: sometime in spring\n\n## Status\n\nProposed\n\n"
        "## Context\n\nWhy.\n\n## Decision\n\nWe will use it, because it is fast.\n"
    )
    return []


def number_taken_on_base(repo: Path) -> list[str]:
    good = FIXTURES / "ADR004" / "good" / "0001-store-orders.md"
    (repo / DIR).mkdir(parents=True)
    shutil.copy(good, repo / DIR / "0001-store-orders.md")
    commit_all(repo, "start")
    git(repo, "checkout", "-q", "-b", "feature")
    shutil.copy(good, repo / DIR / "0002-use-kafka.md")
    commit_all(repo, "feature record")
    git(repo, "checkout", "-q", "main")
    shutil.copy(good, repo / DIR / "0002-use-postgres.md")
    commit_all(repo, "main record")
    git(repo, "checkout", "-q", "feature")
    return ["--base", "main"]


def scoped(code: str) -> Setup:
    def setup(repo: Path) -> list[str]:
        copy_fixture(repo, code)
        (repo / "src" / "orders").mkdir(parents=True)
        (repo / "src" / "orders" / "store.py").write_text("STORE = 1\n")
        commit_all(repo, "start")
        if code != "ADR022":
            return []
        git(repo, "checkout", "-q", "-b", "topic")
        (repo / "src" / "orders" / "store.py").write_text("STORE = 2\n")
        commit_all(repo, "Tune the store")
        return ["--diff", "main"]

    return setup


def symlink_outside(repo: Path) -> list[str]:
    copy_fixture(repo, "ADR004", "good")
    outside = repo.parent / "elsewhere.md"
    outside.write_text((repo / DIR / "0001-store-orders.md").read_text())
    (repo / DIR / "0002-elsewhere.md").symlink_to(outside)
    return []


SETUPS: dict[str, Setup] = {code: fixture_only(code) for code in CODES}
SETUPS |= {
    "ADR001": unclosed_front_matter,
    "ADR013": trailer_without_record,
    "ADR016": foreign_date,
    "ADR017": number_taken_on_base,
    "ADR020": scoped("ADR020"),
    "ADR021": scoped("ADR021"),
    "ADR022": scoped("ADR022"),
    "ADR023": symlink_outside,
}

# What each finding says in English (the first of its code), as before the Korean wording:
# it must leave these byte for byte as they were (a commit's hash is shown as <sha>).
ENGLISH = {
    "ADR001": "front matter opened with '---' is never closed; add a '---' line after it",
    "ADR002": "no H1 title: add a line '# <what was decided>' right after the front matter",
    "ADR003": "unknown status 'acepted': use one of proposed, accepted, rejected, deprecated, "
    "superseded in the front matter",
    "ADR004": "missing rationale: write 'Chosen option: \"…\", because …' under "
    '"## Decision Outcome"',
    "ADR005": "accepted record without a trade-off: add to the front matter 'tradeoffs: "
    "[{axis: performance-vs-development-speed, favours: performance|development-speed, "
    "cost: …}]' (axes: performance-vs-development-speed, scalability-vs-simplicity, "
    "completeness-vs-time-to-market)",
    "ADR006": "unknown trade-off axis 'speed-vs-cost': use one of "
    "performance-vs-development-speed, scalability-vs-simplicity, "
    "completeness-vs-time-to-market (or add it under 'axes' in .adr.yaml)",
    "ADR007": "trade-off on performance-vs-development-speed has no cost: write "
    "'cost: <what favouring development-speed over performance costs you>'",
    "ADR008": "number 0002 is also used by 0002-store-orders.md: run 'adr renumber' to move "
    "the later one",
    "ADR009": "'links' names 0009, which does not exist: fix the number in 'links' or remove it",
    "ADR010": "0002-store-orders.md supersedes this record but it does not say so: add "
    "'superseded-by: [2]' to the front matter",
    "ADR011": "file name '0001-Store_Orders.md' is not NNNN-slug.md: rename it to "
    "0001-store-orders.md",
    "ADR012": "index is stale from line 2: run 'adr index' and commit the result",
    "ADR013": "commit <sha> ('Cache pages') has 'Decision: 12' but there is no record 0012: "
    "restore the record, or add ADR013 to 'check: {ignore: [...]}'",
    "ADR014": "review-by 2020-01-01 has passed: review the decision, then set a new "
    "'review-by' date, or supersede or deprecate it",
    "ADR015": "'tags' must be a list of names",
    "ADR016": "date 'sometime in spring' is not understood; write it as YYYY-MM-DD",
    "ADR017": "number 0002 is also taken on main by 0002-use-postgres.md: the merge would "
    "give two records 0002; move this one to 0003 (the next number free on both sides) "
    "with 'adr renumber --base main'",
    "ADR018": "supersession cycle 0001 → 0002 → 0001: a decision cannot be replaced by one "
    "it replaced; remove the wrong 'supersedes'/'superseded-by' entry",
    "ADR019": "trade-off axis 'performance-vs-development-speed' appears twice: a record "
    "takes one side of an axis; merge the two items into one",
    "ADR020": "scope pattern 'src/gone/**' matches no tracked file: fix the path (relative "
    "to the repository root), or remove it if the code is gone",
    "ADR021": "trade-off tension with 0001 on performance-vs-development-speed over 1 "
    "file(s) such as src/orders/store.py: 0002 favours performance (cost: a cache to keep "
    "warm), 0001 favours development-speed (cost: p99 latency about 40 ms above a tuned "
    "store); link them with 'adr link 2 Relates 1' once the conflict is understood, or "
    "supersede one",
    "ADR022": "changed since main under the scope of 0001 (src/orders/store.py), but no "
    "commit since then has a 'Decision:' trailer naming it: add 'Decision: 1' to a commit "
    "message, or 'Decision: none - <reason>'",
    "ADR023": "0002-elsewhere.md is a symlink that resolves outside the working tree or into "
    "the git directory; it was not read (make it a regular file in the repository)",
}
# A few in Korean word for word: the project's terms (대가, 근거, 트레이드오프, 기록).
KOREAN = {
    "ADR004": '근거 누락: "## Decision Outcome" 아래에 \'선택한 방안: "…", 이유: …\'을(를) 쓰세요',
    "ADR007": "performance-vs-development-speed 축의 트레이드오프에 대가가 없습니다: "
    "'cost: <performance보다 development-speed 쪽을 택하면서 감수하는 대가>'을(를) 쓰세요",
    "ADR010": "0002-store-orders.md이(가) 이 기록을 대체하지만 이 기록에는 그 사실이 "
    "없습니다: 프런트 매터에 'superseded-by: [2]'을(를) 추가하세요",
}


def check(run: Cli, args: list[str], code: str) -> tuple[list[str], list[str]]:
    """The messages of ``code`` findings: from the text report and from the JSON one."""
    text = run("check", *args)
    lines = [line.split(f": {code} ", 1)[1] for line in text.output.splitlines() if code in line]
    data = json.loads(run("check", *args, "--format", "json").output)
    return lines, [f["message"] for f in data if f["code"] == code]


def unhashed(message: str) -> str:
    return re.sub(r"^commit [0-9a-f]{10} ", "commit <sha> ", message)


@pytest.mark.parametrize("code", sorted(CODES))
def test_english_findings_read_as_before(repo: Path, run: Cli, code: str) -> None:
    configure(repo, "en")
    text, data = check(run, SETUPS[code](repo), code)
    assert text and text == data
    assert unhashed(text[0]) == ENGLISH[code]


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_finding_reads_in_korean(repo: Path, run: Cli, code: str) -> None:
    configure(repo, "en")
    args = SETUPS[code](repo)
    english = check(run, args, code)[0]
    configure(repo, "ko")
    korean, korean_json = check(run, args, code)
    assert korean == korean_json and len(korean) == len(english)
    for said in korean:
        assert HANGUL.search(said), said
        assert not ENGLISH_RUN.search(QUOTED.sub("", said)), said
    if code in KOREAN:
        assert korean[0] == KOREAN[code]
    text = run("check", *args).output
    assert text.splitlines()[-1].startswith("기록 ")  # the summary, in Korean too
    shown = text + run("check", *args, "--format", "json").output
    for was in english:
        assert was not in shown


# --- what the commands that change records say ------------------------------------------


def lifecycle_says(repo: Path, run: Cli, lang: str) -> list[str]:
    """What a refused accept, a forced one, an accepted successor, repeated links, a
    renumber and a stale index print, one entry per command (stdout + stderr)."""
    assert run("init", "--lang", lang, "--date", FIXED_DATE).exit_code == 0
    said = []

    def say(*args: str, code: int = 0) -> None:
        result = run(*args)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        said.append(result.stdout + result.stderr)

    assert run("new", "Bare", "--no-edit", "--date", FIXED_DATE).exit_code == 0
    say("accept", "2", code=1)
    assert run("new", "Bare again", "-s", "2", "--no-edit", "--date", FIXED_DATE).exit_code == 0
    say("accept", "3", "--force", "--date", FIXED_DATE)  # retires 2
    assert run("link", "3", "Amends", "1").exit_code == 0
    say("link", "3", "Amends", "1")
    commit_all(repo, "Record decisions\n\nDecision: 3")
    assert run("link", "3", "--commit", "HEAD").exit_code == 0
    say("link", "3", "--commit", "HEAD")
    say("renumber")
    folder = repo / DIR
    shutil.copy(folder / "0002-bare.md", folder / "0002-bare-copy.md")
    say("renumber", "--dry-run")
    (folder / "0002-bare-copy.md").unlink()
    index = folder / "README.md"
    index.write_text(index.read_text() + "\nedited by hand\n")
    say("index", "--check", code=1)
    return said


def test_lifecycle_commands_speak_english_as_before(repo: Path, run: Cli) -> None:
    refused, forced, linked, has_commit, nothing, plan, stale = lifecycle_says(repo, run, "en")
    assert refused.startswith(
        "adr: error: record 2 cannot become accepted until the checks for accepted records "
        "pass (or pass --force):\n  docs/decisions/0002-bare.md:"
    )
    assert "ADR004 missing rationale: write 'Chosen option:" in refused
    note = "adr: note: --force overrode docs/decisions/0003-bare-again.md:"
    assert any(line.startswith(note) for line in forced.splitlines())
    assert f"{DIR}/0002-bare.md (superseded by 3)" in forced.splitlines()
    assert linked == "record 3 already has that link; nothing changed\n"
    assert re.fullmatch(
        r"record 3 already links commit [0-9a-f]{12}; nothing changed\n", has_commit
    )
    assert nothing == "no duplicate numbers; nothing to do\n"
    assert f"would move {DIR}/0002-bare-copy.md -> {DIR}/0004-bare-copy.md" in plan
    lines = stale.splitlines()
    assert lines[0] == f"--- {DIR}/README.md (on disk)"
    assert lines[1] == f"+++ {DIR}/README.md (expected)"
    assert lines[-2] == "0 line(s) to add, 2 to remove"  # the added lines, not the fingerprint
    assert lines[-1] == f"adr: {DIR}/README.md is out of date; run 'adr index'"


def test_lifecycle_commands_speak_korean(repo: Path, run: Cli) -> None:
    said = lifecycle_says(repo, run, "ko")
    refused, forced, linked, has_commit, nothing, plan, stale = said
    assert refused.startswith(
        "adr: error: 2번 결정을 승인됨 상태로 바꿀 수 없습니다. 이 상태에 필요한 검사를 먼저 "
        "통과하세요 (또는 --force를 주세요):\n  docs/decisions/0002-bare.md:"
    )
    assert 'ADR004 근거 누락: "## 결정 결과" 아래에 \'선택한 방안:' in refused
    assert "ADR005 트레이드오프 없음: 'status: accepted'인 기록에는" in refused
    notes = [line for line in forced.splitlines() if line.startswith("adr: note:")]
    assert notes and all(n.startswith("adr: note: --force로 무시한 검사: ") for n in notes)
    assert f"{DIR}/0002-bare.md (3번 결정이 대체함)" in forced.splitlines()
    assert linked == "3번 결정에는 이미 그 링크가 있습니다. 바뀐 것이 없습니다\n"
    assert re.fullmatch(
        r"3번 결정은 이미 커밋 [0-9a-f]{12}에 연결되어 있습니다\. 바뀐 것이 없습니다\n", has_commit
    )
    assert nothing == "중복된 번호가 없습니다. 할 일이 없습니다\n"
    assert f"옮길 예정: {DIR}/0002-bare-copy.md -> {DIR}/0004-bare-copy.md" in plan
    lines = stale.splitlines()
    assert lines[0] == f"--- {DIR}/README.md (디스크에 있는 것)"
    assert lines[-2] == "추가할 줄 0개, 지울 줄 2개"
    assert lines[-1] == f"adr: {DIR}/README.md이(가) 최신이 아닙니다. 'adr index'를 실행하세요"
    for text in said:  # the data (paths, codes, keys) stays; no English sentence around it
        for line in text.splitlines():
            if text is stale and line[:1] in "+- @":
                continue  # the diff shows the index itself
            assert not ENGLISH_RUN.search(QUOTED.sub("", line)), line


def test_the_readme_shows_a_korean_finding_as_adr_check_prints_it() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"`0007-x.md:5:1: ADR007 {KOREAN['ADR007']}`" in readme


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    import string

    from adr_tool import wording

    def names(template: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(template) if field}

    for key, table in wording.TEXTS.items():
        assert set(table) == {"en", "ko"}, key
        english, korean = names(table["en"]), names(table["ko"])
        if key == "status-gated":  # names the status by its Korean label
            english, korean = english - {"status"}, korean - {"label"}
        assert english == korean, key
        assert HANGUL.search(table["ko"]) and not HANGUL.search(table["en"]), key


def test_a_message_that_cannot_be_worded_is_shown_as_it_is() -> None:
    """A tampered parse cache can hand back any id or values: never an exception."""
    from adr_tool import wording

    assert wording.say("no-such-message", (("a", "b"),), "ko") == "no-such-message: (('a', 'b'),)"
    assert wording.say("cost-missing", (("axis", "x"),), "ko") == "cost-missing: (('axis', 'x'),)"
    assert wording.say("cost-missing", 5, "ko") == "cost-missing: 5"  # type: ignore[arg-type]
    assert not wording.has(["cost-missing"], "ko")  # type: ignore[arg-type]
