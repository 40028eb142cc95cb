"""``adr site --serve``: the site from memory on loopback, rebuilt and reloaded on save.

The pages are rendered in memory (nothing is written); a standard-library HTTP server in
a thread serves exactly those files, so no request can reach the disk. A watcher
(``watchfiles`` when installed, the only module importing it, otherwise a stat poll)
sees a record or template change, the site is rendered again, and the pages whose bytes
changed get a new token. Every served HTML page carries a small script that asks for its
page's token a few times a second and reloads when it changes.
"""

from __future__ import annotations

import hashlib
import html
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from adr_tool.config import Settings
from adr_tool.errors import AdrError, EnvironmentProblem
from adr_tool.model import Decision
from adr_tool.publish.render import Renderer

LIVE = "__adr/live.js"
POLL = "__adr/poll"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
WATCH_STEP = 0.1  # seconds between looks at the folder


@dataclass(frozen=True)
class Rebuilt:
    """What one rebuild changed (relative paths), and how long it took."""

    changed: tuple[str, ...]
    seconds: float


class Preview:
    """The current site in memory: files by relative path, and a token per page."""

    def __init__(self, build: Callable[[], Mapping[str, str]], live_script: str) -> None:
        self._build = build
        self._live = live_script
        self._lock = threading.Lock()
        self._files: dict[str, str] = {}
        self._tokens: dict[str, str] = {}

    def rebuild(self) -> Rebuilt:
        import time

        started = time.perf_counter()
        files = dict(self._build())
        shared = "".join(files.get(f"assets/{name}", "") for name in ("site.css", "site.js"))
        tokens = {
            path: hashlib.sha256((text + shared).encode("utf-8")).hexdigest()[:16]
            for path, text in files.items()
            if path.endswith(".html")
        }
        with self._lock:
            old = self._files
            changed = sorted(
                path for path in files.keys() | old.keys() if files.get(path) != old.get(path)
            )
            self._files, self._tokens = files, tokens
        return Rebuilt(tuple(changed), time.perf_counter() - started)

    def token(self, page: str) -> str:
        with self._lock:
            return self._tokens.get(page, "gone")

    def response(self, target: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request target like ``/decisions/x.html``."""
        parts = urlsplit(target)
        path = unquote(parts.path).lstrip("/")
        if path == POLL:
            page = parse_qs(parts.query).get("page", [""])[0]
            return 200, "text/plain; charset=utf-8", self.token(page).encode("ascii")
        if path == LIVE:
            return 200, TYPES[".js"], self._live.encode("utf-8")
        if path == "" or path.endswith("/"):
            path += "index.html"
        with self._lock:
            text = self._files.get(path)
            token = self._tokens.get(path, "")
        if text is None or path.startswith(".") or "/." in path:
            return 404, TYPES[".html"], b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
        suffix = Path(path).suffix
        if suffix == ".html":
            page, mark = html.escape(path, quote=True), html.escape(token, quote=True)
            tag = f'<script src="/{LIVE}" data-page="{page}" data-token="{mark}" defer></script>'
            text = text.replace("</body>", tag + "\n</body>", 1)
        return 200, TYPES.get(suffix, "text/plain; charset=utf-8"), text.encode("utf-8")


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
IDLE_SECONDS = 30


def _local_host(header: str) -> bool:
    """Whether a request's Host header names this machine's loopback (with any port)."""
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else name
    else:
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
    return name in LOOPBACK_HOSTS


def start_server(preview: Preview, host: str, port: int) -> tuple[ThreadingHTTPServer, str]:
    """Listen on ``host:port`` (0 picks a free port) in a daemon thread; return the URL."""

    loopback = host in LOOPBACK_HOSTS

    class Handler(BaseHTTPRequestHandler):
        timeout = IDLE_SECONDS  # a connection that sends nothing is closed, not kept

        def do_GET(self) -> None:
            if loopback and not _local_host(self.headers.get("Host", "")):
                # a page elsewhere whose name now points here (DNS rebinding) reads nothing
                self.send_error(421, "Misdirected Request")
                return
            status, kind, body = preview.response(self.path)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the terminal shows rebuilds, not every poll."""

    try:
        server = ThreadingHTTPServer((host, port), Handler)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
            "choose another --port, or --port 0 for any free one"
        ) from exc
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="adr-serve", daemon=True).start()
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host!s}]" if ":" in str(bound_host) else str(bound_host)
    return server, f"http://{shown}:{bound_port}/"


def changes(
    folders: list[Path], stop: threading.Event, *, poll: bool = False
) -> Iterator[set[Path]]:
    """Yield the changed paths each time something under ``folders`` changes, until
    ``stop`` is set."""
    existing = [str(f) for f in folders if f.is_dir()]
    if not poll and existing:
        try:
            import watchfiles
        except ImportError:
            poll = True
    if not poll and existing:
        for found in watchfiles.watch(
            *existing,
            stop_event=stop,
            debounce=60,
            step=int(WATCH_STEP * 1000),
            rust_timeout=500,
            yield_on_timeout=False,
        ):
            yield {Path(path) for _, path in found}
        return
    before = _snapshot(folders)
    while not stop.wait(WATCH_STEP * 2.5):
        now = _snapshot(folders)
        if now != before:
            yield {Path(path) for path, _ in set(now.items()) ^ set(before.items())}
            before = now


def _snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    seen: dict[str, tuple[int, int]] = {}
    for folder in folders:
        try:
            entries = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
        except OSError:
            continue
        for path in entries:
            try:
                info = path.stat()
            except OSError:
                continue
            seen[str(path)] = (info.st_mtime_ns, info.st_size)
    return seen


def serve_site(
    settings: Settings,
    load: Callable[[], Sequence[Decision]],
    renderer: Renderer,
    *,
    host: str,
    port: int,
    stop: threading.Event,
    ready: Callable[[str], None],
    rebuilt: Callable[[Rebuilt], None],
    failed: Callable[[str], None],
    poll: bool = False,
) -> None:
    """``adr site --serve``: serve until ``stop`` is set (or Ctrl-C), rebuilding on change.
    Git history is read once, at the start."""
    from adr_tool.site.build import Memo, git_history, render_files
    from adr_tool.site.pages import asset

    history, _ = git_history(settings, load())
    memo = Memo()

    def build() -> Mapping[str, str]:
        return render_files(settings, load(), renderer, history=history, memo=memo)

    preview = Preview(build, asset(renderer, "live.js"))
    preview.rebuild()
    server, url = start_server(preview, host, port)
    templates = settings.directory / "templates"
    try:
        ready(url)
        for changed in changes([settings.directory], stop, poll=poll):
            if any(p.suffix != ".md" or templates in p.parents for p in changed):
                memo.bodies.clear()  # a template or setting: render every page again
                memo.pages.clear()
            try:
                result = preview.rebuild()
            except AdrError as exc:
                failed(str(exc))
                continue
            if result.changed:
                rebuilt(result)
    finally:
        server.shutdown()
        server.server_close()
