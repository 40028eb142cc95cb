"""``adr export`` publishes the repository's remote URL: never a credential from it — no
user or password (a raw ``@`` in the password included), no ``?token=`` query, no
``#`` fragment — while an scp-like ``git@host:o/r.git`` stays as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adr_tool.org.export import public_remote
from support import Cli, git

SECRET = "SE@CRET5"


def test_a_remote_git_config_quoted_loses_its_quotes_too() -> None:
    """git writes a URL with '#' in quotes; the oldest GitPython we support returns them."""
    quoted = '"https://github.com/acme/r.git?token=SECRET5#SECRET5"'
    assert public_remote(quoted) == "https://github.com/acme/r.git"


@pytest.mark.parametrize(
    ("remote", "shown"),
    [
        ("https://user:SE@CRET5@github.com/o/r", "https://github.com/o/r"),
        ("https://user:SE%40CRET5@github.com/o/r.git", "https://github.com/o/r.git"),
        ("https://ghp_SECRET5@github.com/o/r.git", "https://github.com/o/r.git"),  # a token
        ("https://x-access-token:SECRET5@github.com/o/r", "https://github.com/o/r"),
        ("https://github.com/o/r.git?token=SECRET5", "https://github.com/o/r.git"),
        ("https://github.com/o/r#SECRET5", "https://github.com/o/r"),
        (
            "https://u:SE?CR#ET5@host:8443/o/r.git?private_token=SECRET5#x",
            "https://host:8443/o/r.git",
        ),
        ("https://host?SECRET5", "https://host"),
        ("ssh://git:SE@CRET5@example.com:22/o/r.git", "ssh://example.com:22/o/r.git"),
        ("ssh://git@example.com/o/r.git", "ssh://example.com/o/r.git"),
        ("git@github.com:o/r.git", "git@github.com:o/r.git"),  # an ssh login: no secret
        ("deploy:SE@CRET5@host:o/r.git", "host:o/r.git"),
        ("file:///srv/git/r.git", "file:///srv/git/r.git"),
        ("/srv/git/r.git", "/srv/git/r.git"),
        ("https://[::1]:8080/o/r", "https://[::1]:8080/o/r"),
        ("", ""),
    ],
)
def test_public_remote(remote: str, shown: str) -> None:
    assert public_remote(remote) == shown
    assert public_remote(shown) == shown  # nothing more to take away
    assert "SECRET5" not in shown and "CRET5" not in shown


@pytest.mark.parametrize(
    ("remote", "shown"),
    [
        (f"https://user:{SECRET}@github.com/acme/r.git", "https://github.com/acme/r.git"),
        ("https://github.com/acme/r.git?token=SECRET5#SECRET5", "https://github.com/acme/r.git"),
        ("git@github.com:acme/r.git", "git@github.com:acme/r.git"),
    ],
)
def test_export_shows_the_remote_without_credentials(
    project: Path, run: Cli, remote: str, shown: str
) -> None:
    git(project, "remote", "add", "origin", remote)
    result = run("export")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["repository"]["remote_url"] == shown
    assert doc["repository"]["name"] == "r"  # taken from the URL without its query
    assert "CRET5" not in result.stdout and "token=" not in result.stdout
