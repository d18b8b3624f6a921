"""One-way imports (ARCHITECTURE.md): the responder is sans-IO and knows nothing of the engine above it."""

from __future__ import annotations

import ast
import pathlib

import pytest

import statuskit

PACKAGE = pathlib.Path(statuskit.__file__).resolve().parent

# What each layer must not import: the layers above it, and I/O for the sans-IO responder.
FORBIDDEN = {
    "responder": ("statuskit.server", "statuskit.cli", "statuskit.lint", "asyncio", "socket", "selectors", "time", "threading"),
    "server": ("statuskit.cli", "statuskit.lint"),
}


def _imports(path: pathlib.Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_below_it(layer: str) -> None:
    modules = sorted((PACKAGE / layer).glob("*.py"))
    assert modules
    for module in modules:
        for name in _imports(module):
            for forbidden in FORBIDDEN[layer]:
                assert name != forbidden and not name.startswith(forbidden + "."), f"{module.name} imports {name}"
