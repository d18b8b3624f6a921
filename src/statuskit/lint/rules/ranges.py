"""206 and 416 against the request's Range and the representation (RFC 9110 §14, §15.3.7, §15.5.17).

httplint checks the syntax of Content-Range, a 206 or 416 without a Range
in the request, a 206 without Content-Range and a 416 without it; the rules
here compare the numbers: what was asked for, what was sent, and how long the
content really is.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint._ranges import ContentRange, RangeSpec, parse_content_range, parse_range
from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule

# RFC 9110 §15.5.17 lets a server refuse "an excessive number of small or
# overlapping ranges" with 416 even when they are satisfiable; a request for one
# or two ranges is no such thing (§14.2 names "more than two overlapping ranges").
FEW_RANGES = 2


def _requested(ctx: Context) -> list[RangeSpec] | None:
    return parse_range(ctx.request_fields.get("Range")) if ctx.request is not None else None


def _content_range(ctx: Context) -> ContentRange | None:
    return parse_content_range(ctx.fields.get("Content-Range"))


def _multipart(ctx: Context) -> bool:
    return ctx.fields.media_type() == semantics.MULTIPART_BYTERANGES


class RangeResponseToNonGet(Rule):
    """A 206 or 416 to a method other than GET, whose Range the server had to ignore."""

    id = "range-response-to-non-get"
    severity = Severity.ERROR
    section = semantics.RANGE_SECTION
    example = {"code": 206, "reason": "Partial Content", "method": "POST"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code in (206, 416) and ctx.method is not None and not semantics.answers_range(ctx.method):
            yield cls.hit(ctx)


class PartialLengthMismatch(Rule):
    """A single-part 206 whose content is not the size of the range its Content-Range names."""

    id = "partial-length-mismatch"
    severity = Severity.ERROR
    section = "RFC 9110 §15.3.7.1"
    example = {"value": "bytes 0-9/100", "span": 10, "length": 12}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 206 or _multipart(ctx):
            return
        cr = _content_range(ctx)
        if cr is None or cr.unsatisfied or cr.unit != "bytes":
            return
        # What arrived, else what the header section announced.
        length = ctx.content_size()
        if length is None:
            length = ctx.fields.content_length()
        if length is not None and (ctx.method or "GET") != "HEAD" and length != cr.span:
            yield cls.hit(ctx, value=ctx.fields.get("Content-Range"), span=cr.span, length=length)


class PartialRangeNotRequested(Rule):
    """A single-part 206 enclosing a range that overlaps none of the ranges requested."""

    id = "partial-range-not-requested"
    severity = Severity.WARNING
    section = semantics.RANGE_SECTION
    example = {"value": "bytes 50-59/100", "requested": "0-9"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 206 or _multipart(ctx):
            return
        cr, specs = _content_range(ctx), _requested(ctx)
        if cr is None or cr.unsatisfied or cr.unit != "bytes" or not specs:
            return
        assert cr.first is not None and cr.last is not None
        spans = []
        for spec in specs:
            if cr.complete is not None:
                span = spec.resolve(cr.complete)
            elif spec.first is not None:  # without the length only int-ranges can be placed
                span = (spec.first, spec.last if spec.last is not None else cr.last)
            else:
                return
            if span is not None:
                spans.append(span)
        if spans and not any(first <= cr.last and cr.first <= last for first, last in spans):
            yield cls.hit(ctx, value=ctx.fields.get("Content-Range"), requested=",".join(str(s) for s in specs))


class MultipartForSingleRange(Rule):
    """A multipart/byteranges 206 answering a request for one range."""

    id = "multipart-for-single-range"
    severity = Severity.ERROR
    section = semantics.MULTIPART_SECTION
    example = {"requested": "0-9"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        specs = _requested(ctx)
        if ctx.code == 206 and _multipart(ctx) and specs is not None and len(specs) == 1:
            yield cls.hit(ctx, requested=str(specs[0]))


class MultipartWithContentRange(Rule):
    """A multipart 206 with Content-Range in its header section (each part carries its own)."""

    id = "multipart-with-content-range"
    severity = Severity.ERROR
    section = semantics.MULTIPART_SECTION
    example = {"value": "bytes 0-9/100"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code == 206 and _multipart(ctx) and "Content-Range" in ctx.fields:
            yield cls.hit(ctx, value=ctx.fields.get("Content-Range"))

    @classmethod
    def overrides(cls, ctx: Context) -> frozenset[str]:
        # httplint asks every 206 for a top-level Content-Range, which §15.3.7.2
        # forbids on a multipart one: its note is wrong there.
        if ctx.code == 206 and _multipart(ctx):
            return frozenset({"PARTIAL_WITHOUT_RANGE"})
        return frozenset()


class RangeWasSatisfiable(Rule):
    """A 416 whose own Content-Range shows that a requested range could have been served."""

    id = "range-was-satisfiable"
    severity = Severity.WARNING
    section = semantics.RANGE_SECTION
    example = {"length": 100, "spec": "0-9"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 416 or (ctx.method is not None and not semantics.answers_range(ctx.method)):
            return
        cr, specs = _content_range(ctx), _requested(ctx)
        if cr is None or cr.complete is None or cr.unit != "bytes" or not specs or len(specs) > FEW_RANGES:
            return
        for spec in specs:
            if semantics.byte_range_satisfiable(spec.first, spec.suffix, cr.complete):
                yield cls.hit(ctx, length=cr.complete, spec=str(spec))
                return


RULES: tuple[type[Rule], ...] = (
    RangeResponseToNonGet,
    PartialLengthMismatch,
    PartialRangeNotRequested,
    MultipartForSingleRange,
    MultipartWithContentRange,
    RangeWasSatisfiable,
)
