"""304 only as the outcome of a conditional GET or HEAD, and 304 rather than 412 there.

RFC 9110 §13.1.2, §13.2.2, §15.4.5.

httplint checks what a 304 carries (Date; no representation metadata); it
does not ask whether a 304 could be the answer at all. What a 304 must repeat
from the 200 (ETag and the rest) is a field rule (fields.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule
from statuskit.registry.catalogue import Text


class NotModifiedWithoutCondition(Rule):
    """A 304 to a GET or HEAD that carried neither If-None-Match nor If-Modified-Since."""

    id = "not-modified-without-condition"
    severity = Severity.ERROR
    section = semantics.NOT_MODIFIED_SECTION
    example = {"method": "GET"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 304 or ctx.method is None or ctx.method not in semantics.NOT_MODIFIED_METHODS:
            return
        if not semantics.may_answer_not_modified(ctx.method, ctx.request_fields.names()):
            yield cls.hit(ctx)


class NotModifiedWrongMethod(Rule):
    """A 304 to a method other than GET or HEAD, where a false If-None-Match gets 412."""

    id = "not-modified-wrong-method"
    severity = Severity.ERROR
    section = "RFC 9110 §13.1.2"
    example = {"method": "PUT"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code == 304 and ctx.method is not None and ctx.method not in semantics.NOT_MODIFIED_METHODS:
            yield cls.hit(ctx)


class PreconditionFailedForCacheCheck(Rule):
    """A 412 to a GET or HEAD whose only preconditions are If-None-Match or If-Modified-Since: that is a 304."""

    id = "precondition-failed-for-get"
    severity = Severity.ERROR
    section = "RFC 9110 §13.1.2"
    example = {"method": "GET", "fields": "If-None-Match"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 412 or ctx.method not in semantics.NOT_MODIFIED_METHODS:
            return
        present = [name for name in semantics.NOT_MODIFIED_PRECONDITIONS if name in ctx.request_fields]
        lost_update = any(name in ctx.request_fields for name in semantics.LOST_UPDATE_PRECONDITIONS)
        if present and not lost_update:
            yield cls.hit(ctx, fields=", ".join(present))


_OUTCOME: dict[int | None, str | Text] = {
    304: "304 Not Modified",
    412: "412 Precondition Failed",
    None: Text("lint", "precondition-outcome-mismatch.none"),
}


class PreconditionOutcomeMismatch(Rule):
    """A 304 or 412 that the request's preconditions, evaluated in the order of §13.2.2, do not give.

    The evaluation is `semantics.evaluate_preconditions`, the one the test
    server answers with, run against the validators the response itself
    carries (ETag, Last-Modified). It is judged only when every precondition
    the order reaches has its validator in the response, and not for a
    response from a cache (Age), which evaluates no If-Match.
    """

    id = "precondition-outcome-mismatch"
    severity = Severity.ERROR
    section = "RFC 9110 §13.2.2"
    example = {
        "code": 304,
        "reason": "Not Modified",
        "method": "GET",
        "validators": 'ETag: "v1"',
        "expected": "412 Precondition Failed",
        "why": " (If-Match, RFC 9110 §13.1.1)",
    }

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code not in (304, 412) or ctx.method is None or "Age" in ctx.fields:
            return
        method, asked = ctx.method, ctx.request_fields
        # Cases the rules above report already.
        if ctx.code == 304 and (
            method not in semantics.NOT_MODIFIED_METHODS or not semantics.may_answer_not_modified(method, asked.names())
        ):
            return
        etag_value, date_value = ctx.fields.get("ETag"), ctx.fields.get("Last-Modified")
        etag = semantics.parse_entity_tag(etag_value)
        date = semantics.parse_http_date(date_value)
        if (etag_value is not None and etag is None) or (date_value is not None and date is None):
            return  # a malformed validator is httplint's to report
        # The validator each precondition the order reaches compares with must be known.
        needs: list[bool] = []
        if "If-Match" in asked:
            needs.append(etag is not None or (asked.get("If-Match") or "").strip() == "*")
        elif "If-Unmodified-Since" in asked:
            needs.append(date is not None)
        if "If-None-Match" in asked:
            needs.append(etag is not None or (asked.get("If-None-Match") or "").strip() == "*")
        elif "If-Modified-Since" in asked and method in semantics.NOT_MODIFIED_METHODS:
            needs.append(date is not None)
        if not needs or not all(needs):
            return
        outcome = semantics.evaluate_preconditions(method, asked, etag, date)
        if outcome.status == ctx.code:
            return
        lost_update = any(name in asked for name in semantics.LOST_UPDATE_PRECONDITIONS)
        if ctx.code == 412 and outcome.status == 304 and not lost_update:
            return  # precondition-failed-for-get
        shown = [f"ETag: {etag_value}"] if etag_value is not None else []
        shown += [f"Last-Modified: {date_value}"] if date_value is not None else []
        why = f" ({outcome.field}, {outcome.section})" if outcome.field else ""
        yield cls.hit(
            ctx,
            validators=", ".join(shown),
            expected=_OUTCOME[outcome.status],
            why=why,
        )


RULES: tuple[type[Rule], ...] = (
    NotModifiedWithoutCondition,
    NotModifiedWrongMethod,
    PreconditionFailedForCacheCheck,
    PreconditionOutcomeMismatch,
)
