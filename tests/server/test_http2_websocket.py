"""WebSockets over HTTP/2 (RFC 8441 extended CONNECT) on /101, as raw frames: h2 for HTTP/2, websockets for the frames.

The `websockets` client speaks HTTP/1.1 only, so the WebSocket frames are
made and read with its sans-IO client protocol, started as if the opening
handshake were done (RFC 8441 has none of RFC 6455's keys), and carried in
DATA frames by `tests.support.h2client`.
"""

from __future__ import annotations

import threading
import time

import h2.events
import pytest
from h2.errors import ErrorCodes
from h2.settings import SettingCodes
from websockets.client import ClientProtocol
from websockets.frames import Close, Frame, Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

from statuskit.server import ServerConfig, ServerProcess, ServerThread
from tests.server.conftest import LIMITS
from tests.support.h2client import H2Client

OPEN = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":authority", "test")]
VERSION = [("sec-websocket-version", "13")]


class Tunnel:
    """One extended CONNECT stream and the WebSocket client protocol whose bytes it carries."""

    def __init__(self, client: H2Client, target: str = "/101", fields: list[tuple[str, str]] = VERSION) -> None:
        self.client = client
        self.id = client.conn.get_next_available_stream_id()
        client.conn.send_headers(self.id, [*OPEN, (":path", target), *fields])
        client.flush()
        self.ws = ClientProtocol(parse_uri("ws://test/101"), state=State.OPEN)
        self.status = 0
        self.ended = False
        self.reset: int | None = None
        self.body = b""
        self.received: list[Frame] = []

    def opened(self) -> int:
        """The status of the answer (0 if the stream was reset first)."""
        events = self.client.events(until=self._answer_or_end)
        self._take(events)
        return self.status

    def send(self) -> None:
        self.client.conn.send_data(self.id, b"".join(self.ws.data_to_send()))
        self.client.flush()

    def frames(self, count: int, timeout: float = 5) -> list[Frame]:
        """The next `count` WebSocket frames from the server (fewer if the stream ends first)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and not self.ended and time.monotonic() < deadline:
            self._take(self.client.events(0.2, until=lambda event: isinstance(event, h2.events.DataReceived)))
        got, self.received = self.received[:count], self.received[count:]
        return got

    def read(self, timeout: float) -> None:
        self._take(self.client.events(timeout))

    def until_end(self, timeout: float = 5) -> None:
        deadline = time.monotonic() + timeout
        while not self.ended and time.monotonic() < deadline:
            self._take(self.client.events(0.2, until=self._answer_or_end))

    def _answer_or_end(self, event: object) -> bool:
        if getattr(event, "stream_id", None) != self.id:
            return False
        return isinstance(event, (h2.events.ResponseReceived, h2.events.StreamEnded, h2.events.StreamReset))

    def _take(self, events: list[object]) -> None:
        for event in events:
            if getattr(event, "stream_id", None) != self.id:
                self.client.pending.append(event)
            elif isinstance(event, h2.events.ResponseReceived):
                self.status = int(dict(event.headers)[":status"])
                self.ended = self.ended or event.stream_ended is not None
            elif isinstance(event, h2.events.DataReceived):
                self.body += event.data
                if self.status == 200:
                    self.ws.receive_data(event.data)
                    self.received.extend(event for event in self.ws.events_received() if isinstance(event, Frame))
            elif isinstance(event, h2.events.StreamEnded):
                self.ended = True
            elif isinstance(event, h2.events.StreamReset):
                self.ended = True
                self.reset = int(event.error_code)
        self.client.pending = [e for e in self.client.pending if getattr(e, "stream_id", None) != self.id]


def test_extended_connect_is_advertised(live) -> None:
    with H2Client(live.port) as client:
        client.events(0.3)
        # RFC 8441 §3: SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8) = 1.
        assert client.remote_settings.get(SettingCodes.ENABLE_CONNECT_PROTOCOL) == 1


def test_the_echo_over_an_extended_connect(live) -> None:
    with H2Client(live.port) as client:
        client.events(0.3)
        tunnel = Tunnel(client)
        assert tunnel.opened() == 200 and not tunnel.ended
        tunnel.ws.send_text(b"hello over h2")
        tunnel.ws.send_binary(b"\x00\x01\x02")
        tunnel.ws.send_text(b"frag", fin=False)
        tunnel.ws.send_continuation(b"mented", fin=True)
        tunnel.ws.send_ping(b"are you there")
        tunnel.send()
        frames = tunnel.frames(5)
        # The pong goes out as the ping is read, before the echoes of the frames read with it.
        assert [(frame.opcode, frame.data) for frame in frames if frame.opcode is Opcode.PONG] == [
            (Opcode.PONG, b"are you there")
        ]
        assert [(frame.opcode, frame.data, frame.fin) for frame in frames if frame.opcode is not Opcode.PONG] == [
            (Opcode.TEXT, b"hello over h2", True),
            (Opcode.BINARY, b"\x00\x01\x02", True),
            (Opcode.TEXT, b"frag", False),
            (Opcode.CONT, b"mented", True),
        ]
        # Another stream on the same connection is served while the WebSocket is open.
        assert client.request("/200").status == 200
        tunnel.ws.send_close(1000, "done")
        tunnel.send()
        (close,) = tunnel.frames(1)
        assert close.opcode is Opcode.CLOSE and Close.parse(close.data).code == 1000
        tunnel.until_end()
        assert tunnel.ended and tunnel.reset in (None, ErrorCodes.NO_ERROR)
        assert client.request("/200").status == 200  # the closing handshake ended the stream, not the connection
        assert client.goaway is None


def test_the_echo_goes_on_past_the_first_flow_control_window(live) -> None:
    # 8 x 30,000 bytes: four times the 65,535-byte initial windows, which the server must keep opening.
    with H2Client(live.port) as client:
        client.events(0.3)
        tunnel = Tunnel(client)
        assert tunnel.opened() == 200
        for index in range(8):
            message = bytes([index]) * 30_000
            tunnel.ws.send_binary(message)
            data = b"".join(tunnel.ws.data_to_send())
            while data:
                window = min(client.conn.local_flow_control_window(tunnel.id), client.conn.max_outbound_frame_size)
                if window <= 0:
                    tunnel.read(0.2)  # the echoes so far, and the server's WINDOW_UPDATE frames
                    continue
                client.conn.send_data(tunnel.id, data[:window])
                client.flush()
                data = data[window:]
            (echo,) = tunnel.frames(1)
            assert echo.data == message
        assert not tunnel.ended


def test_a_client_that_does_not_read_its_echoes_is_held_by_flow_control(live) -> None:
    # The client opens no window for the server (INITIAL_WINDOW_SIZE 0): every echo waits. The server stops giving
    # the client's window back once 64 KiB of echo wait, so what it holds is bounded; after --send-timeout
    # (3 s here) it gives the stream up (RST_STREAM CANCEL), and the connection goes on.
    with H2Client(live.port, settings={SettingCodes.INITIAL_WINDOW_SIZE: 0}) as client:
        client.events(0.3)
        tunnel = Tunnel(client)
        assert tunnel.opened() == 200
        sent = 0
        while sent < 4 * 1024 * 1024 and not tunnel.ended:
            window = min(client.conn.local_flow_control_window(tunnel.id), 16_000)
            if window < 16_000:
                tunnel.read(0.3)  # WINDOW_UPDATE frames, while the server still sends them
                if min(client.conn.local_flow_control_window(tunnel.id), 16_000) < 16_000:
                    break
                continue
            tunnel.ws.send_binary(b"x" * (window - 14))  # a frame of `window` bytes, header and mask included
            tunnel.send()
            sent += window
        assert sent < 4 * 65_536, f"the server took {sent} bytes it could not echo"
        tunnel.until_end(10)
        assert tunnel.reset == ErrorCodes.CANCEL
        assert client.goaway is None


def test_a_message_over_max_body_closes_only_its_stream(make_live) -> None:
    live = make_live(max_body=1000)
    with H2Client(live.port) as client:
        client.events(0.3)
        tunnel = Tunnel(client)
        assert tunnel.opened() == 200
        tunnel.ws.send_binary(b"x" * 2000)
        tunnel.send()
        (close,) = tunnel.frames(1)
        assert close.opcode is Opcode.CLOSE and Close.parse(close.data).code == 1009  # message too big
        tunnel.until_end()
        assert tunnel.ended
        assert client.request("/200").status == 200 and client.goaway is None


def test_a_silent_websocket_is_closed_after_websocket_timeout(make_live) -> None:
    live = make_live(websocket_timeout=0.5)
    with H2Client(live.port) as client:
        client.events(0.3)
        tunnel = Tunnel(client)
        assert tunnel.opened() == 200
        (close,) = tunnel.frames(1, timeout=10)
        assert close.opcode is Opcode.CLOSE and Close.parse(close.data).code == 1001  # going away
        tunnel.until_end()
        assert tunnel.ended
        assert client.request("/200").status == 200 and client.goaway is None


def test_shutdown_closes_the_websocket_with_going_away() -> None:
    thread = ServerThread(ServerConfig.from_options(port=0, **LIMITS)).start()  # type: ignore[arg-type]
    try:
        with H2Client(thread.port) as client:
            client.events(0.3)
            tunnel = Tunnel(client)
            assert tunnel.opened() == 200
            stopper = threading.Thread(target=thread.stop)
            stopper.start()
            (close,) = tunnel.frames(1, timeout=10)
            tunnel.until_end()
            stopper.join(10)
    finally:
        thread.stop()
    assert close.opcode is Opcode.CLOSE and Close.parse(close.data).code == 1001
    assert tunnel.ended and client.goaway is not None and client.goaway.error_code == 0


@pytest.mark.parametrize(
    ("target", "fields", "says"),
    [
        ("/200", VERSION, b"/200 is no WebSocket"),
        ("/404", VERSION, b"/404 is no WebSocket"),
        ("/101", [], b"Sec-WebSocket-Version: 13"),
        ("/101", [("sec-websocket-version", "8")], b"Sec-WebSocket-Version: 13"),
    ],
    ids=["200", "404", "no-version", "version-8"],
)
def test_an_extended_connect_that_opens_no_websocket_is_400(live, target, fields, says) -> None:
    with H2Client(live.port) as client:
        tunnel = Tunnel(client, target, fields)
        assert tunnel.opened() == 400
        tunnel.until_end()
        assert says in tunnel.body
        assert client.request("/200").status == 200 and client.goaway is None


def test_an_unknown_protocol_is_400(live) -> None:
    with H2Client(live.port, validate=False) as client:
        stream_id = client.start("/101", "CONNECT", [(":protocol", "chat"), *VERSION], end=False)
        response = client.response(stream_id)
        assert response.status == 400 and b"tunnels only websocket" in response.body
        assert client.request("/200").status == 200 and client.goaway is None


@pytest.mark.parametrize("missing", [":path", ":scheme"])
def test_a_malformed_extended_connect_is_400_then_a_stream_error(live, missing: str) -> None:
    # RFC 8441 §4 wants :scheme and :path; without them the request is malformed (RFC 9113 §8.1.1).
    with H2Client(live.port, validate=False) as client:
        stream_id = client.conn.get_next_available_stream_id()
        fields = [(name, value) for name, value in [*OPEN, (":path", "/101"), *VERSION] if name != missing]
        client.conn.send_headers(stream_id, fields)
        client.flush()
        response = client.response(stream_id)
        assert response.status == 400 and missing.encode() in response.body
        if response.reset is None:
            client.events(1, until=lambda event: isinstance(event, h2.events.StreamReset))
        else:
            assert response.reset == ErrorCodes.PROTOCOL_ERROR
        assert client.request("/200").status == 200 and client.goaway is None


def test_plain_connect_is_still_501(live) -> None:
    with H2Client(live.port, validate=False) as client:
        stream_id = client.conn.get_next_available_stream_id()
        client.conn.send_headers(stream_id, [(":method", "CONNECT"), (":authority", "example.com:443")])
        client.flush()
        assert client.response(stream_id).status == 501


def test_the_access_log_shows_the_websocket_on_http2() -> None:
    with ServerProcess(["--port", "0"]) as server:
        with H2Client(server.port) as client:
            client.events(0.3)
            tunnel = Tunnel(client, "/101?log=ws")
            assert tunnel.opened() == 200
        deadline = time.monotonic() + 5
        line = '"CONNECT /101?log=ws HTTP/2" 200'
        while not any(line in entry for entry in server.lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(line in entry for entry in server.lines), list(server.lines)
