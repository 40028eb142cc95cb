"""The code stamp: one hash of every module of the installed package.

The one freshness mechanism for what the code derives and keeps between runs: the
parse cache is thrown away, and the index fingerprint no longer matches, whenever any
module changes (an upgrade, an edit in a checkout). Content, not file times, so the
fingerprint written into a committed index means the same on every machine.

Reading the hundred modules costs more than most of a warm command (10–25 ms), so the
stamp is remembered in the user cache folder under a digest of the modules' stat keys
(name, size, ``mtime_ns``, inode), as the parse cache trusts a record: a module that
changes gets a new stat key and the content is hashed again. A module changed in the
last two seconds is never trusted by its stat (an edit can hide inside one clock tick).
"""

from __future__ import annotations

import os
import time

from adr_tool import hashes

TYPE_CHECKING = False  # typing's constant without importing typing (see hashes)
if TYPE_CHECKING:
    from collections.abc import Mapping

RACY_NS = 2_000_000_000  # as the parse cache: younger files are read, never remembered
_MEMO_BYTES = 256  # "<stat digest> <stamp>\n" is 66 bytes; anything longer is not ours
_HEX = frozenset("0123456789abcdef")


def user_cache_folder(environ: Mapping[str, str]) -> str | None:
    """``$XDG_CACHE_HOME/adr`` (when absolute), else ``~/.cache/adr``; None without a home."""
    base = environ.get("XDG_CACHE_HOME") or ""
    if not base or not os.path.isabs(base):
        home = environ.get("HOME") or ""
        if not home:
            try:
                home = os.path.expanduser("~")
            except (RuntimeError, KeyError):  # pragma: no cover - no passwd entry
                return None
            if home == "~":
                return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "adr")


_STAMP: list[str] = []  # the process's stamp, once computed


def code_stamp() -> str:
    if not _STAMP:
        _STAMP.append(stamp_of(package_folder(), user_cache_folder(os.environ)))
    return _STAMP[0]


def package_folder() -> str:
    """The folder of the installed ``adr_tool`` package, symlinks resolved."""
    return os.path.dirname(os.path.realpath(__file__))


def stamp_of(package: str, memo_folder: str | None) -> str:
    """The stamp of the modules under ``package``, remembered in ``memo_folder``."""
    modules = module_stats(package)
    key = stat_digest(package, modules)
    memo = None
    if memo_folder is not None:
        name = hashes.blake2b(package.encode("utf-8", "surrogateescape"), digest_size=8)
        memo = os.path.join(memo_folder, f"code-stamp-{name.hexdigest()}")
        remembered = _recall(memo, key)
        if remembered is not None:
            return remembered
    import hashlib  # OpenSSL's SHA-256: only when the modules are read

    digest = hashlib.sha256()
    for relative, _ in modules:
        digest.update(relative.encode("utf-8") + b"\0")
        with open(os.path.join(package, relative), "rb") as handle:
            digest.update(handle.read() + b"\0")
    stamp = digest.hexdigest()[:32]
    if memo is not None and settled(modules):
        write_memo(memo, f"{key} {stamp}\n".encode("ascii"))
    return stamp


def module_stats(package: str) -> list[tuple[str, os.stat_result]]:
    """Every ``*.py`` under ``package`` (relative, ``/``-separated, sorted) and its stat."""
    found: list[tuple[str, os.stat_result]] = []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(package, relative)) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        pending.append(name)
                elif entry.name.endswith(".py") and entry.is_file():
                    found.append((name, entry.stat()))
    found.sort()
    return found


def settled(modules: list[tuple[str, os.stat_result]]) -> bool:
    """Whether every module is older than the racy window (its stat can be trusted)."""
    limit = time.time_ns() - RACY_NS
    return all(info.st_mtime_ns < limit for _, info in modules)


def stat_digest(package: str, modules: list[tuple[str, os.stat_result]]) -> str:
    digest = hashes.blake2b(package.encode("utf-8", "surrogateescape"), digest_size=16)
    for relative, info in modules:
        digest.update(f"\0{relative}\0{info.st_size}:{info.st_mtime_ns}:{info.st_ino}".encode())
    return digest.hexdigest()


def _recall(memo: str, key: str) -> str | None:
    raw = read_memo(memo, _MEMO_BYTES)
    if raw is None:
        return None
    remembered_key, _, stamp = raw.decode("ascii", "replace").rstrip("\n").partition(" ")
    if remembered_key != key or len(stamp) != 32 or not _HEX.issuperset(stamp):
        return None
    return stamp


def read_memo(path: str, limit: int) -> bytes | None:
    """Up to ``limit`` bytes of a memo file in the user cache folder (never through a
    symlink); None when it cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        return os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def write_memo(path: str, data: bytes) -> None:
    """Replace a memo file whole (a private temporary file, then a rename). Best effort: a
    read-only or missing home only means working it out again next time."""
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        try:  # noqa: SIM105 - contextlib is 6 M instructions `adr --help` would load for this
            os.unlink(temp)
        except OSError:
            pass
