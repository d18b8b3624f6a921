"""The shape of statuskit.semantics: small modules, each citing what it states, one table of exports."""

from __future__ import annotations

import ast
import pathlib
import re

from statuskit import semantics

PACKAGE = pathlib.Path(semantics.__file__).parent
MODULES = sorted(path for path in PACKAGE.glob("*.py") if path.name != "__init__.py")


def test_every_module_is_small_and_opens_with_its_sections() -> None:
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 250, path.name
        doc = ast.get_docstring(ast.parse(text)) or ""
        if not path.name.startswith("_"):
            assert re.search(r"RFC \d+ §\d", doc), f"{path.name} does not open with the sections it states"


def _defined(path: pathlib.Path) -> set[str]:
    """The public names a module defines at its top level (not those it imports)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {name for name in names if not name.startswith("_")} - {"TYPE_CHECKING"}


def test_the_export_table_matches_the_modules() -> None:
    # Everything public a module defines is exported from the package, and from that module.
    for path in MODULES:
        if path.name.startswith("_"):
            assert path.stem not in semantics._HOME
            assert not _defined(path) - {"as_status", "as_code", "NamedTuple"}
        else:
            assert _defined(path) == set(semantics._HOME[path.stem]), path.name


def test_the_type_checking_imports_match_the_table() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    guarded = next(node for node in tree.body if isinstance(node, ast.If))
    imported = {
        node.module.rsplit(".", 1)[1]: tuple(alias.name for alias in node.names)
        for node in guarded.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("statuskit.semantics.")
    }
    assert imported == semantics._HOME


def test_every_name_resolves_and_unknown_names_fail() -> None:
    for name in semantics.__all__:
        assert getattr(semantics, name) is not None, name
    assert set(semantics.__all__) <= set(dir(semantics))
    try:
        semantics.no_such_rule  # noqa: B018
    except AttributeError as exc:
        assert "no_such_rule" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")
