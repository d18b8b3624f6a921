"""Each protocol-level code produced by its real condition, and the server serving on afterwards.

The shared server's limits are in conftest.LIMITS (target 1024 bytes, header
section 4096 bytes, 20 fields, content 64 KiB, request timeout 1 s).
"""

from __future__ import annotations

import time

import pytest

HOST = b"Host: t\r\n"


def _refused(live, data: bytes, status: int, words: str) -> None:
    response, raw = live.send(data)
    assert response is not None, "no response"
    assert response.status == status, response.body
    assert words in response.body.decode(), response.body
    assert response.header("connection") == "close"
    assert raw.is_closed()
    live.assert_serving()


def test_414_target_over_the_limit(live) -> None:
    _refused(live, b"GET /" + b"a" * 1100 + b" HTTP/1.1\r\n" + HOST + b"\r\n", 414, "--max-target")


def test_target_at_the_limit_is_fine(live) -> None:
    target = "/200?pad=" + "a" * (1024 - len("/200?pad="))
    assert live.request(target).status == 200


def test_431_header_section_over_the_limit(live) -> None:
    _refused(live, b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 5000 + b"\r\n\r\n", 431, "--max-header-bytes")


def test_431_too_many_fields(live) -> None:
    fields = b"".join(b"X-F%d: v\r\n" % i for i in range(25))
    _refused(live, b"GET /200 HTTP/1.1\r\n" + HOST + fields + b"\r\n", 431, "--max-headers")


def test_431_header_sent_slowly_in_pieces(live) -> None:
    # llhttp buffers an unfinished header line; the engine counts the raw bytes.
    raw = live.connect()
    raw.send(b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Big: ")
    sent = 0
    while sent < 20_000 and not raw.closed:
        try:
            raw.send(b"c" * 1000)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += 1000
    response = raw.response()
    assert response is not None and response.status == 431
    live.assert_serving()


def test_413_content_length_over_the_limit_before_reading(live) -> None:
    _refused(live, b"POST /200 HTTP/1.1\r\n" + HOST + b"Content-Length: 70000\r\n\r\n", 413, "--max-body")


def test_413_chunked_content_over_the_limit(live) -> None:
    raw = live.connect()
    raw.send(b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (10_000, b"z" * 10_000)
    for _ in range(8):
        try:
            raw.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            break
    response = raw.response()
    assert response is not None and response.status == 413
    live.assert_serving()


def test_413_content_length_overflow(live) -> None:
    _refused(live, b"POST /200 HTTP/1.1\r\n" + HOST + b"Content-Length: 99999999999999999999999\r\n\r\n", 413, "")


@pytest.mark.parametrize(
    "line",
    [b"FOO /200 HTTP/1.1", b"BREW /418 HTTP/1.1", b"get /200 HTTP/1.1"],
    ids=["FOO", "BREW", "lower-case get"],
)
def test_501_unknown_method(live, line: bytes) -> None:
    # RFC 9110 §9.1: methods are case-sensitive; an unrecognised one gets 501.
    _refused(live, line + b"\r\n" + HOST + b"\r\n", 501, "not a method")


def test_501_method_llhttp_knows_but_the_server_does_not(live) -> None:
    response = live.request("/200", method="PURGE")
    assert response.status == 501
    assert response.header("connection") is None  # a well-formed request: the connection stays


def test_501_connect(live) -> None:
    response, raw = live.send(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    assert response is not None and response.status == 501
    assert raw.is_closed()


def test_unknown_method_sent_byte_by_byte(live) -> None:
    # llhttp fails at "F"; the engine waits for the whole token before choosing 501.
    raw = live.connect()
    for byte in b"FOO /200 HTTP/1.1\r\n":
        try:
            raw.send(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        if raw._fill(time.monotonic() + 0.02):
            break  # answered: after "FOO "
    response = raw.response()
    assert response is not None and response.status == 501


def test_400_binary_noise(live) -> None:
    _refused(live, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400, "method")


@pytest.mark.parametrize(
    "line",
    [b"GET /200 HTTP/2.0", b"GET /200 HTTP/3.0", b"GET /200 HTTP/1.9", b"GET /200 HTTP/0.9"],
    ids=["2.0", "3.0", "1.9", "0.9"],
)
def test_505_other_versions(live, line: bytes) -> None:
    _refused(live, line + b"\r\n" + HOST + b"\r\n", 505, "HTTP/1.1")


def test_505_http2_preface_with_http2_off(make_live) -> None:
    # With HTTP/2 on (the default) the preface opens an HTTP/2 connection: tests/server/test_http2.py.
    _refused(make_live(http2=False), b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP/2")


def test_400_half_a_preface(live) -> None:
    # The first line of the preface without the rest is no HTTP/2 connection: llhttp calls it malformed.
    _refused(live, b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", 400, "Preface")


def test_417_unknown_expectation(live) -> None:
    _refused(live, b"POST /200 HTTP/1.1\r\n" + HOST + b"Expect: teapot\r\nContent-Length: 3\r\n\r\nabc", 417, "teapot")


def test_expectation_ignored_in_http_1_0(live) -> None:
    # RFC 9110 §10.1.1: "A server that receives a 100-continue expectation in an HTTP/1.0 request
    # MUST ignore that expectation."
    response, _ = live.send(b"POST /200 HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc")
    assert response is not None and response.status == 200 and response.interims == []


@pytest.mark.parametrize(
    "fields",
    [
        b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
        b"Content-Length: 3\r\nContent-Length: 4\r\n",
        b"Content-Length: 3\r\nContent-Length: 3\r\n",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: gzip\r\n",
        b"Transfer-Encoding: chunked, identity\r\n",
        b"Content-Length: -1\r\n",
        b"Content-Length: 3 4\r\n",
        b"Content-Length: +3\r\n",
    ],
    ids=[
        "CL+TE",
        "TE+CL",
        "CL CL different",
        "CL CL same",
        "TE TE",
        "TE gzip",
        "TE not last chunked",
        "CL negative",
        "CL two numbers",
        "CL plus",
    ],
)
def test_400_ambiguous_framing(live, fields: bytes) -> None:
    # Request smuggling: anything but one clear framing is refused, and the connection closes.
    _refused(live, b"POST /200 HTTP/1.1\r\n" + HOST + fields + b"\r\n0\r\n\r\nabc", 400, "")


@pytest.mark.parametrize(
    "data",
    [
        b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Folded: a\r\n b\r\n\r\n",
        b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Nul: a\x00b\r\n\r\n",
        b"GET /200 HTTP/1.1\r\n" + HOST + b"Bad Name: v\r\n\r\n",
        b"GET /200 HTTP/1.1\r\nHost : t\r\n\r\n",
        b"GET /2\x0000 HTTP/1.1\r\n" + HOST + b"\r\n",
        b"GET /\xc3\xa9 HTTP/1.1\r\n" + HOST + b"\r\n",
        b"GET /200 HTTP/1.1\n" + HOST + b"\n",
        b"GET /200 HTTP/1.1\r\n\r\n",
        b"GET /200 HTTP/1.1\r\n" + HOST + HOST + b"\r\n",
    ],
    ids=[
        "obs-fold",
        "NUL in value",
        "space in name",
        "space before colon",
        "NUL in target",
        "raw UTF-8 target",
        "bare LF",
        "no Host",
        "two Hosts",
    ],
)
def test_400_malformed(live, data: bytes) -> None:
    _refused(live, data, 400, "")


def test_408_head_too_slow(live) -> None:
    raw = live.connect()
    raw.send(b"GET /200 HTTP/1.1\r\nHo")
    started = time.monotonic()
    response = raw.response(timeout=4)
    assert response is not None and response.status == 408
    assert 0.8 < time.monotonic() - started < 3.0
    assert raw.is_closed()
    live.assert_serving()


def test_408_slowloris(live) -> None:
    # One byte every 0.2 s never completes the head within the 1 s request timeout.
    raw = live.connect()
    data = b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Slow: " + b"s" * 100
    started = time.monotonic()
    for byte in data:
        if raw.closed or time.monotonic() - started > 4:
            break
        try:
            raw.send(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        time.sleep(0.2)
        if raw._fill(time.monotonic() + 0.001):
            break
    response = raw.response(timeout=3)
    assert response is not None and response.status == 408
    assert time.monotonic() - started < 3.5


def test_408_content_too_slow(live) -> None:
    raw = live.connect()
    raw.send(b"POST /200 HTTP/1.1\r\n" + HOST + b"Content-Length: 10\r\n\r\nabc")
    response = raw.response(timeout=4)
    assert response is not None and response.status == 408


def test_503_over_max_connections(make_live) -> None:
    live = make_live(max_connections=2)
    first, second = live.connect(), live.connect()
    first.send(b"GET /200 HTTP/1.1\r\n" + HOST + b"\r\n")
    assert first.response().status == 200
    response, raw = live.send(b"GET /200 HTTP/1.1\r\n" + HOST + b"\r\n")
    assert response is not None and response.status == 503
    assert response.header("retry-after") == "1"
    assert "--max-connections" in response.body.decode()
    assert raw.is_closed()
    # the two within the limit still work
    second.send(b"GET /204 HTTP/1.1\r\n" + HOST + b"\r\n")
    assert second.response().status == 204
    first.close()
    second.close()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if live.request("/200").status == 200:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the server did not accept connections again")


def test_sleep_over_the_cap_is_400(live) -> None:
    response = live.request("/200?sleep=3001")
    assert response.status == 400
    assert "3000 ms" in response.body.decode() and "--max-sleep" in response.body.decode()
    assert live.request("/200", headers="X-Statuskit-Sleep: 99999\r\n").status == 400
