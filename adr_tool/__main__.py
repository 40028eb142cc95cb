"""The process's entry point, ``adr`` and ``python -m adr_tool``: a bare ``adr --help``
from its memo without importing click (decision 61), everything else through the group."""

from __future__ import annotations

import os
import sys


def main() -> None:
    from adr_tool import helpmemo

    found = helpmemo.help_key(sys.argv[1:], os.environ)
    if found is not None:
        text = helpmemo.recall(*found)
        if text is not None:
            try:
                sys.stdout.write(text)
                sys.stdout.flush()
            except BrokenPipeError:  # `adr --help | head -1`: quiet, exit 1, as click does
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                sys.exit(1)
            return
    from adr_tool import cli

    if found is not None:
        helpmemo.remember(*found, cli.help_text())
    cli.main()


if __name__ == "__main__":
    main()
