"""The limits on front matter once loaded: how deep and how big it may get when every
alias is expanded. Pure: walks plain data, imports no YAML library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adr_tool import wording
from adr_tool.errors import ParseError

MAX_DEPTH = 32  # nesting levels (mappings and lists) we agree to build
MAX_EXPANSION = 100_000  # nodes after aliases are expanded (64 characters of text = 1 node)


def nesting_bound(yaml_text: str) -> int:
    """A cheap upper bound on nesting depth: every flow bracket, plus two levels per
    column of block indentation/indicators. Only above MAX_DEPTH do we look closer."""
    prefix = max(len(line) - len(line.lstrip(" -?")) for line in yaml_text.split("\n"))
    return yaml_text.count("[") + yaml_text.count("{") + 2 * prefix + 3


def check_expansion(data: Any, path: Path | str, first_line: int) -> None:
    """Refuse alias bombs ("billion laughs"), self-referencing and too deep aliases.

    The safe loader shares one object per anchor, so loading is cheap; anything that later
    walks the data (an edit, JSON, a template) would expand every alias. Count the nodes
    that expansion would produce, memoised per shared object, without expanding anything.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]

    def refuse(key: str, **values: str) -> ParseError:
        packed = wording.pack(**values)
        text = wording.say(key, packed)
        return ParseError(text, path=path, line=first_line, key=key, values=packed)

    def children(node: Any) -> list[Any]:
        return [*node.keys(), *node.values()] if isinstance(node, dict) else list(node)

    def weight(node: Any) -> int:
        if isinstance(node, (dict, list)):
            return sizes[id(node)]
        return 1 + len(node) // 64 if isinstance(node, (str, bytes)) else 1

    def depth(node: Any) -> int:
        return depths[id(node)] if isinstance(node, (dict, list)) else 0

    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            size = 1 + sum(weight(child) for child in children(node))
            if size > MAX_EXPANSION:
                raise refuse("fm-alias-bomb", nodes=f"{MAX_EXPANSION:,}")
            sizes[key] = size
            depths[key] = 1 + max((depth(child) for child in children(node)), default=0)
            if depths[key] > MAX_DEPTH:
                raise refuse("fm-alias-deep", levels=str(MAX_DEPTH))
            active.discard(key)
            continue
        if key in sizes:
            continue
        if key in active:
            raise refuse("fm-alias-self")
        active.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children(node) if isinstance(c, (dict, list)))
