"""statuskit.lint.probe: ask a server the questions that show whether it uses its status codes right.

    from statuskit.lint.probe import probe_url

    report = probe_url("http://127.0.0.1:8080/etag/x", groups=["validators", "ranges"])
    for result in report.results:
        print(result.probe.id, result.outcome, [f.rule for f in result.findings])

From one URL's answer to a plain GET (the baseline) each probe derives a
request - a conditional GET with the ETag received, a Range, a HEAD, a
request line no server should take - sends it, and checks the answer against
the codes `statuskit.semantics` gives for it. Groups, one module each:

    validators   If-None-Match / If-Modified-Since with the validators received; If-Match on a PUT (--unsafe)
    ranges       bytes=0-0, a range past the end, a stale If-Range
    methods      HEAD against GET, OPTIONS; a method Allow leaves out and one nobody has (--unsafe)
    limits       a long target, a large header field, an unknown Expect, a broken request line, HTTP/2.0
    negotiation  an Accept nothing satisfies; Accept-Encoding: gzip against identity
    redirects    a 3xx's Location, followed on the same origin
    auth         a 401's (407's) challenge

Polite by construction: requests go one at a time, at most
`session.MAX_REQUESTS` per URL, `delay` seconds apart, with a User-Agent that
says what sent them. Probes whose method is not safe (RFC 9110 §9.2.1) run
only with `unsafe=True`: a server that ignores the If-Match of the PUT probe
replaces the resource, which is what the probe is there to find out.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field

from statuskit.errors import StatuskitError
from statuskit.lint.probe import (
    _base,
    limits,
    methods,
    negotiation,
    ranges,
    redirects,
    validators,
)
from statuskit.lint.probe._base import Baseline, Check, Probe, Result, Sent, Skip
from statuskit.lint.probe.session import MAX_REQUESTS, Session

PROBES: tuple[Probe, ...] = (
    *validators.PROBES,
    *ranges.PROBES,
    *methods.PROBES,
    *limits.PROBES,
    *negotiation.PROBES,
    *redirects.PROBES,
)
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(p.group for p in PROBES))
BY_ID: dict[str, Probe] = {p.id: p for p in PROBES}
# Every kind of finding the probes make (the docs list them; the tests see each made).
CHECKS: tuple[Check, ...] = tuple(
    value
    for module in (_base, validators, ranges, methods, limits, negotiation, redirects)
    for value in vars(module).values()
    if isinstance(value, Check)
)


class ProbeError(StatuskitError, ValueError):
    """A probe selection that names no group or probe."""


def select(spec: str | Iterable[str] | None = None) -> tuple[Probe, ...]:
    """The probes a selection names: groups (`ranges`) or probe ids (`methods.head`), comma-separated.

    None or "all" selects every probe.
    """
    if spec is None:
        return PROBES
    names = [n.strip() for n in (spec.split(",") if isinstance(spec, str) else spec) if n.strip()]
    if not names or names == ["all"]:
        return PROBES
    chosen: list[Probe] = []
    for name in names:
        found = [p for p in PROBES if p.group == name or p.id == name]
        if not found:
            raise ProbeError(
                f"no probe or group {name!r}; groups: {', '.join(GROUPS)} (statuskit check --probe --list)"
            )
        chosen.extend(p for p in found if p not in chosen)
    return tuple(p for p in PROBES if p in chosen)  # always in the listed order: later probes use what earlier ones saw


@dataclass
class UrlReport:
    """Every probe's result for one URL; `error` when the baseline GET got no answer."""

    url: str
    baseline: Sent | None
    results: list[Result] = field(default_factory=list)
    requests: int = 0
    error: str = ""


# The baseline asks for the identity coding, so that lengths are the representation's own and the
# Accept-Encoding probe has an uncoded answer to compare with.
BASELINE_FIELDS = (("Accept-Encoding", "identity"),)


def probe_url(
    url: str,
    groups: str | Iterable[str] | None = None,
    *,
    unsafe: bool = False,
    delay: float = 0.0,
    timeout: float = 10.0,
    client: str = "auto",
    context: ssl.SSLContext | None = None,
) -> UrlReport:
    """Probe one URL: the baseline GET, then each selected probe in order.

    `context` checks certificates for https:// (`statuskit.lint.fetch.tls_context`: --cacert, --insecure).
    """
    chosen = select(groups)
    session = Session(url, timeout=timeout, delay=delay, client=client, context=context)
    sent = session.send("GET", BASELINE_FIELDS)
    report = UrlReport(url, sent)
    if sent.response is None:
        report.error = sent.error
        report.requests = session.count
        return report
    base = Baseline(sent.response)
    report.results = [Result(probe) for probe in chosen]
    # Unsafe probes go last, so that a server that lets one change the resource does not skew the others.
    for result in sorted(report.results, key=lambda r: r.probe.unsafe):
        probe = result.probe
        if probe.unsafe and not unsafe:
            result.skipped = Skip("unsafe").reason
            continue
        before = len(session.log)
        try:
            result.findings = list(probe.run(session, base))
        except Skip as exc:
            result.skipped = exc.reason
        result.sent = session.log[before:]
        if not result.sent and result.findings:
            result.sent = [sent]  # the finding is about the baseline's answer itself
    report.requests = session.count
    return report


__all__ = [
    "BY_ID",
    "CHECKS",
    "GROUPS",
    "MAX_REQUESTS",
    "PROBES",
    "Baseline",
    "Check",
    "Probe",
    "ProbeError",
    "Result",
    "Sent",
    "Skip",
    "UrlReport",
    "probe_url",
    "select",
]
