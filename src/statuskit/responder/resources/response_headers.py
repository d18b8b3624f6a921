"""`/response-headers?Name=value`: a response carrying the fields the query names, echoed in its JSON (httpbin's).

GET and POST take the fields from the query; a name given twice gives the
field twice. The document lists the response's own fields too
(Content-Type, Content-Length), as httpbin's does, so its Content-Length
describes the document that contains it: the length is found by writing
the document until the number it states stops changing.

Unlike httpbin, a name that is not a field name (RFC 9110 §5.1), a value
with a control character, and the fields that frame the message or manage
the connection (Content-Length, Transfer-Encoding, Connection, ...) are
refused with 400: sending them would make a response no client can read.
Location follows /redirect-to's rule and Refresh is refused, since a link
can set this query (no open redirect, SECURITY.md).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from statuskit import semantics
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.fields import is_field_value, is_token
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import (
    MAX_QUERY_FIELDS,
    Methods,
    Resource,
    json_content,
)
from statuskit.responder.resources.echo import grouped
from statuskit.responder.resources.redirects import redirect_target

# Fields the server writes itself; a caller's would contradict them.
_OWN = frozenset({"date", "server"})


def chosen_fields(request: Request, limit: int, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (name, value) pairs of the query, checked as response fields.

    A link can set a query, so Location keeps /redirect-to's rule (this host
    or an allowed one; relative references resolved) and Refresh, which
    browsers follow like a redirect, is refused: no open redirect.
    """
    try:
        pairs = parse_qsl(request.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise RequestError(detail=f"too many query parameters (at most {MAX_QUERY_FIELDS})") from None
    if len(pairs) > limit:
        raise RequestError(detail=f"at most {limit} fields (--max-caller-fields)")
    # RFC 9110 §5.5: a field value has no whitespace at either end (a parser strips it as OWS).
    pairs = [(name, value.strip(" \t")) for name, value in pairs]
    for name, value in pairs:
        lower = name.lower()
        if not is_token(name):
            raise RequestError(detail=f"{shown(name)} is not a field name (RFC 9110 §5.1)")
        if not is_field_value(value):
            raise RequestError(detail=f"{name}: the value has a control character (RFC 9110 §5.5)")
        if lower in semantics.FRAMING_FIELDS or lower in semantics.CONNECTION_FIELDS or lower in _OWN:
            raise RequestError(detail=f"{name} is the server's to set: it frames the message or manages the connection")
        if lower == "refresh":
            raise RequestError(
                detail="Refresh is not sent from a query: browsers follow it like a redirect (SECURITY.md)"
            )
    return [
        (name, redirect_target(request, value, allowed, name) if name.lower() == "location" else value)
        for name, value in pairs
    ]


class ResponseHeadersRoute(Resource):
    endpoints = (
        ("/response-headers", "?Name=value...: a response with those fields (GET or POST), listed in its JSON too"),
    )

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    methods = Methods(("GET", "POST"))

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            raise RequestError(detail="/response-headers has nothing below it; give ?Name=value")
        self.methods.check(request)
        pairs = chosen_fields(request, self.config.max_caller_fields, self.config.allow_redirect_hosts)
        names = {name.lower() for name, _ in pairs}
        media = next((value for name, value in pairs if name.lower() == "content-type"), "application/json")
        own = [] if "content-type" in names else [("Content-Type", media)]
        length = 0
        for _ in range(8):
            document = grouped([*own, ("Content-Length", str(length)), *pairs])
            body = json_content(document)[0]
            if len(body) == length:
                break
            length = len(body)
        return compose(request, 200, content=(body, media), fields=tuple(pairs))
