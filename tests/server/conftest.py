"""A real server on a free loopback port, and a raw-socket client that shows every byte.

The raw client parses responses itself (interim 1xx included, framing by
Content-Length or by close) so that tests see exactly what was on the wire;
real HTTP clients are exercised in tests/e2e.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from statuskit.server import ServerConfig, ServerThread

# Limits of the shared test server: small, so that each can be reached cheaply.
LIMITS = dict(
    max_target=1024,
    max_header_bytes=4096,
    max_headers=20,
    max_body=64 * 1024,
    request_timeout=1.0,
    keepalive_timeout=2.0,
    max_sleep_ms=3000,
    send_timeout=3.0,
    access_log=False,
)

# Every read gives up after this long (seconds): no test can hang.
READ_TIMEOUT = 5.0


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    interims: list[Response] = field(default_factory=list)
    raw_head: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    def has(self, name: str) -> bool:
        return self.header(name) is not None


class Raw:
    """One TCP connection; `send` bytes, `response()` reads and parses the next response."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port), timeout=READ_TIMEOUT)
        self.buffer = b""
        self.closed = False

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self, deadline: float) -> bool:
        if self.closed:
            return False
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = self.sock.recv(65536)
        except (TimeoutError, socket.timeout):
            return False
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.closed = True
            return False
        self.buffer += chunk
        return True

    def read_head(self, timeout: float = READ_TIMEOUT) -> bytes | None:
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buffer:
            if time.monotonic() > deadline or not self._fill(deadline):
                return None
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        return head

    def read_exactly(self, size: int, timeout: float = READ_TIMEOUT) -> bytes:
        deadline = time.monotonic() + timeout
        while len(self.buffer) < size:
            if time.monotonic() > deadline or not self._fill(deadline):
                break
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def read_to_close(self, timeout: float = READ_TIMEOUT) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._fill(deadline):
            pass
        data, self.buffer = self.buffer, b""
        return data

    def response(self, method: str = "GET", timeout: float = READ_TIMEOUT) -> Response | None:
        """The next final response (interim ones collected on it); None if the connection ends first."""
        interims: list[Response] = []
        while True:
            head = self.read_head(timeout)
            if head is None:
                return None
            lines = head.decode("latin-1").split("\r\n")
            version, status_text, *rest = lines[0].split(" ", 2)
            assert version == "HTTP/1.1", lines[0]
            status = int(status_text)
            headers = [(n, v.strip()) for n, v in (line.split(":", 1) for line in lines[1:])]
            response = Response(status, rest[0] if rest else "", headers, raw_head=head)
            if 100 <= status < 200 and status != 101:
                interims.append(response)
                continue
            response.interims = interims
            if method == "HEAD" or status in (101, 204, 304):
                return response
            length = response.header("content-length")
            if length is not None:
                response.body = self.read_exactly(int(length), timeout)
            else:
                response.body = self.read_to_close(timeout)
            return response

    def is_closed(self, timeout: float = 2.0) -> bool:
        """Does the server close the connection (without sending more) within `timeout`?"""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            if not self._fill(deadline) and not self.closed:
                break
        return self.closed

    def close(self) -> None:
        self.sock.close()


@dataclass
class Live:
    """The running server of a test and ways to talk to it."""

    thread: ServerThread
    connections: list[Raw] = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.thread.host

    @property
    def port(self) -> int:
        return self.thread.port

    @property
    def url(self) -> str:
        return self.thread.url

    def connect(self) -> Raw:
        raw = Raw(self.host, self.port)
        self.connections.append(raw)
        return raw

    def request(self, target: str, method: str = "GET", headers: str = "", body: bytes = b"", version: str = "1.1") -> Response:
        """One request on a new connection; the response must come."""
        raw = self.connect()
        length = f"Content-Length: {len(body)}\r\n" if body else ""
        raw.send(f"{method} {target} HTTP/{version}\r\nHost: test\r\n{headers}{length}\r\n".encode("latin-1") + body)
        response = raw.response(method)
        assert response is not None, f"no response to {method} {target}"
        return response

    def send(self, data: bytes, method: str = "GET") -> tuple[Response | None, Raw]:
        raw = self.connect()
        raw.send(data)
        return raw.response(method), raw

    def assert_serving(self) -> None:
        """The server still answers a plain request on a new connection."""
        response = self.request("/200")
        assert response.status == 200

    def close_all(self) -> None:
        for raw in self.connections:
            raw.close()
        self.connections.clear()


@pytest.fixture(scope="session")
def _shared_server() -> Iterator[ServerThread]:
    with ServerThread(ServerConfig(port=0, **LIMITS)) as thread:  # type: ignore[arg-type]
        yield thread


@pytest.fixture
def live(_shared_server: ServerThread) -> Iterator[Live]:
    """The shared server (small limits, see LIMITS)."""
    live = Live(_shared_server)
    yield live
    live.close_all()


@pytest.fixture
def make_live() -> Iterator[object]:
    """A dedicated server with other limits: `make_live(max_connections=2)`."""
    started: list[Live] = []

    def make(**overrides: object) -> Live:
        config = ServerConfig(port=0, **{**LIMITS, **overrides})  # type: ignore[arg-type]
        live = Live(ServerThread(config).start())
        started.append(live)
        return live

    yield make
    for live in started:
        live.close_all()
        live.thread.stop()
