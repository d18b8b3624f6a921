"""The tests' one raw-HTTP client: bytes out on a real socket, every byte of the answer back.

Real clients (httpx, curl, browsers) are exercised in tests/e2e; this one
hides nothing, so that tests see exactly what was on the wire. Three ways in:

- `Connection`: one TCP connection; send bytes, read heads, exact sizes,
  to the close, or the next response (interim 1xx collected on it).
- `converse`: send bytes on a new connection (half-closed after) and read
  until the server closes, for the reliability tests' strict reader.
- `request`: one request with `Connection: close`, its response parsed.

Every read gives up after its timeout: no test can hang.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

READ_TIMEOUT = 5.0


@dataclass
class Response:
    """A response as it came off the wire: status line, fields in order, content, interim responses before it."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    interims: list[Response] = field(default_factory=list)
    head: bytes = b""

    @property
    def raw_head(self) -> bytes:
        return self.head

    def header(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    def has(self, name: str) -> bool:
        return self.header(name) is not None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


def parse_head(head: bytes) -> Response:
    """A status line and field lines (without the blank line); the server speaks HTTP/1.1 only."""
    status_line, *field_lines = head.decode("latin-1").split("\r\n")
    version, code, *reason = status_line.split(" ", 2)
    assert version == "HTTP/1.1", status_line
    headers = [(name, value.strip()) for name, value in (line.split(":", 1) for line in field_lines)]
    return Response(int(code), reason[0] if reason else "", headers, head=head)


class Connection:
    """One TCP connection; `send` bytes, `response()` reads and parses the next response."""

    def __init__(self, host: str, port: int, timeout: float = READ_TIMEOUT) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
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
        except TimeoutError:
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
            response = parse_head(head)
            if 100 <= response.status < 200 and response.status != 101:
                interims.append(response)
                continue
            response.interims = interims
            if method == "HEAD" or response.status in (101, 204, 304):
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


def converse(
    host: str, port: int, data: bytes, *, half_close: bool = True, timeout: float = READ_TIMEOUT
) -> tuple[bytes, bool]:
    """Send `data` on a new connection (then half-close) and read until the server closes.

    Returns what was read and whether the server closed (False: it still held
    the connection open after `timeout`).
    """
    connection = Connection(host, port, timeout)
    try:
        try:
            connection.send(data)
            if half_close:
                connection.sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused part-way: what was answered is still to be read
        received = connection.read_to_close(timeout)
    finally:
        connection.close()
    return received, connection.closed


def request(
    port: int,
    target: str,
    method: str = "GET",
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes = b"",
    host: str = "127.0.0.1",
) -> Response:
    """One request with `Connection: close`; the first response in what was read to the close."""
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
    received, _ = converse("127.0.0.1", port, data, half_close=False)
    head, _, rest = received.partition(b"\r\n\r\n")
    response = parse_head(head)
    length = response.header("content-length")
    response.body = rest if length is None or method == "HEAD" else rest[: int(length)]
    return response
