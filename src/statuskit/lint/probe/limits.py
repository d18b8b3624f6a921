"""Limits and errors: requests a server must refuse, and whether its refusal names the fault.

Each is written over a socket (no client sends them), once, bounded by
`session.RAW_MAX_SEND` and `session.RAW_TIMEOUT`. A server may accept a long
target or a large header section - limits are its own - so accepting is no
finding; blaming itself (5xx), saying nothing, or a vaguer code than the one
RFC 9110 / RFC 6585 define for the fault is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from statuskit import semantics
from statuskit.lint.model import Finding, Severity
from statuskit.lint.probe._base import Baseline, Check, Probe, Sent, judge, reason
from statuskit.lint.probe.session import Session, user_agent
from statuskit.registry.catalogue import Text

# Sizes: over the defaults of nginx (8 KiB per header line), h11 and statuskit serve (16 KiB of head),
# and within what the probe sends at most.
LONG_TARGET = 32 * 1024
LARGE_FIELD = 32 * 1024
# An expectation nobody defines (only 100-continue is, semantics.EXPECTATIONS).
UNKNOWN_EXPECTATION = "statuskit-probe"

# TODO(semantics): the code naming each fault: 414 (RFC 9110 §15.5.15), 431 (RFC 6585 §5), 417 (§15.5.18,
# §10.1.1), 400 (§15.5.1), 505 (§15.6.6). CLIENT_FAULTS holds 400 and 411 for content faults; these are
# faults of the request line and header section, and the integrator may move them there.
FAULTS: dict[str, tuple[int, str]] = {
    "long-target": (414, "RFC 9110 §15.5.15"),
    "large-header": (431, "RFC 6585 §5"),
    "unknown-expect": (417, "RFC 9110 §10.1.1"),
    "bad-request-line": (400, "RFC 9110 §15.5.1"),
    "version": (505, "RFC 9110 §15.6.6"),
}
# RFC 9112 §3: "Recipients of an invalid request-line SHOULD respond with either a 400 (Bad Request)
# error or a 301 (Moved Permanently) redirect with the request-target properly encoded."
INVALID_LINE_ANSWERS = frozenset({400, 301})
INVALID_LINE_SECTION = "RFC 9112 §3"

SERVER_BLAMED = Check("probe-server-error-for-bad-request", Severity.WARNING, "RFC 9110 §15.6")
VAGUER_CODE = Check("probe-vaguer-code", Severity.INFO, "RFC 9110 §15.5")
ACCEPTED_BROKEN = Check("probe-broken-request-accepted", Severity.WARNING, INVALID_LINE_SECTION)


def _head(session: Session, request_line: str, *fields: tuple[str, str]) -> bytes:
    lines = [request_line, f"Host: {session.authority}", f"User-Agent: {user_agent()}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in fields]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _judge(sent: Sent, fault: str, what: Text, *, strict: bool, base: Baseline) -> Iterator[Finding]:
    """`strict`: the request is invalid, so a 2xx-3xx is a finding; otherwise accepting it is the server's right."""
    want_code, section = FAULTS[fault]
    want = reason(want_code)
    values: dict[str, Any] = {"what": what, "want": want}
    if sent.response is None:
        yield from judge(sent, (), SERVER_BLAMED)
        return
    status = sent.status
    right = INVALID_LINE_ANSWERS if strict else {want_code}
    if status in right:
        yield from judge(sent, right, SERVER_BLAMED)
    elif status >= 500:
        yield SERVER_BLAMED.finding(status, **values)
    elif 400 <= status < 500:
        if not (not strict and status == base.status):
            yield VAGUER_CODE.finding(status, section=section, **values)
    elif strict:
        yield ACCEPTED_BROKEN.finding(status, **values)


def long_target(session: Session, base: Baseline) -> Iterator[Finding]:
    joiner = "&" if "?" in session.path else "?"
    target = f"{session.path}{joiner}statuskit-probe=" + "a" * LONG_TARGET
    sent = session.send_raw(
        _head(session, f"GET {target} HTTP/1.1"),
        method="GET",
        target=f"{session.path}{joiner}statuskit-probe=aaa...",
        note=f"a target of {len(target)} octets",
    )
    what = Text("lint", "limits.what.long-target", {"length": len(target)})
    yield from _judge(sent, "long-target", what, strict=False, base=base)


def large_header(session: Session, base: Baseline) -> Iterator[Finding]:
    value = "a" * LARGE_FIELD
    sent = session.send_raw(
        _head(session, f"GET {session.path} HTTP/1.1", ("X-Statuskit-Probe", value)),
        method="GET",
        target=session.path,
        fields=[("X-Statuskit-Probe", "aaa...")],
        note=f"a header field of {len(value)} octets",
    )
    what = Text("lint", "limits.what.large-header", {"length": len(value)})
    yield from _judge(sent, "large-header", what, strict=False, base=base)


def unknown_expect(session: Session, base: Baseline) -> Iterator[Finding]:
    assert UNKNOWN_EXPECTATION not in semantics.EXPECTATIONS
    fields = [("Expect", UNKNOWN_EXPECTATION)]
    sent = session.send_raw(
        _head(session, f"GET {session.path} HTTP/1.1", *fields), method="GET", target=session.path, fields=fields
    )
    # §10.1.1: 417 is a MAY; going on as if Expect were absent is allowed too.
    what = Text("lint", "limits.what.unknown-expect", {"expectation": UNKNOWN_EXPECTATION})
    yield from _judge(sent, "unknown-expect", what, strict=False, base=base)


def bad_request_line(session: Session, base: Baseline) -> Iterator[Finding]:
    line = f"GET {session.path}\x01 HTTP/1.1"
    sent = session.send_raw(
        _head(session, line), method="GET", target=session.path + "\\x01", note="a control character in the target"
    )
    what = Text("lint", "limits.what.bad-request-line")
    yield from _judge(sent, "bad-request-line", what, strict=True, base=base)


def version(session: Session, base: Baseline) -> Iterator[Finding]:
    sent = session.send_raw(
        _head(session, f"GET {session.path} HTTP/2.0"),
        method="GET",
        target=session.path,
        note="HTTP/2.0 in an HTTP/1.1-style request line",
    )
    what = Text("lint", "limits.what.version")
    # §2.5: a server answers with the highest version it conforms to that is not above the request's, and
    # "can send a 505 ... if it wishes"; so answering in HTTP/1.1 is its right, failing or silence is not.
    yield from _judge(sent, "version", what, strict=False, base=base)


def _probe(name: str, run: Callable[[Session, Baseline], Iterator[Finding]], **values: Any) -> Probe:
    _, section = FAULTS[name]
    return Probe(f"limits.{name}", "limits", section, run, values=values)


PROBES = (
    _probe("long-target", long_target, kib=LONG_TARGET // 1024),
    _probe("large-header", large_header, kib=LARGE_FIELD // 1024),
    _probe("unknown-expect", unknown_expect),
    _probe("bad-request-line", bad_request_line),
    _probe("version", version),
)
