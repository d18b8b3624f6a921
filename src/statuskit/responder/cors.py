"""CORS, so that a page on any origin can call any endpoint (Fetch Standard, "CORS protocol").

Every response allows any origin (`*`, which also means no credentials) and
exposes the fields a client under test needs to read; a preflight (OPTIONS
with Origin and Access-Control-Request-Method) is answered 204 for every
path, so that the request it announces reaches the URL API and gets the code
it asked for, 405 included.
"""

from __future__ import annotations

from statuskit.registry import lookup
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.fields import is_token
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request

# Fields outside the CORS-safelisted response headers that a test reads.
EXPOSED = (
    "Accept",
    "Accept-Encoding",
    "Accept-Ranges",
    "Allow",
    "Content-Length",
    "Content-Range",
    "Date",
    "ETag",
    "Link",
    "Location",
    "Proxy-Authenticate",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "Server",
    "Upgrade",
    "Vary",
    "Via",
    "WWW-Authenticate",
)

ALLOW_ORIGIN = ("Access-Control-Allow-Origin", "*")

BASE: Fields = (ALLOW_ORIGIN, ("Access-Control-Expose-Headers", ", ".join(EXPOSED)))

# How long a browser may reuse a preflight answer (seconds); browsers cap it anyway.
PREFLIGHT_MAX_AGE = "600"


def fields(extra_exposed: tuple[str, ...] = ()) -> Fields:
    """The CORS fields of a response; `extra_exposed` adds caller-chosen field names."""
    if not extra_exposed:
        return BASE
    names = list(EXPOSED)
    for name in extra_exposed:
        if name not in names:
            names.append(name)
    return (ALLOW_ORIGIN, ("Access-Control-Expose-Headers", ", ".join(names)))


def is_preflight(request: Request) -> bool:
    return (
        request.method == "OPTIONS"
        and request.has_header("origin")
        and request.has_header("access-control-request-method")
    )


def preflight(request: Request) -> Plan:
    """204 allowing the announced method and request fields."""
    method = (request.header("access-control-request-method") or "").strip()
    if not is_token(method):
        raise RequestError(detail=f"Access-Control-Request-Method: {shown(method)} is not a method name")
    names = [n.strip() for n in (request.header("access-control-request-headers") or "").split(",") if n.strip()]
    for name in names:
        if not is_token(name):
            raise RequestError(detail=f"Access-Control-Request-Headers: {shown(name)} is not a field name")
    headers: list[tuple[str, str]] = [
        ALLOW_ORIGIN,
        ("Access-Control-Allow-Methods", method),
        ("Access-Control-Max-Age", PREFLIGHT_MAX_AGE),
    ]
    if names:
        headers.append(("Access-Control-Allow-Headers", ", ".join(names)))
    status = lookup(204)
    # RFC 9110 §8.6: no Content-Length on 204.
    return Plan(status=204, reason=status.reason, headers=tuple(headers), reusable=True)
