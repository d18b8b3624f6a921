"""Per-code fields: how to produce each field `statuskit.semantics` asks a code to carry.

Which fields a code must, should or may carry is `semantics.field_rules`;
this module only knows how to *produce* a value for each rule. Producers are
found by (field, section) first, for the rules whose value depends on the
spec that asks for it (Link for 103 is a preload hint, for 451 the blocking
entity), then by field name. A rule with no producer is a test failure, not
a silent omission (tests/responder/test_codes.py walks every rule).

The codes that do more than carry fields (1xx, 101, 206, 408, 444) are in
`behaviours.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from statuskit import semantics
from statuskit.registry import Status
from statuskit.responder.negotiate import MEDIA_TYPES
from statuskit.responder.ranges import RANGE_LENGTH
from statuskit.responder.request import Request
from statuskit.responder.urlapi import Params

# Where 201 and 3xx point unless ?location= says otherwise: a path that answers 200 here.
DEFAULT_LOCATION = "/200"

# RFC 9110 §10.2.3: delay-seconds. One second keeps a retrying client's test short.
DEFAULT_RETRY_AFTER = "1"

CHALLENGE = 'Basic realm="statuskit", charset="UTF-8"'


@dataclass(slots=True)
class FieldContext:
    """What a producer may look at."""

    request: Request
    status: Status
    params: Params
    vary: str
    part: tuple[int, int] | None = None  # the byte range a 206 carries
    length: int = RANGE_LENGTH  # the length of the representation ranges are taken from


Producer = Callable[[FieldContext], "str | None"]


def _allow(ctx: FieldContext) -> str:
    # §15.5.6: Allow lists the methods the target resource supports, so it
    # cannot name the method that was just refused. GET and HEAD go together
    # (§9.3.2: HEAD is GET without content).
    method = ctx.request.method
    if method in ("GET", "HEAD"):
        return "OPTIONS, POST"
    return ", ".join(m for m in ("GET", "HEAD", "OPTIONS") if m != method)


def _part_range(ctx: FieldContext) -> str | None:
    if ctx.part is None:
        return None
    first, last = ctx.part
    return f"bytes {first}-{last}/{ctx.length}"


def _preload(ctx: FieldContext) -> str:
    # RFC 8297 §2: 103 carries the Link fields the final response is expected to have.
    return "</200>; rel=preload; as=fetch; crossorigin"


def _blocked_by(ctx: FieldContext) -> str:
    # RFC 7725 §4: identify the entity implementing the blockage; here, the page that explains 451.
    return '</docs/451>; rel="blocked-by"'


def _retry_after(ctx: FieldContext) -> str:
    return ctx.params.retry_after or DEFAULT_RETRY_AFTER


def _location(ctx: FieldContext) -> str:
    return ctx.params.location or DEFAULT_LOCATION


def _nothing(ctx: FieldContext) -> None:
    return None


# RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; opaque-tag = DQUOTE *etagc DQUOTE
_ENTITY_TAG = re.compile(r'(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"')

# The validator of what /304 stands for, when the request names none.
DEFAULT_ETAG = '"statuskit"'


def _not_modified_etag(ctx: FieldContext) -> str:
    # §15.4.5: a 304 repeats the ETag a 200 would carry. A 304 says the client's
    # copy is current, so the representation's tag is the one the client holds:
    # the first entity-tag of its If-None-Match.
    found = _ENTITY_TAG.search(ctx.request.header("if-none-match") or "")
    return found.group(0) if found else DEFAULT_ETAG


PRODUCERS: dict[str, Producer] = {
    "Upgrade": lambda ctx: "websocket",
    "Connection": lambda ctx: "upgrade",
    "Location": _location,
    "WWW-Authenticate": lambda ctx: CHALLENGE,
    "Proxy-Authenticate": lambda ctx: CHALLENGE,
    "Allow": _allow,
    "Retry-After": _retry_after,
    "Accept-Encoding": lambda ctx: "identity",
    "Accept": lambda ctx: ", ".join(MEDIA_TYPES),
    # "where a 200 would carry them" (206, 304): our 200 varies on what it
    # negotiates and carries no validators or freshness fields; Date is the engine's.
    "Vary": lambda ctx: ctx.vary or None,
    "Date": _nothing,
    "Cache-Control": _nothing,
    "ETag": _nothing,
    "Expires": _nothing,
    "Content-Location": _nothing,
}

SECTION_PRODUCERS: dict[tuple[str, str], Producer] = {
    ("Link", "RFC 8297 §2"): _preload,
    ("Link", "RFC 7725 §4"): _blocked_by,
    ("ETag", "RFC 9110 §15.4.5"): _not_modified_etag,
    ("Content-Range", "RFC 9110 §15.3.7.1"): _part_range,
    # RFC 9110 §14.4: "bytes */" complete-length, for an unsatisfied range.
    ("Content-Range", "RFC 9110 §15.5.17"): lambda ctx: f"bytes */{ctx.length}",
}

# Conditions of `semantics.FIELD_RULES` that hold for every answer of the URL
# API: a 206 is one part, a 300 has a preferred choice, a 416 answers a range
# request, a 415 names both what it accepts. "multipart" never holds (the
# multipart/byteranges resource is /range), "temporary" only with ?temporary=1.
HELD_CONDITIONS = frozenset(
    {"", "single-part", "200-would", "preferred-choice", "byte-range", "unsupported-media-type"}
)


def producer_for(rule: semantics.FieldRule) -> Producer | None:
    return SECTION_PRODUCERS.get((rule.field, rule.section)) or PRODUCERS.get(rule.field)


def rule_fields(
    ctx: FieldContext, present: set[str], conditions: frozenset[str] | None = None
) -> list[tuple[str, str]]:
    """The fields `semantics.field_rules` asks of this status, skipping names already `present` (lower-case).

    `conditions` replaces HELD_CONDITIONS for a resource that knows which hold
    (a 415 about the media type must not carry Accept-Encoding, §12.5.3).
    """
    base = HELD_CONDITIONS if conditions is None else conditions
    held = base | {"temporary"} if ctx.params.temporary else base
    out: list[tuple[str, str]] = []
    for rule in semantics.field_rules(ctx.status):
        if rule.condition not in held or rule.field.lower() in present:
            continue
        producer = producer_for(rule)
        value = producer(ctx) if producer is not None else None
        if value is not None:
            out.append((rule.field, value))
            present.add(rule.field.lower())
    return out
