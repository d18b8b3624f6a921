"""The one rule for external tools (tests/conftest.py): a test that needs a
program the machine lacks skips with an install hint, and fails when
STATUSKIT_REQUIRE_TOOLS=1 (CI) or the older STATUSKIT_REQUIRE_BROWSER=1 is set.

Proven on real tests with curl taken off PATH: one asks `tool("curl")` in its
body, one through the `curl` fixture, one carries `@pytest.mark.tools("curl")`.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CURL_TESTS = [
    "tests/lint/test_cli.py::test_stdin_from_curl",
    "tests/resources/test_auth.py::test_bearer_with_curl",
    "tests/e2e/test_http_clients.py::test_curl_json_and_range",
]


def run_without_curl(tmp_path: pathlib.Path, **variables: str) -> str:
    env = {
        **os.environ,
        "PATH": str(tmp_path),
        "STATUSKIT_REQUIRE_TOOLS": "",
        "STATUSKIT_REQUIRE_BROWSER": "",
        **variables,
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsfE", "-p", "no:cacheprovider", *CURL_TESTS],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    return done.stdout


def test_a_missing_tool_skips_with_how_to_install_it(tmp_path: pathlib.Path) -> None:
    out = run_without_curl(tmp_path)
    assert "3 skipped" in out, out
    assert "curl: not found on PATH (install: apt-get install curl)" in out, out
    assert "failed" not in out and "error" not in out, out


@pytest.mark.parametrize("variable", ["STATUSKIT_REQUIRE_TOOLS", "STATUSKIT_REQUIRE_BROWSER"])
def test_a_missing_tool_fails_where_tools_are_required(tmp_path: pathlib.Path, variable: str) -> None:
    out = run_without_curl(tmp_path, **{variable: "1"})
    assert "skipped" not in out, out
    assert "1 failed, 2 errors" in out, out  # a failure in setup (fixture, marker) is an error
    assert "STATUSKIT_REQUIRE_TOOLS=1 requires it" in out
