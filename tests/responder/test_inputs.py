"""A route that declares its inputs (`Route.inputs`) reads nothing else, and answers alike whatever else changes.

The engine answers a new request from an earlier one's bytes when both have
the same declared inputs (`Responder.input_key`): a route reading a field or
parameter it did not declare would get someone else's answer. These tests
fail when that happens, for every route that declares inputs.
"""

from __future__ import annotations

from typing import Any

import pytest

from statuskit.registry import statuses
from statuskit.responder import Inputs, Plan, Request, RequestError, Responder, Route
from statuskit.responder.compose import compose

_HEADERS = Request.__dict__["headers"]
_QUERY = Request.__dict__["query"]

EVERY_FIELD = "(every field)"
THE_QUERY = "(the query)"


class Watched(Request):
    """A request that notes which of its fields, and whether its query, were read."""

    __slots__ = ("reads",)
    reads: set[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "reads", set())
        index = self._index
        for name, value in _HEADERS.__get__(self):
            index[name] = f"{index[name]}, {value}" if name in index else value

    @property  # type: ignore[override]
    def headers(self) -> Any:
        self.reads.add(EVERY_FIELD)
        return _HEADERS.__get__(self)

    @headers.setter
    def headers(self, value: Any) -> None:
        _HEADERS.__set__(self, value)

    @property  # type: ignore[override]
    def query(self) -> Any:
        self.reads.add(THE_QUERY)
        return _QUERY.__get__(self)

    @query.setter
    def query(self, value: Any) -> None:
        _QUERY.__set__(self, value)

    def header(self, name: str, default: str | None = None) -> str | None:
        self.reads.add(name)
        return self._index.get(name, default)

    def has_header(self, name: str) -> bool:
        self.reads.add(name)
        return name in self._index

    def values(self, names: tuple[str, ...]) -> tuple[str | None, ...]:
        self.reads.update(names)
        return tuple(map(self._index.get, names))

    def headers_with_prefix(self, prefix: str) -> tuple[tuple[str, str], ...]:
        return self.headers_with_prefixes((prefix,))

    def headers_with_prefixes(self, prefixes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        self.reads.update(f"{prefix}*" for prefix in prefixes)
        return tuple(field for field in _HEADERS.__get__(self) if field[0].startswith(prefixes))


def undeclared_reads(route: Route, inputs: Inputs, request: Watched, rest: tuple[str, ...]) -> set[str]:
    """What answering `request` read beyond `inputs` (besides method, version, path: always in the key)."""
    try:
        route.respond(request, rest)
    except RequestError:
        pass  # what was read before the refusal counts as well
    allowed = {*inputs.fields, *(f"{prefix}*" for prefix in inputs.prefixes)}
    if inputs.params or inputs.query:
        allowed.add(THE_QUERY)
    return request.reads - allowed


FIELDS = (
    (),
    ("Accept: application/json",),
    ("Accept: image/png",),
    ("Accept: text/html", "Accept-Language: zh-CN"),
    ("Accept-Language: fr, zh;q=0.5",),
    ("X-Statuskit-Response-Retry-After: 9", "X-HttpStatus-Response-X-Trace: a"),
    ('If-None-Match: "abc"',),
    ("Range: bytes=0-10",),
    ("Accept-Encoding: gzip", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT"),
    ('If-Match: "nope"', 'If-Range: "x"', "Range: bytes=0-1"),
    ("X-Statuskit-Sleep: 0", "X-Statuskit-Fault: drop"),
    ("Upgrade: websocket", "Connection: Upgrade"),
)
QUERIES = ("", "?retry_after=5", "?location=/x", "?phrase=So", "?temporary=1", "?lang=zh-CN", "?seed=3", "?sleep=x")


def _targets() -> list[str]:
    targets = [f"/{status.code}" for status in statuses()]
    targets += [f"/{code}{query}" for code in (200, 206, 301, 304, 404, 405, 413, 416, 429, 503) for query in QUERIES]
    targets += ["/status/404", "/random/200,503?seed=1", "/99", "/nothing/here", "/nothing?lang=zh-CN"]
    # The documents: what they are, and each way of asking wrongly.
    targets += ["/html", "/json", "/xml", "/robots.txt", "/deny", "/encoding/utf8", "/forms/post", "/forms/x"]
    targets += ["/image", "/image/png", "/image/svg", "/image/gif", "/image/png/x", "/base64/c3RhdHVza2l0"]
    targets += ["/base64/_w", "/base64/%%%", "/base64", "/links/5/2", "/links/5", "/links/5/9", "/links/x/0"]
    # The page, a code page and the assets (a versioned URL and not), and each way of asking wrongly.
    targets += ["/", "/?lang=zh-CN", "/?sleep=x", "/x/y", "/docs/404", "/docs/404?lang=zh-CN", "/docs/99", "/docs/2,3"]
    targets += ["/docs", "/static/app.css", "/static/app.js?v=1", "/static/icon.svg", "/static/nothing", "/static/"]
    return targets


def _requests(method: str = "GET") -> list[tuple[str, str, tuple[str, ...]]]:
    return [(method, target, fields) for target in _targets() for fields in FIELDS]


def _split(field: str) -> tuple[str, str]:
    name, _, value = field.partition(": ")
    return name, value


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS"])
def test_routes_with_inputs_read_only_what_they_declare(method: str) -> None:
    responder = Responder()
    checked: set[str] = set()
    for method_, target, fields in _requests(method):
        request = Watched.build(method_, target, headers=[_split(f) for f in fields])
        route, rest = responder.router.resolve(request.path)
        if route.inputs is None:
            continue
        checked.add(type(route).__name__)
        extra = undeclared_reads(route, route.inputs, request, rest)
        assert not extra, f"{type(route).__name__} read {sorted(extra)} for {method_} {target} {fields}"
    assert checked == {
        *("CodeRoute", "NotFoundRoute", "DocumentRoute", "ImageRoute", "Base64Route", "LinksRoute"),
        *("IndexRoute", "DocsRoute", "StaticRoute"),
    }


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT"])
def test_undeclared_inputs_change_neither_the_key_nor_the_answer(method: str) -> None:
    responder = Responder()
    for _, target, fields in _requests(method):
        headers = [_split(f) for f in fields]
        first = Request.build(method, target, headers=headers)
        route, _ = responder.router.resolve(first.path)
        # A route reading the whole query (the assets) has no undeclared query to bust.
        whole_query = route.inputs is not None and route.inputs.query
        busted = target if whole_query else target + ("&" if "?" in target else "?") + "n=12345"
        second = Request.build(method, busted, headers=[("X-Request-Id", "9"), *headers, ("User-Agent", "other")])
        key = responder.input_key(first)
        if key is None:
            continue
        assert responder.input_key(second) == key
        one, two = responder.respond(first), responder.respond(second)
        if one.reusable:
            assert one == two, f"{method} {target} {fields}"


def test_a_route_reading_an_undeclared_field_is_caught() -> None:
    class Sloppy(Route):
        inputs = Inputs(fields=("accept",))

        def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
            agent = request.header("user-agent") or ""
            return compose(request, 200, content=(agent.encode(), "text/plain"), reusable=True)

    request = Watched.build("GET", "/sloppy", headers=[("User-Agent", "x")])
    assert undeclared_reads(Sloppy(), Sloppy.inputs, request, ()) == {"user-agent"}  # type: ignore[arg-type]


def test_a_route_reading_the_query_without_declaring_parameters_is_caught() -> None:
    class Nosy(Route):
        inputs = Inputs(fields=("accept",))

        def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
            return compose(request, 200, content=(request.query.encode(), "text/plain"), reusable=True)

    request = Watched.build("GET", "/nosy?a=1")
    assert undeclared_reads(Nosy(), Nosy.inputs, request, ()) == {THE_QUERY}  # type: ignore[arg-type]


def _head_key(responder: Responder, method: str, target: str, version: str, fields: list[tuple[str, str]]) -> Any:
    lines = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in fields]
    return responder.head_key(method.encode(), target.encode("latin-1"), version, lines)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS", "PUT", "BREW"])
def test_the_key_from_parsed_bytes_is_the_key_of_the_built_request(method: str) -> None:
    # The HTTP/1.x engine looks the memo up with `head_key`, before any Request exists.
    responder = Responder()
    extra = [("X-Request-Id", "9"), ("HOST", "a"), ("Accept", "text/html"), ("x-statuskit-response-x-b", "c")]
    for _, target, fields in [
        *_requests(method),
        (method, "/404", ("Origin: https://a", "Access-Control-Request-Method: GET")),
    ]:
        for version in ("1.1", "1.0"):
            headers = [_split(f) for f in fields]
            for sent in (headers, [*extra, *headers], [*headers, *extra]):
                request = Request.build(method, target, http_version=version, headers=sent)
                assert _head_key(responder, method, target, version, sent) == responder.input_key(request), (
                    f"{method} {target} {sent}"
                )


def test_a_head_key_in_absolute_form_is_left_to_the_request() -> None:
    responder = Responder()
    assert _head_key(responder, "GET", "http://a/404", "1.1", []) is None
    assert responder.input_key(Request.build("GET", "http://a/404")) is not None


def test_a_route_added_after_requests_takes_over_its_paths_for_the_key() -> None:
    # The router remembers the route of each path for the key; adding a route must not leave an old answer.
    responder = Responder()
    before = _head_key(responder, "GET", "/hello", "1.1", [])
    assert responder.router.route_for("/hello") is responder.router.not_found

    class Hello(Route):
        inputs = Inputs()

        def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
            return compose(request, 200, content=(b"hi\n", "text/plain"), reusable=True)

    hello = Hello()
    responder.router.add("hello", hello)
    assert responder.router.route_for("/hello") is hello
    assert _head_key(responder, "GET", "/hello", "1.1", []) != before
