"""The code stamp: one hash of every module of the installed package.

The one freshness mechanism for what the code derives and keeps between runs: the
parse cache is thrown away, and the index fingerprint no longer matches, whenever any
module changes (an upgrade, an edit in a checkout). Content, not file times, so the
fingerprint written into a committed index means the same on every machine.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def code_stamp() -> str:
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]
