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

HEAD_STATUS = Check(
    "probe-head-status-differs",
    Severity.ERROR,
    "RFC 9110 §9.3.2",
    "HEAD was answered {status} but GET {want}: HEAD is GET without the content, so both get the same code.",
    "HEAD 得到 {status}，而 GET 得到 {want}：HEAD 就是不带内容的 GET，两者的状态码应当相同。",
)
HEAD_LENGTH = Check(
    "probe-head-length-differs",
    Severity.ERROR,
    "RFC 9110 §8.6",
    "HEAD says Content-Length: {got} but GET's content is {want} octets: on HEAD, Content-Length must be what GET "
    "would send, or absent.",
    "HEAD 声明 Content-Length: {got}，但 GET 的内容有 {want} 字节：HEAD 响应的 Content-Length 必须等于 GET "
    "会发送的长度，或者不发送。",
)
HEAD_FIELD = Check(
    "probe-head-field-differs",
    Severity.WARNING,
    "RFC 9110 §9.3.2",
    "HEAD answered {name}: {got} where GET answered {name}: {want}; HEAD should send the fields GET sends.",
    "HEAD 的 {name} 为 {got}，而 GET 的是 {want}；HEAD 应当发送与 GET 相同的字段。",
)
OPTIONS_WRONG = Check(
    "probe-options-wrong-code",
    Severity.WARNING,
    "RFC 9110 §9.3.7",
    "OPTIONS was answered {status} though GET found the resource ({want}): a server without OPTIONS says "
    "405 (with Allow) or 501, not that the resource is missing or that it failed.",
    "OPTIONS 得到 {status}，但 GET 找到了该资源（{want}）：不支持 OPTIONS 的服务器应回答 405（带 Allow）或 501，"
    "而不是说资源不存在或自身出错。",
)
OPTIONS_NO_ALLOW = Check(
    "probe-options-without-allow",
    Severity.INFO,
    "RFC 9110 §9.3.7",
    "OPTIONS was answered {status} without Allow; a successful OPTIONS answer should say which methods the resource "
    "has.",
    "OPTIONS 得到 {status} 但没有 Allow；成功的 OPTIONS 响应应当说明该资源支持哪些方法。",
)
ALLOW_LACKS_GET = Check(
    "probe-allow-lacks-get",
    Severity.WARNING,
    "RFC 9110 §10.2.1",
    "The {status} to {method} has Allow: {allow}, which leaves out {missing} though GET was answered {want}.",
    "{method} 的 {status} 响应带 Allow: {allow}，其中缺少 {missing}，但 GET 得到了 {want}。",
)
NOT_ALLOWED_WRONG = Check(
    "probe-method-not-allowed-wrong-code",
    Severity.WARNING,
    "RFC 9110 §15.5.6",
    "{method}, which Allow: {allow} leaves out, was answered {status}: a method the resource does not support gets "
    "405 with Allow (or 501 when the server implements it nowhere).",
    "Allow: {allow} 中没有的 {method} 得到 {status}：资源不支持的方法应得到带 Allow 的 405（服务器完全不实现时为 "
    "501）。",
)
UNKNOWN_WRONG = Check(
    "probe-unknown-method-wrong-code",
    Severity.WARNING,
    "RFC 9110 §9.1",
    "{method}, a method no server implements, was answered {status}; an origin server should answer an "
    "unrecognized method with {want}.",
    "{method} 是没有服务器实现的方法，却得到 {status}；源服务器应当用 {want} 回答无法识别的方法。",
)


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
            raise Skip(
                "no Allow field (from GET or OPTIONS) said which methods the resource lacks",
                "没有 Allow 字段（GET 或 OPTIONS 的）说明该资源缺少哪些方法",
            )
        base.allow = allow
    method = next((m for m in WRITE_METHODS if m not in base.allow), None)
    if method is None:
        named = ", ".join(base.allow)
        raise Skip(
            f"Allow: {named} names every method the probe would try", f"Allow: {named} 包含了探测会尝试的所有方法"
        )
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
    Probe(
        "methods.head",
        "methods",
        "HEAD agrees with GET",
        "HEAD 与 GET 一致",
        "RFC 9110 §9.3.2",
        "the GET's code, the same Content-Length or none, no content",
        head,
        expect_zh="与 GET 相同的状态码，相同的 Content-Length 或不带，没有内容",
    ),
    Probe(
        "methods.options",
        "methods",
        "OPTIONS on the resource",
        "对资源发送 OPTIONS",
        "RFC 9110 §9.3.7",
        "2xx with Allow, 405 with Allow, or 501",
        options,
        expect_zh="带 Allow 的 2xx、带 Allow 的 405，或 501",
    ),
    Probe(
        "methods.not-allowed",
        "methods",
        "a method Allow leaves out",
        "Allow 中没有的方法",
        "RFC 9110 §15.5.6",
        "405 with Allow (or 501)",
        not_allowed,
        unsafe=True,
        expect_zh="带 Allow 的 405（或 501）",
    ),
    Probe(
        "methods.unknown",
        "methods",
        f"a method no server implements ({UNKNOWN_METHOD})",
        f"没有服务器实现的方法（{UNKNOWN_METHOD}）",
        "RFC 9110 §9.1",
        "501",
        unknown,
        unsafe=True,
        expect_zh="501",
    ),
)
