"""adr_tool.hashes gives hashlib's digests without loading OpenSSL for small inputs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from adr_tool import hashes


@pytest.mark.parametrize(
    "size",
    [0, 1, 63, 64, 65, 4096, hashes.OWN_SHA256_MAX, hashes.OWN_SHA256_MAX + 1, 3 << 20],
)
def test_sha256_hex_is_sha256_on_both_sides_of_the_threshold(size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"\xff" * (size % 256)
    assert len(data) == size
    assert hashes.sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_blake2b_and_sha1_are_hashlibs() -> None:
    data = "결정 0007 — a path with ünïcode\n".encode()
    ours = hashes.blake2b(data, digest_size=16)
    ours.update(b"more")
    theirs = hashlib.blake2b(data, digest_size=16)
    theirs.update(b"more")
    assert ours.hexdigest() == theirs.hexdigest()
    assert hashes.sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()


def test_small_digests_do_not_load_openssl() -> None:
    code = (
        "import sys\n"
        "from adr_tool import hashes\n"
        "hashes.blake2b(b'x', digest_size=8).hexdigest()\n"
        "hashes.sha1(b'x').hexdigest()\n"
        "hashes.sha256_hex(b'x' * 1000)\n"
        "print('hashlib' in sys.modules, '_hashlib' in sys.modules)\n"
        "hashes.sha256_hex(b'x' * (hashes.OWN_SHA256_MAX + 1))\n"
        "print('_hashlib' in sys.modules)\n"
    )
    # not under coverage's start-up hook (CI measures subprocesses): coverage loads hashlib
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.split() == ["False", "False", "True"]
