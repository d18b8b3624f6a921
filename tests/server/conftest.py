"""A real server on a free loopback port, talked to with the raw client of tests/support/rawhttp.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from statuskit.server import ServerConfig, ServerThread
from tests.support.rawhttp import Connection, Response

# Limits of the shared test server: small, so that each can be reached cheaply.
LIMITS = {
    "max_target": 1024,
    "max_header_bytes": 4096,
    "max_headers": 20,
    "max_body": 64 * 1024,
    "request_timeout": 1.0,
    "keepalive_timeout": 2.0,
    "max_sleep_ms": 3000,
    "send_timeout": 3.0,
    "access_log": False,
}


@dataclass
class Live:
    """The running server of a test and ways to talk to it."""

    thread: ServerThread
    connections: list[Connection] = field(default_factory=list)

    @property
    def host(self) -> str:
        return self.thread.host

    @property
    def port(self) -> int:
        return self.thread.port

    @property
    def url(self) -> str:
        return self.thread.url

    def connect(self) -> Connection:
        raw = Connection(self.host, self.port)
        self.connections.append(raw)
        return raw

    def request(
        self, target: str, method: str = "GET", headers: str = "", body: bytes = b"", version: str = "1.1"
    ) -> Response:
        """One request on a new connection; the response must come."""
        raw = self.connect()
        length = f"Content-Length: {len(body)}\r\n" if body else ""
        raw.send(f"{method} {target} HTTP/{version}\r\nHost: test\r\n{headers}{length}\r\n".encode("latin-1") + body)
        response = raw.response(method)
        assert response is not None, f"no response to {method} {target}"
        return response

    def send(self, data: bytes, method: str = "GET") -> tuple[Response | None, Connection]:
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
    with ServerThread(ServerConfig.from_options(port=0, **LIMITS)) as thread:  # type: ignore[arg-type]
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
        config = ServerConfig.from_options(port=0, **{**LIMITS, **overrides})  # type: ignore[arg-type]
        live = Live(ServerThread(config).start())
        started.append(live)
        return live

    yield make
    for live in started:
        live.close_all()
        live.thread.stop()
