"""/range/{n} without a network: the answers of RFC 9110 §14 and §15.3.7, from a table."""

from __future__ import annotations

import pytest

from statuskit.responder import FaultKind, Plan, Request, Responder, ResponderConfig
from statuskit.responder.ranges import deterministic_bytes

RESPONDER = Responder(ResponderConfig(max_range_bytes=1000, max_ranges=4, max_sleep_ms=2000))
LM = "Sat, 01 Jan 2022 00:00:00 GMT"


def ask(target: str, method: str = "GET", **headers: str) -> Plan:
    fields = [(name.replace("_", "-").lower(), value) for name, value in headers.items()]
    return RESPONDER.respond(Request.build(method, target, headers=fields))


def test_whole() -> None:
    plan = ask("/range/100")
    assert plan.status == 200
    assert plan.body == deterministic_bytes(100)
    assert plan.header("Accept-Ranges") == "bytes"
    assert plan.header("ETag") == '"range-100"'
    assert plan.header("Last-Modified") == LM
    assert plan.header("Content-Type") == "application/octet-stream"
    assert ask("/range/0").body == b""


def test_single_part() -> None:
    plan = ask("/range/100", range="bytes=10-19")
    assert plan.status == 206
    assert plan.header("Content-Range") == "bytes 10-19/100"
    assert plan.body == deterministic_bytes(10, 10)
    # §15.3.7: the fields a 200 would carry.
    assert plan.header("ETag") == '"range-100"' and plan.header("Last-Modified") == LM
    assert plan.header("Vary") is None
    assert ask("/range/100", range="bytes=-5").body == deterministic_bytes(5, 95)
    assert ask("/range/100", range="bytes=95-").header("Content-Range") == "bytes 95-99/100"
    assert ask("/range/100", range="bytes=90-500").header("Content-Range") == "bytes 90-99/100"


def test_several_parts() -> None:
    plan = ask("/range/100", range="bytes=0-4, 50-54")
    assert plan.status == 206
    assert plan.header(
        "Content-Type",
    ).startswith("multipart/byteranges; boundary=")  # type: ignore[union-attr]
    assert plan.header("Content-Range") is None  # §15.3.7.2
    assert b"Content-Range: bytes 0-4/100\r\n\r\nabcde\r\n" in plan.body
    assert b"Content-Range: bytes 50-54/100\r\n\r\n" + deterministic_bytes(5, 50) + b"\r\n" in plan.body
    # Coalesced into one part: a single-part 206 (§15.3.7.2 allows either).
    assert ask("/range/100", range="bytes=0-9,5-20").header("Content-Range") == "bytes 0-20/100"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("bytes=100-", 416),
        ("bytes=-0", 416),
        ("bytes=0-0,1-1,2-2,3-3,4-4", 416),  # more than --max-ranges (4)
        ("bytes=9-1", 200),  # invalid: ignored
        ("bytes=abc", 200),
        ("lines=1-2", 200),
        ("bytes=0-0,2-2,4-4,6-6", 206),
    ],
)
def test_unsatisfiable_excessive_and_invalid(value: str, status: int) -> None:
    plan = ask("/range/100", range=value)
    assert plan.status == status
    if status == 416:
        assert plan.header("Content-Range") == "bytes */100"
    if status == 200:
        assert plan.body == deterministic_bytes(100)


def test_if_range() -> None:
    assert ask("/range/100", range="bytes=0-9", if_range='"range-100"').status == 206
    assert ask("/range/100", range="bytes=0-9", if_range=LM).status == 206
    # A weak tag, another tag or another date: the whole representation (§13.1.5).
    for other in ('W/"range-100"', '"range-99"', "Sun, 02 Jan 2022 00:00:00 GMT"):
        plan = ask("/range/100", range="bytes=0-9", if_range=other)
        assert plan.status == 200 and plan.body == deterministic_bytes(100)


def test_preconditions_before_range() -> None:
    # §14.2: Range is evaluated only if the answer without it would be 200.
    assert ask("/range/100", range="bytes=0-9", if_none_match='"range-100"').status == 304
    assert ask("/range/100", range="bytes=0-9", if_match='"other"').status == 412
    assert ask("/range/100", range="bytes=0-9", if_modified_since=LM).status == 304


def test_head_and_other_methods() -> None:
    head = ask("/range/100", "HEAD", range="bytes=0-9")
    # §14.2: range handling is defined for GET only; HEAD gets the 200's fields.
    assert head.status == 200 and head.body == b"" and head.content_length == 100
    post = ask("/range/100", "POST", range="bytes=0-9")
    assert post.status == 405 and post.header("Allow") == "GET, HEAD, OPTIONS"


def test_duration_dribbles() -> None:
    plan = ask("/range/100?duration=500", range="bytes=0-9")
    assert plan.status == 206 and plan.fault is not None
    assert plan.fault.kind is FaultKind.DRIBBLE and plan.fault.duration == 0.5


BAD = [
    ("/range/1001", "1001 bytes is over the server's limit of 1000 bytes (--max-range-bytes)"),
    ("/range/abc", "'abc' is not a number of bytes (0-1000)"),
    ("/range/-1", "is not a number of bytes"),
    ("/range/", "no length in the path"),
    ("/range", "no length in the path"),
    ("/range/10?duration=x", "duration: 'x'"),
    ("/range/10?duration=9000", "--max-sleep"),
]


@pytest.mark.parametrize(("target", "words"), BAD)
def test_bad_parameters_are_400(target: str, words: str) -> None:
    plan = ask(target)
    assert plan.status == 400
    assert words in plan.body.decode()
    assert plan.body.decode().count("\n") == 2  # the status line of the document and one line of reason
