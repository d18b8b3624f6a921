"""Validators: are the ETag and Last-Modified a server sends honoured when a client sends them back?

The code each conditional request deserves is what
`semantics.evaluate_preconditions` (the test server's own evaluation of RFC
9110 §13.2.2) gives for the validators the GET's answer carried; the probe
only compares.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint.model import Finding, Severity
from statuskit.lint.probe._base import Baseline, Check, Probe, Skip, judge, reason
from statuskit.lint.probe.session import Session

# An entity-tag no resource has: the probe's conditions on it are false (If-Match) or true (If-None-Match).
NO_SUCH_TAG = '"statuskit-probe-no-such-tag"'

MISSED_304 = Check("probe-not-modified-missing", Severity.ERROR, "RFC 9110 §13.1.2")
MISSED_304_DATE = Check("probe-not-modified-by-date-missing", Severity.WARNING, "RFC 9110 §13.1.3")
FALSE_304 = Check("probe-not-modified-for-other-tag", Severity.ERROR, "RFC 9110 §13.1.2")
IF_MATCH_IGNORED = Check("probe-if-match-ignored", Severity.ERROR, "RFC 9110 §13.1.1")


def _no_etag() -> Skip:
    return Skip("no-etag")


def _validators(base: Baseline) -> tuple[str | None, int | None]:
    etag = base.fields.get("ETag")
    tag = etag if semantics.parse_entity_tag(etag) is not None else None
    return tag, semantics.parse_http_date(base.fields.get("Last-Modified"))


def _want(base: Baseline, method: str, fields: list[tuple[str, str]]) -> int:
    tag, modified = _validators(base)
    outcome = semantics.evaluate_preconditions(method, fields, etag=tag, last_modified=modified)
    return outcome.status if outcome.status is not None else base.status


def _need_2xx(base: Baseline) -> None:
    if not base.ok:
        # §13.2.1: preconditions are ignored when the answer without them is not 2xx or 412.
        raise Skip("preconditions-not-2xx", status=base.status)


def if_none_match(session: Session, base: Baseline) -> Iterator[Finding]:
    _need_2xx(base)
    tag, _ = _validators(base)
    if tag is None:
        raise _no_etag()
    fields = [("If-None-Match", tag)]
    want = _want(base, "GET", fields)
    sent = session.send("GET", fields)
    # The linter checks the 304's form: the ETag it repeats (precondition-outcome-mismatch), no content.
    yield from judge(sent, {want}, MISSED_304, earlier_ok=base.fields, tag=tag, want=reason(want))


def if_none_match_other(session: Session, base: Baseline) -> Iterator[Finding]:
    _need_2xx(base)
    tag, _ = _validators(base)
    if tag is None:
        raise _no_etag()
    fields = [("If-None-Match", NO_SUCH_TAG)]
    want = _want(base, "GET", fields)
    sent = session.send("GET", fields)
    yield from judge(sent, {want}, FALSE_304, tag=NO_SUCH_TAG, want=reason(want))


def if_modified_since(session: Session, base: Baseline) -> Iterator[Finding]:
    _need_2xx(base)
    date = base.fields.get("Last-Modified")
    if _validators(base)[1] is None or date is None:
        raise Skip("no-last-modified")
    fields = [("If-Modified-Since", date)]
    want = _want(base, "GET", fields)
    sent = session.send("GET", fields)
    yield from judge(sent, {want}, MISSED_304_DATE, earlier_ok=base.fields, date=date, want=reason(want))


def if_match(session: Session, base: Baseline) -> Iterator[Finding]:
    _need_2xx(base)
    fields = [("If-Match", NO_SUCH_TAG), ("Content-Type", "text/plain")]
    want = _want(base, "PUT", fields)
    sent = session.send("PUT", fields, b"statuskit probe: this PUT must fail its If-Match\n")
    # §13.2.1: checks made before the precondition (405 for a resource without PUT, 401, 403 ...)
    # take precedence; only performing the PUT (a 2xx) is wrong.
    if sent.response is not None and not 200 <= sent.status < 300:
        return
    yield from judge(sent, {want}, IF_MATCH_IGNORED, tag=NO_SUCH_TAG, want=reason(want))


PROBES = (
    Probe("validators.if-none-match", "validators", "RFC 9110 §13.1.2", if_none_match),
    Probe("validators.if-none-match-other", "validators", "RFC 9110 §13.1.2", if_none_match_other),
    Probe("validators.if-modified-since", "validators", "RFC 9110 §13.1.3", if_modified_since),
    Probe("validators.if-match", "validators", "RFC 9110 §13.1.1", if_match, unsafe=True),
)
