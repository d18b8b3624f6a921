"""/gateway/{code} without a network: the upstream request it asks for, and its answer to each outcome."""

from __future__ import annotations

import pytest

from statuskit.responder import Plan, Request, Responder, ResponderConfig, Upstream, UpstreamError, UpstreamResponse

RESPONDER = Responder(ResponderConfig(max_sleep_ms=3000, max_upstream_bytes=4096))


def req(target: str, method: str = "GET", headers: tuple[tuple[str, str], ...] = ()) -> Request:
    return Request.build(method, target, headers=headers)


def upstream_of(target: str, headers: tuple[tuple[str, str], ...] = ()) -> Upstream:
    plan = RESPONDER.respond(req(target, headers=headers))
    assert plan.upstream is not None, plan
    return plan.upstream


@pytest.mark.parametrize(
    ("target", "upstream_target", "timeout"),
    [
        ("/gateway/200", "/200", 3.0),  # the default 5 s is capped by --max-sleep
        ("/gateway/404", "/404", 3.0),
        ("/gateway/502", "/200?fault=garbage", 3.0),
        ("/gateway/502?upstream=drop-mid-body", "/200?fault=drop-mid-body", 3.0),
        ("/gateway/404?upstream=drop", "/404?fault=drop", 3.0),
        ("/gateway/504", "/200?sleep=2000", 1.0),
        ("/gateway/504?timeout=200", "/200?sleep=400", 0.2),
        ("/gateway/200?sleep=100&timeout=1500", "/200?sleep=100", 1.5),
    ],
)
def test_the_upstream_request(target: str, upstream_target: str, timeout: float) -> None:
    upstream = upstream_of(target)
    assert upstream.target == upstream_target
    assert upstream.timeout == timeout
    assert upstream.max_bytes == 4096
    # RFC 9110 §7.6.3: a gateway MUST send Via in each inbound request.
    assert ("Via", "1.1 statuskit") in upstream.headers


def test_forwarded_fields() -> None:
    sent = (
        ("host", "client.example"),
        ("if-none-match", '"statuskit"'),
        ("x-statuskit-response-x-trace", "1"),
        ("connection", "keep-alive, x-private"),
        ("x-private", "secret"),
        ("keep-alive", "timeout=5"),
        ("te", "trailers"),
    )
    names = {name for name, _ in upstream_of("/gateway/304", sent).headers}
    # End-to-end fields go on; §7.6.1: Connection, the fields it names and the other hop-by-hop ones do not.
    assert {"if-none-match", "x-statuskit-response-x-trace", "Via"} <= names
    assert not names & {"host", "connection", "x-private", "keep-alive", "te"}


def test_the_caller_never_chooses_a_host() -> None:
    for target in ("/gateway/200?upstream=http://evil.example/", "/gateway/200?upstream=//evil.example"):
        plan = RESPONDER.respond(req(target))
        assert plan.status == 400 and plan.upstream is None
    # Upstream holds no host at all; only an origin-form target is accepted.
    for bad in ("http://evil.example/", "//evil", "/200 HTTP/1.1\r\nHost: x"):
        with pytest.raises(ValueError):
            Upstream(target=bad)
    with pytest.raises(ValueError):
        Upstream(target="/200", headers=(("X-A", "1\r\nHost: evil"),))


def test_via_is_appended_to() -> None:
    upstream = upstream_of("/gateway/200", (("via", "1.1 proxy.example"),))
    assert ("Via", "1.1 proxy.example, 1.1 statuskit") in upstream.headers


def test_a_loop_is_refused() -> None:
    plan = RESPONDER.respond(req("/gateway/200", headers=(("via", "1.1 proxy.example, 1.1 statuskit"),)))
    assert plan.status == 508 and plan.upstream is None


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("/gateway/", "no status code in the path"),
        ("/gateway/abc", "'abc'"),
        ("/gateway/200,503", "one status code"),
        ("/gateway/200?upstream=explode", "upstream: 'explode' is not one of garbage, drop"),
        ("/gateway/200?timeout=0", "timeout: 0 is out of range"),
        ("/gateway/200?timeout=99999", "out of range"),
        ("/gateway/200?sleep=99999", "--max-sleep"),
    ],
)
def test_bad_parameters_are_400(target: str, words: str) -> None:
    plan = RESPONDER.respond(req(target))
    assert plan.status == 400
    assert words in plan.body.decode()


def test_504_needs_room_under_max_sleep() -> None:
    tight = Responder(ResponderConfig(max_sleep_ms=100))
    plan = tight.respond(req("/gateway/504?timeout=100"))
    assert plan.status == 400 and "--max-sleep" in plan.body.decode()
    assert tight.respond(req("/gateway/504")).upstream is not None  # 50 ms against 100 ms


def test_only_get_and_head() -> None:
    plan = RESPONDER.respond(req("/gateway/200", "POST"))
    assert plan.status == 405 and plan.header("Allow") == "GET, HEAD, OPTIONS"


def answer(outcome: UpstreamResponse, target: str = "/gateway/200", method: str = "GET") -> Plan:
    return RESPONDER.after_upstream(req(target, method), outcome)


def test_timeout_is_504_and_failures_are_502() -> None:
    assert answer(UpstreamResponse(error=UpstreamError.TIMEOUT, detail="was slow")).status == 504
    for error in (UpstreamError.INVALID, UpstreamError.INCOMPLETE, UpstreamError.TOO_LARGE, UpstreamError.UNREACHABLE):
        plan = answer(UpstreamResponse(error=error, detail="misbehaved"))
        assert plan.status == 502
        assert b"misbehaved" in plan.body
        assert plan.header("Via") == "1.1 statuskit"


def test_a_fine_upstream_passes_through() -> None:
    outcome = UpstreamResponse(
        status=418,
        reason="I'm a teapot",
        headers=(
            ("Server", "statuskit/0"),
            ("Date", "Sat, 01 Jan 2022 00:00:00 GMT"),
            ("Content-Type", "text/plain"),
            ("Content-Length", "5"),
            ("Connection", "close, x-hop"),
            ("X-Hop", "1"),
            ("Access-Control-Allow-Origin", "*"),
            ("X-Trace", "abc"),
        ),
        body=b"short",
    )
    plan = answer(outcome)
    assert (plan.status, plan.reason, plan.body) == (418, "I'm a teapot", b"short")
    assert plan.header("X-Trace") == "abc" and plan.header("Content-Type") == "text/plain"
    for name in ("Server", "Date", "Content-Length", "Connection", "X-Hop"):
        assert plan.header(name) is None, name
    assert [n for n, _ in plan.headers].count("Access-Control-Allow-Origin") == 1
    head = answer(outcome, method="HEAD")
    assert head.body == b"" and head.content_length == 5
    assert answer(UpstreamResponse(status=200, reason="Fine Thanks", body=b"x")).reason == "Fine Thanks"


def test_after_upstream_for_a_route_that_asked_none_is_a_bug() -> None:
    with pytest.raises(NotImplementedError):
        RESPONDER.after_upstream(req("/200"), UpstreamResponse(status=200))


def test_the_exchange_view_cannot_show_a_gateway() -> None:
    plan = RESPONDER.respond(req("/_statuskit/exchange/gateway/200"))
    assert plan.status == 400 and b"upstream request" in plan.body
