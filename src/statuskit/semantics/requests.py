"""Facts that tie a status code to the request it answers: ranges, 304, faults of the request.

RFC 9110 §8.6 (Content-Length in requests), §13.2.2 (which requests a 304
can answer), §14.1.2 and §14.2 (range requests), §15.3.7.2 (multipart 206),
§15.5.1 and §15.5.12 (400, 411). The linter asks them whether a code fits
its exchange; the responder asks them what to send.
"""

from __future__ import annotations

from collections.abc import Iterable

# RFC 9110 §14.2: a server ignores Range on methods without range handling;
# GET is the only method for which RFC 9110 defines it.
RANGE_METHODS = frozenset({"GET"})
RANGE_SECTION = "RFC 9110 §14.2"

# RFC 9110 §15.3.7.2: the media type of a multipart 206, which then carries no
# Content-Range in its header section, and is never the answer to one range.
MULTIPART_BYTERANGES = "multipart/byteranges"
MULTIPART_SECTION = "RFC 9110 §15.3.7.2"

# RFC 9110 §13.2.2 (steps 3 and 4) and §13.1.2: a 304 answers a GET or HEAD
# whose If-None-Match, or If-Modified-Since without If-None-Match, evaluated to
# false. Any other method with a false If-None-Match gets 412 instead.
NOT_MODIFIED_METHODS = frozenset({"GET", "HEAD"})
NOT_MODIFIED_PRECONDITIONS = ("If-None-Match", "If-Modified-Since")
NOT_MODIFIED_SECTION = "RFC 9110 §13.2.2"
# §13.2.2 steps 1 and 2: the preconditions whose failure is answered with 412
# whatever the method ("lost update" checks), as opposed to those above.
LOST_UPDATE_PRECONDITIONS = ("If-Match", "If-Unmodified-Since")

# Faults of the request that a server can detect for itself, and the 4xx code
# that names each. A 5xx says the server erred (RFC 9110 §15.6), so answering
# one of these with a 5xx blames the wrong party.
CLIENT_FAULTS: dict[str, tuple[int, str]] = {
    # §15.5.1: malformed syntax or invalid framing of the request.
    "malformed-content": (400, "RFC 9110 §15.5.1"),
    # §15.5.12: the server refuses a request without a defined Content-Length.
    "length-required": (411, "RFC 9110 §15.5.12"),
}

# RFC 9110 §8.6: a user agent should send Content-Length when the method gives
# enclosed content a meaning and it sends no Transfer-Encoding - as POST
# (§9.3.3) and PUT (§9.3.4) do.
CONTENT_METHODS = frozenset({"POST", "PUT"})


def answers_range(method: str) -> bool:
    """Can a 206 or 416 answer this method at all? Only GET has range handling (RFC 9110 §14.2)."""
    return method.upper() in RANGE_METHODS


def may_answer_not_modified(method: str, request_fields: Iterable[str]) -> bool:
    """Could a 304 be the answer to this request? (RFC 9110 §13.2.2, §15.4.5)

    Only a GET or HEAD carrying If-None-Match or If-Modified-Since can have a
    condition that evaluates to false with a 304 as its outcome.
    """
    names = {name.lower() for name in request_fields}
    return method.upper() in NOT_MODIFIED_METHODS and any(p.lower() in names for p in NOT_MODIFIED_PRECONDITIONS)


def byte_range_satisfiable(first: int | None, suffix_length: int | None, length: int) -> bool:
    """Is one bytes range-spec satisfiable against a representation of `length` octets?

    RFC 9110 §14.1.2: an int-range (its `first` position given; the last
    position does not matter) is satisfiable when first-pos is less than the
    current length; a suffix-range (`first` None) when its suffix-length is
    not zero.
    """
    if first is None:
        return bool(suffix_length)
    return first < length
