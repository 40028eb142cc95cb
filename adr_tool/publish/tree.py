"""A generated folder (a site) replaced whole: written into a temporary sibling, then
swapped in, so readers never see half of it. No fsync per page: a site is made again,
not recovered."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_tree(output: Path, files: Mapping[str, str], *, prefix: str = ".adr-site-") -> None:
    """Write ``files`` (relative path → text) as the whole content of ``output``."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=prefix, dir=output.parent))
    try:
        os.chmod(temp, 0o755)
        for relative in sorted(files):
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[relative], encoding="utf-8", newline="\n")
        if output.exists():
            old = temp.with_name(temp.name + "-old")
            os.rename(output, old)
            os.rename(temp, output)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(temp, output)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
