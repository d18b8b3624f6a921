"""Negotiation: an Accept nothing satisfies, and Accept-Encoding: gzip against the GET sent with identity.

A server may refuse with 406 or ignore the field (RFC 9110 §12.5.1); either
way, an answer chosen by a request field should say so in Vary (§12.5.5), and
two answers to the same URL that differ by coding should agree about it.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit.lint.model import Fields, Finding, Severity
from statuskit.lint.probe._base import Baseline, Check, Probe, Skip, judge, reason
from statuskit.lint.probe.session import Session
from statuskit.registry.catalogue import Text

NOTHING = "application/x-statuskit-probe"
# TODO(semantics): 406 as the refusal of a negotiation field (RFC 9110 §15.5.7, §12.5.1).
NOT_ACCEPTABLE = 406

ACCEPT_WRONG = Check("probe-unacceptable-wrong-code", Severity.WARNING, "RFC 9110 §12.5.1")
VARY_MISSING = Check("probe-vary-missing", Severity.WARNING, "RFC 9110 §12.5.5")
VARY_DIFFERS = Check("probe-vary-inconsistent", Severity.WARNING, "RFC 9110 §12.5.5")
ENCODING_WRONG = Check("probe-encoding-wrong-code", Severity.WARNING, "RFC 9110 §12.5.3")
CODING_NOT_ASKED = Check("probe-coding-not-accepted", Severity.WARNING, "RFC 9110 §12.5.3")


def _vary(fields: Fields) -> set[str]:
    return set(fields.tokens("Vary"))


def _coding(fields: Fields) -> str:
    return ",".join(t for t in fields.tokens("Content-Encoding") if t != "identity")


def _not_2xx(base: Baseline) -> Skip:
    return Skip("negotiation-not-2xx", status=base.status)


def accept(session: Session, base: Baseline) -> Iterator[Finding]:
    if not base.ok:
        raise _not_2xx(base)
    sent = session.send("GET", [("Accept", NOTHING)])
    yield from judge(
        sent,
        {NOT_ACCEPTABLE, base.status},
        ACCEPT_WRONG,
        accept=NOTHING,
        want=reason(NOT_ACCEPTABLE),
        base=reason(base.status),
    )
    if sent.response is None:
        return
    vary = _vary(sent.response.fields)
    if sent.status == NOT_ACCEPTABLE and "accept" not in _vary(base.fields) and "*" not in _vary(base.fields):
        # The 406 shows the 200 was chosen by Accept.
        yield VARY_MISSING.finding(
            base.status,
            which=Text("lint", "negotiation.which.plain"),
            field="Accept",
            differ=Text("lint", "negotiation.differ.codes", {"base": base.status, "sent": sent.status}),
        )
    elif sent.status == base.status and "accept" in _vary(base.fields) and not {"accept", "*"} & vary:
        yield VARY_MISSING.finding(
            sent.status,
            which=Text("lint", "negotiation.which.default"),
            field="Accept",
            differ=Text("lint", "negotiation.differ.listed"),
        )


def encoding(session: Session, base: Baseline) -> Iterator[Finding]:
    if not base.ok:
        raise _not_2xx(base)
    sent = session.send("GET", [("Accept-Encoding", "gzip")])
    yield from judge(sent, {base.status}, ENCODING_WRONG, want=reason(base.status))
    if sent.response is None or sent.status != base.status:
        return
    coding = _coding(sent.response.fields)
    if coding and coding != "gzip":
        yield CODING_NOT_ASKED.finding(sent.status, accepted="gzip", coding=coding)
    base_coding = _coding(base.fields)
    if base_coding:
        yield CODING_NOT_ASKED.finding(base.status, accepted="identity", coding=base_coding)
    vary, base_vary = _vary(sent.response.fields), _vary(base.fields)
    if coding != base_coding:
        for which, fields in (("gzip", vary), ("identity", base_vary)):
            if not {"accept-encoding", "*"} & fields:
                yield VARY_MISSING.finding(
                    sent.status,
                    which=Text("lint", f"negotiation.which.{which}"),
                    field="Accept-Encoding",
                    differ=Text("lint", "negotiation.differ.coding"),
                )
    elif ("accept-encoding" in vary) != ("accept-encoding" in base_vary):
        yield VARY_DIFFERS.finding(
            sent.status, got=sent.response.fields.get("Vary") or "(none)", want=base.fields.get("Vary") or "(none)"
        )


PROBES = (
    Probe("negotiation.accept", "negotiation", "RFC 9110 §12.5.1", accept, values={"accept": NOTHING}),
    Probe("negotiation.encoding", "negotiation", "RFC 9110 §12.5.3", encoding),
)
