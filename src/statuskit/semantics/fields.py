"""The response fields each status code must, should, may or must not carry.

RFC 9110 §7.8 (Upgrade), §10.2.1 (Allow), §12.5.3 (Accept-Encoding on 415),
§15.2.2-§15.6.4 (the per-code field requirements); RFC 6585 §4 (429),
RFC 7725 §4 (451), RFC 8297 §2 (103).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from statuskit.registry.texts import rule_text
from statuskit.semantics._status import as_status

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from statuskit.semantics._status import NamedTuple


class Level(enum.StrEnum):
    """Requirement levels as BCP 14 spells them."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class FieldRule(NamedTuple):
    """One response field a status code must, should or may carry.

    `condition` is a stable key for the circumstance the rule depends on
    ("" when it always applies); `when` says it in words. `value` describes
    the expected form of the field value where the spec fixes one.
    """

    field: str
    level: Level
    section: str
    condition: str = ""
    when: str = ""
    value: str = ""

    @property
    def always(self) -> bool:
        return not self.condition

    def as_dict(self) -> dict[str, str]:
        return {**self._asdict(), "level": str(self.level)}

    def __repr__(self) -> str:
        extra = f" when {self.condition}" if self.condition else ""
        return f"<FieldRule {self.level} {self.field}{extra} ({self.section})>"


class FieldBan(NamedTuple):
    """A response field a status must not carry, unless `unless` (a condition key) holds."""

    field: str
    section: str
    unless: str
    when: str

    def __repr__(self) -> str:
        return f"<FieldBan MUST NOT {self.field} unless {self.unless} ({self.section})>"


_MUST, _SHOULD, _MAY = Level.MUST, Level.SHOULD, Level.MAY

# Fields that a 304 or a 206 must repeat when a 200 to the same request would
# have carried them (RFC 9110 §15.4.5 for 304, §15.3.7 for 206).
VALIDATOR_FIELDS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary")


def _validators(section: str) -> tuple[FieldRule, ...]:
    return tuple(
        FieldRule(name, _MUST, section, "200-would", "a 200 to the same request would carry it")
        for name in VALIDATOR_FIELDS
    )


_UPGRADE = (
    FieldRule(
        "Connection", _MUST, "RFC 9110 §7.8", value="upgrade", when="a sender of Upgrade also lists it in Connection"
    ),
)


def _location(level: Level, section: str, condition: str = "", when: str = "") -> tuple[FieldRule, ...]:
    return (FieldRule("Location", level, section, condition, when),)


FIELD_RULES: dict[int, tuple[FieldRule, ...]] = {
    101: (FieldRule("Upgrade", _MUST, "RFC 9110 §15.2.2", value="the protocol(s) switched to"), *_UPGRADE),
    103: (FieldRule("Link", _MAY, "RFC 8297 §2", value="preload hints for the final response"),),
    201: _location(
        _MAY,
        "RFC 9110 §15.3.2",
        when="identifies the created resource; without it the target URI is the created resource",
    ),
    206: (
        FieldRule(
            "Content-Range",
            _MUST,
            "RFC 9110 §15.3.7.1",
            "single-part",
            "a single part is sent",
            "bytes first-last/length",
        ),
        FieldRule(
            "Content-Type",
            _MUST,
            "RFC 9110 §15.3.7.2",
            "multipart",
            "several parts are sent (no top-level Content-Range then)",
            "multipart/byteranges; boundary=...",
        ),
        *_validators("RFC 9110 §15.3.7"),
    ),
    300: _location(_SHOULD, "RFC 9110 §15.4.1", "preferred-choice", "the server has a preferred choice"),
    301: _location(_SHOULD, "RFC 9110 §15.4.2"),
    302: _location(_SHOULD, "RFC 9110 §15.4.3"),
    # §15.4.4 defines 303 by the URI in Location: without it there is nothing to see.
    303: _location(_MUST, "RFC 9110 §15.4.4", when="the response is defined by the URI it carries"),
    304: _validators("RFC 9110 §15.4.5"),
    307: _location(_SHOULD, "RFC 9110 §15.4.8"),
    308: _location(_SHOULD, "RFC 9110 §15.4.9"),
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
        FieldRule(
            "Accept", _MAY, "RFC 9110 §15.5.16", "unsupported-media-type", "the request's media type was the problem"
        ),
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

FIELD_BANS: dict[int, tuple[FieldBan, ...]] = {
    # RFC 9110 §12.5.3: a 415 for reasons other than the content coding carries no Accept-Encoding.
    415: (
        FieldBan(
            "Accept-Encoding",
            "RFC 9110 §12.5.3",
            "unsupported-coding",
            "only when the request's content coding was the problem",
        ),
    ),
}

# RFC 9110 §10.2.1: "An empty Allow field value indicates that the resource
# allows no methods". For every other required field an empty value carries
# nothing (a 401 needs at least one challenge, §11.6.1).
EMPTY_VALUE_MEANINGFUL: dict[str, str] = {"Allow": "RFC 9110 §10.2.1"}

# RFC 9110 §7.8: Upgrade is "a simple mechanism for transitioning from HTTP/1.1
# to some other protocol on the same connection"; later versions do not use it,
# so the Upgrade and Connection rules of 101 and 426 bind HTTP/1.x only.
UPGRADE_FIELDS = frozenset({"Upgrade", "Connection"})
UPGRADE_SECTION = "RFC 9110 §7.8"


def field_rules(code: Any) -> tuple[FieldRule, ...]:
    """The response fields this status must, should or may carry."""
    return FIELD_RULES.get(as_status(code).code, ())


def field_bans(code: Any, conditions: Iterable[str] = ()) -> tuple[FieldBan, ...]:
    """The fields this status must not carry when `conditions` hold (bans they lift are left out)."""
    held = set(conditions)
    return tuple(ban for ban in FIELD_BANS.get(as_status(code).code, ()) if ban.unless not in held)


def required_fields(code: Any, conditions: Iterable[str] = ()) -> tuple[FieldRule, ...]:
    """The MUST and SHOULD rules that apply when `conditions` hold (unconditional ones always).

    The responder and the linter decide conditions themselves (the linter in
    three states); this two-state form is the oracle the test suites of a
    server ask (statuskit's own: tests/server, tests/responder, tests/e2e).
    """
    held = set(conditions)
    return tuple(
        rule for rule in field_rules(code) if rule.level is not Level.MAY and (rule.always or rule.condition in held)
    )


def rule_texts(rule: FieldRule, lang: str = "en") -> tuple[str, str]:
    """A field rule's `value` and `when` in `lang` (they are stated here in English)."""
    return rule_text(rule.value, lang), rule_text(rule.when, lang)
