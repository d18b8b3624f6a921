"""The HTTP/1.x engine: one `HttpProtocol` per connection, executing the responder's plans.

Shaped like uvicorn's `httptools_impl.py`: an asyncio Protocol feeding an
httptools (llhttp) parser, per-connection state here and per-request state in
a request-response cycle (`cycle.Cycle`), flow control in its own class,
pipelined requests queued and answered in order. What differs:

- It runs `Plan`s, not ASGI apps. A plan that is one write (`Plan.simple`)
  is written at once; any other is played by `player.run` on the request's
  `Cycle` (the player is the same for HTTP/2).
- Every response ends in `finish`: write, log, then close or wait for the
  next request.
- Limits are counted here (target bytes in `on_url`, header bytes and lines
  in `on_header`, content in `on_body`, raw head bytes in `data_received`,
  since llhttp buffers a header line before it reports it); each breach
  becomes a `ProtocolError` carrying its status (414, 431, 413, 505, 417...),
  worded in `limits`. The checks of a whole head (Host, Transfer-Encoding,
  Expect) are `head.check_head`, shared with HTTP/2.
- Timeouts are not one timer per request: `ServerState.tick` sweeps every
  connection a few times a second (`check`), which costs nothing per request.
- Reusable answers are remembered (`memo.Memos`): by parsed head, and by the
  exact bytes of a read that was one whole request.
- A connection whose first bytes are the HTTP/2 preface, or whose TLS
  handshake chose h2, is handed to `h2conn.H2Protocol`.

Invariants: a response starts only when every earlier response on the
connection has been written; nothing is written after the connection is
closed; no 1xx goes to an HTTP/1.0 client (RFC 9110 §15.2); framing comes
only from the plan's `content_length` (the responder never sets it as a field).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections import deque
from collections.abc import Hashable
from typing import TYPE_CHECKING

import httptools

from statuskit.responder import Plan, Request
from statuskit.responder.wire import Serialized
from statuskit.server import errors, limits, player
from statuskit.server.cycle import Cycle
from statuskit.server.errors import ProtocolError
from statuskit.server.flow import HIGH_WATER, FlowControl
from statuskit.server.head import check_head
from statuskit.server.memo import REPLAY_LIMIT, Key, Replay
from statuskit.server.websocket import WebSocketEcho

if TYPE_CHECKING:
    from statuskit.server.server import ServerState

logger = logging.getLogger("statuskit.server")

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"

# What every HTTP/2 connection starts with (RFC 9113 §3.4).
H2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


class Phase(enum.Enum):
    """What the connection does with the bytes it reads."""

    FRESH = "fresh"  # nothing read yet: an HTTP/2 preface is still possible
    OPEN = "open"  # HTTP/1.x requests, parsed by llhttp
    SNIFFING = "sniffing"  # an unknown method: its token is read to tell 501 from 400
    HOLDING = "holding"  # after an Upgrade request: held until its plan says what they are
    WEBSOCKET = "websocket"  # WebSocket frames for the echo
    CLOSED = "closed"  # nothing: an error or a close is under way


# The phases tested on every read, as plain names (an enum member's look-up through its class costs more).
OPEN = Phase.OPEN
CLOSED = Phase.CLOSED


class _Stop(Exception):
    """Raised in a parser callback to stop parsing; httptools raises HttpParserCallbackError with it as context."""

    def __init__(self, error: ProtocolError) -> None:
        self.error = error


# Why parsing stopped when it stopped on purpose with the answer given (an early final response).
_ANSWERED = ProtocolError(status=0, detail="answered")


class HttpProtocol(asyncio.Protocol):
    """One HTTP/1.x connection: the parser, the phase, flow control, the queue of requests (each a `Cycle`)."""

    def __init__(self, state: ServerState) -> None:
        # At most 30 attributes: past that CPython stops sharing the instance
        # dict's keys and specializing attribute loads, and the replay path costs ~20 % more
        # (measured on 3.11 with benchmarks/engine.py; tests/server/test_protocol_unit.py holds the line).

        # Server-wide state.
        self.state = state
        self.config = state.config
        self.clock = state.clock
        self.memos = state.memos
        self.cache = state.memos.cache
        self.replays = state.memos.replays
        self.responder = state.responder
        self.access_log = state.access_log

        # Per-connection state.
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.flow: FlowControl = None  # type: ignore[assignment]
        self.client: tuple[str, int] | None = None
        self.client_text = "-"
        self.scheme = "http"
        self.phase = Phase.FRESH if state.config.http2 else Phase.OPEN
        self.parser = httptools.HttpRequestParser(self)
        self.overloaded = False  # over --max-connections: answer 503 and close
        self.eof = False  # the client half-closed
        self.idle_since = 0.0
        # Bytes read but not parsed, while the phase decides what they are: the first
        # bytes (FRESH), after an Upgrade request (HOLDING), an unknown method (SNIFFING).
        self.held = b""
        self.websocket: WebSocketEcho | None = None
        self.refusal: ProtocolError | None = None  # answered when earlier responses are out

        # Requests, each a Cycle.
        self.incoming: Cycle | None = None  # being read
        self.pipeline: deque[Cycle] = deque()  # read ahead of their answer
        self.pipeline_bytes = 0
        self.exchange: Cycle | None = None  # answered by a plan that takes time

        # The current read (one data_received).
        self.completed_in_feed = 0  # messages completed in the current feed_data call
        self.replay_candidate: bytes | None = None  # this read, if it may be one whole request
        self.replay: Replay | None = None  # the reusable answer given during this read

    # -- asyncio.Protocol -----------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have its methods.
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            self.client = (str(peer[0]), int(peer[1]))
            self.client_text = f"{peer[0]}:{peer[1]}"
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None or transport.get_extra_info("sslcontext") is not None:
            self.scheme = "https"
            if ssl_object is not None and self.phase is Phase.FRESH and ssl_object.selected_alpn_protocol() == "h2":
                self._to_h2(b"")
                return
        self.flow = FlowControl(self.transport)
        self.transport.set_write_buffer_limits(high=HIGH_WATER)
        self.idle_since = self.clock.now
        self.overloaded = self.state.admit(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.release(self, self.overloaded)
        self.phase = Phase.CLOSED
        if self.exchange is not None:
            self.exchange.cancel()
        self.flow.resume_writing()
        # The parser holds this protocol's callbacks, and a WebSocket session its
        # activity callback: reference cycles that would keep every closed connection
        # in memory until the cyclic garbage collector runs (found by benchmarks/load.py:
        # RSS rising round after round). Nothing parses or echoes after this.
        self.parser = None  # type: ignore[assignment]
        self.websocket = None

    def eof_received(self) -> bool | None:
        if self.websocket is not None:
            self.websocket.receive_eof()
            return None
        self.eof = True
        # A client may half-close after its last request and still read the answer.
        return True if self.exchange is not None or self.pipeline else None

    def pause_writing(self) -> None:
        self.flow.pause_writing(self.clock.now)
        self.flow.pause_reading()

    def resume_writing(self) -> None:
        self.flow.resume_writing()
        if self.exchange is None:
            self._next()

    def data_received(self, data: bytes) -> None:
        phase = self.phase
        if phase is not OPEN:
            self._elsewhere(phase, data)
            return
        replay = self.replays.get(data)
        if (
            replay is not None
            and self.incoming is None
            and self.exchange is None
            and not self.pipeline
            and not self.flow.write_paused
            and not self.overloaded
        ):
            close = not replay.keep_alive or self.state.stopping
            serialized = replay.serialized
            self.finish(
                serialized.message(self.clock.date_line, close),
                close,
                replay.method,
                replay.target,
                replay.version,
                serialized.status,
                serialized.length,
            )
            return
        incoming = self.incoming
        if incoming is None and len(data) <= REPLAY_LIMIT and data.endswith(b"\r\n\r\n"):
            self.replay_candidate = data
        else:
            self.replay_candidate = None
        # llhttp holds an unfinished header line without reporting it, so the
        # bytes of an unfinished head are counted here (Cycle.count_head).
        continues_head = incoming is not None and incoming.in_head
        if continues_head:
            assert incoming is not None
            if incoming.count_head(data, True) > limits.head_bytes(self.config):
                self._refuse(limits.fields_too_large(self.config))
                return
        trailing = incoming is not None and incoming.chunk_empty
        self._feed(data)
        incoming = self.incoming
        if incoming is None or self.phase is CLOSED:
            return
        if trailing and incoming.chunk_empty:
            # All of this read went to the trailer section (or a chunk size line):
            # bounded like a header section, also while one endless line arrives.
            incoming.trailer_seen += len(data)
            if incoming.header_bytes + incoming.trailer_seen > self.config.max_header_bytes:
                self._refuse(limits.fields_too_large(self.config, trailers=True))
            return
        if incoming.in_head:
            if not continues_head and incoming.count_head(data, False) > limits.head_bytes(self.config):
                self._refuse(limits.fields_too_large(self.config))
                return
            # No version yet: llhttp keeps the last message's, so this is the
            # first request of the connection, and all of `data` (but blank
            # lines before it) is its head. A line ended without a version:
            # an HTTP/0.9 request, which would otherwise wait for --request-timeout.
            if self.parser.get_http_version() == "0.0" and b"\n" in (data if continues_head else data.lstrip(b"\r\n")):
                self._refuse(
                    ProtocolError(
                        status=505, detail="an HTTP/0.9 request (no version): this server speaks HTTP/1.1 and HTTP/1.0"
                    )
                )

    def _elsewhere(self, phase: Phase, data: bytes) -> None:
        """Bytes that are not (or not yet) HTTP/1.x requests for llhttp."""
        if phase is Phase.WEBSOCKET:
            assert self.websocket is not None
            self.websocket.receive(data)
        elif phase is Phase.HOLDING:
            self.held += data
            if len(self.held) > limits.UPGRADE_BUFFER_LIMIT:
                self.flow.pause_reading()
        elif phase is Phase.SNIFFING:
            self.held += data
            self._sniff_method()
        elif phase is Phase.FRESH:
            held = self.held + data
            if H2_PREFACE.startswith(held[: len(H2_PREFACE)]):
                if len(held) < len(H2_PREFACE):
                    self.held = held  # one more read tells
                else:
                    self._to_h2(held)
                return
            self.held = b""
            self.phase = Phase.OPEN
            self.data_received(held)

    def _to_h2(self, data: bytes) -> None:
        """This connection speaks HTTP/2: hand the transport to an H2Protocol."""
        from statuskit.server.h2conn import H2Protocol

        if self.flow is not None:
            self.state.release(self, self.overloaded)
        self.phase = Phase.CLOSED
        self.parser = None  # type: ignore[assignment]
        h2 = H2Protocol(self.state, self.scheme)
        self.transport.set_protocol(h2)
        h2.connection_made(self.transport)
        if data:
            h2.data_received(data)

    def to_websocket(self, session: WebSocketEcho) -> None:
        """The plan's 101 was sent: what follows, held bytes first, are WebSocket frames."""
        self.websocket = session
        self.phase = Phase.WEBSOCKET
        buffered, self.held = self.held, b""
        self.flow.resume_reading()
        if buffered:
            session.receive(buffered)

    # -- parsing --------------------------------------------------------------------

    def _feed(self, data: bytes) -> None:
        while data:
            self.completed_in_feed = 0
            self.replay = None
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade as exc:
                rest = data[exc.args[0] :] if exc.args else b""
                if (
                    self.exchange is not None
                    or self.pipeline
                    or self.websocket is not None
                    or self.phase is Phase.CLOSED
                ):
                    # The plan of the Upgrade request decides what `rest` is.
                    if self.phase is Phase.OPEN:
                        self.phase = Phase.HOLDING
                    self.held = rest
                    if len(rest) > limits.UPGRADE_BUFFER_LIMIT:
                        self.flow.pause_reading()
                    return
                data = rest  # declined and answered already: the rest is HTTP again
                continue
            except httptools.HttpParserCallbackError as exc:
                stop = exc.__context__
                if not isinstance(stop, _Stop):
                    logger.error("a parser callback failed on %s", self.client_text)
                    self._refuse(
                        ProtocolError(status=500, detail="the server failed to read this request (a statuskit bug)")
                    )
                elif stop.error is not _ANSWERED:
                    self._refuse(stop.error)
                return
            except httptools.HttpParserInvalidMethodError:
                self._start_sniff(data)
                return
            except httptools.HttpParserError as exc:
                # A bad target comes after the method: the method is known then.
                self._refuse(
                    errors.from_parser_error(exc, self._parser_version()),
                    isinstance(exc, httptools.HttpParserInvalidURLError) or None,
                )
                return
            if (
                self.replay is not None
                and data is self.replay_candidate
                and self.completed_in_feed == 1
                and self.incoming is None
            ):
                # This read was exactly one bodiless request with a reusable answer.
                self.memos.remember_replay(data, self.replay)
            return

    def _parser_version(self) -> str | None:
        try:
            return str(self.parser.get_http_version())
        except Exception:  # noqa: BLE001 - the parser may not have read a version yet.
            return None

    def on_message_begin(self) -> None:
        self.incoming = Cycle(self.clock.now)

    # The callbacks below run only while a message is being read: self.incoming is set.

    def on_url(self, url: bytes) -> None:
        incoming: Cycle = self.incoming  # type: ignore[assignment]
        incoming.url += url
        if len(incoming.url) > self.config.max_target:
            raise _Stop(limits.target_too_long(self.config))

    def on_header(self, name: bytes, value: bytes) -> None:
        # After chunked content these are trailer fields, collected apart (see on_headers_complete).
        incoming: Cycle = self.incoming  # type: ignore[assignment]
        incoming.headers.append((name, value))
        incoming.header_bytes += len(name) + len(value) + 4
        config = self.config
        if incoming.header_bytes > config.max_header_bytes:
            raise _Stop(limits.fields_too_large(config, trailers=not incoming.in_head))
        if len(incoming.headers) > config.max_headers:
            raise _Stop(limits.too_many_fields(config))

    def on_headers_complete(self) -> None:
        incoming: Cycle = self.incoming  # type: ignore[assignment]
        incoming.in_head = False
        version = self.parser.get_http_version()
        if version != "1.1" and version != "1.0":
            # RFC 9110 §15.6.6: the server does not support the major version used.
            raise _Stop(
                ProtocolError(
                    status=505, detail=f"HTTP/{version} is not supported: this server speaks HTTP/1.1 and HTTP/1.0"
                )
            )
        incoming.version = version
        if self.overloaded:
            raise _Stop(
                ProtocolError(
                    status=503,
                    detail=f"the server has {self.config.max_connections} connections open (--max-connections)",
                )
            )
        try:
            head = check_head(version, incoming.headers, self.config.responder.max_body)
        except ProtocolError as error:
            raise _Stop(error) from None
        if head is None:
            return
        if head.has_body:
            incoming.body_parts = []
        if head.expects_continue and head.has_body and self.exchange is None and not self.pipeline:
            request = self._request(self.parser.get_method(), incoming.url, version, incoming.headers, b"")
            if self.responder.wants_body(request):
                self.transport.write(CONTINUE)
            else:
                self._answer_early(incoming, request)
        if head.chunked:
            # Trailer fields, if any, go to a list of their own, counted against the limits and
            # then dropped: RFC 9110 §6.5.1, "A recipient MUST NOT merge a trailer field into a
            # header section unless the recipient understands the corresponding header field
            # definition and that definition explicitly permits and defines how trailer field
            # values can be safely merged." No field the URL API reads does.
            incoming.head_fields = incoming.headers
            incoming.headers = []  # on_message_complete puts the header fields back

    def on_body(self, body: bytes) -> None:
        incoming: Cycle = self.incoming  # type: ignore[assignment]
        incoming.chunk_empty = False
        incoming.body_size += len(body)
        if incoming.body_size > self.config.responder.max_body:
            raise _Stop(limits.content_too_large(self.config))
        if incoming.body_parts is None:
            incoming.body_parts = []
        incoming.body_parts.append(body)

    def on_chunk_header(self) -> None:
        self.incoming.chunk_empty = True  # type: ignore[union-attr]

    def on_chunk_complete(self) -> None:
        self.incoming.chunk_empty = False  # type: ignore[union-attr]

    def on_message_complete(self) -> None:
        incoming: Cycle = self.incoming  # type: ignore[assignment]
        self.incoming = None
        if incoming.head_fields is not None:
            incoming.headers = incoming.head_fields
        if self.completed_in_feed:
            self.replay_candidate = None  # a second request in this read: it is not one whole request
        self.completed_in_feed += 1
        method = self.parser.get_method()
        incoming.method = method
        incoming.keep_alive = self.parser.should_keep_alive() and method != b"CONNECT" and not self.state.stopping
        if incoming.body_parts:
            incoming.content = b"".join(incoming.body_parts)
        if self.exchange is not None or self.pipeline or self.flow.write_paused:
            # Read ahead while an earlier answer is under way: bounded in number and in bytes,
            # then reading pauses until the queue is answered.
            self.pipeline.append(incoming)
            self.pipeline_bytes += incoming.size
            if len(self.pipeline) >= self.config.max_pipeline or self.pipeline_bytes >= limits.pipeline_bytes(
                self.config
            ):
                self.flow.pause_reading()
            return
        self._handle(incoming)

    # -- unknown methods: 501 or 400 ----------------------------------------------------

    def _start_sniff(self, data: bytes) -> None:
        # llhttp stops at the first byte that starts no method it knows and does
        # not say where. The request starts after the messages completed in this
        # chunk; it is found well enough by skipping their heads.
        position = 0
        for _ in range(self.completed_in_feed):
            end = data.find(b"\r\n\r\n", position)
            if end < 0:
                break
            position = end + 4
        self.phase = Phase.SNIFFING
        self.held = data[position:]
        self._sniff_method()

    def _sniff_method(self) -> None:
        error = errors.method_error(self.held[: limits.SNIFF_LIMIT], limits.SNIFF_LIMIT)
        if error is not None:  # None: wait for the end of the token (the request timeout bounds the wait)
            self.held = b""
            self._refuse(error, False)

    # -- answering ------------------------------------------------------------------

    def _request(
        self, method: bytes, url: bytes, version: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Request:
        return Request.build(
            method.decode("ascii", "replace"),
            url.decode("latin-1"),
            http_version=version,
            headers=[(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in headers],
            body=body,
            client=self.client,
            scheme=self.scheme,
            now=time.time(),
        )

    def _handle(self, cycle: Cycle) -> None:
        method, url, version, headers, body = cycle.method, cycle.url, cycle.version, cycle.headers, cycle.content
        key: Key | None = None
        if not body:
            key = (method, url, version, tuple(headers))
            cached = self.cache.get(key)
            if cached is not None:
                if self.replay_candidate is None and self.access_log is None:
                    method_text = target = ""  # neither logged nor remembered: not worth decoding
                else:
                    method_text, target = method.decode("ascii"), url.decode("latin-1")
                if self.replay_candidate is not None:
                    self.replay = Replay(cached, cycle.keep_alive, method_text, target, version)
                close = not cycle.keep_alive
                self.finish(
                    cached.message(self.clock.date_line, close),
                    close,
                    method_text,
                    target,
                    version,
                    cached.status,
                    cached.length,
                )
                return
        request = self._request(method, url, version, headers, body)
        keep_alive = cycle.keep_alive
        inputs = self.responder.input_key(request) if key is not None else None
        if inputs is not None:
            known: Serialized | None = self.memos.by_inputs.get(inputs)
            if known is not None:
                # A new head whose answer depends only on what an earlier request had too.
                self._write(known, not keep_alive, request.method, request.target, version)
                return
        plan, failed = player.respond(self.state, request)
        self._execute(cycle, plan, request, key, failed or not keep_alive or plan.close, inputs)

    def _execute(
        self,
        cycle: Cycle,
        plan: Plan,
        request: Request,
        key: Key | None,
        close: bool,
        inputs: Hashable | None = None,
    ) -> None:
        if plan.simple:
            serialized = Serialized(plan, request.http_version, head=request.method == "HEAD")
            if key is not None and plan.reusable and not plan.close:
                self.memos.remember(key, serialized)
                if inputs is not None:
                    self.memos.remember_inputs(inputs, serialized)
                if self.replay_candidate is not None:
                    self.replay = Replay(serialized, not close, request.method, request.target, request.http_version)
            self._write(serialized, close, request.method, request.target, request.http_version)
            return
        self.exchange = cycle
        cycle.play(self, plan, request, close)

    def finish(
        self, data: bytes, close: bool, method: str, target: str, version: str, status: int | str, size: int
    ) -> None:
        """Write the last bytes of a response, log it, then close or wait for the next request.

        Every response ends here, whichever path made it (a replay, a memo, a
        plan played by a `Cycle`, a refusal).
        """
        if data:
            self.transport.write(data)
        if self.access_log is not None:
            self.access_log.log(self.client_text, method, target, version, status, size)
        if close:
            self._close()
        else:
            self.idle_since = self.clock.now

    def _write(self, serialized: Serialized, close: bool, method: str, target: str, version: str) -> None:
        """A whole response, as `finish` ends it."""
        self.finish(
            serialized.message(self.clock.date_line, close),
            close,
            method,
            target,
            version,
            serialized.status,
            serialized.length,
        )

    def _answer_early(self, cycle: Cycle, head: Request) -> None:
        # RFC 9110 §10.1.1: the final status is known from the head, so send it
        # instead of 100 (Continue), and close: the content may follow anyway.
        self.phase = Phase.CLOSED
        self._execute(cycle, player.respond(self.state, head)[0], head, None, True)
        raise _Stop(_ANSWERED)

    def _refuse(self, error: ProtocolError, method_read: bool | None = None) -> None:
        """Answer a request the engine cannot pass on, then close (after any earlier responses)."""
        if self.transport.is_closing():
            return  # the connection ended already (e.g. llhttp's "data after Connection: close")
        # RFC 9110 §9.3.2: no content in a response to HEAD, a refusal included,
        # once the method of the refused request has been read (by default: its target has begun).
        incoming = self.incoming
        if method_read is None:
            method_read = incoming is not None and bool(incoming.url)
        error.head = method_read and incoming is not None and self.parser.get_method() == b"HEAD"
        self.phase = Phase.CLOSED
        self.incoming = None
        if self.exchange is not None or self.pipeline:
            self.refusal = error
            return
        self._send_refusal(error)

    def _send_refusal(self, error: ProtocolError) -> None:
        plan = self.responder.error(error.status, error.detail)
        self._write(Serialized(plan, head=error.head), True, "-", "-", "-")

    def _close(self) -> None:
        self.phase = Phase.CLOSED
        self.transport.close()

    def exchange_over(self) -> None:
        """The plan being played is done, whichever way it ended."""
        self.exchange = None
        if not self.transport.is_closing():
            self._next()

    def _next(self) -> None:
        """After a response: the next pipelined request, a held refusal or upgrade, or idleness."""
        transport = self.transport
        while self.pipeline and self.exchange is None and not self.flow.write_paused and not transport.is_closing():
            cycle = self.pipeline.popleft()
            self.pipeline_bytes -= cycle.size
            self._handle(cycle)
        if self.exchange is not None or self.flow.write_paused or transport.is_closing():
            return
        if self.refusal is not None:
            error, self.refusal = self.refusal, None
            self._send_refusal(error)
            return
        if self.phase is Phase.HOLDING:
            data, self.held = self.held, b""
            self.phase = Phase.OPEN
            self._feed(data)
            if self.exchange is not None or transport.is_closing():
                return
        if self.eof or (self.state.stopping and self.incoming is None):
            self._close()
            return
        if self.phase is not Phase.CLOSED:
            self.flow.resume_reading()
        if self.incoming is not None:
            # The clock of a request read while earlier ones were answered starts now.
            self.incoming.since = self.clock.now
        self.idle_since = self.clock.now

    def touch(self) -> None:
        self.idle_since = self.clock.now

    # -- timeouts and shutdown, driven by ServerState.tick --------------------------------

    def check(self, now: float) -> None:
        """Enforce the timeouts; called a few times a second for every connection."""
        if self.transport.is_closing():
            return
        config = self.config
        if self.websocket is not None:
            if now - self.idle_since > config.websocket_timeout:
                self.websocket.close()
            return
        if self.flow.write_paused:
            if now - self.flow.paused_since > config.send_timeout:
                # The client stopped reading: give up rather than hold the response forever.
                self.transport.abort()
            return
        if self.exchange is not None or self.pipeline:
            return
        if self.incoming is not None or self.phase is Phase.SNIFFING or (self.phase is Phase.FRESH and self.held):
            if now - (self.incoming.since if self.incoming is not None else self.idle_since) > config.request_timeout:
                # RFC 9110 §15.5.9: the server did not receive a complete request in time.
                detail = f"the request was not complete within {config.request_timeout:g} s (--request-timeout)"
                self._refuse(ProtocolError(status=408, detail=detail))
        elif now - self.idle_since > config.keepalive_timeout:
            self._close()

    def shutdown(self) -> None:
        """Stop serving: close now if idle; otherwise the response in flight closes the connection."""
        if self.transport.is_closing():
            return
        if self.websocket is not None:
            self.websocket.close()
        elif self.exchange is None and not self.pipeline and self.incoming is None:
            self._close()
