"""A real server for the resource tests, curl, and the raw client of tests/support/rawhttp.py.

One server per test session (small stores so that eviction is cheap to
reach, an allowed redirect host, a short nonce lifetime); tests that need
other settings start their own with `make_server`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from statuskit.server import ServerConfig, ServerThread
from tests.support.rawhttp import Response as Raw, request as raw_request

SETTINGS = {
    "access_log": False,
    "max_sleep_ms": 3000,
    "allow_redirect_hosts": ("allowed.example", "other.example:8443"),
    "max_items": 5,
    "max_jobs": 3,
    "max_redirects": 40,
    "nonce_lifetime": 60,
    "max_body": 64 * 1024,
}

CURL_TIMEOUT = 10


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    with ServerThread(ServerConfig.from_options(port=0, **SETTINGS)) as thread:  # type: ignore[arg-type]
        yield thread


@pytest.fixture
def make_server() -> Iterator[Callable[..., ServerThread]]:
    started: list[ServerThread] = []

    def make(**overrides: object) -> ServerThread:
        thread = ServerThread(ServerConfig.from_options(port=0, **{**SETTINGS, **overrides})).start()  # type: ignore[arg-type]
        started.append(thread)
        return thread

    yield make
    for thread in started:
        thread.stop()


@pytest.fixture
def raw(server: ServerThread) -> Callable[..., Raw]:
    def send(
        target: str,
        method: str = "GET",
        headers: dict[str, str] | list[tuple[str, str]] | None = None,
        body: bytes = b"",
    ) -> Raw:
        return raw_request(server.port, target, method, headers, body)

    return send


@pytest.fixture(scope="session")
def curl_path(tool: Callable[[str], str]) -> str:
    return tool("curl")


@dataclass
class CurlResult:
    status: int
    body: str
    stderr: str


@pytest.fixture
def curl(curl_path: str) -> Callable[..., CurlResult]:
    """curl ARGS...: the last status code (-w) and the content; never hangs (--max-time)."""

    def run(*args: str) -> CurlResult:
        marker = "\n@@status="
        done = subprocess.run(
            [curl_path, "-sS", "--max-time", str(CURL_TIMEOUT), "-w", marker + "%{http_code}", *args],
            capture_output=True,
            text=True,
            timeout=CURL_TIMEOUT + 5,
        )
        body, _, code = done.stdout.rpartition(marker)
        return CurlResult(int(code or 0), body, done.stderr)

    return run
