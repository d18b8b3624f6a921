"""The JSON of every command is what the docs say: README's "JSON output" tables and docs/lint.md's example.

Each documented shape is read from the docs (keys, and the keys of nested
objects) and compared with what the command prints, both ways: a key the
program adds must be documented, a documented key must be printed.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINT_DOC = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")

Shape = dict[str, Any] | list[Any] | None


def run(*args: str, stdin: bytes = b"") -> tuple[int, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    done = subprocess.run(
        [sys.executable, "-m", "statuskit", *args], input=stdin, capture_output=True, env=env, timeout=60
    )
    return done.returncode, json.loads(done.stdout)


def shape(value: Any) -> Shape:
    """The keys of a JSON value, nested: objects by their keys, arrays by their first element."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value and isinstance(value[0], (dict, list)) else []
    return None


def table(title: str) -> list[tuple[list[str], str]]:
    """The rows of the README table after `title`: (the keys of the first cell, the second cell)."""
    text = README.split(title, 1)[1]
    text = text[text.index("\n|") + 1 :]
    rows = []
    for line in text.split("\n\n", 1)[0].splitlines()[2:]:
        keys, meaning = line.strip("|").split(" | ", 1)
        rows.append((re.findall(r"`([^`]+)`", keys), meaning))
    return rows


def nested(spec: str) -> Shape:
    """`{a, b {c}}` or `[{a, b}]` as written in a table cell, as a shape."""
    spec = spec.strip()
    if spec.startswith("[") and spec.endswith("]"):
        return [nested(spec[1:-1])]
    assert spec.startswith("{") and spec.endswith("}"), spec
    out: dict[str, Any] = {}
    depth, start = 0, 1
    for index, char in enumerate(spec[1:-1], start=1):
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        if char == "," and depth == 0:
            out.update(member(spec[start:index]))
            start = index + 1
    out.update(member(spec[start:-1]))
    return out


def member(text: str) -> dict[str, Shape]:
    name, _, rest = text.strip().partition(" ")
    return {name: nested(rest) if rest else None}


def documented_status() -> dict[str, Shape]:
    out: dict[str, Shape] = {}
    for keys, meaning in table("A status document"):
        for key in keys:
            out[key] = None
        if keys == ["spec"]:
            out["spec"] = nested(re.search(r"`(\{[^`]*\})`", meaning).group(1))  # type: ignore[union-attr]
        if keys == ["semantics"]:
            parts = re.findall(r"`([^`]+)`", meaning.split(";")[0])
            out["semantics"] = nested("{" + ", ".join(parts) + "}")
    return out


def documented_class() -> dict[str, Shape]:
    out: dict[str, Shape] = {key: None for keys, _ in table("A class document") for key in keys}
    out["codes"] = [documented_status()]
    return out


def same(documented: Shape, printed: Shape, where: str = "") -> None:
    """Every key documented is printed and every key printed is documented, at every level."""
    if isinstance(documented, dict) and isinstance(printed, dict):
        assert set(documented) == set(printed), (
            f"{where or 'top'}: documented {sorted(documented)}, printed {sorted(printed)}"
        )
        for key in documented:
            same(documented[key], printed[key], f"{where}.{key}")
    elif isinstance(documented, list) and documented and printed:
        assert isinstance(printed, list), where
        same(documented[0], printed[0], f"{where}[]")


def test_the_tables_are_read() -> None:
    status = documented_status()
    assert {"code", "semantics", "spec"} <= set(status) and isinstance(status["semantics"], dict)
    assert status["semantics"]["fields"] == [
        {"field": None, "level": None, "section": None, "condition": None, "when": None, "value": None}
    ]


@pytest.mark.parametrize("item", ["404", "471", "520", "Not Found"])
def test_explain_prints_an_array_of_status_documents(item: str) -> None:
    code, printed = run(item, "--json")
    assert code == 0 and isinstance(printed, list) and len(printed) == 1
    same(documented_status(), shape(printed[0]))


def test_a_class_is_an_array_holding_one_class_document() -> None:
    code, printed = run("4xx", "--json")
    assert code == 0 and isinstance(printed, list) and len(printed) == 1
    same(documented_class(), shape(printed[0]))
    code, mixed = run("404", "4xx", "--json")
    assert [d.get("code", d.get("class")) for d in mixed] == [404, "4xx"]


@pytest.mark.parametrize("args", [["list", "--json"], ["list", "1xx", "--json"], ["search", "timeout", "--json"]])
def test_list_and_search_print_arrays_of_status_documents(args: list[str]) -> None:
    code, printed = run(*args)
    assert code == 0 and isinstance(printed, list) and printed
    for document in printed:
        same(documented_status(), shape(document))


def test_nothing_found_is_an_empty_array_and_exit_1() -> None:
    assert run("search", "zzzzqqq", "--json") == (1, [])
    assert run("list", "1xx", "--registered", "--standing", "unofficial", "--json") == (1, [])


def test_the_server_sends_the_status_document() -> None:
    import httpx

    from statuskit.server import ServerConfig, ServerThread

    with ServerThread(ServerConfig.from_options(port=0, access_log=False)) as server:
        printed = httpx.get(server.url_for("/418"), headers={"Accept": "application/json"}, timeout=10).json()
    same(documented_status(), shape(printed))


def lint_example() -> dict[str, Any]:
    block = LINT_DOC.split("### JSON output", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)```", block, re.S).group(1))  # type: ignore[union-attr,no-any-return]


RAW_401 = b"HTTP/1.1 401 Unauthorized\r\nDate: Mon, 02 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n"


def test_check_prints_the_object_of_docs_lint() -> None:
    code, printed = run("check", "-", "-X", "GET", "--json", stdin=RAW_401)
    assert code == 1 and printed["exchanges"][0]["findings"]
    same(shape(lint_example()), shape(printed))


def test_a_check_that_fails_prints_the_same_object_with_its_error() -> None:
    code, printed = run("check", "-", "--json", stdin=b"not http\n")
    assert code == 2 and printed["error"] and printed["exchanges"] == [] and printed["exit"] == 2
    assert set(printed) == set(lint_example())
