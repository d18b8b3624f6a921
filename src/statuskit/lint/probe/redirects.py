"""Redirects and authentication: does a 3xx lead somewhere, and can a 401's challenge be read?

Whether a redirect must carry Location is `semantics.required_fields`; the
hops are followed with GET on the same origin only (the probe asks one
server, not the ones it points to), at most `MAX_HOPS` of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from statuskit import semantics
from statuskit.lint.model import Finding, Severity
from statuskit.lint.probe._base import Baseline, Check, Probe, Skip
from statuskit.lint.probe.session import Session

MAX_HOPS = 5

NO_LOCATION = Check("probe-redirect-without-location", Severity.ERROR, "RFC 9110 §15.4")
BAD_LOCATION = Check("probe-redirect-bad-location", Severity.ERROR, "RFC 9110 §10.2.2")
LOOP = Check("probe-redirect-loop", Severity.WARNING, "RFC 9110 §15.4")
TOO_MANY = Check("probe-redirect-chain-long", Severity.INFO, "RFC 9110 §15.4")
DEAD_END = Check("probe-redirect-dead-end", Severity.WARNING, "RFC 9110 §15.4")
NO_CHALLENGE = Check("probe-challenge-unreadable", Severity.ERROR, "RFC 9110 §11.6.1")

# Octets a URI-reference never holds unencoded (RFC 3986 §2; whitespace, controls, <, >, ").
_NOT_URI = re.compile(r'[\x00-\x20<>"\x7f]')
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PARAM = rf"{_TOKEN}[ \t]*=[ \t]*(?:{_TOKEN}|{_QUOTED})"
_TOKEN68 = r"[A-Za-z0-9._~+/-]+=*"
# §11.6.1 / §11.2: challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], and the field is #challenge.
_CHALLENGE = re.compile(rf"{_TOKEN}(?: +(?:{_TOKEN68}(?=[ \t]*(?:,|$))|{_PARAM}(?:[ \t]*,[ \t]*{_PARAM})*))?")
_LIST = re.compile(rf"[ \t,]*{_CHALLENGE.pattern}(?:[ \t]*,[ \t,]*(?:{_PARAM}|{_CHALLENGE.pattern}))*[ \t,]*")


def challenges_parse(value: str) -> bool:
    """Does a WWW-Authenticate / Proxy-Authenticate value hold at least one well-formed challenge?"""
    return bool(value.strip()) and _LIST.fullmatch(value) is not None


def _same_origin(a: str, b: str) -> bool:
    x, y = urlsplit(a), urlsplit(b)
    return (x.scheme, x.hostname, x.port) == (y.scheme, y.hostname, y.port)


def follow(session: Session, base: Baseline) -> Iterator[Finding]:
    if not 300 <= base.status < 400 or base.status == 304:
        raise Skip("not-redirect", status=base.status)
    seen = [session.url]
    status, fields, here = base.status, base.fields, session.url
    for hops in range(1, MAX_HOPS + 1):
        location = fields.get("Location")
        if location is None:
            levels = {r.field: r for r in semantics.required_fields(status) if r.field == "Location"}
            rule = levels.get("Location")
            if rule is not None:
                severity = Severity.ERROR if rule.level is semantics.Level.MUST else Severity.WARNING
                check = Check(NO_LOCATION.rule, severity, rule.section)
                yield check.finding(status)
            return
        try:
            nxt = urljoin(here, location.strip())
            parts = urlsplit(nxt)
            parts.port  # noqa: B018 - raises for a port that is not a number
        except ValueError:
            nxt = ""
        if not nxt or _NOT_URI.search(location.strip()):
            yield BAD_LOCATION.finding(status, location=location)
            return
        if parts.scheme not in ("http", "https") or not _same_origin(session.url, nxt):
            return  # another origin: not this probe's to ask
        if nxt in seen:
            yield LOOP.finding(status, target=urlsplit(nxt).path or "/", hops=hops)
            return
        seen.append(nxt)
        sent = session.send("GET", url=nxt)
        if sent.response is None:
            yield DEAD_END.finding(0, target=sent.target, status=sent.error)
            return
        status, fields, here = sent.status, sent.response.fields, nxt
        if not 300 <= status < 400 or status == 304:
            if status >= 400:
                yield DEAD_END.finding(status, target=sent.target)
            return
    yield TOO_MANY.finding(status, hops=MAX_HOPS)


def challenge(session: Session, base: Baseline) -> Iterator[Finding]:
    field = {401: "WWW-Authenticate", 407: "Proxy-Authenticate"}.get(base.status)
    if field is None:
        raise Skip("not-challenge", status=base.status)
    values = base.fields.get_all(field)
    if not values:
        rule = next(r for r in semantics.required_fields(base.status) if r.field == field)
        yield NO_CHALLENGE.finding(base.status, section=rule.section, field=field, value="(absent)")
        return
    value = ", ".join(values)
    if not challenges_parse(value):
        yield NO_CHALLENGE.finding(base.status, field=field, value=value)


PROBES = (
    Probe("redirects.follow", "redirects", "RFC 9110 §15.4", follow, values={"hops": MAX_HOPS}),
    Probe("auth.challenge", "auth", "RFC 9110 §11.6.1", challenge),
)
