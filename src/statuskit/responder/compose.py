"""`compose`: the one way to build a final response, for every route and every error.

It negotiates the content (media type, language), fills the fields the
status code calls for (`codes.rule_fields`, from `semantics.field_rules`),
adds CORS and the caller-chosen fields, and applies the content rules of
RFC 9110 (§6.4.1 no content on 1xx, 204, 304 and HEAD; §8.6 Content-Length).
A new route calls it and gets all of that right for free.
"""

from __future__ import annotations

from statuskit import semantics
from statuskit.registry import Status, lookup
from statuskit.responder import cors, negotiate, representation
from statuskit.responder.codes import FieldContext, rule_fields
from statuskit.responder.plan import Fault, Interim, Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.urlapi import Params

NO_PARAMS = Params()


def compose(
    request: Request,
    code: int | Status,
    *,
    params: Params = NO_PARAMS,
    detail: str | None = None,
    content: tuple[bytes, str] | None = None,
    fields: Fields = (),
    caller: Fields = (),
    part: tuple[int, int] | None = None,
    interims: tuple[Interim, ...] = (),
    heartbeat: Interim | None = None,
    heartbeat_every: float = 1.0,
    fault: Fault | None = None,
    close: bool = False,
    reusable: bool = False,
    conditions: frozenset[str] | None = None,
    vary: str | None = None,
) -> Plan:
    """A final response with status `code` to `request`.

    `content` (bytes, content type) replaces the negotiated document; `fields`
    are the route's own; `caller` are the X-Statuskit-Response-* fields, which
    replace any field of the same name; `detail` says what went wrong (errors).
    `conditions` names the conditions of `semantics.field_rules` that hold
    (default `codes.HELD_CONDITIONS`, right for the URL API).
    `vary` is the route's own Vary for the fields a 206 or 304 repeats from
    its 200 (RFC 9110 §15.4.5; "" when that 200 varies on nothing); by default
    it is what the negotiated document varies on.
    """
    status = lookup(code)
    reason = params.phrase if params.phrase is not None else status.reason
    if vary is None:
        vary = negotiate.vary(language_fixed=params.lang is not None)
    headers, present = _status_fields(request, status, params, fields, vary, part, conditions)

    # The content a GET would get: HEAD gets its length and type, not its bytes (§9.3.2).
    get_method = "GET" if request.method == "HEAD" else request.method
    has_content = semantics.allows_content(status, get_method)
    media = lang = ""
    if content is not None:
        ctype = content[1]
    elif has_content:
        media, lang = negotiated(request, params)
        ctype = negotiate.CONTENT_TYPES[media]
        if "vary" not in present:
            headers.append(("Vary", vary))
    else:
        ctype = ""
    if has_content and ctype and "content-type" not in present:
        headers.append(("Content-Type", ctype))
    headers = _with_caller_fields(headers, caller)

    if content is not None:
        body = content[0]
    elif media:
        exchange = representation.exchange_text(status, reason, headers, interims) if media == negotiate.HTML else None
        body = representation.render(int(status), media, lang, detail, exchange)
    else:
        body = b""
    body, length = _framed(status, request.method, body)

    return Plan(
        status=int(status),
        reason=reason,
        headers=tuple(headers),
        body=body,
        content_length=length,
        interims=interims,
        delay=params.sleep,
        heartbeat=heartbeat,
        heartbeat_every=heartbeat_every,
        fault=fault if fault is not None else params.fault,
        close=close,
        reusable=reusable,
    )


def negotiated(request: Request, params: Params) -> tuple[str, str]:
    """The media type and language of the document that explains a status (§12.5.1, §12.5.4)."""
    return negotiate.choose_media_type(request.header("accept")), negotiate.language(request, params.lang)


def _status_fields(
    request: Request,
    status: Status,
    params: Params,
    fields: Fields,
    vary: str,
    part: tuple[int, int] | None,
    conditions: frozenset[str] | None,
) -> tuple[list[tuple[str, str]], set[str]]:
    """The route's fields, then what the status calls for and the parameters ask for; and their names (lower-case)."""
    headers: list[tuple[str, str]] = list(fields)
    present = {name.lower() for name, _ in headers}
    context = FieldContext(request=request, status=status, params=params, vary=vary, part=part)
    headers.extend(rule_fields(context, present, conditions))
    if params.location is not None and "location" not in present:
        headers.append(("Location", params.location))
    if params.retry_after is not None and "retry-after" not in present:
        # §10.2.3: with a 3xx, the minimum wait before following; with 503/429, when to retry.
        headers.append(("Retry-After", params.retry_after))
    return headers, present


def _with_caller_fields(headers: list[tuple[str, str]], caller: Fields) -> list[tuple[str, str]]:
    """CORS, exposing the caller's fields, which replace any field of the same name."""
    headers.extend(cors.fields(tuple(name for name, _ in caller)))
    if not caller:
        return headers
    replaced = {name.lower() for name, _ in caller}
    return [*(field for field in headers if field[0].lower() not in replaced), *caller]


def _framed(status: Status, method: str, body: bytes) -> tuple[bytes, int | None]:
    """The content as sent and its Content-Length (§8.6); none for HEAD, 1xx, 204 and 304 (§6.4.1)."""
    policy = semantics.content_length(status, method)
    if policy is semantics.ContentLength.AS_GET:
        policy = semantics.content_length(status, "GET")
    if policy is semantics.ContentLength.CONTENT:
        length: int | None = len(body)
    elif policy is semantics.ContentLength.ZERO:
        length = 0
    else:
        # ABSENT (1xx, 204: MUST NOT) and AS_200 (304: only the 200's value, so we leave it out).
        length = None
    if not semantics.allows_content(status, method):
        body = b""
    return body, length
