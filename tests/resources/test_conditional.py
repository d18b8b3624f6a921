"""/etag, /cache and /conditional-put without a network: requests in, plans out.

What a 304 carries is checked against `semantics.VALIDATOR_FIELDS` (RFC 9110
§15.4.5): every one of them the 200 has, with the same value, and no content.
"""

from __future__ import annotations

import json

import pytest

from statuskit import semantics
from statuskit.responder import Plan, Request, Responder, ResponderConfig

NOW = 1_800_000_000.0


def make() -> Responder:
    return Responder(ResponderConfig(max_sleep_ms=2000, max_state_entries=4, max_document_bytes=64))


RESPONDER = make()


def ask(
    target: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    responder: Responder = RESPONDER,
) -> Plan:
    fields = [(name.lower(), value) for name, value in (headers or {}).items()]
    return responder.respond(
        Request.build(method, target, headers=fields, body=body, now=NOW, client=("192.0.2.1", 5000))
    )


def repeated_fields(ok: Plan, not_modified: Plan) -> None:
    """§15.4.5: a 304 carries the validator fields the 200 has, as the 200 has them, and no content."""
    assert not_modified.status == 304
    assert not_modified.body == b"" and not_modified.content_length is None
    for name in semantics.VALIDATOR_FIELDS:
        if name == "Date":
            continue  # the engine's, on both
        assert not_modified.header(name) == ok.header(name), name
    assert not_modified.header("Content-Type") is None


# -- /etag/{etag} ---------------------------------------------------------------------


def test_etag_is_quoted_and_can_be_weak() -> None:
    assert ask("/etag/abc").header("ETag") == '"abc"'
    assert ask("/etag/abc?weak=1").header("ETag") == 'W/"abc"'
    assert ask("/etag/W%2F%22abc%22").header("ETag") == 'W/"abc"'
    assert ask("/etag/%22abc%22").header("ETag") == '"abc"'
    document = json.loads(ask("/etag/abc").body)
    assert document == {"etag": '"abc"', "weak": False}


@pytest.mark.parametrize(
    ("target", "method", "headers", "status"),
    [
        ("/etag/abc", "GET", {"If-None-Match": '"abc"'}, 304),
        ("/etag/abc", "HEAD", {"If-None-Match": '"abc"'}, 304),
        ("/etag/abc", "GET", {"If-None-Match": 'W/"abc"'}, 304),  # weak comparison
        ("/etag/abc?weak=1", "GET", {"If-None-Match": '"abc"'}, 304),
        ("/etag/abc", "GET", {"If-None-Match": '"xyz"'}, 200),
        ("/etag/abc", "GET", {"If-None-Match": "*"}, 304),
        ("/etag/abc", "GET", {"If-Match": '"abc"'}, 200),
        ("/etag/abc", "GET", {"If-Match": '"xyz"'}, 412),
        ("/etag/abc?weak=1", "GET", {"If-Match": 'W/"abc"'}, 412),  # strong comparison
        # If-Match first: false If-Match with a false If-None-Match is 412, not 304 (§13.2.2).
        ("/etag/abc", "GET", {"If-Match": '"xyz"', "If-None-Match": '"abc"'}, 412),
        ("/etag/abc", "GET", {"If-Modified-Since": "Sat, 01 Jan 2050 00:00:00 GMT"}, 200),  # no Last-Modified
    ],
)
def test_etag_preconditions(target: str, method: str, headers: dict[str, str], status: int) -> None:
    plan = ask(target, method, headers)
    assert plan.status == status
    if status == 304:
        repeated_fields(ask(target, method), plan)


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_etag_is_read_only(method: str) -> None:
    plan = ask("/etag/abc", method, {"If-None-Match": '"abc"'})
    # §13.2.1: without its preconditions this is 405, so they are not evaluated.
    assert plan.status == 405
    assert plan.header("Allow") == "GET, HEAD, OPTIONS"
    assert ask("/etag/abc", "OPTIONS").status == 204


# -- /cache ----------------------------------------------------------------------------


def test_cache_validators_and_freshness() -> None:
    plan = ask("/cache")
    assert plan.status == 200
    assert plan.header("Cache-Control") == "no-cache"
    assert plan.header(
        "ETag",
    ).startswith('"')  # type: ignore[union-attr]
    assert plan.header("Last-Modified") == "Sat, 01 Jan 2022 00:00:00 GMT"
    assert plan.header("Vary") is None  # nothing negotiated
    assert ask("/cache/60").header("Cache-Control") == "public, max-age=60"
    assert ask("/cache?etag=weak").header("ETag").startswith('W/"')  # type: ignore[union-attr]
    assert ask("/cache?etag=none").header("ETag") is None
    assert ask("/cache?last_modified=0").header("Last-Modified") is None


def test_cache_revalidation() -> None:
    ok = ask("/cache/30")
    tag, date = ok.header("ETag"), ok.header("Last-Modified")
    assert tag is not None and date is not None
    repeated_fields(ok, ask("/cache/30", headers={"If-None-Match": tag}))
    repeated_fields(ok, ask("/cache/30", headers={"If-Modified-Since": date}))
    # If-Modified-Since is ignored beside If-None-Match (§13.1.3).
    assert ask("/cache/30", headers={"If-None-Match": '"old"', "If-Modified-Since": date}).status == 200
    assert ask("/cache/30", headers={"If-Modified-Since": "Fri, 31 Dec 2021 23:59:59 GMT"}).status == 200
    # A 304 without an ETag repeats Last-Modified instead.
    dated = ask("/cache?etag=none", headers={"If-Modified-Since": date})
    assert dated.status == 304 and dated.header("Last-Modified") == date
    assert ask("/cache", headers={"If-Unmodified-Since": "Fri, 31 Dec 2021 23:59:59 GMT"}).status == 412


BAD = [
    ("/cache/abc", "seconds: 'abc' is not a whole number"),
    ("/cache/99999999", "out of range"),
    ("/cache?etag=medium", "etag: 'medium' is not one of strong, weak, none"),
    ("/cache?last_modified=yes", "last_modified"),
    ("/cache?etag=none&last_modified=0", "no validator"),
    ("/etag/", "no entity-tag"),
    ("/etag/a%20b", "cannot be an entity-tag"),
    ("/etag/%22a", "is not an entity-tag"),
    ("/etag/abc?weak=maybe", "weak: 'maybe'"),
    ("/etag/" + "a" * 300, "longer than 256"),
    ("/conditional-put/a%2Fb", "the name is"),
    ("/conditional-put/" + "n" * 65, "the name is"),
]


@pytest.mark.parametrize(("target", "words"), BAD)
def test_bad_parameters_are_400(target: str, words: str) -> None:
    plan = ask(target)
    assert plan.status == 400
    assert words in plan.body.decode()


# -- /conditional-put -------------------------------------------------------------------


def test_conditional_put_lifecycle() -> None:
    responder = make()
    first = ask("/conditional-put/doc", responder=responder)
    assert first.status == 200
    tag = first.header("ETag")
    assert tag is not None
    # RFC 6585 §3: an unconditional write is refused and told how to resubmit.
    required = ask("/conditional-put/doc", "PUT", body=b"new", responder=responder)
    assert required.status == 428
    assert f"If-Match: {tag}" in required.body.decode()
    assert ask("/conditional-put/doc", "DELETE", responder=responder).status == 428
    # A stale tag: 412, and the current one is named.
    stale = ask("/conditional-put/doc", "PUT", {"If-Match": '"stale"'}, b"new", responder=responder)
    assert stale.status == 412 and stale.header("ETag") == tag
    # The current tag: 204 with the new tag, which differs on every write.
    written = ask(
        "/conditional-put/doc", "PUT", {"If-Match": tag, "Content-Type": "text/plain"}, b"v2", responder=responder
    )
    assert written.status == 204
    second = written.header("ETag")
    assert second not in (None, tag)
    same_again = ask("/conditional-put/doc", "PUT", {"If-Match": second}, b"v2", responder=responder)  # type: ignore[dict-item]
    assert same_again.status == 204 and same_again.header("ETag") not in (second, tag)
    now = ask("/conditional-put/doc", responder=responder)
    assert now.body == b"v2" and now.header("ETag") == same_again.header("ETag")
    assert now.header("Content-Type") == "application/octet-stream"  # the last PUT named none
    # The old tag is stale now: the lost update is caught.
    assert ask("/conditional-put/doc", "PUT", {"If-Match": tag}, b"lost", responder=responder).status == 412
    # If-None-Match on a PUT is 412, never 304 (§13.1.2).
    assert ask("/conditional-put/doc", "PUT", {"If-None-Match": "*"}, b"x", responder=responder).status == 412
    # DELETE, then the document is gone until a PUT creates it (201 with Location).
    current = now.header("ETag")
    assert ask("/conditional-put/doc", "DELETE", {"If-Match": current}, responder=responder).status == 204  # type: ignore[dict-item]
    assert ask("/conditional-put/doc", responder=responder).status == 404
    assert ask("/conditional-put/doc", "PUT", {"If-Match": "*"}, b"x", responder=responder).status == 412
    created = ask("/conditional-put/doc", "PUT", {"If-None-Match": "*"}, b"back", responder=responder)
    assert created.status == 201 and created.header("Location") == "/conditional-put/doc"
    assert ask("/conditional-put/doc", responder=responder).body == b"back"


def test_conditional_put_dates_and_limits() -> None:
    responder = make()
    tag = ask("/conditional-put/d", responder=responder).header("ETag")
    written = ask("/conditional-put/d", "PUT", {"If-Match": tag}, b"x", responder=responder)  # type: ignore[dict-item]
    # Last-Modified is the request's time, and the Date field is sent from the same clock (§8.8.2.1).
    assert written.header("Last-Modified") == semantics.format_http_date(NOW) == written.header("Date")
    assert (
        ask(
            "/conditional-put/d",
            "PUT",
            {"If-Unmodified-Since": "Sat, 01 Jan 2022 00:00:00 GMT"},
            b"y",
            responder=responder,
        ).status
        == 412
    )
    too_big = ask("/conditional-put/d", "PUT", {"If-Match": "*"}, b"x" * 65, responder=responder)
    assert too_big.status == 413 and "--max-document-bytes" in too_big.body.decode()
    assert ask("/conditional-put/d", "POST", responder=responder).header("Allow") == "GET, HEAD, PUT, DELETE, OPTIONS"


def test_conditional_put_store_is_bounded() -> None:
    responder = make()  # max_state_entries=4
    for index in range(10):
        ask(f"/conditional-put/n{index}", "PUT", {"If-Match": "*"}, b"x", responder=responder)
    route = responder.router.resolve("/conditional-put/x")[0]
    assert len(route.store) == 4  # type: ignore[attr-defined]
    # The oldest went first: it holds the initial document again.
    assert ask("/conditional-put/n0", responder=responder).body != b"x"
    assert ask("/conditional-put/n9", responder=responder).body == b"x"


def test_conditional_put_reads_the_body_only_when_it_may_use_it() -> None:
    head = Request.build("PUT", "/conditional-put/w", headers=[("content-length", "3")])
    assert not RESPONDER.wants_body(head)  # 428 is known from the head (RFC 9110 §10.1.1)
    conditional = Request.build("PUT", "/conditional-put/w", headers=[("content-length", "3"), ("if-match", "*")])
    assert RESPONDER.wants_body(conditional)
