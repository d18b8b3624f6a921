"""Reading raw responses: interim ones, what curl prints, and input that is not HTTP."""

from __future__ import annotations

import pytest

from statuskit.lint.wire import WireError, parse_responses


def finals(data: bytes, **kw: object) -> list[tuple[list[int], int, bytes | None]]:
    parsed = parse_responses(data, **kw)  # type: ignore[arg-type]
    return [([r.status for r in interim], final.status, final.body) for interim, final in parsed.exchanges if final]


@pytest.mark.parametrize(
    "data,kw,expected",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", {}, [([], 200, b"hi")]),
        (
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 "
            b"Created\r\nContent-Length: 0\r\n\r\n",
            {},
            [([100, 103], 201, b"")],
        ),
        # content after a 204 is kept: it is the bug to report
        (b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", {}, [([], 204, b"hello")]),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", {"method": "HEAD"}, [([], 200, b"hello")]),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n!\r\n0\r\nX-T: 1\r\n\r\n",
            {},
            [([], 200, b"hello!")],
        ),
        # curl -si prints chunked content de-chunked, and -L prints every response
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nhello world",
            {"curl": True},
            [([], 200, b"hello world")],
        ),
        # ... without the content of the responses it followed (None: not shown), whatever their Content-Length
        (
            b"HTTP/1.1 302 Found\nLocation: /b\n\nHTTP/2 200 \ncontent-type: text/plain\n\nbody\n",
            {"curl": True},
            [([], 302, None), ([], 200, b"body\n")],
        ),
        (
            b"HTTP/1.1 301 Moved\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            {"curl": True},
            [([], 301, None), ([], 200, b"ok")],
        ),
        (b"HTTP/1.1 200 OK\r\nX: a\r\n  folded\r\n\r\n", {}, [([], 200, b"")]),
        # a 1xx that nothing follows stands as the last response
        (b"HTTP/1.1 100 Continue\r\n\r\n", {}, [([], 100, None)]),
        (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello", {}, [([], 101, None)]),
    ],
)
def test_parse(data: bytes, kw: dict[str, object], expected: list[tuple[list[int], int, bytes | None]]) -> None:
    assert finals(data, **kw) == expected


def test_fields_and_versions() -> None:
    ((interim, final),) = parse_responses(b"HTTP/2 404 \r\nx-a: 1\r\nX-A: 2\r\n\r\n", curl=True).exchanges
    assert final.version == "2" and final.reason == "" and final.fields.get("x-a") == "1, 2"


def test_incomplete_input_asks_for_more() -> None:
    assert not parse_responses(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", eof=False).complete
    assert not parse_responses(b"HTTP/1.1 200 OK\r\nContent-", eof=False).complete
    done = parse_responses(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", eof=False)
    assert done.complete and done.exchanges[0][1] is not None
    cut = parse_responses(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", eof=True)
    assert not cut.complete and cut.exchanges[0][1].body == b"abc"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "empty"),
        (b"\r\n\r\n", "empty"),
        (b"garbage\n", "status line"),
        (b"\x00\x01\x02\x03", "status line"),
        (b"<html>hello</html>", "status line"),
        (b"HTTP/1.1 abc OK\r\n\r\n", "three digits"),
        (b"HTTP/1.1 2000 OK\r\n\r\n", "three digits"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "line 2"),
        (b"HTTP/1.1 200 OK\r\nName : x\r\n\r\n", "line 2"),  # no whitespace before the colon
    ],
)
def test_not_http(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message):
        parse_responses(data)
