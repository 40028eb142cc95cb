"""The README is part of the product: its command reference must match the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import click

from adr_tool.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    names = []
    for name, command in sorted(cli.commands.items()):
        if isinstance(command, click.Group):
            names.extend(f"{name} {sub}" for sub in sorted(command.commands))
        else:
            names.append(name)
    return names


def test_every_command_is_documented_with_an_example() -> None:
    headings = re.findall(r"^### (.+)$", README, re.MULTILINE)
    documented = " ".join(headings)
    for name in commands():
        assert f"adr {name.split()[0]}" in documented, f"README has no section for adr {name}"
        assert re.search(rf"^adr {re.escape(name)}\b", README, re.MULTILINE), (
            f"README has no example line starting with 'adr {name}'"
        )


def test_every_command_help_has_an_example() -> None:
    ctx = click.Context(cli, info_name="adr")
    for name in commands():
        parts = name.split()
        command: click.Command = cli
        for part in parts:
            assert isinstance(command, click.Group)
            command = command.commands[part]
        assert "Example" in (command.help or ""), f"adr {name} --help has no example"
    assert ctx.info_name == "adr"


def test_documented_options_exist() -> None:
    """Every `adr CMD --option` in the README's examples is a real option of CMD."""
    for line in re.findall(r"^adr [^\n]+$", README, re.MULTILINE):
        words = line.split("#")[0].split()
        command: click.Command = cli
        for word in words[1:]:
            if isinstance(command, click.Group) and word in command.commands:
                command = command.commands[word]
            else:
                break
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        known |= {"--help", "-h"}
        for word in words:
            option = word.split("=")[0]
            if option.startswith("--") and option not in known and command is not cli:
                raise AssertionError(f"README example uses unknown option {option}: {line}")
