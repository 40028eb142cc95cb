"""``adr site`` with its memo: only what changed is rendered and written, and the result
is byte for byte the site a full build makes (decision 50)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from adr_tool.config import discover
from adr_tool.publish.coverage import governance
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store
from adr_tool.site import context, incremental, marshalled, memo
from adr_tool.site.build import SiteResult, build_site, git_history, render_files
from support import Cli
from test_site import corpus  # noqa: F401  (the corpus fixture is shared)

RECORD = "docs/decisions/0003-cache-product-pages-in-redis.md"


def build(root: Path, out: Path, cache: Path | None, **kwargs: str) -> SiteResult:
    settings = discover(root)
    renderer = Renderer(settings.directory / "templates", settings.lang, root=settings.root)
    decisions = Store(settings).load_all()
    return build_site(settings, decisions, renderer, out, cache=cache, **kwargs)


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """mtime_ns and inode of every file and folder: what a rewrite or a swap changes."""
    out = {"./": (folder.stat().st_mtime_ns, folder.stat().st_ino)}
    for p in folder.rglob("*"):
        info = p.lstat()
        slash = "/" if p.is_dir() and not p.is_symlink() else ""
        out[p.relative_to(folder).as_posix() + slash] = (info.st_mtime_ns, info.st_ino)
    return out


def touched(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """Files written, added or removed (a folder's own time moves with its entries)."""
    names = before.keys() | after.keys()
    return sorted(n for n in names if not n.endswith("/") and before.get(n) != after.get(n))


class Site:
    """One project, its site built with the memo, and a full build to compare with."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root, tmp
        self.out, self.cache = tmp / "out", tmp / "cache"
        self.full = 0

    def build(self, **kwargs: str) -> tuple[SiteResult, list[str]]:
        before = stamps(self.out) if self.out.exists() else {}
        result = build(self.root, self.out, self.cache, **kwargs)
        self.full += 1
        reference = build(self.root, self.tmp / f"full-{self.full}", None, **kwargs)
        assert reference.whole
        assert files(self.out) == files(self.tmp / f"full-{self.full}")
        assert not list(self.tmp.glob(".adr-site-*")), "a temporary folder was left behind"
        return result, touched(before, stamps(self.out))


@pytest.fixture
def site(corpus: Path, tmp_path: Path) -> Site:  # noqa: F811
    made = Site(corpus, tmp_path)
    first, _ = made.build()
    assert first.whole and first.written == first.files == 13
    return made


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_current_folder_is_left_untouched(site: Site) -> None:
    before = stamps(site.out)
    result, changed = site.build()
    assert result.current and not result.whole
    assert (result.written, result.removed, result.files) == (0, 0, 13)
    assert changed == [] and stamps(site.out) == before  # the folder itself too


def test_a_body_edit_rewrites_its_page_and_the_search_index_only(site: Site) -> None:
    edit(site.root, RECORD, "read far more than written.", "read far more than written. Zq.")
    result, changed = site.build()
    assert not result.whole and result.written == 2
    assert changed == ["assets/search-index.js", "decisions/0003-cache-product-pages-in-redis.html"]
    assert "Zq." in (site.out / changed[1]).read_text(encoding="utf-8")


def test_a_title_edit_rewrites_the_pages_that_show_it(site: Site) -> None:
    edit(site.root, RECORD, "in Redis\n", "in Valkey\n")
    _, changed = site.build()
    # the page, its neighbours' pager links, the page that links to it, the overviews
    assert changed == [
        "assets/search-index.js",
        "decisions.html",
        "decisions/0002-store-orders-in-mysql.html",
        "decisions/0003-cache-product-pages-in-redis.html",
        "decisions/0004-store-orders-in-postgresql.html",
        "graph.html",
        "index.html",
    ]


def test_a_deleted_record_loses_its_page_and_an_added_one_gains_one(site: Site) -> None:
    (site.root / "docs/decisions/0006-rejected-idea.md").unlink()
    result, changed = site.build()
    assert result.removed == 1 and not result.whole
    assert "decisions/0006-rejected-idea.html" in changed
    assert not (site.out / "decisions/0006-rejected-idea.html").exists()
    (site.root / "docs/decisions/0007-add-a-queue.md").write_text(
        "---\nstatus: proposed\n---\n# Add a queue\n\nSee [the cache](0003-cache-product-pages"
        "-in-redis.md) and [the old idea](0006-rejected-idea.md).\n",
        encoding="utf-8",
    )
    result, changed = site.build()
    assert "decisions/0007-add-a-queue.html" in changed and result.removed == 0
    page = (site.out / "decisions/0007-add-a-queue.html").read_text(encoding="utf-8")
    assert 'href="0003-cache-product-pages-in-redis.html"' in page
    assert 'href="0006-rejected-idea.md"' in page  # not a record here: the link stays
    (site.root / "docs/decisions/0006-rejected-idea.md").write_text(
        "---\nstatus: rejected\n---\n# Rejected idea\n", encoding="utf-8"
    )
    _, changed = site.build()  # the kept body of 0007 links to a record again
    assert "decisions/0007-add-a-queue.html" in changed
    page = (site.out / "decisions/0007-add-a-queue.html").read_text(encoding="utf-8")
    assert 'href="0006-rejected-idea.html"' in page


def test_templates_settings_and_base_url_rebuild_what_they_touch(site: Site) -> None:
    override = site.root / "docs/decisions/templates/site"
    override.mkdir(parents=True)
    shipped = Path(__file__).parents[1] / "templates/site/decision.html"
    (override / "decision.html").write_text(
        shipped.read_text(encoding="utf-8").replace("<article", "<article data-ours"),
        encoding="utf-8",
    )
    _, changed = site.build()
    assert sorted(c for c in changed if c.startswith("decisions/")) == [
        f"decisions/{p.stem}.html" for p in sorted((site.root / "docs/decisions").glob("0*.md"))
    ]
    assert "index.html" not in changed and "assets/site.css" not in changed
    assert "data-ours" in (site.out / "decisions/0002-store-orders-in-mysql.html").read_text()
    _, changed = site.build()
    assert changed == []  # an overridden decision page: rendered again, not rewritten
    _, changed = site.build(base_url="https://example.org/adr/")
    assert "decisions/0004-store-orders-in-postgresql.html" in changed
    config = site.root / ".adr.yaml"
    config.write_text(
        re.sub(r"(?m)^lang: en\b", "lang: ko", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    _, changed = site.build(base_url="https://example.org/adr/")
    assert {"index.html", "decisions.html", "decisions/0005-script-title.html"} <= set(changed)


def test_a_page_edited_by_hand_is_written_again(site: Site) -> None:
    page = site.out / "decisions/0005-script-title.html"
    page.write_text("defaced", encoding="utf-8")
    result, changed = site.build()
    assert not result.whole and changed == ["decisions/0005-script-title.html"]


def test_a_folder_with_anything_unknown_is_written_whole(site: Site, tmp_path: Path) -> None:
    (site.out / "decisions/stray.html").write_text("stray", encoding="utf-8")
    result, _ = site.build()
    assert result.whole and not (site.out / "decisions/stray.html").exists()
    outside = tmp_path / "outside.html"
    outside.write_text("keep me", encoding="utf-8")
    page = site.out / "decisions/0005-script-title.html"
    page.unlink()
    page.symlink_to(outside)  # a page that points elsewhere is replaced, never written through
    edit(site.root, "docs/decisions/0005-script-title.md", "it is plain.", "it is plainer.")
    result, _ = site.build()
    assert result.whole and not page.is_symlink()
    assert outside.read_text(encoding="utf-8") == "keep me"


def memo_files(site: Site) -> tuple[Path, Path]:
    return memo.memo_paths(site.cache, site.root / "docs/decisions", site.out)


def pack(path: Path, stamp: object, scope: str, head: str, entries: list[object]) -> None:
    """A memo file written by hand: the right frame around whatever we like."""
    packed = zlib.compress(b"".join(marshalled.blocks([(stamp, scope, head), *entries])))
    path.write_bytes(memo.MAGIC + zlib.crc32(packed).to_bytes(4, "big") + packed)


@pytest.mark.parametrize("damage", ["flip", "truncate", "magic", "shape", "escape", "cut", "stamp"])
def test_a_tampered_memo_only_costs_a_full_build(site: Site, tmp_path: Path, damage: str) -> None:
    bodies, listing = memo_files(site)
    raw = listing.read_bytes()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    scope, stamp = str(site.out.resolve()), memo.engine_stamp()
    if damage == "flip":
        listing.write_bytes(raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:])
    elif damage == "truncate":
        listing.write_bytes(raw[: len(raw) // 2])
    elif damage == "magic":
        listing.write_bytes(b"XDRSITE\x01" + raw[8:])
    elif damage == "shape":
        pack(listing, stamp, scope, "key", [("index.html", ("a", "b", "no number", 0, 0))])
        pack(bodies, stamp, "bodies", "", [("x", ("<b>", 3, ()))])
    elif damage == "escape":  # a stale page that would be deleted outside the folder
        pack(listing, stamp, scope, "key", [("../victim.txt", ("", "", 7, 0, 0))])
    elif damage == "cut":  # a whole frame around half a stream
        packed = raw[12 : 12 + (len(raw) - 12) // 2]
        listing.write_bytes(memo.MAGIC + zlib.crc32(packed).to_bytes(4, "big") + packed)
    else:  # written by another version of the code
        pack(listing, ("old",), scope, "key", [])
    loaded = memo.load_memo(bodies, listing, site.out)
    assert loaded.files == {} and loaded.key == ""
    assert (loaded.bodies == {}) == (damage == "shape")
    result, _ = site.build()
    assert result.whole
    assert victim.read_text(encoding="utf-8") == "keep me"
    again, changed = site.build()
    assert again.current and changed == []  # and the memo is whole again


def test_an_oversized_memo_is_ignored(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    bodies, listing = memo_files(site)
    assert memo.load_memo(bodies, listing, site.out).bodies
    monkeypatch.setattr(memo, "MAX_DATA_BYTES", 64)  # inflates past the bound: a bomb
    assert memo.load_memo(bodies, listing, site.out) == memo.SiteMemo()
    monkeypatch.setattr(memo, "MAX_FILE_BYTES", 16)  # larger than allowed on disk
    assert memo.load_memo(bodies, listing, site.out) == memo.SiteMemo()
    result, _ = site.build()
    assert result.whole


def test_two_processes_make_the_same_site(
    corpus: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one = build(corpus, tmp_path / "one", None)
    monkeypatch.setattr(incremental, "PARALLEL_MIN", 2)
    two = build(corpus, tmp_path / "two", tmp_path / "cache")
    assert one.whole and two.whole
    assert files(tmp_path / "one") == files(tmp_path / "two")
    edit(corpus, RECORD, "in Redis\n", "in Valkey\n")
    three = build(corpus, tmp_path / "two", tmp_path / "cache")
    assert not three.whole and three.written == 7
    assert files(tmp_path / "two") == files(build(corpus, tmp_path / "four", None).output)


def test_the_progress_bar_ends_full_when_a_child_renders_half(
    corpus: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parent counts only its own pages; its share stands for the whole, so the bar
    ends at the total instead of stopping at about half."""
    monkeypatch.setattr(incremental, "PARALLEL_MIN", 2)
    seen: list[tuple[int, int]] = []
    settings = discover(corpus)
    renderer = Renderer(settings.directory / "templates", settings.lang, root=settings.root)
    decisions = Store(settings).load_all()
    out = tmp_path / "site"
    build_site(settings, decisions, renderer, out, progress=lambda d, t: seen.append((d, t)))
    total = len(decisions)
    assert total > 3 and len(seen) < total  # the child rendered some pages
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert all(t == total and d <= total for d, t in seen)


def test_the_preview_renders_the_same_files(site: Site) -> None:
    settings = discover(site.root)
    renderer = Renderer(settings.directory / "templates", settings.lang)
    decisions = Store(settings).load_all()
    history, _ = git_history(settings, decisions)
    preview = render_files(
        settings, decisions, renderer, history=history, governed=governance(settings, decisions)
    )
    assert {k: v.encode() for k, v in preview.items()} == files(site.out)


def test_the_memo_never_lives_in_the_site(site: Site) -> None:
    inside = site.out / "cache"
    result = build(site.root, site.out, inside)
    assert result.whole and not inside.exists()


def test_cli_says_when_the_site_is_current(corpus: Path, run: Cli) -> None:  # noqa: F811
    first = run("site", "--output", "out")
    assert first.exit_code == 0 and first.output == "out/index.html (6 decisions)\n"
    again = run("site", "--output", "out")
    assert again.output == "out/index.html (6 decisions; already current, nothing written)\n"
    edit(corpus, RECORD, "in Redis\n", "in Valkey\n")
    changed = run("site", "--output", "out")
    assert changed.output == "out/index.html (6 decisions; 7 files written, 0 removed)\n"
    assert list((corpus / ".git/adr-cache").glob("site-*.bin"))
    bypass = run("--no-cache", "site", "--output", "out")
    assert bypass.output == "out/index.html (6 decisions)\n"
    assert os.path.isfile(corpus / "out/index.html")


@pytest.mark.parametrize("children", [False, True])
def test_a_first_build_keeps_the_keys_an_incremental_build_would_work_out(
    corpus: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    children: bool,
) -> None:
    """A first build works the page and overview keys out after rendering (in either
    process); the next build works them out before it, and must find them equal: a body
    edit renders one page, not every page."""
    if children:
        monkeypatch.setattr(incremental, "PARALLEL_MIN", 2)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(corpus, out, cache).whole
    rendered: list[str] = []
    real = incremental.pages.decision_page

    def counted(renderer: Renderer, base: dict[str, object], record: dict[str, str]) -> str:
        rendered.append(record["page"])
        return real(renderer, base, record)

    monkeypatch.setattr(incremental.pages, "decision_page", counted)
    monkeypatch.setattr(incremental.pages, "stream_page", None)  # overviews must be kept
    edit(corpus, RECORD, "read far more than written.", "read far more than written. Zq.")
    result = build(corpus, out, cache)
    assert not result.whole and result.written == 2
    assert rendered == ["0003-cache-product-pages-in-redis.html"]


@pytest.mark.parametrize(
    ("old", "new", "drawn_on"),
    [
        ("favours: scalability\n", "favours: simplicity\n", "index.html"),  # chart, lean
        ("status: accepted\n", "status: deprecated\n", "graph.html"),  # out of force
        ("date: 2026-02-01\n", "date: 2026-02-20\n", "index.html"),  # the lean over time
        ("tags: [caching]\n", "tags: [caching]\nlinks: [{rel: Relates, to: 5}]\n", "graph.html"),
    ],
)
def test_what_only_the_overview_pages_draw_rewrites_them(
    site: Site, old: str, new: str, drawn_on: str
) -> None:
    """The chart, the lean and the graph are in no key: they follow from each record's
    own data (in the overview pages' key), so an edit that moves them rewrites the page
    that draws them, the same bytes as a full build (``Site.build`` compares)."""
    edit(site.root, RECORD, old, new)
    result, changed = site.build()
    assert not result.whole and drawn_on in changed


def test_a_body_edit_works_out_no_chart_lean_or_graph(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What only the overview pages show is worked out when they are rendered again,
    not to key them: a body edit keeps them, and the graph is not laid out."""
    laid_out: list[int] = []
    real = context.layout

    def counted(*args: Any) -> Any:
        laid_out.append(1)
        return real(*args)

    monkeypatch.setattr(context, "layout", counted)
    edit(site.root, RECORD, "read far more than written.", "read far more than written. Zq.")
    result = build(site.root, site.out, site.cache)
    assert result.written == 2 and not laid_out
    edit(site.root, RECORD, "in Redis\n", "in Valkey\n")
    assert build(site.root, site.out, site.cache).written == 7 and laid_out == [1]


def test_the_memo_is_stamped_by_the_libraries_files_without_importing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library that shapes the HTML, upgraded or reinstalled, makes the memo stale; its
    stamp is read from its package file, not from importlib.metadata (20 to 45 ms)."""
    package = tmp_path / "shapes_html"
    package.mkdir()
    (package / "__init__.py").write_text('__version__ = "1.0"\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = memo.installed("shapes_html")
    assert before[0] == str(package / "__init__.py")
    (package / "__init__.py").write_text('__version__ = "1.1"\n', encoding="utf-8")
    assert memo.installed("shapes_html") != before
    assert "shapes_html" not in sys.modules
    assert memo.installed("no_such_package_here") == ""
    probe = "from adr_tool.site import build, memo; memo.engine_stamp(); import sys; "
    probe += "print(sorted({'importlib.metadata', 'markdown_it'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "[]\n", done.stderr
