"""Fields a status code must, should or may carry, read from `semantics.field_rules`.

The table of which code needs which field lives in `statuskit.semantics`; this
module only decides, for one exchange, whether each entry applies and whether
the field is there. A conditional entry applies when its condition can be seen
in the exchange (a 416 to a byte-range request, a single-part 206); when it
cannot (is the 413 temporary?) the finding is at most info.

Four rules, one per kind of finding, share the one check:

    required-field-missing     MUST, and it applies        error
    recommended-field-missing  SHOULD, and it applies      warning
    optional-field-missing     MAY, and it applies         info
    conditional-field-missing  MUST or SHOULD, but whether its condition holds
                               cannot be told from the exchange          info
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from statuskit import semantics
from statuskit.lint._ranges import parse_range
from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule, Scope
from statuskit.registry.catalogue import RuleWords, Text
from statuskit.semantics import FieldRule, Level


class Need(enum.Enum):
    """Does a conditional field rule apply to this exchange?"""

    HOLDS = "holds"
    UNKNOWN = "unknown"
    NO = "no"


def _etag_known(ctx: Context) -> bool:
    """Did the client show it holds an entity tag from an earlier 200?

    A conditional request can only name an entity tag the client was given,
    so If-None-Match (on a 304) or an entity-tag If-Range (on a 206) means a
    200 to the same request carries ETag (RFC 9110 §13.1.2, §13.1.5).
    """
    if ctx.code == 304:
        tags = ctx.request_fields.tokens("If-None-Match")
        return any(t != "*" for t in tags)
    if ctx.code == 206:
        value = (ctx.request_fields.get("If-Range") or "").strip()
        return value.startswith('"') or value.startswith(("W/", "w/"))
    return False


def _would_200(ctx: Context, field: str) -> Need:
    earlier = ctx.exchange.earlier_ok
    if earlier is not None:
        return Need.HOLDS if field in earlier else Need.NO
    if field == "ETag" and _etag_known(ctx):
        return Need.HOLDS
    # Without the 200 itself nothing says what it would carry; guessing would
    # put a finding on every 304, so stay silent.
    return Need.NO


def _multipart(ctx: Context) -> bool:
    return ctx.fields.media_type() == semantics.MULTIPART_BYTERANGES


def _byte_range(ctx: Context, field: str) -> Need:
    if ctx.request is None:
        return Need.UNKNOWN
    return Need.HOLDS if parse_range(ctx.request_fields.get("Range")) else Need.NO


def _request_coded(ctx: Context) -> bool:
    return any(t != "identity" for t in ctx.request_fields.tokens("Content-Encoding"))


def _unsupported_coding(ctx: Context, field: str) -> Need:
    # A request without a content coding cannot have been refused for one.
    if ctx.request is not None and not _request_coded(ctx):
        return Need.NO
    return Need.UNKNOWN


def _unsupported_media_type(ctx: Context, field: str) -> Need:
    if ctx.request is not None and not _request_coded(ctx):
        return Need.HOLDS  # §15.5.16: then the format itself was the problem
    return Need.UNKNOWN


# Does a condition of semantics.FIELD_RULES / FIELD_BANS hold, given the field it is about?
CONDITIONS: dict[str, Callable[[Context, str], Need]] = {
    "single-part": lambda ctx, field: Need.NO if _multipart(ctx) else Need.HOLDS,
    "multipart": lambda ctx, field: Need.HOLDS if _multipart(ctx) else Need.NO,
    "200-would": _would_200,
    "byte-range": _byte_range,
    "unsupported-coding": _unsupported_coding,
    "unsupported-media-type": _unsupported_media_type,
    # Not visible in an exchange: is the 413 temporary (§15.5.14)? does the
    # server have a preferred choice among the 300's (§15.4.1)?
    "temporary": lambda ctx, field: Need.UNKNOWN,
    "preferred-choice": lambda ctx, field: Need.UNKNOWN,
}

# Missing fields httplint already reports at the level RFC 9110 gives them:
# statuskit's finding is dropped when httplint's note is there.
HTTPLINT_REPORTS: dict[tuple[int, str], tuple[str, ...]] = {
    (303, "Location"): ("REDIRECT_WITHOUT_LOCATION",),
    (206, "Content-Range"): ("PARTIAL_WITHOUT_RANGE",),
    (416, "Content-Range"): ("STATUS_416_WITHOUT_CONTENT_RANGE",),
    (304, "Date"): ("NO_DATE_304",),
    (206, "Date"): ("DATE_CLOCKLESS",),
}

# Missing fields httplint reports at a level RFC 9110 does not give them: it
# calls a 301 without Location and a 201 without Location "bad", where the RFC
# says SHOULD (§15.4.2, .3, .8, .9) and "else the target URI is meant"
# (§15.3.2). statuskit's finding, at the RFC's level, replaces httplint's note.
HTTPLINT_MISRATES: dict[tuple[int, str], tuple[str, ...]] = {
    (201, "Location"): ("CREATED_WITHOUT_LOCATION",),
    **{(code, "Location"): ("REDIRECT_WITHOUT_LOCATION",) for code in (301, 302, 307, 308)},
}

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def present(ctx: Context, rule: FieldRule) -> bool:
    """Is the field there, with a value that counts?

    An empty value carries nothing (a 401 needs at least one challenge), except
    where the RFC gives emptiness a meaning (an empty Allow, §10.2.1). Where
    the rule's value is a single token (Connection: upgrade, §7.8), the field
    must list that token.
    """
    values = ctx.fields.get_all(rule.field)
    if not values:
        return False
    if rule.field in semantics.EMPTY_VALUE_MEANINGFUL:
        return True
    if rule.value and _TOKEN.fullmatch(rule.value):
        return rule.value.lower() in ctx.fields.tokens(rule.field)
    return any(v.strip() for v in values)


def need(ctx: Context, rule: FieldRule) -> Need:
    if rule.always:
        return Need.HOLDS
    decide = CONDITIONS.get(rule.condition)
    return decide(ctx, rule.field) if decide else Need.UNKNOWN


def missing(ctx: Context) -> Iterator[tuple[FieldRule, Need]]:
    """Every field rule of this response's code that applies (or may) and is not met."""
    if ctx.status is None:
        return
    for rule in semantics.field_rules(ctx.status):
        if rule.field in semantics.UPGRADE_FIELDS and not ctx.http1:
            continue  # §7.8: Upgrade belongs to HTTP/1.1
        verdict = need(ctx, rule)
        if verdict is Need.NO or present(ctx, rule):
            continue
        yield rule, verdict


def _details(rule: FieldRule) -> dict[str, Any]:
    """The values a field rule's finding is worded with; each language words them when the finding is read."""
    detail: Text | str
    if rule.value and _TOKEN.fullmatch(rule.value):
        detail = Text("lint", "field.listing", {"value": rule.value})
    elif rule.value:
        # "at least one challenge (§11.6.1)" reads better without nested parentheses.
        detail = Text("lint", "field.value", {"value": RuleWords(rule.value, flat=True)})
    else:
        detail = ""
    return {
        "field": rule.field,
        "detail": detail,
        "when": RuleWords(rule.when) if rule.when else rule.condition,
        "level": Text("lint", f"field.level.{rule.level.name.lower()}"),
    }


class _FieldRuleCheck(Rule):
    """One check for the four field rules; each subclass keeps the findings of its kind."""

    levels: ClassVar[frozenset[Level]]
    needs: ClassVar[Need] = Need.HOLDS
    scope = Scope.EVERY  # 101 and 103 are interim, and have fields of their own
    section = "RFC 9110 §15"

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        for rule, verdict in missing(ctx):
            if rule.level not in cls.levels or verdict is not cls.needs:
                continue
            key = (ctx.code, rule.field)
            yield cls.hit(
                ctx,
                section=rule.section,
                covered_by=HTTPLINT_REPORTS.get(key, ()),
                supersedes=HTTPLINT_MISRATES.get(key, ()),
                **_details(rule),
            )


_EXAMPLE = {"code": 401, "reason": "Unauthorized", **_details(semantics.field_rules(401)[0])}


class RequiredFieldMissing(_FieldRuleCheck):
    """A field RFC 9110 says MUST be there is absent (401 without WWW-Authenticate, 405 without Allow...)."""

    id = "required-field-missing"
    severity = Severity.ERROR
    levels = frozenset({Level.MUST})
    example = _EXAMPLE


class RecommendedFieldMissing(_FieldRuleCheck):
    """A field RFC 9110 says SHOULD be there is absent (301 without Location, 451 without Link...)."""

    id = "recommended-field-missing"
    severity = Severity.WARNING
    levels = frozenset({Level.SHOULD})
    example = _EXAMPLE


class OptionalFieldMissing(_FieldRuleCheck):
    """A field the RFC invites (MAY) is absent where it would help: Retry-After on 429 and 503, Location on 201."""

    id = "optional-field-missing"
    severity = Severity.INFO
    levels = frozenset({Level.MAY})
    example = _EXAMPLE


class ConditionalFieldMissing(_FieldRuleCheck):
    """A MUST or SHOULD field is absent, and whether its condition holds cannot be told from the exchange."""

    id = "conditional-field-missing"
    severity = Severity.INFO
    levels = frozenset({Level.MUST, Level.SHOULD})
    needs = Need.UNKNOWN
    example = {**_EXAMPLE, "when": RuleWords("the condition is temporary")}


class FieldForbidden(Rule):
    """A field `semantics.FIELD_BANS` forbids on this status, where the exchange shows the ban applies."""

    id = "field-forbidden"
    severity = Severity.ERROR
    section = "RFC 9110 §12.5.3"
    example = {
        "code": 415,
        "reason": "Unsupported Media Type",
        "field": "Accept-Encoding",
        "when": RuleWords("only when the request's content coding was the problem"),
    }

    # The message says "this request had none": true of every condition a ban can
    # have today (a content coding). A new ban with another condition needs its own words.

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.status is None:
            return
        for ban in semantics.field_bans(ctx.status):
            if not ctx.fields.get_all(ban.field):
                continue
            decide = CONDITIONS.get(ban.unless)
            lifted = decide(ctx, ban.field) if decide else Need.UNKNOWN
            if lifted is Need.NO:  # the exchange shows the condition does not hold
                yield cls.hit(
                    ctx,
                    section=ban.section,
                    field=ban.field,
                    when=RuleWords(ban.when),
                )


RULES: tuple[type[Rule], ...] = (
    RequiredFieldMissing,
    RecommendedFieldMissing,
    OptionalFieldMissing,
    ConditionalFieldMissing,
    FieldForbidden,
)
