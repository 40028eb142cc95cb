"""Trailers as git reads them: ``git interpret-trailers --parse`` over a message, the
same rules (last paragraph, comment lines, the scissors line of ``git commit -v``,
unfolded values) as the ``%(trailers:key=…,valueonly,unfold)`` the log reader asks for.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from adr_tool.errors import EnvironmentProblem, UsageError
from adr_tool.git.repo import NO_GIT, _command, _git_module, _scrubbed_env


def trailer_values(message: str, key: str, cwd: Path) -> list[str]:
    """The values of the ``key`` trailers (key matched case-insensitively) in ``message``.

    Runs one git process in ``cwd`` (a repository or not: git's own rules either way).
    """
    git = _git_module()
    fd, name = tempfile.mkstemp(prefix="adr-message-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(message)
        with _scrubbed_env():
            try:
                out = git.Git(str(cwd)).execute(
                    _command("interpret-trailers", "--parse", name), stdout_as_string=False
                )
            except git.exc.GitCommandNotFound:
                raise EnvironmentProblem(NO_GIT) from None
            except git.exc.GitCommandError as exc:
                raise UsageError(f"git interpret-trailers failed: {exc.stderr!r}") from None
    finally:
        os.unlink(name)
    text = out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
    values = []
    for line in text.splitlines():
        found, sep, value = line.partition(":")
        if sep and found.strip().lower() == key.lower():
            values.append(value.strip())
    return values
