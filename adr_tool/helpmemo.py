"""``adr --help``, remembered: the one answer whose run is mostly importing click.

Importing click costs two thirds of ``adr --help`` (130 M instructions: ``inspect``,
``typing``, ``uuid``, ``datetime`` behind it), yet the text changes only when adr or click
changes, or with the terminal's width. So the entry point keeps the text in the user cache
folder (beside the code stamp, decision 59) under a key of everything it depends on, and
answers a bare ``adr --help`` or ``adr -h`` from it without importing click (decision 61).

The key is exact, not a hash: the stat key (name, size, ``mtime_ns``, inode) of every
module of adr and of click, Python's version, the terminal's width as click reads it, and
the locale variables gettext reads. An upgrade or an edit changes a stat key; a module
changed in the last two seconds is never remembered (an edit can hide inside one clock
tick), as the code stamp does. This module imports nothing beyond ``os`` and ``sys``
(``typing`` alone is 41 M instructions): it runs before anything else.
"""

from __future__ import annotations

import os
import sys

from adr_tool import hashes, stamp

TYPE_CHECKING = False  # typing's constant without importing typing (see hashes)
if TYPE_CHECKING:
    from collections.abc import Mapping

HELP_REQUESTS = (["--help"], ["-h"])
_MAGIC = b"adr-help-1\n"
_LIMIT = 1 << 20  # the key is ≈ 10 KB, the text ≈ 4 KB; a larger file is not ours
_LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def help_key(
    argv: list[str], environ: Mapping[str, str], package: str | None = None
) -> tuple[str, str] | None:
    """(memo file, exact key) for a bare help request; None for any other command line,
    without a user cache folder, or while a module of adr or click is younger than 2 s.
    ``package``: adr's folder (tests give a copy)."""
    if argv not in HELP_REQUESTS:
        return None
    folder = stamp.user_cache_folder(environ)
    library = _click_folder()
    if folder is None or library is None:
        return None
    package = package or stamp.package_folder()
    try:
        own, theirs = stamp.module_stats(package), stamp.module_stats(library)
    except OSError:  # not a folder (click installed zipped): no memo, click answers
        return None
    if not (stamp.settled(own) and stamp.settled(theirs)):
        return None
    lines = [sys.version, f"columns={terminal_columns(environ)}"]
    lines += [f"{name}={environ.get(name, '')}" for name in _LOCALE]
    for root, modules in ((package, own), (library, theirs)):
        lines.append(root)
        lines += [f"{n}:{i.st_size}:{i.st_mtime_ns}:{i.st_ino}" for n, i in modules]
    name = hashes.blake2b(package.encode("utf-8", "surrogateescape"), digest_size=8)
    return os.path.join(folder, f"help-{name.hexdigest()}"), "\0".join(lines)


def recall(memo: str, key: str) -> str | None:
    """The remembered text for ``key``; None when there is none, or another key's."""
    raw = stamp.read_memo(memo, _LIMIT + 1)
    if raw is None or len(raw) > _LIMIT or not raw.startswith(_MAGIC):
        return None
    remembered, separator, text = raw[len(_MAGIC) :].partition(b"\0\0")
    if not separator or remembered != key.encode("utf-8", "surrogateescape"):
        return None
    try:
        return text.decode("ascii")
    except UnicodeDecodeError:
        return None


def remember(memo: str, key: str, text: str) -> None:
    """Keep ``text`` (ASCII only: what a terminal of any encoding prints alike)."""
    if text.isascii():
        data = key.encode("utf-8", "surrogateescape") + b"\0\0" + text.encode("ascii")
        stamp.write_memo(memo, _MAGIC + data)


def terminal_columns(environ: Mapping[str, str]) -> int:
    """The width ``shutil.get_terminal_size`` reports (and click formats help to), without
    importing shutil (33 M instructions: it loads the compression modules)."""
    try:
        columns = int(environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns or 80


def _click_folder() -> str | None:
    """Where ``import click`` would load click from, without importing it."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("click")
    locations = spec.submodule_search_locations if spec is not None else None
    return os.path.realpath(locations[0]) if locations else None
