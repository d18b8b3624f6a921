"""A real server for the resource tests, curl, and a raw-socket client that shows the exact response.

One server per test session (small stores so that eviction is cheap to
reach, an allowed redirect host, a short nonce lifetime); tests that need
other settings start their own with `make_server`.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from statuskit.server import ServerConfig, ServerThread

SETTINGS = dict(
    access_log=False,
    max_sleep_ms=3000,
    allow_redirect_host=("allowed.example", "other.example:8443"),
    max_items=5,
    max_jobs=3,
    max_redirects=40,
    nonce_lifetime=60,
    max_body=64 * 1024,
)

READ_TIMEOUT = 5.0
CURL_TIMEOUT = 10


@dataclass
class Raw:
    """A response as it came off the wire: status line, fields in order, content."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    head: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


def raw_request(
    port: int,
    target: str,
    method: str = "GET",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes = b"",
    host: str = "127.0.0.1",
) -> Raw:
    """One request with `Connection: close`; the whole response read to the end (bounded by READ_TIMEOUT)."""
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    names = {name.lower() for name, _ in pairs}
    lines = [f"{method} {target} HTTP/1.1"]
    if "host" not in names:
        lines.append(f"Host: {host}:{port}")
    lines.extend(f"{name}: {value}" for name, value in pairs)
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) as sock:
        sock.sendall(data)
        chunks = []
        deadline = time.monotonic() + READ_TIMEOUT
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    received = b"".join(chunks)
    head, _, rest = received.partition(b"\r\n\r\n")
    status_line, *field_lines = head.decode("latin-1").split("\r\n")
    version, code, *reason = status_line.split(" ", 2)
    assert version == "HTTP/1.1", status_line
    fields = [(n, v.strip()) for n, v in (line.split(":", 1) for line in field_lines)]
    length = next((int(v) for n, v in fields if n.lower() == "content-length"), None)
    content = rest if length is None else rest[:length]
    if method == "HEAD":
        content = rest
    return Raw(int(code), reason[0] if reason else "", fields, content, head)


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    with ServerThread(ServerConfig(port=0, **SETTINGS)) as thread:  # type: ignore[arg-type]
        yield thread


@pytest.fixture
def make_server() -> Iterator[Callable[..., ServerThread]]:
    started: list[ServerThread] = []

    def make(**overrides: object) -> ServerThread:
        thread = ServerThread(ServerConfig(port=0, **{**SETTINGS, **overrides})).start()  # type: ignore[arg-type]
        started.append(thread)
        return thread

    yield make
    for thread in started:
        thread.stop()


@pytest.fixture
def raw(server: ServerThread) -> Callable[..., Raw]:
    def send(target: str, method: str = "GET", headers: dict[str, str] | list[tuple[str, str]] | None = None, body: bytes = b"") -> Raw:
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
