"""The rules of RFC 9110 and its companions, as data over the registry.

Every rule that says what a status code means on the wire is stated here,
once, with the section it comes from. The responder asks it what to send, the
linter asks it what to check, the page and the CLI ask it what to show; none
of them keeps a copy.

Sections cite the texts in shared/reference: RFC 9110 (HTTP Semantics),
RFC 6585 (428, 429, 431, 511), RFC 7725 (451), RFC 8297 (103), RFC 8470 (425).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from statuskit.registry import Status, StatusClass, lookup


class Level(enum.StrEnum):
    """Requirement levels as BCP 14 spells them."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class FieldRule:
    """One response field a status code must, should or may carry.

    `condition` is a stable key for the circumstance the rule depends on
    ("" when it always applies); `when` says it in words. `value` describes
    the expected form of the field value where the spec fixes one.
    """

    __slots__ = ("field", "level", "section", "condition", "when", "value")

    def __init__(
        self,
        field: str,
        level: Level,
        section: str,
        condition: str = "",
        when: str = "",
        value: str = "",
    ) -> None:
        self.field = field
        self.level = level
        self.section = section
        self.condition = condition
        self.when = when
        self.value = value

    @property
    def always(self) -> bool:
        return not self.condition

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "level": str(self.level),
            "section": self.section,
            "condition": self.condition,
            "when": self.when,
            "value": self.value,
        }

    def __repr__(self) -> str:
        extra = f" when {self.condition}" if self.condition else ""
        return f"<FieldRule {self.level} {self.field}{extra} ({self.section})>"


_MUST, _SHOULD, _MAY = Level.MUST, Level.SHOULD, Level.MAY

# Fields that a 304 or a 206 must repeat when a 200 to the same request would
# have carried them (RFC 9110 §15.4.5 for 304, §15.3.7 for 206).
VALIDATOR_FIELDS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary")

_UPGRADE = (
    FieldRule("Connection", _MUST, "RFC 9110 §7.8", value="upgrade", when="a sender of Upgrade also lists it in Connection"),
)

_LOCATION_SHOULD = "RFC 9110 §15.4.{}"

FIELD_RULES: dict[int, tuple[FieldRule, ...]] = {
    101: (FieldRule("Upgrade", _MUST, "RFC 9110 §15.2.2", value="the protocol(s) switched to"), *_UPGRADE),
    103: (FieldRule("Link", _MAY, "RFC 8297 §2", value="preload hints for the final response"),),
    201: (
        FieldRule(
            "Location",
            _MAY,
            "RFC 9110 §15.3.2",
            when="identifies the created resource; without it the target URI is the created resource",
        ),
    ),
    206: (
        FieldRule("Content-Range", _MUST, "RFC 9110 §15.3.7.1", "single-part", "a single part is sent", "bytes first-last/length"),
        FieldRule(
            "Content-Type",
            _MUST,
            "RFC 9110 §15.3.7.2",
            "multipart",
            "several parts are sent (no top-level Content-Range then)",
            "multipart/byteranges; boundary=...",
        ),
        *(
            FieldRule(name, _MUST, "RFC 9110 §15.3.7", "200-would", "a 200 to the same request would carry it")
            for name in VALIDATOR_FIELDS
        ),
    ),
    300: (FieldRule("Location", _SHOULD, "RFC 9110 §15.4.1", "preferred-choice", "the server has a preferred choice"),),
    301: (FieldRule("Location", _SHOULD, _LOCATION_SHOULD.format(2)),),
    302: (FieldRule("Location", _SHOULD, _LOCATION_SHOULD.format(3)),),
    # §15.4.4 defines 303 by the URI in Location: without it there is nothing to see.
    303: (FieldRule("Location", _MUST, "RFC 9110 §15.4.4", when="the response is defined by the URI it carries"),),
    304: tuple(
        FieldRule(name, _MUST, "RFC 9110 §15.4.5", "200-would", "a 200 to the same request would carry it")
        for name in VALIDATOR_FIELDS
    ),
    307: (FieldRule("Location", _SHOULD, _LOCATION_SHOULD.format(8)),),
    308: (FieldRule("Location", _SHOULD, _LOCATION_SHOULD.format(9)),),
    401: (FieldRule("WWW-Authenticate", _MUST, "RFC 9110 §15.5.2", value="at least one challenge (§11.6.1)"),),
    405: (FieldRule("Allow", _MUST, "RFC 9110 §15.5.6", value="the methods the resource supports (may be empty)"),),
    407: (FieldRule("Proxy-Authenticate", _MUST, "RFC 9110 §15.5.8", value="a challenge for the proxy (§11.7.1)"),),
    413: (FieldRule("Retry-After", _SHOULD, "RFC 9110 §15.5.14", "temporary", "the condition is temporary"),),
    415: (
        FieldRule(
            "Accept-Encoding",
            _SHOULD,
            "RFC 9110 §15.5.16",
            "unsupported-coding",
            "the request's content coding was the problem",
        ),
        FieldRule("Accept", _MAY, "RFC 9110 §15.5.16", "unsupported-media-type", "the request's media type was the problem"),
    ),
    416: (
        FieldRule(
            "Content-Range",
            _SHOULD,
            "RFC 9110 §15.5.17",
            "byte-range",
            "the request was a byte-range request",
            "bytes */length",
        ),
    ),
    426: (FieldRule("Upgrade", _MUST, "RFC 9110 §15.5.22", value="the required protocol(s)"), *_UPGRADE),
    429: (FieldRule("Retry-After", _MAY, "RFC 6585 §4"),),
    451: (FieldRule("Link", _SHOULD, "RFC 7725 §4", value='the blocking entity, rel="blocked-by"'),),
    503: (FieldRule("Retry-After", _MAY, "RFC 9110 §15.6.4"),),
}

# RFC 9110 §15.1: heuristically cacheable in RFC 9110 itself; RFC 7725 §3 adds 451.
HEURISTICALLY_CACHEABLE: dict[int, str] = {
    **{code: "RFC 9110 §15.1" for code in (200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501)},
    451: "RFC 7725 §3",
}

# RFC 6585: "Responses with the ... status code MUST NOT be stored by a cache."
MUST_NOT_STORE: dict[int, str] = {428: "RFC 6585 §3", 429: "RFC 6585 §4", 431: "RFC 6585 §5", 511: "RFC 6585 §6"}

# §15.4: which redirects may change the method of the next request.
METHOD_CHANGE: dict[int, str] = {
    301: "may change POST to GET",  # §15.4.2
    302: "may change POST to GET",  # §15.4.3
    303: "changes any method but HEAD to GET",  # §15.4.4
    307: "must keep the method and content",  # §15.4.8
    308: "must keep the method and content",  # §15.4.9
}


def _status(code: Any) -> Status:
    return code if type(code) is Status else lookup(code)


def is_interim(code: Any) -> bool:
    """1xx responses are interim: a final response still follows (RFC 9110 §15.2)."""
    return _status(code).status_class is StatusClass.INFORMATIONAL


def is_final(code: Any) -> bool:
    return not is_interim(code)


def allows_content(code: Any, method: str = "GET") -> bool:
    """May a response with this status, to this method, carry content?

    Never for 1xx (§15.2), 204 (§15.3.5), 205 (§15.3.6), 304 (§15.4.5), any
    response to HEAD (§9.3.2, §6.4.1) or a 2xx to CONNECT (§9.3.6).
    """
    status = _status(code)
    if method == "HEAD" or status.status_class is StatusClass.INFORMATIONAL:
        return False
    if status.code in (204, 205, 304):
        return False
    return not (method == "CONNECT" and status.status_class is StatusClass.SUCCESSFUL)


def no_content_reason(code: Any, method: str = "GET") -> str:
    """The section that forbids content here, or "" when content is allowed."""
    status = _status(code)
    if status.status_class is StatusClass.INFORMATIONAL:
        return "RFC 9110 §15.2"
    if status.code == 204:
        return "RFC 9110 §15.3.5"
    if status.code == 205:
        return "RFC 9110 §15.3.6"
    if status.code == 304:
        return "RFC 9110 §15.4.5"
    if method == "HEAD":
        return "RFC 9110 §9.3.2"
    if method == "CONNECT" and status.status_class is StatusClass.SUCCESSFUL:
        return "RFC 9110 §9.3.6"
    return ""


def allows_content_length(code: Any, method: str = "GET") -> bool:
    """May the response carry a Content-Length field at all? (RFC 9110 §8.6)

    Not on 1xx or 204, and not on a 2xx to CONNECT. (On HEAD and 304 it may
    appear, but only with the value a GET/200 would have had.)
    """
    status = _status(code)
    if status.status_class is StatusClass.INFORMATIONAL or status.code == 204:
        return False
    return not (method == "CONNECT" and status.status_class is StatusClass.SUCCESSFUL)


class Cacheability:
    """What a cache may do with a response of this status and no explicit freshness."""

    __slots__ = ("heuristic", "storable", "section")

    def __init__(self, heuristic: bool, storable: bool, section: str) -> None:
        self.heuristic = heuristic
        self.storable = storable
        self.section = section

    def as_dict(self) -> dict[str, Any]:
        return {"heuristic": self.heuristic, "storable": self.storable, "section": self.section}

    def __repr__(self) -> str:
        return f"<Cacheability heuristic={self.heuristic} storable={self.storable} ({self.section})>"


def cacheability(code: Any) -> Cacheability:
    """Heuristic cacheability (RFC 9110 §15.1) and the RFC 6585 never-store rule."""
    status = _status(code)
    if status.code in HEURISTICALLY_CACHEABLE:
        return Cacheability(True, True, HEURISTICALLY_CACHEABLE[status.code])
    if status.code in MUST_NOT_STORE:
        return Cacheability(False, False, MUST_NOT_STORE[status.code])
    if status.code == 425:
        # RFC 8470 §5.2: retried automatically, so not cacheable by default.
        return Cacheability(False, True, "RFC 8470 §5.2")
    # Every other code is cacheable only with explicit freshness information.
    return Cacheability(False, True, "RFC 9110 §15.1")


def is_heuristically_cacheable(code: Any) -> bool:
    return cacheability(code).heuristic


def field_rules(code: Any) -> tuple[FieldRule, ...]:
    """The response fields this status must, should or may carry."""
    return FIELD_RULES.get(_status(code).code, ())


def required_fields(code: Any, conditions: Iterable[str] = ()) -> tuple[FieldRule, ...]:
    """The MUST and SHOULD rules that apply when `conditions` hold (unconditional ones always)."""
    held = set(conditions)
    return tuple(
        rule
        for rule in field_rules(code)
        if rule.level is not Level.MAY and (rule.always or rule.condition in held)
    )


def understood_as(code: Any) -> Status:
    """What a recipient that does not know this code treats it as (RFC 9110 §15)."""
    return _status(code).understood_as


def date_required(code: Any) -> bool:
    """An origin server with a clock MUST send Date on 2xx-4xx, MAY on 1xx/5xx (RFC 9110 §6.6.1)."""
    return _status(code).status_class in (StatusClass.SUCCESSFUL, StatusClass.REDIRECTION, StatusClass.CLIENT_ERROR)


def may_be_sent_to(code: Any, http_version: str) -> bool:
    """A server MUST NOT send a 1xx response to an HTTP/1.0 client (RFC 9110 §15.2)."""
    return not (is_interim(code) and http_version == "1.0")


def summary(code: Any, method: str = "GET") -> dict[str, Any]:
    """Every rule above for one code, in the shape the CLI's --json and the page use."""
    status = _status(code)
    return {
        "interim": is_interim(status),
        "content": allows_content(status, method),
        "no_content_section": no_content_reason(status, method),
        "content_length": allows_content_length(status, method),
        "cacheability": cacheability(status).as_dict(),
        "fields": [rule.as_dict() for rule in field_rules(status)],
        "understood_as": int(status.understood_as),
        "method_change": METHOD_CHANGE.get(status.code, ""),
    }


# -- Requests and the codes that answer them ------------------------------------
#
# The facts below tie a status code to the request it answers. The linter asks
# them whether a code fits its exchange; the responder can ask them what to send.

# RFC 9110 §14.2: "A server MUST ignore a Range header field received with a
# request method that is unrecognized or for which range handling is not
# defined. For this specification, GET is the only method for which range
# handling is defined."
RANGE_METHODS = frozenset({"GET"})
RANGE_SECTION = "RFC 9110 §14.2"

# RFC 9110 §15.3.7.2: the media type of a multipart 206, which then carries no
# Content-Range in its header section, and is never the answer to one range.
MULTIPART_BYTERANGES = "multipart/byteranges"
MULTIPART_SECTION = "RFC 9110 §15.3.7.2"

# RFC 9110 §13.2.2 (steps 3 and 4) and §13.1.2: a 304 answers a GET or HEAD
# whose If-None-Match, or If-Modified-Since without If-None-Match, evaluated to
# false. Any other method with a false If-None-Match gets 412 instead.
NOT_MODIFIED_METHODS = frozenset({"GET", "HEAD"})
NOT_MODIFIED_PRECONDITIONS = ("If-None-Match", "If-Modified-Since")
NOT_MODIFIED_SECTION = "RFC 9110 §13.2.2"
# §13.2.2 steps 1 and 2: the preconditions whose failure is answered with 412
# whatever the method ("lost update" checks), as opposed to those above.
LOST_UPDATE_PRECONDITIONS = ("If-Match", "If-Unmodified-Since")

# RFC 9110 §10.2.1: "An empty Allow field value indicates that the resource
# allows no methods". For every other required field an empty value carries
# nothing (a 401 needs at least one challenge, §11.6.1).
EMPTY_VALUE_MEANINGFUL: dict[str, str] = {"Allow": "RFC 9110 §10.2.1"}

# RFC 9110 §7.8: Upgrade is "a simple mechanism for transitioning from HTTP/1.1
# to some other protocol on the same connection"; later versions do not use it,
# so the Upgrade and Connection rules of 101 and 426 bind HTTP/1.x only.
UPGRADE_FIELDS = frozenset({"Upgrade", "Connection"})
UPGRADE_SECTION = "RFC 9110 §7.8"

# Faults of the request that a server can detect for itself, and the 4xx code
# that names each. A 5xx says the server erred (RFC 9110 §15.6), so answering
# one of these with a 5xx blames the wrong party.
CLIENT_FAULTS: dict[str, tuple[int, str]] = {
    # §15.5.1: "malformed request syntax, invalid request message framing"
    "malformed-content": (400, "RFC 9110 §15.5.1"),
    # §15.5.12: "refuses to accept the request without a defined Content-Length"
    "length-required": (411, "RFC 9110 §15.5.12"),
}


# RFC 9110 §8.6: "A user agent SHOULD send Content-Length in a request when the
# method defines a meaning for enclosed content and it is not sending
# Transfer-Encoding" - as POST (§9.3.3) and PUT (§9.3.4) do.
CONTENT_METHODS = frozenset({"POST", "PUT"})


def answers_range(method: str) -> bool:
    """Can a 206 or 416 answer this method at all? Only GET has range handling (RFC 9110 §14.2)."""
    return method.upper() in RANGE_METHODS


def may_answer_not_modified(method: str, request_fields: Iterable[str]) -> bool:
    """Could a 304 be the answer to this request? (RFC 9110 §13.2.2, §15.4.5)

    Only a GET or HEAD carrying If-None-Match or If-Modified-Since can have a
    condition that evaluates to false with a 304 as its outcome.
    """
    names = {name.lower() for name in request_fields}
    return method.upper() in NOT_MODIFIED_METHODS and any(p.lower() in names for p in NOT_MODIFIED_PRECONDITIONS)


def byte_range_satisfiable(first: int | None, suffix_length: int | None, length: int) -> bool:
    """Is one bytes range-spec satisfiable against a representation of `length` octets?

    RFC 9110 §14.1.2: an int-range (its `first` position given; the last
    position does not matter) is satisfiable when first-pos is less than the
    current length; a suffix-range (`first` None) when its suffix-length is
    not zero.
    """
    if first is None:
        return bool(suffix_length)
    return first < length


# -- what a server does with methods, framing and connection fields ------------------
#
# These facts drive the test server (`statuskit.responder`, `statuskit.server`)
# and are here, not there, so that the linter can check the same rules.


class Method:
    """A request method and the properties RFC 9110 §9.2 gives it."""

    __slots__ = ("name", "section", "safe", "idempotent")

    def __init__(self, name: str, section: str, safe: bool, idempotent: bool) -> None:
        self.name = name
        self.section = section
        self.safe = safe
        self.idempotent = idempotent

    def __repr__(self) -> str:
        return f"<Method {self.name} ({self.section})>"


# §9.3 defines eight methods; §9.2.1 says which are safe and §9.2.2 which are
# idempotent. PATCH and the WebDAV methods are extensions registered elsewhere.
METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method("GET", "RFC 9110 §9.3.1", True, True),
        Method("HEAD", "RFC 9110 §9.3.2", True, True),
        Method("POST", "RFC 9110 §9.3.3", False, False),
        Method("PUT", "RFC 9110 §9.3.4", False, True),
        Method("DELETE", "RFC 9110 §9.3.5", False, True),
        Method("CONNECT", "RFC 9110 §9.3.6", False, False),
        Method("OPTIONS", "RFC 9110 §9.3.7", True, True),
        Method("TRACE", "RFC 9110 §9.3.8", True, True),
        Method("PATCH", "RFC 5789", False, False),
        *(
            Method(name, "RFC 4918", safe, idempotent)
            for name, safe, idempotent in (
                ("PROPFIND", True, True),
                ("PROPPATCH", False, True),
                ("MKCOL", False, True),
                ("COPY", False, True),
                ("MOVE", False, True),
                ("LOCK", False, False),
                ("UNLOCK", False, True),
            )
        ),
    )
}

# An origin server implements every method above except CONNECT: "The CONNECT
# method requests that the recipient establish a tunnel" (§9.3.6), which is
# the job of a proxy. The WebDAV methods are there so that 207, 422-424 and
# 507 can be asked for with the methods that produce them.
ORIGIN_METHODS: frozenset[str] = frozenset(name for name in METHODS if name != "CONNECT")


def supported_methods(methods: Iterable[str]) -> frozenset[str]:
    """The methods a resource that implements `methods` supports: HEAD wherever GET is.

    RFC 9110 §9.3.2: "The HEAD method is identical to GET except that the
    server MUST NOT send content in the response", so an Allow field
    (§10.2.1) listing GET lists HEAD too.
    """
    names = frozenset(methods)
    return names | {"HEAD"} if "GET" in names else names


def is_implemented_method(method: str) -> bool:
    """Does an origin server implement `method`? Methods are case-sensitive (§9.1).

    "An origin server that receives a request method that is unrecognized or
    not implemented SHOULD respond with the 501 (Not Implemented) status code"
    (RFC 9110 §9.1).
    """
    return method in ORIGIN_METHODS


class ContentLength(enum.StrEnum):
    """What a response's Content-Length field holds, by status and method (RFC 9110 §8.6)."""

    ABSENT = "absent"  # MUST NOT be sent: 1xx, 204, 2xx to CONNECT
    CONTENT = "content"  # the length of the content that follows
    ZERO = "zero"  # 205: "Content-Length: 0" is one of the allowed framings (§15.3.6)
    AS_GET = "as-get"  # HEAD: what a GET would have said, or nothing (§8.6, §9.3.2)
    AS_200 = "as-200"  # 304: only the value a 200 would have had, so it may be left out (§8.6)


def content_length(code: Any, method: str = "GET") -> ContentLength:
    """The Content-Length a response of this status to this method may carry."""
    status = _status(code)
    if not allows_content_length(status, method):
        return ContentLength.ABSENT
    if method == "HEAD":
        return ContentLength.AS_GET
    if status.code == 205:
        return ContentLength.ZERO
    if status.code == 304:
        return ContentLength.AS_200
    return ContentLength.CONTENT


# §10.1.1: "The only expectation defined by this specification is
# "100-continue"", and a server MAY answer any other with 417. Expectations
# are case-insensitive.
EXPECTATIONS: frozenset[str] = frozenset({"100-continue"})

# Fields only the sender of a message may set, because they frame it or
# control the connection it travels on: Content-Length (§8.6) and the
# connection-specific fields of §7.6.1 (Connection, Proxy-Connection,
# Keep-Alive, TE, Transfer-Encoding, Upgrade). Lower-case.
FRAMING_FIELDS: frozenset[str] = frozenset({"content-length", "transfer-encoding"})
CONNECTION_FIELDS: frozenset[str] = frozenset(
    {"connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade"}
)
