"""Redirects with httpbin's names: `/redirect/{n}`, `/relative-redirect/{n}`, `/absolute-redirect/{n}`, `/redirect-to`.

A chain of n hops ends at `/get` when the last hop was asked for with GET
or HEAD (httpbin's end), and at `/anything` otherwise; both echo the method,
fields and content they finally receive, so a client can check what it did
with each code: RFC 9110 §15.4 lets a user agent turn POST into GET after 301 and 302,
has it turn every method but HEAD into GET after 303, and forbids any change
of method or content after 307 and 308 (`semantics.METHOD_CHANGE`).

Location is a relative reference (`/redirect/2`) unless `?absolute=1` (or
/absolute-redirect), which builds it from the scheme and Host of the
request. `/redirect-to` sends a client only to this server's host (a path,
a relative reference resolved against the request's URL, or an http(s) URL
naming the request's own host, on any port) or to a host of
`--allow-redirect-host`: never an open redirect (SECURITY.md).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from statuskit import semantics
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import Resource, boolean, query, whole_number
from statuskit.responder.urlapi import MAX_LOCATION, local_path

# Where a chain ends: /get for GET and HEAD, as httpbin's (its clients check the final URL), and the echo
# that takes every method for the others, so that a POST kept across 307 is echoed rather than refused.
CHAIN_END = "/anything"
GET_CHAIN_END = "/get"

# The redirects a client follows by itself: the codes whose method rules §15.4 states.
REDIRECT_CODES = tuple(sorted(semantics.METHOD_CHANGE))
DEFAULT_REDIRECT = 302  # httpbin's, and what most servers send

# RFC 9110 §7.2: Host = uri-host [ ":" port ]; uri-host is an IP literal, an IPv4 address or a reg-name.
# RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~]+)(?::[0-9]{1,5})?\Z")


def redirect_code(name: str, text: str | None) -> int:
    if text is None:
        return DEFAULT_REDIRECT
    choices = ", ".join(map(str, REDIRECT_CODES))
    if not text.strip().isascii() or not text.strip().isdigit() or int(text) not in REDIRECT_CODES:
        raise RequestError(detail=f"{name}: {text[:20]!r} is not a redirect code; use one of {choices}")
    return int(text)


def origin(request: Request) -> str:
    """scheme://host[:port] of the request, from its Host field (RFC 9110 §7.2)."""
    host = (request.header("host") or "").strip()
    if not host:
        raise RequestError(detail="an absolute Location is built from Host, and the request has none")
    if not _HOST.match(host):
        raise RequestError(detail=f"Host: {host[:60]!r} is not host[:port]; no absolute Location can be built from it")
    return f"{request.scheme}://{host}"


class RedirectRoute(Resource):
    """`/redirect/{n}` and its relative and absolute forms: n hops, then /get (or /anything for other methods)."""

    def __init__(self, config: ResponderConfig, name: str, absolute: bool | None) -> None:
        self.config = config
        self.name = name
        self.absolute = absolute  # None: ?absolute= decides
        what = {
            None: "relative Location, or absolute with ?absolute=1",
            True: "absolute Location",
            False: "relative Location",
        }
        self.endpoints = (
            (
                f"/{name}/{{n}}",
                f"n redirects ({what[absolute]}; ?status=301|302|303|307|308, default 302), then /get (/anything "
                "after a POST...)",
            ),
        )

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not rest or not rest[0]:
            raise RequestError(detail=f"how many redirects? ask for /{self.name}/3 (1-{self.config.max_redirects})")
        if len(rest) > 1:
            raise RequestError(detail=f"/{self.name}/{{n}} has nothing below it")
        hops = whole_number("n", rest[0], 1, self.config.max_redirects)
        params = query(request, ("status", "absolute"))
        code = redirect_code("status", params.get("status"))
        absolute = self.absolute
        if absolute is None:
            absolute = boolean("absolute", params["absolute"]) if "absolute" in params else False
        # The rest of the chain keeps the query, so every hop has the same code and the end echoes it.
        end = GET_CHAIN_END if request.method in ("GET", "HEAD") else CHAIN_END
        path = f"/{self.name}/{hops - 1}" if hops > 1 else end
        if request.query:
            path = f"{path}?{request.query}"
        location = origin(request) + path if absolute else path
        detail = f"{code} to {location[:200]} ({hops} to go; {semantics.METHOD_CHANGE[code]})"
        return compose(request, code, fields=(("Location", location),), detail=detail, reusable=True)


class RedirectToRoute(Resource):
    """`/redirect-to?url=&status_code=`: one redirect to this server's host or to an allowed host."""

    endpoints = (
        (
            "/redirect-to",
            (
                "?url=/path, a relative reference, a URL on this host (any port) or on an allowed host"
                "&status_code=301|302|303|307|308: one redirect there"
            ),
        ),
    )

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            raise RequestError(detail="/redirect-to has nothing below it; give ?url=")
        params = query(request, ("url", "status_code", "status"))
        if "status_code" in params and "status" in params:
            raise RequestError(detail="give status_code or status, not both")
        name = "status" if "status" in params else "status_code"
        code = redirect_code(name, params.get(name))
        url = params.get("url")
        if url is None or not url:
            raise RequestError(
                detail="url: missing; give ?url=/path (a path on this server) or a URL on an allowed host"
            )
        location = redirect_target(request, url, self.config.allow_redirect_hosts)
        detail = f"{code} to {location[:200]} ({semantics.METHOD_CHANGE[code]})"
        return compose(request, code, fields=(("Location", location),), detail=detail, reusable=True)


def redirect_target(request: Request, url: str, allowed: tuple[str, ...], name: str = "url") -> str:
    """`url` as a Location if it stays on this server's host or goes to an `allowed` one; RequestError otherwise."""
    if len(url) > MAX_LOCATION or not re.fullmatch(r"[\x21-\x7e]+", url):
        raise RequestError(detail=f"{name}: only visible ASCII, at most 2048 characters (percent-encode the rest)")
    if url.startswith("//"):
        url = f"{request.scheme}:{url}"  # a network-path reference names a host: checked as a URL
    elif url.startswith("/"):
        return local_path(url, name)
    elif not _SCHEME.match(url):
        # A relative reference (`get`, `../x`, `?a=1`), resolved against the request's URL (RFC 3986 §5.2).
        base = "http://base" + request.path + ("?" + request.query if request.query else "")
        parts = urlsplit(urljoin(base, url))
        return local_path(parts.path + ("?" + parts.query if parts.query else ""), name)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RequestError(detail=f"{name}: {url[:100]!r} is not a URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RequestError(detail=f"{name}: {url[:100]!r} is neither a path such as /get nor an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise RequestError(detail=f"{name}: no user or password in a redirect target")
    host = parts.hostname.lower()
    authority = f"{host}:{port}" if port is not None else host
    if host != own_host(request) and host not in allowed and authority not in allowed:
        raise RequestError(
            detail=f"{name}: {authority!r} is neither this server's host nor allowed (--allow-redirect-host); "
            "statuskit is not an open redirect"
        )
    return url


def own_host(request: Request) -> str:
    """The host name of the request's Host field, without its port ("" when it has none or it is malformed)."""
    try:
        return (urlsplit("//" + (request.header("host") or "").strip()).hostname or "").lower()
    except ValueError:
        return ""
