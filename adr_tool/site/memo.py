"""The on-disk memo of ``adr site``: what the last build rendered and wrote, so the next
build renders and writes only what changed (decision 50).

Two files in the parse cache's folder (``<git dir>/adr-cache/``; never inside the site or
the decisions folder, so a pull request cannot supply them):

* ``site-bodies-<folder>.bin``: each record body rendered to HTML and search text, by a
  digest of its Markdown, with the record pages its links resolved to;
* ``site-files-<output>.bin``: one key over every input of the last build, and per file
  of the output folder the key of its inputs, the digest of its content and its size,
  mtime_ns and inode as written.

Data only: zlib-compressed ``marshal`` of strings, numbers and tuples behind a magic word,
a CRC32 and a stamp of the code, Python and the Markdown and template engines; never
pickle, so a hostile file can hold wrong data but cannot run code. Bounded in size and
checked entry by entry: anything unexpected makes the memo empty, and an empty memo means
a full render. Entries are only trusted as far as the git folder they live in.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any

from adr_tool import hashes
from adr_tool.confine import read_regular
from adr_tool.publish.render import Renderer, shipped_templates
from adr_tool.publish.tree import FileStat
from adr_tool.site import marshalled
from adr_tool.stamp import code_stamp

FORMAT = 1
MAGIC = b"ADRSITE\x01"  # then a CRC32 of the rest: zlib of marshalled blocks
MAX_FILE_BYTES = 128 * 1024 * 1024  # compressed, on disk
MAX_DATA_BYTES = 512 * 1024 * 1024  # once inflated; ~150,000 bodies
MAX_TEMPLATE_FILES = 500
MAX_TEMPLATE_BYTES = 8 * 1024 * 1024
# What a decision page is built from; a repository that overrides one of these may show
# anything of the whole site on it, so its decision pages are rendered on every build.
DECISION_TEMPLATES = ("decision.html", "base.html", "chrome.html", "tradeoffs_table.html")
_SAFE_PATH = re.compile(r"[^/\\\x00]+(?:/[^/\\\x00]+)?")

# html, search text, and (link target file, the page it resolved to or None) per link
Body = tuple[str, str, tuple[tuple[str, str | None], ...]]
# page key, content digest, then the FileStat it was written with
FileEntry = tuple[str, str, int, int, int]


def digest(data: bytes | str) -> str:
    """A short content digest (not a security boundary: the memo is as trusted as .git)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashes.blake2b(raw, digest_size=16).hexdigest()


ENGINES = ("markdown_it", "jinja2", "markupsafe")  # the libraries that shape the HTML


@cache
def engine_stamp() -> tuple[Any, ...]:
    """Changes whenever our code, Python or a library that shapes the HTML changes."""
    return (FORMAT, sys.version_info[:2], code_stamp(), tuple(map(installed, ENGINES)))


def installed(package: str) -> tuple[str, int, int, int] | str:
    """Where ``package`` is installed, and the size, mtime_ns and inode of its
    ``__init__`` (an upgrade or a reinstall writes it anew), found without importing it.
    Not its version: ``importlib.metadata`` alone costs 20 to 45 ms, a tenth of an
    ``adr site`` that finds its folder current."""
    from importlib.util import find_spec

    spec = find_spec(package)
    origin = (spec.origin or "") if spec is not None else ""
    try:
        info = os.stat(origin)
    except OSError:  # pragma: no cover - not a file (a zip import, a broken install)
        return origin
    return (origin, info.st_size, info.st_mtime_ns, info.st_ino)


def templates_key(renderer: Renderer) -> tuple[str, bool]:
    """A digest of every template a site page may load (shipped and the repository's),
    and whether decision pages may be reused by their own key (see DECISION_TEMPLATES).
    A repository folder too big to read, or holding a symlink, gives a key of its own
    every time: every page is rendered."""
    hasher = hashes.blake2b(digest_size=16)
    folders = [("shipped", shipped_templates() / "site")]
    if renderer.override_dir is not None and renderer.override_dir.is_dir():
        folders.append(("repository", renderer.override_dir))
    count = size = 0
    for label, folder in folders:
        for here, dirs, files in os.walk(folder, followlinks=False):
            dirs.sort()
            for name in sorted(files) + [d for d in dirs if os.path.islink(Path(here, d))]:
                path = Path(here, name)
                data = read_regular(path, MAX_TEMPLATE_BYTES)
                count, size = count + 1, size + len(data or b"")
                if data is None or count > MAX_TEMPLATE_FILES or size > MAX_TEMPLATE_BYTES:
                    return os.urandom(16).hex(), False
                rel = path.relative_to(folder).as_posix()
                hasher.update(f"{label}\0{rel}\0{len(data)}\0".encode("utf-8", "surrogatepass"))
                hasher.update(data)
    override = renderer.override_dir
    reusable = override is None or not any(
        (override / "site" / name).exists() for name in DECISION_TEMPLATES
    )
    return hasher.hexdigest(), reusable


@dataclass
class SiteMemo:
    """What the last build of one output folder left behind (empty: render everything)."""

    key: str = ""
    files: dict[str, FileEntry] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)


def memo_paths(cache_folder: Path, directory: Path, output: Path) -> tuple[Path, Path]:
    """(bodies file, files file) for a decisions folder and an output folder."""
    folder = digest(str(directory.resolve()))
    out = digest(str(output.resolve()))
    return cache_folder / f"site-bodies-{folder}.bin", cache_folder / f"site-files-{out}.bin"


def _unpack(path: Path, scope: str, valid: Callable[[str, Any], bool]) -> Any:
    """(head, entries) from a memo file, or None if anything about it is unexpected."""
    raw = read_regular(path, MAX_FILE_BYTES)
    if raw is None or len(raw) < 12 or raw[:8] != MAGIC:
        return None
    packed = memoryview(raw)[12:]
    if int.from_bytes(raw[8:12], "big") != zlib.crc32(packed):
        return None
    inflater = marshalled.Inflater(packed, MAX_DATA_BYTES)
    entries: dict[str, Any] = {}
    try:
        values = marshalled.unblock(inflater.read)
        first = next(values, None)
        if not (
            isinstance(first, tuple) and len(first) == 3 and first[:2] == (engine_stamp(), scope)
        ):
            return None
        for entry in values:
            if not (isinstance(entry, tuple) and len(entry) == 2 and valid(*entry)):
                return None
            entries[entry[0]] = entry[1]
    except ValueError:
        return None
    return (first[2], entries) if inflater.finished() else None


def _pack(path: Path, scope: str, head: Any, entries: Iterable[tuple[str, Any]]) -> None:
    """Write atomically, block by block; a memo that cannot be written is simply not
    there next time."""
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".adr-site-memo-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + bytes(4))
                squeeze, crc = zlib.compressobj(1), 0
                for block in marshalled.blocks(chain([(engine_stamp(), scope, head)], entries)):
                    packed = squeeze.compress(block)
                    crc = zlib.crc32(packed, crc)
                    handle.write(packed)
                packed = squeeze.flush()
                handle.write(packed)
                handle.seek(8)
                handle.write(zlib.crc32(packed, crc).to_bytes(4, "big"))
            os.replace(temp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _is_body(name: str, value: Any) -> bool:
    if not isinstance(name, str) or not (isinstance(value, tuple) and len(value) == 3):
        return False
    html, text, links = value
    return (
        isinstance(html, str)
        and isinstance(text, str)
        and isinstance(links, tuple)
        and all(
            isinstance(link, tuple)
            and len(link) == 2
            and isinstance(link[0], str)
            and (link[1] is None or isinstance(link[1], str))
            for link in links
        )
    )


def _is_file(name: Any, value: Any) -> bool:
    return (
        isinstance(name, str)
        and _SAFE_PATH.fullmatch(name) is not None
        and not any(part in (".", "..") for part in name.split("/"))
        and isinstance(value, tuple)
        and len(value) == 5
        and all(isinstance(v, str) for v in value[:2])
        and all(type(v) is int for v in value[2:])
    )


def load_memo(bodies_file: Path | None, files_file: Path | None, output: Path) -> SiteMemo:
    """The memo of ``output``; any part that is missing, foreign or malformed is empty."""
    memo = SiteMemo()
    found = _unpack(files_file, str(output.resolve()), _is_file) if files_file else None
    if found is not None and isinstance(found[0], str):
        memo.key, memo.files = found
    found = _unpack(bodies_file, "bodies", _is_body) if bodies_file else None
    if found is not None:
        memo.bodies = found[1]
    return memo


def save_memo(
    bodies_file: Path, files_file: Path, output: Path, memo: SiteMemo, *, bodies: bool
) -> None:
    """Write the files part, and the bodies part when it changed."""
    _pack(files_file, str(output.resolve()), memo.key, memo.files.items())
    if bodies:
        _pack(bodies_file, "bodies", "", memo.bodies.items())


def file_entry(key: str, content: str, written: FileStat) -> FileEntry:
    return (key, content, *written)
