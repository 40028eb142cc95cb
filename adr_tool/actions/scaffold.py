"""``adr init``: the config file, the decisions folder and record 0001, never overwriting."""

from __future__ import annotations

from pathlib import Path

from adr_tool.actions.create import first_record
from adr_tool.config import (
    ADR_DIR_NAME,
    CONFIG_NAME,
    DEFAULT_DIRECTORY,
    Settings,
    default_config_text,
    discover,
    find_git_root,
    load_settings,
)
from adr_tool.errors import Refused, UsageError
from adr_tool.publish.render import Renderer
from adr_tool.records.store import Store, create_exclusive, is_record_name


def initialise(
    cwd: Path,
    *,
    directory: str | None,
    template: str | None,
    lang: str,
    layout: str,
    date: str,
    allow_outside: bool = False,
    force: bool = False,
) -> list[Path]:
    """Write the config, the folder and record 0001; returns the files written.

    An index file already in the folder that ``adr index`` did not write (a hand-written
    ``docs/README.md`` under ``--dir docs``) is refused before anything is written,
    unless ``force`` takes it over."""
    root = find_git_root(cwd) or cwd
    adr_tools = layout == "adr-tools"
    marker = root / (ADR_DIR_NAME if adr_tools else CONFIG_NAME)
    for existing in (root / CONFIG_NAME, root / ADR_DIR_NAME):
        if existing.exists():
            raise Refused(f"{existing.name} already exists in {root}; nothing was changed")
    folder = directory or ("doc/adr" if adr_tools else DEFAULT_DIRECTORY)
    if Path(folder).is_absolute() or not folder.strip():
        raise UsageError("--dir: give a folder relative to the repository root")
    target = (root / folder).resolve()
    if not allow_outside and root.resolve() not in (target, *target.parents):
        raise UsageError(f"--dir: {folder!r} is outside the repository ({root})")
    if target.is_dir() and any(is_record_name(p.name) for p in target.iterdir()):
        raise Refused(
            f"{folder} already holds records; nothing was changed (point .adr.yaml at it instead)"
        )
    template = template or ("nygard" if adr_tools else "tradeoff")
    text = folder.strip("/") + "\n" if adr_tools else default_config_text(folder, template, lang)
    settings = Settings(
        root=root,
        directory=target,
        index=target / "README.md",
        lang=lang,
        layout=layout,
        template=template,
    )
    if not adr_tools and not force:
        from adr_tool.publish.ownership import refuse_foreign

        refuse_foreign(settings)
    renderer = Renderer(target / "templates", lang, root=root)
    name, record = first_record(settings, renderer, date)
    target.mkdir(parents=True, exist_ok=True)
    if not create_exclusive(marker, text):
        raise Refused(f"{marker.name} appeared while initialising; nothing else was changed")
    written = [marker]
    record_path = target / name
    if create_exclusive(record_path, record):
        written.append(record_path)
    settings = (
        discover(cwd, allow_outside=allow_outside)
        if adr_tools
        else load_settings(marker, find_git_root(cwd), allow_outside=allow_outside)
    )
    written.extend(write_initial_index(settings, Store(settings), renderer, force=force))
    return written


def write_initial_index(
    settings: Settings, store: Store, renderer: Renderer, *, force: bool = False
) -> list[Path]:
    """The index that ``adr init`` writes next to record 0001 (none in adr-tools layout)."""
    if settings.layout == "adr-tools":
        return []
    from adr_tool.publish.index import write_index

    write_index(settings, store, renderer, force=force)
    return [settings.index]
