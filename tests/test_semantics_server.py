"""The facts the server added to `statuskit.semantics`: methods, Content-Length, connection fields."""

from __future__ import annotations

import pytest

from statuskit import semantics
from statuskit.semantics import ContentLength


def test_methods() -> None:
    # RFC 9110 §9.2.1 safe, §9.2.2 idempotent
    assert {m.name for m in semantics.METHODS.values() if m.safe} >= {"GET", "HEAD", "OPTIONS", "TRACE"}
    assert not semantics.METHODS["POST"].safe and not semantics.METHODS["POST"].idempotent
    assert semantics.METHODS["PUT"].idempotent and semantics.METHODS["DELETE"].idempotent
    assert semantics.METHODS["GET"].section == "RFC 9110 §9.3.1"


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "PROPFIND"])
def test_implemented(method: str) -> None:
    assert semantics.is_implemented_method(method)


@pytest.mark.parametrize("method", ["CONNECT", "get", "BREW", "PURGE", ""])
def test_not_implemented(method: str) -> None:
    # §9.1: methods are case-sensitive; CONNECT asks for a tunnel (§9.3.6)
    assert not semantics.is_implemented_method(method)


@pytest.mark.parametrize(
    "code,method,expected",
    [
        (100, "GET", ContentLength.ABSENT),
        (204, "GET", ContentLength.ABSENT),
        (204, "HEAD", ContentLength.ABSENT),
        (200, "CONNECT", ContentLength.ABSENT),
        (200, "GET", ContentLength.CONTENT),
        (404, "POST", ContentLength.CONTENT),
        (200, "HEAD", ContentLength.AS_GET),
        (205, "GET", ContentLength.ZERO),
        (205, "HEAD", ContentLength.AS_GET),
        (304, "GET", ContentLength.AS_200),
    ],
)
def test_content_length(code: int, method: str, expected: ContentLength) -> None:
    assert semantics.content_length(code, method) is expected


def test_fields_only_the_sender_sets() -> None:
    assert {"content-length", "transfer-encoding"} == semantics.FRAMING_FIELDS
    assert {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "upgrade",
        "transfer-encoding",
    } == semantics.CONNECTION_FIELDS
    assert {"100-continue"} == semantics.EXPECTATIONS


@pytest.mark.parametrize(
    ("status", "method", "te", "cl", "expected"),
    [
        (200, "HEAD", (), ("10",), (semantics.Framing.NONE, None)),
        (204, "GET", (), ("10",), (semantics.Framing.NONE, None)),
        (304, "GET", ("chunked",), (), (semantics.Framing.NONE, None)),
        (103, "GET", (), (), (semantics.Framing.NONE, None)),
        (200, "CONNECT", (), (), (semantics.Framing.TUNNEL, None)),
        (404, "CONNECT", (), ("3",), (semantics.Framing.LENGTH, 3)),
        (200, "GET", ("gzip, chunked",), ("10",), (semantics.Framing.CHUNKED, None)),
        (200, "GET", ("chunked", "gzip"), (), (semantics.Framing.CLOSE, None)),
        (200, "GET", (), ("42, 42",), (semantics.Framing.LENGTH, 42)),
        (200, "GET", (), ("42", "43"), (semantics.Framing.INVALID, None)),
        (200, "GET", (), ("-1",), (semantics.Framing.INVALID, None)),
        (205, "GET", (), (), (semantics.Framing.CLOSE, None)),
    ],
)
def test_response_framing(
    status: int, method: str, te: tuple[str, ...], cl: tuple[str, ...], expected: tuple[object, object]
) -> None:
    # RFC 9112 §6.3: 205 is not among the codes framed by their status; a 2xx to CONNECT is a tunnel.
    assert tuple(semantics.response_framing(status, method, te, cl)) == expected
