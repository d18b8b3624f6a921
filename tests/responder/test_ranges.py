"""Byte ranges over the deterministic body."""

from __future__ import annotations

import email

import pytest

from statuskit.responder.ranges import (
    RangeAnswer,
    deterministic_bytes,
    multipart_byteranges,
    parse_range,
    select_ranges,
)


def test_deterministic_bytes() -> None:
    assert deterministic_bytes(5) == b"abcde"
    assert deterministic_bytes(3, 25) == b"zab"
    assert deterministic_bytes(0) == b""
    whole = deterministic_bytes(1000)
    assert all(deterministic_bytes(17, start) == whole[start : start + 17] for start in range(0, 900, 37))


RANGES = [
    (None, None),
    ("bytes=0-9", [(0, 9)]),
    ("bytes=10-", [(10, 99)]),
    ("bytes=-10", [(90, 99)]),
    ("bytes=-1000", [(0, 99)]),
    ("bytes=50-1000", [(50, 99)]),
    ("bytes=0-0,5-6", [(0, 0), (5, 6)]),
    ("bytes=100-", []),
    ("bytes=200-300", []),
    ("bytes=-0", []),
    ("items=0-5", None),
    ("bytes=5-1", None),
    ("bytes=a-b", None),
    ("bytes=-", None),
    ("bytes", None),
    ("BYTES=1-2", [(1, 2)]),
]


@pytest.mark.parametrize("value,expected", RANGES)
def test_parse_range(value: str | None, expected: list[tuple[int, int]] | None) -> None:
    assert parse_range(value, 100) == expected


def test_huge_positions_do_not_break_parsing() -> None:
    # Python refuses int() of more than 4300 digits; positions that long are "past any end".
    assert parse_range("bytes=" + "9" * 5000 + "-", 100) == []
    assert parse_range("bytes=0-" + "9" * 5000, 100) == [(0, 99)]
    assert parse_range("bytes=-" + "9" * 5000, 100) == [(0, 99)]
    assert parse_range("bytes=½-1", 100) is None


SELECTIONS = [
    (None, RangeAnswer.WHOLE, ()),
    ("bytes=5-1", RangeAnswer.WHOLE, ()),  # invalid: ignored (§14.2)
    ("pages=1-2", RangeAnswer.WHOLE, ()),  # another unit: ignored
    ("bytes=0-9", RangeAnswer.PARTS, ((0, 9),)),
    ("bytes=0-9,20-29", RangeAnswer.PARTS, ((0, 9), (20, 29))),
    ("bytes=20-29,0-9", RangeAnswer.PARTS, ((20, 29), (0, 9))),  # the order asked for (§15.3.7.2)
    ("bytes=0-9,5-14", RangeAnswer.PARTS, ((0, 14),)),  # overlapping: coalesced
    ("bytes=0-9,10-19", RangeAnswer.PARTS, ((0, 19),)),  # adjacent: coalesced
    ("bytes=50-59,0-9,5-12", RangeAnswer.PARTS, ((50, 59), (0, 12))),
    ("bytes=90-,-5", RangeAnswer.PARTS, ((90, 99),)),
    ("bytes=0-0,200-300", RangeAnswer.PARTS, ((0, 0),)),  # the unsatisfiable one is left out
    ("bytes=100-", RangeAnswer.UNSATISFIABLE, ()),
    ("bytes=-0", RangeAnswer.UNSATISFIABLE, ()),
    ("bytes=" + ",".join(f"{i}-{i}" for i in range(0, 8)), RangeAnswer.PARTS, ((0, 7),)),
    ("bytes=" + ",".join(f"{i}-{i}" for i in range(0, 18, 2)), RangeAnswer.EXCESSIVE, ()),
]


@pytest.mark.parametrize("value,answer,parts", SELECTIONS)
def test_select_ranges(value: str | None, answer: RangeAnswer, parts: tuple[tuple[int, int], ...]) -> None:
    selection = select_ranges(value, 100, max_ranges=8)
    assert selection.answer is answer
    assert selection.parts == parts


def test_zero_length_has_nothing_to_range() -> None:
    assert select_ranges("bytes=0-", 0, max_ranges=8).answer is RangeAnswer.UNSATISFIABLE
    assert select_ranges("bytes=-5", 0, max_ranges=8).answer is RangeAnswer.UNSATISFIABLE


def test_multipart_byteranges_parses_back() -> None:
    body, content_type = multipart_byteranges(((0, 9), (50, 54)), 100, "application/octet-stream")
    boundary = content_type.split("boundary=", 1)[1]
    assert content_type.startswith("multipart/byteranges; ")
    assert boundary.encode() not in deterministic_bytes(10_000)  # RFC 2046 §5.1.1
    message = email.message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    parts = message.get_payload()
    assert isinstance(parts, list) and len(parts) == 2
    assert [p["Content-Range"] for p in parts] == ["bytes 0-9/100", "bytes 50-54/100"]
    assert [p["Content-Type"] for p in parts] == ["application/octet-stream"] * 2
    assert [p.get_payload(decode=True) for p in parts] == [deterministic_bytes(10), deterministic_bytes(5, 50)]
    assert body.endswith(f"--{boundary}--\r\n".encode())
