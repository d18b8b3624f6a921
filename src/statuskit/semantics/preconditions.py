"""The evaluation of a request's preconditions, written once, in the order RFC 9110 gives.

RFC 9110 §13.1.1-§13.1.5 (If-Match, If-None-Match, If-Modified-Since,
If-Unmodified-Since, If-Range), §13.2.1 (when preconditions apply), §13.2.2
(their order), §8.8.2.2 (when a date is a strong validator); RFC 6585 §3 (428).

Every resource of the test server that has validators answers through
`evaluate_preconditions`, and the linter asks it what a 304 or 412 should
have been. Its order is the RFC's, not the one of the webmachine-style
decision graphs (which test If-Unmodified-Since even when If-Match is
present, and If-Modified-Since next to If-None-Match).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from statuskit.semantics.dates import parse_http_date
from statuskit.semantics.entity_tags import EntityTag, parse_entity_tag, parse_entity_tags
from statuskit.semantics.requests import NOT_MODIFIED_METHODS

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from statuskit.semantics._status import NamedTuple

# RFC 6585 §3: 428 asks for a conditional request, to avoid the "lost update"
# problem. If-Match and If-Unmodified-Since guard an existing representation;
# If-None-Match: * guards against creating over one (§13.1.2).
CONDITIONAL_WRITE_FIELDS = ("If-Match", "If-None-Match", "If-Unmodified-Since")

# §13.2.1: conditional fields are ignored with methods that neither select nor
# modify a representation, such as CONNECT, OPTIONS and TRACE.
PRECONDITION_FREE_METHODS = frozenset({"CONNECT", "OPTIONS", "TRACE"})


class PreconditionOutcome(NamedTuple):
    """What the preconditions of a request decide (RFC 9110 §13.2.2).

    `status` is 304 or 412 when a precondition failed and that is the answer,
    None when the server goes on to perform the method. `field` names the
    precondition that decided it and `section` the rule applied. `use_range`
    is False when If-Range evaluated false: the Range field is then ignored
    and the whole representation sent with 200 (step 5). `evaluated` lists
    the fields evaluated, in order; fields that had to be ignored are not in it.
    """

    status: int | None
    field: str = ""
    section: str = ""
    use_range: bool = True
    evaluated: tuple[str, ...] = ()

    @property
    def proceed(self) -> bool:
        return self.status is None

    def as_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "evaluated": list(self.evaluated)}

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
            return PreconditionOutcome(
                None, "If-Range", "RFC 9110 §13.1.5", use_range=False, evaluated=tuple(evaluated)
            )
    return PreconditionOutcome(None, evaluated=tuple(evaluated))
