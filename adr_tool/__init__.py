"""adr: record the trade-offs behind a system's design as reviewable Markdown."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__`` on first use: importlib.metadata costs ~30 ms at start-up."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("adr-tool")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            value = "0.0.0"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
