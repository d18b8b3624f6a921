"""RFC 9110 §13.2.2 as a table: the preconditions of a request, evaluated in the RFC's order.

The rows that matter most are the ones a decision graph gets wrong: If-Match
before If-None-Match (412, not 304), If-Unmodified-Since ignored beside
If-Match, If-Modified-Since ignored beside If-None-Match and for unsafe methods.
"""

from __future__ import annotations

import pytest

from statuskit import semantics
from statuskit.semantics import EntityTag, evaluate_preconditions, parse_entity_tag, parse_entity_tags, parse_http_date

# Sun, 06 Nov 1994 08:49:37 GMT, the example of RFC 9110 §5.6.7.
EXAMPLE = 784111777
LM = "Sun, 06 Nov 1994 08:49:37 GMT"
EARLIER = "Sat, 05 Nov 1994 08:49:37 GMT"
LATER = "Mon, 07 Nov 1994 08:49:37 GMT"

# (method, request fields, etag, outcome status, deciding field)
TABLE = [
    # No precondition: go on.
    ("GET", {}, '"a"', None, ""),
    # Step 1, If-Match: strong comparison, "*" means "has a representation".
    ("PUT", {"If-Match": '"a"'}, '"a"', None, ""),
    ("PUT", {"If-Match": '"b", "a"'}, '"a"', None, ""),
    ("PUT", {"If-Match": '"b"'}, '"a"', 412, "If-Match"),
    ("PUT", {"If-Match": 'W/"a"'}, '"a"', 412, "If-Match"),
    ("PUT", {"If-Match": '"a"'}, 'W/"a"', 412, "If-Match"),
    ("PUT", {"If-Match": "*"}, '"a"', None, ""),
    ("PUT", {"If-Match": "a"}, '"a"', 412, "If-Match"),  # not a list of entity-tags: false
    ("GET", {"If-Match": '"b"'}, '"a"', 412, "If-Match"),
    # Step 2 only without If-Match.
    ("PUT", {"If-Unmodified-Since": EARLIER}, '"a"', 412, "If-Unmodified-Since"),
    ("PUT", {"If-Unmodified-Since": LM}, '"a"', None, ""),
    ("PUT", {"If-Match": '"a"', "If-Unmodified-Since": EARLIER}, '"a"', None, ""),
    ("PUT", {"If-Unmodified-Since": "yesterday"}, '"a"', None, ""),  # not an HTTP-date: ignored
    # Step 3, If-None-Match: weak comparison; 304 for GET and HEAD, 412 otherwise.
    ("GET", {"If-None-Match": '"a"'}, '"a"', 304, "If-None-Match"),
    ("HEAD", {"If-None-Match": '"a"'}, '"a"', 304, "If-None-Match"),
    ("GET", {"If-None-Match": 'W/"a"'}, '"a"', 304, "If-None-Match"),
    ("GET", {"If-None-Match": '"a"'}, 'W/"a"', 304, "If-None-Match"),
    ("GET", {"If-None-Match": '"x", W/"a"'}, '"a"', 304, "If-None-Match"),
    ("GET", {"If-None-Match": '"b"'}, '"a"', None, ""),
    ("GET", {"If-None-Match": "*"}, '"a"', 304, "If-None-Match"),
    ("PUT", {"If-None-Match": "*"}, '"a"', 412, "If-None-Match"),
    ("DELETE", {"If-None-Match": '"a"'}, '"a"', 412, "If-None-Match"),
    ("POST", {"If-None-Match": 'W/"a"'}, '"a"', 412, "If-None-Match"),
    ("GET", {"If-None-Match": "a"}, '"a"', None, ""),  # not a list of entity-tags: true
    # The order: If-Match is evaluated first, so a false If-Match is 412 even with a false If-None-Match.
    ("GET", {"If-Match": '"b"', "If-None-Match": '"a"'}, '"a"', 412, "If-Match"),
    ("GET", {"If-Match": '"a"', "If-None-Match": '"a"'}, '"a"', 304, "If-None-Match"),
    ("GET", {"If-Unmodified-Since": EARLIER, "If-None-Match": '"a"'}, '"a"', 412, "If-Unmodified-Since"),
    # Step 4 only for GET/HEAD without If-None-Match.
    ("GET", {"If-Modified-Since": LM}, '"a"', 304, "If-Modified-Since"),
    ("GET", {"If-Modified-Since": LATER}, '"a"', 304, "If-Modified-Since"),
    ("GET", {"If-Modified-Since": EARLIER}, '"a"', None, ""),
    ("HEAD", {"If-Modified-Since": LM}, '"a"', 304, "If-Modified-Since"),
    ("PUT", {"If-Modified-Since": LM}, '"a"', None, ""),
    ("GET", {"If-None-Match": '"b"', "If-Modified-Since": LM}, '"a"', None, ""),
    ("GET", {"If-Modified-Since": "not a date"}, '"a"', None, ""),
    ("GET", {"If-Modified-Since": f"{LM}, {LM}"}, '"a"', None, ""),  # more than one member: ignored
    # §13.2.1: methods that select no representation ignore every precondition.
    ("OPTIONS", {"If-Match": '"b"'}, '"a"', None, ""),
    ("TRACE", {"If-None-Match": "*"}, '"a"', None, ""),
]


@pytest.mark.parametrize(
    ("method", "fields", "etag", "status", "field"), TABLE, ids=[f"{m}-{f}-{e}" for m, f, e, *_ in TABLE]
)
def test_evaluation_order(method: str, fields: dict[str, str], etag: str, status: int | None, field: str) -> None:
    outcome = evaluate_preconditions(method, fields, etag, EXAMPLE)
    assert outcome.status == status
    assert outcome.field == field
    if status is not None:
        assert outcome.section.startswith("RFC 9110 §13.1.")
        assert not outcome.proceed


def test_missing_representation() -> None:
    # "*" asks whether there is a current representation at all.
    assert evaluate_preconditions("PUT", {"If-Match": "*"}, None, None, exists=False).status == 412
    assert evaluate_preconditions("PUT", {"If-None-Match": "*"}, None, None, exists=False).proceed
    assert evaluate_preconditions("PUT", {"If-Match": '"a"'}, None, None, exists=False).status == 412
    # No modification date: the date preconditions are ignored (§13.1.3, §13.1.4).
    assert evaluate_preconditions("PUT", {"If-Unmodified-Since": EARLIER}, '"a"', None).proceed
    assert evaluate_preconditions("GET", {"If-Modified-Since": LATER}, '"a"', None).proceed


def test_a_cache_evaluates_only_the_cache_preconditions() -> None:
    outcome = evaluate_preconditions("GET", {"If-Match": '"b"', "If-None-Match": '"a"'}, '"a"', None, origin=False)
    assert outcome.status == 304
    assert outcome.evaluated == ("If-None-Match",)


def test_repeated_fields_combine() -> None:
    pairs = [("if-none-match", '"x"'), ("if-none-match", '"a"')]
    assert evaluate_preconditions("GET", pairs, '"a"').status == 304


@pytest.mark.parametrize(
    ("if_range", "use_range"),
    [
        ('"a"', True),
        ('"b"', False),
        ('W/"a"', False),  # If-Range uses the strong comparison (§13.1.5)
        (LM, True),
        (EARLIER, False),  # an exact match, not "earlier than or equal"
        ("garbage", False),
    ],
)
def test_if_range(if_range: str, use_range: bool) -> None:
    outcome = evaluate_preconditions("GET", {"Range": "bytes=0-9", "If-Range": if_range}, '"a"', EXAMPLE)
    assert outcome.proceed
    assert outcome.use_range is use_range
    assert outcome.evaluated == ("If-Range",)
    if not use_range:
        assert outcome.field == "If-Range"


def test_if_range_needs_range_and_get() -> None:
    assert evaluate_preconditions("GET", {"If-Range": '"b"'}, '"a"').use_range
    assert evaluate_preconditions("HEAD", {"Range": "bytes=0-1", "If-Range": '"b"'}, '"a"').use_range
    # A date is a strong validator only if the origin says so (§8.8.2.2).
    weak = evaluate_preconditions("GET", {"Range": "bytes=0-1", "If-Range": LM}, '"a"', EXAMPLE, strong_dates=False)
    assert not weak.use_range


def test_a_failed_precondition_comes_before_if_range() -> None:
    outcome = evaluate_preconditions("GET", {"If-None-Match": '"a"', "Range": "bytes=0-1", "If-Range": '"a"'}, '"a"')
    assert outcome.status == 304


def test_entity_tags() -> None:
    assert parse_entity_tag('"xyzzy"') == EntityTag("xyzzy")
    assert parse_entity_tag('W/"xyzzy"') == EntityTag("xyzzy", weak=True)
    assert parse_entity_tag('""') == EntityTag("")
    assert str(EntityTag("v1", weak=True)) == 'W/"v1"'
    for bad in ("xyzzy", '"a"b', 'w/"a"', '"a', None, '"a" "b"'):
        assert parse_entity_tag(bad) is None
    assert parse_entity_tags("*") == "*"
    assert parse_entity_tags(' "a" ,, W/"b",') == [EntityTag("a"), EntityTag("b", weak=True)]
    for bad in ('"a", *', "a", '"a" "b"', "", ","):
        assert parse_entity_tags(bad) is None
    with pytest.raises(ValueError):
        EntityTag('a"b')
    # Table 3 of RFC 9110 §8.8.3.2.
    w1, w2, s1 = EntityTag("1", True), EntityTag("2", True), EntityTag("1")
    assert (w1.strong_match(w1), w1.weak_match(w1)) == (False, True)
    assert (w1.strong_match(w2), w1.weak_match(w2)) == (False, False)
    assert (w1.strong_match(s1), w1.weak_match(s1)) == (False, True)
    assert (s1.strong_match(s1), s1.weak_match(s1)) == (True, True)


def test_http_dates() -> None:
    # The three formats of RFC 9110 §5.6.7 name the same instant.
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == EXAMPLE
    assert parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now=1_700_000_000) == EXAMPLE
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == EXAMPLE
    assert semantics.format_http_date(EXAMPLE) == "Sun, 06 Nov 1994 08:49:37 GMT"
    # Two-digit years more than 50 years ahead are in the past.
    assert parse_http_date("Tuesday, 01-Jan-80 00:00:00 GMT", now=1_700_000_000) == 315_532_800
    assert (
        parse_http_date("Tuesday, 01-Jan-70 00:00:00 GMT", now=1_700_000_000) == 3_155_760_000
    )  # 2070: 47 years ahead
    assert parse_http_date("Monday, 01-Jan-24 00:00:00 GMT", now=1_700_000_000) == 1_704_067_200
    for bad in (
        "sun, 06 Nov 1994 08:49:37 GMT",  # case-sensitive
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "1994-11-06T08:49:37Z",
        "",
        None,
    ):
        assert parse_http_date(bad) is None
    assert parse_http_date("Sun, 06 Nov 1994 23:59:60 GMT") == EXAMPLE - 8 * 3600 - 49 * 60 - 37 + 86399
