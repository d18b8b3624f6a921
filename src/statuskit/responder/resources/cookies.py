"""Cookies as httpbin serves them.

The paths are `/cookies`, `/cookies/set?name=value`, `/cookies/set/{name}/{value}`
and `/cookies/delete?name`.

`/cookies` shows the cookies the request carried; the others answer 302 to
`/cookies` with one Set-Cookie per cookie (RFC 6265 §4.1), so a client that
keeps cookies and follows redirects shows what its jar now holds.

RFC 6265 §4.1.1 is held to: a name is a token, a value is cookie-octets
(optionally in double quotes); anything else is refused with 400 rather
than sent as a Set-Cookie line that clients would each parse their own way.
A cookie is deleted by setting it again with an expiry in the past and
Max-Age=0 (§3.1). Every cookie is set with Path=/, so it reaches every
resource of the server. (RFC 6265 was not checked against its text here:
it is not among the project's references; the grammar is as Python's
`http.cookies` documentation cites it.)
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import (
    GET_ONLY,
    MAX_QUERY_FIELDS,
    Resource,
    json_content,
    segment,
)

# RFC 9110 §5.6.2 token, the cookie-name of RFC 6265 §4.1.1.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
# RFC 6265 §4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE );
# cookie-octet is %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
_OCTETS = r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*"
_VALUE = re.compile(rf'(?:{_OCTETS}|"{_OCTETS}")\Z')

# The date of §3.1's example for removing a cookie: any date in the past does.
PAST = "Thu, 01 Jan 1970 00:00:00 GMT"


def cookie_header(name: str, value: str) -> str:
    """One Set-Cookie value for `name=value`, Path=/; RequestError when either breaks RFC 6265 §4.1.1."""
    if not _TOKEN.match(name):
        raise RequestError(detail=f"cookie name {shown(name)} is not a token (RFC 6265 §4.1.1)")
    if not _VALUE.match(value):
        raise RequestError(
            detail=f"cookie value {shown(value)} has characters a cookie cannot carry: "
            "no spaces, commas, semicolons, backslashes or controls (RFC 6265 §4.1.1)"
        )
    return f"{name}={value}; Path=/"


def deleting_header(name: str) -> str:
    if not _TOKEN.match(name):
        raise RequestError(detail=f"cookie name {shown(name)} is not a token (RFC 6265 §4.1.1)")
    return f"{name}=; Expires={PAST}; Max-Age=0; Path=/"


def request_cookies(request: Request) -> dict[str, str]:
    """The cookies of the Cookie field (RFC 6265 §5.4: `name=value` pairs joined by "; "); the first of a name wins."""
    found: dict[str, str] = {}
    for pair in (request.header("cookie") or "").split(";"):
        name, equals, value = pair.strip().partition("=")
        if equals and name.strip():
            found.setdefault(name.strip(), value.strip())
    return found


def _pairs(request: Request, limit: int) -> list[tuple[str, str]]:
    try:
        pairs = parse_qsl(request.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise RequestError(detail=f"too many query parameters (at most {MAX_QUERY_FIELDS})") from None
    if len(pairs) > limit:
        # Each cookie is a caller-chosen field of the answer: the same bound as X-Statuskit-Response-*.
        raise RequestError(detail=f"at most {limit} cookies in one request (--max-caller-fields)")
    return pairs


class CookiesRoute(Resource):
    endpoints = (
        ("/cookies", 'the cookies the request carried, as JSON ({"cookies": {...}})'),
        ("/cookies/set?name=value", "302 to /cookies, setting each cookie of the query (Path=/)"),
        ("/cookies/set/{name}/{value}", "302 to /cookies, setting that cookie"),
        ("/cookies/delete?name", "302 to /cookies, expiring each cookie named in the query"),
    )

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    methods = GET_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        self.methods.check(request)
        action = rest[0] if rest else ""
        if not action and len(rest) <= 1:
            document = {"cookies": request_cookies(request)}
            return compose(request, 200, content=json_content(document), fields=(("Cache-Control", "no-store"),))
        if action == "set" and len(rest) == 1:
            headers = [cookie_header(name, value) for name, value in _pairs(request, self.config.max_caller_fields)]
        elif action == "set" and len(rest) == 3:
            headers = [cookie_header(segment(rest[1], "name"), segment(rest[2], "value"))]
        elif action == "delete" and len(rest) == 1:
            headers = [deleting_header(name) for name, _ in _pairs(request, self.config.max_caller_fields)]
        else:
            raise RequestError(
                detail="ask for /cookies, /cookies/set?name=value, /cookies/set/NAME/VALUE or /cookies/delete?name"
            )
        fields = (
            ("Location", "/cookies"),
            *(("Set-Cookie", value) for value in headers),
            ("Cache-Control", "no-store"),
        )
        return compose(request, 302, fields=fields, detail=f"{len(headers)} cookie(s) changed; see /cookies")
