"""Methods: HEAD against GET, OPTIONS, a method the resource lacks, and one no server implements.

What HEAD must repeat is `semantics.content_length(code, "HEAD")` (the GET's
value or nothing); which methods an Allow field should name is
`semantics.supported_methods`; that an unknown method gets 501 follows from
`semantics.is_implemented_method` (§9.1).
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint.model import Finding, Severity
from statuskit.lint.probe._base import (
    Baseline,
    Check,
    Probe,
    Sent,
    Skip,
    judge,
    lint_answer,
    reason,
)
from statuskit.lint.probe.session import Session

# A method token no server implements (§9.1: methods are case-sensitive tokens).
UNKNOWN_METHOD = "STATUSKIT-PROBE"
# TODO(semantics): the answer to an unimplemented method (RFC 9110 §9.1, §15.6.2) and to a method the
# resource lacks (§15.5.6); semantics has `is_implemented_method` but not the two codes.
NOT_IMPLEMENTED, NOT_ALLOWED = 501, 405
# Fields that describe the representation, which a HEAD answer should repeat (§9.3.2).
HEAD_FIELDS = ("Content-Type", "ETag", "Last-Modified")
# Methods tried, in order, as "one the resource does not have": the first that Allow leaves out.
WRITE_METHODS = ("DELETE", "PUT", "PATCH", "POST")

HEAD_STATUS = Check("probe-head-status-differs", Severity.ERROR, "RFC 9110 §9.3.2")
HEAD_LENGTH = Check("probe-head-length-differs", Severity.ERROR, "RFC 9110 §8.6")
HEAD_FIELD = Check("probe-head-field-differs", Severity.WARNING, "RFC 9110 §9.3.2")
OPTIONS_WRONG = Check("probe-options-wrong-code", Severity.WARNING, "RFC 9110 §9.3.7")
OPTIONS_NO_ALLOW = Check("probe-options-without-allow", Severity.INFO, "RFC 9110 §9.3.7")
ALLOW_LACKS_GET = Check("probe-allow-lacks-get", Severity.WARNING, "RFC 9110 §10.2.1")
NOT_ALLOWED_WRONG = Check("probe-method-not-allowed-wrong-code", Severity.WARNING, "RFC 9110 §15.5.6")
UNKNOWN_WRONG = Check("probe-unknown-method-wrong-code", Severity.WARNING, "RFC 9110 §9.1")


def _allow(sent: Sent) -> list[str] | None:
    if sent.response is None or "Allow" not in sent.response.fields:
        return None
    return [m.strip() for v in sent.response.fields.get_all("Allow") for m in v.split(",") if m.strip()]


def _check_allow(sent: Sent, base: Baseline) -> Iterator[Finding]:
    allow = _allow(sent)
    if allow is None:
        return
    base.allow = allow
    if base.ok:
        missing = sorted(semantics.supported_methods({"GET"}) - set(allow))
        if missing:
            yield ALLOW_LACKS_GET.finding(
                sent.status,
                method=sent.method,
                allow=", ".join(allow) or '""',
                missing=", ".join(missing),
                want=reason(base.status),
            )


def head(session: Session, base: Baseline) -> Iterator[Finding]:
    sent = session.send("HEAD")
    yield from judge(sent, {base.status}, HEAD_STATUS, want=reason(base.status))
    if sent.response is None or sent.status != base.status:
        return
    fields = sent.response.fields
    got = fields.content_length()
    want = base.length()
    as_get = semantics.content_length(sent.status, "HEAD") is semantics.ContentLength.AS_GET
    if as_get and got is not None and want is not None and got != want:
        yield HEAD_LENGTH.finding(sent.status, got=got, want=want)
    for name in HEAD_FIELDS:
        if name in base.fields and fields.get(name) != base.fields.get(name):
            yield HEAD_FIELD.finding(
                sent.status, name=name, got=fields.get(name) or "(absent)", want=base.fields.get(name)
            )


def options(session: Session, base: Baseline) -> Iterator[Finding]:
    sent = session.send("OPTIONS")
    if sent.response is None:
        yield from judge(sent, (), OPTIONS_WRONG)
        return
    status = sent.status
    found = base.ok and (status in (404, 410) or (status >= 500 and status != NOT_IMPLEMENTED))
    if found:
        yield OPTIONS_WRONG.finding(status, want=reason(base.status))
        return
    yield from lint_answer(sent)
    if 200 <= status < 300 and _allow(sent) is None:
        yield OPTIONS_NO_ALLOW.finding(status)
    yield from _check_allow(sent, base)


def not_allowed(session: Session, base: Baseline) -> Iterator[Finding]:
    if base.allow is None:
        allow = (
            [m.strip() for m in (base.fields.get("Allow") or "").split(",") if m.strip()]
            if "Allow" in base.fields
            else None
        )
        if allow is None:
            raise Skip("no-allow")
        base.allow = allow
    method = next((m for m in WRITE_METHODS if m not in base.allow), None)
    if method is None:
        named = ", ".join(base.allow)
        raise Skip("allow-names-all", allow=named)
    sent = session.send(method, body=b"" if method in semantics.CONTENT_METHODS else None)
    allowed = {NOT_ALLOWED, NOT_IMPLEMENTED} | ({base.status} if not base.ok else set())
    yield from judge(sent, allowed, NOT_ALLOWED_WRONG, allow=", ".join(base.allow) or '""')
    if sent.status == NOT_ALLOWED:
        yield from _check_allow(sent, base)


def unknown(session: Session, base: Baseline) -> Iterator[Finding]:
    assert not semantics.is_implemented_method(UNKNOWN_METHOD)
    sent = session.send(UNKNOWN_METHOD)
    yield from judge(sent, {NOT_IMPLEMENTED}, UNKNOWN_WRONG, want=reason(NOT_IMPLEMENTED))


PROBES = (
    Probe("methods.head", "methods", "RFC 9110 §9.3.2", head),
    Probe("methods.options", "methods", "RFC 9110 §9.3.7", options),
    Probe("methods.not-allowed", "methods", "RFC 9110 §15.5.6", not_allowed, unsafe=True),
    Probe("methods.unknown", "methods", "RFC 9110 §9.1", unknown, unsafe=True, values={"method": UNKNOWN_METHOD}),
)
