"""Hostile input to the URL API: the pure responder (fast, thousands of requests) and the same over the wire.

Paths are drawn from the server's own index (`GET /` as JSON lists each
route's endpoints, such as `/{code}` or `/docs/{code}`), with every
`{placeholder}` filled from a pool of valid and hostile values, so a route
added later is fuzzed without touching this file. Query parameters and
fields take negative, huge, non-numeric, over-long, non-ASCII and
percent-encoded values.

Every plan must be a response a strict client accepts: a status 100-599, a
reason phrase and fields without control characters, no field that frames
the message, a Location only on this server (no open redirect), an error
explained in one short line, and never the engine's answer to its own failure.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from hypothesis import given, settings, strategies as st

from statuskit.responder import Request, Responder, ResponderConfig, UpstreamError, UpstreamResponse
from statuskit.responder.urlapi import PARAMETERS
from statuskit.responder.wire import Serialized

FUZZ = settings.get_profile("statuskit-fuzz")  # tests/reliability/conftest.py: derandomized, no database

RESPONDER = Responder(ResponderConfig(max_sleep_ms=40, seed=1))
PLACEHOLDER = re.compile(r"\{[^}]*\}")


def index_templates(index: bytes) -> list[str]:
    """The endpoint templates of an index document (`GET /` as JSON)."""
    templates = sorted(json.loads(index)["endpoints"])
    assert templates, "the index lists no endpoints"
    return templates


TEMPLATES = index_templates(RESPONDER.respond(Request.build("GET", "/", headers=[("accept", "application/json")])).body)

# Values for a {placeholder}: what routes expect, and what they must refuse cleanly.
SEGMENTS = [
    "200",
    "404",
    "503",
    "100",
    "101",
    "102",
    "103",
    "204",
    "206",
    "304",
    "405",
    "408",
    "416",
    "418",
    "444",
    "599",
    "200,503",
    "200:0.9,503:0.1",
    "500-504",
    "200,500-504",
    "200:1,503:0",
    "100-599",
    "-1",
    "0",
    "99",
    "600",
    "1000",
    "2000000000000000000000",
    "9" * 5000,
    "4" * 2001,
    "abc",
    "",
    " ",
    "%zz",
    "%C3%28",
    "%ff",
    "%00",
    "%0d%0a",
    "%D9%A1%D9%A2%D9%A3",
    "\u0661\u0662\u0663",
    "2%30%30",
    "200%2C503",
    "..",
    "../x",
    "%2e%2e",
    "a/b",
    "200:nan,503:1",
    "200:1e308,503:1",
    "200:-1,503:2",
    "200:" + "9" * 400 + ",503:1",
    ",".join(["200"] * 101),
    "_statuskit/exchange/" * 3 + "200",
    "app.js",
    "app.css",
    "index.html",
    "x" * 300,
]
VALUES = [
    "",
    "0",
    "1",
    "20",
    "39",
    "40",
    "41",
    "-5",
    "+5",
    " 5",
    "5 ",
    "1e3",
    "0x10",
    "1.5",
    "nan",
    "inf",
    "9" * 20,
    "9" * 5000,
    "\u0661\u0662\u0663",
    "\u00b2",
    "%",
    "%zz",
    "%0d%0aX-Injected:%201",
    "\r\nX-Injected: 1",
    "\x00",
    "\x7f",
    "\u00e9",
    "\ud7ff",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http://evil.example/",
    "https:evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/.//evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "/ok",
    "/200?x=1#y",
    "x" * 3000,
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "drop",
    "drop-after-headers",
    "drop-mid-body",
    "dribble:10",
    "stall:10",
    "stall:99999",
    "en",
    "zh-CN",
    "fr",
    "*",
    "yes",
    "maybe",
    "200",
    "404",
    "103",
    "<script>alert(1)</script>",
]
FIELD_NAMES = [
    "accept",
    "accept-language",
    "range",
    "if-none-match",
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "upgrade",
    "connection",
    "expect",
    "x-statuskit-sleep",
    "x-httpstatus-sleep",
    "x-statuskit-fault",
    "x-statuskit-response-location",
    "x-statuskit-response-retry-after",
    "x-statuskit-response-content-length",
    "x-statuskit-response-transfer-encoding",
    "x-statuskit-response-connection",
    "x-httpstatus-response-content-type",
    "x-statuskit-response-",
    "x-statuskit-response-a b",
    "x-statuskit-response-x",
    "sec-websocket-key",
    "sec-websocket-version",
]
FIELD_VALUES = VALUES + [
    "text/html",
    "application/json",
    "*/*;q=0",
    "text/*;q=nan",
    "bytes=0-10",
    "bytes=\u00b2-",
    "bytes=-" + "9" * 5000,
    "bytes=" + "9" * 5000 + "-",
    "bytes=0-1," * 200,
    'W/"x"',
    '"\u00ff"',
    "websocket",
    "Upgrade",
    "100-continue",
    "dGhlIHNhbXBsZSBub25jZQ==",
    "13",
    "a\u00ffb",
    "obs-text \u0080\u00fe",
]
METHODS = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW", "CONNECT"]


@st.composite
def queries(draw: st.DrawFn) -> str:
    names = draw(st.lists(st.sampled_from([*PARAMETERS, "retry-after", "x", "sleep"]), max_size=4))
    pairs = []
    for name in names:
        value = draw(st.one_of(st.sampled_from(VALUES), st.text(max_size=12)))
        pairs.append(name + "=" + (quote(value, safe="") if draw(st.booleans()) else value))
    return "&".join(pairs)


_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def as_the_engine_gives_it(request: Request) -> Request:
    """The request as the engine can hand it to the responder: what llhttp lets through.

    The target is visible ASCII (anything else is 400 before the responder is
    asked; here it is percent-encoded instead), and field values are octets
    decoded as latin-1 without control characters but HTAB (RFC 9110 §5.5).
    """
    target = "".join(ch if "\x21" <= ch <= "\x7e" else quote(ch, safe="") for ch in request.target)
    fields = [
        (name, _CONTROL.sub("", value.encode("utf-8", "surrogatepass").decode("latin-1")))
        for name, value in request.headers
    ]
    return Request.build(request.method, target, http_version=request.http_version, headers=fields)


@st.composite
def requests(draw: st.DrawFn, templates: list[str]) -> Request:
    template = draw(st.sampled_from(templates))
    path = PLACEHOLDER.sub(lambda _: draw(st.one_of(st.sampled_from(SEGMENTS), st.text(max_size=8))), template)
    query = draw(queries())
    target = path + ("?" + query if query else "")
    fields = draw(
        st.lists(
            st.tuples(st.sampled_from(FIELD_NAMES), st.one_of(st.sampled_from(FIELD_VALUES), st.text(max_size=10))),
            max_size=4,
        )
    )
    return Request.build(
        draw(st.sampled_from(METHODS)),
        target,
        http_version=draw(st.sampled_from(["1.1", "1.1", "1.0"])),
        headers=[(name, value) for name, value in fields],
    )


TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*\Z")
REASON = re.compile(r"[\t\x20-\x7e]*\Z")
# A Location on this server: one "/", then no second "/" or "\" (which browsers read as another host).
SAME_ORIGIN = re.compile(r"/(?![/\\])[\x21-\x7e]*\Z")


def check_plan(plan: object, request: Request, wire: object) -> None:
    # A Location the caller chose with a request field is theirs (it takes a script
    # to set one, and such a script could go there itself; see SECURITY.md).
    chosen_location = any(name.endswith("-response-location") for name, _ in request.headers)
    status = plan.status  # type: ignore[attr-defined]
    assert 100 <= status <= 599
    assert REASON.match(plan.reason), plan.reason  # type: ignore[attr-defined]
    for name, value in plan.headers:  # type: ignore[attr-defined]
        assert TOKEN.match(name), name
        assert FIELD_VALUE.match(value), (name, value)
        assert name.lower() not in ("content-length", "transfer-encoding"), name
        if name.lower() == "connection":
            assert value.lower() == "upgrade", value
        if name.lower() == "location" and not chosen_location:
            assert SAME_ORIGIN.match(value), f"open redirect: Location {value!r}"
    if status == 400 and plan.body.startswith(b"400 Bad Request\n"):  # type: ignore[attr-defined]
        lines = plan.body.decode().split("\n")  # type: ignore[attr-defined]
        assert len(lines) == 3 and lines[2] == "", plan.body  # type: ignore[attr-defined]
        assert 0 < len(lines[1]) <= 400, f"an explanation of {len(lines[1])} characters"
    assert b"a statuskit bug" not in plan.body  # type: ignore[attr-defined]
    if not plan.upgrade:  # type: ignore[attr-defined]
        message = Serialized(plan, request.http_version, head=request.method == "HEAD").message(
            b"Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n", False
        )  # type: ignore[arg-type]
        if plan.fault is None:  # type: ignore[attr-defined]
            wire.check(message, request.method)  # type: ignore[attr-defined]


# What the gateway's upstream request may give (the engine makes it, to this server): answers
# with framing and hop-by-hop fields a gateway must not pass on as they are, and each failure.
OUTCOMES = [
    UpstreamResponse(
        status=200,
        reason="OK",
        headers=(("Content-Type", "text/plain"), ("Content-Length", "5")),
        body=b"hello",
        received=60,
    ),
    UpstreamResponse(
        status=503,
        reason="Service Unavailable",
        headers=(("Retry-After", "1"), ("Connection", "close"), ("Keep-Alive", "timeout=5")),
        received=80,
    ),
    UpstreamResponse(
        status=204,
        reason="No Content",
        headers=(("Transfer-Encoding", "chunked"), ("TE", "trailers"), ("Upgrade", "h2c")),
        received=70,
    ),
    UpstreamResponse(status=599, reason="\xff odd", headers=(("X-Obs", "\xfe\xff"),), body=b"x" * 10, received=40),
    *(UpstreamResponse(error=error, detail=f"{error} upstream", received=3) for error in UpstreamError),
]


@settings(FUZZ, max_examples=1000)
@given(request=requests(TEMPLATES), outcome=st.sampled_from(OUTCOMES))
def test_the_responder_answers_anything_with_a_well_formed_plan(
    wire, request: Request, outcome: UpstreamResponse
) -> None:
    request = as_the_engine_gives_it(request)
    assert isinstance(RESPONDER.wants_body(request), bool)
    plan = RESPONDER.respond(request)
    if plan.upstream is not None:
        # A gateway plan names only a path on this server (no SSRF); its answer comes
        # once the engine has made the request, for any outcome.
        assert SAME_ORIGIN.match(plan.upstream.target), plan.upstream.target
        plan = RESPONDER.after_upstream(request, outcome)
        assert plan.upstream is None
    check_plan(plan, request, wire)


@pytest.fixture(scope="module")
def served_templates(target, wire) -> list[str]:
    """The endpoint templates the running server lists in its index."""
    received, _ = target.converse(b"GET / HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n")
    stream = wire.check(received)
    assert stream.statuses == [200]
    return index_templates(stream.responses[0].body)


def to_bytes(request: Request) -> bytes:
    """The request on the wire; a target that is not ASCII is sent as its UTF-8 octets, which llhttp refuses (400)."""
    head = (
        f"{request.method} ".encode()
        + request.target.encode("utf-8", "surrogatepass")
        + f" HTTP/{request.http_version}\r\n".encode()
    )
    head += b"Host: t\r\n"
    for name, value in request.headers:
        head += name.encode("latin-1", "replace") + b": " + value.encode("utf-8", "surrogatepass") + b"\r\n"
    return head + b"\r\n"


@settings(FUZZ, max_examples=400)
@given(data=st.data())
def test_the_url_api_over_the_wire(target, wire, served_templates: list[str], data: st.DataObject) -> None:
    request = data.draw(requests(served_templates))
    raw = to_bytes(request)
    received, closed = target.converse(raw)
    assert closed, received[:200]
    cut_allowed = (
        "fault" in request.target.lower()
        or any(name == "x-statuskit-fault" for name, _ in request.headers)
        or request.method == "CONNECT"
    )
    stream = wire.check(received, request.method, cut_allowed=cut_allowed)
    chosen_location = any(name.endswith("-response-location") for name, _ in request.headers)
    for response in stream.responses:
        location = response.header("location")
        assert location is None or chosen_location or SAME_ORIGIN.match(location), (
            f"open redirect: Location {location!r}"
        )
        assert b"a statuskit bug" not in response.body
    target.assert_no_errors()
    target.assert_serving()


def test_a_deeply_nested_exchange_is_refused_not_a_recursion_error() -> None:
    # Each /_statuskit/exchange/ level answered by calling the responder again:
    # at about 500 levels (a 10 KB target, under a raised --max-target) Python's
    # stack ran out and the engine answered 500.
    for depth in (1, 50, 1000):
        target = "/_statuskit/exchange/" + "_statuskit/exchange/" * depth + "200"
        plan = RESPONDER.respond(Request.build("GET", target))
        assert plan.status == 400, (depth, plan.status)
        assert b"/_statuskit/" in plan.body


def test_an_exchange_is_still_shown() -> None:
    plan = RESPONDER.respond(Request.build("GET", "/_statuskit/exchange/103"))
    assert plan.status == 200 and plan.body.startswith(b"HTTP/1.1 103 Early Hints\r\n")


@pytest.mark.parametrize(
    "target,fields,status",
    [
        ("/206", [("range", "bytes=\u00b2-")], 206),
        ("/206", [("range", "bytes=0-\u00b9")], 206),
        ("/206", [("range", "bytes=" + "9" * 5000 + "-")], 206),
        ("/206", [("range", "bytes=-" + "9" * 5000)], 206),
        ("/416", [("range", "bytes=0-" + "9" * 5000)], 416),
        ("/200?sleep=\u0661\u0662\u0663", [], 400),
        ("/503?retry_after=\u0661\u0662\u0663", [], 400),
        ("/200?seed=\u0661", [], 400),
        ("/103?then=\u0662\u0660\u0660", [], 400),
        ("/200:\u0661,503:1", [], 400),
        ("/200?sleep=" + "9" * 5000, [], 400),
        ("/" + "4" * 1999, [], 400),
    ],
    ids=[
        "range superscript first",
        "range superscript last",
        "range 5000-digit first",
        "range 5000-digit suffix",
        "416 5000-digit last",
        "sleep Arabic-Indic digits",
        "retry_after Arabic-Indic digits",
        "seed",
        "then",
        "weight",
        "sleep 5000 digits",
        "code 1999 digits",
    ],
)
def test_numbers_found_by_the_fuzzer(wire, target: str, fields: list[tuple[str, str]], status: int) -> None:
    # Found by test_the_responder_answers_anything_with_a_well_formed_plan: str.isdigit
    # and \d take any Unicode digit ("²" made int() raise: a 500; "١٢٣" became
    # Retry-After: ١٢٣, not a valid field value), int() refuses over 4300 digits
    # (a 500), and a rejected value was echoed whole (a 5000-character "one line").
    request = Request.build("GET", target, headers=fields)
    plan = RESPONDER.respond(request)
    assert plan.status == status, plan.body[:200]
    check_plan(plan, request, wire)
