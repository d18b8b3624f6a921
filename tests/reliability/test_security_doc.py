"""SECURITY.md's tables of limits, checked against the code, so that the page cannot drift.

The limits table is made from the fields' metadata (`limits_table()`), and
must read as made; every limit (the options named max_*, *_timeout,
*_grace, and backlog) must have a row, and `statuskit serve --help` must show
the same default; the options table of a docs/*.md page
must list the option too. Every constant in the table of fixed bounds must have
the value the code has.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from statuskit.server.config import Option, limits_table, options, shown

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


LIMITS = [
    spec
    for spec in options()
    if spec.name.startswith("max_") or spec.name.endswith(("_timeout", "_grace")) or spec.name == "backlog"
]
LIMITS_MARKER = (
    "<!-- limits: made by statuskit.server.config.limits_table() from the fields; checked by "
    "tests/reliability/test_security_doc.py -->"
)
OPTIONS = {row[0].strip("`"): row for row in _table(LIMITS_MARKER)}


def test_the_limits_table_is_the_one_the_fields_make() -> None:
    text = SECURITY.read_text(encoding="utf-8")
    assert text.split(LIMITS_MARKER, 1)[1].strip().startswith(limits_table()), "run limits_table() and paste it"
    assert len(OPTIONS) == limits_table().count("\n") - 1


@pytest.fixture(scope="module")
def serve_help() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "statuskit", "serve", "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    # The option descriptions, after the usage lines.
    return " ".join(result.stdout.split("options:", 1)[1].split())


@pytest.mark.parametrize("spec", LIMITS, ids=lambda spec: spec.flag)
def test_every_limit_has_a_row_with_its_default(spec: Option) -> None:
    assert spec.flag in OPTIONS, f"SECURITY.md does not list {spec.flag} ({spec.name}): give its field bounds=..."
    assert OPTIONS[spec.flag][1] == shown(spec.default)


@pytest.mark.parametrize("spec", [spec for spec in options() if spec.bounds], ids=lambda spec: spec.flag)
def test_every_row_is_an_option_with_that_default_in_help(spec: Option, serve_help: str) -> None:
    # The option's own help text, up to the next option.
    found = re.search(re.escape(spec.flag) + r" (.*?)(?= --[a-z]|$)", serve_help)
    assert found is not None, f"statuskit serve --help does not show {spec.flag}"
    default = shown(spec.default)
    text = found.group(1)
    assert f"(default {default})" in text or f"default {default}:" in text, f"{spec.flag} in --help: {text!r}"


@pytest.mark.parametrize("spec", LIMITS, ids=lambda spec: spec.flag)
def test_the_docs_list_every_limit(spec: Option) -> None:
    # In the options table of the page of its part: docs/server.md, resources-a.md, plugin.md...
    rows = [
        line for page in sorted((ROOT / "docs").glob("*.md")) for line in page.read_text(encoding="utf-8").splitlines()
    ]
    assert any(line.startswith(f"| `{spec.flag}") for line in rows), f"no docs/*.md options table lists {spec.flag}"


@pytest.mark.parametrize(
    "row", _table("<!-- constants: checked by tests/reliability/test_security_doc.py -->"), ids=lambda row: row[0]
)
def test_every_fixed_bound_has_the_value_of_the_code(row: list[str]) -> None:
    module, _, name = row[0].strip("`").rpartition(".")
    value = getattr(importlib.import_module(module), name)
    assert row[1] == shown(value), f"SECURITY.md says {row[0]} is {row[1]}, the code {value}"
