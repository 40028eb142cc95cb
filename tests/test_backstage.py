"""Records written by ``adr new`` are read correctly by the Backstage ADR plugin's own
parser and file-name filter (npm ``@backstage/plugin-adr-common``), run under Node.

Skipped without Node or the package here (``source .ci/backstage`` installs it into
``.ci/node`` and sets ``ADR_BACKSTAGE_ADR_COMMON``); required in CI (``CI=true`` or
``ADR_TEST_REQUIRE_ALL=1``), where a skip would hide a broken promise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from support import FIXED_DATE, Cli

# Node starts the plugin's parser for every case: in the slow tier, which CI runs.
pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent / ".ci/node/node_modules/@backstage/plugin-adr-common"
PACKAGE = Path(os.environ.get("ADR_BACKSTAGE_ADR_COMMON") or DEFAULT)
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("ADR_TEST_REQUIRE_ALL") == "1"


def _missing() -> str:
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    if not (PACKAGE / "package.json").is_file():
        return (
            f"{PACKAGE} is missing: run 'source .ci/backstage' (npm @backstage/plugin-adr-common)"
        )
    return ""


@pytest.fixture
def backstage() -> Path:
    reason = _missing()
    if reason and REQUIRED:
        pytest.fail(f"required in CI: {reason}")
    if reason:
        pytest.skip(reason)
    return PACKAGE


def parse(package: Path, root: Path, paths: list[Path], tz: str = "UTC") -> list[dict[str, object]]:
    records = [
        {"path": p.relative_to(root).as_posix(), "text": p.read_text(encoding="utf-8")}
        for p in paths
    ]
    done = subprocess.run(
        ["node", str(HERE / "backstage_parse.js"), str(package)],
        input=json.dumps(records),
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": tz},
        check=True,
        timeout=60,
    )
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("template", ["tradeoff", "madr"])
def test_the_plugin_reads_records_written_by_adr_new(
    backstage: Path, project: Path, run: Cli, template: str
) -> None:
    for title in ("Cache product pages in Redis", "Ünïcode & <angle> titles: 'quoted'"):
        result = run(
            "new", title, "--template", template, "--date", FIXED_DATE, "--no-edit",
            "--tradeoff", "performance-vs-development-speed=performance",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    # the bare template has no rationale yet: --force, as the test is about the parser
    assert run("accept", "2", "--date", FIXED_DATE, "--force").exit_code == 0
    folder = project / "docs/decisions"
    paths = sorted(folder.glob("*.md"))
    parsed = {Path(str(p["path"])).name: p for p in parse(backstage, project, paths)}

    index = parsed.pop("README.md")
    assert index["listed"] is False  # the generated index is not mistaken for a record
    records = [parsed[name] for name in sorted(parsed)]
    assert [r["listed"] for r in records] == [True, True, True]
    assert [r["title"] for r in records] == [
        "Record architecture decisions",
        "Cache product pages in Redis",
        "Ünïcode & <angle> titles: 'quoted'",
    ]
    assert [r["status"] for r in records] == ["accepted", "accepted", "proposed"]
    assert {r["date"] for r in records} == {FIXED_DATE}
    assert all(r["content_starts"] == "# " for r in records)  # front matter stripped
    # the trade-offs reach the plugin only as unrendered front matter attributes
    assert "tradeoffs" in records[1]["attributes"]


def test_the_date_shown_depends_on_the_viewer_timezone(
    backstage: Path, project: Path, run: Cli
) -> None:
    """The plugin turns the date into a JavaScript Date at UTC midnight and prints it in
    the viewer's zone: exact at UTC and east of it (Seoul), a day early west of it. Any
    MADR ``date: YYYY-MM-DD`` does this (the README says so); this pins the behaviour."""
    run("new", "Pick a queue", "--date", FIXED_DATE, "--no-edit")
    paths = sorted((project / "docs/decisions").glob("0002-*.md"))
    assert parse(backstage, project, paths, tz="Asia/Seoul")[0]["date"] == FIXED_DATE
    assert parse(backstage, project, paths, tz="America/Los_Angeles")[0]["date"] == "2026-11-23"
