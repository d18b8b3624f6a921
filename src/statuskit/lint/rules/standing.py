"""Codes the registry knows as unofficial, unassigned, obsolete or provisional, and codes outside 100-599.

httplint reports 305 (deprecated), 306 (reserved) and 418 itself, and calls
every code it has no handler for "not a standard HTTP status code" (BAD). The
registry knows more: whose code an unofficial one is, that an unassigned one
will be read as its class's x00 (RFC 9110 §15), that 510's specification is
Historic. These rules say so, at a level that fits, and replace httplint's
catch-all note.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule, Scope
from statuskit.registry import Standing

_NONSTANDARD = ("STATUS_NONSTANDARD",)


class UnofficialCode(Rule):
    """A code used by well-known software but not registered: the owner is named."""

    id = "unofficial-code"
    severity = Severity.INFO
    section = "RFC 9110 §15.1"
    scope = Scope.EVERY
    supersedes = _NONSTANDARD
    example = {"code": 499, "reason": "Client Closed Request", "owner": "nginx", "fallback": "400 Bad Request"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status = ctx.status
        if status is not None and status.standing is Standing.UNOFFICIAL:
            fallback = status.understood_as
            owner = status.owner.split(":", 1)[0] or "unofficial software"
            yield cls.hit(ctx, owner=owner, fallback=f"{fallback.code} {fallback.reason}")


class UnassignedCode(Rule):
    """A code in 100-599 that nothing is assigned to."""

    id = "unassigned-code"
    severity = Severity.WARNING
    section = "RFC 9110 §15"
    scope = Scope.EVERY
    supersedes = _NONSTANDARD
    example = {"code": 471, "fallback": "400 Bad Request"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status = ctx.status
        if status is not None and status.standing is Standing.UNASSIGNED:
            fallback = status.understood_as
            yield cls.hit(ctx, fallback=f"{fallback.code} {fallback.reason}")


class ObsoleteCode(Rule):
    """A registered code whose specification has been moved to Historic (510)."""

    id = "obsolete-code"
    severity = Severity.WARNING
    section = "RFC 9110 §16.2.1"
    scope = Scope.EVERY
    example = {"code": 510, "reason": "Not Extended", "spec": "RFC 2774"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status = ctx.status
        if status is not None and status.standing is Standing.OBSOLETE:
            spec = status.spec.document if status.spec is not None else "?"
            yield cls.hit(ctx, spec=spec)


class ProvisionalCode(Rule):
    """A code with only a temporary IANA registration (104): its meaning may still change."""

    id = "provisional-code"
    severity = Severity.INFO
    section = "RFC 9110 §16.2.1"
    scope = Scope.EVERY
    example = {"code": 104, "reason": "Upload Resumption Supported", "spec": "draft-ietf-httpbis-resumable-upload"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status = ctx.status
        if status is not None and status.standing is Standing.PROVISIONAL:
            spec = status.spec.document if status.spec is not None else "?"
            yield cls.hit(ctx, spec=spec)


class StatusCodeOutOfRange(Rule):
    """A three-digit code outside 100-599, which is not an HTTP status code at all."""

    id = "status-code-out-of-range"
    severity = Severity.ERROR
    section = "RFC 9110 §15"
    scope = Scope.EVERY
    supersedes = _NONSTANDARD
    example = {"code": 600}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.status is None:
            yield cls.hit(ctx)


RULES: tuple[type[Rule], ...] = (UnofficialCode, UnassignedCode, ObsoleteCode, ProvisionalCode, StatusCodeOutOfRange)
