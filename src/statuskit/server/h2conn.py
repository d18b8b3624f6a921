"""The HTTP/2 engine: one `H2Protocol` per connection, each stream playing a plan like an HTTP/1.1 request.

The `h2` library (python-hyper, sans-IO) does the framing, HPACK, stream
states and flow-control accounting; this module reads its events, asks the
responder for a plan per stream, and plays it with the same `player` as
HTTP/1.1 on a `Stream` that maps the pieces onto frames:

- an interim response (100, 102, 103, 104) is a HEADERS frame before the
  final one (RFC 9113 §8.1), repeated 102s included;
- the final head is a HEADERS frame, the content DATA frames sent as the
  peer's flow-control windows allow, END_STREAM on the last (none at all
  for 204, 304 and HEAD, which end on the HEADERS frame);
- a fault cuts the stream with RST_STREAM (INTERNAL_ERROR): before the
  HEADERS (drop), after them (drop-after-headers, stall), after half the
  content (drop-mid-body); dribble sends the content in small DATA frames;
  garbage writes bytes that are no HTTP/2 frame onto the connection, which
  the client must treat as a connection error: every stream on it ends;
- a plan that closes the connection (408) sends GOAWAY (NO_ERROR) once its
  response is out: the streams already open finish, no new one is taken;
- a plan that switches to a WebSocket (/101, asked by an extended CONNECT,
  RFC 8441, which SETTINGS_ENABLE_CONNECT_PROTOCOL offers) is a 200 HEADERS
  frame, then `websocket.WebSocketEcho` on the stream's DATA frames.

Connection-specific fields (RFC 9113 §8.2.2) are never sent; a request
carrying them, or malformed otherwise (h2's header checks, run here rather
than inside h2 so that they are stream errors), gets RST_STREAM
(PROTOCOL_ERROR) and the connection goes on; so does one whose DATA do not
add up to its content-length. Limits: SETTINGS_MAX_CONCURRENT_STREAMS is
--max-streams (a stream over it is refused, REFUSED_STREAM),
SETTINGS_MAX_HEADER_LIST_SIZE is --max-header-bytes (a larger list gets 431,
and HPACK stops decoding at `HPACK_LIMIT_FACTOR` times it), content over
--max-body gets 413 then RST_STREAM, an unfinished request 408 after
--request-timeout. Frames that make the server work without asking for a
response (PING, SETTINGS, empty DATA, PRIORITY, WINDOW_UPDATE, RST_STREAM
from the client: rapid reset, streams refused over the limit) are counted; over `MAX_JUNK` within
`JUNK_WINDOW` seconds the connection ends with GOAWAY (ENHANCE_YOUR_CALM).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, cast

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import h2.stream
from h2.errors import ErrorCodes
from h2.utilities import HeaderValidationFlags, validate_headers
from hyperframe.frame import GoAwayFrame

from statuskit.responder import Fields, Plan, Request
from statuskit.responder.plan import GARBAGE, Interim
from statuskit.responder.wire import SERVER, _latin1
from statuskit.server import player
from statuskit.server.errors import ProtocolError
from statuskit.server.flow import HIGH_WATER, FlowControl
from statuskit.server.head import check_head
from statuskit.server.memo import Key
from statuskit.server.websocket import Rejected, WebSocketEcho

if TYPE_CHECKING:
    from statuskit.server.server import ServerState

logger = logging.getLogger("statuskit.server")

SERVER_BYTES = SERVER.encode("ascii")

# Fields that describe a connection, not a message: never on HTTP/2 (RFC 9113 §8.2.2).
CONNECTION_SPECIFIC = frozenset({b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"upgrade"})

# Frames that ask for no response (see the module's docstring), per connection and window.
MAX_JUNK = 1000
JUNK_WINDOW = 10.0

# HPACK decoding stops (COMPRESSION_ERROR, the connection ends) past this many times
# --max-header-bytes; between --max-header-bytes and that, the answer is 431.
HPACK_LIMIT_FACTOR = 4

# The methods llhttp knows, as HTTP/1.x answers them; any other token gets 501 on HTTP/2 too.
KNOWN_METHODS = frozenset(
    b"DELETE GET HEAD POST PUT CONNECT OPTIONS TRACE COPY LOCK MKCOL MOVE PROPFIND PROPPATCH SEARCH UNLOCK BIND "
    b"REBIND UNBIND ACL REPORT MKACTIVITY CHECKOUT MERGE M-SEARCH NOTIFY SUBSCRIBE UNSUBSCRIBE PATCH PURGE "
    b"MKCALENDAR LINK UNLINK SOURCE QUERY".split()
)


REQUEST = HeaderValidationFlags(is_client=False, is_trailer=False, is_response_header=False, is_push_promise=False)
TRAILERS = REQUEST._replace(is_trailer=True)


def malformed(headers: list[tuple[bytes, bytes]], flags: HeaderValidationFlags) -> str | None:
    """Why a header list breaks RFC 9113 §8.2-8.3 (h2's own checks), or None."""
    try:
        for _ in validate_headers(headers, flags):
            pass
    except h2.exceptions.ProtocolError as exc:
        return str(exc)
    return None


class _LocalSettings(h2.settings.Settings):
    """Our SETTINGS, whose MAX_CONCURRENT_STREAMS h2 advertises but does not enforce.

    h2 answers a stream over the limit with a connection error; `H2Protocol`
    counts the streams itself and refuses only the extra one (REFUSED_STREAM,
    RFC 9113 §5.1.2 allows either), so that the streams already open finish.
    """

    @property
    def max_concurrent_streams(self) -> int:
        return 2**32 + 1  # h2's "no limit"

    @max_concurrent_streams.setter
    def max_concurrent_streams(self, value: int) -> None:
        self[h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS] = value


class _UnmeasuredStream(h2.stream.H2Stream):
    """An h2 stream that leaves content-length to `H2Protocol`.

    h2 treats DATA that do not add up to content-length (and a content-length
    that is no number) as a connection error; RFC 9113 §8.1.1 makes such a
    request malformed, a stream error, which the engine sends itself.
    """

    def _initialize_content_length(self, headers: Any) -> None:
        self._expected_content_length = None


class _Connection(h2.connection.H2Connection):
    def _begin_new_stream(self, stream_id: int, allowed_ids: Any) -> h2.stream.H2Stream:
        stream = super()._begin_new_stream(stream_id, allowed_ids)
        stream.__class__ = _UnmeasuredStream  # the same object, without h2's content-length check
        return stream


def declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """The content-length of a request head, None without one; ValueError unless it is one number (RFC 9110 §8.6)."""
    values = {value for name, value in headers if name == b"content-length"}
    if not values:
        return None
    (value,) = values  # ValueError for two different ones
    if not value.isdigit():
        raise ValueError(value)
    return int(value)


class H2Message:
    """A final response as HTTP/2 fields and content (the `player.Message` of this wire).

    Made without Date, which `dated` adds (the copy is kept for the second it is
    valid), so that a reusable answer is remembered once and sent again as is.
    """

    __slots__ = ("status", "headers", "body", "length", "dates", "_stamp", "_dated")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], dates: bool, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.length = len(body)
        self.dates = dates  # the plan set no Date of its own
        self._stamp = b""
        self._dated: H2Message | None = None

    def dated(self, date_line: bytes) -> H2Message:
        """This response with the Date of `date_line` (the HTTP/1.1 field line the clock keeps)."""
        if not self.dates:
            return self
        if self._stamp is not date_line or self._dated is None:
            self._stamp = date_line
            self._dated = H2Message(self.status, [*self.headers, (b"date", date_line[6:-2])], False, self.body)
        return self._dated


def response_fields(
    status: int, fields: Fields, content_length: int | None = None, *, interim: bool = False
) -> tuple[list[tuple[bytes, bytes]], bool]:
    """The header list of a response (:status, the plan's fields but connection-specific ones, Server),
    and whether it lacks a Date (`H2Message.dated` adds it).

    An interim response gets only its own fields, as on HTTP/1.1.
    """
    headers = [(b":status", b"%d" % status)]
    has_server = has_date = False
    for name, value in fields:
        lower = _latin1(name.lower())
        if lower in CONNECTION_SPECIFIC:
            continue
        has_server = has_server or lower == b"server"
        has_date = has_date or lower == b"date"
        headers.append((lower, _latin1(value)))
    if interim:
        return headers, False
    if not has_server:
        headers.append((b"server", SERVER_BYTES))
    if content_length is not None:
        headers.append((b"content-length", b"%d" % content_length))
    return headers, not has_date


class Stream:
    """One request on an HTTP/2 connection: its head and content as they arrive, then its answer (a `player.Wire`)."""

    def __init__(self, connection: H2Protocol, stream_id: int, now: float) -> None:
        self.connection = connection
        self.id = stream_id
        self.since = now
        self.fields: list[tuple[bytes, bytes]] = []
        self.pseudo: dict[bytes, bytes] = {}
        self.content: list[bytes] = []
        self.size = 0
        self.declared: int | None = None  # the request's content-length
        self.complete = False  # the request has ended (END_STREAM)
        self.answered = False  # a final response has begun
        self.ended = False  # END_STREAM sent, or the stream was reset
        self.gone = False  # reset, by either side
        self.pending = b""  # content waiting for flow-control window
        self.end_pending = False  # END_STREAM to send after `pending`
        self.waiting_since = 0.0  # when `pending` last could not go out
        self.drained: asyncio.Future[None] | None = None
        self.task: asyncio.Task[None] | None = None
        self._request: Request | None = None
        self.interims_allowed = True
        self.last = False  # the plan closes the connection: GOAWAY once this answer is out
        self.reset_code = ErrorCodes.NO_ERROR  # for a stream answered before its request ended (RFC 9113 §8.1)
        self.websocket: WebSocketEcho | None = None  # after 200 to an extended CONNECT (RFC 8441)
        self.active = now  # the WebSocket's last frame, for --websocket-timeout
        self.unacked = 0  # WebSocket bytes read but not yet given back to the client's window

    @property
    def request(self) -> Request:
        """The request as the responder reads it, built when first needed: a remembered answer needs none."""
        if self._request is None:
            self._request = self.connection._request(self, b"")
        return self._request

    @request.setter
    def request(self, request: Request) -> None:
        self._request = request

    # -- player.Wire ---------------------------------------------------------------------

    def closing(self) -> bool:
        return self.ended or self.connection.transport.is_closing()

    async def drain(self) -> None:
        await self.connection.flow.drain()
        while self.pending and not self.closing():
            if self.drained is None:
                self.drained = asyncio.get_running_loop().create_future()
            await self.drained

    def interim(self, interim: Interim) -> None:
        self.connection.send_headers(self, response_fields(interim.status, interim.headers, interim=True)[0], False)

    def prepare(self, plan: Plan) -> H2Message:
        return self.template(plan).dated(self.connection.clock.date_line)

    def template(self, plan: Plan) -> H2Message:
        """The final response of `plan` without its Date."""
        head = self.request.method == "HEAD"
        body = b"" if head else plan.body
        content_length = plan.content_length
        if not head and (body or content_length):
            content_length = len(body)
        headers, dates = response_fields(plan.status, plan.headers, content_length)
        return H2Message(plan.status, headers, dates, body)

    def send(self, message: H2Message, close: bool) -> None:
        self.last = self.last or close
        self.head(message, close, end=not message.body)
        if message.body:
            self.body_out(message.body, end=True)
        self._log(message.status, len(message.body))

    def head(self, message: H2Message, close: bool, *, end: bool = False) -> None:
        self.answered = True
        self.connection.send_headers(self, message.headers, end)

    def body(self, data: bytes) -> None:
        self.body_out(data, end=False)

    def body_out(self, data: bytes, *, end: bool) -> None:
        self.pending += data
        self.end_pending = end
        self.connection.pump(self)

    def done(self, label: str, size: int, close: bool) -> None:
        self.last = self.last or close
        self.body_out(b"", end=True)
        self._log(label, size)

    def cut(self, label: str, size: int) -> None:
        self._log(label, size)
        self.connection.reset(self, ErrorCodes.INTERNAL_ERROR)

    def garbage(self, label: str) -> None:
        self._log(label, len(GARBAGE))
        self.connection.transport.write(GARBAGE)
        self.connection.close()

    def switch(self, plan: Plan) -> None:
        # HTTP/2 has no 101 (RFC 9113 §8.6): the plan of an extended CONNECT is a 200 whose stream
        # then carries the WebSocket (RFC 8441 §5), ended by END_STREAM, cut by RST_STREAM.
        connection = self.connection
        try:
            session = WebSocketEcho.tunnel(
                self.request, self.body, self.end_tunnel, connection.config.responder.max_body, self.touch
            )
        except Rejected as exc:
            self.send(self.prepare(connection.responder.error(exc.status, exc.detail, self.request)), False)
            return
        self.head(self.prepare(plan), False)
        self._log(plan.status, 0)
        self.websocket = session
        self.touch()
        buffered, self.content = b"".join(self.content), []
        if buffered:
            session.receive(buffered)

    def touch(self) -> None:
        self.active = self.connection.clock.now

    def end_tunnel(self) -> None:
        if not self.ended and not self.end_pending:
            self.body_out(b"", end=True)

    def abort(self) -> None:
        self.connection.reset(self, ErrorCodes.INTERNAL_ERROR)

    def finished(self) -> None:
        self.task = None
        self.connection.stream_done(self)

    def _log(self, status: int | str, size: int) -> None:
        connection = self.connection
        if connection.access_log is not None:
            request = self.request
            connection.access_log.log(connection.client_text, request.method, request.target, "2", status, size)


class H2Protocol(asyncio.Protocol):
    def __init__(self, state: ServerState, scheme: str) -> None:
        self.state = state
        self.config = state.config
        self.clock = state.clock
        self.responder = state.responder
        self.access_log = state.access_log
        self.scheme = scheme
        config = self.config
        # Responses are not validated: their fields come from plans, already lower-case here
        # and checked by the responder.
        self.h2 = _Connection(
            h2.config.H2Configuration(
                client_side=False,
                header_encoding=None,
                # Checked here instead (`malformed`), so that a malformed request resets its stream, not the connection.
                validate_inbound_headers=False,
                validate_outbound_headers=False,
                normalize_outbound_headers=False,
            )
        )
        self.memos = state.memos
        self.reading = False  # inside data_received: frames go out in one write at its end
        self.h2.local_settings = _LocalSettings(
            client=False,
            initial_values={
                h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: config.max_streams,
                h2.settings.SettingCodes.MAX_HEADER_LIST_SIZE: config.max_header_bytes,
                # RFC 8441 §3: extended CONNECT, for WebSockets over HTTP/2.
                h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 1,
            },
        )
        self.hpack_limit = HPACK_LIMIT_FACTOR * config.max_header_bytes
        self.h2.decoder.max_header_list_size = self.hpack_limit
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.flow: FlowControl = None  # type: ignore[assignment]
        self.client: tuple[str, int] | None = None
        self.client_text = "-"
        self.streams: dict[int, Stream] = {}
        self.overloaded = False
        self.idle_since = 0.0
        self.junk = 0
        self.junk_since = 0.0
        self.last_stream: int | None = None  # GOAWAY sent: streams above this are refused

    # -- asyncio.Protocol ------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.flow = FlowControl(self.transport)
        self.transport.set_write_buffer_limits(high=HIGH_WATER)
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            self.client = (str(peer[0]), int(peer[1]))
            self.client_text = f"{peer[0]}:{peer[1]}"
        self.idle_since = self.junk_since = self.clock.now
        self.overloaded = self.state.admit(self)
        self.h2.initiate_connection()
        self.flush()

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.release(self, self.overloaded)
        for stream in list(self.streams.values()):
            stream.ended = True
            if stream.task is not None:
                stream.task.cancel()
            self._wake(stream)
        self.streams.clear()
        self.flow.resume_writing()

    def pause_writing(self) -> None:
        # A peer that sends but does not read (PING or SETTINGS floods included) is not read either.
        self.flow.pause_writing(self.clock.now)
        self.flow.pause_reading()

    def resume_writing(self) -> None:
        self.flow.resume_writing()
        self.flow.resume_reading()

    def eof_received(self) -> bool | None:
        return None

    def data_received(self, data: bytes) -> None:
        try:
            events = self.h2.receive_data(data)
        except h2.exceptions.ProtocolError as exc:
            # h2 has queued GOAWAY with the error's code.
            logger.debug("HTTP/2 connection error from %s: %s", self.client_text, exc)
            self.flush()
            self.close()
            return
        self.h2.decoder.max_header_list_size = self.hpack_limit  # h2 resets it when our SETTINGS are acknowledged
        self.reading = True
        try:
            for event in events:
                handler = _HANDLERS.get(type(event))
                if handler is not None:
                    handler(self, event)
                if self.transport.is_closing():
                    return
        finally:
            self.reading = False
        self.flush()

    # -- events ---------------------------------------------------------------------

    def _on_request(self, event: h2.events.RequestReceived) -> None:
        stream_id = event.stream_id
        if self.last_stream is not None and stream_id > self.last_stream:
            self.h2.reset_stream(stream_id, ErrorCodes.REFUSED_STREAM)
            return
        problem = malformed(event.headers, REQUEST)
        tunnel = any(name == b":protocol" for name, _ in event.headers)
        declared: int | None = None
        if problem is None:
            try:
                declared = declared_length(event.headers)
            except ValueError:
                problem = "content-length is not one number"
        if problem is None and len(self.streams) >= self.config.max_streams:
            # Over SETTINGS_MAX_CONCURRENT_STREAMS (see _LocalSettings): refused, and counted as a cost that
            # asks for nothing, like a rapid reset.
            self.h2.reset_stream(stream_id, ErrorCodes.REFUSED_STREAM)
            self._junk()
            return
        if problem is not None and not tunnel:
            # RFC 9113 §8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR.
            logger.debug("malformed HTTP/2 request from %s: %s", self.client_text, problem)
            self.h2.reset_stream(stream_id, ErrorCodes.PROTOCOL_ERROR)
            return
        stream = Stream(self, stream_id, self.clock.now)
        stream.declared = declared
        self.streams[stream_id] = stream
        size = 0
        count = 0
        for name, value in event.headers:
            size += len(name) + len(value) + 32
            if name[:1] == b":":
                stream.pseudo[name] = value
            else:
                count += 1
                stream.fields.append((name, value))
        method = stream.pseudo.get(b":method", b"GET")
        stream.complete = event.stream_ended is not None
        error: ProtocolError | None = None
        if problem is not None:
            # A malformed extended CONNECT (RFC 8441 §4 asks for :scheme and :path too): a stream error all the
            # same, after a 400 that says why, as RFC 9113 §8.1.1 allows; a WebSocket client shows it.
            stream.reset_code = ErrorCodes.PROTOCOL_ERROR
            error = ProtocolError(status=400, detail=f"malformed extended CONNECT (RFC 8441 §4): {problem}")
        elif size > self.config.max_header_bytes:
            # RFC 9113 §10.5.1 and RFC 6585 §5.
            error = ProtocolError(
                status=431,
                detail=f"the header list is larger than {self.config.max_header_bytes} bytes (--max-header-bytes)",
            )
        elif count > self.config.max_headers:
            error = ProtocolError(
                status=431, detail=f"more than {self.config.max_headers} header fields (--max-headers)"
            )
        elif method not in KNOWN_METHODS:
            shown = method[:40].decode("latin-1")
            error = ProtocolError(status=501, detail=f"{shown} is not a method this server implements (RFC 9110 §9.1)")
        elif method == b"CONNECT" and not tunnel:
            error = ProtocolError(
                status=501, detail="CONNECT is not implemented on HTTP/2 by this server (extended CONNECT is)"
            )
        elif self.overloaded:
            error = ProtocolError(
                status=503, detail=f"the server has {self.config.max_connections} connections open (--max-connections)"
            )
        head = None
        if error is None:
            try:
                head = check_head("2", stream.fields, self.config.responder.max_body)
            except ProtocolError as exc:
                error = exc
        if error is not None:
            self._refuse(stream, error)
            return
        if event.stream_ended is not None or tunnel:
            self._answer(stream)  # a tunnel opens on the head alone: its DATA are the WebSocket's
        elif head is not None and head.expects_continue:
            if self.responder.wants_body(stream.request):
                self.send_headers(stream, [(b":status", b"100")], False)
            else:
                # RFC 9110 §10.1.1: the final status is known from the head; the content is not needed.
                self._play(stream, self._respond(stream.request))

    def _on_data(self, event: h2.events.DataReceived) -> None:
        stream = self.streams.get(event.stream_id)
        length = event.flow_controlled_length
        if length == 0 and event.stream_ended is None:
            self._junk()
        if stream is not None and stream.websocket is not None:
            stream.unacked += length
            stream.websocket.receive(event.data)
            self._give_window(stream)
            return
        if stream is None or stream.answered or (stream.task is not None and not stream.request.protocol):
            # Content nobody reads (its answer is given): give the window back all the same.
            self._acknowledge(event.stream_id, length)
            return
        stream.size += len(event.data)
        if stream.declared is not None and stream.size > stream.declared:
            self._acknowledge(event.stream_id, length)
            self._mismatch(stream)
            return
        if stream.size > self.config.responder.max_body:
            self._refuse(
                stream,
                ProtocolError(
                    status=413, detail=f"the content is larger than {self.config.responder.max_body} bytes (--max-body)"
                ),
            )
            return
        stream.content.append(event.data)
        self._acknowledge(event.stream_id, length)

    def _on_end(self, event: h2.events.StreamEnded) -> None:
        stream = self.streams.get(event.stream_id)
        if stream is None:
            return
        stream.complete = True
        if stream.websocket is not None:
            stream.websocket.receive_eof()  # the client's END_STREAM is its TCP FIN (RFC 8441 §4)
            return
        if stream.declared is not None and stream.size != stream.declared and not stream.answered:
            self._mismatch(stream)
            return
        if not stream.answered and stream.task is None:
            stream.request = self._request(stream, b"".join(stream.content))
            self._answer(stream)
        elif stream.ended:
            self.stream_done(stream)

    def _mismatch(self, stream: Stream) -> None:
        # RFC 9113 §8.1.1: DATA frames that do not add up to content-length make the request malformed.
        logger.debug("HTTP/2 request from %s: content does not match content-length", self.client_text)
        self.reset(stream, ErrorCodes.PROTOCOL_ERROR)

    def _on_reset(self, event: h2.events.StreamReset) -> None:
        self._junk()  # rapid reset (CVE-2023-44487): opening and cancelling costs the client nothing
        stream = self.streams.pop(event.stream_id, None)
        if stream is not None:
            stream.ended = stream.gone = True
            if stream.task is not None:
                stream.task.cancel()
            self._wake(stream)
            self._idle_check()

    def _on_window(self, event: h2.events.WindowUpdated) -> None:
        self._junk_if(event.delta == 0)
        if event.stream_id == 0:
            self._pump_all()
        else:
            one = self.streams.get(event.stream_id)
            if one is not None:
                self.pump(one)

    def _on_settings(self, event: h2.events.RemoteSettingsChanged) -> None:
        self._junk()
        if h2.settings.SettingCodes.INITIAL_WINDOW_SIZE in event.changed_settings:
            # RFC 9113 §6.9.2: the change applies to every open stream's window at once, and a larger one
            # lets waiting content go out now. (Left to the next WINDOW_UPDATE, it went out only when
            # the SETTINGS frame came in the same read as the request: h2spec http2/6.9.2/1 under load.)
            self._pump_all()

    def _pump_all(self) -> None:
        for stream in list(self.streams.values()):
            if stream.pending or stream.end_pending:
                self.pump(stream)

    def _on_control(self, event: h2.events.Event) -> None:
        self._junk()

    def _on_terminated(self, event: h2.events.ConnectionTerminated) -> None:
        self.flush()
        self.close()

    def _on_trailers(self, event: h2.events.TrailersReceived) -> None:
        # Trailer fields are read and dropped (RFC 9110 §6.5.1), as on HTTP/1.1; their size is bounded by HPACK's limit.
        stream = self.streams.get(event.stream_id)
        if stream is not None and malformed(event.headers, TRAILERS) is not None:
            self.reset(stream, ErrorCodes.PROTOCOL_ERROR)  # pseudo-header fields in trailers, say

    # -- answering --------------------------------------------------------------------------

    def _request(self, stream: Stream, body: bytes) -> Request:
        pseudo = stream.pseudo
        fields = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in stream.fields]
        authority = pseudo.get(b":authority")
        if authority is not None and not any(name == "host" for name, _ in fields):
            # RFC 9113 §8.3.1: :authority stands for Host.
            fields.insert(0, ("host", authority.decode("latin-1")))
        return Request.build(
            pseudo.get(b":method", b"GET").decode("ascii", "replace"),
            pseudo.get(b":path", b"/").decode("latin-1"),
            http_version="2",
            headers=fields,
            body=body,
            client=self.client,
            scheme=self.scheme,
            now=time.time(),
            protocol=pseudo.get(b":protocol", b"").decode("latin-1"),
        )

    def _respond(self, request: Request) -> Plan:
        try:
            return player.settle_now(self.state, request, self.responder.respond(request))
        except Exception:
            logger.exception("the responder failed on %s", request.line)
            return self.responder.error(500, "the server failed to answer this request (a statuskit bug)")

    def _answer(self, stream: Stream) -> None:
        key: Key | None = None
        inputs: Hashable | None = None
        pseudo = stream.pseudo
        if not stream.size and not pseudo.get(b":protocol"):
            authority = (b":authority", pseudo.get(b":authority", b""))
            key = (pseudo.get(b":method", b"GET"), pseudo.get(b":path", b"/"), "2", (*stream.fields, authority))
            message = cast("H2Message | None", self.memos.h2_cache.get(key))
            if message is None:
                # The key from the fields as received, no Request built (as on HTTP/1.x); :authority is the
                # Host the request would carry (RFC 9113 §8.3.1), and a key with both is only finer.
                inputs = self.responder.head_key(key[0], key[1], "2", (*stream.fields, (b"host", authority[1])))
                if inputs is not None:
                    # A new head whose answer depends only on what an earlier request had too.
                    message = self.memos.by_inputs.get(inputs)
            if message is not None:
                stream.send(message.dated(self.clock.date_line), False)
                self.stream_done(stream)
                return
        plan = self._respond(stream.request)
        if key is not None and plan.simple and plan.reusable and not plan.close:
            message = stream.template(plan)
            self.memos.remember_h2(key, message)
            if inputs is not None:
                self.memos.remember_inputs(inputs, message)
            stream.send(message.dated(self.clock.date_line), False)
            self.stream_done(stream)
            return
        self._play(stream, plan)

    def _play(self, stream: Stream, plan: Plan) -> None:
        if plan.simple:
            stream.send(stream.prepare(plan), plan.close)
            self.stream_done(stream)
            return
        stream.task = self.state.loop.create_task(player.run(stream, plan, plan.close, self.state))

    def _refuse(self, stream: Stream, error: ProtocolError) -> None:
        """Answer with the error's status at once; the stream is reset if the client is still sending."""
        plan = self.responder.error(error.status, error.detail)
        if stream.request.method == "HEAD":
            plan = Plan(
                status=plan.status, reason=plan.reason, headers=plan.headers, content_length=plan.content_length
            )
        stream.send(stream.prepare(plan), False)
        self.stream_done(stream)

    def stream_done(self, stream: Stream) -> None:
        """The answer is given (or abandoned): forget the stream once its content is out and the request is read."""
        if stream.task is not None:
            return
        if not stream.complete and stream.ended and not stream.gone and not stream.pending:
            # RFC 9113 §8.1: a complete response before the complete request; NO_ERROR asks the client to stop
            # sending (a WebSocket's closing handshake is over; PROTOCOL_ERROR for a malformed extended CONNECT).
            self.reset(stream, stream.reset_code)
        if stream.ended and not stream.pending:
            self.streams.pop(stream.id, None)
            if stream.last:
                # A plan that closes the connection on HTTP/1.1 (408): here the client is told to open a new
                # one for what comes next, and the streams it already opened finish.
                self.goaway()
        self._idle_check()

    def _idle_check(self) -> None:
        if not self.streams:
            self.idle_since = self.clock.now
            if self.overloaded and self.last_stream is None:
                self.goaway()  # and close (goaway checks again)
            elif self.last_stream is not None:
                self.close()

    # -- writing ------------------------------------------------------------------------------

    def send_headers(self, stream: Stream, headers: list[tuple[bytes, bytes]], end: bool) -> None:
        if stream.closing():
            return
        try:
            self.h2.send_headers(stream.id, headers, end_stream=end)
        except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError) as exc:
            logger.debug("HEADERS on stream %d not sent: %s", stream.id, exc)
            stream.ended = True
            return
        if end:
            stream.ended = True
        self.flush()

    def pump(self, stream: Stream) -> None:
        """Send what the flow-control windows allow of a stream's content."""
        h2conn = self.h2
        while not stream.ended and (stream.pending or stream.end_pending):
            try:
                window = h2conn.local_flow_control_window(stream.id)
            except (h2.exceptions.StreamClosedError, h2.exceptions.NoSuchStreamError):
                stream.ended = True
                break
            size = min(window, h2conn.max_outbound_frame_size, len(stream.pending))
            if size <= 0 and stream.pending:
                stream.waiting_since = self.clock.now
                break
            chunk, stream.pending = stream.pending[:size], stream.pending[size:]
            last = not stream.pending and stream.end_pending
            try:
                h2conn.send_data(stream.id, chunk, end_stream=last)
            except h2.exceptions.ProtocolError:
                # The client's GOAWAY came in the same read as the WINDOW_UPDATE that woke this stream.
                stream.ended = True
                stream.pending = b""
                break
            if last:
                stream.ended = True
                stream.end_pending = False
            elif not stream.pending:
                break
        self.flush()
        if not stream.pending:
            self._wake(stream)
            if stream.unacked:
                self._give_window(stream)
            if stream.ended and stream.task is None:
                self.stream_done(stream)

    def _wake(self, stream: Stream) -> None:
        drained, stream.drained = stream.drained, None
        if drained is not None and not drained.done():
            drained.set_result(None)

    def reset(self, stream: Stream, code: ErrorCodes) -> None:
        if not stream.gone and not self.transport.is_closing():
            try:
                self.h2.reset_stream(stream.id, code)
            except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
                pass
            self.flush()
        stream.ended = stream.gone = True
        stream.pending = b""
        stream.end_pending = False
        if stream.unacked:
            self._give_window(stream)
        self._wake(stream)
        if stream.task is None:
            self.streams.pop(stream.id, None)
            self._idle_check()

    def _give_window(self, stream: Stream) -> None:
        """Open the client's windows again for the WebSocket bytes read, once their echo is mostly out.

        A client that sends but does not read its echoes is held by flow control, not by this server's memory.
        """
        if len(stream.pending) < HIGH_WATER or stream.gone:
            unacked, stream.unacked = stream.unacked, 0
            self._acknowledge(stream.id, unacked)

    def _acknowledge(self, stream_id: int, length: int) -> None:
        if length:
            try:
                self.h2.acknowledge_received_data(length, stream_id)
            except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
                self.h2.increment_flow_control_window(length)

    def flush(self) -> None:
        if self.reading:
            return
        data = self.h2.data_to_send()
        if data and not self.transport.is_closing():
            self.transport.write(data)

    def close(self) -> None:
        """Close after writing the frames h2 still holds (a GOAWAY, say), batching or not."""
        if not self.transport.is_closing():
            self._write_held()
            self.transport.close()

    def _write_held(self) -> None:
        data = self.h2.data_to_send()
        if data:
            self.transport.write(data)

    def _junk(self) -> None:
        self.junk += 1
        if self.junk > MAX_JUNK:
            logger.info(
                "HTTP/2 connection from %s sent too many frames that ask for nothing; closing", self.client_text
            )
            self.h2.close_connection(ErrorCodes.ENHANCE_YOUR_CALM)
            self.flush()
            self.close()

    def _junk_if(self, condition: bool) -> None:
        if condition:
            self._junk()

    def goaway(self) -> None:
        """Tell the client no stream above the last one seen will be served (graceful: those in flight finish)."""
        if self.last_stream is not None or self.transport.is_closing():
            return
        self.last_stream = self.h2.highest_inbound_stream_id
        # Written by hand: h2's close_connection would refuse to send anything after it.
        self._write_held()  # after the frames already made
        self.transport.write(GoAwayFrame(stream_id=0, last_stream_id=self.last_stream, error_code=0).serialize())
        self._idle_check()

    # -- timeouts and shutdown ------------------------------------------------------------------

    def check(self, now: float) -> None:
        if self.transport.is_closing():
            return
        config = self.config
        if now - self.junk_since > JUNK_WINDOW:
            self.junk = 0
            self.junk_since = now
        if self.flow.write_paused and now - self.flow.paused_since > config.send_timeout:
            self.transport.abort()
            return
        for stream in list(self.streams.values()):
            if (
                not stream.complete
                and not stream.answered
                and stream.task is None
                and now - stream.since > config.request_timeout
            ):
                # RFC 9110 §15.5.9.
                self._refuse(
                    stream,
                    ProtocolError(
                        status=408,
                        detail=f"the request was not complete within {config.request_timeout:g} s (--request-timeout)",
                    ),
                )
            elif stream.pending and stream.waiting_since and now - stream.waiting_since > config.send_timeout:
                # The peer never opens its window: give this stream up.
                self.reset(stream, ErrorCodes.CANCEL)
            elif stream.websocket is not None and now - stream.active > config.websocket_timeout:
                stream.websocket.close()  # 1001, then END_STREAM
        if not self.streams and now - self.idle_since > config.keepalive_timeout:
            self.goaway()
            self.close()

    def shutdown(self) -> None:
        for stream in list(self.streams.values()):
            if stream.websocket is not None:
                stream.websocket.close()  # 1001 and END_STREAM, before the GOAWAY
        self.goaway()


_HANDLERS: dict[type, Any] = {
    h2.events.RequestReceived: H2Protocol._on_request,
    h2.events.DataReceived: H2Protocol._on_data,
    h2.events.StreamEnded: H2Protocol._on_end,
    h2.events.StreamReset: H2Protocol._on_reset,
    h2.events.WindowUpdated: H2Protocol._on_window,
    h2.events.PingReceived: H2Protocol._on_control,
    h2.events.RemoteSettingsChanged: H2Protocol._on_settings,
    h2.events.PriorityUpdated: H2Protocol._on_control,
    h2.events.ConnectionTerminated: H2Protocol._on_terminated,
    h2.events.TrailersReceived: H2Protocol._on_trailers,
}
