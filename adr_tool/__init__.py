"""adr: record the trade-offs behind a system's design as reviewable Markdown."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("adr-tool")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"
