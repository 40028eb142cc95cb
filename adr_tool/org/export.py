"""``adr export``: one repository's decision log as a document of the versioned schema.

The schema ships beside this module (``export.schema.json``). Compatibility rule: the
version is MAJOR.MINOR; a minor version only adds optional properties, so a reader
takes any minor version of its major and ignores what it does not know, and refuses
any other major (see :func:`check_version`).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from adr_tool.config import Settings
from adr_tool.errors import UsageError
from adr_tool.model import REPO_NAME_RE, Decision

SCHEMA_VERSION = "1.0"
MAJOR = 1
SCHEMA_FILE = Path(__file__).with_name("export.schema.json")
_VERSION_RE = re.compile(r"^(\d{1,4})\.(\d{1,4})$")
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://")
_LOGIN = re.compile(r"[A-Za-z0-9._-]{1,64}")  # an ssh login name such as ``git``


def schema_text() -> str:
    """The JSON Schema the export follows, as shipped in the package."""
    return SCHEMA_FILE.read_text(encoding="utf-8")


def check_version(value: object) -> str | None:
    """None when a document of ``value`` is readable here, else why not (one line)."""
    match = _VERSION_RE.match(value) if isinstance(value, str) else None
    if match is None:
        return f"schema_version {value!r} is not MAJOR.MINOR"
    if int(match.group(1)) != MAJOR:
        return (
            f"schema version {value} is not readable by this adr "
            f"(it reads {MAJOR}.x; use an adr of major version {match.group(1)})"
        )
    return None


def public_remote(url: str) -> str:
    """The remote URL as an export may show it: no credentials, no query, no fragment.

    A URL (``https://``, ``ssh://``, any ``scheme://``) loses its whole user part, up to
    the last ``@`` before the path — a user name alone is often a token
    (``https://<token>@github.com/o/r``), and a raw ``@`` in a password must not leave
    its tail behind — and everything from a ``?`` or ``#`` on (``?private_token=…``).
    An scp-like remote (``git@github.com:o/r.git``) keeps a plain login name: ssh takes
    no password there, and ``git`` says which transport to use; anything else before
    its last ``@`` (``user:secret@host:o/r``) goes. Other text (a local path) is kept."""
    url = url.strip()
    if len(url) > 1 and url[0] == url[-1] == '"':  # git config quotes a value with '#' in it
        url = url[1:-1]  # (GitPython at its oldest supported version hands the quotes back)
    scheme = _SCHEME.match(url)
    if scheme is not None:
        rest = url[scheme.end() :]
        slash = rest.find("/")
        authority, path = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
        kept = authority.rpartition("@")[2] + path
        for mark in "?#":
            kept = kept.partition(mark)[0]
        return scheme.group(0) + kept
    head = url.partition("/")[0]
    if ":" in head and "@" in head:  # scp-like: [user@]host:path
        user = head.rpartition("@")[0]
        if not _LOGIN.fullmatch(user):
            return url[len(user) + 1 :]
    return url


def name_from(remote: str, root: Path) -> str:
    """A repository name: the remote URL's last part without ``.git``, else the folder's."""
    candidate = remote.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] if remote else ""
    candidate = candidate.removesuffix(".git") or root.name
    name = _NOT_NAME.sub("-", candidate).strip("-._")[:100]
    return name or "repository"


def check_name(name: str, what: str = "--name") -> str:
    if not REPO_NAME_RE.match(name):
        raise UsageError(
            f"{what}: {name!r} is not a repository name "
            "(letters, digits, '.', '_' and '-', starting with a letter or digit)"
        )
    return name


@cache
def _generator() -> str:
    try:
        return f"adr-tool {version('adr-tool')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "adr-tool"


def record_json(
    name: str, d: Decision, root: Path, linked: set[str] | None = None
) -> dict[str, Any]:
    """One record of the export: ids qualified with the repository's name."""
    try:
        path = d.path.relative_to(root).as_posix()
    except ValueError:
        path = d.path.name
    commits = sorted(linked) if linked is not None else list(d.commits)
    return {
        "id": f"{name}#{d.number}",
        "number": d.number,
        "title": d.title,
        "status": d.status,
        "date": d.date,
        "review_by": d.review_by,
        "decision_makers": list(d.decision_makers),
        "consulted": list(d.consulted),
        "informed": list(d.informed),
        "tags": list(d.tags),
        "scope": list(d.scope),
        "tradeoffs": [t.as_json() for t in d.tradeoffs],
        "links": [{"rel": x.rel, "to": f"{name}#{x.to}"} for x in d.links]
        + [x.as_json() for x in d.remote_links],
        "supersedes": [f"{name}#{n}" for n in d.supersedes],
        "superseded_by": [f"{name}#{n}" for n in d.superseded_by],
        "commits": commits,
        "path": path,
    }


def build_export(
    settings: Settings,
    decisions: list[Decision],
    *,
    name: str,
    remote_url: str = "",
    commit: str = "",
    linked: dict[int, set[str]] | None = None,
) -> dict[str, Any]:
    """The export document (pure): the same inputs always give the same document."""
    root = settings.root
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": _generator(),
        "repository": {
            "name": name,
            "remote_url": public_remote(remote_url),
            "commit": commit,
            "decisions_path": settings.relative(settings.directory),
        },
        "axes": [{"name": a.name, "sides": list(a.sides), "label": a.title} for a in settings.axes],
        "records": [
            record_json(name, d, root, None if linked is None else linked.get(d.number))
            for d in sorted(decisions, key=lambda d: (d.number, d.path.name))
        ],
    }


def export_repository(
    settings: Settings, decisions: list[Decision], name: str | None = None, history: bool = True
) -> dict[str, Any]:
    """Export a checkout: identity from git (HEAD, the remote without credentials) and,
    with ``history``, the commits linked by trailer, read in one ``git log``; without it
    a record's commits are its own ``commits`` list."""
    from adr_tool.git.repo import identity

    head, remote = identity(settings.root)
    remote = public_remote(remote)  # before the name is taken from it
    linked = None
    if history and head:
        from adr_tool.git import log as git_log
        from adr_tool.publish.trace import linked_shas

        found = git_log.read_history(settings.root, settings.trailer, linked_only=True)
        linked = linked_shas(decisions, found) if found.available else None
    return build_export(
        settings,
        decisions,
        name=check_name(name) if name else name_from(remote, settings.git_root or settings.root),
        remote_url=remote,
        commit=head,
        linked=linked,
    )
