"""Request smuggling and unusual request forms, byte for byte.

tests/server/test_limits.py has the plain conflicts (CL+TE, two CLs, TE not
ending in chunked, negative CL). Here: the obfuscations of Transfer-Encoding
that front ends read differently, HTTP/1.0 with Transfer-Encoding, trailer
fields, and the property that matters for smuggling: after a refused
request, nothing that followed it on the connection is ever answered.
"""

from __future__ import annotations

import socket
import time

import pytest

HOST = b"Host: t\r\n"
# A request hidden after the ambiguous one: if it were ever answered, a front end
# and this server would disagree about where requests begin.
SMUGGLED = b"GET /418 HTTP/1.1\r\n" + HOST + b"\r\n"


@pytest.mark.parametrize(
    "fields",
    [
        b"Transfer-Encoding: xchunked\r\n",
        b"Transfer-Encoding: chunkedx\r\n",
        b"Transfer-Encoding: chunked, identity\r\n",
        b"Transfer-Encoding: identity\r\nContent-Length: 3\r\n",
        b"Transfer-Encoding\t: chunked\r\n",
        b"Transfer-Encoding : chunked\r\n",
        b" Transfer-Encoding: chunked\r\n",
        b"Transfer-Encoding: \x0bchunked\r\n",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n",
        b"Transfer-Encoding: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n",
        b"X: y\r\n Transfer-Encoding: chunked\r\n",
        b"Transfer-Encoding:\r\n chunked\r\n",
        b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
        b"Content-Length: 3, 3\r\n",
        b"Content-Length: 03\r\nContent-Length: 3\r\n",
        b"Content-Length: 0x3\r\n",
        b"Content-Length: 3\x00\r\n",
        b"Content-Length:\r\n",
    ],
    ids=[
        "TE xchunked",
        "TE chunkedx",
        "TE chunked,identity",
        "TE identity + CL",
        "TE tab before colon",
        "TE space before colon",
        "TE leading space (obs-fold)",
        "TE vertical tab",
        "TE chunked then x",
        "TE x then chunked + CL",
        "TE in a folded line",
        "TE value folded",
        "CL + TE",
        "CL list",
        "CL 03 and 3",
        "CL hex",
        "CL NUL",
        "CL empty",
    ],
)
def test_ambiguous_framing_is_400_and_nothing_after_it_is_answered(target, wire, fields: bytes) -> None:
    data = b"POST /200 HTTP/1.1\r\n" + HOST + fields + b"\r\n3\r\nabc\r\n0\r\n\r\n" + SMUGGLED
    received, closed = target.converse(data)
    stream = wire.check(received)
    assert closed
    assert stream.statuses == [400], received[:300]
    assert stream.responses[0].closes
    target.assert_serving()


@pytest.mark.parametrize(
    "fields",
    [b"Transfer-Encoding: chunked\r\n", b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"],
    ids=["TE", "TE + CL"],
)
def test_http_1_0_with_transfer_encoding_is_faulty_framing(target, wire, fields: bytes) -> None:
    # HTTP/1.0 has no chunked coding: a front end speaking 1.0 reads this
    # message by Content-Length or to the close, this server by the chunks.
    # HTTP/1.1 (RFC 9112) asks a server to treat such framing as faulty.
    data = b"POST /200 HTTP/1.0\r\n" + fields + b"\r\n3\r\nabc\r\n0\r\n\r\n" + SMUGGLED
    received, _ = target.converse(data)
    stream = wire.check(received)
    assert stream.statuses == [400], received[:300]
    assert "Transfer-Encoding" in stream.responses[0].body.decode()


def test_an_unknown_transfer_coding_before_chunked_is_501(target, wire) -> None:
    # "gzip, chunked" frames the message (chunked is last) but the server cannot
    # decode gzip, so it must not hand the content on as if it were plain.
    data = (
        b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + SMUGGLED
    )
    received, _ = target.converse(data)
    stream = wire.check(received)
    assert stream.statuses == [501], received[:300]
    assert "gzip" in stream.responses[0].body.decode()
    assert stream.responses[0].closes


@pytest.mark.parametrize(
    "value",
    [b"chunked", b" chunked", b"chunked ", b"CHUNKED", b"Chunked"],
    ids=["plain", "leading space", "trailing space", "upper", "capitalised"],
)
def test_valid_spellings_of_chunked_frame_the_message(target, wire, value: bytes) -> None:
    # Optional whitespace around a field value and the case of a coding name
    # are not obfuscation (RFC 9110 §5.5, §5.6.1): the message is read by its chunks.
    data = (
        b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: " + value + b"\r\n\r\n3\r\nabc\r\n0\r\n\r\n" + SMUGGLED
    )
    received, _ = target.converse(data)
    assert wire.check(received).statuses == [200, 418]


def test_trailer_fields_are_not_merged_into_the_header_section(target, wire) -> None:
    # RFC 9110 §6.5.1: "A recipient MUST NOT merge a trailer field into a header
    # section unless the recipient understands the corresponding header field
    # definition and that definition explicitly permits [it]". None of the
    # fields the URL API reads permits it.
    data = (
        b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
        b"X-Statuskit-Response-Smuggled: yes\r\nX-Statuskit-Sleep: 30\r\nX-Statuskit-Fault: drop\r\n\r\n"
    )
    received, _ = target.converse(data)
    stream = wire.check(received)
    assert stream.statuses == [200]
    assert stream.responses[0].header("smuggled") is None


def test_a_trailer_section_over_the_header_limit_is_refused(target, wire) -> None:
    # The trailer section counts against --max-header-bytes as the header section does.
    limit = target.config.max_header_bytes
    lines = b"".join(b"X-T%d: %s\r\n" % (i, b"v" * 100) for i in range(limit // 50))
    data = b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + lines + b"\r\n"
    received, closed = target.converse(data)
    assert closed
    assert wire.check(received).statuses == [431], received[:300]
    target.assert_serving()


def test_an_endless_trailer_line_is_refused(target, wire) -> None:
    # llhttp holds an unfinished field line until its end; without a bound, one
    # endless trailer line would grow the server's memory until --request-timeout.
    sock = socket.create_connection((target.host, target.port), timeout=3)
    try:
        sock.sendall(
            b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Trailer: "
        )
        sent = 0
        while sent < 100 * target.config.max_header_bytes:
            try:
                sock.sendall(b"t" * 1000)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 1000
            time.sleep(0.001)
        received = _read_to_close(sock)
    finally:
        sock.close()
    assert sent < 100 * target.config.max_header_bytes, "the server read the endless line without end"
    assert wire.check(received).statuses == [431], received[:300]
    target.assert_serving()


def _read_to_close(sock: socket.socket) -> bytes:
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def test_http_0_9_is_answered_at_once(quick_target, wire) -> None:
    # An HTTP/0.9 request line has no version; the server speaks 1.0 and 1.1
    # only, and says so (505) without waiting for a header section that never comes.
    for data in (b"GET /\r\n", b"GET /200\n"):
        received, closed = quick_target.converse(data, half_close=False, timeout=2.0)
        assert closed
        stream = wire.check(received)
        assert stream.statuses == [505], received[:200]


def test_http_0_9_sent_in_pieces(target, wire) -> None:
    sock = socket.create_connection((target.host, target.port), timeout=3)
    try:
        sock.sendall(b"GET /200")
        time.sleep(0.05)
        sock.sendall(b"\r\n")
        received = _read_to_close(sock)
    finally:
        sock.close()
    assert wire.check(received).statuses == [505]


@pytest.mark.parametrize(
    "line,status",
    [
        (b"GET http://example.com/404 HTTP/1.1", 404),
        (b"GET http://example.com HTTP/1.1", 200),
        (b"GET https://example.com:8443/204?x=1 HTTP/1.1", 204),
        (b"OPTIONS * HTTP/1.1", 204),
        (b"GET * HTTP/1.1", 400),
        (b"HEAD * HTTP/1.1", 400),
        (b"CONNECT example.com:443 HTTP/1.1", 501),
        (b"GET example.com:443 HTTP/1.1", 400),
    ],
    ids=[
        "absolute",
        "absolute, no path",
        "absolute https",
        "asterisk OPTIONS",
        "asterisk GET",
        "asterisk HEAD",
        "authority CONNECT",
        "authority GET",
    ],
)
def test_request_target_forms(target, wire, line: bytes, status: int) -> None:
    # RFC 9110 §7.1: the absolute form names this server's resource by its path;
    # "*" is for OPTIONS only (§9.3.7); the authority form is for CONNECT (§9.3.6), not implemented.
    method = "HEAD" if line.startswith(b"HEAD") else "GET"
    received, _ = target.converse(line + b"\r\n" + HOST + b"\r\n")
    assert wire.check(received, method).statuses == [status], received[:300]


def test_a_refusal_of_a_head_request_has_no_content(target, wire) -> None:
    # RFC 9110 §9.3.2: the server MUST NOT send content in the response to HEAD,
    # an error included, once it has read the method.
    for data in (
        b"HEAD /200 HTTP/1.1\r\n" + HOST + b"X-Folded: a\r\n b\r\n\r\n",
        b"HEAD /200 HTTP/1.1\r\n\r\n",
        b"HEAD /200 HTTP/1.1\r\n" + HOST + b"Expect: teapot\r\n\r\n",
        b"HEAD /" + b"a" * 3000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
    ):
        received, _ = target.converse(data)
        stream = wire.check(received, "HEAD")
        assert len(stream.responses) == 1 and stream.responses[0].status >= 400, received[:300]
        assert received.endswith(b"\r\n\r\n"), received[-100:]
