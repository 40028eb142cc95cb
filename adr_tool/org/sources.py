"""Where ``adr aggregate`` reads from: checkouts, ``adr export`` files and manifests.

A manifest is YAML (read with the same bounded loader as front matter)::

    repositories:
      - name: payments                 # the name records are qualified with: payments#12
        path: ../payments              # a checkout, or an `adr export` JSON file
        url: https://git.example.com/acme/payments/blob/main   # optional: links to records

Paths in a manifest are relative to the manifest's folder. Reading a checkout happens in
a worker process (:func:`load_checkout`), so it returns plain data or a one-line error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool.errors import AdrError, ConfigError
from adr_tool.org.export import check_name

MAX_EXPORT_BYTES = 64 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MANIFEST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Source:
    """One repository to aggregate: a checkout folder or an export file."""

    path: Path
    name: str = ""  # "" = the export's own name, or the checkout's (remote, folder)
    url: str = ""  # web address records link to: URL + "/" + the record's path
    origin: str = ""  # the manifest that named it ("" on the command line)

    @property
    def label(self) -> str:
        return self.name or str(self.path)

    @property
    def where(self) -> str:
        return f"{self.origin}: " if self.origin else ""


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be text")
    return value.strip()


def _web_url(value: str, where: str) -> str:
    if value and not value.lower().startswith(("https://", "http://")):
        raise ConfigError(f"{where}: 'url' must start with https:// or http://")
    return value.rstrip("/")


def read_manifest(path: Path) -> list[Source]:
    """The repositories a manifest names (ConfigError for a manifest we cannot use)."""
    from adr_tool.records import frontmatter

    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ConfigError(f"{path}: a manifest must be smaller than 1 MiB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the manifest: {exc}") from None
    data = frontmatter.load_config(text, path)
    items = data.get("repositories")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{path}: 'repositories' must be a list of {{name, path, url}} items")
    out = []
    for number, item in enumerate(items, 1):
        where = f"{path}: repositories[{number}]"
        name = _text(item, "name", where)
        target = _text(item, "path", where)
        if not target:
            raise ConfigError(f"{where}: 'path' is required (a checkout or an export file)")
        out.append(
            Source(
                path=(path.parent / target),
                name=check_name(name, f"{where}: name") if name else "",
                url=_web_url(_text(item, "url", where), where),
                origin=str(path),
            )
        )
    return out


def expand(paths: list[Path]) -> list[Source]:
    """Command-line arguments as sources: a manifest stands for the repositories it names."""
    out: list[Source] = []
    for path in paths:
        if path.suffix.lower() in MANIFEST_SUFFIXES and path.is_file():
            out.extend(read_manifest(path))
        else:
            out.append(Source(path=path))
    return out


def is_export(source: Source) -> bool:
    return source.path.suffix.lower() == ".json"


def read_export_file(path: Path) -> Any:
    """The JSON of an export file (AdrError, one line, when it is not one)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_EXPORT_BYTES + 1)
    except OSError as exc:
        raise AdrError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_EXPORT_BYTES:
        raise AdrError(f"{path}: larger than {MAX_EXPORT_BYTES // 2**20} MiB; not an export")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise AdrError(f"{path}: not JSON: {' '.join(str(exc).split())[:200]}") from None


def load_checkout(
    source: Source, cache_env: Mapping[str, str] | None = None
) -> tuple[dict[str, Any] | None, str]:
    """Export one checkout (run in a worker): (document, "") or (None, why it failed).

    With ``cache_env`` (the environment that locates caches) records come through the
    repository's parse cache, as every other command reads them; None parses afresh.
    History is not read (one ``git rev-parse`` for the commit): a record's commits are its
    own ``commits`` list here, where ``adr export`` adds those linked by trailer.
    """
    from adr_tool.config import discover
    from adr_tool.org.export import export_repository
    from adr_tool.records.cache import ParseCache
    from adr_tool.records.store import Store

    try:
        if not source.path.is_dir():
            return None, f"{source.where}{source.path}: no such repository folder"
        root = source.path.resolve()
        settings = discover(root)
        if not settings.directory.is_dir():
            shown = settings.relative(settings.directory)
            return None, f"{source.where}{source.path}: no decisions folder ({shown})"
        cache = ParseCache.for_settings(settings, cache_env) if cache_env is not None else None
        decisions = Store(settings, cache=cache).load_all()
        return export_repository(settings, decisions, source.name or None, history=False), ""
    except AdrError as exc:
        return None, f"{source.where}{source.path}: {exc}"
    except OSError as exc:
        return None, f"{source.where}{source.path}: cannot read: {exc.strerror or exc}"
