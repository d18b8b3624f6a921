"""A raw HTTP/2 client on the `h2` library: every frame the server sends, as events, for tests.

    with H2Client(port) as client:                # h2c with prior knowledge (or tls=context: h2 by ALPN)
        response = client.request("/103")         # interim responses, fields, content, how the stream ended
        client.conn.send_headers(...)             # or write hostile frames by hand and read `client.events()`

Unlike httpx or curl it shows interim HEADERS, RST_STREAM and GOAWAY as
they come, and lets a test send what no well-behaved client would.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Self

import h2.config
import h2.connection
import h2.events
import h2.exceptions
from hyperframe.frame import Frame

READ_TIMEOUT = 5.0


@dataclass
class H2Response:
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    interims: list[H2Response] = field(default_factory=list)
    reset: int | None = None  # the RST_STREAM error code, if the stream was reset
    ended: bool = False  # END_STREAM arrived
    data_frames: int = 0  # DATA frames with content or END_STREAM
    goaway: int | None = None  # the GOAWAY error code, if the connection ended

    @property
    def reason(self) -> str:
        return ""  # HTTP/2 has no reason phrase (RFC 9113 §8.3.2)

    def header(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.headers:
            if key == name.lower():
                return value
        return default

    def has(self, name: str) -> bool:
        return self.header(name) is not None


class H2Client:
    def __init__(
        self,
        port: int,
        host: str = "127.0.0.1",
        *,
        tls: ssl.SSLContext | None = None,
        server_hostname: str = "localhost",
        settings: dict[int, int] | None = None,
        validate: bool = True,
    ) -> None:
        sock = socket.create_connection((host, port), timeout=READ_TIMEOUT)
        if tls is not None:
            tls.set_alpn_protocols(["h2"])
            sock = tls.wrap_socket(sock, server_hostname=server_hostname)
            assert sock.selected_alpn_protocol() == "h2", "the server did not choose h2 by ALPN"
        self.sock = sock
        config = h2.config.H2Configuration(
            client_side=True,
            header_encoding="latin-1",
            validate_inbound_headers=validate,
            validate_outbound_headers=validate,
            normalize_outbound_headers=validate,
        )
        self.conn = h2.connection.H2Connection(config)
        self.conn.initiate_connection()
        if settings:
            self.conn.update_settings(settings)
        self.closed = False
        self.goaway: h2.events.ConnectionTerminated | None = None
        self.remote_settings: dict[int, int] = {}
        self.pending: list[Any] = []
        self.flush()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        data = self.conn.data_to_send()
        if data and not self.closed:
            try:
                self.sock.sendall(data)
            except OSError:
                self.closed = True

    def send_raw(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError:
            self.closed = True

    def events(self, timeout: float = READ_TIMEOUT, until: Any = None) -> list[Any]:
        """Events read until `until(event)` is true, the connection ends, or `timeout` passes."""
        deadline = time.monotonic() + timeout
        seen: list[Any] = []
        while True:
            seen.extend(self.pending)
            self.pending = []
            if until is not None and any(until(event) for event in seen):
                return seen
            if self.closed or time.monotonic() > deadline:
                return seen
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                return seen
            except (ConnectionResetError, ssl.SSLError, OSError):
                data = b""
            if not data:
                self.closed = True
                continue
            try:
                new = self.conn.receive_data(data)
            except h2.exceptions.ProtocolError as exc:
                self.closed = True
                seen.append(exc)
                continue
            for event in new:
                if isinstance(event, h2.events.DataReceived):
                    self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                if isinstance(event, h2.events.ConnectionTerminated):
                    self.goaway = event
                if isinstance(event, h2.events.RemoteSettingsChanged):
                    self.remote_settings.update({int(k): v.new_value for k, v in event.changed_settings.items()})
            self.pending.extend(new)
            self.flush()

    def raw_frames(self, timeout: float = READ_TIMEOUT) -> list[Any]:
        """Every frame until the connection closes or `timeout` passes, parsed without h2's state machine."""
        deadline = time.monotonic() + timeout
        data = b""
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                break
            data += chunk
        self.closed = True
        frames = []
        while len(data) >= 9:
            frame, length = Frame.parse_frame_header(memoryview(data[:9]))
            if len(data) < 9 + length:
                break
            frame.parse_body(memoryview(data[9 : 9 + length]))
            frames.append(frame)
            data = data[9 + length :]
        return frames

    def start(
        self, target: str, method: str = "GET", headers: list[tuple[str, str]] = (), body: bytes = b"", end: bool = True
    ) -> int:  # type: ignore[assignment]
        stream_id = self.conn.get_next_available_stream_id()
        fields = [
            (":method", method),
            (":scheme", "https" if isinstance(self.sock, ssl.SSLSocket) else "http"),
            (":authority", "test"),
            (":path", target),
            *headers,
        ]
        self.conn.send_headers(stream_id, fields, end_stream=end and not body)
        if body:
            self.conn.send_data(stream_id, body, end_stream=end)
        self.flush()
        return stream_id

    def response(self, stream_id: int, timeout: float = READ_TIMEOUT) -> H2Response:
        """What arrived on the stream until it ended or was reset (or the connection ended)."""
        response = H2Response()

        def finished(event: Any) -> bool:
            if isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset)):
                return getattr(event, "stream_id", None) == stream_id
            return isinstance(event, (h2.events.ConnectionTerminated, h2.exceptions.ProtocolError))

        for event in self.events(timeout, finished):
            if getattr(event, "stream_id", stream_id) != stream_id and not isinstance(
                event, h2.events.ConnectionTerminated
            ):
                self.pending.append(event)  # another stream's: keep it for its own response()
                continue
            if isinstance(event, h2.events.InformationalResponseReceived):
                interim = H2Response(headers=[(k, v) for k, v in event.headers if not k.startswith(":")])
                interim.status = int(dict(event.headers)[":status"])
                response.interims.append(interim)
            elif isinstance(event, h2.events.ResponseReceived):
                response.status = int(dict(event.headers)[":status"])
                response.headers = [(k, v) for k, v in event.headers if not k.startswith(":")]
                response.ended = event.stream_ended is not None
            elif isinstance(event, h2.events.DataReceived):
                response.body += event.data
                response.data_frames += 1
            elif isinstance(event, h2.events.StreamEnded):
                response.ended = True
            elif isinstance(event, h2.events.StreamReset):
                response.reset = int(event.error_code)
            elif isinstance(event, h2.events.ConnectionTerminated):
                response.goaway = int(event.error_code)
        self.pending = [e for e in self.pending if getattr(e, "stream_id", None) != stream_id]
        return response

    def request(
        self, target: str, method: str = "GET", headers: list[tuple[str, str]] = (), body: bytes = b""
    ) -> H2Response:  # type: ignore[assignment]
        return self.response(self.start(target, method, headers, body))

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(Exception):  # the connection may be in any state by now
                self.conn.close_connection()
                self.flush()
        self.closed = True
        self.sock.close()
