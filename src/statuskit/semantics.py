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
import re
from collections.abc import Iterable, Mapping

from statuskit.registry import Status, StatusClass, lookup
from statuskit.registry.texts import rule_text

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any


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


class FieldBan:
    """A response field a status must not carry, unless `unless` (a condition key) holds."""

    __slots__ = ("field", "section", "unless", "when")

    def __init__(self, field: str, section: str, unless: str, when: str) -> None:
        self.field = field
        self.section = section
        self.unless = unless
        self.when = when

    def __repr__(self) -> str:
        return f"<FieldBan MUST NOT {self.field} unless {self.unless} ({self.section})>"


FIELD_BANS: dict[int, tuple[FieldBan, ...]] = {
    # RFC 9110 §12.5.3: "servers that fail a request with a 415 status for reasons
    # unrelated to content codings MUST NOT include the Accept-Encoding header field."
    415: (
        FieldBan(
            "Accept-Encoding",
            "RFC 9110 §12.5.3",
            "unsupported-coding",
            "only when the request's content coding was the problem",
        ),
    ),
}


def field_bans(code: Any, conditions: Iterable[str] = ()) -> tuple[FieldBan, ...]:
    """The fields this status must not carry when `conditions` hold (bans they lift are left out)."""
    held = set(conditions)
    return tuple(ban for ban in FIELD_BANS.get(_status(code).code, ()) if ban.unless not in held)


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


def rule_texts(rule: FieldRule, lang: str = "en") -> tuple[str, str]:
    """A field rule's `value` and `when` in `lang` (they are stated here in English)."""
    return rule_text(rule.value, lang), rule_text(rule.when, lang)


def method_change_text(code: Any, lang: str = "en") -> str:
    """How a redirect treats the next request's method (RFC 9110 §15.4), in `lang`; "" if not a redirect."""
    return rule_text(METHOD_CHANGE.get(_status(code).code, ""), lang)


def summary(code: Any, method: str = "GET", lang: str = "en") -> dict[str, Any]:
    """Every rule above for one code, in the shape the CLI's --json and the page use; prose in `lang`."""
    status = _status(code)
    fields = []
    for rule in field_rules(status):
        entry = rule.as_dict()
        entry["value"], entry["when"] = rule_texts(rule, lang)
        fields.append(entry)
    return {
        "interim": is_interim(status),
        "content": allows_content(status, method),
        "no_content_section": no_content_reason(status, method),
        "content_length": allows_content_length(status, method),
        "cacheability": cacheability(status).as_dict(),
        "fields": fields,
        "understood_as": int(status.understood_as),
        "method_change": method_change_text(status, lang),
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


# -- validators and preconditions (RFC 9110 §8.8, §13) -----------------------------------
#
# The evaluation of §13.2.2 is written once, here: every resource of the test
# server that has validators answers through `evaluate_preconditions`, and the
# linter asks it what a 304 or 412 should have been. Its order is the RFC's,
# not the one of the webmachine-style decision graphs (which test
# If-Unmodified-Since even when If-Match is present, and If-Modified-Since
# next to If-None-Match).

# RFC 6585 §3: 428 asks for a conditional request, "to avoid the 'lost update'
# problem". If-Match and If-Unmodified-Since guard an existing representation;
# If-None-Match: * guards against creating over one (§13.1.2).
CONDITIONAL_WRITE_FIELDS = ("If-Match", "If-None-Match", "If-Unmodified-Since")

# §13.2.1: "a server MUST ignore the conditional request header fields ...
# when received with a request method that does not involve the selection or
# modification of a selected representation, such as CONNECT, OPTIONS, or TRACE."
PRECONDITION_FREE_METHODS = frozenset({"CONNECT", "OPTIONS", "TRACE"})

_ETAGC = "\x21\x23-\x7e\x80-\xff"
_ENTITY_TAG = re.compile(f'(W/)?"([{_ETAGC}]*)"')
_ENTITY_TAG_LIST_ITEM = re.compile(f'[ \t]*(W/)?"([{_ETAGC}]*)"[ \t]*')


class EntityTag:
    """An entity-tag (RFC 9110 §8.8.3): an opaque quoted string, maybe marked weak (`W/`)."""

    __slots__ = ("opaque", "weak")

    def __init__(self, opaque: str, weak: bool = False) -> None:
        if _ENTITY_TAG.fullmatch(f'"{opaque}"') is None:
            raise ValueError(f"{opaque!r} is not an opaque-tag: DQUOTE and control characters are not allowed (RFC 9110 §8.8.3)")
        self.opaque = opaque
        self.weak = weak

    def strong_match(self, other: EntityTag) -> bool:
        """§8.8.3.2: "both are not weak and their opaque-tags match character-by-character"."""
        return not self.weak and not other.weak and self.opaque == other.opaque

    def weak_match(self, other: EntityTag) -> bool:
        """§8.8.3.2: "their opaque-tags match character-by-character, regardless of either or both being tagged as weak"."""
        return self.opaque == other.opaque

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EntityTag) and (self.opaque, self.weak) == (other.opaque, other.weak)

    def __hash__(self) -> int:
        return hash((self.opaque, self.weak))

    def __str__(self) -> str:
        return f'{"W/" if self.weak else ""}"{self.opaque}"'

    def __repr__(self) -> str:
        return f"<EntityTag {self}>"


def parse_entity_tag(text: str | None) -> EntityTag | None:
    """One entity-tag, the whole of `text` (an ETag or If-Range value); None if it is not one."""
    if text is None:
        return None
    found = _ENTITY_TAG.fullmatch(text.strip(" \t"))
    if found is None:
        return None
    return EntityTag(found.group(2), weak=found.group(1) is not None)


def parse_entity_tags(value: str) -> list[EntityTag] | str | None:
    """An If-Match or If-None-Match value: "*", a list of entity-tags, or None when it is neither.

    `#entity-tag` (§5.6.1): members separated by commas, empty members ignored.
    A value that mixes "*" with tags is "syntactically invalid" (§13.1.1, §13.1.2).
    """
    stripped = value.strip(" \t")
    if stripped == "*":
        return "*"
    tags: list[EntityTag] = []
    position = 0
    length = len(stripped)
    while position < length:
        if stripped[position] in ", \t":
            position += 1
            continue
        found = _ENTITY_TAG_LIST_ITEM.match(stripped, position)
        if found is None:
            return None
        tags.append(EntityTag(found.group(2), weak=found.group(1) is not None))
        position = found.end()
        if position < length and stripped[position] != ",":
            return None
    return tags or None


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(" + "|".join(_MONTHS) + ")"
_TIME = r"(\d\d):(\d\d):(\d\d)"
# §5.6.7: HTTP-date is case-sensitive and has no whitespace beyond its SPs.
_IMF_FIXDATE = re.compile(rf"(?:{'|'.join(_DAY_NAMES)}), (\d\d) {_MONTH} (\d{{4}}) {_TIME} GMT")
_RFC850_DATE = re.compile(rf"(?:{'|'.join(_DAY_NAMES_LONG)}), (\d\d)-{_MONTH}-(\d\d) {_TIME} GMT")
_ASCTIME_DATE = re.compile(rf"(?:{'|'.join(_DAY_NAMES)}) {_MONTH} (\d\d| \d) {_TIME} (\d{{4}})")


# calendar, datetime and email.utils are imported where used: together they cost
# `statuskit 404` about 10 ms at start, and only the date functions need them.


def _timestamp(year: int, month: str, day: int, hour: int, minute: int, second: int) -> int | None:
    import calendar
    import datetime

    if hour > 23 or minute > 59 or second > 60:
        return None
    try:
        moment = datetime.datetime(year, _MONTHS.index(month) + 1, day, hour, minute, min(second, 59))
    except ValueError:
        return None  # 31 Feb and the like
    # A leap second (:60) is the last second of its minute, as far as a timestamp goes.
    return calendar.timegm(moment.timetuple())


def parse_http_date(text: str | None, now: float | None = None) -> int | None:
    """An HTTP-date (RFC 9110 §5.6.7) as whole seconds since the epoch; None if `text` is not one.

    All three formats are accepted, as §5.6.7 requires of recipients. The
    two-digit year of the RFC 850 format is read as §5.6.7 says: a year that
    "appears to be more than 50 years in the future" is the most recent past
    year with those digits (relative to `now`, or to the present when None).
    """
    if text is None:
        return None
    text = text.strip(" \t")
    found = _IMF_FIXDATE.fullmatch(text)
    if found is not None:
        day, month, year, hour, minute, second = found.groups()
        return _timestamp(int(year), month, int(day), int(hour), int(minute), int(second))
    found = _ASCTIME_DATE.fullmatch(text)
    if found is not None:
        month, day, hour, minute, second, year = found.groups()
        return _timestamp(int(year), month, int(day), int(hour), int(minute), int(second))
    found = _RFC850_DATE.fullmatch(text)
    if found is not None:
        import datetime
        import time

        day, month, short_year, hour, minute, second = found.groups()
        this_year = datetime.datetime.fromtimestamp(now if now is not None else time.time(), datetime.timezone.utc).year
        year = this_year - this_year % 100 + int(short_year)
        if year > this_year + 50:
            year -= 100
        return _timestamp(year, month, int(day), int(hour), int(minute), int(second))
    return None


def format_http_date(seconds: float) -> str:
    """The IMF-fixdate of a time, the only HTTP-date format a sender may generate (§5.6.7)."""
    import email.utils

    return email.utils.formatdate(int(seconds), usegmt=True)


class PreconditionOutcome:
    """What the preconditions of a request decide (RFC 9110 §13.2.2).

    `status` is 304 or 412 when a precondition failed and that is the answer,
    None when the server goes on to perform the method. `field` names the
    precondition that decided it and `section` the rule applied. `use_range`
    is False when If-Range evaluated false: the Range field is then ignored
    and the whole representation sent with 200 (step 5). `evaluated` lists
    the fields evaluated, in order; fields that had to be ignored are not in it.
    """

    __slots__ = ("status", "field", "section", "use_range", "evaluated")

    def __init__(
        self,
        status: int | None,
        field: str = "",
        section: str = "",
        use_range: bool = True,
        evaluated: tuple[str, ...] = (),
    ) -> None:
        self.status = status
        self.field = field
        self.section = section
        self.use_range = use_range
        self.evaluated = evaluated

    @property
    def proceed(self) -> bool:
        return self.status is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "field": self.field,
            "section": self.section,
            "use_range": self.use_range,
            "evaluated": list(self.evaluated),
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PreconditionOutcome) and self.as_dict() == other.as_dict()

    def __repr__(self) -> str:
        what = "proceed" if self.status is None else str(self.status)
        return f"<PreconditionOutcome {what} by {self.field or '-'} ({self.section or 'no precondition'})>"


def _field_values(request_fields: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    pairs = request_fields.items() if isinstance(request_fields, Mapping) else request_fields
    combined: dict[str, str] = {}
    for name, value in pairs:
        lower = name.lower()
        # §5.3: repeated field lines combine into one list, in order.
        combined[lower] = f"{combined[lower]}, {value}" if lower in combined else value
    return combined


def evaluate_preconditions(
    method: str,
    request_fields: Iterable[tuple[str, str]] | Mapping[str, str],
    etag: str | EntityTag | None = None,
    last_modified: float | None = None,
    *,
    exists: bool = True,
    origin: bool = True,
    strong_dates: bool = True,
    now: float | None = None,
) -> PreconditionOutcome:
    """Evaluate a request's preconditions against the selected representation, in the order of §13.2.2.

    `etag` and `last_modified` are the representation's current validators
    (None: it has none); `exists` says whether the target resource has a
    current representation at all (for "*"). `origin` is False for a cache,
    which evaluates neither If-Match nor If-Unmodified-Since (steps 1 and 2
    are the origin server's). `strong_dates` says that the origin knows its
    representation never changes twice within one second, which makes its
    Last-Modified a strong validator for If-Range (§8.8.2.2). `now` places the
    two-digit years of RFC 850 dates (`parse_http_date`); a server passes the
    request's time so that nothing here reads a clock.

    The caller applies §13.2.1 first: preconditions are ignored when the
    response without them would not have been 2xx or 412.
    """
    if method in PRECONDITION_FREE_METHODS:
        return PreconditionOutcome(None)
    fields = _field_values(request_fields)
    current = etag if isinstance(etag, EntityTag) or etag is None else parse_entity_tag(etag)
    if not exists:
        current, last_modified = None, None
    evaluated: list[str] = []
    safe = method in NOT_MODIFIED_METHODS

    # Step 1: If-Match, strong comparison (§13.1.1).
    if origin and "if-match" in fields:
        evaluated.append("If-Match")
        tags = parse_entity_tags(fields["if-match"])
        if tags == "*":
            holds = exists
        elif isinstance(tags, list) and current is not None:
            holds = any(tag.strong_match(current) for tag in tags)
        else:
            holds = False  # "Otherwise, the condition is false."
        if not holds:
            return PreconditionOutcome(412, "If-Match", "RFC 9110 §13.1.1", evaluated=tuple(evaluated))
    # Step 2: If-Unmodified-Since, only without If-Match (§13.1.4); ignored when
    # it is not a valid HTTP-date or the resource has no modification date.
    elif origin and "if-unmodified-since" in fields and last_modified is not None:
        date = parse_http_date(fields["if-unmodified-since"], now)
        if date is not None:
            evaluated.append("If-Unmodified-Since")
            if not int(last_modified) <= date:
                return PreconditionOutcome(412, "If-Unmodified-Since", "RFC 9110 §13.1.4", evaluated=tuple(evaluated))

    # Step 3: If-None-Match, weak comparison (§13.1.2).
    if "if-none-match" in fields:
        evaluated.append("If-None-Match")
        tags = parse_entity_tags(fields["if-none-match"])
        if tags == "*":
            holds = not exists
        elif isinstance(tags, list) and current is not None:
            holds = not any(tag.weak_match(current) for tag in tags)
        else:
            holds = True  # "Otherwise, the condition is true."
        if not holds:
            return PreconditionOutcome(
                304 if safe else 412, "If-None-Match", "RFC 9110 §13.1.2", evaluated=tuple(evaluated)
            )
    # Step 4: If-Modified-Since, only for GET and HEAD without If-None-Match (§13.1.3).
    elif safe and "if-modified-since" in fields and last_modified is not None:
        date = parse_http_date(fields["if-modified-since"], now)
        if date is not None:
            evaluated.append("If-Modified-Since")
            if int(last_modified) <= date:
                return PreconditionOutcome(304, "If-Modified-Since", "RFC 9110 §13.1.3", evaluated=tuple(evaluated))

    # Step 5: If-Range, for a GET with Range (§13.1.5): exact, strong matches only.
    if method == "GET" and "range" in fields and "if-range" in fields:
        evaluated.append("If-Range")
        value = fields["if-range"].strip(" \t")
        if value[:1] == '"' or value[:3] == 'W/"':
            tag = parse_entity_tag(value)
            use_range = tag is not None and current is not None and tag.strong_match(current)
        else:
            date = parse_http_date(value, now)
            use_range = strong_dates and date is not None and last_modified is not None and date == int(last_modified)
        if not use_range:
            return PreconditionOutcome(None, "If-Range", "RFC 9110 §13.1.5", use_range=False, evaluated=tuple(evaluated))
    return PreconditionOutcome(None, evaluated=tuple(evaluated))


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
