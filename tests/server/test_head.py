"""The head checks shared by HTTP/1.x and HTTP/2, from a table: fields in, framing or refusal out."""

from __future__ import annotations

import pytest

from statuskit.server.errors import ProtocolError
from statuskit.server.head import check_head

H = (b"Host", b"t")

# (version, fields, max_body) -> status refused, or (length, chunked, expects 100), or None (nothing to frame)
CASES: list[tuple[str, str, list[tuple[bytes, bytes]], int, object]] = [
    ("plain GET", "1.1", [H], 10, None),
    ("HTTP/1.0 needs no Host", "1.0", [], 10, None),
    ("HTTP/2 needs no Host (:authority)", "2", [], 10, None),
    ("HTTP/1.1 without Host", "1.1", [], 10, 400),
    ("two Host fields", "1.1", [H, H], 10, 400),
    ("two Host fields on HTTP/1.0", "1.0", [H, H], 10, 400),
    ("Content-Length", "1.1", [H, (b"Content-Length", b"5")], 10, (5, False, False)),
    ("Content-Length over --max-body", "1.1", [H, (b"content-length", b"11")], 10, 413),
    ("chunked", "1.1", [H, (b"Transfer-Encoding", b"chunked")], 10, (0, True, False)),
    (
        "chunked split over two lines",
        "1.1",
        [H, (b"Transfer-Encoding", b"gzip"), (b"Transfer-Encoding", b"chunked")],
        10,
        501,
    ),
    ("chunked not last", "1.1", [H, (b"Transfer-Encoding", b"chunked, gzip")], 10, 400),
    ("chunked twice", "1.1", [H, (b"Transfer-Encoding", b"chunked, chunked")], 10, 400),
    ("chunked on HTTP/1.0", "1.0", [(b"Transfer-Encoding", b"chunked")], 10, 400),
    (
        "100-continue with content",
        "1.1",
        [H, (b"Expect", b"100-Continue"), (b"Content-Length", b"3")],
        10,
        (3, False, True),
    ),
    ("100-continue on HTTP/2", "2", [(b"expect", b"100-continue"), (b"content-length", b"3")], 10, (3, False, True)),
    ("another expectation", "1.1", [H, (b"Expect", b"202-accepted")], 10, 417),
    ("any expectation is ignored on HTTP/1.0", "1.0", [(b"Expect", b"202-accepted")], 10, None),
]


@pytest.mark.parametrize(
    ("version", "fields", "max_body", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_head(version: str, fields: list[tuple[bytes, bytes]], max_body: int, expected: object) -> None:
    if isinstance(expected, int):
        with pytest.raises(ProtocolError) as caught:
            check_head(version, fields, max_body)
        assert caught.value.status == expected
        assert caught.value.detail
        return
    head = check_head(version, fields, max_body)
    if expected is None:
        assert head is None
    else:
        assert head is not None
        assert (head.length, head.chunked, head.expects_continue) == expected
