"""One HTTP/1.x request from its first byte to the end of its answer (uvicorn's `RequestResponseCycle`).

A `Cycle` is made when llhttp reports a message beginning. The connection's
parser callbacks fill it and count it against the limits; complete, it is
queued while earlier answers are under way (pipelining), then answered: at
once when its plan is one write, or played by `player.run` with the cycle as
its `player.Wire`, which maps interim and final heads, content and cuts onto
HTTP/1.1 bytes. Whatever is per connection (the parser, flow control, the
phase, the queue) stays on `protocol.HttpProtocol`, and every response ends in
its `finish`: write, log, then close or wait for the next request.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from statuskit import semantics
from statuskit.responder import Plan, Request
from statuskit.responder.plan import GARBAGE, Interim
from statuskit.responder.wire import Serialized, encode_interim
from statuskit.server import player
from statuskit.server.websocket import Rejected, WebSocketEcho

if TYPE_CHECKING:
    from statuskit.server.protocol import HttpProtocol


class Cycle:
    """The request being read, then queued until its turn comes, then answered.

    Made for every request, so only what every request needs is set in
    __init__; the class holds the defaults of the rest (no __slots__, which
    would forbid them).
    """

    # -- reading (set by the parser callbacks) --
    # Raw head bytes llhttp may be holding unreported.
    head_seen = 0
    in_head = True
    body_parts: list[bytes] | None = None
    body_size = 0
    version = "1.1"
    # A chunk header was read and no content after it yet: after the last
    # chunk, that is the trailer section, which llhttp buffers line by line.
    chunk_empty = False
    trailer_seen = 0
    head_fields: list[tuple[bytes, bytes]] | None = None  # the header fields while trailers arrive
    content = b""  # the body_parts joined
    # Set when complete.
    method: bytes
    keep_alive: bool

    # -- answering with a plan that takes time (set by `play`) --
    connection: HttpProtocol
    transport: asyncio.Transport
    request: Request
    # RFC 9110 §15.2: "a server MUST NOT send a 1xx response to an HTTP/1.0 client."
    interims_allowed: bool
    task: asyncio.Task[None] | None = None

    def __init__(self, since: float) -> None:
        self.since = since  # when it began (the request timeout counts from here)
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.header_bytes = 0

    @property
    def size(self) -> int:
        return len(self.url) + self.header_bytes + len(self.content)

    def count_head(self, data: bytes, continues: bool) -> int:
        """Count the head bytes of a read that llhttp may hold unreported; the total so far.

        All of a read that continues the head (up to its end), or the tail of
        the read that started it.
        """
        if continues:
            end = data.find(b"\r\n\r\n")
            self.head_seen += len(data) if end < 0 else end
        else:
            last = data.rfind(b"\r\n\r\n")
            self.head_seen += len(data) - (last + 4 if last >= 0 else 0)
        return self.head_seen

    def play(self, connection: HttpProtocol, plan: Plan, request: Request, close: bool) -> None:
        self.connection = connection
        self.transport = connection.transport
        self.request = request
        self.interims_allowed = semantics.interims_allowed(request.http_version)
        self.task = connection.state.loop.create_task(player.run(self, plan, close, connection.state))

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # -- player.Wire ------------------------------------------------------------------

    def closing(self) -> bool:
        return self.transport.is_closing()

    async def drain(self) -> None:
        await self.connection.flow.drain()

    def interim(self, interim: Interim) -> None:
        self.transport.write(encode_interim(interim))

    def prepare(self, plan: Plan) -> Serialized:
        return Serialized(plan, self.request.http_version, head=self.request.method == "HEAD")

    def send(self, message: Serialized, close: bool) -> None:
        self._finish(message.message(self.connection.clock.date_line, close), message.status, message.length, close)

    def head(self, message: Serialized, close: bool) -> None:
        self.transport.write(message.head(self.connection.clock.date_line, close))

    def body(self, data: bytes) -> None:
        self.transport.write(data)

    def done(self, label: str, size: int, close: bool) -> None:
        self._finish(b"", label, size, close)

    def cut(self, label: str, size: int) -> None:
        self._finish(b"", label, size, True)

    def garbage(self, label: str) -> None:
        self._finish(GARBAGE, label, len(GARBAGE), True)

    def switch(self, plan: Plan) -> None:
        connection, request = self.connection, self.request
        try:
            session, data = WebSocketEcho.handshake(
                request, plan, self.transport, connection.config.responder.max_body, connection.touch
            )
        except Rejected as exc:
            self.send(self.prepare(connection.responder.error(exc.status, exc.detail, request)), True)
            return
        self._finish(data, plan.status, 0, False)
        connection.to_websocket(session)

    def abort(self) -> None:
        self.transport.abort()

    def finished(self) -> None:
        self.connection.exchange_over()

    def _finish(self, data: bytes, status: int | str, size: int, close: bool) -> None:
        request = self.request
        self.connection.finish(data, close, request.method, request.target, request.http_version, status, size)
