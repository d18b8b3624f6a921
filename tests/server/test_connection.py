"""Connections: keep-alive, HTTP/1.0, pipelining, request content, 100-continue, flow control, timeouts."""

from __future__ import annotations

import socket
import time

HOST = b"Host: t\r\n"


def _get(target: str, extra: bytes = b"") -> bytes:
    return b"GET " + target.encode() + b" HTTP/1.1\r\n" + HOST + extra + b"\r\n"


def test_keep_alive_serves_many_requests_on_one_connection(live) -> None:
    raw = live.connect()
    for code in (200, 404, 503, 204, 304, 201, 200):
        raw.send(_get(f"/{code}"))
        response = raw.response()
        assert response is not None and response.status == code
        assert response.header("connection") is None
    assert not raw.closed


def test_connection_close_is_honoured(live) -> None:
    raw = live.connect()
    raw.send(_get("/200", b"Connection: close\r\n"))
    response = raw.response()
    assert response is not None and response.header("connection") == "close"
    assert raw.is_closed()


def test_http_1_0_closes_unless_keep_alive_is_asked(live) -> None:
    raw = live.connect()
    raw.send(b"GET /200 HTTP/1.0\r\n\r\n")
    response = raw.response()
    assert response is not None and response.status == 200 and response.header("connection") == "close"
    assert raw.is_closed()

    raw = live.connect()
    for _ in range(3):
        raw.send(b"GET /404 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        response = raw.response()
        assert response is not None and response.status == 404
        assert response.header("connection") == "keep-alive"
    assert not raw.closed


def test_pipelined_requests_are_answered_in_order(live) -> None:
    raw = live.connect()
    # a slow one first: the fast ones behind it must wait their turn
    raw.send(_get("/201?sleep=300") + _get("/404") + _get("/103") + _get("/200?fault=dribble:200") + _get("/503"))
    answers = []
    for _ in range(5):
        response = raw.response()
        assert response is not None
        answers.append((response.status, [r.status for r in response.interims]))
    assert answers == [(201, []), (404, []), (200, [103]), (200, []), (503, [])]


def test_pipelined_repeats_of_one_request(live) -> None:
    raw = live.connect()
    raw.send(_get("/418") * 50)
    for _ in range(50):
        response = raw.response()
        assert response is not None and response.status == 418


def test_content_length_body_is_read_and_the_connection_stays(live) -> None:
    raw = live.connect()
    raw.send(b"POST /201 HTTP/1.1\r\n" + HOST + b"Content-Length: 5\r\n\r\nhello" + _get("/200"))
    assert raw.response().status == 201
    assert raw.response().status == 200


def test_chunked_body_is_read_and_the_connection_stays(live) -> None:
    raw = live.connect()
    body = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    raw.send(b"PUT /204 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\n" + body + _get("/200"))
    assert raw.response().status == 204
    assert raw.response().status == 200


def test_100_continue_when_the_content_is_wanted(live) -> None:
    raw = live.connect()
    raw.send(b"POST /200 HTTP/1.1\r\n" + HOST + b"Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
    head = raw.read_head(timeout=2)
    assert head == b"HTTP/1.1 100 Continue"  # sent before the content, which has not been sent
    raw.send(b"hello")
    response = raw.response()
    assert response is not None and response.status == 200


def test_no_100_continue_when_the_answer_is_known_from_the_head(live) -> None:
    # RFC 9110 §10.1.1: an immediate final status, without waiting for the content.
    for target in ("/401", "/404", "/200?sleep=abc", "/413"):
        raw = live.connect()
        raw.send(
            b"POST " + target.encode() + b" HTTP/1.1\r\n" + HOST + b"Expect: 100-continue\r\nContent-Length: 5\r\n\r\n"
        )
        response = raw.response(timeout=2)
        assert response is not None, target
        assert response.interims == [] and response.status >= 400, target
        assert response.header("connection") == "close"
        assert raw.is_closed()


def test_no_100_continue_over_the_content_limit(live) -> None:
    raw = live.connect()
    raw.send(b"POST /200 HTTP/1.1\r\n" + HOST + b"Expect: 100-continue\r\nContent-Length: 999999\r\n\r\n")
    response = raw.response(timeout=2)
    assert response is not None and response.status == 413 and response.interims == []


def test_idle_keep_alive_connection_is_closed(live) -> None:
    raw = live.connect()
    raw.send(_get("/200"))
    assert raw.response().status == 200
    started = time.monotonic()
    assert raw.is_closed(timeout=4)
    assert 1.5 < time.monotonic() - started < 3.5  # keepalive_timeout is 2 s
    assert raw.buffer == b""  # closed quietly, no 408 on an idle connection


def test_half_closed_client_still_gets_its_answer(live) -> None:
    raw = live.connect()
    raw.send(_get("/202?sleep=200"))
    raw.sock.shutdown(socket.SHUT_WR)
    response = raw.response()
    assert response is not None and response.status == 202


def test_a_client_that_never_reads_does_not_make_the_server_read_forever(make_live) -> None:
    # Pipeline requests and never read: once its write buffer is full the server
    # stops reading, so the kernel buffers fill and sending blocks. Without flow
    # control the server would read (and answer into memory) without end.
    live = make_live(send_timeout=60.0)
    sock = socket.create_connection((live.host, live.port))
    sock.setblocking(False)
    request = _get("/200?pad=" + "p" * 900)
    sent = 0
    limit = 64 * 1024 * 1024
    deadline = time.monotonic() + 10
    stalled_since = None
    pending = b""
    while sent < limit and time.monotonic() < deadline:
        try:
            pending = pending or request
            count = sock.send(pending)
            pending = pending[count:]  # a non-blocking send may take part of it
            sent += count
            stalled_since = None
        except BlockingIOError:
            stalled_since = stalled_since or time.monotonic()
            if time.monotonic() - stalled_since > 0.5:
                break
            time.sleep(0.01)
    sock.close()
    assert sent < limit, "the server kept reading from a client that never reads"
    live.assert_serving()


def test_send_timeout_gives_up_on_a_client_that_never_reads(make_live) -> None:
    live = make_live(send_timeout=0.5)
    sock = socket.create_connection((live.host, live.port))
    sock.setblocking(False)
    request = _get("/200?pad=" + "p" * 900)
    deadline = time.monotonic() + 15
    reset = False
    pending = b""
    while time.monotonic() < deadline and not reset:
        try:
            pending = pending or request
            pending = pending[sock.send(pending) :]
        except BlockingIOError:
            time.sleep(0.05)
        except (ConnectionResetError, BrokenPipeError):
            reset = True
    sock.close()
    assert reset, "the server held the connection of a client that does not read"
    live.assert_serving()


def test_an_incomplete_websocket_opening_is_400(live) -> None:
    for extra in (b"", b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n"):
        response, raw = live.send(
            b"GET /101 HTTP/1.1\r\n" + HOST + b"Upgrade: websocket\r\nConnection: Upgrade\r\n" + extra + b"\r\n"
        )
        assert response is not None and response.status == 400
        assert "Sec-WebSocket" in response.body.decode()
        assert raw.is_closed()


def test_websocket_opening_on_a_raw_socket(live) -> None:
    raw = live.connect()
    raw.send(
        b"GET /101 HTTP/1.1\r\n" + HOST + b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    head = raw.read_head()
    assert head is not None and head.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    # RFC 6455 §1.3's example: this key gives this accept value
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
    mask = b"\x01\x02\x03\x04"
    payload = b"ping?"
    raw.send(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    assert raw.read_exactly(2 + len(payload)) == bytes([0x81, len(payload)]) + payload  # echoed, unmasked
