"""precondition-outcome-mismatch: the shared evaluation of RFC 9110 §13.2.2 applied by the linter."""

from __future__ import annotations

import pytest

from statuskit.lint import Exchange, Request, Response, lint_exchange

RULE = "precondition-outcome-mismatch"
LM = "Sat, 01 Jan 2022 00:00:00 GMT"


def fires(status: int, response: dict[str, str], request: dict[str, str], method: str = "GET") -> bool:
    exchange = Exchange(
        request=Request(method=method, target="http://example.test/r", fields=request),
        response=Response(status=status, fields={"Date": "Sun, 02 Jan 2022 00:00:00 GMT", **response}),
    )
    return any(f.rule == RULE for f in lint_exchange(exchange, httplint=False))


@pytest.mark.parametrize(
    ("status", "response", "request_fields", "method", "expected"),
    [
        # The webmachine order: 304 where a false If-Match means 412.
        (304, {"ETag": '"a"'}, {"If-Match": '"b"', "If-None-Match": '"a"'}, "GET", True),
        (412, {"ETag": '"a"'}, {"If-Match": '"b"', "If-None-Match": '"a"'}, "GET", False),
        # A 304 although the If-None-Match does not match the response's own tag.
        (304, {"ETag": '"a"'}, {"If-None-Match": '"b"'}, "GET", True),
        (304, {"ETag": 'W/"a"'}, {"If-None-Match": '"a"'}, "GET", False),  # weak comparison
        # If-Modified-Since is ignored beside If-None-Match (§13.1.3).
        (304, {"ETag": '"a"', "Last-Modified": LM}, {"If-None-Match": '"b"', "If-Modified-Since": LM}, "GET", True),
        (304, {"Last-Modified": LM}, {"If-Modified-Since": LM}, "GET", False),
        # A 304 with only ETag for an If-Modified-Since: the date is unknown, nothing to judge.
        (304, {"ETag": '"a"'}, {"If-Modified-Since": LM}, "GET", False),
        # 412 to a PUT whose If-Match holds against the tag the 412 names.
        (412, {"ETag": '"a"'}, {"If-Match": '"a"'}, "PUT", True),
        (412, {"ETag": '"a"'}, {"If-Match": '"b"'}, "PUT", False),
        (412, {}, {"If-Match": '"b"'}, "PUT", False),  # no validator in the response
        # If-Unmodified-Since ignored beside If-Match.
        (
            412,
            {"ETag": '"a"', "Last-Modified": LM},
            {"If-Match": '"a"', "If-Unmodified-Since": "Fri, 31 Dec 2021 00:00:00 GMT"},
            "PUT",
            True,
        ),
        # From a cache: not judged.
        (304, {"ETag": '"a"', "Age": "5"}, {"If-Match": '"b"', "If-None-Match": '"a"'}, "GET", False),
    ],
)
def test_cases(
    status: int, response: dict[str, str], request_fields: dict[str, str], method: str, expected: bool
) -> None:
    assert fires(status, response, request_fields, method) is expected
