"""Digests of small inputs without importing :mod:`hashlib`.

``import hashlib`` loads OpenSSL: 11.6 M instructions, more than a hook run's own work on
a 100-record folder. CPython builds blake2 and SHA-1 in as modules of their own
(``_blake2``, ``_sha1``) that import in 0.5 M and give the same digests; they are private
names, so each falls back to hashlib. For SHA-256 OpenSSL is eight times faster than
CPython's own (``_sha2``; ``_sha256`` before 3.12) where the processor has SHA
instructions: :func:`sha256_hex` takes CPython's for inputs too small to pay for loading
OpenSSL, and hashlib's for larger ones.
"""

from __future__ import annotations

# typing's own constant, without importing typing: 41 M instructions, more than the whole
# of `adr --help` answered from its memo (type checkers treat the name the same way)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from hashlib import blake2b, sha1
else:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without its own blake2
        from hashlib import blake2b
    try:
        from _sha1 import sha1
    except ImportError:  # pragma: no cover
        from hashlib import sha1

__all__ = ["blake2b", "sha1", "sha256_hex"]

# below this, hashing with CPython's SHA-256 (7.7 µs a KiB here) costs less than loading
# OpenSSL (≈ 4 ms) and hashing with it (0.9 µs a KiB)
OWN_SHA256_MAX = 512 * 1024


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    if len(data) <= OWN_SHA256_MAX:
        for name in ("_sha2", "_sha256"):
            try:
                own = __import__(name)
            except ImportError:  # pragma: no cover - the other name, or neither
                continue
            digest: str = own.sha256(data).hexdigest()
            return digest
    import hashlib

    return hashlib.sha256(data).hexdigest()
