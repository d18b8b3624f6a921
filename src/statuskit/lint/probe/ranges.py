"""Ranges: a one-octet range, a range past the end, and a range behind a stale If-Range.

A server may ignore Range (RFC 9110 §14.2) and answer 200; what it may not do
is send a part that is not the one asked for, a 206 for a range that cannot
be satisfied, or a 206 when If-Range says the client's copy is stale.
Whether a range is satisfiable is `semantics.byte_range_satisfiable`; what an
If-Range decides is `semantics.evaluate_preconditions`.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint._ranges import parse_content_range
from statuskit.lint.model import Finding, Response, Severity
from statuskit.lint.probe._base import Baseline, Check, Probe, Skip, judge, reason
from statuskit.lint.probe.session import Session
from statuskit.lint.probe.validators import NO_SUCH_TAG
from statuskit.registry.catalogue import Text

# TODO(semantics): the code of a partial answer and of an unsatisfiable range (RFC 9110 §15.3.7, §15.5.17);
# semantics names RANGE_METHODS but not these two codes. The integrator may move them there.
PARTIAL, NOT_SATISFIABLE = 206, 416

WRONG_FOR_RANGE = Check("probe-range-wrong-code", Severity.ERROR, "RFC 9110 §14.2")
WRONG_PART = Check("probe-range-wrong-part", Severity.ERROR, "RFC 9110 §15.3.7.1")
ADVERTISED_NOT_DONE = Check("probe-accept-ranges-but-no-range", Severity.INFO, "RFC 9110 §14.3")
UNSATISFIED_LENGTH = Check("probe-unsatisfiable-range-length", Severity.WARNING, "RFC 9110 §15.5.17")
STALE_RANGE = Check("probe-if-range-ignored", Severity.ERROR, "RFC 9110 §13.1.5")


def _length(base: Baseline) -> int:
    if base.status != 200 or not semantics.answers_range("GET"):
        raise Skip("ranges-not-200", status=base.status)
    length = base.length()
    if not length:
        raise Skip("no-content")
    return length


def _advertised(base: Baseline, answer: Response | None) -> bool:
    fields = [base.fields] if answer is None else [base.fields, answer.fields]
    return any("bytes" in f.tokens("Accept-Ranges") for f in fields)


def first_byte(session: Session, base: Baseline) -> Iterator[Finding]:
    length = _length(base)
    spec = "bytes=0-0"
    sent = session.send("GET", [("Range", spec)])
    allowed = {PARTIAL, base.status}  # §14.2: a server MAY ignore Range
    yield from judge(
        sent,
        allowed,
        WRONG_FOR_RANGE,
        earlier_ok=base.fields,
        range=spec,
        length=length,
        satisfiable=Text("lint", "ranges.satisfiable"),
        want=f"{reason(PARTIAL)} (or {base.status})",
    )
    if sent.status == PARTIAL and sent.response is not None:
        value = sent.response.fields.get("Content-Range")
        got = parse_content_range(value)
        if value is not None and (got is None or (got.first, got.last, got.complete) != (0, 0, length)):
            yield WRONG_PART.finding(sent.status, range=spec, got=value, first=0, last=0, length=length)
    elif sent.status == base.status and _advertised(base, sent.response):
        yield ADVERTISED_NOT_DONE.finding(sent.status, range=spec)


def unsatisfiable(session: Session, base: Baseline) -> Iterator[Finding]:
    length = _length(base)
    assert not semantics.byte_range_satisfiable(length, None, length)
    spec = f"bytes={length}-"
    sent = session.send("GET", [("Range", spec)])
    yield from judge(
        sent,
        {NOT_SATISFIABLE, base.status},
        WRONG_FOR_RANGE,
        earlier_ok=base.fields,
        range=spec,
        length=length,
        satisfiable=Text("lint", "ranges.unsatisfiable"),
        want=f"{reason(NOT_SATISFIABLE)} (or {base.status})",
    )
    if sent.status == NOT_SATISFIABLE and sent.response is not None:
        value = sent.response.fields.get("Content-Range")
        got = parse_content_range(value)
        if value is not None and (got is None or not got.unsatisfied or got.complete != length):
            yield UNSATISFIED_LENGTH.finding(sent.status, range=spec, got=value, length=length)


def if_range_stale(session: Session, base: Baseline) -> Iterator[Finding]:
    _length(base)
    spec = "bytes=0-0"
    fields = [("Range", spec), ("If-Range", NO_SUCH_TAG)]
    outcome = semantics.evaluate_preconditions("GET", fields)
    assert not outcome.use_range
    sent = session.send("GET", fields)
    yield from judge(sent, {base.status}, STALE_RANGE, range=spec, tag=NO_SUCH_TAG, want=reason(base.status))


PROBES = (
    Probe("ranges.first-byte", "ranges", "RFC 9110 §14.2", first_byte),
    Probe("ranges.unsatisfiable", "ranges", "RFC 9110 §15.5.17", unsatisfiable),
    Probe("ranges.if-range-stale", "ranges", "RFC 9110 §13.1.5", if_range_stale),
)
