"""``adr migrate``: other styles → front matter, prose kept line for line, idempotent."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from adr_tool.actions import migrate
from adr_tool.config import Settings
from adr_tool.records import frontmatter
from adr_tool.records.store import Store
from support import Cli

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
STYLES = ("adr-tools", "madr2", "madr4", "log4brains", "mixed")

# Lines that are metadata in one style or another; everything else is prose.
_METADATA = re.compile(
    r"^(#\s|##\s+(status|links|상태)\s*$|date:|"
    r"\s*([*-]\s+)?(\*\*)?(status|date|deciders|tags|상태)(\*\*)?:|"
    r"\s*([*-]\s+)?(supersedes|supercedes|superseded by|superceded by|amends|refined by|"
    r"relates to)\s*\[|"
    r"(accepted|proposed|rejected|deprecated|승인됨)\s*$)",
    re.IGNORECASE,
)


def prose(text: str) -> Counter[str]:
    body = frontmatter.split(text).body
    return Counter(
        line for line in body.split("\n") if line.strip() and not _METADATA.match(line.strip())
    )


def folder_store(tmp_path: Path, style: str) -> Store:
    folder = tmp_path / style
    shutil.copytree(FIXTURES / style, folder)
    return Store(Settings(root=tmp_path, directory=folder, index=folder / "README.md"))


def listing(store: Store) -> list[tuple[object, ...]]:
    store.invalidate()
    return [
        (
            *(d.number, d.id, d.title, d.status, d.date, d.supersedes, d.superseded_by, d.tags),
            *(tuple(sorted(d.links, key=lambda x: (x.rel, x.to))), d.decision_makers),
        )
        for d in store.load_all()
    ]


@pytest.mark.parametrize("style", STYLES)
def test_write_keeps_the_list_and_every_line_of_prose(tmp_path: Path, style: str) -> None:
    store = folder_store(tmp_path, style)
    before = listing(store)
    texts = {p: p.read_text(encoding="utf-8") for p in store.paths()}
    plan = migrate.plan(store)
    assert plan.changes and not plan.skipped
    assert all(p.read_text(encoding="utf-8") == t for p, t in texts.items())  # dry run
    migrate.apply(store, plan.changes)
    assert listing(store) == before
    for path, text in texts.items():
        after = path.read_text(encoding="utf-8")
        assert prose(after) == prose(text), path.name
        if path in {c.path for c in plan.changes}:
            assert after.startswith("---\n") and "\nstatus: " in after
    assert migrate.plan(store).changes == []  # a second run is a no-op


def test_adr_tools_record_becomes_native_front_matter(tmp_path: Path) -> None:
    store = folder_store(tmp_path, "adr-tools")
    migrate.apply(store, migrate.plan(store).changes)
    text = (tmp_path / "adr-tools" / "0003-store-sessions-in-redis.md").read_text()
    assert text.startswith(
        "---\nstatus: accepted\ndate: 2016-05-20\nsupersedes: [2]\n"
        "links: [{rel: Amends, to: 1}]\n---\n# Store sessions in Redis\n\n## Context\n"
    )
    old = (tmp_path / "adr-tools" / "0002-store-sessions-in-memcached.md").read_text()
    assert "superseded-by: [3]" in old and "Superceded" not in old


def test_status_prose_and_unknown_lines_stay_in_the_body(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    path = folder / "0001-x.md"
    path.write_text(
        "# 1. X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nWe revisit this in Q3.\n\n"
        "## Links\n\n* Relates to [an RFC](https://example.org/rfc)\n"
    )
    store = Store(Settings(root=tmp_path, directory=folder, index=folder / "README.md"))
    migrate.apply(store, migrate.plan(store).changes)
    assert path.read_text() == (
        "---\nstatus: accepted\ndate: 2020-01-01\n---\n# X\n\n## Status\n\n"
        "We revisit this in Q3.\n\n## Links\n\n* Relates to [an RFC](https://example.org/rfc)\n"
    )
    assert migrate.plan(store).changes == []


def test_to_madr_writes_only_madr_keys(tmp_path: Path) -> None:
    store = folder_store(tmp_path, "madr2")
    migrate.apply(store, migrate.plan(store, "madr").changes)
    text = (tmp_path / "madr2" / "0002-use-rest-for-public-api.md").read_text()
    assert text.startswith(
        "---\nstatus: superseded by ADR-0003\ndate: 2019-04-10\ndecision-makers: [Mina Lee]\n---\n"
    )
    graphql = (tmp_path / "madr2" / "0003-use-graphql-for-public-api.md").read_text()
    assert "* Supersedes [ADR-0002]" in graphql and "supersedes:" not in graphql
    assert migrate.plan(store, "madr").changes == []


def test_crlf_and_bom_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    path = folder / "0001-x.md"
    path.write_bytes(
        "\ufeff# 1. X\r\n\r\nDate: 2020-01-01\r\n\r\n## Status\r\n\r\nAccepted\r\n".encode()
    )
    store = Store(Settings(root=tmp_path, directory=folder, index=folder / "README.md"))
    migrate.apply(store, migrate.plan(store).changes)
    assert (
        path.read_bytes()
        == "\ufeff---\r\nstatus: accepted\r\ndate: 2020-01-01\r\n---\r\n# X\r\n".encode()
    )


def test_unparseable_records_are_skipped_not_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "0001-x.md").write_text("---\nstatus: [\n---\n# X\n\n* Date: 2020-01-01\n")
    store = Store(Settings(root=tmp_path, directory=folder, index=folder / "README.md"))
    plan = migrate.plan(store)
    assert plan.changes == [] and [p.name for p, _ in plan.skipped] == ["0001-x.md"]


def test_cli_dry_run_then_write(repo: Path, run: Cli) -> None:
    shutil.copytree(FIXTURES / "mixed", repo / "docs" / "adr")
    before = json.loads(run("list", "--format", "json").output)
    dry = run("migrate")
    assert dry.exit_code == 0
    assert (
        "--- a/docs/adr/0002-use-a-monorepo.md\n+++ b/docs/adr/0002-use-a-monorepo.md\n"
        in dry.stdout
    )
    assert "-* Status: Accepted\n" in dry.stdout and "+status: accepted\n" in dry.stdout
    assert "4 records would change" in dry.stderr
    assert "* Status: Accepted" in (repo / "docs/adr/0002-use-a-monorepo.md").read_text()
    wrote = run("migrate", "--write")
    assert wrote.exit_code == 0 and wrote.stdout.count("migrated ") == 4
    after = json.loads(run("list", "--format", "json").output)
    keep = ("number", "id", "title", "status", "date", "supersedes", "superseded_by", "links")
    assert [{k: d[k] for k in keep} for d in after] == [{k: d[k] for k in keep} for d in before]
    again = run("migrate")
    assert again.stdout == "" and "0 records would change" in again.stderr
