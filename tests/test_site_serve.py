"""``adr site --serve`` without a browser: the in-memory site, its server and the watcher."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from adr_tool.site.serve import Preview, changes, start_server
from support import Cli
from test_site import corpus  # noqa: F401  (the corpus fixture is shared)

PAGE = "<!DOCTYPE html><html><body><h1>{}</h1></body></html>"


def preview(files: dict[str, str]) -> Preview:
    made = Preview(lambda: files, "/* live */")
    made.rebuild()
    return made


def test_preview_serves_only_its_own_files_and_tokens_follow_content() -> None:
    files = {"index.html": PAGE.format("Home"), "decisions/0001-x.html": PAGE.format("One")}
    files["assets/site.css"] = "body {}"
    files[".adr-site"] = "marker"
    site = preview(files)
    status, kind, body = site.response("/decisions/0001-x.html")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    token = site.token("decisions/0001-x.html")
    assert len(token) == 16 and token != site.token("index.html")
    assert (
        f'<script src="/__adr/live.js" data-page="decisions/0001-x.html" data-token="{token}" '
        "defer></script>\n</body>"
    ) in body.decode()
    assert site.response("/")[2].decode().count("<h1>Home</h1>") == 1
    assert site.response("/assets/site.css")[:2] == (200, "text/css; charset=utf-8")
    for bad in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/.adr-site", "/nope.html"):
        assert site.response(bad)[0] == 404, bad
    assert site.response("/__adr/poll?page=decisions/0001-x.html")[2].decode() == token
    assert site.response("/__adr/poll?page=gone.html")[2] == b"gone"

    files["decisions/0001-x.html"] = PAGE.format("One, edited")
    result = site.rebuild()
    assert result.changed == ("decisions/0001-x.html",)
    assert site.token("decisions/0001-x.html") != token
    assert site.token("index.html") == preview({**files}).token("index.html")
    files["assets/site.css"] = "body { color: red }"  # a style change reloads every page
    before = site.token("index.html")
    site.rebuild()
    assert site.token("index.html") != before


def test_a_page_name_is_escaped_in_the_live_reload_tag() -> None:
    """A record's file name becomes a page name, and '"' is legal in it: the preview's
    script tag must not take attributes from it (an onload ran in the browser)."""
    name = 'decisions/0003-x" onload="document.title=1" x=".html'
    site = preview({name: PAGE.format("Three")})
    status, _, body = site.response("/" + name.replace('"', "%22").replace(" ", "%20"))
    assert status == 200
    tag = next(line for line in body.decode().splitlines() if "__adr/live.js" in line)
    assert 'onload="' not in tag
    assert 'data-page="decisions/0003-x&quot; onload=&quot;document.title=1&quot;' in tag


def test_a_loopback_preview_answers_only_requests_for_a_loopback_host() -> None:
    """DNS rebinding: a page elsewhere whose name now points at 127.0.0.1 sends its own
    Host; the preview of private records answers it 421 and nothing else."""
    import http.client

    server, _ = start_server(preview({"index.html": PAGE.format("Home")}), "127.0.0.1", 0)
    try:
        port = server.server_address[1]
        answers = {}
        for host in ("attacker.example", f"attacker.example:{port}", f"127.0.0.1:{port}",
                     f"localhost:{port}", "[::1]"):  # fmt: skip
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/", headers={"Host": host})
            reply = connection.getresponse()
            answers[host] = (reply.status, b"Home" in reply.read())
            connection.close()
        assert answers == {
            "attacker.example": (421, False),
            f"attacker.example:{port}": (421, False),
            f"127.0.0.1:{port}": (200, True),
            f"localhost:{port}": (200, True),
            "[::1]": (200, True),
        }
    finally:
        server.shutdown()
        server.server_close()


def test_server_listens_on_loopback_and_a_busy_port_is_a_clear_error() -> None:
    site = preview({"index.html": PAGE.format("Home")})
    server, url = start_server(site, "127.0.0.1", 0)
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url, timeout=5) as response:
            assert b"<h1>Home</h1>" in response.read()
            assert response.headers["Cache-Control"] == "no-store"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "x.html", timeout=5)
        assert missing.value.code == 404
        port = server.server_address[1]
        from adr_tool.errors import EnvironmentProblem

        with pytest.raises(EnvironmentProblem, match=f"cannot listen on 127.0.0.1:{port}"):
            start_server(site, "127.0.0.1", port)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("poll", [False, True])
def test_changes_sees_a_saved_file_quickly_and_stops(tmp_path: Path, poll: bool) -> None:
    folder = tmp_path / "decisions"
    folder.mkdir()
    (folder / "0001-a.md").write_text("one\n", encoding="utf-8")
    stop = threading.Event()
    seen: list[float] = []

    def watch() -> None:
        for _ in changes([folder], stop, poll=poll):
            seen.append(time.monotonic())

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    time.sleep(0.6)  # let the watcher take its first look
    saved = time.monotonic()
    (folder / "0001-a.md").write_text("one, edited\n", encoding="utf-8")
    deadline = saved + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert seen, "no change seen"
    assert seen[0] - saved < 1.0, f"seen after {seen[0] - saved:.2f}s"


def test_cli_serve_refuses_output_and_reports_a_busy_port(corpus: Path, run: Cli) -> None:  # noqa: F811
    mixed = run("site", "--serve", "--output", "public")
    assert mixed.exit_code == 2
    assert mixed.stderr == "adr: error: --serve writes nothing: leave out --output and --base-url\n"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = run("site", "--serve", "--port", str(port))
    assert taken.exit_code == 3
    assert taken.stderr.startswith(f"adr: error: cannot listen on 127.0.0.1:{port} (")
    assert "--port 0" in taken.stderr
    assert "site --serve" in run("site", "--help").output


def test_a_rebuild_with_the_memo_equals_a_fresh_build(corpus: Path) -> None:  # noqa: F811
    from adr_tool.config import discover
    from adr_tool.publish.render import Renderer
    from adr_tool.records.store import Store
    from adr_tool.site.build import Memo, render_files

    settings = discover(corpus)
    renderer = Renderer(settings.directory / "templates", settings.lang)
    memo = Memo()

    def files(with_memo: bool) -> dict[str, str]:
        decisions = Store(settings).load_all()
        return render_files(settings, decisions, renderer, memo=memo if with_memo else None)

    first = files(True)
    assert len(memo.pages) == 6 and len(memo.bodies) == 6
    record = corpus / "docs/decisions/0003-cache-product-pages-in-redis.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("in Redis\n", "in Valkey\n"), encoding="utf-8"
    )
    again, fresh = files(True), files(False)
    assert again == fresh
    changed = sorted(path for path in fresh if fresh[path] != first[path])
    # the page itself, its neighbours' pager links, the page that links to it, and the
    # overview, list, graph and search index that show its title
    assert changed == [
        "assets/search-index.js",
        "decisions.html",
        "decisions/0002-store-orders-in-mysql.html",
        "decisions/0003-cache-product-pages-in-redis.html",
        "decisions/0004-store-orders-in-postgresql.html",
        "graph.html",
        "index.html",
    ]


def test_a_folder_made_after_the_start_is_seen_by_polling(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "decisions"  # not there yet: watchfiles cannot watch it
    stop = threading.Event()
    seen: list[set[Path]] = []

    def watch() -> None:
        for found in changes([folder], stop):
            seen.append(found)
            stop.set()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    time.sleep(0.6)  # let the watcher take its first look
    folder.mkdir(parents=True)
    (folder / "0001-a.md").write_text("one\n", encoding="utf-8")
    thread.join(timeout=5)
    stop.set()
    thread.join(timeout=2)
    assert not thread.is_alive()
    assert seen == [{folder / "0001-a.md"}]
