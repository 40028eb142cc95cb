"""A generated folder (a site): written whole into a temporary sibling and swapped in, so
readers never see half of it; or, when only some of its files changed, those files each
replaced atomically in place. No fsync per page: a site is made again, not recovered."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from itertools import islice
from pathlib import Path
from typing import TypeVar

from adr_tool.records.store import new_file_mode

P = TypeVar("P", bound=Sized)


def write_tree(output: Path, files: Mapping[str, str], *, prefix: str = ".adr-site-") -> None:
    """Write ``files`` (relative path → text) as the whole content of ``output``."""
    output = output.resolve()
    temp = fresh_folder(output, prefix=prefix)
    try:
        for relative in sorted(files):
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[relative], encoding="utf-8", newline="\n")
        swap_in(temp, output)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


# A file as it was written: size, mtime_ns and inode. A later build trusts a file whose
# lstat still shows all three, as git trusts its index.
FileStat = tuple[int, int, int]


def fresh_folder(output: Path, *, prefix: str = ".adr-site-") -> Path:
    """An empty temporary sibling of ``output`` to write a whole new tree into."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=prefix, dir=output.parent))
    os.chmod(temp, 0o755)
    return temp


def swap_in(temp: Path, output: Path) -> None:
    """Make the finished ``temp`` the new ``output`` (the old one is deleted)."""
    if output.exists():
        old = temp.with_name(temp.name + "-old")
        os.rename(output, old)
        os.rename(temp, output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(temp, output)


def put_file(folder: Path, relative: str, data: bytes, *, fresh: bool) -> FileStat:
    """Write ``folder/relative``: created exclusively in a ``fresh`` folder, else written to
    a temporary file beside it and renamed over it (readers see the old or the new page,
    and a symlink in its place is replaced, never followed). Returns what it wrote."""
    written = put_stream(folder, relative, (data,), fresh=fresh)
    assert written is not None  # without ``keep`` the file is always written
    return written


def put_stream(
    folder: Path,
    relative: str,
    chunks: Iterable[bytes],
    *,
    fresh: bool,
    keep: Callable[[], bool] = lambda: False,
) -> FileStat | None:
    """:func:`put_file` for a file written piece by piece. Unless ``fresh``, the pieces go
    to a temporary file that replaces the target only if ``keep()``, asked once all are
    written, says the target does not already hold them (then None: nothing changed)."""
    target = folder / relative  # its folder exists (the caller made it once)
    mode = new_file_mode()
    if fresh:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd, temp = os.open(target, flags, mode), None
    else:
        fd, name = tempfile.mkstemp(prefix=".adr-", dir=target.parent)
        temp = Path(name)
    try:
        try:  # the descriptor itself: no isatty or seek of a file object
            _write_all(fd, chunks)
            if temp is not None:
                os.fchmod(fd, mode)
            info = os.fstat(fd)
        finally:
            os.close(fd)
        if temp is not None:
            if keep():
                temp.unlink()
                return None
            os.replace(temp, target)
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def blocks(pieces: Iterable[P], size: int = 1 << 16, batch: int = 64) -> Iterator[list[P]]:
    """Pieces (bytes or text) gathered into lists of about ``size`` in all: one write or
    one encode per block instead of one per piece of a streamed page. Pieces are taken
    ``batch`` at a time (a page of 10,000 records is about a million pieces)."""
    found = iter(pieces)
    held: list[P] = []
    count = 0
    while taken := list(islice(found, batch)):
        held += taken
        count += sum(map(len, taken))
        if count >= size:
            yield held
            held, count = [], 0
    if held:
        yield held


def _write_all(fd: int, chunks: Iterable[bytes]) -> None:
    for block in blocks(chunks):
        _write(fd, b"".join(block))


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def file_stat(path: Path) -> FileStat | None:
    """What :func:`put_file` returned for ``path``, if it is still a regular file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def listing(folder: Path) -> tuple[set[str], set[str]] | None:
    """Files and folders under ``folder`` by relative path (symlinks are not followed);
    None if it holds anything but regular files and folders, or cannot be read."""
    files: set[str] = set()
    folders: set[str] = set()
    pending = [("", folder)]
    try:
        while pending:
            prefix, here = pending.pop()
            with os.scandir(here) as entries:
                for entry in entries:
                    name = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        folders.add(name)
                        pending.append((name + "/", Path(entry.path)))
                    elif entry.is_file(follow_symlinks=False):
                        files.add(name)
                    else:
                        return None
    except OSError:
        return None
    return files, folders
