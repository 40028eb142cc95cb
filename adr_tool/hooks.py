"""``adr check`` and the git hooks: what the checks need from the outside world.

checks.py judges; this module gathers what it judges against (the index on disk and
as it should be, trailers in history, files changed since a ref), installs native git
hooks, and decides whether a commit message carries the decision trailer it needs.
Git is reached only through adr_tool.vcs, imported when a rule needs it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adr_tool import checks
from adr_tool.config import Settings
from adr_tool.errors import Refused, UsageError
from adr_tool.history import History
from adr_tool.model import Decision, format_id, parse_ref
from adr_tool.store import Store, atomic_write

HOOK_MARKER = "# installed by adr (adr hook install)"


@dataclass(frozen=True)
class CheckReport:
    findings: list[checks.Finding]
    checked: int


def run_check(
    settings: Settings,
    store: Store,
    *,
    today: dt.date,
    paths: list[Path] | None = None,
    diff_ref: str | None = None,
    renderer: Callable[[], Any] | None = None,
) -> CheckReport:
    """Load the folder, gather the outside inputs and run every rule.

    Git is read (once) only in a repository and only when a rule needs it: trailers
    (ADR013) come from commits since ``diff_ref`` when given, from the whole history
    when no PATHS are given, and are not read for a PATHS run (what pre-commit does on
    every commit; the commit-msg guard covers new trailers). The stale-index rule compares
    with what ``adr index`` writes, which depends on the files only, never on git.
    """
    decisions = store.load_all()
    selected = select(decisions, paths) if paths else None
    if diff_ref is not None:
        changed = changed_records(settings, decisions, diff_ref)
        selected = changed if selected is None else selected & changed
    ignored = set(settings.ignore)
    want_trailers = "ADR013" not in ignored and (diff_ref is not None or not paths)
    want_index = "ADR012" not in ignored and renderer is not None and settings.index.is_file()
    history = read_linked(settings, None) if want_trailers and not diff_ref else None
    commits = None
    if want_trailers:
        commits = trailer_commits(read_linked(settings, diff_ref) if diff_ref else history)
    actual = expected = None
    if want_index and renderer is not None:
        actual, expected = index_texts(settings, decisions, renderer(), today)
    inputs = checks.CheckInputs(
        today=today,
        selected=selected,
        commits=commits,
        index_actual=actual,
        index_expected=expected,
    )
    findings = checks.run(decisions, settings, inputs)
    checked = len(decisions) if selected is None else len(selected)
    return CheckReport(findings, checked)


def select(decisions: list[Decision], paths: list[Path]) -> frozenset[Path]:
    """The records named by PATHS (files or folders); other files are skipped."""
    # a record's path is its (resolved) folder plus its name, so only the few PATHS need
    # resolving: the folder part fully, the name not (a record may itself be a symlink)
    known = {d.path for d in decisions}
    chosen: set[Path] = set()
    for given in paths:
        if not given.exists():
            raise UsageError(f"{given}: no such file or folder")
        if given.is_dir():
            folder = given.resolve()
            chosen.update(p for p in known if folder == p.parent or folder in p.parents)
            continue
        path = given.absolute().parent.resolve() / given.name
        if path in known:
            chosen.add(path)
    return frozenset(chosen)


def changed_records(settings: Settings, decisions: list[Decision], ref: str) -> frozenset[Path]:
    from adr_tool import vcs

    changed = {(settings.root / name).resolve() for name in vcs.changed_files(settings.root, ref)}
    return frozenset(d.path for d in decisions if d.path.resolve() in changed)


def read_linked(settings: Settings, since: str | None) -> History | None:
    """Commits linked to records (one ``git log``); None outside a git repository."""
    if settings.git_root is None:
        return None
    from adr_tool import vcs

    revs = (f"{since}..HEAD",) if since else ("HEAD",)
    history = vcs.read_history(settings.root, settings.trailer, linked_only=True, revs=revs)
    return history if history.available else None


def trailer_commits(history: History | None) -> tuple[checks.TrailerCommit, ...] | None:
    """Commits that name records in a trailer; None without history (the rule is off)."""
    if history is None:
        return None
    return tuple(
        checks.TrailerCommit(c.sha, c.subject, c.refs, c.bad_refs)
        for c in history.commits
        if c.refs or c.bad_refs
    )


def index_texts(
    settings: Settings, decisions: list[Decision], renderer: Any, today: dt.date
) -> tuple[str, str]:
    """The index as it is on disk and as ``adr index`` would write it today."""
    from adr_tool import index

    try:
        actual = settings.index.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        where = settings.relative(settings.index)
        raise UsageError(f"{where}: cannot read: {exc.strerror}") from None
    actual = actual.lstrip("\ufeff").replace("\r\n", "\n")
    if index.is_current(settings, decisions, renderer, actual, today):
        same = index.strip_marker(actual)
        return same, same  # written from these very inputs: no need to render it
    expected = index.render_index(settings, decisions, renderer, None, today)
    return index.strip_marker(actual), index.strip_marker(expected)


# --- the commit-msg guard -----------------------------------------------------------

_SCISSORS = re.compile(r"^# -+ >8 -+$")


def message_trailers(message: str, key: str) -> list[str]:
    """Values of ``key:`` trailers in the last paragraph of a commit message."""
    lines: list[str] = []
    for line in message.replace("\r\n", "\n").split("\n"):
        if _SCISSORS.match(line):
            break
        if not line.startswith("#"):
            lines.append(line.rstrip())
    paragraphs = [p for p in "\n".join(lines).strip().split("\n\n") if p.strip()]
    if not paragraphs:
        return []
    pattern = re.compile(rf"^{re.escape(key)}\s*:\s*(.*)$", re.IGNORECASE)
    values = []
    for line in paragraphs[-1].split("\n"):
        match = pattern.match(line.strip())
        if match:
            values.append(match.group(1).strip())
    return values


def glob_regex(pattern: str) -> re.Pattern[str]:
    """``src/**`` / ``**/*.sql`` / ``*.proto`` as a regex over repo-relative paths.

    ``**`` crosses folders, ``*`` and ``?`` do not; a pattern without ``/`` matches a
    file name in any folder; a pattern naming a folder matches everything below it.
    """
    pattern = pattern.strip().lstrip("/")
    if "/" not in pattern.rstrip("/"):
        pattern = "**/" + pattern
    out = []
    index = 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?$")


def guarded(paths: list[str], globs: tuple[str, ...]) -> list[str]:
    regexes = [glob_regex(g) for g in globs]
    return [p for p in paths if any(r.match(p) for r in regexes)]


def commit_msg_problem(
    settings: Settings, message: str, staged: list[str], numbers: set[int]
) -> str | None:
    """Why the commit must be refused, as text that says what to add; None when fine."""
    touched = guarded(staged, settings.guard_paths)
    if not touched:
        return None
    key = settings.trailer
    shown = ", ".join(touched[:3]) + (f" and {len(touched) - 3} more" if len(touched) > 3 else "")
    values = message_trailers(message, key)
    how = (
        f"Add it as the last paragraph of the commit message, naming the record this commit "
        f"carries out (see 'adr list'):\n\n    {key}: 7\n\n"
        f"or, when no decision applies, say why:\n\n    {key}: none - <reason>\n"
    )
    if not values:
        return (
            f"commit refused: it changes {shown} (matched by guard.paths) but its message "
            f"has no '{key}:' trailer.\n{how}"
        )
    for value in values:
        if value.lower().startswith("none"):
            reason = value[4:].strip(" -–—:,;()[]")
            if re.search(r"\w\w", reason):
                return None
            return (
                f"commit refused: '{key}: {value}' needs a reason after 'none', e.g.\n\n"
                f"    {key}: none - only renames a variable\n"
            )
        for item in value.split(","):
            number = parse_ref(item.strip())
            if number is None:
                return (
                    f"commit refused: cannot read {item.strip()!r} in '{key}: {value}' as a "
                    f"record number; write e.g. '{key}: 7' or '{key}: ADR-0007'.\n"
                )
            if number not in numbers:
                folder = settings.relative(settings.directory)
                return (
                    f"commit refused: '{key}: {value}' names record {format_id(number)}, "
                    f"which does not exist in {folder}. Fix the number, or create the "
                    "record first with 'adr new'.\n"
                )
    return None


def commit_msg(settings: Settings, store: Store, message_file: Path) -> str | None:
    """The commit-msg hook: read the message and the staged files, judge them."""
    if not settings.guard_paths:
        return None
    try:
        message = message_file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(
            f"{message_file}: cannot read the commit message: {exc.strerror}"
        ) from None
    from adr_tool import vcs

    staged = vcs.staged_files(settings.root)
    numbers = {d.number for d in store.load_all()}
    return commit_msg_problem(settings, message, staged, numbers)


def hooks_dir(settings: Settings) -> Path:
    from adr_tool import vcs

    return vcs.hooks_dir(settings.root)


# --- native hooks -------------------------------------------------------------------


def hook_script(python: str, command: str) -> str:
    """A POSIX sh hook that runs ``adr <command>`` from the interpreter that installed it."""
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARKER}; rerun it to update, delete this file to remove.\n"
        f"py={shlex.quote(python)}\n"
        f'if [ -x "$py" ]; then exec "$py" -m adr_tool {command}; fi\n'
        f"exec adr {command}\n"
    )


def install(
    hooks_dir: Path, python: str, *, commit_msg_hook: bool, force: bool
) -> list[tuple[Path, Path | None]]:
    """Write the hooks; returns (hook, backup) pairs. Refuses before writing anything."""
    wanted = {"pre-commit": hook_script(python, "check")}
    if commit_msg_hook:
        wanted["commit-msg"] = hook_script(python, 'hook commit-msg "$1"')
    foreign = [
        hooks_dir / name
        for name in wanted
        if (hooks_dir / name).exists() and HOOK_MARKER not in _read(hooks_dir / name)
    ]
    if foreign and not force:
        names = ", ".join(str(p) for p in foreign)
        framework = any("pre-commit" in _read(p) and "INSTALL_PYTHON" in _read(p) for p in foreign)
        hint = (
            " (it belongs to the pre-commit framework: add the adr hooks to "
            ".pre-commit-config.yaml instead)"
            if framework
            else ""
        )
        raise Refused(
            f"{names} already exists{hint}; rerun with --force to replace it "
            "(the old hook is kept as <name>.bak)"
        )
    hooks_dir.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Path, Path | None]] = []
    for name, script in wanted.items():
        path = hooks_dir / name
        backup = _backup(path) if path in foreign else None
        atomic_write(path, script)
        os.chmod(path, 0o755)
        done.append((path, backup))
    return done


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _backup(path: Path) -> Path:
    backup = path.with_name(path.name + ".bak")
    number = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    import shutil  # pulls in compression modules; only needed here

    shutil.copy2(path, backup)  # the old hook stays in place until the new one replaces it
    return backup
