"""The one error family of the core: every expected failure is an AdrError."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

FINDINGS = 1
USAGE = 2
ENVIRONMENT = 3


class AdrError(Exception):
    """An expected failure with a message that says what went wrong and what to do."""

    exit_code: int = FINDINGS

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


class NotFound(AdrError):
    """A record, revision or file the user named does not exist (exit 1)."""

    exit_code = FINDINGS


class Refused(AdrError):
    """The request is understood but would break an invariant (exit 1)."""

    exit_code = FINDINGS


class ParseError(AdrError):
    """A file could not be understood; carries its path and line (exit 1), and the
    message id and values of ``adr_tool.wording`` it was worded from, if any."""

    exit_code = FINDINGS

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        key: str = "",
        values: tuple[tuple[str, str], ...] = (),
    ) -> None:
        super().__init__(message, path=path, line=line)
        self.key = key
        self.values = values


class UsageError(AdrError):
    """Bad arguments (exit 2)."""

    exit_code = USAGE


class ConfigError(AdrError):
    """The configuration is invalid; the message names the key (exit 2)."""

    exit_code = USAGE


class EnvironmentProblem(AdrError):
    """Something outside our control is missing, e.g. git (exit 3)."""

    exit_code = ENVIRONMENT


class Exit(AdrError):
    """End the command with ``exit_code`` after it has said what it had to say.

    An empty message prints nothing; any other message goes to stderr as it is (for
    the commit-msg guard, whose text is its own report, not an ``adr: error:`` line).
    """

    def __init__(self, exit_code: int = FINDINGS, message: str = "") -> None:
        super().__init__(message, exit_code=exit_code)
