"""Every registered code, on the wire: status line, required fields, content rules, interim responses.

Each code is asked for with a raw socket, so the test sees interim responses
and the exact framing, and every expectation comes from `statuskit.semantics`
(the same rules the responder follows, checked here against the bytes).
"""

from __future__ import annotations

import pytest

from statuskit import Status, semantics, statuses
from statuskit.responder.codes import HELD_CONDITIONS

ALL = list(statuses())
# 1xx other than 101 are interim: sent, then a final response.
INTERIM = [s for s in ALL if semantics.is_interim(s) and s.code != 101]
# Codes whose URL produces that code as the final response.
FINAL = [s for s in ALL if not semantics.is_interim(s) and s.code != 444]


def _check_content_rules(response, status: Status, method: str) -> None:
    policy = semantics.content_length(status, method)
    if policy is semantics.ContentLength.AS_GET:
        policy = semantics.content_length(status, "GET")
    length = response.header("content-length")
    if policy in (semantics.ContentLength.ABSENT, semantics.ContentLength.AS_200):
        # RFC 9110 §8.6: none on 1xx and 204; on 304 only a 200's value, which we leave out.
        assert length is None, f"{status}: Content-Length {length!r} where none belongs"
    elif policy is semantics.ContentLength.ZERO:
        assert length == "0"
    else:
        assert length is not None and int(length) > 0
    if not semantics.allows_content(status, method):
        assert response.body == b""
        if method != "HEAD":
            assert not response.has("content-type"), f"{status}: a Content-Type without content"
    else:
        assert len(response.body) == int(length or -1)


@pytest.mark.parametrize("status", FINAL, ids=str)
def test_final_code(live, status: Status) -> None:
    response = live.request(f"/{status.code}")
    assert response.status == status.code
    assert response.reason == status.reason
    assert response.interims == []
    ok = live.request("/200")
    for rule in semantics.required_fields(status, HELD_CONDITIONS):
        if rule.condition == "200-would":
            # RFC 9110 §15.3.7, §15.4.5: the fields a 200 to the same request carries;
            # what /304 stands for has an entity tag (the one the client holds).
            if (status.code, rule.field) == (304, "ETag"):
                assert response.header("etag") == '"statuskit"'
            else:
                assert response.has(rule.field) == ok.has(rule.field), f"{status}: {rule.field} unlike a 200"
        else:
            assert response.has(rule.field), f"{status} lacks {rule.field} ({rule.section})"
    _check_content_rules(response, status, "GET")
    assert response.has("date")  # RFC 9110 §6.6.1: an origin server with a clock sends Date
    assert response.header("server", "").startswith("statuskit/")


@pytest.mark.parametrize("status", FINAL, ids=str)
def test_head_has_the_get_length_and_no_content(live, status: Status) -> None:
    get = live.request(f"/{status.code}")
    head = live.request(f"/{status.code}", method="HEAD")
    assert head.status == status.code
    assert head.body == b""
    # RFC 9110 §9.3.2 and §8.6: HEAD carries the Content-Length a GET would have.
    assert head.header("content-length") == get.header("content-length")
    assert head.header("content-type") == get.header("content-type")
    _check_content_rules(head, status, "HEAD")


@pytest.mark.parametrize("status", INTERIM, ids=str)
def test_interim_code_then_final(live, status: Status) -> None:
    response = live.request(f"/{status.code}")
    assert [(r.status, r.reason) for r in response.interims] == [(status.code, status.reason)]
    interim = response.interims[0]
    # RFC 9110 §15.2: a 1xx ends at its header section: no content, no Content-Length.
    assert not interim.has("content-length")
    for rule in semantics.field_rules(status):
        assert interim.has(rule.field), f"{status} interim lacks {rule.field}"
    assert response.status == 200 and response.body


@pytest.mark.parametrize("status", INTERIM, ids=str)
def test_no_interim_to_http_1_0(live, status: Status) -> None:
    # RFC 9110 §15.2: "a server MUST NOT send a 1xx response to an HTTP/1.0 client."
    raw = live.connect()
    raw.send(f"GET /{status.code} HTTP/1.0\r\n\r\n".encode())
    response = raw.response()
    assert response is not None
    assert response.interims == [] and response.status == 200
    assert b"HTTP/1.1 1" not in response.raw_head


def test_then_chooses_the_final_code(live) -> None:
    response = live.request("/103?then=404")
    assert [r.status for r in response.interims] == [103]
    assert response.status == 404


def test_early_hints_carry_preload_links(live) -> None:
    hint = live.request("/103").interims[0]
    link = hint.header("link")
    assert link is not None and "rel=preload" in link
    target = link.split(">")[0].lstrip("<")
    assert live.request(target).status == 200


def test_444_closes_without_a_response(live) -> None:
    response, raw = live.send(b"GET /444 HTTP/1.1\r\nHost: t\r\n\r\n")
    assert response is None
    assert raw.closed and raw.buffer == b""
    live.assert_serving()


def test_101_without_upgrade_is_426(live) -> None:
    response = live.request("/101")
    assert response.status == 426
    assert response.header("upgrade") == "websocket"
    assert "upgrade" in (response.header("connection") or "").lower()


@pytest.mark.parametrize("status", [s for s in FINAL if s.code == 201 or s.status_class == 3], ids=str)
def test_location_answers_200_here(live, status: Status) -> None:
    location = live.request(f"/{status.code}").header("location")
    if location is None:
        assert not any(rule.field == "Location" for rule in semantics.field_rules(status))
        return
    assert location.startswith("/") and not location.startswith("//")
    assert live.request(location).status == 200


def test_206_is_a_real_range(live) -> None:
    response = live.request("/206", headers="Range: bytes=10-19\r\n")
    assert response.status == 206
    assert response.header("content-range") == "bytes 10-19/1024"
    assert response.body == b"klmnopqrst"
    default = live.request("/206")
    first, _, rest = default.header("content-range").removeprefix("bytes ").partition("-")
    last, _, total = rest.partition("/")
    assert len(default.body) == int(last) - int(first) + 1 and total == "1024"


def test_416_names_the_length(live) -> None:
    assert live.request("/416").header("content-range") == "bytes */1024"


def test_405_allow_never_lists_the_refused_method(live) -> None:
    for method in ("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        allow = live.request("/405", method=method).header("allow")
        assert allow is not None
        assert method not in [m.strip() for m in allow.split(",")]


def test_102_repeats_while_waiting(live) -> None:
    response = live.request("/102?sleep=2300")
    # one at once, then one a second while the final response waits (heartbeat 1 s)
    assert [r.status for r in response.interims] == [102, 102, 102]
    assert response.status == 200


def test_custom_phrase(live) -> None:
    response = live.request("/418?phrase=Short%20and%20stout")
    assert (response.status, response.reason) == (418, "Short and stout")


def test_retry_after_on_429_503_and_temporary_413(live) -> None:
    assert live.request("/429").header("retry-after") == "1"
    assert live.request("/503?retry_after=7").header("retry-after") == "7"
    assert live.request("/413?temporary=1").header("retry-after") == "1"
    assert not live.request("/413").has("retry-after")


def test_304_repeats_the_entity_tag_the_client_holds(live) -> None:
    assert live.request("/304", headers='If-None-Match: W/"v2", "v3"\r\n').header("etag") == 'W/"v2"'
    assert live.request("/304", headers="If-None-Match: *\r\n").header("etag") == '"statuskit"'
