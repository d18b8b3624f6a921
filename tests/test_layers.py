"""One-way imports: every module of every package against the layer list of ARCHITECTURE.md.

The list is read from the file (its ```layers block), so the file stays the
truth: a module may import its own package and the layers below its line,
never a layer above nor a neighbour on its own line. Imports inside
functions and under TYPE_CHECKING count too: they are imports all the same.
"""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

import statuskit

PACKAGE = pathlib.Path(statuskit.__file__).resolve().parent
ARCHITECTURE = pathlib.Path(__file__).resolve().parent.parent / "ARCHITECTURE.md"

# The responder is sans-IO: the engine above it owns sockets, clocks and threads.
SANS_IO = {"responder": ("asyncio", "socket", "selectors", "time", "threading")}


def layers() -> list[list[str]]:
    """The layers, top first, each a list of top-level names (packages, modules, or `statuskit` for __init__)."""
    found = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert found is not None, "ARCHITECTURE.md has no ```layers block"
    return [line.split() for line in found.group(1).splitlines() if line.strip()]


RANKS = {name: rank for rank, row in enumerate(reversed(layers())) for name in row}


def _unit(path: pathlib.Path) -> str:
    """The top-level name a file belongs to: its package, its module, or `statuskit` for the package's __init__."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return "statuskit" if parts == ("__init__",) else parts[0]


def _targets(node: ast.AST) -> list[str]:
    """The statuskit units an import statement reaches."""
    if isinstance(node, ast.Import):
        modules = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        modules = [node.module]
        if node.module == "statuskit":  # `from statuskit import semantics` reaches the submodule
            modules = [f"statuskit.{alias.name}" for alias in node.names]
    else:
        return []
    units = []
    for module in modules:
        parts = module.split(".")
        if parts[0] != "statuskit":
            continue
        if len(parts) == 1 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
            units.append("statuskit")  # a public name of the package's __init__
        else:
            units.append(parts[1])
    return units


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert MODULES
    missing = sorted({_unit(path) for path in MODULES} - set(RANKS))
    assert not missing, f"not in ARCHITECTURE.md's layer list: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_go_down(path: pathlib.Path) -> None:
    unit = _unit(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        for target in _targets(node):
            if target == unit:
                continue
            assert target in RANKS, f"{target} is not in ARCHITECTURE.md's layer list"
            assert RANKS[target] < RANKS[unit], f"{unit} imports {target}, which is not below it"


@pytest.mark.parametrize("layer", sorted(SANS_IO))
def test_sans_io_layers_do_no_io(layer: str) -> None:
    modules = sorted((PACKAGE / layer).rglob("*.py"))
    assert modules
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in SANS_IO[layer], f"{path.relative_to(PACKAGE)} imports {name}"


def test_the_check_can_fail() -> None:
    # An upward import is caught: the engine importing the CLI.
    node = ast.parse("from statuskit.cli import serve")
    assert [RANKS[target] < RANKS["server"] for target in _targets(node.body[0])] == [False]
    assert _targets(ast.parse("from statuskit import __version__").body[0]) == ["statuskit"]
