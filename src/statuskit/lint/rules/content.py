"""Content, Content-Length and interim responses (RFC 9110 §6.4.1, §8.6, §15, §15.2).

httplint already reports content it was fed where none is allowed
(CONTENT_NOT_ALLOWED) and framing fields on a 2xx to CONNECT
(CONNECT_TUNNEL_FRAMING); the rules here cover what it does not: content
known only by its size (a HAR entry), Content-Length on 1xx and 204, a 1xx
left standing as the last response, and 1xx sent to HTTP/1.0.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule, Scope


class ContentForbidden(Rule):
    """Content where the code or method allows none, known from its size when the octets were not kept."""

    id = "content-forbidden"
    severity = Severity.ERROR
    section = "RFC 9110 §6.4.1"
    example = {"code": 204, "reason": "No Content", "method": "GET", "length": 5}
    # When httplint was fed the octets it says the same; its note stands.
    covered_by = ("CONTENT_NOT_ALLOWED",)

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        size = ctx.content_size()
        if ctx.status is None or not size:
            return
        method = ctx.method or "GET"
        if method == "CONNECT":
            return  # after a 2xx the bytes are the tunnel, not content (§9.3.6)
        if not semantics.allows_content(ctx.status, method):
            yield cls.hit(ctx, section=semantics.no_content_reason(ctx.status, method), length=size, method=method)


class ContentLengthForbidden(Rule):
    """Content-Length on a 1xx or a 204, which a server must never send (the CONNECT case is httplint's)."""

    id = "content-length-forbidden"
    severity = Severity.ERROR
    section = "RFC 9110 §8.6"
    scope = Scope.EVERY
    example = {"code": 204, "reason": "No Content", "value": "0"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.status is None or "Content-Length" not in ctx.fields:
            return
        method = ctx.method or "GET"
        if method == "CONNECT" and ctx.status.is_success:
            return  # httplint: CONNECT_TUNNEL_FRAMING
        if not semantics.allows_content_length(ctx.status, method):
            yield cls.hit(ctx, value=ctx.fields.get("Content-Length"))


class InterimAsFinal(Rule):
    """The last response of an exchange is a 1xx (not 101): no final response followed."""

    id = "interim-as-final"
    severity = Severity.ERROR
    section = "RFC 9110 §15"
    example = {"code": 100, "reason": "Continue"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        # 101 ends HTTP on the connection: what follows is the new protocol (§15.2.2).
        if ctx.status is not None and semantics.is_interim(ctx.status) and ctx.code != 101:
            yield cls.hit(ctx)


class InterimToHttp10(Rule):
    """A 1xx sent in answer to an HTTP/1.0 request."""

    id = "interim-to-http10"
    severity = Severity.ERROR
    section = "RFC 9110 §15.2"
    scope = Scope.EVERY
    example = {"code": 100, "reason": "Continue"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.request is None or ctx.status is None:
            return
        if not semantics.may_be_sent_to(ctx.status, ctx.request.version):
            yield cls.hit(ctx)


class UnrequestedContinue(Rule):
    """A 100 to a request that did not send `Expect: 100-continue`.

    httplint rates this BAD; RFC 9110 forbids it nowhere for HTTP/1.1 (the
    HTTP/1.0 case is `interim-to-http10`) and has every client parse a 1xx it
    did not expect (§15.2), so it is a poor fit, not a broken MUST. A test
    server's on-demand /100 sends exactly this.
    """

    id = "unrequested-continue"
    severity = Severity.WARNING
    section = "RFC 9110 §10.1.1"
    scope = Scope.EVERY
    supersedes = ("UNEXPECTED_CONTINUE",)

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 100 or ctx.request is None or ctx.request.version.startswith(("1.0", "0.")):
            return
        if "100-continue" not in ctx.request_fields.tokens("expect"):
            yield cls.hit(ctx)


RULES: tuple[type[Rule], ...] = (
    ContentForbidden,
    ContentLengthForbidden,
    InterimAsFinal,
    InterimToHttp10,
    UnrequestedContinue,
)
