"""Byte ranges (RFC 9110 §14) over a deterministic body.

The body is the lower-case alphabet repeated, as httpbin's /range uses, so a
client that resumes a download can check every byte it got.

`parse_range` reads a Range value once for both users: `/206` serves the
first range asked for; `/range/{n}` (`select_ranges`) serves them all, as one
part or as `multipart/byteranges` (§14.6, §15.3.7.2).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

ALPHABET = b"abcdefghijklmnopqrstuvwxyz"

# The representation /206 and /416 talk about.
RANGE_LENGTH = 1024

# The boundary of multipart/byteranges. RFC 2046 §5.1.1: it must not occur in
# any part; the deterministic content is lower-case letters only, so upper
# case and digits keep the two apart.
BOUNDARY = "STATUSKIT-BYTERANGES-2B9F"

# Positions are compared with lengths that fit in memory; a longer number of
# digits is "past any end" (and cannot make int() refuse a 5,000-digit string).
_MAX_DIGITS = 19
_PAST_ANY_END = 10**_MAX_DIGITS


def deterministic_bytes(length: int, start: int = 0) -> bytes:
    """Bytes `start` to `start + length - 1` of the endless alphabet."""
    if length <= 0:
        return b""
    offset = start % len(ALPHABET)
    repeats = (offset + length) // len(ALPHABET) + 1
    return (ALPHABET * repeats)[offset : offset + length]


@dataclass(frozen=True, slots=True)
class RangeSpec:
    """One bytes range-spec (§14.1.1): `first`-`last` (last None: to the end) or the last `suffix` bytes."""

    first: int | None
    last: int | None
    suffix: int | None = None

    def resolve(self, length: int) -> tuple[int, int] | None:
        """The inclusive positions it selects from `length` bytes, or None when unsatisfiable (§14.1.2)."""
        if self.first is None:
            # "a suffix-range ... is satisfiable if [its] suffix-length is not zero"
            if not self.suffix or length == 0:
                return None
            return max(0, length - self.suffix), length - 1
        if self.first >= length:
            return None  # "first-pos is less than the current length" or unsatisfiable
        last = length - 1 if self.last is None else min(self.last, length - 1)
        return self.first, last


def _position(text: str) -> int | None:
    if not text.isascii() or not text.isdigit():
        return None
    return _PAST_ANY_END if len(text) > _MAX_DIGITS else int(text)


def parse_specs(value: str | None) -> list[RangeSpec] | None:
    """The range-specs of a Range value, or None when it is absent, another unit or invalid.

    §14.2: an origin server "MUST ignore a Range header field that contains a
    range unit it does not understand" and "MAY ignore or reject" an invalid
    ranges-specifier; a single invalid range-spec (last-pos before first-pos)
    makes the whole set invalid (§14.1.1).
    """
    if value is None:
        return None
    unit, sep, ranges = value.partition("=")
    if not sep or unit.strip(" \t").lower() != "bytes":
        return None
    specs: list[RangeSpec] = []
    for item in ranges.split(","):
        item = item.strip(" \t")
        if not item:
            continue  # §5.6.1: empty list elements are ignored
        first_text, dash, last_text = item.partition("-")
        if not dash:
            return None
        if first_text == "":
            suffix = _position(last_text)
            if suffix is None:
                return None
            specs.append(RangeSpec(None, None, suffix))
            continue
        first = _position(first_text)
        last = _position(last_text) if last_text else None
        if first is None or (last_text and last is None):
            return None
        if last is not None and last < first:
            return None
        specs.append(RangeSpec(first, last))
    return specs or None


def parse_range(value: str | None, length: int) -> list[tuple[int, int]] | None:
    """The satisfiable ranges of a Range field value, as (first, last) inclusive.

    None when the field is absent, names another unit or is not a valid
    ranges-specifier (see `parse_specs`); an empty list when it is valid but
    no range in it is satisfiable (416, §15.5.17).
    """
    specs = parse_specs(value)
    if specs is None:
        return None
    return [span for span in (spec.resolve(length) for spec in specs) if span is not None]


class RangeAnswer(enum.Enum):
    """What a range request gets from a resource that supports byte ranges."""

    WHOLE = "whole"  # no usable Range: 200 with the whole representation (§14.2)
    PARTS = "parts"  # 206 with these parts (§15.3.7)
    UNSATISFIABLE = "unsatisfiable"  # 416: no range is satisfiable (§15.5.17)
    EXCESSIVE = "excessive"  # 416: more ranges than the server serves (§15.5.17)


@dataclass(frozen=True, slots=True)
class RangeSelection:
    answer: RangeAnswer
    parts: tuple[tuple[int, int], ...] = ()
    requested: int = 0  # how many range-specs the request held


def coalesce(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge the ranges that overlap or touch, keeping the order in which each group was first asked for.

    §15.3.7.2: a server "MAY coalesce any of the ranges that overlap"; parts
    go "in the same order that the corresponding range-spec appeared ...,
    excluding those ... that were coalesced into other ranges".
    """
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    groups: list[tuple[int, int, int]] = []  # (first, last, index of the earliest member)
    for i in order:
        first, last = spans[i]
        if groups and first <= groups[-1][1] + 1:
            g_first, g_last, g_index = groups[-1]
            groups[-1] = (g_first, max(g_last, last), min(g_index, i))
        else:
            groups.append((first, last, i))
    groups.sort(key=lambda group: group[2])
    return [(first, last) for first, last, _ in groups]


def select_ranges(value: str | None, length: int, *, max_ranges: int) -> RangeSelection:
    """What to send for a Range value against `length` bytes.

    Invalid syntax or another unit: the whole representation (§14.2 lets a
    server ignore it). More than `max_ranges` range-specs: 416, as §15.5.17
    allows for "an excessive number of small or overlapping ranges" (the
    count bounds the work whatever the ranges are). Overlapping and adjacent
    ranges are coalesced (§15.3.7.2); a zero-length representation has no
    satisfiable range (§14.1.2).
    """
    specs = parse_specs(value)
    if specs is None:
        return RangeSelection(RangeAnswer.WHOLE)
    if len(specs) > max_ranges:
        return RangeSelection(RangeAnswer.EXCESSIVE, requested=len(specs))
    spans = [span for span in (spec.resolve(length) for spec in specs) if span is not None]
    if not spans:
        return RangeSelection(RangeAnswer.UNSATISFIABLE, requested=len(specs))
    return RangeSelection(RangeAnswer.PARTS, tuple(coalesce(spans)), len(specs))


def content_range(first: int, last: int, length: int) -> str:
    """§14.4: `bytes first-last/complete-length`."""
    return f"bytes {first}-{last}/{length}"


def unsatisfied_range(length: int) -> str:
    """§14.4: `bytes */complete-length`, for a 416."""
    return f"bytes */{length}"


def multipart_byteranges(parts: tuple[tuple[int, int], ...], length: int, content_type: str) -> tuple[bytes, str]:
    """The content and Content-Type of a multipart/byteranges 206 over the deterministic body (§14.6).

    Each part carries its own Content-Type and Content-Range (§15.3.7.2); the
    CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    """
    delimiter = f"--{BOUNDARY}".encode("ascii")
    chunks: list[bytes] = []
    for first, last in parts:
        chunks.append(
            delimiter
            + f"\r\nContent-Type: {content_type}\r\nContent-Range: {content_range(first, last, length)}\r\n\r\n".encode(
                "ascii"
            )
            + deterministic_bytes(last - first + 1, first)
            + b"\r\n"
        )
    chunks.append(delimiter + b"--\r\n")
    return b"".join(chunks), f"multipart/byteranges; boundary={BOUNDARY}"
