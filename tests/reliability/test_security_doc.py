"""SECURITY.md's tables of limits, checked against the code, so that the page cannot drift.

Every limit of `ServerConfig` (the fields named max_*, *_timeout, *_grace,
and backlog) must have a row with its real default, and `statuskit serve
--help` must show the same default; the options table of a docs/*.md page
must list the option too. Every constant in the table of fixed bounds must have
the value the code has.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from statuskit.server import ServerConfig

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "SECURITY.md"


def _table(marker: str) -> list[list[str]]:
    text = SECURITY.read_text(encoding="utf-8")
    assert marker in text, f"SECURITY.md has no {marker!r} table"
    rows = []
    for line in text.split(marker, 1)[1].strip().splitlines():
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("option", "constant") or set(cells[0]) <= {"-", " "}:
            continue
        rows.append(cells)
    return rows


def _option(field: str) -> str:
    return "--" + field.removesuffix("_ms").replace("_", "-")


def _shown(value: object) -> str:
    if value == ():
        return "none"  # an empty list, as --help says it
    return f"{value:g}" if isinstance(value, float) else str(value)


LIMIT_FIELDS = [
    f.name
    for f in dataclasses.fields(ServerConfig)
    if f.name.startswith("max_") or f.name.endswith(("_timeout", "_grace")) or f.name == "backlog"
]
OPTIONS = {row[0].strip("`"): row for row in _table("<!-- limits: checked by tests/reliability/test_security_doc.py -->")}


@pytest.fixture(scope="module")
def serve_help() -> str:
    result = subprocess.run([sys.executable, "-m", "statuskit", "serve", "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    # The option descriptions, after the usage lines.
    return " ".join(result.stdout.split("options:", 1)[1].split())


@pytest.mark.parametrize("field", LIMIT_FIELDS)
def test_every_limit_has_a_row_with_its_default(field: str) -> None:
    option = _option(field)
    assert option in OPTIONS, f"SECURITY.md does not list {option} (ServerConfig.{field})"
    default = getattr(ServerConfig(), field)
    assert OPTIONS[option][1] == _shown(default), f"SECURITY.md says {option} defaults to {OPTIONS[option][1]}, the code {default}"


@pytest.mark.parametrize("option", sorted(OPTIONS))
def test_every_row_is_an_option_with_that_default(option: str, serve_help: str) -> None:
    fields = {_option(f.name): f.name for f in dataclasses.fields(ServerConfig)}
    assert option in fields, f"SECURITY.md lists {option}, which is not an option"
    default = _shown(getattr(ServerConfig(), fields[option]))
    assert OPTIONS[option][1] == default
    # The option's own help text, up to the next option.
    found = re.search(re.escape(option) + r" (.*?)(?= --[a-z]|$)", serve_help)
    assert found is not None, f"statuskit serve --help does not show {option}"
    assert f"(default {default})" in found.group(1) or f"default {default}:" in found.group(1), f"{option} in --help: {found.group(1)!r}"


@pytest.mark.parametrize("field", LIMIT_FIELDS)
def test_the_docs_list_every_limit(field: str) -> None:
    # In the options table of the page of its part: docs/server.md, resources-a.md, plugin.md...
    rows = [line for page in sorted((ROOT / "docs").glob("*.md")) for line in page.read_text(encoding="utf-8").splitlines()]
    assert any(line.startswith(f"| `{_option(field)}") for line in rows), f"no docs/*.md options table lists {_option(field)}"


@pytest.mark.parametrize("row", _table("<!-- constants: checked by tests/reliability/test_security_doc.py -->"), ids=lambda row: row[0])
def test_every_fixed_bound_has_the_value_of_the_code(row: list[str]) -> None:
    module, _, name = row[0].strip("`").rpartition(".")
    value = getattr(importlib.import_module(module), name)
    assert row[1] == _shown(value), f"SECURITY.md says {row[0]} is {row[1]}, the code {value}"
