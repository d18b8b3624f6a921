"""Byte ranges (RFC 9110 §14) over a deterministic body.

The body is the lower-case alphabet repeated, as httpbin's /range uses, so a
client that resumes a download can check every byte it got.
"""

from __future__ import annotations

ALPHABET = b"abcdefghijklmnopqrstuvwxyz"

# The representation /206 and /416 talk about.
RANGE_LENGTH = 1024


def deterministic_bytes(length: int, start: int = 0) -> bytes:
    """Bytes `start` to `start + length - 1` of the endless alphabet."""
    if length <= 0:
        return b""
    offset = start % len(ALPHABET)
    repeats = (offset + length) // len(ALPHABET) + 1
    return (ALPHABET * repeats)[offset : offset + length]


def parse_range(value: str | None, length: int) -> list[tuple[int, int]] | None:
    """The satisfiable ranges of a Range field value, as (first, last) inclusive.

    None when the field is absent, names another unit ("An origin server MUST
    ignore a Range header field that contains a range unit it does not
    understand", §14.2) or is not a valid ranges-specifier (which a server
    "MAY ignore or reject", §14.2); an empty list when it is valid but no
    range in it is satisfiable (416, §15.5.17).
    """
    if value is None:
        return None
    unit, sep, ranges = value.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    out: list[tuple[int, int]] = []
    for spec in ranges.split(","):
        spec = spec.strip()
        if not spec:
            continue
        first_text, dash, last_text = spec.partition("-")
        first_text, last_text = first_text.strip(), last_text.strip()
        if not dash or not (first_text.isdigit() or first_text == "") or not (last_text.isdigit() or last_text == ""):
            return None
        if first_text == "":
            # suffix-range: the last N bytes (§14.1.1)
            if last_text == "":
                return None
            suffix = int(last_text)
            if suffix > 0 and length > 0:
                out.append((max(0, length - suffix), length - 1))
            continue
        first = int(first_text)
        if last_text and int(last_text) < first:
            return None  # §14.1.1: an invalid range-spec makes the whole set invalid
        last = int(last_text) if last_text else length - 1
        if first < length:
            out.append((first, min(last, length - 1)))
    return out
