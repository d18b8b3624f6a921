"""The HTTP/1.x engine: one `HttpProtocol` per connection, executing the responder's plans.

Shaped like uvicorn's `httptools_impl.py`: an asyncio Protocol feeding an
httptools (llhttp) parser, per-connection state apart from per-request state,
flow control in its own class, pipelined requests queued and answered in
order. What differs:

- It runs `Plan`s, not ASGI apps, so it can write interim 1xx responses,
  wait, break a response on purpose, or switch to WebSocket.
- Limits are counted here (target bytes in `on_url`, header bytes and lines
  in `on_header`, content in `on_body`, raw head bytes in `data_received`,
  since llhttp buffers a header line before it reports it), and each breach
  becomes a `ProtocolError` carrying its status: 414, 431, 413, 505, 417...
- Timeouts are not one timer per request: `ServerState.tick` sweeps every
  connection a few times a second (`check`), which costs nothing per request.
- A plan that depends only on the request head (`Plan.reusable`) is
  serialized once and kept by (method, target, version, header lines): a
  repeated request is a dict look-up and a write, with the Date refreshed
  once a second (`wire.Serialized`). When such a request came alone in one
  read, its exact bytes are kept too (`ServerState.replays`): the same bytes
  arriving again at a request boundary are the same request, so they are
  answered without parsing them again. Load testers and health checks send
  exactly that.

Invariants: a response starts only when every earlier response on the
connection has been written; nothing is written after the connection is
closed; no 1xx goes to an HTTP/1.0 client (RFC 9110 §15.2); framing comes
only from the plan's `content_length` (the responder never sets it as a field).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import TYPE_CHECKING, Any

import httptools

from statuskit import semantics
from statuskit.responder import FaultKind, Plan, Request
from statuskit.responder.plan import GARBAGE
from statuskit.server import errors, upstream
from statuskit.server.errors import ProtocolError
from statuskit.server.flow import HIGH_WATER, FlowControl
from statuskit.server.websocket import Rejected, WebSocketEcho
from statuskit.responder.wire import Serialized, encode_interim

if TYPE_CHECKING:
    from statuskit.server.server import ServerState

logger = logging.getLogger("statuskit.server")

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"

# Bytes of queued requests (target, fields, content) held before reading pauses, at
# least; the bound is max(--max-body, this), next to --max-pipeline requests.
PIPELINE_BYTES = 64 * 1024

# Bytes held after an Upgrade request until its plan says whether they are
# WebSocket frames or the next HTTP request.
UPGRADE_BUFFER_LIMIT = 64 * 1024

# Bytes looked at to tell an unknown method (501) from noise (400).
SNIFF_LIMIT = 64

# How long a dribbled body waits between writes, at least (seconds).
DRIBBLE_STEP = 0.02

# Requests longer than this are not kept for replay (bounds the memory of `ServerState.replays`).
REPLAY_LIMIT = 2048


class Replay:
    """A response to send again when the same request bytes arrive again, with what the log needs."""

    __slots__ = ("serialized", "keep_alive", "method", "target", "version")

    def __init__(self, serialized: Serialized, keep_alive: bool, method: str, target: str, version: str) -> None:
        self.serialized = serialized
        self.keep_alive = keep_alive
        self.method = method
        self.target = target
        self.version = version


class _Stop(Exception):
    """Raised inside a parser callback to stop parsing; httptools re-raises it as HttpParserCallbackError."""


class HttpProtocol(asyncio.Protocol):
    def __init__(self, state: ServerState) -> None:
        # Server-wide state.
        self.state = state
        self.config = state.config
        self.loop = state.loop
        self.clock = state.clock
        self.cache = state.cache
        self.responder = state.responder
        self.access_log = state.access_log
        self.max_target = state.config.max_target
        self.max_header_bytes = state.config.max_header_bytes
        self.max_headers = state.config.max_headers
        self.max_body = state.config.responder.max_body
        self.max_pipeline = state.config.max_pipeline
        self.pipeline_limit = max(state.config.responder.max_body, PIPELINE_BYTES)
        # llhttp holds a header line until it is complete; this bounds that buffer.
        self.head_limit = state.config.max_target + state.config.max_header_bytes + 1024

        # Per-connection state.
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.flow: FlowControl = None  # type: ignore[assignment]
        self.client: tuple[str, int] | None = None
        self.client_text = "-"
        self.scheme = "http"
        self.parser = httptools.HttpRequestParser(self)
        # Requests read ahead of their answer: (method, target, version, fields, content, keep-alive, size).
        self.pipeline: deque[tuple[bytes, bytes, str, list[tuple[bytes, bytes]], bytes, bool, int]] = deque()
        self.pipeline_bytes = 0
        self.busy = False  # a plan is being played by `task`
        self.task: asyncio.Task[None] | None = None
        self.input_closed = False  # nothing more is read: an error or a close is under way
        self.overloaded = False  # over --max-connections: answer 503 and close
        self.idle_since = 0.0
        self.reading_since: float | None = None  # a request has started and is not complete
        self.upgrade_data: bytes | None = None
        self.websocket: WebSocketEcho | None = None
        self.refusal: ProtocolError | None = None  # answered when earlier responses are out
        self.stopped = False  # parsing was stopped on purpose (early answer)
        self.stop_error: ProtocolError | None = None
        self.sniff: bytearray | None = None
        self.completed_in_feed = 0  # messages completed in the current feed_data call
        self.heads_in_feed = 0  # header sections completed in it
        self.replay_candidate: bytes | None = None  # this read, if it may be one whole request
        self.replay: Replay | None = None  # the reusable answer given during this read
        self.replays = state.replays
        self.eof = False

        # Per-request state (the request being parsed).
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.header_bytes = 0
        self.in_head = False
        self.head_seen = 0
        self.body_parts: list[bytes] | None = None
        self.body_size = 0
        self.version = "1.1"
        # A chunk header was read and no content after it yet: after the last
        # chunk, that is the trailer section, which llhttp buffers line by line.
        self.chunk_empty = False
        self.trailer_seen = 0
        self.head_fields: list[tuple[bytes, bytes]] | None = None  # the header fields while trailers arrive

    # -- asyncio.Protocol -----------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have its methods.
        self.transport = transport  # type: ignore[assignment]
        self.flow = FlowControl(self.transport)
        self.transport.set_write_buffer_limits(high=HIGH_WATER)
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            self.client = (str(peer[0]), int(peer[1]))
            self.client_text = f"{peer[0]}:{peer[1]}"
        if transport.get_extra_info("sslcontext") is not None:
            self.scheme = "https"
        self.idle_since = self.clock.now
        state = self.state
        state.connections.add(self)
        if state.served >= self.config.max_connections:
            self.overloaded = True
        else:
            state.served += 1

    def connection_lost(self, exc: Exception | None) -> None:
        state = self.state
        state.connections.discard(self)
        if not self.overloaded:
            state.served -= 1
        self.input_closed = True
        if self.task is not None:
            self.task.cancel()
        self.flow.resume_writing()
        # The parser holds this protocol's callbacks, and a WebSocket session its
        # activity callback: reference cycles that would keep every closed connection
        # in memory until the cyclic garbage collector runs (found by benchmarks/load.py:
        # RSS rising round after round). Nothing parses or echoes after this.
        self.parser = None  # type: ignore[assignment]
        self.websocket = None
        state.connection_closed()

    def eof_received(self) -> bool | None:
        if self.websocket is not None:
            self.websocket.receive_eof()
            return None
        self.eof = True
        # A client may half-close after its last request and still read the answer.
        return True if self.busy or self.pipeline else None

    def pause_writing(self) -> None:
        self.flow.pause_writing(self.clock.now)
        self.flow.pause_reading()

    def resume_writing(self) -> None:
        self.flow.resume_writing()
        if not self.busy:
            self._next()

    def data_received(self, data: bytes) -> None:
        if self.websocket is not None:
            self.websocket.receive(data)
            return
        if self.input_closed:
            return
        if self.upgrade_data is not None:
            self.upgrade_data += data
            if len(self.upgrade_data) > UPGRADE_BUFFER_LIMIT:
                self.flow.pause_reading()
            return
        if self.sniff is not None:
            self.sniff += data
            self._sniff_method()
            return
        replay = self.replays.get(data)
        if (
            replay is not None
            and self.reading_since is None
            and not self.busy
            and not self.pipeline
            and not self.flow.write_paused
            and not self.overloaded
        ):
            close = not replay.keep_alive or self.state.stopping
            self.transport.write(replay.serialized.message(self.clock.date_line, close))
            if self.access_log is not None:
                self.access_log.log(
                    self.client_text, replay.method, replay.target, replay.version, replay.serialized.status, replay.serialized.length
                )
            if close:
                self._close()
            else:
                self.idle_since = self.clock.now
            return
        if self.reading_since is None and len(data) <= REPLAY_LIMIT and data.endswith(b"\r\n\r\n"):
            self.replay_candidate = data
        else:
            self.replay_candidate = None
        # llhttp holds an unfinished header line without reporting it, so the
        # bytes of an unfinished head are counted here: all of a read that
        # continues a head (up to its end), and the tail of a read that starts one.
        continues_head = self.in_head
        if continues_head:
            end = data.find(b"\r\n\r\n")
            self.head_seen += len(data) if end < 0 else end
            if self.head_seen > self.head_limit:
                self._refuse(ProtocolError(431, self._header_limit_detail()))
                return
        trailing = self.chunk_empty
        self._feed(data)
        if trailing and self.chunk_empty and not self.input_closed:
            # All of this read went to the trailer section (or a chunk size line):
            # bounded like a header section, also while one endless line arrives.
            self.trailer_seen += len(data)
            if self.header_bytes + self.trailer_seen > self.max_header_bytes:
                self._refuse(ProtocolError(431, self._trailer_limit_detail()))
            return
        if self.in_head and not self.input_closed:
            if not continues_head:
                last = data.rfind(b"\r\n\r\n")
                self.head_seen += len(data) - (last + 4 if last >= 0 else 0)
                if self.head_seen > self.head_limit:
                    self._refuse(ProtocolError(431, self._header_limit_detail()))
                    return
            if self.parser.get_http_version() == "0.0":
                # No version yet: llhttp keeps the last message's, so this is the
                # first request of the connection, and all of `data` (but blank
                # lines before it) is its head. A line ended without a version:
                # an HTTP/0.9 request, which would otherwise wait for --request-timeout.
                if b"\n" in (data if continues_head else data.lstrip(b"\r\n")):
                    self._refuse(ProtocolError(505, "an HTTP/0.9 request (no version): this server speaks HTTP/1.1 and HTTP/1.0"))

    # -- parsing --------------------------------------------------------------------

    def _feed(self, data: bytes) -> None:
        while data:
            self.completed_in_feed = self.heads_in_feed = 0
            self.replay = None
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade as exc:
                rest = data[exc.args[0] :] if exc.args else b""
                if self.busy or self.pipeline or self.websocket is not None or self.input_closed:
                    # The plan of the Upgrade request decides what `rest` is.
                    self.upgrade_data = rest
                    if len(rest) > UPGRADE_BUFFER_LIMIT:
                        self.flow.pause_reading()
                    return
                data = rest  # declined and answered already: the rest is HTTP again
                continue
            except httptools.HttpParserCallbackError:
                error, self.stop_error = self.stop_error, None
                if error is not None:
                    self._refuse(error)
                elif not self.stopped:
                    logger.error("a parser callback failed on %s", self.client_text)
                    self._refuse(ProtocolError(500, "the server failed to read this request (a statuskit bug)"))
                return
            except httptools.HttpParserInvalidMethodError:
                self._start_sniff(data)
                return
            except httptools.HttpParserError as exc:
                # A bad target comes after the method: the method is known then.
                self._refuse(errors.from_parser_error(exc, self._parser_version()), isinstance(exc, httptools.HttpParserInvalidURLError) or None)
                return
            candidate = self.replay_candidate
            if (
                candidate is not None
                and self.replay is not None
                and self.completed_in_feed == 1
                and self.heads_in_feed == 1
                and data is candidate
            ):
                # This read was exactly one bodiless request with a reusable answer.
                self.state.remember_replay(candidate, self.replay)
            return

    def _parser_version(self) -> str | None:
        try:
            return str(self.parser.get_http_version())
        except Exception:  # noqa: BLE001 - the parser may not have read a version yet.
            return None

    def _stop(self, error: ProtocolError) -> None:
        self.stop_error = error
        raise _Stop

    def _header_limit_detail(self) -> str:
        return f"the header section is larger than {self.max_header_bytes} bytes (--max-header-bytes)"

    def _trailer_limit_detail(self) -> str:
        return f"the header and trailer sections are larger than {self.max_header_bytes} bytes (--max-header-bytes)"

    def on_message_begin(self) -> None:
        self.url = b""
        self.headers = []
        self.header_bytes = 0
        self.head_seen = 0
        self.in_head = True
        self.body_parts = None
        self.body_size = 0
        self.reading_since = self.clock.now

    def on_url(self, url: bytes) -> None:
        self.url += url
        if len(self.url) > self.max_target:
            # RFC 9110 §15.5.15: the target URI is longer than the server is willing to interpret.
            self._stop(ProtocolError(414, f"the request target is longer than {self.max_target} bytes (--max-target)"))

    def on_header(self, name: bytes, value: bytes) -> None:
        # After chunked content these are trailer fields, collected apart (see on_headers_complete).
        self.headers.append((name, value))
        self.header_bytes += len(name) + len(value) + 4
        if self.header_bytes > self.max_header_bytes:
            # RFC 6585 §5: 431 when the header section (or one field) is too large.
            self._stop(ProtocolError(431, self._header_limit_detail() if self.in_head else self._trailer_limit_detail()))
        if len(self.headers) > self.max_headers:
            self._stop(ProtocolError(431, f"more than {self.max_headers} header fields (--max-headers)"))

    def on_headers_complete(self) -> None:
        self.in_head = False
        self.heads_in_feed += 1
        version = self.parser.get_http_version()
        if version != "1.1" and version != "1.0":
            # RFC 9110 §15.6.6: the server does not support the major version used.
            self._stop(ProtocolError(505, f"HTTP/{version} is not supported: this server speaks HTTP/1.1 and HTTP/1.0"))
        self.version = version
        hosts = 0
        length = 0
        codings: list[bytes] | None = None
        expect: bytes | None = None
        for name, value in self.headers:
            size = len(name)
            if size == 4:
                if name.lower() == b"host":
                    hosts += 1
            elif size == 14:
                if name.lower() == b"content-length":
                    length = int(value)  # llhttp has checked it is one decimal number
            elif size == 17:
                if name.lower() == b"transfer-encoding":
                    codings = (codings or []) + [coding.strip().lower() for coding in value.split(b",")]
            elif size == 6 and name.lower() == b"expect":
                expect = value
        if hosts > 1 or (hosts == 0 and version == "1.1"):
            # RFC 9110 §7.2: an HTTP/1.1 request carries exactly one Host (RFC 9112 §3.2 makes it a 400).
            self._stop(ProtocolError(400, "an HTTP/1.1 request needs exactly one Host header field (RFC 9110 §7.2)"))
        chunked = codings is not None
        if codings is not None:
            # Trailer fields, if any, go to a list of their own, counted against the limits and
            # then dropped: RFC 9110 §6.5.1, "A recipient MUST NOT merge a trailer field into a
            # header section unless the recipient understands the corresponding header field
            # definition and that definition explicitly permits and defines how trailer field
            # values can be safely merged." No field the URL API reads does.
            self.head_fields = self.headers
            self.trailer_seen = 0
            if codings[-1] != b"chunked" or b"chunked" in codings[:-1]:
                # Only chunked, once and last, says where the content ends (llhttp agrees).
                self._stop(ProtocolError(400, "Transfer-Encoding must end with chunked, once (request smuggling)"))
            if version == "1.0":
                # HTTP/1.0 has no transfer codings: a 1.0 front end frames this message
                # differently, so HTTP/1.1 (RFC 9112) has the server treat it as faulty framing.
                self._stop(ProtocolError(400, "Transfer-Encoding in an HTTP/1.0 request: the framing is ambiguous (request smuggling)"))
            if len(codings) > 1:
                # The content would arrive still coded (gzip...), which this server cannot undo.
                other = next(coding for coding in codings if coding != b"chunked")
                shown = other[:40].decode("latin-1")
                self._stop(ProtocolError(501, f"the transfer coding {shown!r} is not implemented; send the content chunked only"))
        if self.overloaded:
            self._stop(ProtocolError(503, f"the server has {self.config.max_connections} connections open (--max-connections)"))
        if length > self.max_body:
            # RFC 9110 §15.5.14: refuse before reading content that is too large.
            self._stop(ProtocolError(413, f"the content is larger than {self.max_body} bytes (--max-body)"))
        has_body = chunked or length > 0
        if has_body:
            self.body_parts = []
        if expect is not None and version == "1.1":
            # RFC 9110 §10.1.1: 100-continue is the only expectation; a server MUST
            # ignore it in HTTP/1.0 and MAY answer any other with 417.
            if expect.strip().lower().decode("latin-1") not in semantics.EXPECTATIONS:
                shown = expect[:60].decode("latin-1")
                self._stop(ProtocolError(417, f"the expectation {shown!r} is not supported; only 100-continue is"))
            if has_body and not self.busy and not self.pipeline:
                head = self._request(self.parser.get_method(), self.url, version, self.headers, b"")
                if self.responder.wants_body(head):
                    self.transport.write(CONTINUE)
                else:
                    self._answer_early(head)
        if chunked:
            self.headers = []  # for the trailer fields; on_message_complete puts the header fields back

    def on_body(self, body: bytes) -> None:
        self.chunk_empty = False
        self.body_size += len(body)
        if self.body_size > self.max_body:
            self._stop(ProtocolError(413, f"the content is larger than {self.max_body} bytes (--max-body)"))
        if self.body_parts is None:
            self.body_parts = []
        self.body_parts.append(body)

    def on_chunk_header(self) -> None:
        self.chunk_empty = True

    def on_chunk_complete(self) -> None:
        self.chunk_empty = False

    def on_message_complete(self) -> None:
        self.reading_since = None
        self.chunk_empty = False
        if self.head_fields is not None:
            self.headers, self.head_fields = self.head_fields, None
        self.completed_in_feed += 1
        method = self.parser.get_method()
        keep_alive = self.parser.should_keep_alive() and method != b"CONNECT" and not self.state.stopping
        body = b"".join(self.body_parts) if self.body_parts else b""
        if self.busy or self.pipeline or self.flow.write_paused:
            # Read ahead while an earlier answer is under way: bounded in number and in bytes,
            # then reading pauses until the queue is answered.
            size = len(self.url) + self.header_bytes + len(body)
            self.pipeline.append((method, self.url, self.version, self.headers, body, keep_alive, size))
            self.pipeline_bytes += size
            if len(self.pipeline) >= self.max_pipeline or self.pipeline_bytes >= self.pipeline_limit:
                self.flow.pause_reading()
            return
        self._handle(method, self.url, self.version, self.headers, body, keep_alive)

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
        self.sniff = bytearray(data[position:])
        self._sniff_method()

    def _sniff_method(self) -> None:
        sniff = self.sniff
        assert sniff is not None
        error = errors.method_error(bytes(sniff[:SNIFF_LIMIT]), SNIFF_LIMIT)
        if error is None:
            return  # wait for the end of the token (the request timeout bounds the wait)
        self.sniff = None
        self._refuse(error, False)

    # -- answering ------------------------------------------------------------------

    def _request(
        self, method: bytes, url: bytes, version: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Request:
        return Request.build(
            method.decode("ascii", "replace"),
            url.decode("latin-1"),
            http_version=version,
            headers=[(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers],
            body=body,
            client=self.client,
            scheme=self.scheme,
            now=time.time(),
        )

    def _handle(
        self,
        method: bytes,
        url: bytes,
        version: str,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        keep_alive: bool,
    ) -> None:
        key: tuple[Any, ...] | None = None
        if not body:
            key = (method, url, version, tuple(headers))
            cached = self.cache.get(key)
            if cached is not None:
                if self.replay_candidate is not None:
                    self.replay = Replay(cached, keep_alive, method.decode("ascii"), url.decode("latin-1"), version)
                close = not keep_alive
                self.transport.write(cached.message(self.clock.date_line, close))
                if self.access_log is not None:
                    self.access_log.log(
                        self.client_text, method.decode("ascii"), url.decode("latin-1"), version, cached.status, cached.length
                    )
                if close:
                    self._close()
                else:
                    self.idle_since = self.clock.now
                return
        request = self._request(method, url, version, headers, body)
        try:
            plan = self.responder.respond(request)
        except Exception:
            logger.exception("the responder failed on %s", request.line)
            plan = self.responder.error(500, "the server failed to answer this request (a statuskit bug)")
            keep_alive = False
        self._execute(plan, request, key, not keep_alive or plan.close)

    def _execute(self, plan: Plan, request: Request, key: tuple[Any, ...] | None, close: bool) -> None:
        if plan.simple:
            serialized = Serialized(plan, request.http_version, head=request.method == "HEAD")
            if key is not None and plan.reusable and not plan.close:
                self.state.remember(key, serialized)
                if self.replay_candidate is not None:
                    self.replay = Replay(serialized, not close, request.method, request.target, request.http_version)
            self._send(serialized, close, request)
            return
        self.busy = True
        self.task = self.loop.create_task(self._run(plan, request, close))

    def _send(self, serialized: Serialized, close: bool, request: Request | None) -> None:
        self.transport.write(serialized.message(self.clock.date_line, close))
        self._log(request, serialized.status, serialized.length)
        if close:
            self._close()
        else:
            self.idle_since = self.clock.now

    def _log(self, request: Request | None, status: int | str, size: int | str) -> None:
        if self.access_log is None:
            return
        if request is None:
            self.access_log.log(self.client_text, "-", "-", "-", status, size)
        else:
            self.access_log.log(self.client_text, request.method, request.target, request.http_version, status, size)

    def _answer_early(self, head: Request) -> None:
        # RFC 9110 §10.1.1: the final status is known from the head, so send it
        # instead of 100 (Continue), and close: the content may follow anyway.
        self.input_closed = True
        self.stopped = True
        try:
            plan = self.responder.respond(head)
        except Exception:
            logger.exception("the responder failed on %s", head.line)
            plan = self.responder.error(500, "the server failed to answer this request (a statuskit bug)")
        self._execute(plan, head, None, True)
        raise _Stop

    def _refuse(self, error: ProtocolError, method_read: bool | None = None) -> None:
        """Answer a request the engine cannot pass on, then close (after any earlier responses)."""
        if self.transport.is_closing():
            return  # the connection ended already (e.g. llhttp's "data after Connection: close")
        # RFC 9110 §9.3.2: no content in a response to HEAD, a refusal included,
        # once the method of the refused request has been read (by default: its target has begun).
        if method_read is None:
            method_read = bool(self.url)
        error.head = method_read and self.reading_since is not None and self.parser.get_method() == b"HEAD"
        self.input_closed = True
        self.sniff = None
        self.reading_since = None
        if self.busy or self.pipeline:
            self.refusal = error
            return
        self._send_refusal(error)

    def _send_refusal(self, error: ProtocolError) -> None:
        plan = self.responder.error(error.status, error.detail)
        self._send(Serialized(plan, head=error.head), True, None)

    def _close(self) -> None:
        self.input_closed = True
        self.transport.close()

    def _next(self) -> None:
        """After a response: the next pipelined request, a held refusal or upgrade, or idleness."""
        transport = self.transport
        while self.pipeline and not self.busy and not self.flow.write_paused and not transport.is_closing():
            method, url, version, headers, body, keep_alive, size = self.pipeline.popleft()
            self.pipeline_bytes -= size
            self._handle(method, url, version, headers, body, keep_alive)
        if self.busy or self.flow.write_paused or transport.is_closing():
            return
        if self.refusal is not None:
            error, self.refusal = self.refusal, None
            self._send_refusal(error)
            return
        if self.upgrade_data is not None and not self.input_closed:
            data, self.upgrade_data = self.upgrade_data, None
            self._feed(data)
            if self.busy or transport.is_closing():
                return
        if self.eof or (self.state.stopping and self.reading_since is None):
            self._close()
            return
        if not self.input_closed:
            self.flow.resume_reading()
        if self.reading_since is not None:
            # The clock of a request read while earlier ones were answered starts now.
            self.reading_since = self.clock.now
        self.idle_since = self.clock.now

    # -- plans that take time -----------------------------------------------------------

    async def _run(self, plan: Plan, request: Request, close: bool) -> None:
        try:
            if plan.upstream is not None:
                plan = await self._through_upstream(plan, request)
                close = close or plan.close
                if self.transport.is_closing():
                    return
            await self._play(plan, request, close)
        except asyncio.CancelledError:
            pass  # the connection is gone; nothing is left to write to
        except Exception:
            logger.exception("playing the plan for %s failed", request.line)
            self.transport.abort()
        finally:
            self.busy = False
            self.task = None
            if not self.transport.is_closing():
                self._next()

    async def _play(self, plan: Plan, request: Request, close: bool) -> None:
        write = self.transport.write
        # RFC 9110 §15.2: "a server MUST NOT send a 1xx response to an HTTP/1.0 client."
        interim_allowed = semantics.interims_allowed(request.http_version)
        closing = self.transport.is_closing
        for interim in plan.interims:
            if interim.delay:
                await asyncio.sleep(interim.delay)
            if closing():
                return
            if interim_allowed:
                write(encode_interim(interim))
                await self.flow.drain()
        if plan.delay:
            heartbeat = plan.heartbeat if interim_allowed else None
            await self._wait(plan.delay, heartbeat, plan.heartbeat_every)
        if closing():
            return  # aborted by the shutdown grace or the client while waiting
        if self.state.stopping:
            close = True
        if plan.upgrade:
            self._switch(plan, request)
            return
        serialized = Serialized(plan, request.http_version, head=request.method == "HEAD")
        fault = plan.fault
        if fault is None:
            self._send(serialized, close, request)
            return
        kind = fault.kind
        if kind is FaultKind.DROP:
            self._log(request, f"{plan.status}:{kind}", 0)
            self._close()
            return
        if kind is FaultKind.GARBAGE:
            write(GARBAGE)
            self._log(request, f"{plan.status}:{kind}", len(GARBAGE))
            self._close()
            return
        write(serialized.head(self.clock.date_line, close))
        body = serialized.body
        if kind is FaultKind.DROP_MID_BODY:
            write(body[: len(body) // 2])
        elif kind is FaultKind.STALL:
            await asyncio.sleep(fault.duration)
            if self.transport.is_closing():
                return
        elif kind is FaultKind.DRIBBLE:
            await self._dribble(body, fault.duration)
            if self.transport.is_closing():
                return
            self._log(request, f"{plan.status}:{kind}", len(body))
            if close:
                self._close()
            else:
                self.idle_since = self.clock.now
            return
        self._log(request, f"{plan.status}:{kind}", 0)
        self._close()

    async def _through_upstream(self, plan: Plan, request: Request) -> Plan:
        """Make the plan's upstream request to this server's own address; the responder's answer to it."""
        assert plan.upstream is not None
        host, port = self.state.upstream_address
        outcome = await upstream.fetch(plan.upstream, host, port, tls=self.config.ssl is not None)
        try:
            answer = self.responder.after_upstream(request, outcome)
            if answer.upstream is not None:
                raise ValueError("a plan given after an upstream request asks for another one")
            return answer
        except Exception:
            logger.exception("the responder failed after the upstream request of %s", request.line)
            return self.responder.error(500, "the server failed to answer this request (a statuskit bug)")

    async def _wait(self, delay: float, heartbeat: Any, every: float) -> None:
        if heartbeat is None:
            await asyncio.sleep(delay)
            return
        # Beats at fixed times (every, 2 * every, ... before the end), so that
        # timers firing a little early can never add beats.
        start = self.loop.time()
        beats = int((delay - 0.001) // every)
        for beat in range(1, beats + 1):
            await asyncio.sleep(max(0.0, start + beat * every - self.loop.time()))
            if self.transport.is_closing():
                return
            self.transport.write(encode_interim(heartbeat))
            await self.flow.drain()
        await asyncio.sleep(max(0.0, start + delay - self.loop.time()))

    async def _dribble(self, body: bytes, duration: float) -> None:
        if not body:
            await asyncio.sleep(duration)
            return
        steps = max(1, min(len(body), int(duration / DRIBBLE_STEP)))
        size = -(-len(body) // steps)
        pause = duration / steps
        for start in range(0, len(body), size):
            await asyncio.sleep(pause)
            if self.transport.is_closing():
                return
            self.transport.write(body[start : start + size])
            await self.flow.drain()

    def _switch(self, plan: Plan, request: Request) -> None:
        try:
            session, data = WebSocketEcho.handshake(request, plan, self.transport, self.max_body, self._touch)
        except Rejected as exc:
            refusal = self.responder.error(exc.status, exc.detail, request)
            self._send(Serialized(refusal, request.http_version, head=request.method == "HEAD"), True, request)
            return
        self.transport.write(data)
        self._log(request, plan.status, 0)
        self.websocket = session
        self.idle_since = self.clock.now
        buffered, self.upgrade_data = self.upgrade_data, None
        self.flow.resume_reading()
        if buffered:
            session.receive(buffered)

    def _touch(self) -> None:
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
        if self.busy or self.pipeline:
            return
        if self.reading_since is not None:
            if now - self.reading_since > config.request_timeout:
                # RFC 9110 §15.5.9: the server did not receive a complete request in time.
                self._refuse(
                    ProtocolError(408, f"the request was not complete within {config.request_timeout:g} s (--request-timeout)")
                )
        elif now - self.idle_since > config.keepalive_timeout:
            self._close()

    def shutdown(self) -> None:
        """Stop serving: close now if idle; otherwise the response in flight closes the connection."""
        if self.transport.is_closing():
            return
        if self.websocket is not None:
            self.websocket.close()
        elif not self.busy and not self.pipeline and self.reading_since is None:
            self._close()
