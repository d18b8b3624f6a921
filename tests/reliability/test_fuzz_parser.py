"""Hostile bytes against the request parser: on a real socket, and into the engine's protocol object.

Requests are drawn from a small grammar of HTTP/1.x (methods, targets in
every form, versions, line endings, the fields that decide framing in their
smuggling variants, bodies plain and chunked), then mutated (bytes inserted,
deleted, duplicated, cut). Whatever arrives, the server answers with
well-formed responses (read strictly, and by h11) or closes cleanly, logs no
error, and serves the next connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given, settings, strategies as st

from statuskit.responder import Responder
from statuskit.server.config import ServerConfig
from statuskit.server.protocol import HttpProtocol
from statuskit.server.server import ServerState
from tests.support.fakes import FakeTransport

FUZZ = settings.get_profile("statuskit-fuzz")  # tests/reliability/conftest.py: derandomized, no database

METHODS = [b"GET"] * 8 + [
    b"POST",
    b"POST",
    b"PUT",
    b"DELETE",
    b"OPTIONS",
    b"PATCH",
    b"TRACE",
    b"CONNECT",
    b"FOO",
    b"get",
    b"PRI",
    b"PURGE",
    b"",
]
VERSIONS = [b" HTTP/1.1"] * 20 + [
    b" HTTP/1.0",
    b" HTTP/1.0",
    b" HTTP/2.0",
    b" HTTP/0.9",
    b"",
    b" HTTP/1.1 x",
    b" http/1.1",
    b" HTTP/1.10",
    b" HTTP/1",
]
EOLS = [b"\r\n"] * 30 + [b"\n", b"\r", b"\r\r\n", b"\n\r"]

# Scenarios: targets, and the fields they react to (valid and hostile values).
RANGES = [
    b"bytes=0-10",
    b"bytes=-5",
    b"bytes=5-",
    b"bytes=\xb2-",
    b"bytes=0-\xb9",
    b"bytes=-\xb3",
    b"bytes=" + b"9" * 60 + b"-",
    b"bytes=0-" + b"9" * 60,
    b"bytes=9-1",
    b"bytes=0-1,2-3,4-5",
    b"items=0-1",
    b"bytes=",
    b"bytes=--1",
]
SCENARIOS: list[tuple[list[bytes], list[tuple[bytes, bytes]]]] = [
    ([b"/206", b"/416", b"/206?seed=1", b"/200"], [(b"Range", value) for value in RANGES]),
    (
        [b"/304", b"/304?sleep=5"],
        [(b"If-None-Match", value) for value in (b'"x"', b'W/"\xff"', b'"', b"*", b'"a", W/"b"')],
    ),
    (
        [b"/101", b"/101?sleep=5", b"/426"],
        [
            (b"Connection", b"Upgrade"),
            (b"Upgrade", b"websocket"),
            (b"Upgrade", b"h2c"),
            (b"Sec-WebSocket-Key", b"dGhlIHNhbXBsZSBub25jZQ=="),
            (b"Sec-WebSocket-Key", b"short"),
            (b"Sec-WebSocket-Version", b"13"),
            (b"Sec-WebSocket-Version", b"8"),
        ],
    ),
    (
        [b"/200", b"/404", b"/", b"/docs/404", b"/500-504", b"/200,503", b"/200:0.9,503:0.1"],
        [
            (b"Accept", value)
            for value in (b"text/html", b"application/json", b"*/*;q=nan", b"text/*;q=1e999", b"a/b;q=\xb9", b";;,,")
        ]
        + [(b"Accept-Language", value) for value in (b"zh-CN", b"zh-CN;q=\xb9", b"*", b"\xff")],
    ),
    (
        [b"/200", b"/503", b"/102", b"/103", b"/444"],
        [(b"X-Statuskit-Sleep", value) for value in (b"20", b"-5", b"\xd9\xa1", b"9" * 40, b"1, 2")]
        + [
            (b"X-Statuskit-Fault", value)
            for value in (b"dribble:20", b"stall", b"drop", b"drop-after-headers", b"nope", b"stall:" + b"9" * 30)
        ],
    ),
    (
        [b"/200", b"/302", b"/204", b"/103"],
        [
            (b"X-Statuskit-Response-Retry-After", b"5"),
            (b"X-Statuskit-Response-Content-Length", b"1"),
            (b"X-Statuskit-Response-Location", b"/x"),
            (b"X-HttpStatus-Response-Transfer-Encoding", b"chunked"),
            (b"X-Statuskit-Response-X", b"a\xffb"),
            (b"X-Statuskit-Response-", b"v"),
            (b"X-STATUSKIT-RESPONSE-CONNECTION", b"close"),
            (b"X-Statuskit-Response-Y", b"%0d%0aInjected: 1"),
        ],
    ),
    (
        [b"/200", b"/405", b"/204"],
        [
            (b"Origin", b"https://a.example"),
            (b"Access-Control-Request-Method", b"PUT"),
            (b"Access-Control-Request-Method", b"P T"),
            (b"Access-Control-Request-Headers", b"a b"),
            (b"Access-Control-Request-Headers", b"x-a, x-b"),
        ],
    ),
    (
        [
            b"/200?sleep=20",
            b"/102?sleep=30",
            b"/103?then=404",
            b"/200?fault=drop-mid-body",
            b"/200?fault=stall",
            b"/200?fault=dribble:20",
            b"/302?location=//evil.example",
            b"/302?location=/%0d%0aX:1",
            b"/503?retry_after=\xd9\xa1",
            b"/200?sleep=" + b"9" * 40,
            b"/200?then=\xd9\xa1",
            b"/418?phrase=%0d%0a",
            b"/200?seed=" + b"9" * 30,
            b"/200:\xd9\xa1,503:1",
            b"/200?sleep=1&sleep=2",
        ],
        [],
    ),
    (
        [
            b"/_statuskit/exchange/103",
            b"/_statuskit/exchange/_statuskit/exchange/444",
            b"/static/app.css",
            b"/static/../x",
            b"/docs/99",
            b"*",
            b"http://example.com/404",
            b"https://example.com",
            b"example.com:443",
            b"//evil/404",
            b"/%zz",
            b"/%00",
            b"/2\x0000",
            b"/\xff\xfe",
            b"/2" + b"0" * 30,
            b"/-1",
            b"/99",
            b"/600",
        ],
        [],
    ),
]
# The fields that decide framing, in their smuggling variants.
FRAMING = [
    (b"Content-Length", b"3"),
    (b"Content-Length", b"0"),
    (b"Content-Length", b"-1"),
    (b"Content-Length", b"3, 3"),
    (b"Content-Length", b"99999999999999999999"),
    (b"Content-Length", b"0x3"),
    (b"Content-Length", b" 3"),
    (b"Transfer-Encoding", b"chunked"),
    (b"Transfer-Encoding", b"chunked"),
    (b"Transfer-Encoding", b"xchunked"),
    (b"Transfer-Encoding", b"chunked, identity"),
    (b"Transfer-Encoding", b" chunked"),
    (b"Transfer-Encoding", b"gzip, chunked"),
    (b"Transfer-Encoding\t", b"chunked"),
    (b"Transfer-Encoding ", b"chunked"),
    (b"Transfer_Encoding", b"chunked"),
    (b" Transfer-Encoding", b"chunked"),
    (b"Expect", b"100-continue"),
    (b"Expect", b"teapot"),
    (b"Connection", b"close"),
    (b"Connection", b"keep-alive"),
    (b"Host", b""),
    (b"Host", b"t"),
]
MALFORMED = [
    (b"X-Folded", b"a\r\n b"),
    (b"X-Nul", b"a\x00b"),
    (b"X-Cr", b"a\rb"),
    (b"", b"empty name"),
    (b"Bad Name", b"v"),
    (b"X", b"\x7f"),
]
INJECT = [
    b"\r",
    b"\n",
    b"\r\n",
    b"\x00",
    b" ",
    b"\t",
    b":",
    b",",
    b";",
    b"\xff",
    b"\x7f",
    b"0",
    b"9",
    b"-",
    b"\r\n\r\n",
    b"%",
    b"\x0b",
]


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["none", "none", "plain", "chunked", "bad-chunked"]))
    if kind == "none":
        return b""
    data = draw(st.binary(max_size=40))
    if kind == "plain":
        return data
    if kind == "chunked":
        pieces = [data[i : i + 7] for i in range(0, len(data), 7)]
        framed = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces)
        trailer = draw(st.sampled_from([b"", b"X-Trailer: 1\r\n", b"X-Statuskit-Response-Smuggled: yes\r\n"]))
        return framed + b"0\r\n" + trailer + b"\r\n"
    return draw(
        st.sampled_from(
            [
                b"zz\r\nabc\r\n",
                b"3\nabc\n0\n\n",
                b"ffffffffffffffffff\r\n",
                b"3;x=" + b"e" * 100 + b"\r\nabc\r\n0\r\n\r\n",
                b"-1\r\n",
            ]
        )
    )


@st.composite
def requests(draw: st.DrawFn) -> bytes:
    """Mostly a valid request of one scenario, with one or two hostile parts."""
    targets, reactions = draw(st.sampled_from(SCENARIOS))
    method = draw(st.sampled_from(METHODS))
    if method == b"GET" and draw(st.integers(0, 9)) == 0:
        method = b"HEAD"
    target = draw(st.sampled_from(targets))
    version = draw(st.sampled_from(VERSIONS))
    eol = st.sampled_from(EOLS)  # drawn for each line: mostly CRLF
    fields = [(b"Host", b"t")] if draw(st.integers(0, 9)) else []
    if reactions:
        fields += draw(st.lists(st.sampled_from(reactions), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        fields += draw(st.lists(st.sampled_from(FRAMING), min_size=1, max_size=2))
    if draw(st.integers(0, 9)) == 0:
        fields.append(draw(st.sampled_from(MALFORMED)))
    fields = draw(st.permutations(fields))
    body = draw(bodies())
    if body and not any(name.strip().lower() in (b"content-length", b"transfer-encoding") for name, _ in fields):
        fields.append((b"Content-Length", b"%d" % len(body)))
    head = method + b" " + target + version + draw(eol)
    head += b"".join(name + b": " + value + draw(eol) for name, value in fields)
    return head + draw(eol) + body


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """One to three requests from the grammar, then up to four mutations; or plain noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(min_size=1, max_size=200))
    pipeline = draw(st.lists(requests(), min_size=1, max_size=3))
    pipeline[1:] = [b"GET" + request[4:] if request.startswith(b"HEAD") else request for request in pipeline[1:]]
    data = b"".join(pipeline)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 4]))):
        if not data:
            break
        at = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "delete", "duplicate", "cut", "replace"]))
        if operation == "insert":
            data = data[:at] + draw(st.sampled_from(INJECT)) + data[at:]
        elif operation == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 8)) :]
        elif operation == "duplicate":
            data = data[:at] + data[at : at + 20] + data[at:]
        elif operation == "cut":
            data = data[: max(1, at)]
        else:
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


def _first_method(data: bytes) -> str:
    # Only the first request of a pipeline may be HEAD (see `mutated`), whose answer has no content.
    # (llhttp skips blank lines before a request.)
    return "HEAD" if data.lstrip(b"\r\n").startswith(b"HEAD ") else "GET"


def _judge(wire: object, data: bytes, received: bytes) -> None:
    # A fault asked for (in the target or a field) cuts a response on purpose; so does a
    # client that stops after "100 Continue" (the server then closes without a final answer).
    cut_allowed = b"fault" in data.lower() or b"100-continue" in data.lower()
    stream = wire.check(received, _first_method(data), cut_allowed=cut_allowed)  # type: ignore[attr-defined]
    _no_bug_answer(stream)


def _no_bug_answer(stream: object) -> None:
    # When a parser callback, the responder or a plan fails, the engine answers 500 with
    # this text (and logs an error): a bug, never an answer to input. (/500 itself is fine.)
    for response in stream.responses:  # type: ignore[attr-defined]
        assert b"a statuskit bug" not in response.body, response.body


@settings(FUZZ, max_examples=600)
@given(data=mutated())
def test_raw_bytes_on_a_socket(target, wire, data: bytes) -> None:
    received, closed = target.converse(data)
    assert closed, f"the server neither answered nor closed; it sent {received[:200]!r}"
    _judge(wire, data, received)
    target.assert_no_errors()
    target.assert_serving()


@settings(FUZZ, max_examples=40)
@given(data=mutated())
def test_raw_bytes_without_a_half_close_end_in_an_answer_or_a_timeout(quick_target, wire, data: bytes) -> None:
    # No half-close: an incomplete request runs into --request-timeout (408, then
    # close) and an idle connection into --keepalive-timeout; nothing is held.
    received, closed = quick_target.converse(data, half_close=False, timeout=3.0)
    assert closed, f"the connection was held open; the server sent {received[:200]!r}"
    _judge(wire, data, received)
    quick_target.assert_no_errors()


# -- the protocol object with a fake transport: thousands of splits, pauses and timeouts a second ------


@pytest.fixture(scope="module")
def engine() -> Iterator[tuple[asyncio.AbstractEventLoop, ServerState, list[logging.LogRecord]]]:
    """One loop and one ServerState (shared cache and replay stores, as on a real server) for every example."""
    loop = asyncio.new_event_loop()
    config = ServerConfig.from_options(
        access_log=False, max_target=2048, max_header_bytes=4096, max_headers=30, max_body=16 * 1024, max_sleep_ms=1
    )
    state = ServerState(config, Responder(config.responder), loop, None)
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect(logging.ERROR)
    logging.getLogger("statuskit.server").addHandler(handler)
    yield loop, state, records
    logging.getLogger("statuskit.server").removeHandler(handler)
    loop.close()


def _settle(loop: asyncio.AbstractEventLoop) -> None:
    """Let the plans that take time (sleeps of at most 1 ms, faults) run to their end."""
    for _ in range(50):
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        if not pending:
            return
        loop.run_until_complete(asyncio.wait(pending, timeout=0.2))
    raise AssertionError("plans still running after 10 s")


@settings(FUZZ, max_examples=800)
@given(
    data=mutated(),
    cuts=st.lists(st.integers(1, 64), max_size=8),
    flow=st.lists(st.sampled_from(["pause", "resume", "none"]), max_size=8),
    ending=st.sampled_from(["eof", "timeout", "nothing"]),
)
def test_protocol_object_with_any_split_pause_and_ending(
    engine, wire, data: bytes, cuts: list[int], flow: list[str], ending: str
) -> None:
    loop, state, errors = engine
    protocol = HttpProtocol(state)
    transport = FakeTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    position = 0
    for index, size in enumerate([*cuts, len(data)]):
        if position >= len(data) or transport.closing:
            break
        action = flow[index] if index < len(flow) else "none"
        if action == "pause" and not protocol.flow.write_paused:
            protocol.pause_writing()
        elif action == "resume" and protocol.flow.write_paused:
            protocol.resume_writing()
        if transport.reading:
            protocol.data_received(data[position : position + size])
            position += size
        _settle(loop)
    if protocol.flow.write_paused:
        protocol.resume_writing()
        _settle(loop)
    if not transport.closing:
        if ending == "eof":
            if not protocol.eof_received():
                transport.close()
        elif ending == "timeout":
            # Far in the future: every timeout has passed.
            protocol.check(state.clock.now + 3600)
        _settle(loop)
    protocol.connection_lost(None)
    _settle(loop)
    assert not errors, [record.getMessage() for record in errors]
    cut_allowed = (
        b"fault" in data.lower() or b"100-continue" in data.lower() or ending != "timeout" or not transport.closing
    )
    stream = wire.check(transport.data, _first_method(data), cut_allowed=cut_allowed)
    _no_bug_answer(stream)
    assert state.connections == set() and state.served == 0, "the connection was not forgotten"
