"""The house: the package's rooms import one way, and each library through one module.

Reads every module's imports with ``ast`` (nothing is imported), so a test fails on an
import cycle, on an import that climbs the layering, and on a third-party library
imported outside the one module that owns it. See CONTRIBUTING.md for the map.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "adr_tool"

# room -> its layer; a module may import its own room and rooms of a lower layer.
LAYERS = {
    "errors": 0,
    "hashes": 0,
    "stamp": 1,
    "helpmemo": 2,
    "forked": 0,
    "wording": 0,
    "confine": 1,
    "model": 1,
    "config": 2,
    "records": 3,
    "git": 3,
    "publish": 4,
    "checks": 5,
    "actions": 6,
    "site": 6,
    "org": 6,
    "assist": 7,
    "cli": 8,
    "__main__": 9,
}
# Settings are read with the one YAML module, which imports nothing but errors.
EXCEPTIONS = {
    ("config", "adr_tool.records"),
    ("config", "adr_tool.records.frontmatter"),
}
# library (top-level import name) -> the only modules allowed to import it
OWNERS = {
    "click": "adr_tool.cli",
    "git": "adr_tool.git.repo",
    "jinja2": "adr_tool.publish.render",
    "ruamel": "adr_tool.records.frontmatter",
    "markdown_it": "adr_tool.site.markdown",
    "pathspec": "adr_tool.records.scope",
    "watchfiles": "adr_tool.site.serve",
    "mcp": "adr_tool.assist.server",
    "pydantic": "adr_tool.assist.server",  # the MCP SDK's schema language
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import in the file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            if node.module.startswith("adr_tool"):
                found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def internal_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for name, _ in imports(path):
            if name in MODULES and name != module:
                edges[module].add(name)
    return edges


def test_every_room_is_known_and_says_what_it_is_for() -> None:
    rooms = {room(m) for m in MODULES} - {"__init__"}
    assert rooms <= set(LAYERS), f"add the new room to LAYERS: {rooms - set(LAYERS)}"
    for package in PACKAGE.iterdir():
        init = package / "__init__.py"
        if init.is_file():
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
            assert "import" in doc and len(doc.splitlines()) >= 2, f"{init}: say what it may import"


def test_imports_point_down_the_layers() -> None:
    climbing = []
    for module, path in MODULES.items():
        here = room(module)
        if here == "__init__":
            continue
        for name, line in imports(path):
            if not name.startswith("adr_tool.") or name not in MODULES:
                continue
            there = room(name)
            if there == here or (here, name) in EXCEPTIONS:
                continue
            if LAYERS[there] >= LAYERS[here]:
                climbing.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert climbing == []


def test_no_import_cycles() -> None:
    edges = internal_edges()
    # packages import their own modules (cli registers commands): not a cycle of layers
    for module in edges:
        if MODULES[module].name == "__init__.py":
            edges[module] = {e for e in edges[module] if not e.startswith(module + ".")}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def test_each_library_is_imported_by_its_one_module() -> None:
    wrong = []
    for module, path in MODULES.items():
        for name, line in imports(path):
            top = name.split(".")[0]
            owner = OWNERS.get(top)
            if owner and not (module == owner or module.startswith(owner)):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    assert wrong == []


def test_cli_modules_only_register_and_wire() -> None:
    """Commands parse, call, print: no module of cli/ reaches GitPython, jinja2 or YAML."""
    for module, path in MODULES.items():
        if room(module) == "cli":
            text = path.read_text(encoding="utf-8")
            assert ("sys.exit" not in text and "ctx.exit(" not in text) or module.endswith(".app")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_is_over_about_four_hundred_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 440, f"{path.relative_to(PACKAGE.parent)} has {lines} lines: split it"
