"""Field syntax checks, and the response fields a caller chooses through request fields.

`X-Statuskit-Response-Retry-After: 5` on a request puts `Retry-After: 5` on
the response; `X-HttpStatus-Response-*` does the same for httpstat.us users.
A caller may set any field except those that frame the message or control
the connection (semantics.FRAMING_FIELDS, semantics.CONNECTION_FIELDS): those
would let a request split or desynchronise the response (response splitting,
RFC 9110 §8.6 on Content-Length).
"""

from __future__ import annotations

import re

from statuskit import semantics
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.request import Fields, Request

CALLER_PREFIXES = ("x-statuskit-response-", "x-httpstatus-response-")

# RFC 9110 §5.6.2: token = 1*tchar
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")

# RFC 9110 §5.5: field-value = *field-content, made of VCHAR, SP, HTAB and
# obs-text; no CR, LF, NUL or other control characters anywhere.
FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*\Z")


def is_token(text: str) -> bool:
    return TOKEN.match(text) is not None


def is_field_value(text: str) -> bool:
    return FIELD_VALUE.match(text) is not None


def display_name(name: str) -> str:
    """`retry-after` -> `Retry-After`, `www-authenticate` -> `WWW-Authenticate`: how fields are usually written."""
    special = {"www": "WWW", "etag": "ETag", "te": "TE", "id": "ID"}
    return "-".join(special.get(part, part.capitalize()) for part in name.split("-"))


def caller_fields(request: Request, limit: int) -> Fields:
    """The response fields the request asks for, validated; RequestError names the first bad one."""
    out: list[tuple[str, str]] = []
    for name, value in request.headers_with_prefixes(CALLER_PREFIXES):
        prefix = next(prefix for prefix in CALLER_PREFIXES if name.startswith(prefix))
        field = name[len(prefix) :]
        sent_as = display_name(name)
        if not field:
            raise RequestError(detail=f"{sent_as}: the field name after {display_name(prefix)} is empty")
        if not is_token(field):
            raise RequestError(detail=f"{sent_as}: {shown(field)} is not a valid field name (RFC 9110 §5.1)")
        if field in semantics.FRAMING_FIELDS or field in semantics.CONNECTION_FIELDS:
            raise RequestError(
                detail=f"{sent_as}: {display_name(field)} frames the message or controls the connection; "
                "the server sets it itself"
            )
        value = value.strip(" \t")
        if not is_field_value(value):
            raise RequestError(detail=f"{sent_as}: the value contains a control character (RFC 9110 §5.5)")
        out.append((display_name(field), value))
        if len(out) > limit:
            raise RequestError(detail=f"more than {limit} X-Statuskit-Response-* fields")
    return tuple(out)
