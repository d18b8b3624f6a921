"""What every rule is: a small class with its id, severity and section beside its check.

A rule never raises to report a problem; its `check` yields `Finding`s built
with `hit()`. The class attributes are what the docs, the JSON output and the
test that walks every rule read, so they are plain data:

    id          stable kebab-case id, shown to users and accepted by --ignore
    severity    error (a MUST is broken), warning (a SHOULD), info (worth knowing)
    section     the RFC section the rule follows; a finding may cite a narrower one
    example     values that fill the rule's message; the message itself is
                the text `id` of each language's `lint.json` catalogue
                (`statuskit.registry.catalogue`), never held here
    scope       which responses of an exchange the rule looks at
    covered_by  httplint notes that, when httplint reported them for the same
                response, make this rule's finding a duplicate (it is dropped)
    supersedes  httplint notes this rule's finding replaces (they are dropped)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, NamedTuple

from statuskit.errors import InvalidStatusCode
from statuskit.lint.model import Exchange, Fields, Finding, Request, Response, Severity, section_url
from statuskit.registry import Status, lookup


class Scope(enum.Enum):
    """Which responses of an exchange a rule checks."""

    FINAL = "final"  # the final response only
    EVERY = "every"  # the final response and each interim one


class Context:
    """One response of an exchange, with the questions rules ask about it answered once."""

    __slots__ = ("exchange", "response", "request", "final", "fields", "request_fields", "method", "status")

    def __init__(self, exchange: Exchange, response: Response) -> None:
        self.exchange = exchange
        self.response = response
        self.request: Request | None = exchange.request
        self.final = response is exchange.response
        self.fields: Fields = response.fields
        self.request_fields: Fields = exchange.request.fields if exchange.request else Fields()
        # None when the request is unknown: rules about the request then stay silent.
        self.method: str | None = exchange.request.method if exchange.request else None
        try:
            self.status: Status | None = lookup(response.status)
        except InvalidStatusCode:
            self.status = None  # outside 100-599; only the range rule speaks

    @property
    def code(self) -> int:
        return self.response.status

    @property
    def http1(self) -> bool:
        """Is the response known to be HTTP/1.x (or of unknown version, taken as 1.1)?"""
        return self.response.version.split(".")[0] in ("1", "0")

    def content_size(self) -> int | None:
        """The number of content octets received, when known."""
        return self.response.content_length

    def base_vars(self) -> dict[str, Any]:
        status = self.status
        return {
            "code": self.code,
            "reason": status.reason if status is not None else (self.response.reason or "?"),
            "method": self.method or "?",
        }


class Hit(NamedTuple):
    """A finding as a rule yields it, with how it merges with httplint's notes for the same response."""

    finding: Finding
    covered_by: tuple[str, ...]  # if httplint reported any of these, this finding is dropped
    supersedes: tuple[str, ...]  # if this finding stands, these httplint notes are dropped


class Rule:
    """Base of every statuskit rule; see the module docstring for the attributes."""

    id: ClassVar[str]
    severity: ClassVar[Severity]
    section: ClassVar[str]
    example: ClassVar[Mapping[str, Any]] = {}
    scope: ClassVar[Scope] = Scope.FINAL
    covered_by: ClassVar[tuple[str, ...]] = ()
    supersedes: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        """Yield a finding for each way `ctx.response` breaks this rule."""
        raise NotImplementedError
        yield  # pragma: no cover

    @classmethod
    def overrides(cls, ctx: Context) -> frozenset[str]:
        """httplint notes known to be wrong for this response whether or not the rule fired."""
        return frozenset()

    @classmethod
    def hit(
        cls,
        ctx: Context,
        *,
        section: str = "",
        covered_by: tuple[str, ...] | None = None,
        supersedes: tuple[str, ...] | None = None,
        **values: Any,
    ) -> Hit:
        """A finding of this rule about `ctx.response`, with the `values` its message is filled with."""
        cited = section or cls.section
        finding = Finding(cls.id, cls.severity, cited, section_url(cited), {**ctx.base_vars(), **values}, ctx.code)
        return Hit(
            finding,
            cls.covered_by if covered_by is None else covered_by,
            cls.supersedes if supersedes is None else supersedes,
        )
