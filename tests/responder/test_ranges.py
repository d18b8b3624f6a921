"""Byte ranges over the deterministic body."""

from __future__ import annotations

import pytest

from statuskit.responder.ranges import deterministic_bytes, parse_range


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
