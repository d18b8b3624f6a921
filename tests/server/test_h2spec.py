"""h2spec, the HTTP/2 conformance suite, against the server on h2c and over TLS.

The binary lives beside the project in shared/tools/h2spec (no registry
carries it; its README says how it was built). Without it this test skips
with that reason, and fails in CI (STATUSKIT_REQUIRE_TOOLS=1, the rule of
tests/conftest.py).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from statuskit.server import ServerConfig, ServerThread
from statuskit.server.tls import LocalAuthority
from tests.conftest import tool_unavailable
from tests.server.conftest import LIMITS

ROOT = Path(__file__).resolve().parents[2]
# shared/ sits beside the repository (CI, the main checkout), or beside the worktrees' folder.
CANDIDATES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]

# Cases that fail on h2c, each explained in docs/server.md ("Conformance").
H2C_EXPECTED_FAILURES = {"3.5. HTTP/2 Connection Preface": "2: Sends invalid connection preface"}


def _h2spec() -> str | None:
    explicit = os.environ.get("STATUSKIT_H2SPEC")
    paths = [Path(explicit)] if explicit else [base / "tools" / "h2spec" / "h2spec" for base in CANDIDATES]
    return next((str(path) for path in paths if os.access(path, os.X_OK)), None)


def _run(port: int, *tls: str) -> tuple[int, int, str]:
    h2spec = _h2spec()
    if h2spec is None:
        tool_unavailable("h2spec", "not found in ../shared/tools/h2spec (or set STATUSKIT_H2SPEC)")
    result = subprocess.run(
        [h2spec, "-h", "127.0.0.1", "-p", str(port), "-o", "5", *tls],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = re.search(r"(\d+) tests, (\d+) passed, \d+ skipped, (\d+) failed", result.stdout)
    assert found is not None, result.stdout[-2000:] + result.stderr
    failures = result.stdout.split("Failures:", 1)[1] if "Failures:" in result.stdout else ""
    return int(found.group(1)), int(found.group(3)), failures


def test_h2spec_on_h2c(live) -> None:
    total, failed, failures = _run(live.port)
    assert total >= 146
    assert failed == len(H2C_EXPECTED_FAILURES), failures
    for section, case in H2C_EXPECTED_FAILURES.items():
        assert section in failures and case in failures, failures


def test_h2spec_over_tls() -> None:
    config = ServerConfig.from_options(port=0, ssl=LocalAuthority().server_context(), **LIMITS)  # type: ignore[arg-type]
    with ServerThread(config) as thread:
        total, failed, failures = _run(thread.port, "-t", "-k")
    assert total >= 146
    assert failed == 0, failures
