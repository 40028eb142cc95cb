"""Settings: discovery (.adr.yaml, .adr-dir, defaults) and validation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool import confine
from adr_tool.errors import ConfigError, ParseError
from adr_tool.model import DEFAULT_STATUSES, Axis

CONFIG_NAME = ".adr.yaml"
ADR_DIR_NAME = ".adr-dir"
DEFAULT_DIRECTORY = "docs/decisions"
LOG4BRAINS_NAME = ".log4brains.yml"
MAX_MARKER_BYTES = 4096  # .adr-dir: one folder name
MAX_CONFIG_BYTES = 1024 * 1024  # .adr.yaml, .log4brains.yml, a record's head
EXISTING_DEFAULTS = ("docs/decisions", "docs/adr", "doc/adr")
TEMPLATES = ("tradeoff", "madr", "nygard")
LANGS = ("en", "ko")

DEFAULT_AXES = (
    Axis("performance-vs-development-speed", ("performance", "development-speed")),
    Axis("scalability-vs-simplicity", ("scalability", "simplicity")),
    Axis("completeness-vs-time-to-market", ("completeness", "time-to-market")),
)
KOREAN_SIDES = {
    "performance": "성능",
    "development-speed": "개발 속도",
    "scalability": "확장성",
    "simplicity": "단순성",
    "completeness": "완성도",
    "time-to-market": "출시 시점",
}
# Shown for the statuses in Korean text; front matter keeps the English keyword.
KOREAN_STATUSES = {
    "proposed": "제안됨",
    "accepted": "승인됨",
    "rejected": "거절됨",
    "deprecated": "폐기됨",
    "superseded": "대체됨",
}


def status_label(status: str, lang: str) -> str:
    """How ``status`` is shown in ``lang`` (a status we have no word for stays as it is)."""
    return KOREAN_STATUSES.get(status, status) if lang == "ko" else status


KNOWN_KEYS = frozenset(
    {
        "directory",
        "template",
        "index",
        "statuses",
        "default-status",
        "axes",
        "git",
        "require",
        "guard",
        "lang",
        "layout",
        "check",
    }
)


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about the repository it runs in."""

    root: Path
    directory: Path
    index: Path
    config_path: Path | None = None
    index_auto: bool = True  # commands that change records rewrite an existing index
    index_coverage: bool = False  # coverage and tensions (over tracked files) in the index
    template: str = "tradeoff"
    lang: str = "en"
    layout: str = "native"  # "adr-tools" when the folder came from .adr-dir
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    default_status: str = "proposed"
    axes: tuple[Axis, ...] = DEFAULT_AXES
    trailer: str = "Decision"
    require_rationale: tuple[str, ...] = ("accepted",)
    require_tradeoff: tuple[str, ...] = ("accepted",)
    guard_paths: tuple[str, ...] = ()
    require_scope_trailer: bool = False
    ignore: tuple[str, ...] = ()
    git_root: Path | None = None
    # where the tracked files are listed when ``root`` is not in git: ``adr check --staged``
    # judges a copy of the staged folder, whose tracked files are the repository's index
    tracked_root: Path | None = None

    def axis(self, name: str) -> Axis | None:
        for axis in self.axes:
            if axis.name == name:
                return axis
        return None

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def localised_axes(self) -> tuple[Axis, ...]:
        if self.lang != "ko":
            return self.axes
        out = []
        for axis in self.axes:
            labels = axis.side_labels or (
                KOREAN_SIDES.get(axis.sides[0], axis.sides[0]),
                KOREAN_SIDES.get(axis.sides[1], axis.sides[1]),
            )
            out.append(axis._replace(side_labels=labels, label=f"{labels[0]} vs {labels[1]}"))
        return tuple(out)


def find_git_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _walk_up(start: Path, stop: Path | None, name: str) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / name
        if candidate.is_file():
            return candidate
        if stop is not None and folder == stop:
            break
    return None


def discover(start: Path | None = None, *, allow_outside: bool = False) -> Settings:
    """Find the settings for the repository that contains ``start`` (default: cwd)."""
    start = (start or Path.cwd()).resolve()
    git_root = find_git_root(start)
    config_path = _walk_up(start, git_root, CONFIG_NAME)
    if config_path is not None:
        return load_settings(config_path, git_root, allow_outside=allow_outside)
    adr_dir = _walk_up(start, git_root, ADR_DIR_NAME)
    if adr_dir is not None:
        root = adr_dir.parent
        raw_dir = confine.read_inside(adr_dir, root, ADR_DIR_NAME, MAX_MARKER_BYTES)
        try:
            named = raw_dir.decode("utf-8").strip() or "doc/adr"
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{adr_dir}: cannot read: {exc}") from None
        directory = _contained(root, named, ".adr-dir", allow_outside)
        return Settings(
            root=root,
            directory=directory,
            index=directory / "README.md",
            template="nygard",
            layout="adr-tools",
            default_status="accepted",
            git_root=git_root,
        )
    log4brains = _walk_up(start, git_root, LOG4BRAINS_NAME)
    if log4brains is not None:
        root = log4brains.parent
        directory = _contained(root, _adr_folder(log4brains), "adrFolder", allow_outside)
        return Settings(
            root=root,
            directory=directory,
            index=directory / "README.md",
            template="madr",
            default_status="proposed",
            git_root=git_root,
        )
    found = _existing_default(start, git_root)
    if found is not None:
        root, found_dir = found
        directory = _contained(root, str(found_dir.relative_to(root)), "directory", allow_outside)
        adr_tools = directory == root / "doc" / "adr" and _holds_nygard(directory, root)
        return Settings(
            root=root,
            directory=directory,
            index=directory / "README.md",
            template="nygard" if adr_tools else "tradeoff",
            layout="adr-tools" if adr_tools else "native",
            default_status="accepted" if adr_tools else "proposed",
            git_root=git_root,
        )
    root = git_root or start
    directory = _contained(root, DEFAULT_DIRECTORY, "directory", allow_outside)
    return Settings(
        root=root, directory=directory, index=directory / "README.md", git_root=git_root
    )


def _adr_folder(path: Path) -> str:
    """``project.adrFolder`` from ``.log4brains.yml`` (default ``docs/adr``)."""
    from adr_tool.records import frontmatter

    data = confine.read_inside(path, path.parent, LOG4BRAINS_NAME, MAX_CONFIG_BYTES)
    try:
        raw = frontmatter.load_config(data.decode("utf-8"), path)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except ParseError as exc:
        raise ConfigError(str(exc)) from None
    project = raw.get("project", {})
    value = project.get("adrFolder", "docs/adr") if isinstance(project, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path.name}: project.adrFolder must be a folder path")
    return value.strip()


def _existing_default(start: Path, stop: Path | None) -> tuple[Path, Path] | None:
    """The first of docs/decisions, docs/adr, doc/adr that exists, walking up to ``stop``."""
    for folder in (start, *start.parents):
        for name in EXISTING_DEFAULTS:
            if (folder / name).is_dir():
                return folder, folder / name
        if folder == stop:
            break
    return None


def _holds_nygard(directory: Path, root: Path) -> bool:
    """True when the first numbered record in ``directory`` has an adr-tools Status section
    (a record that is no regular file inside the tree is not read: it says nothing)."""
    import re

    try:
        names = sorted(p for p in directory.iterdir() if re.match(r"^\d+-.*\.md$", p.name))
        data = confine.read_inside(names[0], root, "record", MAX_CONFIG_BYTES) if names else b""
    except (OSError, ConfigError):
        return False
    head = data[:16000].decode("utf-8", errors="replace")[:4000]
    return bool(re.search(r"^##\s+(status|상태)\s*$", head, re.MULTILINE | re.IGNORECASE))


def _contained(root: Path, value: str, key: str, allow_outside: bool) -> Path:
    try:
        path = (root / value).resolve()
    except (OSError, ValueError, RuntimeError) as exc:  # NUL byte, symlink loop, too long
        raise ConfigError(f"{key}: {value!r} is not a usable path: {exc}") from None
    if not allow_outside and path != root.resolve() and root.resolve() not in path.parents:
        raise ConfigError(
            f"{key}: {value!r} points outside the repository ({root}); "
            "use a folder inside it (or --allow-outside)"
        )
    return path


def _str_list(raw: dict[str, Any], key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = raw.get(key, default)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise ConfigError(f"{key}: must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _axes(raw: Any) -> tuple[Axis, ...]:
    axes = list(DEFAULT_AXES)
    if raw is None:
        return tuple(axes)
    items: list[tuple[str, Any]]
    if isinstance(raw, dict):
        items = [(str(k), v) for k, v in raw.items()]
    elif isinstance(raw, list):
        items = []
        for entry in raw:
            if not isinstance(entry, dict) or "name" not in entry:
                raise ConfigError("axes: each entry needs a name and two sides")
            items.append((str(entry["name"]), entry.get("sides")))
    else:
        raise ConfigError("axes: must be a mapping of axis name to its two sides")
    for name, sides in items:
        if (
            not isinstance(sides, list)
            or len(sides) != 2
            or not all(isinstance(s, str) and s for s in sides)
            or sides[0] == sides[1]
        ):
            raise ConfigError(f"axes.{name}: must list exactly two different sides")
        axes = [a for a in axes if a.name != name]
        axes.append(Axis(name, (sides[0], sides[1])))
    return tuple(axes)


def load_settings(
    config_path: Path, git_root: Path | None = None, *, allow_outside: bool = False
) -> Settings:
    """Read and validate ``.adr.yaml``; every problem names the offending key."""
    from adr_tool.records import frontmatter

    root = config_path.parent
    data = confine.read_inside(config_path, root, "the configuration", MAX_CONFIG_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{config_path}: cannot read the configuration: {exc}") from None
    try:
        raw = frontmatter.load_config(text, config_path)
    except ParseError as exc:  # the loader speaks of front matter; this is the config file
        what = exc.message.removeprefix("front matter ")
        raise ConfigError(f"the configuration {what}", path=config_path, line=exc.line) from None
    unknown = sorted(set(raw) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{config_path.name}: unknown key {unknown[0]!r} "
            f"(known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    directory_value = raw.get("directory", DEFAULT_DIRECTORY)
    if not isinstance(directory_value, str) or not directory_value.strip():
        raise ConfigError("directory: must be a path relative to the repository root")
    directory = _contained(root, directory_value, "directory", allow_outside)
    index, index_auto, index_coverage = _index(raw.get("index"), root, directory, allow_outside)
    template = raw.get("template", "tradeoff")
    if not isinstance(template, str) or not template:
        raise ConfigError(f"template: must be one of {', '.join(TEMPLATES)} or a path")
    if template not in TEMPLATES:  # a path: it must not reach outside the repository
        _contained(root, template, "template", allow_outside)
    lang = raw.get("lang", "en")
    if lang not in LANGS:
        raise ConfigError(f"lang: must be one of {', '.join(LANGS)}")
    layout = raw.get("layout", "native")
    if layout not in ("native", "adr-tools"):
        raise ConfigError("layout: must be 'native' or 'adr-tools'")
    statuses = _str_list(raw, "statuses", DEFAULT_STATUSES)
    default_status = raw.get("default-status", "proposed")
    if default_status not in statuses:
        raise ConfigError(f"default-status: {default_status!r} is not one of statuses")
    git = raw.get("git", {}) or {}
    if not isinstance(git, dict):
        raise ConfigError("git: must be a mapping, e.g. {trailer: Decision}")
    trailer = git.get("trailer", "Decision")
    if not isinstance(trailer, str) or not trailer.replace("-", "").isalnum():
        raise ConfigError("git.trailer: must be a trailer key such as 'Decision'")
    rationale, tradeoff = _require(raw.get("require"), statuses)
    require = raw.get("require")
    scope_trailer = require.get("scope-trailer", False) if isinstance(require, dict) else False
    if not isinstance(scope_trailer, bool):
        raise ConfigError("require.scope-trailer: must be true or false")
    guard = raw.get("guard", {}) or {}
    if not isinstance(guard, dict):
        raise ConfigError("guard: must be a mapping with a 'paths' list")
    guard_paths = _str_list(guard, "paths", ())
    check = raw.get("check", {}) or {}
    if not isinstance(check, dict):
        raise ConfigError("check: must be a mapping with an 'ignore' list")
    ignore = _str_list(check, "ignore", ())
    return Settings(
        root=root,
        directory=directory,
        index=index,
        index_auto=index_auto,
        index_coverage=index_coverage,
        config_path=config_path,
        template=template,
        lang=lang,
        layout=layout,
        statuses=statuses,
        default_status=default_status,
        axes=_axes(raw.get("axes")),
        trailer=trailer,
        require_rationale=rationale,
        require_tradeoff=tradeoff,
        guard_paths=guard_paths,
        require_scope_trailer=scope_trailer,
        ignore=ignore,
        git_root=git_root,
    )


def _index(value: Any, root: Path, directory: Path, allow_outside: bool) -> tuple[Path, bool, bool]:
    """``index: PATH`` or ``index: {path: PATH, auto: true|false, coverage: true|false}``."""
    flags: dict[str, bool] = {"auto": True, "coverage": False}
    if isinstance(value, dict):
        unknown = sorted(set(map(str, value)) - {"path", *flags})
        if unknown:
            raise ConfigError(f"index.{unknown[0]}: unknown key (known: path, auto, coverage)")
        for key in flags:
            flag = value.get(key, flags[key])
            if not isinstance(flag, bool):
                raise ConfigError(f"index.{key}: must be true or false")
            flags[key] = flag
        value = value.get("path")
    if value is None:
        return directory / "README.md", flags["auto"], flags["coverage"]
    if isinstance(value, str) and value.endswith(".md"):
        return _contained(root, value, "index", allow_outside), flags["auto"], flags["coverage"]
    raise ConfigError("index: must be the path of a Markdown file, e.g. docs/decisions/README.md")


def _require(value: Any, statuses: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return ("accepted",), ("accepted",)
    if isinstance(value, list):
        both = _str_list({"require": value}, "require", ())
        _known(both, statuses, "require")
        return both, both
    if isinstance(value, dict):
        rationale = _str_list(value, "rationale", ("accepted",))
        tradeoff = _str_list(value, "tradeoff", ("accepted",))
        _known(rationale, statuses, "require.rationale")
        _known(tradeoff, statuses, "require.tradeoff")
        return rationale, tradeoff
    raise ConfigError("require: must be a list of statuses or {rationale: [...], tradeoff: [...]}")


def _known(values: tuple[str, ...], statuses: tuple[str, ...], key: str) -> None:
    for value in values:
        if value not in statuses:
            raise ConfigError(f"{key}: {value!r} is not one of statuses")


def default_config_text(directory: str, template: str, lang: str) -> str:
    """The ``.adr.yaml`` that ``adr init`` writes: every key, with a comment."""
    return (
        "# Settings for `adr` (adr-tool, trade-off decision records). All keys are optional.\n"
        f"directory: {directory}\n"
        f"template: {template}        # tradeoff | madr | nygard | path/to/template.md.j2\n"
        f"lang: {lang}                # en | ko\n"
        "# index: {path: docs/decisions/README.md, auto: true}   # auto: kept fresh by adr\n"
        "# statuses: [proposed, accepted, rejected, deprecated, superseded]\n"
        "# axes:                      # added to the three default axes\n"
        "#   consistency-vs-availability: [consistency, availability]\n"
        "# require: {rationale: [accepted], tradeoff: [accepted], scope-trailer: false}\n"
        "# git: {trailer: Decision}\n"
        "# guard: {paths: ['src/**']}\n"
        "# check: {ignore: []}\n"
    )
