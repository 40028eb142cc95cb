"""Native git hooks without the pre-commit framework: ``adr hook install`` writes a
pre-commit hook running ``adr check --staged`` (the index, what will be committed) and,
if asked, the commit-msg guard."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from adr_tool.config import Settings
from adr_tool.errors import Refused
from adr_tool.records.store import atomic_write

HOOK_MARKER = "# installed by adr (adr hook install)"
# ``python -m adr_tool`` would put the working folder first on sys.path, and git runs a
# hook in the top of the working tree: a repository's own ``adr_tool/`` would run. The
# hook starts adr with the folder (and any entry naming it) taken off sys.path first.
RUN_ADR = (
    "import os, sys; here = os.getcwd(); "
    "sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != here]; "
    "from adr_tool.__main__ import main; main()"
)


def hooks_dir(settings: Settings) -> Path:
    """Where git looks for hooks; a folder in the working tree (``core.hooksPath`` set to
    ``.githooks``, say) must not lead out of it through a symlink the repository holds."""
    from adr_tool import confine
    from adr_tool.git import worktree

    found = worktree.hooks_dir(settings.root)
    top = settings.root.resolve()
    named = Path(os.path.abspath(found))
    if top in named.parents and ".git" not in named.relative_to(top).parts:
        confine.require_writable(found, top, "core.hooksPath")
    return found


def hook_script(python: str, command: str) -> str:
    """A POSIX sh hook that runs ``adr <command>`` from the interpreter that installed it."""
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARKER}; rerun it to update, delete this file to remove.\n"
        f"py={shlex.quote(python)}\n"
        f'if [ -x "$py" ]; then exec "$py" -c {shlex.quote(RUN_ADR)} {command}; fi\n'
        f"exec adr {command}\n"
    )


def install(
    hooks_dir: Path, python: str, *, commit_msg_hook: bool, force: bool
) -> list[tuple[Path, Path | None]]:
    """Write the hooks; returns (hook, backup) pairs. Refuses before writing anything."""
    wanted = {"pre-commit": hook_script(python, "check --staged")}
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
    while os.path.lexists(backup):  # a dangling symlink is taken too: never written through
        backup = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    import shutil  # pulls in compression modules; only needed here

    # the old hook stays in place until the new one replaces it; a symlink stays a symlink
    shutil.copy2(path, backup, follow_symlinks=False)
    return backup
