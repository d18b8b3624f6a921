"""`/range/{n}`: n deterministic bytes that support byte ranges (RFC 9110 §14), under httpbin's name.

    no Range (or HEAD)     200, Accept-Ranges: bytes, ETag "range-{n}", Last-Modified
    one range              206 with Content-Range: bytes first-last/n
    several ranges         206 multipart/byteranges, a Content-Range in each part and none above
    none satisfiable       416 with Content-Range: bytes */n
    more than --max-ranges 416 (RFC 9110 §15.5.17: "an excessive number of ... ranges")
    invalid Range          ignored: 200 with everything (§14.2)
    If-Range               a strong ETag or the exact Last-Modified, else 200 with everything (§13.1.5)

The preconditions come first (§14.2: "The Range header field is evaluated
after evaluating the precondition header fields"), through
`semantics.evaluate_preconditions` like every resource with validators.
"""

from __future__ import annotations

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Fault, FaultKind, Plan
from statuskit.responder.ranges import (
    RangeAnswer,
    content_range,
    deterministic_bytes,
    multipart_byteranges,
    select_ranges,
    unsatisfied_range,
)
from statuskit.responder.request import Request
from statuskit.responder.resources.base import GET_ONLY, Resource, milliseconds, not_found, query
from statuskit.responder.resources.conditional import FIXED_LAST_MODIFIED, Validators, check_preconditions
from statuskit.semantics import EntityTag

OCTETS = "application/octet-stream"


class RangeRoute(Resource):
    endpoints = (
        (
            "/range/{n}",
            "n bytes of a-z repeated: Range -> 206 (multipart/byteranges for several), 416, If-Range; ?duration=ms",
        ),
    )
    methods = GET_ONLY

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def _length(self, text: str) -> int:
        cap = self.config.max_range_bytes
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            raise RequestError(detail=f"/range/{{n}}: {text[:40]!r} is not a number of bytes (0-{cap})")
        n = int(text)
        if n > cap:
            raise RequestError(
                detail=f"/range/{{n}}: {n} bytes is over the server's limit of {cap} bytes (--max-range-bytes)"
            )
        return n

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 1:
            return not_found(request, f"nothing at {request.path[:100]}: ask for /range/{{n}}")
        if not rest or not rest[0]:
            raise RequestError(
                detail=f"no length in the path: ask for /range/1024 (at most {self.config.max_range_bytes} bytes)"
            )
        self.methods.check(request)
        n = self._length(rest[0])
        found = query(request, ("duration",))
        fault = None
        if "duration" in found:
            # httpbin's ?duration=: the content is spread over that long.
            seconds = milliseconds("duration", found["duration"], self.config.max_sleep_ms)
            fault = Fault(kind=FaultKind.DRIBBLE, duration=seconds)
        validators = Validators(
            etag=EntityTag(f"range-{n}"), last_modified=FIXED_LAST_MODIFIED, cache_control="no-cache"
        )
        failed, outcome = check_preconditions(request, validators, reusable=False)
        if failed is not None:
            return failed
        fields = (("Accept-Ranges", "bytes"), *validators.fields())
        # §14.2: only GET has range handling; a false If-Range means "send me the entire representation".
        value = request.header("range") if request.method == "GET" and outcome.use_range else None
        selection = select_ranges(value, n, max_ranges=self.config.max_ranges)
        answer = selection.answer
        if answer is RangeAnswer.WHOLE:
            return compose(request, 200, content=(deterministic_bytes(n), OCTETS), fields=fields, fault=fault)
        if answer is RangeAnswer.PARTS and len(selection.parts) == 1:
            first, last = selection.parts[0]
            return compose(
                request,
                206,
                content=(deterministic_bytes(last - first + 1, first), OCTETS),
                fields=(*fields, ("Content-Range", content_range(first, last, n))),
                vary="",
                fault=fault,
            )
        if answer is RangeAnswer.PARTS:
            # §15.3.7.2: the parts in multipart/byteranges, no Content-Range above them.
            body, content_type = multipart_byteranges(selection.parts, n, OCTETS)
            return compose(request, 206, content=(body, content_type), fields=fields, vary="", fault=fault)
        if answer is RangeAnswer.EXCESSIVE:
            detail = (
                f"{selection.requested} ranges in one request is more than this server serves "
                f"({self.config.max_ranges}, --max-ranges; RFC 9110 §15.5.17)"
            )
        else:
            detail = (
                f"no range in {(request.header('range') or '')[:100]!r} is satisfiable against {n} bytes (RFC 9110 "
                f"§14.1.2)"
            )
        return compose(
            request,
            416,
            fields=(("Accept-Ranges", "bytes"), ("Content-Range", unsatisfied_range(n))),
            detail=detail,
        )
