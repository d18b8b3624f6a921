"""The responder end to end, without a network: requests in, plans out."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from statuskit import lookup, web
from statuskit.responder import Plan, Request, Responder, ResponderConfig

RESPONDER = Responder(ResponderConfig(max_sleep_ms=5000, seed=1))


def respond(target: str, method: str = "GET", headers: tuple[tuple[str, str], ...] = (), version: str = "1.1") -> Plan:
    return RESPONDER.respond(Request.build(method, target, headers=headers, http_version=version))


BAD = [
    ("/99", (), "99 is not a status code"),
    ("/600", (), "600 is not a status code"),
    ("/status/0404", (), "0404"),
    ("/status/", (), "no status code in the path"),
    ("/random/200:0,503:0", (), "add up to zero"),
    ("/200,abc", (), "'abc' in '200,abc' is not a status code"),
    ("/404abc", (), "'404abc'"),
    ("/200?sleep=abc", (), "sleep: 'abc'"),
    ("/200?sleep=9000", (), "--max-sleep"),
    ("/200", (("x-statuskit-sleep", "abc"),), "sleep: 'abc'"),
    ("/200", (("x-httpstatus-sleep", "99999"),), "--max-sleep"),
    ("/200?then=404", (), "then: only a 1xx code"),
    ("/103?then=101", (), "then: '101'"),
    ("/200?phrase=%0D%0A", (), "phrase"),
    ("/302?location=//evil.example", (), "open redirect"),
    ("/302?location=https://evil.example", (), "open redirect"),
    ("/503?retry_after=soon", (), "retry_after"),
    ("/200?lang=fr", (), "lang: 'fr' is not available"),
    ("/200?fault=nope", (), "fault: 'nope'"),
    ("/200", (("x-statuskit-response-content-length", "5"),), "Content-Length frames the message"),
    ("/200", (("x-statuskit-response-transfer-encoding", "chunked"),), "Transfer-Encoding"),
    ("/200", (("x-statuskit-response-connection", "close"),), "Connection"),
    ("/200", (("x-statuskit-response-upgrade", "h2c"),), "Upgrade"),
    ("/200", (("x-statuskit-response-keep-alive", "timeout=5"),), "Keep-Alive"),
    ("/200", (("x-statuskit-response-te", "trailers"),), "TE"),
    ("/200", (("x-httpstatus-response-proxy-connection", "x"),), "Proxy-Connection"),
    ("/200", (("x-statuskit-response-", "x"),), "field name after X-Statuskit-Response- is empty"),
    ("/200", (("x-statuskit-response-bad(name)", "x"),), "not a valid field name"),
    ("/200", (("x-statuskit-response-x-a", "a\x01b"),), "control character"),
    ("/200", (("x-statuskit-response-x-a", "a\x00b"),), "control character"),
    ("/200", (("x-statuskit-response-x-a", "a\r\nb: c"),), "control character"),
    ("/docs/99", (), "99 is not a status code"),
    ("/docs/200,404", (), "one status code"),
]


@pytest.mark.parametrize("target,headers,words", BAD, ids=[f"{t} {h}" for t, h, _ in BAD])
def test_bad_input_is_4xx_with_a_one_line_reason(target: str, headers: tuple[tuple[str, str], ...], words: str) -> None:
    plan = respond(target, headers=headers)
    assert plan.status == 400
    text = plan.body.decode()
    first, detail = text.split("\n", 1)
    assert first.startswith(str(plan.status))
    assert detail.count("\n") == 1, "the reason is one line"
    assert words in detail
    assert plan.close is False and plan.reusable


def test_bad_input_in_json_has_a_detail() -> None:
    plan = respond("/200?sleep=abc", headers=(("accept", "application/json"),))
    document = json.loads(plan.body)
    assert document["code"] == 400 and "sleep" in document["detail"]


def test_too_many_caller_fields() -> None:
    responder = Responder(ResponderConfig(max_caller_fields=2))
    headers = tuple((f"x-statuskit-response-x-{i}", "v") for i in range(3))
    plan = responder.respond(Request.build("GET", "/200", headers=headers))
    assert plan.status == 400 and b"more than 2" in plan.body


def test_caller_fields_are_added_and_replace_generated_ones() -> None:
    plan = respond(
        "/302",
        headers=(
            ("x-statuskit-response-location", "/somewhere"),
            ("x-httpstatus-response-x-trace", "abc"),
            ("x-statuskit-response-www-authenticate", "Bearer"),
            ("x-statuskit-response-content-type", "text/x-test"),
        ),
    )
    assert plan.status == 302
    assert plan.header("Location") == "/somewhere"
    assert [v for n, v in plan.headers if n == "Location"] == ["/somewhere"]
    assert plan.header("X-Trace") == "abc" and plan.header("WWW-Authenticate") == "Bearer"
    assert plan.header("Content-Type") == "text/x-test"
    assert "X-Trace" in plan.header("Access-Control-Expose-Headers")


def test_negotiated_representations() -> None:
    text = respond("/404")
    assert text.header("Content-Type") == "text/plain; charset=utf-8"
    assert text.body.decode().startswith("404 Not Found\n")
    assert text.header("Vary") == "Accept, Accept-Language"

    document = json.loads(respond("/404", headers=(("accept", "application/json"),)).body)
    assert document["code"] == 404 and document["reason"] == "Not Found" and "summary" in document

    page = respond("/404", headers=(("accept", "text/html,*/*;q=0.8"),))
    assert page.header("Content-Type") == "text/html; charset=utf-8"
    assert page.body.startswith(b"<!doctype html>") and b"HTTP/1.1 404 Not Found" in page.body  # the exchange

    chinese = respond("/404", headers=(("accept-language", "zh-CN,zh;q=0.9"),))
    assert chinese.body.decode().split("\n")[1] == lookup(404).describe("zh-CN").summary

    fixed = respond("/404?lang=zh-CN")
    assert fixed.body == chinese.body and fixed.header("Vary") == "Accept"


def test_head_has_the_get_fields_and_no_content() -> None:
    get, head = respond("/404"), respond("/404", method="HEAD")
    assert head.body == b"" and head.content_length == get.content_length == len(get.body)
    assert head.headers == get.headers


def test_interim_codes_and_http_1_0() -> None:
    plan = respond("/103")
    assert [(i.status, i.reason) for i in plan.interims] == [(103, "Early Hints")]
    assert plan.interims[0].headers[0][0] == "Link"
    assert plan.status == 200
    old = respond("/103", version="1.0")
    assert old.interims == () and old.status == 200
    assert respond("/100?then=201").status == 201
    processing = respond("/102?sleep=2500")
    assert processing.heartbeat is not None and processing.heartbeat.status == 102 and processing.delay == 2.5


def test_switching_protocols() -> None:
    upgrade = (("upgrade", "websocket"), ("connection", "keep-alive, Upgrade"))
    plan = respond("/101", headers=upgrade)
    assert plan.status == 101 and plan.upgrade == "websocket" and plan.header("Upgrade") == "websocket"
    for method, version in (("POST", "1.1"), ("GET", "1.0")):
        refused = respond("/101", method=method, headers=upgrade, version=version)
        assert refused.status == 426 and refused.upgrade == ""
    assert respond("/101", headers=(("upgrade", "h2c"), ("connection", "upgrade"))).status == 426


@pytest.mark.parametrize(
    ("target", "protocol", "status", "says"),
    [
        ("/101", "websocket", 200, ""),
        ("/101?sleep=100", "websocket", 200, ""),
        ("/101", "chat", 400, "tunnels only websocket"),
        ("/200", "websocket", 400, "/200 is no WebSocket"),
        ("/redirect/2", "websocket", 400, "/redirect/2 is no WebSocket"),
    ],
)
def test_extended_connect(target: str, protocol: str, status: int, says: str) -> None:
    # RFC 8441 on HTTP/2: CONNECT with :protocol opens the /101 echo with a 200 (no 101 on HTTP/2), nothing else.
    request = Request.build("CONNECT", target, http_version="2", headers=(("host", "t"),), protocol=protocol)
    plan = RESPONDER.respond(request)
    assert plan.status == status
    assert plan.upgrade == ("websocket" if status == 200 else "")
    assert says.encode() in plan.body
    if status == 200:
        assert plan.body == b"" and plan.headers == ()  # no Upgrade or Connection: HTTP/2 forbids them


def test_connect_without_protocol_is_still_501() -> None:
    assert respond("/101", method="CONNECT", version="2").status == 501


def test_cors() -> None:
    assert respond("/500").header("Access-Control-Allow-Origin") == "*"
    exposed = respond("/401").header("Access-Control-Expose-Headers")
    for name in ("Location", "Retry-After", "WWW-Authenticate", "Allow", "Content-Range"):
        assert name in exposed
    preflight = respond(
        "/405",
        method="OPTIONS",
        headers=(
            ("origin", "https://example.org"),
            ("access-control-request-method", "PUT"),
            ("access-control-request-headers", "x-statuskit-sleep, content-type"),
        ),
    )
    assert preflight.status == 204 and preflight.body == b"" and preflight.content_length is None
    assert preflight.header("Access-Control-Allow-Methods") == "PUT"
    assert preflight.header("Access-Control-Allow-Headers") == "x-statuskit-sleep, content-type"
    bad = respond("/200", method="OPTIONS", headers=(("origin", "x"), ("access-control-request-method", "P U T")))
    assert bad.status == 400
    # OPTIONS without the preflight fields is an ordinary request to the URL API
    assert respond("/405", method="OPTIONS").status == 405


WANTS_BODY = [
    ("/200", "POST", True),
    ("/201", "PUT", True),
    ("/404", "POST", False),
    ("/302", "POST", False),
    ("/200,500", "POST", True),
    ("/500-504", "POST", False),
    ("/100", "POST", True),
    ("/100?then=404", "POST", False),
    ("/200?sleep=abc", "POST", False),
    ("/200", "PURGE", False),
    ("/nothing-here", "POST", False),
    ("/", "POST", False),
]


@pytest.mark.parametrize("target,method,expected", WANTS_BODY)
def test_wants_body(target: str, method: str, expected: bool) -> None:
    headers = (("content-length", "5"), ("expect", "100-continue"))
    assert RESPONDER.wants_body(Request.build(method, target, headers=headers)) is expected


def test_methods() -> None:
    assert respond("/200", method="PURGE").status == 501
    assert respond("/200", method="CONNECT").status == 501
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"):
        assert respond("/207", method=method).status == 207
    star = respond("*", method="OPTIONS")
    assert star.status == 204 and "GET" in star.header("Allow")
    assert respond("*").status == 400


def test_other_routes() -> None:
    assert respond("/nothing/here").status == 404
    assert b"/status" in respond("/nothing").body
    index = respond("/")
    assert index.status == 200 and b"/{code}" in index.body
    listing = json.loads(respond("/", headers=(("accept", "application/json"),)).body)
    assert {"code": 404, "reason": "Not Found", "url": "/404"} in listing["codes"]
    assert respond("/", headers=(("accept", "text/html"),)).body == web.index_page("en").encode()
    assert respond("/?lang=zh-CN", headers=(("accept", "text/html"),)).body == web.index_page("zh-CN").encode()
    docs = respond("/docs/451")
    assert docs.status == 200 and docs.header("Content-Type").startswith("text/html")
    assert respond("/static/nothing.css").status == 404
    assert respond("/404/any/thing/after").status == 404
    assert respond("/503/any/path").status == 503
    assert respond("http://example.com/418").status == 418  # absolute form
    assert respond("http://example.com").status == 200  # absolute form without a path: the index
    assert respond("/503/http://example.com/").status == 503


def test_random_picks_and_reusability() -> None:
    codes = {respond("/200,503").status for _ in range(60)}
    assert codes == {200, 503}
    assert not respond("/200,503").reusable
    seeded = {respond("/200,500,503?seed=9").status for _ in range(10)}
    assert len(seeded) == 1 and respond("/200,500,503?seed=9").reusable
    assert respond("/418").reusable
    weighted = [respond("/200:0.9,503:0.1").status for _ in range(300)]
    assert 200 < weighted.count(200) < 300


def test_same_seed_same_sequence() -> None:
    first = Responder(ResponderConfig(seed=3))
    second = Responder(ResponderConfig(rng=random.Random(3)))
    request = Request.build("GET", "/500-599")
    assert [first.respond(request).status for _ in range(20)] == [second.respond(request).status for _ in range(20)]


def test_plans_are_immutable() -> None:
    plan = respond("/200")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.status = 500  # type: ignore[misc]


def test_error_has_the_same_shape_for_the_engine() -> None:
    plan = RESPONDER.error(431, "the header section is larger than 10 bytes (--max-header-bytes)")
    assert plan.status == 431 and plan.reason == "Request Header Fields Too Large"
    assert (
        plan.body
        == b"431 Request Header Fields Too Large\nthe header section is larger than 10 bytes (--max-header-bytes)\n"
    )
    assert plan.content_length == len(plan.body)
    overload = RESPONDER.error(503, "busy")
    assert overload.header("Retry-After") == "1"


def test_exchange_is_what_the_engine_writes() -> None:
    plan = respond("/_statuskit/exchange/103?then=404")
    text = plan.body.decode()
    assert plan.status == 200 and plan.header("Cache-Control") == "no-store"
    assert text.startswith("HTTP/1.1 103 Early Hints\r\nLink: ")
    assert "\r\n\r\nHTTP/1.1 404 Not Found\r\nServer: statuskit/" in text
    assert text.endswith(respond("/404").body.decode())
    assert respond("/_statuskit/exchange/444").body == b""
    assert respond("/_statuskit/exchange/").status == 404


def test_static_assets_are_cached_when_versioned() -> None:
    assert respond("/static/app.js?v=abc").header("Cache-Control") == "max-age=31536000, immutable"
    assert respond("/static/app.js").header("Cache-Control") == "no-cache"
    # no-cache with a validator, so revalidating costs a 304 (httplint: FRESHNESS_NO_CACHE_NO_VALIDATOR otherwise)
    for path in ("/static/app.js", "/docs/404"):
        etag = respond(path).header("ETag")
        assert etag and etag.startswith('"') and respond(path, headers=(("If-None-Match", etag),)).status == 304
    assert respond("/static/../pyproject.toml").status == 404
