"""The WebSocket echo behind /101, on the `websockets` library's sans-IO protocol, for both wire protocols.

The responder decides that a request switches (upgrade "websocket"); this
module checks the opening and echoes every data frame back as it comes,
fragments included. Pings are answered and the closing handshake is
completed by the protocol object itself. The echo only writes bytes and ends
its byte stream, so the same session runs

- on HTTP/1.1 after 101 (`handshake`: RFC 6455 Sec-WebSocket-Key and
  Sec-WebSocket-Accept, checked and computed by `websockets`), over the TCP
  connection, which ending closes;
- on an HTTP/2 stream after 200 to an extended CONNECT (`tunnel`: RFC 8441
  §5, which has no key and no accept), over the stream's DATA frames, which
  ending ends the stream (END_STREAM).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

from websockets.frames import Frame, Opcode
from websockets.http11 import Request as HandshakeRequest
from websockets.protocol import State
from websockets.server import ServerProtocol

from statuskit.errors import Refusal
from statuskit.responder import Plan, Request
from statuskit.responder.wire import SERVER

# Seconds to wait for the client to end the TCP connection (or its side of the stream) after the closing handshake.
CLOSE_TIMEOUT = 2.0

# The only WebSocket version (RFC 6455 §4.1), asked for by Sec-WebSocket-Version on HTTP/2 as on HTTP/1.1.
VERSION = "13"


class Rejected(Refusal):
    """The handshake request is not a valid WebSocket opening; carries the status `websockets` chose."""


class WebSocketEcho:
    def __init__(
        self,
        protocol: ServerProtocol,
        write: Callable[[bytes], None],
        end: Callable[[], None],
        on_activity: Callable[[], None],
    ) -> None:
        self._protocol = protocol
        self._write = write
        self._end = end  # called again after the first time: must do nothing then
        self._on_activity = on_activity

    @classmethod
    def handshake(
        cls,
        request: Request,
        plan: Plan,
        transport: asyncio.Transport,
        max_message: int,
        on_activity: Callable[[], None],
    ) -> tuple[WebSocketEcho, bytes]:
        """The session and the bytes of its 101 response; Rejected if the opening handshake is invalid."""
        protocol = ServerProtocol(max_size=max_message or None)
        # The protocol object reads its handshake request from the stream, so it
        # is given the request as bytes (already parsed once, by llhttp).
        head = [f"GET {request.target} HTTP/1.1\r\n".encode("latin-1")]
        head.extend(f"{name}: {value}\r\n".encode("latin-1") for name, value in request.headers)
        head.append(b"\r\n")
        protocol.receive_data(b"".join(head))
        events = protocol.events_received()
        if not events or not isinstance(events[0], HandshakeRequest):
            raise Rejected(status=400, detail="invalid WebSocket handshake request")
        response = protocol.accept(events[0])
        if response.status_code != 101:
            detail = response.body.decode("utf-8", "replace").strip().splitlines()[0] if response.body else "invalid"
            raise Rejected(status=response.status_code, detail=detail)
        response = dataclasses.replace(response, reason_phrase=plan.reason)
        if "Server" in response.headers:
            del response.headers["Server"]
        response.headers["Server"] = SERVER
        for name, value in plan.headers:
            if name.lower() not in ("upgrade", "connection") and name not in response.headers:
                response.headers[name] = value
        protocol.send_response(response)
        session = cls(protocol, transport.write, transport.close, on_activity)
        return session, b"".join(protocol.data_to_send())

    @classmethod
    def tunnel(
        cls,
        request: Request,
        write: Callable[[bytes], None],
        end: Callable[[], None],
        max_message: int,
        on_activity: Callable[[], None],
    ) -> WebSocketEcho:
        """The session over an HTTP/2 stream opened by extended CONNECT; Rejected if it asks for another version.

        RFC 8441 §5 keeps Sec-WebSocket-Version (and Origin, subprotocols and
        extensions, of which this echo takes none) but drops the key: there is
        nothing else to check.
        """
        version = request.header("sec-websocket-version")
        if version is None or version.strip() != VERSION:
            raise Rejected(status=400, detail=f"a WebSocket needs Sec-WebSocket-Version: {VERSION} (RFC 6455 §4.1)")
        return cls(ServerProtocol(state=State.OPEN, max_size=max_message or None), write, end, on_activity)

    def receive(self, data: bytes) -> None:
        self._on_activity()
        self._protocol.receive_data(data)
        for event in self._protocol.events_received():
            if isinstance(event, Frame):
                self._echo(event)
        self._flush()

    def _echo(self, frame: Frame) -> None:
        if frame.opcode is Opcode.TEXT:
            self._protocol.send_text(frame.data, fin=frame.fin)
        elif frame.opcode is Opcode.BINARY:
            self._protocol.send_binary(frame.data, fin=frame.fin)
        elif frame.opcode is Opcode.CONT:
            self._protocol.send_continuation(frame.data, fin=frame.fin)

    def receive_eof(self) -> None:
        self._protocol.receive_eof()
        self._flush()

    def _flush(self) -> None:
        for chunk in self._protocol.data_to_send():
            if chunk:
                self._write(chunk)
            else:
                # websockets' sans-IO signal for "half-close now": the closing handshake is done.
                self._end()
                return
        if self._protocol.close_expected():
            # The other side should close now; do it for them if it does not.
            asyncio.get_running_loop().call_later(CLOSE_TIMEOUT, self._end)

    def close(self) -> None:
        """Going away (server shutdown or idle): send a close frame, then end the byte stream."""
        try:
            self._protocol.send_close(1001, "going away")
        except Exception:  # noqa: BLE001 - the protocol may already be closing; ending the bytes is enough.
            pass
        self._flush()
        self._end()
